import pytest

from yaojian.portal import masking


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张某某"),
        ("张三丰", "张某某"),
        ("欧阳娜娜", "欧阳某某"),
        ("司马光", "司马某某"),
        ("诸葛亮", "诸葛某某"),
        ("欧阳", "欧某某"),  # a two-character name is surname + given name
        ("阿卜杜·热合曼", "阿某某"),
        ("扎西多吉", "扎某某"),
        ("  李四 ", "李某某"),
        ("", ""),
    ],
)
def test_person_names_keep_only_the_surname(name, masked):
    assert masking.mask_person_name(name) == masked


def test_identity_card_numbers_are_removed():
    text = "当事人身份证号540102199001011233，旧证540102900101123。"
    assert masking.scrub_text(text) == "当事人身份证号***，旧证***。"


def test_an_all_digit_run_with_a_wrong_check_digit_is_kept():
    # Not an identity-card number (check digit wrong): e.g. a long case reference.
    assert masking.scrub_text("编号540102199001011234") == "编号540102199001011234"


def test_credit_codes_are_kept():
    assert masking.scrub_text("代码91540100MA6T3XYZ0A。") == "代码91540100MA6T3XYZ0A。"


@pytest.mark.parametrize(
    "phone",
    ["13912345678", "139-1234-5678", "+86 13912345678", "0891-6331234", "（0891）6331234"],
)
def test_telephone_numbers_are_removed(phone):
    assert masking.scrub_text(f"电话{phone}。") == "电话***。"


def test_amounts_and_dates_are_not_taken_for_numbers():
    text = "2025年9月26日，罚款人民币50000元，没收12000元。"
    assert masking.scrub_text(text) == text


def test_names_in_text_are_replaced_longest_first():
    text = "张三丰与张三共同销售。"
    assert (
        masking.scrub_text(text, names=[("张三", "张某某"), ("张三丰", "张某某")])
        == "张某某与张某某共同销售。"
    )


def test_addresses_are_trimmed_to_the_county():
    names = ["西藏自治区", "拉萨市", "城关区"]
    assert masking.mask_address("西藏自治区拉萨市城关区北京中路12号", names) == (
        "西藏自治区拉萨市城关区"
    )
    assert masking.mask_address("城关区八廓街5号2单元", names) == "城关区"
    assert masking.mask_address("北京中路12号", names) == "西藏自治区拉萨市城关区"


def test_contains_personal_numbers():
    assert masking.contains_personal_numbers("电话13912345678")
    assert not masking.contains_personal_numbers("罚款5000元")


def test_street_addresses_in_text_are_trimmed_to_the_county():
    names = ["西藏自治区", "拉萨市", "城关区"]
    assert (
        masking.trim_addresses("在拉萨市城关区北京中路12号无证销售药品。", names)
        == "在拉萨市城关区无证销售药品。"
    )
    assert masking.trim_addresses("住城关区纳金乡塔玛村3组。", names) == "住城关区。"
    # Prose naming the county without a house number stays.
    text = "城关区市场监督管理局依法作出决定书文号。"
    assert masking.trim_addresses(text, names) == text
