"""Validators and generators for the identifiers the registry stores (DOMAIN.md §1.1–1.3, §5.6).

The functions are pure (no database): each normalises its input and returns the normalised
value or raises ``django.core.exceptions.ValidationError`` with a specific ``code``
(``invalid_uscc``, ``invalid_approval_number``, ``invalid_licence_number``,
``invalid_id_number``). Messages are English sentences marked for translation.
"""

from yaojian.registry.identifiers._text import normalise_identifier
from yaojian.registry.identifiers.approval_numbers import (
    DrugApprovalNumber,
    parse_drug_approval_number,
)
from yaojian.registry.identifiers.licences import (
    make_drug_distribution_licence_number,
    make_drug_manufacturing_licence_number,
    validate_licence_number,
)
from yaojian.registry.identifiers.persons import (
    id_card_check_character,
    make_id_card_number,
    mask_id_card_number,
    mask_phone,
    validate_id_card_number,
)
from yaojian.registry.identifiers.provinces import (
    PROVINCE_ABBREVIATIONS,
    province_code_for_abbreviation,
)
from yaojian.registry.identifiers.uscc import (
    make_unified_social_credit_code,
    org_code_check_character,
    uscc_check_character,
    uscc_region_code,
    validate_unified_social_credit_code,
)

__all__ = [
    "PROVINCE_ABBREVIATIONS",
    "DrugApprovalNumber",
    "id_card_check_character",
    "make_drug_distribution_licence_number",
    "make_drug_manufacturing_licence_number",
    "make_id_card_number",
    "make_unified_social_credit_code",
    "mask_id_card_number",
    "mask_phone",
    "normalise_identifier",
    "org_code_check_character",
    "parse_drug_approval_number",
    "province_code_for_abbreviation",
    "uscc_check_character",
    "uscc_region_code",
    "validate_id_card_number",
    "validate_licence_number",
    "validate_unified_social_credit_code",
]
