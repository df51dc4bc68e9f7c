"""The per-province settings of the frequency engine and the draws, as a page edits them.

Each :class:`Setting` is one number of :data:`rating.DEFAULTS`, addressed by a flat key
(``"floors.distributor_other"``), with its bounds. ``verified`` is False for the numbers
DOMAIN.md marks [M] (recalled, not confirmed against the published text): exactly the ones a
province must be able to set. Statutory floors can only be shortened (their maximum is the
statutory value). Pure: the service validates and stores, the form shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from yaojian.inspections import rating


@dataclass(frozen=True)
class Setting:
    key: str  # "group.name" or "name"
    group: str
    label: Any
    minimum: int
    maximum: int
    verified: bool = True

    @property
    def default(self) -> int:
        return int(lookup(rating.DEFAULTS, self.key))


GROUPS: tuple[tuple[str, Any], ...] = (
    ("intervals", _("Inspection interval by rating (months)")),
    ("floors", _("Statutory floors (months; may only be shortened)")),
    ("compliance", _("Compliance points")),
    ("credit", _("Credit modifier (points by credit grade)")),
    ("draws", _("Random draws and publication")),
)

_FLOOR_LABELS: dict[str, Any] = {
    "manufacturer_controlled": _("Manufacturers of narcotics, psychotropics, precursors"),
    "manufacturer_high_risk": _("Manufacturers of vaccines, blood products, sterile drugs"),
    "manufacturer_other": _("Other manufacturers"),
    "distributor_controlled": _("Distributors of narcotics, psychotropics, precursors"),
    "distributor_high_risk": _("Distributors of cold-chain drugs, blood products, vaccines"),
    "distributor_other": _("Other distributors"),
    "vaccination_site": _("Medical institutions storing vaccines"),
    "medical_institution": _("Other medical institutions"),
    "other": _("Everything else"),
}
# DOMAIN.md §2.9: the manufacturers' floors are verified (药品生产监督管理办法 第55条); the
# distributors' and users' (总局令第84号) are [M], as is the credit modifier (§2.8).
_VERIFIED_FLOORS = {"manufacturer_controlled", "manufacturer_high_risk", "manufacturer_other"}

SETTINGS: tuple[Setting, ...] = (
    *(
        Setting(f"interval_months.{name}", "intervals", label, 1, 60)
        for name, label in (
            ("low", _("Low risk")),
            ("medium", _("Medium risk")),
            ("high", _("High risk")),
        )
    ),
    *(
        Setting(
            f"floors.{key}",
            "floors",
            _FLOOR_LABELS[key],
            1,
            months,
            verified=key in _VERIFIED_FLOORS,
        )
        for key, _kinds, _classes, months in rating.FLOOR_RULES
    ),
    Setting("critical_points", "compliance", _("Points per critical finding"), 0, 20),
    Setting("major_points", "compliance", _("Points per major finding"), 0, 20),
    Setting("case_points", "compliance", _("Points per case"), 0, 20),
    *(
        Setting(f"credit_points.{grade}", "credit", label, -10, 20, verified=False)
        for grade, label in (
            ("A", _("Grade A (low risk)")),
            ("B", _("Grade B (normal)")),
            ("C", _("Grade C (higher risk)")),
            ("D", _("Grade D (high risk)")),
        )
    ),
    Setting("draw_min_proportion", "draws", _("Least proportion of an annual draw (%)"), 1, 100),
    Setting(
        "publish_within_days",
        "draws",
        _("Publish results within (working days)"),
        1,
        60,
        verified=False,
    ),
)
BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def lookup(config: Mapping[str, Any], key: str) -> Any:
    """The value of a flat key in a nested configuration."""
    value: Any = config
    for part in key.split("."):
        value = value[part]
    return value


def flatten(config: Mapping[str, Any]) -> dict[str, int]:
    """The configurable numbers of a merged configuration, by flat key."""
    return {s.key: int(lookup(config, s.key)) for s in SETTINGS}


def overrides_from(values: Mapping[str, int]) -> dict[str, Any]:
    """Nested overrides holding only the values that differ from the defaults (so a later
    change of a default reaches every province that did not set it)."""
    overrides: dict[str, Any] = {}
    for key, value in values.items():
        setting = BY_KEY[key]
        if int(value) == setting.default:
            continue
        if "." in key:
            group, name = key.split(".", 1)
            overrides.setdefault(group, {})[name] = int(value)
        else:
            overrides[key] = int(value)
    return overrides


def flat_overrides(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The flat keys of nested overrides (unknown keys kept, for the service to refuse)."""
    flat: dict[str, Any] = {}
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(rating.DEFAULTS.get(key), dict):
            for name, item in value.items():
                flat[f"{key}.{name}"] = item
        else:
            flat[key] = value
    return flat
