"""The default community taxonomy (two levels) and the default deadline policies (Shanghai hotline practice)."""

from django.db import migrations

TAXONOMY = [
    ("property", "物业管理", [("property_service", "物业服务"), ("property_fee", "物业收费"),
                              ("property_security", "门岗安保"), ("owners_committee", "业委会")]),
    ("repair", "房屋修缮", [("roof_leak", "屋面渗漏"), ("wall_damage", "外墙破损"), ("pipes", "上下水管道"),
                           ("old_housing", "旧住房改造")]),
    ("elevator", "加装电梯", [("elevator_consult", "政策咨询"), ("elevator_consent", "意见征询"),
                              ("elevator_works", "施工协调")]),
    ("stairwell", "楼道堆物", [("stairwell_clutter", "楼道杂物"), ("ebike_charging", "电瓶车充电"),
                               ("group_rental", "群租")]),
    ("illegal_build", "违章搭建", [("illegal_extension", "违法搭建"), ("illegal_alteration", "擅自改建")]),
    ("sanitation", "环境卫生", [("cleaning", "保洁"), ("pests", "病媒防治"), ("drains", "污水外溢")]),
    ("waste_sorting", "垃圾分类", [("sorting_points", "投放点"), ("bulky_waste", "大件垃圾"),
                                   ("sorting_guidance", "分类指导")]),
    ("fumes_noise", "油烟噪声扰民", [("cooking_fumes", "餐饮油烟"), ("construction_noise", "施工噪声"),
                                     ("living_noise", "生活噪声")]),
    ("greenery", "绿化树木", [("tree_pruning", "树木修剪"), ("green_damage", "绿化损坏"),
                              ("green_occupation", "毁绿占绿")]),
    ("traffic", "停车交通", [("parking", "停车难"), ("ebike_parking", "非机动车停放"),
                             ("road_damage", "道路破损")]),
    ("facilities", "公共设施", [("street_lights", "路灯照明"), ("fitness", "健身设施"), ("manholes", "井盖"),
                                ("doors_access", "门禁")]),
    ("safety", "治安消防", [("public_order", "治安"), ("fire_passage", "消防通道"), ("fire_hazard", "消防隐患")]),
    ("animals", "流浪动物", [("stray_cats", "流浪猫"), ("stray_dogs", "流浪狗"), ("pet_keeping", "文明养宠")]),
    ("neighbours", "邻里纠纷", [("water_leak_dispute", "漏水纠纷"), ("space_dispute", "公共空间占用"),
                                ("mediation", "调解")]),
    ("elderly", "为老服务", [("meal_aid", "助餐"), ("home_care", "居家养老"), ("elderly_allowance", "老年补贴")]),
    ("employment", "就业社保", [("job_seeking", "就业援助"), ("social_insurance", "社保"),
                                ("minimum_living", "低保救助")]),
    ("health", "医疗卫生", [("family_doctor", "家庭医生"), ("vaccination", "疫苗接种"),
                            ("health_services", "社区卫生服务")]),
    ("education_culture", "教育文体", [("schooling", "入学"), ("culture_activities", "文体活动"),
                                       ("child_care", "托育")]),
    ("enterprise_service", "企业服务", [("business_policy", "政策咨询"), ("business_registration", "证照办理"),
                                        ("talent", "人才服务"), ("office_space", "办公楼宇")]),
    ("other", "其他", [("other_consultation", "其他咨询"), ("other_suggestion", "意见建议")]),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("demands", "Category")
    DeadlinePolicy = apps.get_model("demands", "DeadlinePolicy")
    for i, (code, name, children) in enumerate(TAXONOMY, start=1):
        parent, _ = Category.objects.get_or_create(subdistrict=None, code=code,
                                                   defaults={"name": name, "order": i * 10})
        for j, (child_code, child_name) in enumerate(children, start=1):
            Category.objects.get_or_create(subdistrict=None, code=child_code,
                                           defaults={"name": child_name, "parent": parent, "order": j})
    # Contact the resident within 1 working day; consultations answered in 1; help and complaints in 5.
    for kind, resolution in (("", 5), ("consultation", 1)):
        DeadlinePolicy.objects.get_or_create(category=None, kind=kind, priority="",
                                             defaults={"response_days": 1, "resolution_days": resolution})


def backwards(apps, schema_editor):
    apps.get_model("demands", "DeadlinePolicy").objects.filter(category=None).delete()
    Category = apps.get_model("demands", "Category")
    Category.objects.filter(subdistrict=None, parent__isnull=False).delete()
    Category.objects.filter(subdistrict=None).delete()


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
