"""Set-based recomputation of grades: one SQL statement per province computes every score.

For each province the grades of all its entities (or of the ``entity_ids`` given) are computed
by one ``SELECT … GROUP BY`` over the active records, the changes are appended to the history
and the current grades upserted — three statements, whatever the number of entities. The
rule set's points are validated integers and are written into the SQL as literals. A
province's recomputations are serialised (PostgreSQL advisory lock; SQLite writes are
serialised anyway), so two concurrent runs never lose an update.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from yaojian.core.events import named_handlers_for, publish
from yaojian.credit.choices import GRADE_RANK, RecordStatus
from yaojian.credit.events import GradeChanged
from yaojian.credit.models import RuleSet
from yaojian.credit.rules import DEFAULT, Rules, parse_rules
from yaojian.territory.models import Region


def rules_for(province_code: str) -> tuple[RuleSet | None, Rules]:
    """The current rule set of a province (its defaults when none was saved)."""
    current = RuleSet.objects.filter(province_code=province_code, is_current=True).first()
    if current is None:
        return None, DEFAULT
    return current, parse_rules(current.text)


_PARSED: dict[tuple[int, str], Rules] = {}


def current_rules() -> dict[str, Rules]:
    """The parsed current rule set of every province that saved one (others use ``DEFAULT``).

    One small query per call (the current versions); a version's text is read and parsed once
    per process, keyed by its id and ``updated_at``, so a new version is seen at once by every
    worker."""
    rows = list(
        RuleSet.objects.filter(is_current=True).values_list("pk", "province_code", "updated_at")
    )
    keys = {pk: (pk, updated.isoformat()) for pk, _province, updated in rows}
    missing = [pk for pk, key in keys.items() if key not in _PARSED]
    if missing:
        for pk, text in RuleSet.objects.filter(pk__in=missing).values_list("pk", "text"):
            _PARSED[keys[pk]] = parse_rules(text)
    return {province: _PARSED[keys[pk]] for pk, province, _updated in rows if keys[pk] in _PARSED}


def province_of(region_code: str) -> str:
    return region_code[:2] + "0000"


def _score_sql(rules: Rules, where: str) -> str:
    negative = [(k, p) for k, p in sorted(rules.points.items()) if p < 0]
    positive = [(k, p) for k, p in sorted(rules.points.items()) if p > 0]

    def case(items: list[tuple[str, int]]) -> str:
        if not items:
            return "0"
        whens = " ".join(f"WHEN '{k}' THEN {int(p)}" for k, p in items)
        return f"COALESCE(SUM(CASE r.kind {whens} ELSE 0 END), 0)"

    caps = [(k, GRADE_RANK[g]) for k, g in sorted(rules.caps.items()) if GRADE_RANK[g] > 1]
    cap_sql = "1"
    if caps:
        whens = " ".join(f"WHEN '{k}' THEN {rank}" for k, rank in caps)
        cap_sql = f"COALESCE(MAX(CASE r.kind {whens} ELSE 1 END), 1)"
    cap = int(rules.positive_cap)
    return f"""
        SELECT e.id AS entity_id,
               {int(rules.base)} + {case(negative)}
               + CASE WHEN {case(positive)} > {cap} THEN {cap} ELSE {case(positive)} END AS score,
               {cap_sql} AS cap_rank
        FROM registry_entity e
        LEFT JOIN credit_creditrecord r
          ON r.entity_id = e.id AND r.status = '{RecordStatus.ACTIVE}'
         AND r.occurred_on <= %(today)s
         AND (r.expires_on IS NULL OR r.expires_on > %(today)s)
        WHERE {where}
        GROUP BY e.id
    """  # noqa: S608


def _grade_sql(rules: Rules, scores: str) -> str:
    g = rules.grades
    return f"""
        SELECT s.entity_id, s.score,
               CASE WHEN s.cap_rank >= 4 OR s.score < {int(g["C"])} THEN 'D'
                    WHEN s.cap_rank >= 3 OR s.score < {int(g["B"])} THEN 'C'
                    WHEN s.cap_rank >= 2 OR s.score < {int(g["A"])} THEN 'B'
                    ELSE 'A' END AS grade
        FROM ({scores}) s
    """  # noqa: S608


def _lock(province_code: str) -> None:
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"credit.grades:{province_code}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@transaction.atomic
def recompute_province(
    province_code: str, *, entity_ids: list[int] | None = None, today: dt.date | None = None
) -> int:
    """Recompute the grades of a province's entities (all, or ``entity_ids``); returns how
    many grades changed. Three statements, whatever the number of entities."""
    today = today or timezone.localdate()
    _lock(province_code)
    rule_set, rules = rules_for(province_code)
    now = timezone.now()
    params: dict[str, Any] = {
        "today": today,
        "prefix": province_code[:2] + "%",
        "now": now,
        "rule_set": rule_set.pk if rule_set else None,
    }
    where = "e.region_id LIKE %(prefix)s"
    if entity_ids is not None:
        if not entity_ids:
            return 0
        ids = ",".join(str(int(i)) for i in sorted(set(entity_ids)))
        where += f" AND e.id IN ({ids})"
    computed = _grade_sql(rules, _score_sql(rules, where))
    with connection.cursor() as cursor:
        # The scores are computed once into a temporary table, then compared and written.
        cursor.execute("DROP TABLE IF EXISTS credit_scores")
        cursor.execute(f"CREATE TEMPORARY TABLE credit_scores AS {computed}", params)
        cursor.execute(
            """
            INSERT INTO credit_gradechange
                (entity_id, from_grade, to_grade, score, rule_set_id, changed_at)
            SELECT c.entity_id, COALESCE(g.grade, ''), c.grade, c.score, %(rule_set)s, %(now)s
            FROM credit_scores c
            LEFT JOIN credit_creditgrade g ON g.entity_id = c.entity_id
            WHERE g.grade IS NULL OR g.grade <> c.grade
            """,
            params,
        )
        changed = cursor.rowcount
        # Rows whose grade, score and rule set are unchanged are not rewritten: computed_at is
        # when the grade was last computed differently (the history has every change).
        cursor.execute(
            """
            INSERT INTO credit_creditgrade (entity_id, grade, score, rule_set_id, computed_at)
            SELECT c.entity_id, c.grade, c.score, %(rule_set)s, %(now)s
            FROM credit_scores c WHERE 1 = 1
            ON CONFLICT (entity_id) DO UPDATE SET
                grade = excluded.grade, score = excluded.score,
                rule_set_id = excluded.rule_set_id, computed_at = excluded.computed_at
            WHERE credit_creditgrade.grade <> excluded.grade
               OR credit_creditgrade.score <> excluded.score
               OR credit_creditgrade.rule_set_id IS DISTINCT FROM excluded.rule_set_id
            """,
            params,
        )
        cursor.execute("DROP TABLE credit_scores")
    if changed and named_handlers_for(GradeChanged):
        from yaojian.credit.models import GradeChange

        for row in GradeChange.objects.filter(changed_at=now).values(
            "entity_id", "from_grade", "to_grade", "score"
        ):
            publish(GradeChanged(**row))
    return changed


def recompute(*, entity_ids: list[int] | None = None, today: dt.date | None = None) -> int:
    """Recompute grades everywhere (nightly) or of some entities (after an event)."""
    from yaojian.registry.models import Entity

    if entity_ids is not None:
        codes = Entity.objects.filter(pk__in=entity_ids).values_list("region_id", flat=True)
        provinces = sorted({province_of(code) for code in codes})
    else:
        provinces = sorted(
            Region.objects.filter(code__endswith="0000").values_list("code", flat=True)
        )
    return sum(recompute_province(code, entity_ids=entity_ids, today=today) for code in provinces)
