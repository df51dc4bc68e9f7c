"""The fast path of GS1 parsing gives biip's answer, or hands the code to biip."""

from __future__ import annotations

import pytest

from yaojian.traceability.engine import codes
from yaojian.traceability.engine.generator import gtin14

GS = codes.GS


def _spellings(n: int) -> list[str]:
    gtin = gtin14(n)
    serial = f"SN{n:013d}"
    return [
        f"(01){gtin}(17)271231(21){serial}",
        f"]d201{gtin}17271231{GS}21{serial}",
        f"01{gtin}21{serial}{GS}17271231",
        f"01{gtin}10LOT{n % 97}{GS}21{serial}",
        f"(01){gtin}(21){serial}(10)B{n}",
        f"]C101{gtin}11260301{GS}21{serial}{GS}",
    ]


BROKEN = [
    "(01)06900000000011(21)SN1",  # wrong check digit
    "(01)06900000000012(17)271331(21)SN1",  # month 13
    "(01)06900000000012(17)270200(21)SN1",  # day 00: biip decides
    "0106900000000012",  # no serial
    "(01)06900000000012(21)",  # empty serial
    "(01)06900000000012(21)SN 1",  # a space in the serial
    "(01)06900000000012(21)SN-1/2",  # CSET 82, not plain alphanumeric: biip decides
    "(01)06900000000012(21)123456789012345678901",  # serial longer than 20
    "(01)06900000000012(21)A(21)B",  # AI twice
    "(01)06900000000012(99)X(21)SN1",  # another AI: biip decides
    f"0106900000000012{GS}{GS}21SN1",
    "(01)0690000000001(21)SN1",  # GTIN one digit short
]


@pytest.mark.parametrize("value", [s for n in range(1, 400, 7) for s in _spellings(n)] + BROKEN)
def test_fast_path_agrees_with_biip(value: str) -> None:
    raw = codes.strip_symbology(value)
    fast = codes._fast_gs1(raw)
    slow = codes._parse_gs1_biip(raw)
    if fast is not None:
        assert fast == slow
    assert codes.parse_trace_code(value).key == slow.key
    assert bool(codes.parse_trace_code(value).reason) == bool(slow.reason)


def test_the_fast_path_takes_the_generators_spellings() -> None:
    for n in range(1, 50):
        for value in _spellings(n):
            assert codes._fast_gs1(codes.strip_symbology(value)) is not None, value
