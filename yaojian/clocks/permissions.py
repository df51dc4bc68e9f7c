"""Who may change the holiday calendar (ADR 0008): added to the role matrix from ``ready()``.

Everyone signed in may read the calendar and use the calculator; only administrators change
it (a wrong holiday moves every statutory deadline in the province).
"""

from __future__ import annotations

from yaojian.accounts.choices import Role

CHANGE_CALENDAR = "clocks.change_calendarday"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset({CHANGE_CALENDAR}),
}
