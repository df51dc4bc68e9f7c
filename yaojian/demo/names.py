"""Name and address data for the demo province: people, brands, streets, townships.

Everything here is *data* (Chinese words that real records contain), drawn with a seeded
``random.Random`` so that the same seed always gives the same province.
"""

from __future__ import annotations

import random
import re


def words(text: str) -> tuple[str, ...]:
    """The space-separated words of ``text`` (keeps long word lists readable)."""
    return tuple(text.split())


# --- people ---------------------------------------------------------------------------------

# Common Tibetan name elements; a full name is usually two of them (扎西次仁, 格桑卓玛).
TIBETAN_NAME_PARTS = words(
    "扎西 次仁 格桑 卓玛 央金 达瓦 尼玛 平措 旺堆 多吉 拉姆 德吉 曲珍 边巴 普布 白玛 "
    "索朗 洛桑 丹增 顿珠 次旦 米玛 巴桑 益西 群培 旦增 罗布 仁增 加措 琼达 桑珠 强巴 "
    "贡嘎 拉巴 嘎玛 阿旺 德庆 措姆 玉珍 卓嘎 次珍 旺姆 欧珠 朗杰 赤列 四郎 才旦 土登"
)

HAN_SURNAMES = words(
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 "
    "邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪"
)

HAN_GIVEN_CHARACTERS = words(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 玉 萍 红 "
    "娥 玲 飞 鹏 辉 斌 宇 浩 凯 健 俊 帆 帅 旭 宁 龙 林 欣 佳 怡 晨 博 文 雪 梅 琳 颖 "
    "海 波 峰 建 国 志 荣 新 春 晓 燕 慧 婷 倩 阳 亮 成 兵 毅 彬 鑫 振 宏 东 昊"
)

# Share of Tibetan names among the people of a province (by two-digit province code).
TIBETAN_NAME_SHARE = {"54": 0.8, "63": 0.3, "51": 0.06, "62": 0.05, "53": 0.03}


def person_name(rng: random.Random, province: str) -> str:
    """A plausible full name for someone living in ``province`` (two-digit code)."""
    if rng.random() < TIBETAN_NAME_SHARE.get(province, 0.0):
        first, second = rng.sample(TIBETAN_NAME_PARTS, 2)
        return first if rng.random() < 0.12 else first + second
    surname = rng.choice(HAN_SURNAMES)
    given = rng.choice(HAN_GIVEN_CHARACTERS)
    if rng.random() < 0.7:
        given += rng.choice(HAN_GIVEN_CHARACTERS)
    return surname + given


MOBILE_PREFIXES = words(
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "166 173 175 176 177 178 180 181 182 183 185 186 187 188 189 191 198 199"
)


def mobile_phone(rng: random.Random) -> str:
    """An 11-digit mainland mobile number."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


# --- brands ---------------------------------------------------------------------------------

BRAND_FIRST = words(
    "康 仁 济 益 百 德 同 安 惠 天 吉 雪 格 扎 圣 福 民 健 宝 高 瑞 众 恒 华 金 鑫 "
    "国 正 泰 和 嘉 长 新 永 信 爱 春 万 宏 鹏 祥 隆 佳 明 海 源 昌 盛 润 博"
)
BRAND_SECOND = words(
    "源 和 民 康 姓 仁 堂 安 泽 诚 祥 域 桑 西 康 寿 生 民 石 莲 原 佑 康 信 泰 达 "
    "元 润 兴 丰 宁 春 盛 德 林 方 邦 福 济 草 恩 瑞 华 利 鑫 广 辉 远 通 乐"
)
TIBETAN_BRANDS = words(
    "雪域 格桑 扎西 珠峰 圣地 雅砻 拉萨 羊湖 喜马 冈仁 念青 唐古 甘露 奇正 神猴 "
    "金珠 藏缘 吉祥 宇妥 曼唐 藏诺 德吉 卓玛 雅江 高原 纳木 扎囊 贡嘎 尼洋"
)


def brand(rng: random.Random, province: str) -> str:
    """A two-character trade-name word (字号)."""
    if province == "54" and rng.random() < 0.35:
        return rng.choice(TIBETAN_BRANDS)
    return rng.choice(BRAND_FIRST) + rng.choice(BRAND_SECOND)


# --- places ---------------------------------------------------------------------------------

GENERIC_STREETS = words(
    "人民路 解放路 建设路 和平路 中山路 文化路 胜利路 团结路 幸福路 民族路 新华路 "
    "长江路 黄河路 滨河路 健康路 友谊路 光明路 东风路 朝阳路 北京路 迎宾大道 "
    "世纪大道 工农路 花园路 府前街 西大街 东大街 南大街 北大街 站前路"
)
TIBET_STREETS = words(
    "北京中路 北京东路 北京西路 江苏路 金珠西路 金珠中路 林廓北路 林廓东路 宇拓路 "
    "朵森格路 色拉路 藏大路 八廓街 夺底路 扎基路 当热中路 纳金路 娘热路 罗布林卡路 "
    "德吉路 太阳岛路 柳梧大道 上海中路 山东路 珠峰路 青岛路 扎什伦布寺路 吉林南路"
)

# Real townships (乡镇/街道) of a few counties; other counties get generic ones.
TOWNSHIPS: dict[str, tuple[str, ...]] = {
    "540102": words(
        "八廓街道 吉日街道 吉崩岗街道 札细街道 公德林街道 嘎玛贡桑街道 两岛街道 "
        "金珠西路街道 纳金乡 娘热乡 蔡公堂乡 夺底乡"
    ),
    "540103": words("东嘎街道 乃琼镇 羊达街道 古荣镇 马乡 德庆镇 柳梧街道"),
    "540104": words("德庆镇 塔杰乡 章多乡 唐嘎乡 雪乡 邦堆乡"),
    "540121": words("甘丹曲果镇 春堆乡 松盘乡 卡孜乡 旁多乡 唐古乡 边交林乡 强嘎乡"),
    "540202": words("城南街道 城北街道 甲措雄乡 聂日雄乡 东嘎乡 江当乡 曲布雄乡"),
    "540222": words("江孜镇 重孜乡 卡麦乡 年堆乡 紫金乡 热索乡"),
    "540302": words("城关镇 俄洛镇 卡若镇 芒达乡 沙贡乡 嘎玛乡"),
    "540402": words("八一镇 林芝镇 百巴镇 布久乡 米瑞乡 更章门巴民族乡"),
    "540502": words("泽当街道 昌珠镇 颇章乡 结巴乡 多颇章乡"),
    "540602": words("那曲镇 罗玛镇 古露镇 香茂乡 尼玛乡"),
    "542523": words("狮泉河镇 昆莎乡 左左乡 门士乡 扎西岗乡"),
}
GENERIC_TOWNSHIPS = words("城关镇 东城街道 西城街道 南城街道 北城街道 新城街道 城郊乡 工业园区")


def townships(county_code: str, count: int) -> list[str]:
    """``count`` township names of a county (real ones where known)."""
    known = list(TOWNSHIPS.get(county_code, ()))
    names = known + [name for name in GENERIC_TOWNSHIPS if name not in known]
    return names[:count]


def street(rng: random.Random, province: str) -> str:
    """A street name, local flavour for Tibet."""
    if province == "54" and rng.random() < 0.7:
        return rng.choice(TIBET_STREETS)
    return rng.choice(GENERIC_STREETS)


def address(rng: random.Random, province: str, locality: str, township: str, road: str = "") -> str:
    """``拉萨市城关区八廓街道北京中路123号``."""
    return f"{locality}{township}{road or street(rng, province)}{rng.randint(1, 399)}号"


_REGION_SUFFIX = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市)$")


def province_short(name: str) -> str:
    """``西藏自治区`` → ``西藏``; ``北京市`` → ``北京``; ``广西壮族自治区`` → ``广西``."""
    return _REGION_SUFFIX.sub("", name) or name


def county_short(name: str) -> str:
    """``城关区`` → ``城关``; ``索县`` stays ``索县`` (a one-character stem keeps its suffix)."""
    stem = re.sub(r"(自治县|自治旗|区|县|市|旗)$", "", name)
    return stem if len(stem) >= 2 else name


# --- status reasons -------------------------------------------------------------------------

EXPIRY_REASON = "许可证有效期届满，未在规定期限内申请重新审查发证"
SUSPENSION_REASONS = (
    "飞行检查发现严重违反药品经营质量管理规范，依法责令暂停经营活动",
    "执业药师不在岗，责令限期整改期间暂停经营",
    "冷链储存设施不符合要求，暂停相关经营活动",
)
REVOCATION_REASONS = (
    "销售假药，依据《药品管理法》第一百一十六条吊销许可证",
    "伪造购销记录、出租出借许可证，依据《药品管理法》第一百二十二条吊销许可证",
    "以欺骗手段取得许可证，依据《药品管理法》第一百二十三条撤销许可",
)


# --- departments ----------------------------------------------------------------------------

# Name templates by (code prefix, level). {province}, {city}, {locality} and {short} are filled
# in; "county_district" is used for a police sub-bureau of a city district (城关分局).
DEPARTMENT_NAMES: dict[tuple[str, str], str] = {
    ("MPA", "province"): "{province}药品监督管理局",
    ("MPA", "city"): "{province}药品监督管理局{city}检查分局",
    ("SAMR", "province"): "{province}市场监督管理局",
    ("SAMR", "city"): "{city}市场监督管理局",
    ("SAMR", "county"): "{locality}市场监督管理局",
    ("HC", "province"): "{province}卫生健康委员会",
    ("HC", "city"): "{city}卫生健康委员会",
    ("HC", "county"): "{locality}卫生健康委员会",
    ("NHSA", "province"): "{province}医疗保障局",
    ("NHSA", "city"): "{city}医疗保障局",
    ("NHSA", "county"): "{locality}医疗保障局",
    ("PSB", "province"): "{province}公安厅",
    ("PSB", "municipality"): "{province}公安局",
    ("PSB", "city"): "{city}公安局",
    ("PSB", "county"): "{locality}公安局",
    ("PSB", "county_district"): "{city}公安局{short}分局",
    ("CT", "province"): "{province}文化和旅游厅",
    ("CT", "municipality"): "{province}文化和旅游局",
    ("CT", "city"): "{city}文化和旅游局",
    ("CT", "county"): "{locality}文化和旅游局",
    ("POST", "province"): "{province}邮政管理局",
}
GRID_CELL_NAME = "{locality}{township}网格"
PHARMACIST = "执业药师"
PHARMACIST_IN_CHARGE = "主管药师"


# --- entity names ---------------------------------------------------------------------------

# Templates by entity "style"; {province} is the short province name (西藏), {city} the city's
# full name, {locality} city + county (拉萨市城关区), {township} a township, {brand} a 字号.
ENTITY_NAMES: dict[str, tuple[str, ...]] = {
    "single_pharmacy": (
        "{locality}{brand}大药房",
        "{locality}{brand}药店",
        "{locality}{brand}药房",
        "{city}{brand}大药房有限公司",
        "{locality}{brand}平价药房",
        "{locality}{township}{brand}药店",
    ),
    "retail_chain_hq": (
        "{province}{brand}医药连锁有限公司",
        "{city}{brand}大药房连锁有限公司",
        "{province}{brand}大药房连锁经营有限公司",
    ),
    "chain_store": ("{hq}{short}{street}店",),
    "wholesaler": (
        "{province}{brand}医药有限公司",
        "{city}{brand}药业有限责任公司",
        "{province}{brand}医药物流有限公司",
    ),
    "manufacturer_tibetan": (
        "{province}{brand}藏药股份有限公司",
        "{province}{brand}藏药厂",
        "{city}{brand}藏药有限公司",
    ),
    "manufacturer": (
        "{province}{brand}制药有限公司",
        "{province}{brand}药业股份有限公司",
        "{city}{brand}生物制药有限公司",
    ),
    "tibetan_medicine": (
        "{locality}{brand}藏药店",
        "{locality}{brand}藏药材经营部",
        "{city}{brand}藏医药有限公司",
    ),
    "device_business": (
        "{city}{brand}医疗器械有限公司",
        "{locality}{brand}医疗器械经营部",
        "{locality}{brand}康复器材店",
    ),
    "cosmetics_business": (
        "{locality}{brand}化妆品店",
        "{locality}{brand}美妆店",
        "{city}{brand}商贸有限公司",
    ),
    "online_platform": (
        "{province}{brand}网络科技有限公司",
        "{province}{brand}健康科技有限公司",
    ),
    "clinic": (
        "{locality}{brand}诊所",
        "{locality}{brand}口腔诊所",
        "{locality}{township}{brand}门诊部",
        "{locality}{brand}中医诊所",
    ),
    "clinic_tibetan": ("{locality}{brand}藏医诊所",),
    "hospital_private": (
        "{city}{brand}医院",
        "{city}{brand}妇产医院",
        "{city}{brand}眼科医院",
        "{city}{brand}口腔医院",
        "{locality}{brand}医院",
    ),
}
# Public hospitals: one of each per place; {place} is the province, city or county name.
PUBLIC_HOSPITALS_PROVINCE = ("{place}人民医院", "{place}第二人民医院", "{place}妇幼保健院")
PUBLIC_HOSPITALS_CITY = ("{place}人民医院", "{place}第二人民医院", "{place}妇幼保健院")
PUBLIC_HOSPITALS_COUNTY = ("{place}人民医院", "{place}妇幼保健计划生育服务中心")
TIBETAN_HOSPITAL = "{place}藏医院"
TCM_HOSPITAL = "{place}中医医院"
TOWNSHIP_HEALTH_CENTRE = "{place}{township}卫生院"
STREET_HEALTH_CENTRE = "{place}{township}社区卫生服务中心"
