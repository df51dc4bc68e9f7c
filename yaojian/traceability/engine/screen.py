"""The screen: which packs and persons a full scan must run the rules over (DuckDB; ADR 0045).

Almost every pack is clean: made, shipped, received by the institution that dispenses it once.
A full scan runs the rules (``rules.py``, unchanged) over the events of the packs and persons the
screen cannot clear, not over every event. The screen is one aggregation per pack over its
dispenses and receives, and one per person over the dispenses; each condition below is
*necessary* for its rule to flag, so a pack or a person it clears could not be flagged, and the
flags over the screened events are exactly the flags over all events: every pack rule is local
to a pack (all of a pack's events are taken, with every reverse), R6 is local to a person (all
events of every pack a kept person bought are taken). The two engines check it: Spark runs the
rules over every event, and the parity test compares. Below, "the pack's dispenses" are its
dispense events, reversed or not.

R1 (net settlements at two institutions, or more units than the pack holds). A pack with one
dispense has at most one net settlement, at one institution, of ``coalesce(units, pack_units,
pu)`` units, where ``pu`` is the largest ``pack_units`` of any of its events: more than ``pu``
only if the dispense states ``units`` above ``pu``, so above the largest ``pack_units`` of its
dispenses and receives (at most ``pu``), or above nothing when none of those states one. Kept:
two dispenses or more, or that.

R2 (a dispense more than the tolerance before its institution's first receive). That first
receive is no later than the pack's last receive. Kept: the earliest dispense more than the
tolerance before the last receive.

R3 (a dispense at an institution the pack never arrived at). An institution that received the
pack has arrived. Kept: two dispenses or more, or one whose institution is not the party of the
pack's last receive (any receive would do; the last is the common case) — a dispense without an
institution is never R3.

R4 (the latest receive at or before a dispense in another prefecture, no ship in between). When
every receive is at or before the one dispense, that latest receive is the pack's last one (by
instant, then id). Kept: two dispenses or more; a receive after the dispense; receives in the
last millisecond that are not all in one prefecture; or a last receive's prefecture other than
the dispense's. A pack without receives is never R4. Prefectures are compared as numbers (the
first four digits of a region code; a missing region is 10000): regions are six digits
(``normalise``: a row with another region is rejected at ingest and by a raw folder's scan).

R6 (more than ``r6_max_packs`` packs in a window, per person and product). A net settlement is
counted at ``units / pack_units`` packs, the largest of each over its dispenses (``pu`` when a
dispense states neither): at most one pack when no dispense of it states more units than its
own pack size (or units without a pack size). A person is charged with the settlements whose
largest ``insured`` is theirs, each holding a dispense of theirs: at most as many settlements as
their dispenses. So a person with no more dispenses than ``r6_max_packs`` and none on a pack
with such a "heavy" dispense (theirs or another person's, in one settlement) is never R6. Kept:
every other person, and every pack they bought.
"""

from __future__ import annotations

from typing import Any

from yaojian.traceability.engine.rules import (
    DEFAULT_THRESHOLDS,
    EV_COLUMNS,
    MICROS_PER_MINUTE,
    PACK_RULES,
    RULES,
    Thresholds,
)

# The first four digits of a region as a number (a prefecture), 10000 for none.
_PREFECTURE = "coalesce(TRY_CAST(substr(CAST(region AS VARCHAR), 1, 4) AS INTEGER), 10000)"
# An instant's millisecond and a prefecture in one number, ordered by the millisecond first.
_MS_PREFECTURE = f"(ts // 1000) * 10001 + {_PREFECTURE}"

_PACKS = """
SELECT code,
       max(pack_units) AS pu,
       count(*) FILTER (event_type = 'dispense') AS n_disp,
       min(party) FILTER (event_type = 'dispense') AS d_party,
       max(units) FILTER (event_type = 'dispense') AS d_units,
       bool_or(units IS NOT NULL AND (pack_units IS NULL OR units > pack_units))
         FILTER (event_type = 'dispense') AS heavy,
       min(ts) FILTER (event_type = 'dispense') AS d_ts,
       min({prefecture}) FILTER (event_type = 'dispense') AS d_pref,
       max(ts) FILTER (event_type = 'receive') AS r_ts,
       max_by(party, ts) FILTER (event_type = 'receive') AS r_party,
       max({ms_prefecture}) FILTER (event_type = 'receive') AS r_high,
       max({ms_flipped}) FILTER (event_type = 'receive') AS r_low
FROM {ev}
WHERE event_type IN ('dispense', 'receive')
GROUP BY code
"""

_CONDITIONS = {
    "R1": "n_disp >= 2 OR (d_units IS NOT NULL AND (pu IS NULL OR d_units > pu))",
    "R2": "d_ts < r_ts - {r2_tolerance}",
    "R3": "d_party IS NOT NULL AND (n_disp >= 2 OR d_party IS DISTINCT FROM r_party)",
    "R4": (
        "r_ts IS NOT NULL AND (n_disp >= 2 OR r_ts > d_ts"
        " OR r_high % 10001 <> 10000 - r_low % 10001 OR r_high % 10001 <> d_pref)"
    ),
}


def screen(
    con: Any,
    *,
    ev: str = "ev",
    rules: tuple[str, ...] = RULES,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    target: str = "ev_screened",
) -> int:
    """Make the temp table ``target`` holding every event of ``ev`` the rules need: the events
    of the packs and persons the screen keeps, and every reverse. Returns its rows."""
    pack_rules = [rule for rule in rules if rule in PACK_RULES]
    kept = " OR ".join(f"({_CONDITIONS[rule]})" for rule in pack_rules) or "false"
    kept = kept.format(r2_tolerance=thresholds.r2_tolerance_minutes * MICROS_PER_MINUTE)
    packs = _PACKS.format(
        ev=ev,
        prefecture=_PREFECTURE,
        ms_prefecture=_MS_PREFECTURE,
        ms_flipped=f"(ts // 1000) * 10001 + 10000 - {_PREFECTURE}",
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE screen_packs AS "
        f"SELECT code, {kept} AS kept, coalesce(heavy, false) AS heavy "
        f"FROM ({packs}) WHERE n_disp >= 1 AND ({kept} OR heavy)"
    )
    if "R6" in rules:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE screen_persons AS
            SELECT insured FROM {ev}
            WHERE event_type = 'dispense' AND insured IS NOT NULL
            GROUP BY insured
            HAVING count(*) > {int(thresholds.r6_max_packs)}
                OR bool_or(code IN (SELECT code FROM screen_packs WHERE heavy))
            """
        )
        bought = (
            f"UNION SELECT code FROM {ev} WHERE event_type = 'dispense' "
            "AND insured IN (SELECT insured FROM screen_persons)"
        )
    else:
        bought = ""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE screen_codes AS "
        f"SELECT code FROM screen_packs WHERE kept {bought}"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT {', '.join(EV_COLUMNS)} FROM {ev} "
        "WHERE event_type = 'reverse' OR code IN (SELECT code FROM screen_codes)"
    )
    for table in ("screen_packs", "screen_persons", "screen_codes"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    found = con.execute(f"SELECT count(*) FROM {target}").fetchone()
    return int(found[0]) if found else 0
