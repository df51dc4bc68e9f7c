"""Domain events of inspections, published after commit (credit and risk react to them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InspectionFindingRecorded:
    """An inspection recorded a finding (credit lowers the entity's grade on critical ones)."""

    inspection_public_id: str
    finding_id: int
    entity_id: int
    department_id: int
    severity: str
    clause: str
    inspected_on: str


@dataclass(frozen=True)
class InspectionPassed:
    """An inspection found nothing to correct."""

    inspection_public_id: str
    entity_id: int
    department_id: int
    inspected_on: str


@dataclass(frozen=True)
class SampleFailed:
    """A sample failed its laboratory test: a risk signal for the product class."""

    sample_public_id: str
    sample_number: str
    entity_id: int
    department_id: int
    product_name: str
    risk_class: str
    failed_items: str
    result_on: str
