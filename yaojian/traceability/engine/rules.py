"""The rules R1, R2, R3, R4 and R6 of the trace-event format — defined once, as SQL.

The text below is written in the subset of SQL that DuckDB and Spark SQL share (CTEs, joins,
window functions with numeric RANGE frames, ``max_by``, ``substr``/``coalesce``/``concat``);
both engines run exactly this text over a view ``ev`` of normalised events, but for the name
of one function (an ordered pair: DuckDB's ``row``, Spark's ``struct``; :data:`PAIR`):

    event_id, code, event_type, ts (BIGINT, µs since the epoch, UTC), party, region,
    counterparty, product, pack_units (BIGINT), units (BIGINT), insured, settlement, reverses

``event_id`` is unique in ``ev`` (a scan keeps the first copy of an id, an ingest drops ids the
store holds), so a dispense is identified by its ``event_id`` alone.

Every rule returns the same columns (:data:`FLAG_COLUMNS`); the explanation in Chinese is
written afterwards from those columns (``explain.py``), so the two engines cannot disagree on
wording. Thresholds are parameters (the format's defaults).
"""

from __future__ import annotations

from dataclasses import dataclass

MICROS_PER_MINUTE = 60_000_000
MICROS_PER_DAY = 86_400_000_000


@dataclass(frozen=True)
class Thresholds:
    r2_tolerance_minutes: int = 10
    r6_max_packs: int = 10
    r6_window_days: int = 30


DEFAULT_THRESHOLDS = Thresholds()

RULES = ("R1", "R2", "R3", "R4", "R6")

# The columns of ``ev`` the rules read (a scan keeps only these).
EV_COLUMNS = (
    "event_id",
    "code",
    "event_type",
    "ts",
    "party",
    "region",
    "counterparty",
    "product",
    "pack_units",
    "units",
    "insured",
    "settlement",
    "reverses",
)

FLAG_COLUMNS = (
    "rule",
    "code",
    "insured",
    "party",
    "product",
    "n_settle",
    "units",
    "pack_units",
    "n_inst",
    "ts1",
    "ts2",
    "region1",
    "region2",
    "packs",
)

# Shared building blocks. ``pu`` is a pack's size: the largest pack_units any event states.
_PU = """
pu AS (
  SELECT code, max(pack_units) AS pu FROM {ev} GROUP BY code
)
"""

_DISP = """
disp AS (
  SELECT * FROM {ev} WHERE event_type = 'dispense'
)
"""

# The net settlements of each pack (local to a pack: grouped by ``code``). ``reversed`` names
# every dispense a reverse cancels, whatever the reverse's own pack.
_SETTLE = """
reversed AS (
  SELECT DISTINCT reverses AS event_id FROM {ev}
  WHERE event_type = 'reverse' AND reverses IS NOT NULL
),
settle AS (
  SELECT d.code,
         coalesce(d.settlement, concat('#', d.event_id)) AS sid,
         max(d.ts) AS ts,
         max(CASE WHEN r.event_id IS NULL THEN 0 ELSE 1 END) AS cancelled,
         max(coalesce(d.units, d.pack_units, p.pu)) AS units,
         max(coalesce(d.pack_units, p.pu)) AS pack_units,
         max(d.party) AS party,
         max(d.insured) AS insured,
         max(d.product) AS product
  FROM disp d
  LEFT JOIN reversed r ON r.event_id = d.event_id
  LEFT JOIN pu p ON p.code = d.code
  GROUP BY d.code, coalesce(d.settlement, concat('#', d.event_id))
),
net AS (
  SELECT * FROM settle WHERE cancelled = 0
)
"""

_R1 = """
r1_sum AS (
  SELECT n.code, count(*) AS n_settle, sum(n.units) AS units,
         count(DISTINCT n.party) AS n_inst, min(n.ts) AS ts1, max(n.ts) AS ts2,
         max_by(n.party, {pair}(n.ts, n.sid)) AS party
  FROM net n GROUP BY n.code
),
r1 AS (
  SELECT 'R1' AS rule, s.code, CAST(NULL AS STRING) AS insured, s.party,
         CAST(NULL AS STRING) AS product, s.n_settle, s.units, p.pu AS pack_units,
         s.n_inst, s.ts1, s.ts2,
         CAST(NULL AS STRING) AS region1, CAST(NULL AS STRING) AS region2,
         CAST(NULL AS DOUBLE) AS packs
  FROM r1_sum s
  LEFT JOIN pu p ON p.code = s.code
  WHERE s.n_inst > 1 OR (p.pu IS NOT NULL AND s.units > p.pu)
)
"""

# Arrivals of a pack at an institution: a receive by it, or a ship to it (a ship counts at its
# counterparty), with the first receive's instant (R2). One aggregation serves R2 and R3.
_ARRIVALS = """
arrivals AS (
  SELECT code, CASE WHEN event_type = 'ship' THEN counterparty ELSE party END AS inst,
         min(CASE WHEN event_type = 'receive' THEN ts END) AS first_receive
  FROM {ev} WHERE event_type IN ('receive', 'ship')
  GROUP BY code, CASE WHEN event_type = 'ship' THEN counterparty ELSE party END
)
"""

# Each dispense with its institution's arrival of the pack, if any (R2 and R3 read it).
_DISP_ARRIVAL = """
disp_arrival AS (
  SELECT d.code, d.party, d.ts, f.first_receive, f.code IS NULL AS no_arrival
  FROM disp d
  LEFT JOIN arrivals f ON f.code = d.code AND f.inst = d.party
  WHERE d.party IS NOT NULL
)
"""

_R2 = """
r2 AS (
  SELECT 'R2' AS rule, a.code, CAST(NULL AS STRING) AS insured, a.party,
         CAST(NULL AS STRING) AS product, count(*) AS n_settle,
         CAST(NULL AS BIGINT) AS units, CAST(NULL AS BIGINT) AS pack_units,
         CAST(NULL AS BIGINT) AS n_inst, min(a.ts) AS ts1, min(a.first_receive) AS ts2,
         CAST(NULL AS STRING) AS region1, CAST(NULL AS STRING) AS region2,
         CAST(NULL AS DOUBLE) AS packs
  FROM disp_arrival a
  WHERE a.ts < a.first_receive - {r2_tolerance}
  GROUP BY a.code, a.party
)
"""

# A dispense at an institution with no arrival of the pack there (no row in ``arrivals``).
_R3 = """
r3 AS (
  SELECT 'R3' AS rule, a.code, CAST(NULL AS STRING) AS insured, a.party,
         CAST(NULL AS STRING) AS product, count(*) AS n_settle,
         CAST(NULL AS BIGINT) AS units, CAST(NULL AS BIGINT) AS pack_units,
         CAST(NULL AS BIGINT) AS n_inst, min(a.ts) AS ts1, max(a.ts) AS ts2,
         CAST(NULL AS STRING) AS region1, CAST(NULL AS STRING) AS region2,
         CAST(NULL AS DOUBLE) AS packs
  FROM disp_arrival a
  WHERE a.no_arrival
  GROUP BY a.code, a.party
)
"""

_R4 = """
receives AS (
  SELECT code, event_id, ts, region FROM {ev} WHERE event_type = 'receive'
),
ships AS (
  SELECT code, ts FROM {ev} WHERE event_type = 'ship'
),
r4_latest AS (
  SELECT d.code, d.event_id AS did, max(d.party) AS party, max(d.region) AS dregion,
         max(d.ts) AS dts, max(r.ts) AS rts,
         max_by(r.region, {pair}(r.ts, r.event_id)) AS rregion
  FROM disp d
  JOIN receives r ON r.code = d.code AND r.ts <= d.ts
  GROUP BY d.code, d.event_id
),
r4_shipped AS (
  SELECT DISTINCT l.did, l.code, l.dts
  FROM r4_latest l
  JOIN ships s ON s.code = l.code AND s.ts > l.rts AND s.ts < l.dts
),
r4_hits AS (
  SELECT l.* FROM r4_latest l
  LEFT JOIN r4_shipped s ON s.did = l.did AND s.code = l.code AND s.dts = l.dts
  WHERE s.did IS NULL
    AND l.rregion IS NOT NULL AND l.dregion IS NOT NULL
    AND substr(l.rregion, 1, 4) <> substr(l.dregion, 1, 4)
),
r4 AS (
  SELECT 'R4' AS rule, h.code, CAST(NULL AS STRING) AS insured, h.party,
         CAST(NULL AS STRING) AS product, count(*) AS n_settle,
         CAST(NULL AS BIGINT) AS units, CAST(NULL AS BIGINT) AS pack_units,
         CAST(NULL AS BIGINT) AS n_inst, min(h.dts) AS ts1, max(h.rts) AS ts2,
         max(h.rregion) AS region1, max(h.dregion) AS region2,
         CAST(NULL AS DOUBLE) AS packs
  FROM r4_hits h
  GROUP BY h.code, h.party
)
"""

_R6 = """
r6_settle AS (
  SELECT insured, product, party, code, sid, ts,
         CAST(units AS DOUBLE) / CAST(pack_units AS DOUBLE) AS packs
  FROM net
  WHERE insured IS NOT NULL AND product IS NOT NULL
    AND pack_units IS NOT NULL AND pack_units > 0 AND units IS NOT NULL
),
r6_window AS (
  SELECT insured, product, party, code, sid, ts,
         sum(packs) OVER (PARTITION BY insured, product ORDER BY ts
                          RANGE BETWEEN {r6_window} PRECEDING AND CURRENT ROW) AS win
  FROM r6_settle
),
r6_over AS (
  SELECT insured, product, party, ts, win,
         row_number() OVER (PARTITION BY insured ORDER BY ts, product, party, code, sid) AS rn
  FROM r6_window
  WHERE win > {r6_max_packs} + 0.000001
),
r6_totals AS (
  SELECT insured, count(DISTINCT product) AS n_products, max(win) AS max_win
  FROM r6_over GROUP BY insured
),
r6 AS (
  SELECT 'R6' AS rule, CAST(NULL AS STRING) AS code, o.insured, o.party, o.product,
         CAST(NULL AS BIGINT) AS n_settle, CAST(NULL AS BIGINT) AS units,
         CAST(NULL AS BIGINT) AS pack_units, t.n_products AS n_inst,
         o.ts AS ts1, CAST(NULL AS BIGINT) AS ts2,
         CAST(NULL AS STRING) AS region1, CAST(NULL AS STRING) AS region2,
         round(t.max_win, 3) AS packs
  FROM r6_over o JOIN r6_totals t ON t.insured = o.insured
  WHERE o.rn = 1
)
"""

# The one spelling the two engines do not share: an ordered pair (a struct compared field by
# field), the key of ``max_by`` where a latest row is chosen by instant and then by id.
PAIR = {"duckdb": "row", "spark": "struct"}

_PARTS = {"R1": _R1, "R2": _R2, "R3": _R3, "R4": _R4, "R6": _R6}

# The rules local to one pack (R1–R4: every CTE groups, joins or partitions by ``code``) and
# the rule local to one person (R6: by ``insured``, over the net settlements of every pack).
PACK_RULES = ("R1", "R2", "R3", "R4")
PERSON_RULES = ("R6",)


def rules_sql(
    rules: tuple[str, ...] = RULES,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    ev: str = "ev",
    net: str | None = None,
    dialect: str = "duckdb",
) -> str:
    """The one query that computes the flags of ``rules`` over the view ``ev``.

    ``ev`` names another relation of events; ``net`` a relation holding the net settlements
    (the rows of :func:`settlements_sql`) already made, instead of the CTEs that make them. Both
    engines run the text with the defaults; DuckDB may run it share by share (``duck.py``).
    ``dialect`` (``duckdb``, ``spark``) spells the one function the engines name differently
    (:data:`PAIR`)."""
    unknown = set(rules) - set(RULES)
    if unknown:
        raise ValueError(f"Unknown rules: {sorted(unknown)}")
    wants_net = "R1" in rules or "R6" in rules
    parts = []
    if "R1" in rules or (wants_net and net is None):
        parts.append(_PU)
    if set(rules) & {"R2", "R3", "R4"} or (wants_net and net is None):
        parts.append(_DISP)
    if wants_net:
        parts.append(_SETTLE if net is None else f"net AS (SELECT * FROM {net})")
    if "R2" in rules or "R3" in rules:
        parts += [_ARRIVALS, _DISP_ARRIVAL]
    parts += [_PARTS[rule] for rule in rules]
    body = ",\n".join(p.strip() for p in parts).format(
        ev=ev,
        pair=PAIR[dialect],
        r2_tolerance=thresholds.r2_tolerance_minutes * MICROS_PER_MINUTE,
        r6_window=thresholds.r6_window_days * MICROS_PER_DAY - 1,
        r6_max_packs=thresholds.r6_max_packs,
    )
    union = "\nUNION ALL\n".join(
        f"SELECT {', '.join(FLAG_COLUMNS)} FROM {rule.lower()}" for rule in rules
    )
    return f"WITH {body}\n{union}"


# The columns of ``net`` (``settle``), in order.
NET_COLUMNS = (
    "code",
    "sid",
    "ts",
    "cancelled",
    "units",
    "pack_units",
    "party",
    "insured",
    "product",
)


def settlements_sql(ev: str = "ev") -> str:
    """The net settlements over ``ev`` (what R1 and R6 read), the same CTEs as
    :func:`rules_sql`: one row per (pack, settlement) that no reverse cancelled."""
    body = ",\n".join(p.strip() for p in (_PU, _DISP, _SETTLE)).format(ev=ev)
    return f"WITH {body}\nSELECT {', '.join(NET_COLUMNS)} FROM net"
