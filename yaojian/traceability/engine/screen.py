"""The screen: which packs and persons a full scan must run the rules over (DuckDB; ADR 0045).

Almost every pack is clean: made, shipped, received by the institution that dispenses it once.
A full scan runs the rules (``rules.py``, unchanged) over the events of the packs and persons the
screen cannot clear, not over every event. The screen is one aggregation per pack over its
dispenses and receives, and one per person over the dispenses; each condition below is
*necessary* for its rule to flag, so a pack or a person it clears could not be flagged, and the
flags over the screened events are exactly the flags over all events: every pack rule is local
to a pack (all of a pack's events are taken, with every reverse), R6 is local to a person (every
dispense of every pack a kept person bought is taken, as below). The two engines check it: Spark runs the
rules over every event, and the parity test compares. Below, "the pack's dispenses" are its
dispense events, reversed or not.

R1 (net settlements at two institutions, or more units than the pack holds). A pack with one
dispense has at most one net settlement, at one institution, of ``coalesce(units, pack_units,
pu)`` units, where ``pu`` is the largest ``pack_units`` of any of its events: more than ``pu``
only if the dispense states ``units`` above ``pu``, so above its own ``pack_units`` (at most
``pu``) or without one. Kept: two dispenses or more, or a "heavy" dispense: one that states
more units than its pack size, or no pack size.

R2 (a dispense more than the tolerance before its institution's first receive). That first
receive is no later than the pack's last receive. Kept: the earliest dispense more than the
tolerance before the end of the last receive's millisecond.

R3 (a dispense at an institution the pack never arrived at). An institution that received the
pack has arrived. Kept: two dispenses or more, or one whose institution is not the party of the
pack's last receive (any receive would do; the last is the common case) — a dispense without an
institution is never R3.

R4 (the latest receive at or before a dispense in another prefecture, no ship in between). When
every receive is at or before the one dispense, that latest receive is the pack's last one (by
instant, then id). Kept: two dispenses or more; a receive in a millisecond that does not end
before the dispense; receives in the last millisecond that are not all in one prefecture; or a
last receive's prefecture other than the dispense's. A pack without receives is never R4.
Prefectures are compared as numbers: the first four characters of a region when they are four
digits (as a region code's are; read as a number of 1000 or more, nothing else of four
characters reads as that number), 10000 for no region, 10001 for anything else — a lenient
scan of raw files does not check regions — and a pack where 10001 is among the prefectures
compared is kept.

R6 (more than ``r6_max_packs`` packs in a window, per person and product). A net settlement is
counted at ``units / pack_units`` packs, the largest of each over its dispenses (``pu`` when a
dispense states neither): at most one pack when none of its dispenses is heavy. A person is
charged with the settlements whose
largest ``insured`` is theirs, each holding a dispense of theirs: at most as many settlements as
their dispenses. So a person with no more dispenses than ``r6_max_packs`` and none on a pack
with a heavy dispense (theirs or another person's, in one settlement) is never R6. Kept: every
other person, and every dispense of every pack they bought — all its events for a pack kept
whole (a pack rule's or a heavy one), its dispenses alone otherwise: none is heavy, so each
states its pack size and the pack's net settlements need no other event (the reverses are all
kept).

R6 also reads the dispenses of the packs of reverses that nothing else keeps (the reverses come
with their packs' dispenses, in one read): settlements of persons the screen cleared, or exact
ones of a kept person's, which changes no flag. Persons are counted by the hash of their id: two who share one are counted together and kept
together, which changes no flag (a person the screen would have cleared is only kept too).
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

# The first four characters of a region as a number when they are four digits (a prefecture),
# 10000 for no region, 10001 for any other value (never equal to another: such packs are kept).
_FOUR = "substr(CAST(region AS VARCHAR), 1, 4)"
_PREFECTURE = (
    f"CASE WHEN region IS NULL THEN 10000 "
    f"WHEN strlen({_FOUR}) = 4 AND TRY_CAST({_FOUR} AS INTEGER) >= 1000 "
    f"THEN TRY_CAST({_FOUR} AS INTEGER) ELSE 10001 END"
)
_OTHER = 10001
_BASE = 10002  # an instant's millisecond and a prefecture in one number, the millisecond first
_MS_PREFECTURE = f"(ts // 1000) * {_BASE} + {_PREFECTURE}"
_MS_FLIPPED = f"(ts // 1000) * {_BASE} + {_OTHER} - {_PREFECTURE}"  # the lowest first

_PACKS = """
SELECT code,
       count(*) FILTER (event_type = 'dispense') AS n_disp,
       min(party) FILTER (event_type = 'dispense') AS d_party,
       bool_or(pack_units IS NULL OR units > pack_units) FILTER (event_type = 'dispense') AS heavy,
       min(ts) FILTER (event_type = 'dispense') AS d_ts,
       min({prefecture}) FILTER (event_type = 'dispense') AS d_pref,
       max_by(party, ts) FILTER (event_type = 'receive') AS r_party,
       max({ms_prefecture}) FILTER (event_type = 'receive') AS r_high,
       max({ms_flipped}) FILTER (event_type = 'receive') AS r_low
FROM {ev}
WHERE event_type IN ('dispense', 'receive')
GROUP BY code
"""

# The last receive's instant, rounded up to the end of its millisecond.
_R_TS = f"(r_high // {_BASE}) * 1000 + 999"

_CONDITIONS = {
    "R1": "n_disp >= 2 OR heavy",
    "R2": f"d_ts < {_R_TS} - {{r2_tolerance}}",
    "R3": "d_party IS NOT NULL AND (n_disp >= 2 OR d_party IS DISTINCT FROM r_party)",
    "R4": (
        f"r_high IS NOT NULL AND (n_disp >= 2 OR {_R_TS} > d_ts"
        f" OR r_high % {_BASE} <> {_OTHER} - r_low % {_BASE} OR r_high % {_BASE} <> d_pref"
        f" OR d_pref = {_OTHER})"
    ),
}


def screen(
    con: Any,
    *,
    ev: str = "ev",
    rules: tuple[str, ...] = RULES,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> int:
    """Make the views ``ev_screened`` (what the pack rules read: every event of the packs the
    screen keeps, and every reverse) and ``ev_persons`` (what R6 reads: those, and the
    dispenses of the other packs the persons it keeps bought), over one temp table ``ev_kept``
    read from ``ev`` once. Returns its rows."""
    pack_rules = [rule for rule in rules if rule in PACK_RULES]
    kept = " OR ".join(f"({_CONDITIONS[rule]})" for rule in pack_rules) or "false"
    kept = kept.format(r2_tolerance=thresholds.r2_tolerance_minutes * MICROS_PER_MINUTE)
    packs = _PACKS.format(
        ev=ev,
        prefecture=_PREFECTURE,
        ms_prefecture=_MS_PREFECTURE,
        ms_flipped=_MS_FLIPPED,
    )
    # Kept whole: the packs a pack rule might flag, and the heavy ones (R6's count needs their
    # pack size, which another event may state).
    con.execute(
        "CREATE OR REPLACE TEMP TABLE screen_packs AS "
        f"SELECT code, coalesce(heavy, false) AS heavy FROM ({packs}) "
        f"WHERE n_disp >= 1 AND ({kept} OR heavy)"
    )
    bought = f"SELECT code FROM {ev} WHERE false"
    if "R6" in rules:
        # Persons by the hash of their id: two that share one are counted together, and kept.
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE screen_persons AS
            SELECT hash(insured) AS h FROM {ev}
            WHERE event_type = 'dispense' AND insured IS NOT NULL
            GROUP BY hash(insured)
            HAVING count(*) > {int(thresholds.r6_max_packs)}
                OR bool_or(code IN (SELECT code FROM screen_packs WHERE heavy))
            """
        )
        # Every dispense of the other packs they bought: none heavy, each states its pack
        # size, so their net settlements need no other event (but the reverses, all kept).
        bought = (
            f"SELECT DISTINCT code FROM {ev} WHERE event_type = 'dispense' "
            "AND hash(insured) IN (SELECT h FROM screen_persons)"
        )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE screen_kept AS
        SELECT code, bool_or(whole) AS whole FROM (
          SELECT code, true AS whole FROM screen_packs
          UNION ALL SELECT code, false FROM ({bought})
          UNION ALL SELECT DISTINCT code, false FROM {ev} WHERE event_type = 'reverse'
        ) GROUP BY code
        """
    )
    columns = ", ".join(EV_COLUMNS)
    # One join on the pack key for the kept packs, the packs of every reverse among them (a
    # reverse may cancel a dispense of another pack: every reverse is kept), in one read of
    # the events: a read decodes every column it takes, of every row, whatever it keeps.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE ev_kept AS
        SELECT {", ".join("e." + c for c in EV_COLUMNS)},
               k.whole OR e.event_type = 'reverse' AS whole
        FROM {ev} e JOIN screen_kept k ON k.code = e.code
        WHERE k.whole OR e.event_type IN ('dispense', 'reverse')
        """
    )
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW ev_screened AS SELECT {columns} FROM ev_kept WHERE whole"
    )
    con.execute(f"CREATE OR REPLACE TEMP VIEW ev_persons AS SELECT {columns} FROM ev_kept")
    for table in ("screen_packs", "screen_persons", "screen_kept"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    found = con.execute("SELECT count(*) FROM ev_kept").fetchone()
    return int(found[0]) if found else 0
