"""The demo product catalogue: a few hundred drugs, devices and cosmetics with valid numbers.

Drug approval numbers (批准文号) follow DOMAIN.md §1.2 in both schemes: the 2002 renumbering
(``国药准字Z54020113``: letter, 2-digit source, 2-digit year, 4-digit sequence) and the 2020
rules (``国药准字H20210012``, ``国药准字HJ20200031`` abroad, ``HC`` Hong Kong/Macao/Taiwan).
Device numbers follow §1.3 (``国械注准20193130123``, ``藏械注准20212140012``, ``藏拉械备20230001``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from yaojian.demo.names import words
from yaojian.registry.choices import ApprovalOrigin, EthnicMedicine, ProductKind, RiskClass
from yaojian.registry.identifiers import parse_drug_approval_number

TIBETAN_MEDICINES = words(
    "二十五味珍珠丸 七十味珍珠丸 仁青芒觉 仁青常觉 坐珠达西 二十五味松石丸 十味龙胆花颗粒 "
    "如意珍宝丸 白脉软膏 然降多吉 洁白丸 五味麝香丸 二十五味余甘子丸 十一味能消丸 六味安消散 "
    "八味沉香散 月光宝鹏丸 流感丸 帕朱丸 智托洁白丸 石榴健胃散 三味蒺藜散 十五味龙胆花丸 "
    "红花如意丸 二十五味鬼臼丸 消痛贴膏 独一味胶囊 十八味诃子利尿丸 二十味沉香丸 "
    "十三味榜嘎散 九味石灰华散 七味红花殊胜丸 二十五味绿绒蒿丸 珍宝丸 催汤丸"
)

CHEMICAL_DRUGS = words(
    "阿莫西林胶囊 头孢克肟分散片 布洛芬缓释胶囊 对乙酰氨基酚片 盐酸二甲双胍片 苯磺酸氨氯地平片 "
    "硝苯地平控释片 阿托伐他汀钙片 奥美拉唑肠溶胶囊 蒙脱石散 左氧氟沙星片 阿奇霉素片 复方甘草片 "
    "氯雷他定片 维生素C片 葡萄糖注射液 氯化钠注射液 甲硝唑片 红霉素软膏 硝酸甘油片 卡托普利片 "
    "阿司匹林肠溶片 盐酸二甲双胍缓释片 瑞舒伐他汀钙片 缬沙坦胶囊 厄贝沙坦片 格列美脲片 "
    "磷酸奥司他韦胶囊 乙酰半胱氨酸泡腾片 法莫替丁片 雷贝拉唑钠肠溶片 多潘立酮片 盐酸氨溴索片 "
    "氢溴酸右美沙芬片 头孢呋辛酯片 克拉霉素片 诺氟沙星胶囊 利巴韦林颗粒 吲哚美辛栓 "
    "马来酸依那普利片 酒石酸美托洛尔片 氢氯噻嗪片 螺内酯片 呋塞米片 华法林钠片 "
    "硫酸氢氯吡格雷片 单硝酸异山梨酯片 盐酸左西替利嗪片 地塞米松磷酸钠注射液 醋酸泼尼松片 "
    "乳酸左氧氟沙星氯化钠注射液 注射用头孢曲松钠 注射用青霉素钠 复方氨酚烷胺片 维生素B1片 "
    "叶酸片 碳酸钙D3片 硫酸亚铁片 乙酰螺旋霉素片 小儿氨酚黄那敏颗粒"
)

TCM_DRUGS = words(
    "板蓝根颗粒 连花清瘟胶囊 六味地黄丸 藿香正气水 感冒清热颗粒 复方丹参滴丸 牛黄解毒片 "
    "银翘解毒片 小柴胡颗粒 安宫牛黄丸 速效救心丸 双黄连口服液 清开灵颗粒 红景天胶囊 "
    "复方红景天口服液 红景天口服液 三七伤药片 云南白药胶囊 保和丸 逍遥丸 香砂养胃丸 "
    "补中益气丸 金嗓子喉片 京都念慈菴蜜炼川贝枇杷膏 蒲地蓝消炎片 肠炎宁片 养血清脑颗粒 "
    "脑心通胶囊 黄芪颗粒 玉屏风颗粒"
)

# (name, category letter, risk class)
SPECIAL_DRUGS = (
    ("乙型肝炎疫苗（酿酒酵母）", "S", RiskClass.VACCINE),
    ("流感病毒裂解疫苗", "S", RiskClass.VACCINE),
    ("冻干人用狂犬病疫苗（Vero细胞）", "S", RiskClass.VACCINE),
    ("麻腮风联合减毒活疫苗", "S", RiskClass.VACCINE),
    ("吸附无细胞百白破联合疫苗", "S", RiskClass.VACCINE),
    ("23价肺炎球菌多糖疫苗", "S", RiskClass.VACCINE),
    ("重组带状疱疹疫苗（CHO细胞）", "S", RiskClass.VACCINE),
    ("人血白蛋白", "S", RiskClass.BLOOD_PRODUCT),
    ("静注人免疫球蛋白（pH4）", "S", RiskClass.BLOOD_PRODUCT),
    ("人凝血因子Ⅷ", "S", RiskClass.BLOOD_PRODUCT),
    ("重组人胰岛素注射液", "S", RiskClass.COLD_CHAIN),
    ("甘精胰岛素注射液", "S", RiskClass.COLD_CHAIN),
    ("盐酸吗啡片", "H", RiskClass.NARCOTIC),
    ("芬太尼透皮贴剂", "H", RiskClass.NARCOTIC),
    ("盐酸哌替啶注射液", "H", RiskClass.NARCOTIC),
    ("地西泮片", "H", RiskClass.PSYCHOTROPIC),
    ("艾司唑仑片", "H", RiskClass.PSYCHOTROPIC),
    ("阿普唑仑片", "H", RiskClass.PSYCHOTROPIC),
    ("亚砷酸注射液", "H", RiskClass.TOXIC),
    ("注射用A型肉毒毒素", "S", RiskClass.TOXIC),
    ("碘[131I]化钠口服溶液", "H", RiskClass.RADIOACTIVE),
    ("复方盐酸伪麻黄碱缓释胶囊", "H", RiskClass.PRECURSOR),
    ("盐酸麻黄碱滴鼻液", "H", RiskClass.PRECURSOR),
)

# (name, device class 1/2/3, 2-digit classification code)
DEVICES = (
    ("医用外科口罩", 2, "14"),
    ("一次性使用医用口罩", 2, "14"),
    ("一次性使用无菌注射器", 3, "14"),
    ("一次性使用输液器", 3, "14"),
    ("血糖仪", 2, "07"),
    ("血糖试纸", 2, "22"),
    ("电子血压计", 2, "07"),
    ("医用电子体温计", 2, "07"),
    ("医用退热贴", 1, "09"),
    ("医用脱脂棉", 1, "14"),
    ("医用弹力绷带", 1, "14"),
    ("制氧机", 2, "08"),
    ("指夹式脉搏血氧仪", 2, "07"),
    ("人工晶状体", 3, "16"),
    ("冠状动脉药物洗脱支架系统", 3, "13"),
    ("植入式心脏起搏器", 3, "12"),
    ("髋关节假体", 3, "13"),
    ("新型冠状病毒抗原检测试剂盒（胶体金法）", 3, "40"),
    ("医用防护服", 2, "14"),
    ("助听器", 2, "19"),
    ("医用雾化器", 2, "08"),
    ("隐形眼镜护理液", 3, "16"),
    ("软性亲水接触镜", 3, "16"),
    ("创可贴", 1, "14"),
)

COSMETICS = words(
    "高原修护面霜 雪域保湿乳 防晒霜SPF50 润唇膏 美白精华液 染发膏 氨基酸洁面乳 "
    "紫外线隔离霜 祛斑霜 护手霜 牦牛乳滋养霜 烫发剂 祛痘凝胶 儿童面霜 沙棘精华面膜"
)

STRENGTHS = {
    "片": ("0.1g", "0.25g", "0.5g", "5mg", "10mg", "20mg"),
    "胶囊": ("0.25g", "0.5g", "20mg", "75mg"),
    "颗粒": ("3g", "5g", "10g"),
    "丸": ("1g", "0.5g", "每10丸重2g"),
    "散": ("15g", "10g"),
    "注射液": ("2ml:10mg", "10ml:0.5g", "250ml:12.5g", "100ml"),
    "软膏": ("10g:0.1g", "15g"),
    "贴膏": ("每贴重10g",),
    "口服液": ("10ml",),
}
SOURCES_LEGACY_NATIONAL = ("10", "19", "20")


@dataclass(frozen=True)
class ProductSpec:
    """One catalogue product before it is saved; ``local`` means a holder in the province."""

    kind: str
    name: str
    approval_number: str
    approval_scheme: str
    origin: str
    category: str
    dosage_form: str
    strength: str
    ethnic_medicine: str
    risk_class: str
    local: bool


def _dosage(name: str, rng: random.Random) -> tuple[str, str]:
    for form in sorted(STRENGTHS, key=len, reverse=True):
        if name.endswith(form) or form in name[-4:]:
            return form, rng.choice(STRENGTHS[form])
    return "", ""


class _Numbers:
    """Draws approval numbers that are unique within one catalogue."""

    def __init__(self, rng: random.Random, province: str) -> None:
        self.rng = rng
        self.province = province
        self.used: set[str] = set()

    def _unique(self, draw: object) -> str:
        while True:
            number = draw()  # type: ignore[operator]
            if number not in self.used:
                self.used.add(number)
                return str(number)

    def legacy(self, letter: str, source: str) -> str:
        rng = self.rng

        def draw() -> str:
            if source == "10":
                year = rng.randint(80, 99)
            elif source == "19":
                year = rng.randint(98, 99)
            elif source == "20":
                year = rng.randint(0, 19)
            else:
                year = rng.randint(2, 5)
            return f"国药准字{letter}{source}{year:02d}{rng.randint(1, 9999):04d}"

        return self._unique(draw)

    def reg_2020(self, letter: str, origin_letter: str = "") -> str:
        rng = self.rng
        return self._unique(
            lambda: (
                f"国药准字{letter}{origin_letter}{rng.randint(2020, 2025)}"
                f"{rng.randint(1, 9999):04d}"
            )
        )

    def device(self, device_class: int, classification: str, abbr: str, city: str) -> str:
        rng = self.rng
        year = rng.randint(2015, 2025)
        if device_class == 1:
            return self._unique(lambda: f"{abbr}{city}械备{year}{rng.randint(1, 9999):04d}")
        issuer, kind = ("国", "准") if device_class == 3 else (abbr, "准")
        if device_class == 3 and rng.random() < 0.3:
            kind = "进"
        return self._unique(
            lambda: (
                f"{issuer}械注{kind}{year}{device_class}{classification}{rng.randint(1, 9999):04d}"
            )
        )

    def cosmetic(self, abbr: str, special: bool) -> str:
        rng = self.rng
        year = rng.randint(2018, 2025)
        if special:
            return self._unique(lambda: f"国妆特字G{year}{rng.randint(1, 9999):04d}")
        return self._unique(lambda: f"{abbr}G妆网备字{year}{rng.randint(1, 999999):06d}")


def catalogue(
    rng: random.Random, province: str, abbr: str, city_abbr: str
) -> Iterator[ProductSpec]:
    """The catalogue of a province: ~350 products, the same for the same ``rng`` state."""
    numbers = _Numbers(rng, province)
    tibetan_source = province if province in {"54", "63", "51", "62", "53"} else "54"
    for name in TIBETAN_MEDICINES:
        for _ in range(rng.choice((1, 1, 2))):
            legacy = rng.random() < 0.75
            number = numbers.legacy("Z", tibetan_source) if legacy else numbers.reg_2020("Z")
            yield _drug_spec(
                rng,
                name,
                number,
                RiskClass.ORDINARY,
                local=tibetan_source == province,
                ethnic_medicine=EthnicMedicine.TIBETAN,
            )
    for names, letter, makers in ((CHEMICAL_DRUGS, "H", (2, 3, 4)), (TCM_DRUGS, "Z", (1, 2, 3))):
        for name in names:
            for _ in range(rng.choice(makers)):
                yield _drug(rng, numbers, name, letter, RiskClass.ORDINARY, province)
    for name, letter, risk in SPECIAL_DRUGS:
        yield _drug(rng, numbers, name, letter, risk, province, local_share=0.0)
    for name, device_class, classification in DEVICES:
        for _ in range(rng.choice((1, 2))):
            yield ProductSpec(
                kind=ProductKind.DEVICE,
                name=name,
                approval_number=numbers.device(device_class, classification, abbr, city_abbr),
                approval_scheme="",
                origin=ApprovalOrigin.DOMESTIC,
                category=str(device_class),
                dosage_form="",
                strength="",
                ethnic_medicine=EthnicMedicine.NONE,
                risk_class=RiskClass.HIGH_RISK_DEVICE if device_class == 3 else RiskClass.ORDINARY,
                local=False,
            )
    for name in COSMETICS:
        special = name.startswith(("防晒", "美白", "祛斑", "染发", "烫发"))
        yield ProductSpec(
            kind=ProductKind.COSMETIC,
            name=name,
            approval_number=numbers.cosmetic(abbr, special),
            approval_scheme="",
            origin=ApprovalOrigin.DOMESTIC,
            category="special" if special else "general",
            dosage_form="",
            strength="",
            ethnic_medicine=EthnicMedicine.NONE,
            risk_class=RiskClass.ORDINARY,
            local=False,
        )


def _drug_spec(
    rng: random.Random,
    name: str,
    number: str,
    risk: str,
    *,
    local: bool,
    ethnic_medicine: str = EthnicMedicine.NONE,
) -> ProductSpec:
    parsed = parse_drug_approval_number(number)
    form, strength = _dosage(name, rng)
    return ProductSpec(
        kind=ProductKind.DRUG,
        name=name,
        approval_number=parsed.normalised,
        approval_scheme=parsed.scheme,
        origin=parsed.origin,
        category=parsed.category,
        dosage_form=form,
        strength=strength,
        ethnic_medicine=ethnic_medicine,
        risk_class=risk,
        local=local,
    )


def _drug(
    rng: random.Random,
    numbers: _Numbers,
    name: str,
    letter: str,
    risk: str,
    province: str,
    local_share: float = 0.15,
) -> ProductSpec:
    roll = rng.random()
    if roll < local_share:
        return _drug_spec(rng, name, numbers.legacy(letter, province), risk, local=True)
    if roll < 0.55:
        number = numbers.legacy(letter, rng.choice(SOURCES_LEGACY_NATIONAL))
    else:
        origin_letter = ""
        if letter != "Z" and rng.random() < 0.12:
            origin_letter = rng.choice(("J", "J", "C"))
        number = numbers.reg_2020(letter, origin_letter)
    return _drug_spec(rng, name, number, risk, local=False)
