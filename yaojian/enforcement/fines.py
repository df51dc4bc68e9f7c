"""The fine calculator: the ranges of 《药品管理法》(2019) for a conduct and an amount.

Pure Python (no models, no database); DOMAIN.md §2.6. Amounts are in yuan, as ``Decimal``.

Kinds of rule:

* **multiple** of 货值金额 (value of the goods made or sold, sold and unsold) with a floor on the
  value: when the value is below the floor, the floor is used — 假药 worth 20,000 元 → the value
  counts as 100,000 元 → a fine of 1,500,000–3,000,000 元 (第116条).
* **fixed** range, whatever the value (GMP breaches not corrected after a warning 10万–50万,
  serious 50万–200万 (第126条); fraud 50万–500万 (第123条); bribes 30万–300万 (第141条)).
* **income**: for the responsible persons *inside an organisation* (``responsible_person=True``:
  法定代表人、主要负责人、直接负责的主管人员和其他责任人员), a share of the income they took
  from the unit in the period — 30%–3× (第118条, 第124条), 10%–50% (第126条); ``goods_value``
  is then that income. This is a separate penalty on a person, beside the organisation's own.

The party kind (``party_kind``: organisation, natural person, individual business) does not
change the grid: a street seller, an individual selling counterfeit drugs or a sole trader's
clinic is fined under the article's own grid (第115、116、124、133条 …) exactly as an
organisation is. 第118条 and the other individual bands apply only to responsible persons of an
organisation; asked for a party that is itself a natural person or an individual business, the
calculator refuses (:class:`FineNotApplicableError`).

Rounding: the base is rounded to the fen (0.01 元, ROUND_HALF_UP) before it is multiplied; the
bounds are exact multiples of it, rounded to the fen the same way. "以上/以下" include the bound
(程序规定 第84条), so both bounds are allowed fines.

Aggravating circumstances (第137条: narcotics, drugs for children or pregnant women, biologics,
injury, repeat offences, destroying evidence) call for a fine at the top of the range: the range
itself does not change, the explanation reminds the officer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

FEN = Decimal("0.01")
WAN = Decimal("10000")
DRUG_LAW = "《中华人民共和国药品管理法》"


class PartyKind:
    """The kinds of party (the values of ``enforcement.choices.PartyKind``)."""

    ORGANISATION = "organisation"
    NATURAL_PERSON = "natural_person"
    INDIVIDUAL_BUSINESS = "individual_business"
    ALL = (ORGANISATION, NATURAL_PERSON, INDIVIDUAL_BUSINESS)


class FineNotApplicableError(ValueError):
    """The conduct has no fine for these circumstances (e.g. an individual, not serious)."""


@dataclass(frozen=True)
class FineRange:
    """The lawful range of a fine, the article that sets it and how it was computed."""

    minimum: Decimal
    maximum: Decimal
    article: str  # 《中华人民共和国药品管理法》第一百一十六条
    explanation: str  # the rule, in the user's language
    basis: str  # the amount the multiples apply to, and why (floor applied or not)


@dataclass(frozen=True)
class Band:
    """One range: multiples of a base (``kind`` multiple/income) or fixed amounts."""

    kind: str  # "multiple" | "income" | "fixed"
    low: Decimal
    high: Decimal
    floor: Decimal | None = None  # value floor (multiple kind only)


@dataclass(frozen=True)
class Conduct:
    """A conduct the Drug Administration Law fines, with its bands."""

    code: str
    label_zh: str
    label_en: str
    article_number: int
    article: str
    band: Band
    serious_band: Band | None = None
    retail_floor: Decimal | None = None  # floor for retail (劣药: 1万)
    individual_band: Band | None = None  # on the responsible individuals
    individual_only_if_serious: bool = False
    warning_first: bool = False  # the fine applies only if not corrected after a warning
    individual_article: str = ""  # where the individual band is set, when another article


def _m(low: str, high: str, floor: str | None = None) -> Band:
    return Band("multiple", Decimal(low), Decimal(high), Decimal(floor) if floor else None)


def _fixed(low: str, high: str) -> Band:
    return Band("fixed", Decimal(low), Decimal(high))


def _income(low: str, high: str, floor: str | None = None) -> Band:
    return Band("income", Decimal(low), Decimal(high), Decimal(floor) if floor else None)


INDIVIDUAL_30_300 = _income("0.3", "3")

CONDUCTS: dict[str, Conduct] = {
    c.code: c
    for c in (
        Conduct(
            "unlicensed",
            "未取得许可证生产、经营药品或者配制制剂",
            "Making or selling drugs, or preparing preparations, without a licence",
            115,
            f"{DRUG_LAW}第一百一十五条",
            _m("15", "30", "100000"),
        ),
        Conduct(
            "counterfeit",
            "生产、销售假药",
            "Making or selling counterfeit drugs",
            116,
            f"{DRUG_LAW}第一百一十六条",
            _m("15", "30", "100000"),
            individual_band=INDIVIDUAL_30_300,
            individual_article=f"{DRUG_LAW}第一百一十八条",
        ),
        Conduct(
            "substandard",
            "生产、销售劣药",
            "Making or selling substandard drugs",
            117,
            f"{DRUG_LAW}第一百一十七条",
            _m("10", "20", "100000"),
            retail_floor=Decimal("10000"),
            individual_band=INDIVIDUAL_30_300,
            individual_only_if_serious=True,
            individual_article=f"{DRUG_LAW}第一百一十八条",
        ),
        Conduct(
            "substandard_tcm_pieces",
            "生产、销售的中药饮片不符合药品标准，尚不影响安全性、有效性",
            "Chinese herbal pieces below standard without affecting safety or efficacy",
            117,
            f"{DRUG_LAW}第一百一十七条第二款",
            _fixed("100000", "500000"),
        ),
        Conduct(
            "counterfeit_use",
            "药品使用单位使用假药",
            "A medical institution using counterfeit drugs",
            119,
            f"{DRUG_LAW}第一百一十九条",
            _m("15", "30", "100000"),
        ),
        Conduct(
            "substandard_use",
            "药品使用单位使用劣药",
            "A medical institution using substandard drugs",
            119,
            f"{DRUG_LAW}第一百一十九条",
            _m("10", "20", "10000"),
        ),
        Conduct(
            "storage_transport",
            "为假药、劣药提供储存、运输等便利条件",
            "Storing or transporting counterfeit or substandard drugs",
            120,
            f"{DRUG_LAW}第一百二十条",
            _income("1", "5", "50000"),
            serious_band=_income("5", "15", "50000"),
        ),
        Conduct(
            "forged_licence",
            "伪造、变造、出租、出借、非法买卖许可证或者药品批准证明文件",
            "Forging, altering, renting, lending or trading licences or approvals",
            122,
            f"{DRUG_LAW}第一百二十二条",
            _income("1", "5", "100000"),
            serious_band=_income("5", "15", "100000"),
            individual_band=_fixed("20000", "200000"),
            individual_only_if_serious=True,
        ),
        Conduct(
            "fraudulent_approval",
            "提供虚假的证明、数据、资料、样品或者采取其他手段骗取许可",
            "Obtaining a licence or approval by fraud",
            123,
            f"{DRUG_LAW}第一百二十三条",
            _fixed("500000", "5000000"),
            individual_band=_fixed("20000", "200000"),
            individual_only_if_serious=True,
        ),
        Conduct(
            "unapproved_drug",
            "未取得药品批准证明文件生产、进口药品等违法行为",
            "Making or importing drugs without approval, banned drugs, skipped testing, "
            "falsified records and the like",
            124,
            f"{DRUG_LAW}第一百二十四条",
            _m("15", "30", "100000"),
            individual_band=INDIVIDUAL_30_300,
            individual_only_if_serious=True,
        ),
        Conduct(
            "quality_practice_breach",
            "未遵守药品生产、经营质量管理规范等",
            "Breaching good manufacturing, supply, laboratory or clinical practice",
            126,
            f"{DRUG_LAW}第一百二十六条",
            _fixed("100000", "500000"),
            serious_band=_fixed("500000", "2000000"),
            individual_band=_income("0.1", "0.5"),
            individual_only_if_serious=True,
            warning_first=True,
        ),
        Conduct(
            "no_traceability",
            "未按照规定建立并实施药品追溯制度等",
            "No drug traceability system, no annual report and the like",
            127,
            f"{DRUG_LAW}第一百二十七条",
            _fixed("100000", "500000"),
            warning_first=True,
        ),
        Conduct(
            "unqualified_source",
            "从不具有资质的企业购进药品",
            "Buying drugs from a supplier without the required qualifications",
            129,
            f"{DRUG_LAW}第一百二十九条",
            _m("2", "10", "50000"),
            serious_band=_m("10", "30", "50000"),
        ),
        Conduct(
            "hospital_preparation_sale",
            "医疗机构将其配制的制剂在市场上销售",
            "A medical institution selling its own preparations on the market",
            133,
            f"{DRUG_LAW}第一百三十三条",
            _m("2", "5", "50000"),
            serious_band=_m("5", "15", "50000"),
        ),
        Conduct(
            "bribery",
            "在药品购销中给予、收受回扣或者其他不正当利益",
            "Giving or taking kickbacks or other improper benefits in drug sales",
            141,
            f"{DRUG_LAW}第一百四十一条",
            _fixed("300000", "3000000"),
        ),
    )
}


def _yuan(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def _show(value: Decimal) -> str:
    return f"{_yuan(value):,.2f}"


def calculate_fine(
    conduct: str,
    goods_value: Decimal,
    *,
    retail: bool = False,
    serious: bool = False,
    party_kind: str = PartyKind.ORGANISATION,
    responsible_person: bool = False,
) -> FineRange:
    """The range of the fine for ``conduct`` (a key of :data:`CONDUCTS`).

    ``goods_value`` is the 货值金额 for value-based conducts, the illegal income (违法收入 /
    违法所得) for income-based ones, and — with ``responsible_person`` — the income the
    responsible person took from the organisation (第118条 and the like). ``party_kind`` is the
    kind of party; a natural person or an individual business is fined on the article's own
    grid, and has no "responsible person" inside it. ``retail`` selects the retail floor (劣药: 1万 instead of
    10万). ``serious`` (情节严重) selects the serious band where the article has one.
    ``ValueError`` for an unknown conduct or a negative or non-Decimal amount;
    :class:`FineNotApplicableError` when the article fines no individual in these circumstances.
    """
    rule = CONDUCTS.get(conduct)
    if rule is None:
        raise ValueError(_("%(code)s is not a known conduct.") % {"code": conduct})
    if isinstance(goods_value, float) or not isinstance(goods_value, Decimal | int):
        raise ValueError(_("The amount must be a Decimal number of yuan."))
    value = Decimal(goods_value)
    if not value.is_finite() or value < 0:
        raise ValueError(_("The amount must be zero or more."))
    value = _yuan(value)
    if party_kind not in PartyKind.ALL:
        raise ValueError(_("%(kind)s is not a kind of party.") % {"kind": party_kind})
    natural_person = responsible_person
    if responsible_person and party_kind != PartyKind.ORGANISATION:
        raise FineNotApplicableError(
            _(
                "A fine on a responsible person applies to a person inside an organisation; "
                "a party who is a natural person or an individual business is fined under "
                "%(article)s itself."
            )
            % {"article": rule.article}
        )
    if natural_person:
        band = rule.individual_band
        if band is None or (rule.individual_only_if_serious and not serious):
            raise FineNotApplicableError(
                _("%(article)s sets no fine on individuals in these circumstances.")
                % {"article": rule.article}
            )
    else:
        band = rule.serious_band if serious and rule.serious_band else rule.band
    article = (
        rule.individual_article if natural_person and rule.individual_article else rule.article
    )
    floor = band.floor
    if band.kind == "multiple" and retail and rule.retail_floor is not None:
        floor = rule.retail_floor
    minimum, maximum, basis = _apply(band, value, floor)
    explanation = _explain(
        rule, band, floor, article=article, serious=serious, natural_person=natural_person
    )
    return FineRange(minimum, maximum, article, explanation, basis)


def _apply(band: Band, value: Decimal, floor: Decimal | None) -> tuple[Decimal, Decimal, str]:
    if band.kind == "fixed":
        return _yuan(band.low), _yuan(band.high), _("A fixed range, whatever the amount.")
    base = value
    if floor is not None and value < floor:
        base = floor
        basis = _("The amount %(value)s yuan is below %(floor)s yuan and counts as %(floor)s yuan.")
        basis %= {"value": _show(value), "floor": _show(floor)}
    else:
        basis = _("The amount counts as %(value)s yuan.") % {"value": _show(value)}
    return _yuan(base * band.low), _yuan(base * band.high), basis


def _multiple(value: Decimal) -> str:
    if value < 1:
        return f"{(value * 100).normalize():f}%"
    return f"{value.normalize():f}×"


def _explain(
    rule: Conduct,
    band: Band,
    floor: Decimal | None,
    *,
    article: str,
    serious: bool,
    natural_person: bool,
) -> str:
    params = {
        "article": article,
        "low": _multiple(band.low) if band.kind != "fixed" else _show(band.low),
        "high": _multiple(band.high) if band.kind != "fixed" else _show(band.high),
        "floor": _show(floor) if floor is not None else "",
    }
    if band.kind == "fixed":
        text = _("%(article)s: a fine from %(low)s to %(high)s yuan.") % params
    elif band.kind == "income":
        text = _("%(article)s: %(low)s to %(high)s of the income.") % params
    else:
        text = _("%(article)s: %(low)s to %(high)s of the value of the goods.") % params
    if floor is not None and band.kind != "fixed":
        text += " " + _("Amounts below %(floor)s yuan count as %(floor)s yuan.") % params
    if natural_person:
        text += " " + _("The fine is on the responsible person, from their income.")
    elif serious and rule.serious_band is not None:
        text += " " + _("The serious-circumstances range applies.")
    if rule.warning_first and not natural_person:
        text += " " + _("Only if the party does not correct the breach after a warning.")
    text += " " + _(
        "Aggravating circumstances (article 137) call for a fine at the top of the range."
    )
    return text
