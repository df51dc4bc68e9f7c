"""A second, independent generator of two departments' lists, for testing linkage only.

Written separately from ``yaojian.linkage.synthetic`` (the generator the model is trained and
tuned on) with its own vocabulary, regions, conventions, noise kinds and rates, so that an
accuracy figure on its data says something about data the model was *not* fitted to. It is
never used by ``yaojian.linkage.training`` nor to choose thresholds or rules; it is still our
own code, not the hidden independent data set of the issue.

``generate(size, seed)`` answers ``(left, right)`` of :class:`Labelled` records:

* ``left`` — a market-regulation register (市场监管): official names, full addresses, credit
  codes mostly present, written in upper case; branches as ``（第3分店）``.
* ``right`` — a health / drug inspection department's list (卫健 / 药监 inspectors): ~85 % of
  the same entities (plus its own), names and addresses as inspectors type them:

  - 个体 shops named after their keeper (``张伟药店``, ``个体工商户张伟``);
  - branches written ``第3店`` / ``-第3分店`` / ``三分店`` / ``第三分店`` / ``(3店)``;
  - 门诊 / 门诊部 / 诊所 / 卫生室 / 医务室 exchanged (a clinic is a 门诊部 to one side);
  - traditional characters (phrase-level OpenCC ``s2t``), OCR-ish look-alike typos (己/已,
    末/未, 土/士 …), a dropped character;
  - addresses without province and city (sometimes without county), house numbers with
    suffixes (``12号之一``, ``12-1号``, ``12号附1``, ``12A号``), full-width digits, 第 dropped;
  - credit codes in lower case, full width, with spaces or hyphens, missing on either side,
    now and then one character mistyped;
  - region codes missing or only to the city.

Hard negatives are built in: common trade names (民生, 百姓, 仁和 …) repeated across counties,
several numbered branches of one chain in one county, two clinics of one doctor.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "yaojian" / "territory" / "data" / "regions.csv"
# Provinces the project's generator does not use: 浙江, 河南, 云南, 北京.
PROVINCE_CODES = ("33", "41", "53", "11")

FAMILY = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳"
PERSONAL = "子涵梓萱一诺欣怡浩然宇轩雨桐思远俊杰嘉懿晨阳佳琪文博志强秀英桂兰建华玉兰德明永平淑珍国庆丽华海燕"
# Trade names: two-character words, some very common across the country (hard negatives).
COMMON_TRADE = ("民生", "百姓", "仁和", "同仁", "益丰", "老百姓", "一心", "大参林", "海王", "正和")
TRADE_A = "瑞芝兰桂鹤松柏泉溪岚翠琼蓉杏橘榆梧桐棠蕙芷荷菊梅竹"
TRADE_B = "林堂轩阁苑坊斋居园庄泽川峰岭湾洲源泉"
ROADS = (
    "环城东路", "凤起路", "延安路", "体育场路", "花园路", "经三路", "纬五路", "金水路", "农业路",
    "青年路", "北京路", "人民中路", "东风路", "白塔路", "滇池路", "学府路", "建设大道", "文昌街",
    "解放北路", "和平里", "工人新村", "站前街", "新华东街", "迎春巷", "三元里", "朝阳门内大街",
)  # fmt: skip
VILLAGES = ("李家村", "王庄村", "新民村", "东湖村", "石桥村", "柳树湾村", "高家岭村", "下坝村")
# Look-alike characters an OCR or a hurried typist confuses.
LOOKALIKE = {
    "己": "已", "末": "未", "土": "士", "日": "曰", "人": "入", "天": "夭", "大": "太",
    "王": "玉", "田": "由", "千": "干", "折": "拆", "准": "淮", "兰": "芏", "林": "材",
    "堂": "常", "泉": "白", "松": "忪", "翠": "萃", "园": "圆", "仁": "仨", "民": "氏",
}  # fmt: skip
CLINIC_WORDS = ("诊所", "门诊部", "门诊", "卫生室", "医务室")
CHINESE_NUMBERS = "零一二三四五六七八九十"
CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class Labelled:
    """One department's record of an entity; ``entity`` is the ground truth."""

    key: str
    name: str
    address: str
    region_code: str
    credit_code: str
    legal_representative: str
    entity: int


@dataclass(frozen=True)
class _County:
    code: str
    province: str
    city: str
    county: str


@cache
def _counties() -> tuple[_County, ...]:
    with REGIONS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {row["code"]: row["name"] for row in rows}
    found = []
    for row in rows:
        code = row["code"]
        if row["level"] != "county" or code[:2] not in PROVINCE_CODES:
            continue
        city = names.get(code[:4] + "00", "")
        found.append(_County(code, names.get(code[:2] + "0000", ""), city, row["name"]))
    return tuple(found)


def credit_code(rng: random.Random, county: str, individual: bool) -> str:
    """A USCC with a valid GB 32100 check character (92… for 个体工商户, 91… otherwise)."""
    body = ("92" if individual else "91") + county
    body += "".join(rng.choice(CODE_ALPHABET[:10] + "ABCDEFGH") for _ in range(9))
    total = sum(CODE_ALPHABET.index(ch) * w for ch, w in zip(body, CODE_WEIGHTS, strict=True))
    return body + CODE_ALPHABET[(31 - total % 31) % 31]


def _person(rng: random.Random) -> str:
    return rng.choice(FAMILY) + "".join(rng.sample(PERSONAL, rng.choice((1, 2))))


def _chinese_number(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMBERS[n]
    tens, ones = divmod(n, 10)
    return (
        ("" if tens == 1 else CHINESE_NUMBERS[tens])
        + "十"
        + (CHINESE_NUMBERS[ones] if ones else "")
    )


@dataclass
class _Entity:
    name: str
    kind: str  # shop, individual, clinic, chain_branch, company
    trade: str
    branch: int
    clinic_word: str
    road: str
    number: int
    suffix: int  # 0 or the sub-number of the house (之一, -1, 附1)
    county: _County
    code: str
    person: str


def _trade(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(COMMON_TRADE)
    return rng.choice(TRADE_A) + rng.choice(TRADE_B)


def _make_entities(rng: random.Random, count: int) -> list[_Entity]:
    counties = _counties()
    entities: list[_Entity] = []
    seen: set[tuple[str, str]] = set()
    chains: list[tuple[str, _County, int]] = []
    while len(entities) < count:
        county = rng.choice(counties)
        person = _person(rng)
        road = rng.choice(ROADS)
        number = rng.randint(1, 320)
        suffix = rng.randint(1, 3) if rng.random() < 0.15 else 0
        draw = rng.random()
        trade, branch, clinic_word = _trade(rng), 0, ""
        if draw < 0.18 and chains:  # another numbered branch of a chain, often the same county
            chain, chain_county, _n = rng.choice(chains)
            county = chain_county if rng.random() < 0.7 else county
            branch = rng.randint(1, 40)
            kind, trade = "chain_branch", chain
            name = f"{chain}大药房连锁有限公司（第{branch}分店）"
        elif draw < 0.23:
            kind = "chain_head"
            name = f"{trade}大药房连锁有限公司"
            chains.append((trade, county, 0))
        elif draw < 0.43:
            kind = "individual"
            name = f"{county.county}{person}药店"
        elif draw < 0.68:
            kind = "clinic"
            clinic_word = rng.choice(("诊所", "门诊部", "卫生室"))
            if clinic_word == "卫生室":
                name = f"{county.county}{rng.choice(VILLAGES)}卫生室"
            elif rng.random() < 0.5:
                name = f"{person}{rng.choice(('中医', '口腔', '内科', ''))}{clinic_word}"
            else:
                name = f"{county.city}{trade}{clinic_word}"
        elif draw < 0.88:
            kind = "shop"
            name = f"{county.city}{trade}{rng.choice(('大药房', '药店', '堂药店'))}有限公司"
        else:
            kind = "company"
            name = f"{county.province}{trade}{rng.choice(('医药科技', '医疗器械', '生物制药'))}有限公司"
        if (name, county.code) in seen:
            continue
        seen.add((name, county.code))
        individual = kind == "individual"
        entities.append(
            _Entity(
                name, kind, trade, branch, clinic_word, road, number, suffix, county,
                credit_code(rng, county.code, individual), person,
            )
        )  # fmt: skip
    return entities


def _address(entity: _Entity, *, style: int) -> str:
    """The official address; ``style`` picks the way the house-number suffix is written."""
    county = entity.county
    house = f"{entity.number}号"
    if entity.suffix:
        forms = (
            f"{entity.number}号之{CHINESE_NUMBERS[entity.suffix]}",
            f"{entity.number}-{entity.suffix}号",
            f"{entity.number}号附{entity.suffix}",
            f"{entity.number}{'ABC'[entity.suffix - 1]}号",
        )
        house = forms[style % len(forms)]
    city = "" if county.city == county.province else county.city
    return f"{county.province}{city}{county.county}{entity.road}{house}"


def _register_record(rng: random.Random, key: str, entity: _Entity, ident: int) -> Labelled:
    code = entity.code if rng.random() < 0.9 else ""
    return Labelled(
        key=key,
        name=entity.name,
        address=_address(entity, style=0),
        region_code=entity.county.code,
        credit_code=code,
        legal_representative=entity.person,
        entity=ident,
    )


def _s2t(text: str) -> str:
    return str(_converter().convert(text))


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def _branch_written(rng: random.Random, number: int) -> str:
    cn = _chinese_number(number)
    return rng.choice(
        (f"第{number}店", f"-第{number}分店", f"{cn}分店", f"第{cn}分店", f"({number}店)")
    )


def _inspector_name(rng: random.Random, entity: _Entity) -> str:
    name = entity.name
    county = entity.county
    if entity.kind == "chain_branch":
        base = f"{entity.trade}大药房连锁" + rng.choice(("有限公司", "", "公司"))
        name = base + _branch_written(rng, entity.branch)
    elif entity.kind == "individual":
        choice = rng.random()
        if choice < 0.3:
            name = name.removeprefix(county.county)
        elif choice < 0.5:
            name = f"个体工商户{name.removeprefix(county.county)}"
        elif choice < 0.6:
            name = name.replace("药店", "大药房")
    elif entity.kind == "clinic" and entity.clinic_word != "卫生室" and rng.random() < 0.5:
        others = [w for w in ("诊所", "门诊部", "门诊") if w != entity.clinic_word]
        name = name.replace(entity.clinic_word, rng.choice(others))
    elif entity.kind == "clinic" and rng.random() < 0.3:
        name = (
            name.replace("卫生室", "医务室")
            if rng.random() < 0.3
            else name.removeprefix(county.county)
        )
    elif entity.kind in {"shop", "company"} and rng.random() < 0.4:
        for prefix in (county.province, county.city):
            name = name.removeprefix(prefix)
        if rng.random() < 0.5:
            name = name.removesuffix("有限公司")
    if rng.random() < 0.05:
        positions = [i for i, ch in enumerate(name) if ch in LOOKALIKE]
        if positions:
            i = rng.choice(positions)
            name = name[:i] + LOOKALIKE[name[i]] + name[i + 1 :]
    if rng.random() < 0.12:
        name = _s2t(name)
    if rng.random() < 0.1:
        name = name.replace("(", "（").replace(")", "）")
    if rng.random() < 0.05:
        name = " ".join((name[:2], name[2:]))
    return name


def _inspector_address(rng: random.Random, entity: _Entity) -> str:
    county = entity.county
    address = _address(entity, style=rng.randint(0, 3))
    draw = rng.random()
    if draw < 0.55:  # without province and city
        address = address.removeprefix(county.province).removeprefix(county.city)
    elif draw < 0.65:  # without county too
        address = address.removeprefix(county.province).removeprefix(county.city)
        address = address.removeprefix(county.county)
    if entity.suffix == 0 and rng.random() < 0.05:  # a sub-number the register does not have
        address = address.replace("号", f"号之{rng.choice('一二')}", 1)
    if rng.random() < 0.1:
        address = address.translate({ord(d): chr(ord(d) + 0xFEE0) for d in "0123456789"})
    if rng.random() < 0.08:
        address = _s2t(address)
    if rng.random() < 0.03:
        address = ""
    return address


def _inspector_code(rng: random.Random, code: str) -> str:
    draw = rng.random()
    if draw < 0.35:
        return ""
    if draw < 0.37:  # one character mistyped
        i = rng.randrange(2, 18)
        return code[:i] + rng.choice(CODE_ALPHABET.replace(code[i], "")) + code[i + 1 :]
    form = rng.random()
    if form < 0.2:
        return code.lower()
    if form < 0.3:
        return code.translate({ord(c): chr(ord(c) + 0xFEE0) for c in CODE_ALPHABET})
    if form < 0.4:
        return f"{code[:6]}-{code[6:12]}-{code[12:]}"
    if form < 0.45:
        return f" {code[:9]} {code[9:]} "
    return code


def _inspector_record(rng: random.Random, key: str, entity: _Entity, ident: int) -> Labelled:
    region = entity.county.code
    draw = rng.random()
    region = region if draw < 0.5 else (region[:4] + "00" if draw < 0.7 else "")
    person = entity.person if rng.random() < 0.6 else ""
    return Labelled(
        key=key,
        name=_inspector_name(rng, entity),
        address=_inspector_address(rng, entity),
        region_code=region,
        credit_code=_inspector_code(rng, entity.code),
        legal_representative=person,
        entity=ident,
    )


def generate(
    size: int, *, seed: int = 90001, overlap: float = 0.85
) -> tuple[list[Labelled], list[Labelled]]:
    """(register, inspectors' list): ``size`` records each, ``overlap`` of them shared."""
    rng = random.Random(seed)
    shared = int(size * overlap)
    entities = _make_entities(rng, 2 * size - shared)
    left = [_register_record(rng, f"A{i}", entities[i], i) for i in range(size)]
    right_ids = list(range(shared)) + list(range(size, 2 * size - shared))
    rng.shuffle(right_ids)
    right = [_inspector_record(rng, f"B{i}", entities[i], i) for i in right_ids]
    return left, right


def as_link_records(records: list[Labelled]) -> list[object]:
    """The records as ``yaojian.linkage.matching.LinkRecord``."""
    from yaojian.linkage.matching import LinkRecord

    return [
        LinkRecord(
            key=r.key,
            name=r.name,
            address=r.address,
            region_code=r.region_code,
            credit_code=r.credit_code,
            legal_representative=r.legal_representative,
        )
        for r in records
    ]
