"""Cells written to CSV or XLSX that a spreadsheet will open (exports, error reports, pairs).

A spreadsheet treats a cell starting with ``= + - @`` (or a tab or carriage return) as a
formula: CSV/formula injection. Every file the platform writes from user input passes its
cells through :func:`neutralise`.
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """The cell as text; a leading formula character is defused with a single quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
