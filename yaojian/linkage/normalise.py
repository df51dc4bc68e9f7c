"""Chinese normalisation for record linkage: pure functions, tables built once.

DuckDB's string similarity works on UTF-8 *bytes* (``jaro_winkler('药','藥') = 0.556``), so
names and addresses are normalised in Python before they reach Splink:

* NFKC (full-width → half-width, ``（）`` → ``()``), case folding;
* traditional → simplified, one character at a time, with a table built once from
  opencc-python-reimplemented's ``TSCharacters.txt`` (``藥`` → ``药``);
* a branch suffix split off (``…大药房(天河店)``, ``…有限公司天河分公司`` → branch ``天河``);
* the legal form stripped (``有限公司``, ``有限责任公司``, ``股份有限公司`` …);
* leading province / city / county names stripped (``广东省广州市`` …), full or short form;
* one token for the kind of shop (``大药房``, ``药店``, ``药房`` → ``药房``);
* per-character pinyin from pypinyin's table (not ``lazy_pinyin`` per string: ~1 µs vs ~120 µs).

See docs/domain/linkage.md and docs/adr/0009-linkage-engine.md.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# Punctuation and spaces dropped from compared strings (after NFKC, so only half-width forms).
_PUNCTUATION = " \t\r\n·•・.,。、;:'\"“”‘’()[]【】{}<>《》〈〉「」『』-–—_/\\|!?~…#*+=&%$@^`"
_DROP_TABLE = {ord(ch): None for ch in _PUNCTUATION}
_DROP_TABLE_KEEP_BRACKETS = {k: v for k, v in _DROP_TABLE.items() if k not in {ord("("), ord(")")}}

# Legal forms, longest first (a suffix of the name once the branch is split off).
LEGAL_FORMS: tuple[str, ...] = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "有限合伙",
    "普通合伙",
    "个人独资企业",
    "合伙企业",
    "个体工商户",
    "集团公司",
    "公司",
    "集团",
)
_LEGAL_FORM_RE = re.compile("(?:" + "|".join(LEGAL_FORMS) + ")+$")

# Kinds of shop written differently by each department: one token.
SHOP_WORDS: tuple[str, ...] = ("大药房", "大药店", "药店", "药房", "药铺", "药号")
SHOP_WORD = "药房"
_SHOP_RE = re.compile("|".join(SHOP_WORDS))

# Where a branch suffix may start: after a legal form, a shop word or a chain word.
_BRANCH_ANCHOR_RE = re.compile(
    "(?:" + "|".join((*LEGAL_FORMS, *SHOP_WORDS, "连锁经营", "连锁")) + ")"
)
_BRANCH_END_RE = re.compile(r"(?:分店|分公司|门店|分部|营业部|连锁店|店)$")
_BRACKETED_TAIL_RE = re.compile(r"\(([^()]{1,20})\)$")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CN_NUMBER_RE = re.compile(r"[〇零一二三四五六七八九十百]+")
_CN_VALUES = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}

# Prefixes naming the legal form of an individual business (个体工商户张三药店 → 张三药店).
_INDIVIDUAL_PREFIX_RE = re.compile(r"^(?:个体工商户|个体户|个体)")

# Kinds of clinic written differently by each department: one token each.
CLINIC_WORDS: tuple[tuple[str, str], ...] = (
    ("门诊部", "诊所"),
    ("门诊", "诊所"),
    ("医务室", "卫生室"),
)
_CLINIC_RE = re.compile("|".join(word for word, _ in CLINIC_WORDS))
_CLINIC_TOKEN = dict(CLINIC_WORDS)

# House numbers with a sub-number: 12号之一, 12-1号, 12号附1, 12号-1, 12A号 → 12号之1.
_HOUSE_SUFFIX_RES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d+)\s*号\s*(?:之|附|-|－)\s*(\d+)(?!\d)(?!\s*号)"), r"\1号之\2"),
    (re.compile(r"(\d+)\s*(?:-|－|之)\s*(\d+)\s*号(?!楼)"), r"\1号之\2"),
)
_HOUSE_LETTER_RE = re.compile(r"(\d+)\s*([a-h])\s*号")
_HOUSE_CN_SUFFIX_RE = re.compile(r"(\d+)\s*号\s*(之|附)([一二三四五六七八九十]+)")

_ADDRESS_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("街道办事处", "街道"),
    ("号楼", "栋"),
    ("幢", "栋"),
    ("门牌号", "号"),
    ("第", ""),
)
_TOWNSHIP_RE = re.compile(r"^[^路街道巷号]{1,8}?(?:街道|镇|乡)")
_ROAD_NUMBER_RE = re.compile(r"([^\d]{1,10}?(?:大道|路|街|巷|道|胡同|弄|里|村))(\d+)号?")

_REGIONS_CSV = Path(__file__).resolve().parents[1] / "territory" / "data" / "regions.csv"
_REGION_SUFFIX_RE = re.compile(
    r"(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|自治州|自治县|地区|省|市|区|县|盟|旗)$"
)


# A short place name followed by one of these is a road (北京路, 广州大道, 北京中路), not a prefix.
_ROAD_AFTER_SHORT_NAME = frozenset("路街巷道")
_ROAD_AFTER_SHORT_NAME_2 = frozenset(f"{a}{b}" for a in "东西南北中大环" for b in "路街道")


@cache
def _t2s_table() -> dict[int, str]:
    """Traditional → simplified for single characters (first candidate of each entry)."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1 and source != target:
            table[ord(source)] = target
    return table


@cache
def _pinyin_table() -> dict[str, str]:
    """Character → toneless pinyin of its first reading (from pypinyin's dictionary)."""
    from pypinyin.pinyin_dict import pinyin_dict

    table: dict[str, str] = {}
    for codepoint, readings in pinyin_dict.items():
        first = readings.split(",")[0]
        plain = "".join(
            ch for ch in unicodedata.normalize("NFKD", first) if not unicodedata.combining(ch)
        )
        table[chr(codepoint)] = plain.replace("ü", "v")
    return table


@cache
def _region_names() -> tuple[frozenset[str], tuple[int, ...], frozenset[str]]:
    """(full names, their lengths longest first, short names) of the regions in GB/T 2260."""
    full: set[str] = set()
    short: set[str] = set()
    with _REGIONS_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["name"]
            if name in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}:
                continue
            full.add(name)
            stem = _REGION_SUFFIX_RE.sub("", name)
            if len(stem) >= 2 and stem != name:
                short.add(stem)
    lengths = tuple(sorted({len(name) for name in full}, reverse=True))
    return frozenset(full), lengths, frozenset(short)


def fold(text: str) -> str:
    """NFKC (full-width → half-width), lower case, traditional → simplified; spaces kept."""
    value = unicodedata.normalize("NFKC", text or "").casefold()
    return value.translate(_t2s_table())


def squeeze(text: str) -> str:
    """Without spaces and punctuation (brackets included)."""
    return "".join(text.translate(_DROP_TABLE).split())


def to_simplified(text: str) -> str:
    """Traditional characters replaced by simplified ones, one character at a time."""
    return (text or "").translate(_t2s_table())


def chinese_number(text: str) -> str:
    """A Chinese numeral as digits (``三`` → ``3``, ``二十五`` → ``25``, ``一二三`` → ``123``);
    other text unchanged."""
    if not text or any(ch not in _CN_VALUES and ch not in "十百" for ch in text):
        return text
    if "十" not in text and "百" not in text:
        return text.translate(_CN_DIGITS)
    total, digit = 0, 0
    for ch in text:
        if ch == "百":
            total += (digit or 1) * 100
            digit = 0
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _CN_VALUES[ch]
    return str(total + digit)


def pinyin(text: str) -> str:
    """Toneless pinyin, one syllable per Chinese character, other characters kept."""
    table = _pinyin_table()
    return "".join(table.get(ch, ch) for ch in text)


def strip_region_prefix(text: str) -> str:
    """Leading province, city and county names removed (``广东省广州市天河区…`` → ``…``).

    Full names (``广州市``) are stripped repeatedly; a short name (``广州``) only when at least
    four characters remain, so that a trade name such as ``拉萨大药房`` keeps its ``拉萨``.
    """
    full, lengths, short = _region_names()
    value = text
    changed = True
    while changed and value:
        changed = False
        for size in lengths:
            if len(value) - size >= 2 and value[:size] in full:
                value = value[size:]
                changed = True
                break
        if changed:
            continue
        for size in (4, 3, 2):
            if (
                len(value) - size >= 4
                and value[:size] in short
                and value[size] not in _ROAD_AFTER_SHORT_NAME
                and value[size : size + 2] not in _ROAD_AFTER_SHORT_NAME_2
            ):
                value = value[size:]
                changed = True
                break
    return value


def split_branch(text: str) -> tuple[str, str]:
    """(name without branch, branch) of a folded name; branch ``""`` when there is none.

    ``康仁大药房(天河店)`` → (``康仁大药房``, ``天河``); ``康仁医药有限公司天河分公司`` →
    (``康仁医药有限公司``, ``天河``). A shop whose own name ends in 店 (``康仁药店``) has no branch.
    """
    value = squeeze_keep_brackets(text)
    bracketed = _BRACKETED_TAIL_RE.search(value)
    if bracketed:
        inner = bracketed.group(1)
        base = value[: bracketed.start()]
        if _BRANCH_END_RE.search(inner) and base:
            return squeeze(base), _clean_branch(inner)
        value = base + inner
    value = squeeze(value)
    if not _BRANCH_END_RE.search(value):
        return value, ""
    for anchor in reversed(list(_BRANCH_ANCHOR_RE.finditer(value))):
        tail = value[anchor.end() :]
        if tail and _BRANCH_END_RE.search(tail):
            branch = _clean_branch(tail)
            if branch:
                return value[: anchor.end()], branch
    return value, ""


def squeeze_keep_brackets(text: str) -> str:
    """Without spaces and punctuation other than round brackets."""
    return "".join(text.translate(_DROP_TABLE_KEEP_BRACKETS).split())


def _clean_branch(text: str) -> str:
    value = _BRANCH_END_RE.sub("", squeeze(text)).removeprefix("第")
    value = _CN_NUMBER_RE.sub(lambda match: chinese_number(match.group(0)), value)
    value = value.removeprefix("第")
    return strip_region_prefix(value) if len(value) > 2 else value


def strip_legal_form(text: str) -> str:
    """The legal-form suffix removed (``…有限责任公司`` → ``…``), unless nothing would remain."""
    stripped = _LEGAL_FORM_RE.sub("", text)
    return stripped or text


def canonical_shop_words(text: str) -> str:
    """``大药房``, ``大药店``, ``药店``, ``药房`` … written as one token (``药房``); clinics too:
    ``门诊部`` / ``门诊`` / ``诊所`` → ``诊所``, ``医务室`` / ``卫生室`` → ``卫生室``."""
    value = _SHOP_RE.sub(SHOP_WORD, text)
    return _CLINIC_RE.sub(lambda match: _CLINIC_TOKEN[match.group(0)], value)


def strip_individual_prefix(text: str) -> str:
    """``个体工商户张三药店`` / ``个体张三药店`` → ``张三药店`` (unless too little remains)."""
    stripped = _INDIVIDUAL_PREFIX_RE.sub("", text)
    return stripped if len(stripped) >= 2 else text


@dataclass(frozen=True)
class NormalisedName:
    """The parts of a name that linkage compares."""

    core: str  # without region prefix, legal form and branch; shop words as one token
    branch: str  # branch suffix (天河), "" when none
    folded: str  # the whole name folded and squeezed (for display and exact comparison)


def normalise_name(name: str) -> NormalisedName:
    """Split and normalise an entity name for linkage."""
    folded = fold(name)
    base, branch = split_branch(strip_individual_prefix(squeeze_keep_brackets(folded)))
    core = canonical_shop_words(strip_legal_form(base))
    core = strip_region_prefix(strip_individual_prefix(core))
    core = strip_legal_form(strip_individual_prefix(core))
    return NormalisedName(core=core, branch=branch, folded=squeeze(folded))


def normalise_address(address: str) -> str:
    """An address folded, squeezed, without region prefix and township, abbreviations unified."""
    value = squeeze(house_number(fold(address)))
    for long, short in _ADDRESS_ABBREVIATIONS:
        value = value.replace(long, short)
    value = strip_region_prefix(value)
    value = (
        value.translate(_CN_DIGITS) if re.search(r"[一二三四五六七八九〇零]号", value) else value
    )
    township = _TOWNSHIP_RE.match(value)
    if township and len(value) - township.end() >= 4:
        value = value[township.end() :]
    return value


def house_number(address: str) -> str:
    """House numbers with a sub-number written one way (on folded text, before squeezing):
    ``12号之一``, ``12号附1``, ``12-1号``, ``12号-1`` and ``12a号`` (a → 1, b → 2 …) all
    become ``12号之1``."""
    value = _HOUSE_CN_SUFFIX_RE.sub(
        lambda m: f"{m.group(1)}号之{chinese_number(m.group(3))}", address
    )
    for pattern, replacement in _HOUSE_SUFFIX_RES:
        value = pattern.sub(replacement, value)
    return _HOUSE_LETTER_RE.sub(lambda m: f"{m.group(1)}号之{ord(m.group(2)) - 96}", value)


def road_and_number(address: str) -> str:
    """``人民路123`` from a normalised address; ``""`` when there is no road with a number."""
    match = _ROAD_NUMBER_RE.search(address)
    return f"{match.group(1)}{match.group(2)}" if match else ""


def normalise_person(name: str) -> str:
    """A person's name folded and squeezed (``張 三`` → ``张三``)."""
    return squeeze(fold(name))


def normalise_code(code: str) -> str:
    """An identifier (USCC, licence number) folded, upper case, without spaces/punctuation."""
    return squeeze(unicodedata.normalize("NFKC", code or "")).upper()


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUES = {ch: i for i, ch in enumerate(USCC_ALPHABET)}


def uscc_is_valid(code: str) -> bool:
    """True for a normalised 18-character USCC whose check character is right (GB 32100)."""
    if len(code) != 18:
        return False
    values = [_USCC_VALUES.get(ch, -1) for ch in code]
    if min(values) < 0:
        return False
    total = sum(value * weight for value, weight in zip(values, _USCC_WEIGHTS, strict=False))
    return (31 - total % 31) % 31 == values[17]


def names_contradict(left: NormalisedName, right: NormalisedName) -> bool:
    """True when two normalised names cannot be the same entity's at a glance.

    Either both name a branch and the branches differ (``…第3分店`` / ``…第5分店``), or the
    trade names share too little: the Dice coefficient of their characters (the core without
    the kind tokens 药房, 诊所, 卫生室, 连锁) is below 0.5, neither core contains the other and
    their pinyin differs. ``鹤堂药房`` / ``鹤常药房`` (a look-alike typo) do not contradict;
    ``康仁药房`` / ``百姓药房`` and ``张伟药店`` / ``李强药店`` do. A shared credit code does not
    make a contradicting pair automatic.
    """
    if left.branch and right.branch and left.branch != right.branch:
        return True
    a, b = left.core, right.core
    if not a or not b or a in b or b in a or pinyin(a) == pinyin(b):
        return False
    chars_a, chars_b = trade_characters(a), trade_characters(b)
    if not chars_a or not chars_b:
        return False
    shared = len(set(chars_a) & set(chars_b))
    return 2.0 * shared / (len(chars_a) + len(chars_b)) < CONTRADICTION_DICE


CONTRADICTION_DICE = 0.5
_KIND_TOKENS_RE = re.compile("药房|诊所|卫生室|连锁")


def trade_characters(core: str) -> list[str]:
    """The distinct characters of a name core without its kind tokens, sorted."""
    return sorted(set(_KIND_TOKENS_RE.sub("", core)))


def bigrams(text: str) -> list[str]:
    """Character bigrams (a one-character string is its own bigram)."""
    if len(text) < 2:
        return [text] if text else []
    return [text[i : i + 2] for i in range(len(text) - 1)]
