"""The portal's publication rules understand enforcement's own penalty kinds."""

from yaojian.enforcement.choices import PenaltyKind
from yaojian.portal import rules


def test_enforcement_kinds_that_may_never_stop_early():
    for kind in (
        PenaltyKind.SUSPEND_BUSINESS,
        PenaltyKind.REVOKE_LICENCE,
        PenaltyKind.BAN_PERSON,
        PenaltyKind.AGREEMENT_TERMINATION,
    ):
        assert not rules.may_stop_early([PenaltyKind.FINE, kind])
    assert rules.may_stop_early([PenaltyKind.FINE])


def test_enforcement_warning_kind_is_the_portals():
    assert PenaltyKind.WARNING in rules.warning_kinds()
