"""The catalogue services: items validated with field errors (in Chinese), the materials checklist parsed and
replaced, deactivation, categories, who may write, and the all-or-nothing bulk import."""

from decimal import Decimal

import pytest
from django.utils import translation

from gongzhi.core.errors import Forbidden, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.services.models import ServiceItem, ServiceLevel, ServiceMaterial
from gongzhi.services.services import catalogue as services
from tests.services import factories as sf

pytestmark = pytest.mark.django_db


def _item(actor, **kw):
    values = {"code": "YB-001", "name": "医保账单打印", "category": sf.category(), "time_limit_days": 0}
    return services.create_item(actor=actor, **(values | kw))


def test_parse_materials_reads_lines_and_optional_marks():
    assert services.parse_materials("身份证\n户口簿（可选）；照片*\n\n  ") == [
        {"name": "身份证", "required": True, "note": ""}, {"name": "户口簿", "required": False, "note": ""},
        {"name": "照片", "required": False, "note": ""}]


def test_an_item_is_created_with_its_checklist_and_history(people):
    item = _item(people.admin, materials="身份证\n社保卡（可选）", fee="12.5", remote=True)
    assert item.level == ServiceLevel.CITY and item.region is None and item.fee == Decimal("12.50")
    assert [(m.name, m.required, m.position) for m in item.materials.order_by("position")] == [
        ("身份证", True, 0), ("社保卡", False, 1)]
    assert item.history.first().history_user == people.admin
    assert ServiceMaterial.history.filter(item_id=item.pk).count() == 2


def test_bad_input_is_refused_field_by_field_in_chinese(people, street):
    _item(people.admin)
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as e:
        services.create_item(actor=people.admin, code="YB-001", name=" ", category=None, level=ServiceLevel.CITY,
                             region=street.area_a, time_limit_days=-1, fee="-3", for_residents=False,
                             materials=["身份证", "身份证"])
    errors = e.value.field_errors
    with translation.override("zh-hans"):
        in_use = translation.gettext("This code is already in use.")
    assert set(errors) == {"code", "name", "category", "region", "time_limit_days", "fee", "for_residents",
                           "materials"}
    assert errors["code"] == [in_use]
    assert ServiceItem.objects.count() == 1


def test_an_own_item_needs_a_region_of_its_level_in_the_managers_scope(people, street):
    with pytest.raises(ValidationFailed) as e:
        _item(people.admin, code="A1", level=ServiceLevel.SUBDISTRICT, region=street.area_a)
    assert "region" in e.value.field_errors
    other = sf.factories.region("subdistrict", street.district, name="别的街道")
    with pytest.raises(ValidationFailed) as e:
        _item(people.admin, code="A2", level=ServiceLevel.SUBDISTRICT, region=other)
    assert "region" in e.value.field_errors
    made = _item(people.admin, code="A3", level=ServiceLevel.AREA, region=street.area_a)
    assert made.region == street.area_a


def test_only_catalogue_managers_write(people):
    with pytest.raises(Forbidden):
        _item(people.insider)
    item = _item(people.admin)
    with pytest.raises(Forbidden):
        services.deactivate_item(item, actor=people.insider)
    with pytest.raises(Forbidden):
        services.create_category(actor=people.insider, code="x", name="x")


def test_update_replaces_the_checklist_and_deactivation_keeps_the_item(people):
    item = _item(people.admin, materials=["身份证", "户口簿"])
    services.update_item(item, actor=people.admin, name="医保账单打印（远程）", materials=[
        {"name": "社保卡", "required": False, "note": "原件"}])
    item.refresh_from_db()
    assert item.name == "医保账单打印（远程）"
    assert [(m.name, m.required, m.note) for m in item.materials.all()] == [("社保卡", False, "原件")]
    services.update_item(item, actor=people.admin, time_limit_days=3)  # materials untouched when not given
    assert item.materials.count() == 1
    services.deactivate_item(item, actor=people.admin)
    item.refresh_from_db()
    assert not item.active
    services.activate_item(item, actor=people.admin)
    item.refresh_from_db()
    assert item.active


def test_categories_have_unique_codes_and_names(people):
    made = services.create_category(actor=people.admin, code="elderly", name="为老服务", position=3)
    with pytest.raises(ValidationFailed) as e:
        services.create_category(actor=people.admin, code="elderly", name="为老服务")
    assert set(e.value.field_errors) == {"code", "name"}
    services.update_category(made, actor=people.admin, code="elderly", name="养老服务", position=4)
    made.refresh_from_db()
    assert (made.name, made.position) == ("养老服务", 4)


def test_the_bulk_import_is_all_or_nothing(people):
    category = sf.category()
    good = {"item": None, "code": "B1", "name": "敬老卡办理", "category": category, "materials": ["身份证"]}
    bad = {"item": None, "code": "B1", "name": "重复编码", "category": category, "materials": []}
    with pytest.raises(ValidationFailed) as e:
        services.import_items([good, bad], actor=SYSTEM)
    assert list(e.value.field_errors) == ["row 2: code"]
    assert not ServiceItem.objects.exists()
    counts = services.import_items([good, dict(good, code="B2", name="老年综合津贴申领")], actor=SYSTEM)
    assert counts == {"created": 2, "updated": 0, "unchanged": 0}
    assert ServiceMaterial.objects.filter(item__code="B2").count() == 1
    b1 = ServiceItem.objects.get(code="B1")
    counts = services.import_items([dict(good, item=b1, name="敬老卡申领", materials=None)], actor=SYSTEM)
    assert counts["updated"] == 1 and ServiceItem.objects.get(code="B1").materials.count() == 1
