"""The credit rule set: a versioned JSON document per province, validated at save.

The defaults below are configuration ([M] rules of DOMAIN.md §2.5, §2.9 and ANCHORS.md §8c/8e:
no national A/B/C/D scheme for drugs exists, so every figure is a province's choice). A rule
set says

* ``base``: the score of an entity without records;
* ``points``: points of each record kind while the record is active (negative lowers);
* ``positive_cap``: the most the positive records may add together;
* ``grades``: the lowest score of A, B and C (D below C); bounds are inclusive;
* ``caps``: the best grade an entity may have while it holds an active record of a kind;
* ``expiry_years``: how long a record of a kind counts when it has no expiry of its own;
* ``restrictions``: the actions a record of a kind restricts while active (处处受限);
* ``departments``: the department kinds that must apply a listing's joint measures;
* ``repair_min_years``: the minimum period before credit repair (第14条, [M] 1 year).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yaojian.credit.choices import Action, Grade, RecordKind

DEFAULT_RULES: dict[str, Any] = {
    "base": 100,
    "points": {
        "penalty": -10,
        "heavy_penalty": -30,
        "practice_ban": -30,
        "insurance_measure": -15,
        "insurance_termination": -30,
        "personnel_points": -5,
        "health_finding": -10,
        "criminal_outcome": -40,
        "serious_dishonesty": -50,
        "commitment": 0,
        "commitment_breach": -20,
        "clean_year": 5,
        "inspection_passed": 3,
        "training": 2,
    },
    "positive_cap": 10,
    "grades": {"A": 95, "B": 80, "C": 60},
    "caps": {"serious_dishonesty": "D", "criminal_outcome": "C", "heavy_penalty": "C"},
    "expiry_years": {
        "penalty": 3,
        "heavy_penalty": 3,
        "insurance_measure": 3,
        "insurance_termination": 3,
        "personnel_points": 1,
        "health_finding": 3,
        "criminal_outcome": 5,
        "commitment": 3,
        "commitment_breach": 3,
        "clean_year": 1,
        "inspection_passed": 1,
        "training": 1,
    },
    "restrictions": {
        "serious_dishonesty": [
            "licence.issue",
            "licence.renew",
            "insurance.designate",
            "licence.holder_change",
            "honour",
            "commitment",
        ],
        "practice_ban": ["person.appoint"],
        "insurance_termination": ["insurance.designate"],
        "commitment_breach": ["commitment"],
    },
    "departments": {
        "serious_dishonesty": [
            "drug_regulator",
            "market_regulator",
            "medical_insurance",
            "health_commission",
        ]
    },
    "repair_min_years": 1,
}


def default_text() -> str:
    return json.dumps(DEFAULT_RULES, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class Rules:
    """A parsed, valid rule set."""

    base: int
    points: dict[str, int]
    positive_cap: int
    grades: dict[str, int]
    caps: dict[str, str]
    expiry_years: dict[str, int]
    restrictions: dict[str, list[str]]
    departments: dict[str, list[str]]
    repair_min_years: int

    def grade_for(self, score: int, capped: str | None = None) -> str:
        """The grade of ``score`` (bounds inclusive), no better than ``capped``."""
        if score >= self.grades["A"]:
            grade = "A"
        elif score >= self.grades["B"]:
            grade = "B"
        elif score >= self.grades["C"]:
            grade = "C"
        else:
            grade = "D"
        return max(grade, capped or "A")  # "A" < "B" < "C" < "D"


def _line_of(text: str, key: str) -> int:
    """The first line mentioning ``"key"`` (1-based), else 1."""
    pattern = re.compile(r'"' + re.escape(key) + r'"')
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return 1


def _fail(text: str, at: str, message: Any, **params: Any) -> ValidationError:
    line = _line_of(text, at)
    return ValidationError(
        _("Line %(line)s: %(problem)s") % {"line": line, "problem": message % params},
        code="invalid_rules",
    )


def _int(text: str, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(text, key, _("“%(key)s” must be a whole number."), key=key)
    return value


def parse_rules(text: str) -> Rules:
    """Parse and check a rule set; ``ValidationError`` names the line at fault."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("Line %(line)s: the rule set is not valid JSON (%(error)s).")
            % {"line": exc.lineno, "error": exc.msg},
            code="invalid_rules",
        ) from exc
    if not isinstance(data, dict):
        raise ValidationError(
            _("Line 1: the rule set must be a JSON object."), code="invalid_rules"
        )
    known = set(DEFAULT_RULES)
    for key in data:
        if key not in known:
            raise _fail(text, key, _("“%(key)s” is not a rule."), key=key)
    merged = {**DEFAULT_RULES, **data}
    kinds = set(RecordKind.values)
    actions = set(Action.values)
    grades = set(Grade.values)

    def mapping(key: str) -> dict[str, Any]:
        value = merged[key]
        if not isinstance(value, dict):
            raise _fail(text, key, _("“%(key)s” must be an object."), key=key)
        for kind in value:
            if kind not in kinds and key != "grades":
                raise _fail(text, kind, _("“%(key)s” is not a kind of credit record."), key=kind)
        return value

    points = {k: _int(text, k, v) for k, v in mapping("points").items()}
    cut = mapping("grades")
    for letter in ("A", "B", "C"):
        if letter not in cut:
            raise _fail(
                text, "grades", _("The grades need the lowest score of %(key)s."), key=letter
            )
    for letter in cut:
        if letter not in ("A", "B", "C"):
            raise _fail(
                text, letter, _("“%(key)s” is not a grade with a lowest score."), key=letter
            )
    cut = {k: _int(text, k, v) for k, v in cut.items()}
    if not cut["A"] > cut["B"] > cut["C"]:
        raise _fail(text, "grades", _("The lowest scores must fall from A to C."))
    caps = mapping("caps")
    for kind, grade in caps.items():
        if grade not in grades:
            raise _fail(text, kind, _("“%(key)s” is not a grade."), key=str(grade))
    expiry = {k: _int(text, k, v) for k, v in mapping("expiry_years").items()}
    restrictions = mapping("restrictions")
    for kind, listed in restrictions.items():
        if not isinstance(listed, list):
            raise _fail(text, kind, _("“%(key)s” must list actions."), key=kind)
        for action in listed:
            if action not in actions:
                raise _fail(text, str(action), _("“%(key)s” is not an action."), key=str(action))
    departments = mapping("departments")
    return Rules(
        base=_int(text, "base", merged["base"]),
        points={kind: points.get(kind, 0) for kind in kinds},
        positive_cap=_int(text, "positive_cap", merged["positive_cap"]),
        grades=cut,
        caps=dict(caps),
        expiry_years=expiry,
        restrictions={k: list(v) for k, v in restrictions.items()},
        departments={k: list(v) for k, v in departments.items()},
        repair_min_years=_int(text, "repair_min_years", merged["repair_min_years"]),
    )


DEFAULT = parse_rules(default_text())
