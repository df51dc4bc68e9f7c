"""Seed the problem categories (expected answers are Chinese data) and sensible routing rules (administrators edit them later).

Does not import app code (AGENTS.md): the data is copied here.
"""

from django.db import migrations

CATEGORIES = [
    # code, 中文, English, order
    ("counterfeit_drug", "假药", "Counterfeit drug", 10),
    ("substandard_drug", "劣药", "Substandard drug", 20),
    ("unlicensed_operation", "无证经营", "Unlicensed operation", 30),
    ("insurance_fraud", "欺诈骗保／回流药倒卖", "Insurance fraud / resale of returned drugs", 40),
    ("prescription_violation", "处方药违规销售", "Prescription-drug violation", 50),
    ("cold_chain_failure", "冷链失控", "Cold-chain failure", 60),
    ("expired_drug", "过期药品", "Expired drugs", 70),
    ("illegal_online_sales", "网络违法售药", "Illegal online sales", 80),
    ("hospital_preparation_sold", "医院制剂违法上市销售", "Hospital preparation sold on the market", 90),
    ("tibetan_medicine_circulation", "藏药流通违规", "Tibetan-medicine circulation", 100),
    ("other", "其他", "Other problem", 999),
]

PHARMACIES = ("single_pharmacy", "chain_store")
CLINICS = ("hospital", "clinic")

CHECK_SUPPLIED = "请核查该单位供货的医疗机构：同批次药品库存、患者使用情况及不良反应，并反馈核查结果和处置措施。"
CHECK_SETTLEMENTS = "请核查该单位涉事药品的医保结算情况（追溯码、重复结算），确定是否拒付或追回医保基金，并反馈涉及金额和处置措施。"
CHECK_PRESCRIBING = "请核查医疗机构为上述销售开具处方的情况，并反馈核查结果。"
CHECK_CRIME = "请研判是否达到刑事立案标准（刑法第141条、第142条），并反馈研判结论及理由。"
CHECK_LICENCE = "请核查其登记注册情况以及是否借用他人证照经营，并反馈核查结果和处置措施。"
CHECK_TOURISM = "请排查旅游景区及周边商铺销售此类产品的情况，并反馈排查到的经营点和处置措施。"
CHECK_PLATFORM = "请核查平台入驻商家记录及广告发布情况，并反馈查明的商家和处置措施。"

RULES = [
    # category, entity kinds ("" = any), target kind, level, working days, expected answer
    ("counterfeit_drug", PHARMACIES, "health_commission", "same", 10, CHECK_SUPPLIED),
    ("counterfeit_drug", PHARMACIES, "medical_insurance", "same", 10, CHECK_SETTLEMENTS),
    ("counterfeit_drug", ("",), "public_security", "city", 5, CHECK_CRIME),
    ("counterfeit_drug", ("wholesaler",), "health_commission", "city", 10, CHECK_SUPPLIED),
    ("substandard_drug", PHARMACIES, "health_commission", "same", 10, CHECK_SUPPLIED),
    ("substandard_drug", PHARMACIES, "medical_insurance", "same", 10, CHECK_SETTLEMENTS),
    ("unlicensed_operation", ("",), "market_regulator", "same", 10, CHECK_LICENCE),
    ("insurance_fraud", PHARMACIES + CLINICS, "medical_insurance", "same", 5, CHECK_SETTLEMENTS),
    ("insurance_fraud", CLINICS, "health_commission", "same", 10, CHECK_PRESCRIBING),
    ("insurance_fraud", ("",), "public_security", "city", 10, CHECK_CRIME),
    ("prescription_violation", PHARMACIES, "medical_insurance", "same", 10, CHECK_SETTLEMENTS),
    ("prescription_violation", PHARMACIES, "health_commission", "same", 10, CHECK_PRESCRIBING),
    ("cold_chain_failure", ("wholesaler",), "health_commission", "city", 5, CHECK_SUPPLIED),
    ("expired_drug", CLINICS, "health_commission", "same", 10, CHECK_SUPPLIED),
    ("expired_drug", PHARMACIES, "medical_insurance", "same", 10, CHECK_SETTLEMENTS),
    ("illegal_online_sales", ("online_platform",), "market_regulator", "city", 10, CHECK_PLATFORM),
    ("illegal_online_sales", ("online_platform",), "public_security", "city", 10, CHECK_CRIME),
    ("hospital_preparation_sold", ("",), "health_commission", "same", 10, CHECK_SUPPLIED),
    ("tibetan_medicine_circulation", ("",), "culture_tourism", "same", 10, CHECK_TOURISM),
    ("tibetan_medicine_circulation", ("",), "market_regulator", "same", 10, CHECK_LICENCE),
]


def seed(apps, schema_editor):
    ProblemCategory = apps.get_model("notices", "ProblemCategory")
    RoutingRule = apps.get_model("notices", "RoutingRule")
    categories = {}
    for code, name_zh, name_en, order in CATEGORIES:
        categories[code], _ = ProblemCategory.objects.get_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "order": order}
        )
    for code, kinds, target, level, days, answer in RULES:
        for kind in kinds:
            RoutingRule.objects.get_or_create(
                category=categories[code],
                entity_kind=kind,
                target_kind=target,
                target_level=level,
                defaults={"due_working_days": days, "expected_answer": answer},
            )


def unseed(apps, schema_editor):
    apps.get_model("notices", "RoutingRule").objects.all().delete()
    apps.get_model("notices", "ProblemCategory").objects.filter(
        code__in=[c[0] for c in CATEGORIES], problems__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
