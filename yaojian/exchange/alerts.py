"""Data-quality alerts: contradictions between departments about one entity.

``recompute_alerts(entity_ids)`` runs after each import for the entities it touched: it opens
an alert (for the departments concerned) when a contradiction appears, updates its details, and
resolves it when the contradiction has gone. Acknowledged alerts stay acknowledged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.utils import timezone

from yaojian.exchange.choices import AlertKind, AlertStatus
from yaojian.exchange.models import DataQualityAlert, FieldProvenance, current_fields
from yaojian.registry import names
from yaojian.registry.choices import EntityKind, LicenceKind, LicenceStatus
from yaojian.registry.models import Licence

CHUNK = 900
BUSINESS_LICENCES = frozenset(
    {
        LicenceKind.DRUG_MANUFACTURING,
        LicenceKind.DRUG_DISTRIBUTION,
        LicenceKind.MEDICAL_PRACTICE,
        LicenceKind.DEVICE_DISTRIBUTION,
    }
)
ENDED = frozenset({LicenceStatus.REVOKED, LicenceStatus.CANCELLED})
MEDICAL_KINDS = frozenset({EntityKind.HOSPITAL, EntityKind.CLINIC})


class _Licence(NamedTuple):
    kind: str
    status: str
    number: str
    issued_by_id: int


class _Claim(NamedTuple):
    field_name: str
    value: str
    department_id: int


def _findings(
    entity_kind: str, licences: list[Any], provenance: list[Any]
) -> dict[str, tuple[set[int], dict[str, Any]]]:
    """{alert kind: (department ids, details)} for one entity."""
    found: dict[str, tuple[set[int], dict[str, Any]]] = {}
    insured = [
        lic
        for lic in licences
        if lic.kind == LicenceKind.INSURANCE_AGREEMENT and lic.status == LicenceStatus.VALID
    ]
    ended = [lic for lic in licences if lic.kind in BUSINESS_LICENCES and lic.status in ENDED]
    if insured and ended:
        found[AlertKind.REVOKED_BUT_INSURED] = (
            {lic.issued_by_id for lic in insured + ended},
            {
                "ended": [f"{lic.number} ({lic.status})" for lic in ended],
                "agreements": [lic.number for lic in insured],
            },
        )
    practice = [
        lic
        for lic in licences
        if lic.kind == LicenceKind.MEDICAL_PRACTICE and lic.status == LicenceStatus.VALID
    ]
    if insured and not practice and entity_kind in MEDICAL_KINDS:
        found[AlertKind.INSURED_WITHOUT_PRACTICE_LICENCE] = (
            {lic.issued_by_id for lic in insured},
            {"agreements": [lic.number for lic in insured]},
        )
    for field_name, kind, normalise in (
        (
            "legal_representative",
            AlertKind.LEGAL_REPRESENTATIVE_MISMATCH,
            lambda v: "".join(v.split()),
        ),
        ("name", AlertKind.NAME_MISMATCH, names.search_key),
    ):
        claims: dict[str, set[int]] = defaultdict(set)
        shown: dict[str, str] = {}
        for prov in provenance:
            if prov.field_name == field_name and prov.value:
                key = normalise(prov.value)
                claims[key].add(prov.department_id)
                shown[key] = prov.value
        if len(claims) > 1:
            departments = set().union(*claims.values())
            found[kind] = (
                departments,
                {"values": sorted(shown.values())},
            )
    return found


def recompute_alerts(entity_ids: Iterable[int]) -> dict[str, int]:
    """Open, update or resolve the alerts of these entities; returns counts (opened, resolved)."""
    ids = sorted(set(entity_ids))
    counts = {"opened": 0, "resolved": 0}
    now = timezone.now()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # Plain tuples, not model instances: this runs for every entity of a 100,000-row file.
        licences: dict[int, list[Any]] = defaultdict(list)
        kinds: dict[int, str] = {}
        for row in Licence.objects.filter(entity_id__in=chunk).values_list(
            "entity_id", "kind", "status", "number", "issued_by_id", "entity__kind"
        ):
            licences[row[0]].append(_Licence(*row[1:5]))
            kinds[row[0]] = row[5]
        statements: dict[tuple[int, int], list[tuple[int, dict[str, str]]]] = defaultdict(list)
        for entity_id, department_id, statement_id, values in FieldProvenance.objects.filter(
            entity_id__in=chunk
        ).values_list("entity_id", "department_id", "id", "values"):
            statements[(entity_id, department_id)].append((statement_id, values))
        provenance: dict[int, list[Any]] = defaultdict(list)
        for (entity_id, department_id), said in statements.items():
            for field_name, (value, _id) in current_fields(said).items():
                if field_name in ("name", "legal_representative"):
                    provenance[entity_id].append(_Claim(field_name, value, department_id))
        open_alerts: dict[tuple[int, str], DataQualityAlert] = {
            (a.entity_id, a.kind): a
            for a in DataQualityAlert.objects.filter(entity_id__in=chunk).exclude(
                status=AlertStatus.RESOLVED
            )
        }
        for entity_id in chunk:
            findings = _findings(
                kinds.get(entity_id, ""), licences.get(entity_id, []), provenance.get(entity_id, [])
            )
            for kind, (departments, details) in findings.items():
                alert = open_alerts.pop((entity_id, kind), None)
                if alert is None:
                    alert = DataQualityAlert.objects.create(
                        entity_id=entity_id, kind=kind, details=details, detected_at=now
                    )
                    counts["opened"] += 1
                elif alert.details != details:
                    alert.details = details
                    alert.save(update_fields=["details", "updated_at"])
                alert.departments.add(*sorted(departments))
            for alert in open_alerts.values():
                if alert.entity_id == entity_id:
                    alert.status = AlertStatus.RESOLVED
                    alert.closed_at = now
                    alert.save(update_fields=["status", "closed_at", "updated_at"])
                    counts["resolved"] += 1
    return counts
