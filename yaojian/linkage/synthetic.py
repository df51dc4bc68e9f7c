"""Two lists of the same entities as two departments write them, with the ground truth.

``generate(size, seed)`` answers ``(left, right)``: ``left`` is a clean register (names as
licensed), ``right`` another department's list of ~90 % of the same entities plus ~10 % it
alone knows, written with the noise real data has:

* legal form: 有限公司 / 有限责任公司 / none; shop words: 大药房 / 药店 / 药房;
* full-width brackets, digits and letters; traditional characters (藥房);
* the city / district prefix of the name missing or added; the district missing in the address;
* branch suffixes written (天河店), 天河店, 天河分店;
* typos: a homophone or a random character in the trade name, a digit in the house number;
* address abbreviations (街道 dropped, 号楼 → 栋, province and city dropped);
* missing USCC, legal representative and region code;
* USCCs (with a valid GB 32100 check character) in lower case, full width or with spaces and
  hyphens, now and then mistyped or copied from another entity;
* numbered branches of chains (第3分店, （3店）, 三分店), 诊所 / 门诊部 exchanged, a 个体工商户
  prefix, house numbers with a sub-number (12号之一, 12-1号, 12号附1).

It is the data the model is trained and tuned on; ``bench/linkage_independent.py`` is a second
generator, written separately, that is never used for training or tuning.

The same seed gives the same lists. Each record's ``truth`` names its real entity.
"""

from __future__ import annotations

import csv
import random
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from yaojian.linkage.matching import LinkRecord

_REGIONS_CSV = Path(__file__).resolve().parents[1] / "territory" / "data" / "regions.csv"
PROVINCES = ("44", "51", "54")  # 广东, 四川, 西藏: dense and sparse provinces

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲飞鹏辉斌宇浩凯健俊帆帅旭宁龙林欣佳怡晨博文雪梅琳颖海波峰建国志荣新春晓燕慧婷倩阳亮成兵毅彬鑫振宏东昊"
BRAND_FIRST = "康仁济益百德同安惠天吉雪格扎圣福民健宝高瑞众恒华金鑫国正泰和嘉长新永信爱春万宏鹏祥隆佳明海源昌盛润博"
BRAND_SECOND = (
    "源和民康姓仁堂安泽诚祥域桑西寿生石莲原佑信泰达元润兴丰宁春盛德林方邦福济草恩瑞华利鑫广辉远通乐"
)
# Homophones a pinyin input method confuses (typos of the trade name).
HOMOPHONES = {
    "康": "慷",
    "仁": "人",
    "济": "际",
    "益": "义",
    "德": "得",
    "安": "按",
    "惠": "汇",
    "福": "富",
    "民": "敏",
    "健": "建",
    "宝": "保",
    "瑞": "锐",
    "恒": "衡",
    "华": "化",
    "金": "今",
    "鑫": "新",
    "泰": "太",
    "和": "合",
    "嘉": "佳",
    "信": "心",
    "春": "纯",
    "宏": "红",
    "祥": "翔",
    "隆": "龙",
    "明": "铭",
    "源": "元",
    "昌": "常",
    "盛": "胜",
    "润": "闰",
    "博": "波",
}
STREETS = [
    "人民路",
    "解放路",
    "建设路",
    "和平路",
    "中山路",
    "文化路",
    "胜利路",
    "团结路",
    "幸福路",
    "民族路",
    "新华路",
    "长江路",
    "黄河路",
    "滨河路",
    "健康路",
    "友谊路",
    "光明路",
    "东风路",
    "朝阳路",
    "北京路",
    "迎宾大道",
    "世纪大道",
    "工农路",
    "花园路",
    "府前街",
    "西大街",
    "东大街",
    "南大街",
    "北大街",
    "站前路",
    "青年路",
    "五一路",
    "跃进路",
    "红旗路",
    "复兴路",
]
TOWNSHIPS = [
    "城关镇",
    "东城街道",
    "西城街道",
    "南城街道",
    "北城街道",
    "新城街道",
    "城郊乡",
    "工业园区",
    "河西街道",
]
# (template, has legal form); {brand} is the trade name, {place} a region prefix.
KINDS = (
    ("{place}{brand}大药房", False),
    ("{place}{brand}大药房有限公司", True),
    ("{place}{brand}药店", False),
    ("{place}{brand}医药有限公司", True),
    ("{place}{brand}药业有限责任公司", True),
    ("{place}{brand}诊所", False),
    ("{place}{brand}口腔诊所", False),
    ("{place}{brand}中医诊所", False),
    ("{place}{brand}医院", False),
    ("{place}{brand}医疗器械有限公司", True),
    ("{place}{brand}化妆品店", False),
    ("{place}{brand}制药股份有限公司", True),
    ("{place}{brand}门诊部", False),
    ("{place}{brand}商贸有限公司", True),
)
LEGAL_VARIANTS = ("有限公司", "有限责任公司", "")
SHOP_VARIANTS = ("大药房", "药店", "药房")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class SyntheticRecord:
    """A record and the entity it really is."""

    record: LinkRecord
    truth: int


@dataclass(frozen=True)
class _Place:
    county_code: str
    province: str
    city: str
    county: str


@cache
def _places() -> tuple[_Place, ...]:
    names: dict[str, str] = {}
    rows = []
    with _REGIONS_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[row["code"]] = row["name"]
            rows.append(row)
    places = []
    for row in rows:
        code = row["code"]
        if row["level"] != "county" or code[:2] not in PROVINCES or row["name"] == "市辖区":
            continue
        province = names.get(code[:2] + "0000", "")
        city = names.get(code[:4] + "00", "")
        if not city or city in {"市辖区", "县"}:
            city = ""
        places.append(_Place(code, province, city, row["name"]))
    return tuple(places)


@cache
def _s2t() -> dict[int, str]:
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "STCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1:
            table[ord(source)] = target
    return table


_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _uscc(rng: random.Random) -> str:
    body = "91" + "".join(rng.choice(USCC_ALPHABET) for _ in range(15))
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(body, _USCC_WEIGHTS, strict=False))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


def _code_written(rng: random.Random, code: str) -> str:
    """A code as a clerk types it: lower case, full width, with spaces or hyphens."""
    draw = rng.random()
    if draw < 0.1:
        return code.lower()
    if draw < 0.15:
        return code.translate({ord(c): chr(ord(c) + 0xFEE0) for c in USCC_ALPHABET})
    if draw < 0.2:
        return f"{code[:8]} {code[8:]}"
    if draw < 0.23:
        return f"{code[:2]}-{code[2:8]}-{code[8:]}"
    return code


def _entity(
    rng: random.Random, number: int, chains: list[tuple[str, str]]
) -> tuple[dict[str, str], bool]:
    place = rng.choice(_places())
    road = rng.choice(STREETS)
    township = rng.choice(TOWNSHIPS)
    house = rng.randint(1, 899)
    address = f"{place.province}{place.city}{place.county}{township}{road}{house}号"
    if rng.random() < 0.1:
        address += f"{rng.randint(1, 12)}号楼"
    is_branch = bool(chains) and rng.random() < 0.12
    if rng.random() < 0.08:
        address = address.replace("号", rng.choice(("号之一", "号之二", "号附1")), 1)
    if is_branch and rng.random() < 0.4:  # a numbered branch
        hq_name, _hq_code = rng.choice(chains)
        name = f"{hq_name.removesuffix('有限公司')}有限公司第{rng.randint(1, 30)}分店"
    elif is_branch:
        hq_name, _hq_code = rng.choice(chains)
        county_short = place.county[:-1] if len(place.county) > 2 else place.county
        name = f"{hq_name}{county_short}{road.removesuffix('路')}店"
    else:
        brand = rng.choice(BRAND_FIRST) + rng.choice(BRAND_SECOND)
        template, _legal = rng.choice(KINDS)
        prefix = rng.choice((place.city, place.county, place.city + place.county, place.province))
        name = template.format(place=prefix, brand=brand)
        if rng.random() < 0.02:
            chains.append((name.replace("大药房", "大药房连锁"), place.county_code))
    person = (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    )
    return (
        {
            "name": name,
            "address": address,
            "region_code": place.county_code,
            "credit_code": _uscc(rng),
            "legal_representative": person,
            "licence_number": f"{place.province[:1]}AA{place.county_code}{number:07d}",
            "_province": place.province,
            "_city": place.city,
            "_county": place.county,
        },
        is_branch,
    )


_CN_NUMBERS = "零一二三四五六七八九十"


def _numbered_branch(rng: random.Random, name: str) -> str:
    head, _, tail = name.partition("有限公司第")
    number = int(tail.removesuffix("分店"))
    cn = _CN_NUMBERS[number] if number <= 10 else ""
    forms = [f"有限公司（第{number}分店）", f"（{number}店）", f"第{number}店", f"-{number}分店"]
    if cn:
        forms += [f"{cn}分店", f"第{cn}分店"]
    return head + rng.choice(forms)


def _noisy_name(rng: random.Random, entity: dict[str, str]) -> str:
    name = entity["name"]
    if "有限公司第" in name and rng.random() < 0.7:
        name = _numbered_branch(rng, name)
    if rng.random() < 0.4:
        for clinic, other in (("门诊部", "诊所"), ("诊所", "门诊部")):
            if name.endswith(clinic):
                name = name.removesuffix(clinic) + other
                break
    if rng.random() < 0.04:
        name = "个体工商户" + name
    if rng.random() < 0.3:
        for legal in ("有限责任公司", "有限公司"):
            if name.endswith(legal):
                name = name.removesuffix(legal) + rng.choice(LEGAL_VARIANTS)
                break
    if rng.random() < 0.4:
        for shop in ("大药房", "药店"):
            if shop in name and "连锁" not in name:
                name = name.replace(shop, rng.choice(SHOP_VARIANTS), 1)
                break
    if rng.random() < 0.3:  # region prefix dropped, changed or added
        for prefix in (
            entity["_province"],
            entity["_city"] + entity["_county"],
            entity["_city"],
            entity["_county"],
        ):
            if prefix and name.startswith(prefix) and len(name) - len(prefix) >= 4:
                name = name[len(prefix) :]
                break
        if rng.random() < 0.5 and entity["_city"]:
            name = entity["_city"] + name
    if name.endswith("店") and "连锁" in name and rng.random() < 0.5:  # branch written differently
        head, sep, tail = name.partition("连锁")
        branch = tail.removesuffix("店")
        name = head + sep + rng.choice((f"（{branch}店）", f"({branch}店)", f"{branch}分店"))
    if rng.random() < 0.08:  # typo in the trade name
        chars = list(name)
        spots = [i for i, ch in enumerate(chars) if ch in HOMOPHONES]
        if spots:
            i = rng.choice(spots)
            chars[i] = HOMOPHONES[chars[i]] if rng.random() < 0.7 else rng.choice(BRAND_SECOND)
            name = "".join(chars)
    if rng.random() < 0.1:
        name = name.translate(_s2t())
    if rng.random() < 0.1:
        name = name.replace("(", "（").replace(")", "）")
    return name


def _noisy_address(rng: random.Random, entity: dict[str, str]) -> str:
    address = entity["address"]
    if rng.random() < 0.5:
        address = address.removeprefix(entity["_province"])
    if rng.random() < 0.3:
        address = address.removeprefix(entity["_city"])
    if rng.random() < 0.2:  # district missing
        address = address.replace(entity["_county"], "", 1)
    if rng.random() < 0.3:
        for township in TOWNSHIPS:
            address = address.replace(township, "", 1)
    if rng.random() < 0.3:
        address = address.replace("号楼", "栋")
    if rng.random() < 0.05:  # a digit of the house number mistyped
        digits = [i for i, ch in enumerate(address) if ch.isdigit()]
        if digits:
            i = rng.choice(digits)
            address = address[:i] + rng.choice(string.digits) + address[i + 1 :]
    if rng.random() < 0.5:  # a sub-number written another way
        for written in ("号之一", "号之二", "号附1"):
            if written in address:
                number = "1" if written in {"号之一", "号附1"} else "2"
                address = address.replace(
                    written, rng.choice((f"-{number}号", f"号之{number}", f"号附{number}")), 1
                )
                break
    if rng.random() < 0.1:
        address = address.translate({ord(d): chr(ord(d) + 0xFEE0) for d in string.digits})
    if rng.random() < 0.05:
        address = address.translate(_s2t())
    if rng.random() < 0.05:
        address = ""
    return address


def _pick(rng: random.Random, value: str, *, keep: float, changed: float, other: str) -> str:
    """``value`` with probability ``keep``, ``other`` with ``changed``, else missing."""
    draw = rng.random()
    if draw < keep:
        return value
    return other if draw < keep + changed else ""


def _noisy(rng: random.Random, key: str, entity: dict[str, str], other_code: str) -> LinkRecord:
    region = entity["region_code"]
    person = entity["legal_representative"]
    if rng.random() < 0.05:
        person = person.translate(_s2t())
    code = entity["credit_code"]
    if rng.random() < 0.003:  # another entity's code copied by mistake
        code = other_code
    return LinkRecord(
        key=key,
        name=_noisy_name(rng, entity),
        address=_noisy_address(rng, entity),
        # a city-level code where the county was not known
        region_code=_pick(rng, region, keep=0.6, changed=0.1, other=region[:4] + "00"),
        # a mistyped USCC now and then
        credit_code=_code_written(
            rng, _pick(rng, code, keep=0.45, changed=0.01, other=code[:-1] + "X")
        ),
        # the legal representative changed since
        legal_representative=_pick(
            rng, person, keep=0.57, changed=0.03, other=rng.choice(SURNAMES) + rng.choice(GIVEN)
        ),
        # a licence renewed under a new number
        licence_number=_pick(
            rng,
            entity["licence_number"],
            keep=0.3,
            changed=0.02,
            other=entity["licence_number"][:-3] + "999",
        ),
    )


def generate(
    size: int, *, seed: int = 20261, overlap: float = 0.9
) -> tuple[list[SyntheticRecord], list[SyntheticRecord]]:
    """(left, right): ``size`` clean records and ``size`` noisy ones, ``overlap`` shared."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    chains: list[tuple[str, str]] = []
    entities: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    while len(entities) < int(size * (2 - overlap)) + 1:
        entity, _is_branch = _entity(rng, len(entities), chains)
        identity = (entity["name"], entity["region_code"])
        if identity in seen:  # the same name in the same county is the same entity
            continue
        seen.add(identity)
        entities.append(entity)
    shared = int(size * overlap)
    left_ids = list(range(size))
    right_ids = list(range(shared)) + list(range(size, size + (size - shared)))
    left = [
        SyntheticRecord(
            LinkRecord(
                key=f"L{i}",
                name=entities[i]["name"],
                address=entities[i]["address"],
                region_code=entities[i]["region_code"],
                credit_code=entities[i]["credit_code"],
                legal_representative=entities[i]["legal_representative"],
                licence_number=entities[i]["licence_number"],
            ),
            i,
        )
        for i in left_ids
    ]
    rng.shuffle(right_ids)
    right = [
        SyntheticRecord(_noisy(rng, f"R{i}", entities[i], rng.choice(entities)["credit_code"]), i)
        for i in right_ids
    ]
    return left, right
