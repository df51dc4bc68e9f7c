"""Events of the clocks app, published after commit for the apps that store due dates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CalendarChanged:
    """The holiday schedule of ``years`` changed (a year loaded, made official, a day edited):
    due dates stored by other apps that touch these years must be recomputed."""

    years: tuple[int, ...]
