"""Identifier validators: examples from DOMAIN.md §1.1–1.3 and property tests (no database)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from yaojian.registry.choices import LicenceKind
from yaojian.registry.identifiers import (
    PROVINCE_ABBREVIATIONS,
    DrugApprovalNumber,
    id_card_check_character,
    make_drug_distribution_licence_number,
    make_drug_manufacturing_licence_number,
    make_id_card_number,
    make_unified_social_credit_code,
    mask_id_card_number,
    mask_phone,
    normalise_identifier,
    org_code_check_character,
    parse_drug_approval_number,
    province_code_for_abbreviation,
    uscc_check_character,
    uscc_region_code,
    validate_id_card_number,
    validate_licence_number,
    validate_unified_social_credit_code,
)

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
DIGITS = "0123456789"
PROPERTY = settings(max_examples=200, deadline=None)
MAINLAND = sorted(set(PROVINCE_ABBREVIATIONS) - {"71", "81", "82"})


def messages(excinfo: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [str(message) for message in excinfo.value.messages]


def fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


# --- normalise_identifier -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("９１１１０ＡＢ", "91110AB"),
        (" 9111-0000\u30006000 ", "911100006000"),
        ("ab\u2013c\u2014d", "ABCD"),
        ("\u200b91\ufeff", "91"),
        ("", ""),
    ],
)
def test_normalise_identifier(value, expected):
    assert normalise_identifier(value) == expected


# --- USCC -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91110000600037341L",  # python-stdnum's sample
        "91350100M000100Y43",  # the GB 32100 sample
        "9144030071526726XG",  # embedded org-code check character X
        "91440300MA5DLQQW0F",  # MA-series organisation code (public data)
        "Y1110000000000000Q",  # 其他 registration authority
        "N2110105MA00000074",  # 农业: python-stdnum rejects N…
        "A1110000123456788L",  # 中央军委编办: python-stdnum rejects A…
        "12540000MB0000019W",  # a Tibetan 事业单位
        "52540102MJ1234561H",  # a 民办非企业 in 城关区
    ],
)
def test_valid_unified_social_credit_codes(code):
    assert validate_unified_social_credit_code(code) == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("91110000600037341l", "91110000600037341L"),
        ("9 1 110000 600037341L", "91110000600037341L"),
        ("91-110000-600037341-L", "91110000600037341L"),
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),
        ("\u300091350100m000100y43\u3000", "91350100M000100Y43"),
    ],
)
def test_unified_social_credit_code_is_normalised(value, expected):
    assert validate_unified_social_credit_code(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "91110000600037341M",
            "The check character (the last one) of unified social credit code "
            "91110000600037341M does not match the other characters; check the code for typing "
            "errors.",
        ),
        (
            "911100006000373",
            "A unified social credit code has 18 characters; “911100006000373” has 15.",
        ),
        ("", "A unified social credit code has 18 characters; “” has 0."),
        (
            "91110000600037341L0",
            "A unified social credit code has 18 characters; “91110000600037341L0” has 19.",
        ),
        (
            "91110000600O37341L",
            "Character 12 of the unified social credit code, “O”, is not allowed: use digits and "
            "capital letters other than I, O, Z, S and V.",
        ),
        (
            "V1110000600037341L",
            "Character 1 of the unified social credit code, “V”, is not allowed: use digits and "
            "capital letters other than I, O, Z, S and V.",
        ),
        (
            "9111000060003734\x001",
            "Character 17 of the unified social credit code, “U+0000”, is not allowed: use "
            "digits and capital letters other than I, O, Z, S and V.",
        ),
        (
            "9111A000600037341L",
            "Characters 3 to 8 of a unified social credit code are a region code and must be "
            "digits, but they are “11A000”.",
        ),
        (
            # Correct MOD 31 character, wrong GB 11714 character (DOMAIN.md's synthetic sample).
            "A1110000123456789P",
            "Characters 9 to 17 of unified social credit code A1110000123456789P are an "
            "organisation code whose check character (character 17) is wrong; check the code "
            "for typing errors.",
        ),
    ],
)
def test_invalid_unified_social_credit_codes(value, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_unified_social_credit_code(value)
    assert excinfo.value.code == "invalid_uscc"
    assert messages(excinfo) == [message]


@pytest.mark.parametrize(
    ("first17", "expected"),
    [("91110000600037341", "L"), ("91350100M000100Y4", "3"), ("9144030071526726X", "G")],
)
def test_uscc_check_character(first17, expected):
    assert uscc_check_character(first17) == expected


@pytest.mark.parametrize(
    ("first8", "expected"),
    [
        ("60003734", "1"),
        ("M000100Y", "4"),
        ("80210043", "3"),
        ("10001288", "5"),
        ("71526726", "X"),
        ("00000000", "0"),
    ],
)
def test_org_code_check_character(first8, expected):
    assert org_code_check_character(first8) == expected


@pytest.mark.parametrize("bad", ["9111000060003734", "9111000060003734IL", "91110000600O37341"])
def test_uscc_check_character_refuses_bad_input(bad):
    with pytest.raises(ValueError, match="expected 17 characters"):
        uscc_check_character(bad)


@pytest.mark.parametrize("bad", ["6000373", "600037341", "6000-37!4"])
def test_org_code_check_character_refuses_bad_input(bad):
    with pytest.raises(ValueError, match="expected 8 digits or capital letters"):
        org_code_check_character(bad)


def test_uscc_region_code():
    assert uscc_region_code("91350100m000100y43") == "350100"
    with pytest.raises(ValidationError):
        uscc_region_code("91350100M000100Y44")


def test_make_unified_social_credit_code():
    assert make_unified_social_credit_code("91", "110000", "60003734") == "91110000600037341L"
    assert make_unified_social_credit_code("n2", "110105", "ma000000") == "N2110105MA00000074"


@pytest.mark.parametrize(
    ("prefix", "region", "org8"),
    [
        ("9", "110000", "60003734"),
        ("9I", "110000", "60003734"),
        ("91", "11000", "60003734"),
        ("91", "11000A", "60003734"),
        ("91", "110000", "6000373"),
        ("91", "110000", "6000373O"),
    ],
)
def test_make_unified_social_credit_code_refuses_bad_parts(prefix, region, org8):
    with pytest.raises(ValueError, match="must be"):
        make_unified_social_credit_code(prefix, region, org8)


uscc_parts = st.tuples(
    st.text(ALPHABET, min_size=2, max_size=2),
    st.text(DIGITS, min_size=6, max_size=6),
    st.text(ALPHABET, min_size=8, max_size=8),
)


@PROPERTY
@given(uscc_parts)
def test_every_generated_uscc_is_valid(parts):
    prefix, region, org8 = parts
    code = make_unified_social_credit_code(prefix, region, org8)
    assert validate_unified_social_credit_code(code) == code
    assert code[:2] == prefix
    assert uscc_region_code(code) == region
    assert code[8:16] == org8


@settings(max_examples=60, deadline=None)
@given(uscc_parts)
def test_every_single_character_corruption_of_a_uscc_fails(parts):
    code = make_unified_social_credit_code(*parts)
    for position in range(18):
        for symbol in ALPHABET.replace(code[position], ""):
            corrupted = code[:position] + symbol + code[position + 1 :]
            with pytest.raises(ValidationError):
                validate_unified_social_credit_code(corrupted)


@PROPERTY
@given(uscc_parts, st.data())
def test_uscc_variants_normalise_to_the_same_code(parts, data):
    code = make_unified_social_credit_code(*parts)
    pieces = []
    for ch in code:
        pieces.append(data.draw(st.sampled_from([" ", "\u3000", "-", "\t", ""])))
        pieces.append(data.draw(st.sampled_from([ch, ch.lower(), fullwidth(ch)])))
    pieces.append(data.draw(st.sampled_from([" ", "\u3000", ""])))
    assert validate_unified_social_credit_code("".join(pieces)) == code


# --- Drug approval numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "国药准字H20203456",
            ("国药准字H20203456", "reg_2020", "domestic", "H", 2020, ""),
        ),
        # Ambiguous: 2020 rules (year 2020) or legacy (source 20 = SDA); year >= 2020 → 2020 rules.
        (
            "国药准字Z20200001",
            ("国药准字Z20200001", "reg_2020", "domestic", "Z", 2020, ""),
        ),
        (
            "国药准字S20190001",
            ("国药准字S20190001", "legacy_2002", "", "S", 2019, ""),
        ),
        (
            "国药准字HC20210001",
            ("国药准字HC20210001", "reg_2020", "hmt", "H", 2021, ""),
        ),
        (
            "国药准字SJ20170008",
            ("国药准字SJ20170008", "reg_2020", "foreign", "S", 2017, ""),
        ),
        (
            "国药准字Z54020113",  # 西藏奇正藏药, provincial source 54
            ("国药准字Z54020113", "legacy_2002", "", "Z", 2002, "54"),
        ),
        (
            "国药准字Z63020123",
            ("国药准字Z63020123", "legacy_2002", "", "Z", 2002, "63"),
        ),
        (
            "国药准字H10970001",  # source 10 = Ministry of Health
            ("国药准字H10970001", "legacy_2002", "", "H", 1997, ""),
        ),
        (
            "国药准字H19990001",
            ("国药准字H19990001", "legacy_2002", "", "H", 1999, ""),
        ),
        (
            "国药准字B20020001",
            ("国药准字B20020001", "legacy_2002", "", "B", 2002, ""),
        ),
        (
            "国药准字J20200001",  # J (imported, packaged) exists only in the legacy scheme
            ("国药准字J20200001", "legacy_2002", "", "J", 2020, ""),
        ),
        (
            "国药试字Z20200001",
            ("国药试字Z20200001", "legacy_2002", "", "Z", 2020, ""),
        ),
        (
            "国药准字 ｈ２００２００１８",
            ("国药准字H20020018", "legacy_2002", "", "H", 2002, ""),
        ),
        (
            "藏药制字Z20080012",
            ("藏药制字Z20080012", "hospital_preparation", "domestic", "Z", 2008, ""),
        ),
        (
            "青药制字H20150003",
            ("青药制字H20150003", "hospital_preparation", "domestic", "H", 2015, ""),
        ),
        (
            "苏药制字Z04000423",  # an older provincial numbering: no 4-digit year
            ("苏药制字Z04000423", "hospital_preparation", "domestic", "Z", None, ""),
        ),
        (
            "藏药制备字Z20190001000",
            ("藏药制备字Z20190001000", "hospital_preparation", "domestic", "Z", 2019, ""),
        ),
    ],
)
def test_parse_drug_approval_number(value, expected):
    normalised, scheme, origin, category, year, province_code = expected
    assert parse_drug_approval_number(value) == DrugApprovalNumber(
        raw=value,
        normalised=normalised,
        scheme=scheme,
        origin=origin,
        category=category,
        year=year,
        province_code=province_code,
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter a drug approval number."),
        (
            "卫药准字H20020018",
            "“卫药准字H20020018” is not a drug approval number: expected 国药准字 with a letter "
            "and 8 digits (for example 国药准字H20203456) or a hospital preparation number "
            "(for example 藏药制字Z20080012).",
        ),
        (
            "国药准字X20020018",
            "After 国药准字 a drug approval number has a category letter (H, Z or S; B, T, F or J "
            "on older numbers), then C or J for drugs made in Hong Kong, Macao, Taiwan or "
            "abroad, then 8 digits; “国药准字X20020018” does not fit.",
        ),
        (
            "国药准字Z99020113",
            "In drug approval number 国药准字Z99020113, digits 1 and 2 (“99”) name where the "
            "approval came from and must be 10, 19, 20 or a province code.",
        ),
        (
            "港药制字Z20080012",
            "Hospital preparation number 港药制字Z20080012 must start with the abbreviation of a "
            "mainland province, autonomous region or municipality, not “港”.",
        ),
        (
            "藏药制字S20080012",
            "A hospital preparation number is a province abbreviation, 药制字, H or Z and 8 "
            "digits (for example 藏药制字Z20080012); a filed traditional preparation has "
            "药制备字, Z and 11 digits. “藏药制字S20080012” does not fit.",
        ),
    ],
)
def test_invalid_drug_approval_numbers(value, message):
    with pytest.raises(ValidationError) as excinfo:
        parse_drug_approval_number(value)
    assert excinfo.value.code == "invalid_approval_number"
    assert messages(excinfo) == [message]


@pytest.mark.parametrize(
    "value",
    [
        "国药准字H2020345",
        "国药准字H202034567",
        "国药准字HJ54020113",  # C/J numbers carry a year
        "国药准字BJ20200001",  # C/J only after H, Z or S
        "国药试字HJ20200001",
        "藏药制字Z2008001",
        "藏药制备字H20190001000",
        "藏药制备字Z2019000100",
        "药制字Z20080012",
    ],
)
def test_malformed_drug_approval_numbers_fail(value):
    with pytest.raises(ValidationError) as excinfo:
        parse_drug_approval_number(value)
    assert excinfo.value.code == "invalid_approval_number"


@PROPERTY
@given(st.sampled_from("HZS"), st.integers(2020, 2099), st.integers(0, 9999))
def test_domestic_numbers_from_2020_on_follow_the_2020_rules(category, year, seq):
    parsed = parse_drug_approval_number(f"国药准字{category}{year}{seq:04d}")
    assert (parsed.scheme, parsed.origin, parsed.year) == ("reg_2020", "domestic", year)


@PROPERTY
@given(st.sampled_from("HZSBTFJ"), st.sampled_from(MAINLAND), st.integers(0, 999_999))
def test_provincial_legacy_numbers_carry_the_province(category, province, rest):
    parsed = parse_drug_approval_number(f"国药准字{category}{province}{rest:06d}")
    assert (parsed.scheme, parsed.origin, parsed.province_code) == ("legacy_2002", "", province)


# --- Provinces --------------------------------------------------------------------------------


def test_province_abbreviations():
    assert len(PROVINCE_ABBREVIATIONS) == 34
    assert len(set(PROVINCE_ABBREVIATIONS.values())) == 34
    assert PROVINCE_ABBREVIATIONS["54"] == "藏"
    assert PROVINCE_ABBREVIATIONS["11"] == "京"
    assert {PROVINCE_ABBREVIATIONS[code] for code in ("71", "81", "82")} == {"台", "港", "澳"}


@pytest.mark.parametrize(
    ("abbreviation", "code"),
    [("藏", "54"), ("青", "63"), ("琼", "46"), (" 港 ", "81"), ("贵", None), ("", None)],
)
def test_province_code_for_abbreviation(abbreviation, code):
    assert province_code_for_abbreviation(abbreviation) == code


# --- Licence numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (LicenceKind.DRUG_MANUFACTURING, "京20200001", "京20200001"),
        (LicenceKind.DRUG_MANUFACTURING, "藏 2016 0003", "藏20160003"),
        (LicenceKind.DRUG_DISTRIBUTION, "琼AA898000001", "琼AA898000001"),
        (LicenceKind.DRUG_DISTRIBUTION, "琼ca898510001", "琼CA898510001"),
        (LicenceKind.DRUG_DISTRIBUTION, "藏AA8910001", "藏AA8910001"),  # older, 7 digits
        (LicenceKind.DRUG_DISTRIBUTION, "藏DB89100012", "藏DB89100012"),  # older, 8 digits
        (
            LicenceKind.DEVICE_DISTRIBUTION,
            "藏拉药监械经营许20240001号",
            "藏拉药监械经营许20240001号",
        ),
        (LicenceKind.DEVICE_DISTRIBUTION, "京食药监械经营许20150001", "京食药监械经营许20150001号"),
        (LicenceKind.DEVICE_FILING, "藏拉食药监械经营备20160012号", "藏拉食药监械经营备20160012号"),
        (LicenceKind.MEDICAL_PRACTICE, "PDY00003x54010212a1001", "PDY00003X54010212A1001"),
        (LicenceKind.ONLINE_SERVICE, "（藏）-非经营性-2020-0001", "(藏)-非经营性-2020-0001"),
        (LicenceKind.INSURANCE_AGREEMENT, "Y5401 0200 12", "Y5401020012"),
        (LicenceKind.OTHER, "A1", "A1"),
    ],
)
def test_valid_licence_numbers(kind, value, expected):
    assert validate_licence_number(kind, value) == expected


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (
            LicenceKind.DRUG_MANUFACTURING,
            "京2020001",
            "A drug manufacturing licence number is a province abbreviation, a 4-digit year and "
            "a 4-digit sequence number (for example 京20200001); “京2020001” does not fit.",
        ),
        (
            LicenceKind.DRUG_MANUFACTURING,
            "港20200001",
            "Licence number 港20200001 must start with the abbreviation of a mainland province, "
            "autonomous region or municipality, not “港”.",
        ),
        (
            LicenceKind.DRUG_DISTRIBUTION,
            "琼EA898000001",
            "A drug distribution licence number is a province abbreviation, a letter from A to "
            "D, the letter A or B, and 9 digits (for example 琼AA898000001; licences issued "
            "before 2024 have 7 or 8 digits); “琼EA898000001” does not fit.",
        ),
        (
            LicenceKind.DEVICE_FILING,
            "藏拉药监械经营许20240001号",
            "A medical-device distribution filing number has the form 藏拉药监械经营备20240001号: "
            "province and city abbreviations, a 4-digit year and a 4-digit serial number; "
            "“藏拉药监械经营许20240001号” does not fit.",
        ),
        (
            LicenceKind.MEDICAL_PRACTICE,
            "<script>",
            "A licence number has 2 to 64 characters: letters, digits, Chinese characters, "
            "brackets and hyphens; “<script>” does not fit.",
        ),
    ],
)
def test_invalid_licence_numbers(kind, value, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_licence_number(kind, value)
    assert excinfo.value.code == "invalid_licence_number"
    assert messages(excinfo) == [message]


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (LicenceKind.DRUG_MANUFACTURING, "京30200001"),
        (LicenceKind.DRUG_MANUFACTURING, "X20200001"),
        (LicenceKind.DRUG_DISTRIBUTION, "琼AC898000001"),
        (LicenceKind.DRUG_DISTRIBUTION, "琼AA898000"),
        (LicenceKind.DRUG_DISTRIBUTION, "琼AA8980000011"),
        (LicenceKind.DRUG_DISTRIBUTION, "贵AA898000001"),
        (LicenceKind.DEVICE_DISTRIBUTION, "藏拉药监械经营备20240001号"),
        (LicenceKind.DEVICE_DISTRIBUTION, "藏拉药监械经营许2024001号"),
        (LicenceKind.DEVICE_DISTRIBUTION, "港药监械经营许20240001号"),
        (LicenceKind.OTHER, "A"),
        (LicenceKind.OTHER, "()-"),
        (LicenceKind.OTHER, "A" * 65),
        (LicenceKind.OTHER, "AB\x07CD"),
        (LicenceKind.HOSPITAL_PREPARATION, "藏20200001;DROP"),
    ],
)
def test_malformed_licence_numbers_fail(kind, value):
    with pytest.raises(ValidationError) as excinfo:
        validate_licence_number(kind, value)
    assert excinfo.value.code == "invalid_licence_number"


def test_unknown_licence_kind_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_licence_number("passport", "E12345678")
    assert excinfo.value.code == "invalid_licence_kind"
    assert messages(excinfo) == ["“passport” is not a kind of licence."]


def test_make_licence_numbers():
    assert make_drug_distribution_licence_number("46", "AA", "8980", 1) == "琼AA898000001"
    assert make_drug_distribution_licence_number("540102", "ca", "8911", 12) == "藏CA891100012"
    assert make_drug_manufacturing_licence_number("110000", 2020, 1) == "京20200001"


@pytest.mark.parametrize(
    "arguments",
    [
        ("81", "AA", "8980", 1),
        ("46", "EA", "8980", 1),
        ("46", "AA", "898", 1),
        ("46", "AA", "8980", 100_000),
    ],
)
def test_make_drug_distribution_licence_number_refuses_bad_parts(arguments):
    with pytest.raises(ValueError):  # noqa: PT011
        make_drug_distribution_licence_number(*arguments)


@PROPERTY
@given(
    st.sampled_from(MAINLAND),
    st.text("ABCD", min_size=1, max_size=1),
    st.text("AB", min_size=1, max_size=1),
    st.text(DIGITS, min_size=4, max_size=4),
    st.integers(0, 99_999),
)
def test_generated_distribution_licence_numbers_are_valid(province, first, second, area, seq):
    number = make_drug_distribution_licence_number(province, first + second, area, seq)
    assert validate_licence_number(LicenceKind.DRUG_DISTRIBUTION, number) == number


@PROPERTY
@given(st.sampled_from(MAINLAND), st.integers(1900, 2099), st.integers(0, 9999))
def test_generated_manufacturing_licence_numbers_are_valid(province, year, seq):
    number = make_drug_manufacturing_licence_number(province, year, seq)
    assert validate_licence_number(LicenceKind.DRUG_MANUFACTURING, number) == number


# --- Identity card numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11010519491231002X", "11010519491231002X"),  # GB 11643's sample
        ("11010519491231002x", "11010519491231002X"),
        ("440524188001010014", "440524188001010014"),  # born 1880
        (" 540102 19900101 125x ", "54010219900101125X"),
        ("８３００００１９９００１０１００１２", "830000199001010012"),  # Taiwan residence permit
    ],
)
def test_valid_id_card_numbers(value, expected):
    assert validate_id_card_number(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "110105194912310021",
            "The check character (the last one) of identity card number 110105********0021 "
            "does not match the other digits; check the number for typing errors.",
        ),
        (
            "11010519491231002",
            "An identity card number has 17 digits followed by a digit or X; "
            "“110105*******1002” does not fit.",
        ),
        (
            "110105194902300025",
            "Digits 7 to 14 of an identity card number are a date of birth (YYYYMMDD), and "
            "“19490230” is not a possible one.",
        ),
        (
            "990105194912310021",
            "Digits 1 to 6 of an identity card number are a region code, and “990105” does not "
            "start with a province code.",
        ),
    ],
)
def test_invalid_id_card_numbers(value, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_id_card_number(value)
    assert excinfo.value.code == "invalid_id_number"
    assert messages(excinfo) == [message]


def test_id_card_number_born_tomorrow_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        validate_id_card_number(make_id_card_number("540102", tomorrow, 1))
    assert excinfo.value.code == "invalid_id_number"
    assert validate_id_card_number(make_id_card_number("540102", timezone.localdate(), 1))


def test_id_card_check_character():
    assert id_card_check_character("11010519491231002") == "X"
    assert id_card_check_character("44052418800101001") == "4"
    with pytest.raises(ValueError, match="expected 17 digits"):
        id_card_check_character("1101051949123100X")


def test_make_id_card_number():
    assert make_id_card_number("110105", datetime.date(1949, 12, 31), 2) == "11010519491231002X"
    with pytest.raises(ValueError, match="seq must be"):
        make_id_card_number("110105", datetime.date(1949, 12, 31), 1000)
    with pytest.raises(ValueError, match="region must be"):
        make_id_card_number("11010", datetime.date(1949, 12, 31), 1)


id_card_parts = st.tuples(
    st.builds(
        lambda p, rest: p + rest,
        st.sampled_from(sorted(PROVINCE_ABBREVIATIONS)),
        st.text(DIGITS, min_size=4, max_size=4),
    ),
    st.dates(datetime.date(1900, 1, 1), datetime.date(2020, 12, 31)),
    st.integers(0, 999),
)


@PROPERTY
@given(id_card_parts)
def test_every_generated_id_card_number_is_valid(parts):
    number = make_id_card_number(*parts)
    assert validate_id_card_number(number) == number
    assert number[6:14] == parts[1].strftime("%Y%m%d")


@settings(max_examples=100, deadline=None)
@given(id_card_parts)
def test_every_single_character_corruption_of_an_id_card_number_fails(parts):
    number = make_id_card_number(*parts)
    for position in range(18):
        for symbol in (DIGITS + "X").replace(number[position], ""):
            corrupted = number[:position] + symbol + number[position + 1 :]
            with pytest.raises(ValidationError):
                validate_id_card_number(corrupted)


@PROPERTY
@given(id_card_parts, st.data())
def test_id_card_variants_normalise_to_the_same_number(parts, data):
    number = make_id_card_number(*parts)
    pieces = []
    for ch in number:
        pieces.append(data.draw(st.sampled_from([" ", "\u3000", ""])))
        pieces.append(data.draw(st.sampled_from([ch, ch.lower(), fullwidth(ch)])))
    assert validate_id_card_number("".join(pieces)) == number


# --- Masking ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("54010219900101123X", "540102********123X"),
        ("54010219900101123x", "540102********123X"),
        ("540102900101123", "540102*****1123"),  # an old 15-digit number
        ("1234", "***4"),
        ("", ""),
    ],
)
def test_mask_id_card_number(value, expected):
    assert mask_id_card_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+86 138-1234-5678", "+86 138****5678"),
        ("0891-6321234", "089****1234"),
        ("12", "**"),
    ],
)
def test_mask_phone(value, expected):
    assert mask_phone(value) == expected


@pytest.fixture(autouse=True)
def _english():
    """These tests compare the English source messages."""
    with translation.override("en"):
        yield


def test_messages_are_chinese_by_default():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as caught:
            validate_unified_social_credit_code("91110000600037341M")
        message = caught.value.messages[0]
    assert message.endswith("。")
    assert "统一社会信用代码" in message
