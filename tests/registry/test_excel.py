"""Excel import/export of the registry lists, driven through the engine and the CLI commands."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from gongzhi.accounts.roles import Role
from gongzhi.core.excel import export_workbook, get_spec, import_file, specs, template_workbook
from gongzhi.core.models import ImportJob
from gongzhi.core.tasks import run_import_job
from gongzhi.registry.models import (
    Building,
    Estate,
    Household,
    Liaison,
    MemberUnit,
    PartyMember,
    PartyOrg,
    ProfessionalTeam,
    Region,
    ServicePlace,
    VolunteerTeam,
)
from tests import factories

REGISTRY = [k for k, s in specs().items() if s.model._meta.app_label == "registry" and s.edit]  # importable lists
MODELS = [Region, Building, MemberUnit, PartyOrg, PartyMember, Liaison, ProfessionalTeam, VolunteerTeam, ServicePlace,
          Estate, Household]


def xlsx(headers, *rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def sheet(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def counts() -> dict:
    return {m.__name__: m.objects.count() for m in MODELS}


def more_registry(s):
    """Teams, liaisons and places on top of the street, so every list has rows."""
    chief = Liaison.objects.create(name="王首席", phone="13800000001", region=s.subdistrict, is_chief=True)
    liaison = Liaison.objects.create(name="赵联络", phone="13800000002", region=s.subdistrict, chief=chief)
    liaison.buildings.set([s.building_a1, s.building_b1])
    team = ProfessionalTeam.objects.create(name="城管中队", kind="urban_management", region=s.subdistrict)
    team.grids.set([s.grid_a1, s.grid_b1])
    VolunteerTeam.objects.create(name="梧桐志愿队", region=s.area_a, member_unit=s.unit_a, member_count=12)
    centre = ServicePlace.objects.create(code="SC1", name="党建服务中心", kind="centre", region=s.subdistrict)
    ServicePlace.objects.create(code="ST1", name="梧桐服务站", centre=centre, region=s.area_a)
    PartyOrg.objects.filter(pk=s.org_a.pk).update(code="Z-LAST")  # a child whose code sorts after its parent's
    estate = Estate.objects.create(code="E-WT", name="梧桐花园", area=s.area_a, property_phone="13700000001")
    Building.objects.filter(pk=s.building_a1.pk).update(estate=estate)
    Household.objects.create(building=s.building_a1, room="101", head_name="王阿姨", phone="13900000001")


def test_every_list_exports_and_imports_again_unchanged(people, street):
    """An export of each list is a valid import: nothing changes, and importing twice is idempotent."""
    more_registry(street)
    before = counts()
    for kind in REGISTRY:
        data = export_workbook(get_spec(kind), people.admin)
        result = import_file(get_spec(kind), io.BytesIO(data), people.admin)
        assert result.errors == [], kind
        assert result.created == 0 and result.updated == 0, kind
        assert result.unchanged == len(sheet(data)) - 1 > 0, kind
    assert counts() == before


def test_template_has_headers_hints_and_drop_downs(db):
    wb = load_workbook(io.BytesIO(template_workbook(get_spec("regions"))))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("编码", "名称", "类型", "上级编码")
    assert rows[1][0].startswith("必填")
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"区,街道,居民区,微网格"' in lists


def test_template_with_its_hint_row_imports_new_regions_under_parents_defined_above(people, street):
    wb = load_workbook(io.BytesIO(template_workbook(get_spec("regions"))))
    ws = wb.active
    ws.append(["NEW-AREA", "新建居民区", "居民区", street.subdistrict.code, "新居委会", 1200, 3000, "新路1号"])
    ws.append(["NEW-GRID", "新网格", "微网格", "NEW-AREA", None, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    result = import_file(get_spec("regions"), buf, people.admin)
    assert result.errors == [] and result.created == 2
    grid = Region.objects.get(code="NEW-GRID")
    assert grid.parent.code == "NEW-AREA" and grid.path.startswith(street.subdistrict.path)
    record = grid.history.first()
    assert record.history_user == people.admin and record.history_change_reason == "Excel import"


def test_one_bad_row_among_good_ones_names_row_and_column_and_writes_nothing(people, street):
    before = counts()
    data = xlsx(
        ["编码", "名称", "类型", "所属区域编码", "联系电话", "加入日期"],
        ["U-NEW1", "新单位一", "企业", street.area_a.code, "13912345678", "2024-03-01"],
        ["U-NEW2", "新单位二", "学校", street.area_a.code, "12345", "2024-03-01"],
        ["U-NEW3", "新单位三", "不存在的类型", street.area_a.code, "", "2024-02-30"],
        [street.unit_a.code, "改名的医院", "医院", street.area_a.code, "", ""],
    )
    result = import_file(get_spec("member_units"), data, people.admin)
    problems = {(e["row"], e["column"]) for e in result.errors}
    assert problems == {(3, "联系电话"), (4, "类型"), (4, "加入日期")}
    assert all(e["message"] for e in result.errors)
    assert "不是可选值" in next(e["message"] for e in result.errors if e["column"] == "类型")
    assert counts() == before
    street.unit_a.refresh_from_db()
    assert street.unit_a.name == "梧桐社区医院"


def test_not_an_excel_file_is_rejected_with_a_clear_message(people):
    result = import_file(get_spec("regions"), io.BytesIO(b"code,name\nA,B\n"), people.admin)
    assert len(result.errors) == 1 and ".xlsx" in result.errors[0]["message"]


def test_wrong_or_missing_headers_are_reported_on_row_one(people, street):
    result = import_file(get_spec("regions"), xlsx(["编码", "名字", "类型"], ["X1", "x", "区"]), people.admin)
    messages = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert (1, "名字") in messages and "未知的列" in messages[(1, "名字")]
    assert (1, "名称") in messages and "缺少" in messages[(1, "名称")]


def test_empty_file_says_so(people):
    assert "空" in import_file(get_spec("regions"), xlsx([]), people.admin).errors[0]["message"]
    assert "没有数据行" in import_file(get_spec("regions"), xlsx(["编码", "名称", "类型"]), people.admin).errors[0]["message"]


def test_duplicate_codes_within_the_file(people, street):
    result = import_file(get_spec("buildings"), xlsx(
        ["编码", "名称", "所属区域编码"],
        ["B-DUP", "一号楼", street.grid_a1.code],
        ["B-DUP", "二号楼", street.grid_a1.code],
    ), people.admin)
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "编码")]
    assert "第 2 行重复" in result.errors[0]["message"]
    assert not Building.objects.filter(code="B-DUP").exists()


def test_unknown_parent_parent_defined_below_and_wrong_kind(people, street):
    result = import_file(get_spec("regions"), xlsx(
        ["编码", "名称", "类型", "上级编码"],
        ["G1", "网格一", "微网格", "NOPE"],
        ["G2", "网格二", "微网格", "A-LATER"],
        ["A-LATER", "后面的居民区", "居民区", street.subdistrict.code],
        ["G3", "放错层级", "微网格", street.subdistrict.code],
        ["D2", "新的区", "区", None],
    ), people.admin)
    messages = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert "找不到区域「NOPE」" in messages[(2, "上级编码")]
    assert "第 4 行才定义" in messages[(3, "上级编码")]
    assert "居民区" in messages[(5, "类型")]
    assert "系统管理员" in messages[(6, "上级编码")]  # a sub-district admin cannot add a district
    assert not Region.objects.filter(code__in=["G1", "G2", "A-LATER", "G3", "D2"]).exists()


def test_area_secretary_cannot_touch_another_area(people, street):
    """The insider (area A) may place rows in area A only; area B rows are reported row by row."""
    data = lambda: xlsx(  # noqa: E731
        ["编码", "名称", "所属区域编码"],
        ["B-A", "梧桐新楼", street.grid_a1.code],
        ["B-B", "石库门新楼", street.grid_b1.code],
        [street.building_b1.code, "改名", street.grid_b1.code],
    )
    result = import_file(get_spec("buildings"), data(), people.insider)
    assert {(e["row"], e["column"]) for e in result.errors} == {(3, "所属区域编码"), (4, "编码")}
    assert "管理范围" in result.errors[0]["message"]
    assert not Building.objects.filter(code__in=["B-A", "B-B"]).exists()
    # The same file is fine for the sub-district administrator.
    assert import_file(get_spec("buildings"), data(), people.admin).created == 2


def test_party_members_are_matched_by_name_organization_and_phone(people, street):
    m = street.member_a
    result = import_file(get_spec("party_members"), xlsx(
        ["姓名", "党组织编码", "手机号码", "性别", "党员状态", "报到居民区编码", "流动党员"],
        [m.name, street.org_a.code, m.phone, "女", "预备党员", street.area_a.code, "是"],
        ["新党员", street.org_a.code, "13700000000", "男", "正式党员", "", "否"],
        ["错报到", street.org_a.code, "13700000001", "男", "", street.grid_a1.code, ""],
    ), people.admin)
    assert [(e["row"], e["column"]) for e in result.errors] == [(4, "报到居民区编码")]
    result = import_file(get_spec("party_members"), xlsx(
        ["姓名", "党组织编码", "手机号码", "性别", "党员状态", "报到居民区编码", "流动党员"],
        [m.name, street.org_a.code, m.phone, "女", "预备党员", street.area_a.code, "是"],
        ["新党员", street.org_a.code, "13700000000", "男", "正式党员", "", "否"],
    ), people.admin)
    assert result.errors == [] and (result.created, result.updated) == (1, 1)
    m.refresh_from_db()
    assert (m.gender, m.status, m.registered_area, m.is_mobile) == ("female", "probationary", street.area_a, True)


def test_liaison_buildings_are_codes_separated_by_dunhao(people, street):
    result = import_file(get_spec("liaisons"), xlsx(
        ["姓名", "所属街道编码", "首席联络员", "所属首席联络员", "联系楼宇编码"],
        ["钱首席", street.subdistrict.code, "是", "", ""],
        ["孙联络", street.subdistrict.code, "否", "钱首席", f"{street.building_a1.code}、{street.building_b1.code}"],
    ), people.admin)
    assert result.errors == []
    liaison = Liaison.objects.get(name="孙联络")
    assert liaison.chief.name == "钱首席"
    assert set(liaison.buildings.all()) == {street.building_a1, street.building_b1}


def test_export_masks_personal_data_without_the_capability(people, street):
    viewer = factories.user("viewer", Role.DISTRICT_VIEWER, street.area_a)
    rows = sheet(export_workbook(get_spec("party_members"), viewer))
    phone_col = rows[0].index("手机号码")
    assert rows[1][phone_col] == street.member_a.masked_phone
    # masked by default for those who may see it too; in full once revealed (recorded by gongzhi.core.reveal)
    assert sheet(export_workbook(get_spec("party_members"), people.admin))[1][phone_col] == street.member_a.masked_phone
    full = sheet(export_workbook(get_spec("party_members"), people.admin, revealed=True))
    assert full[1][phone_col] == street.member_a.phone
    assert sheet(export_workbook(get_spec("party_members"), viewer, revealed=True))[1][phone_col] != street.member_a.phone
    names = {r[0] for r in rows[1:]}
    assert names == {street.member_a.name}  # scoped: area B's member is not exported


def test_large_file_imports_and_progress_reaches_total(people, street):
    rows = [[f"BULK{i:05d}", f"{i}号楼", street.grid_a1.code, "是" if i % 2 else "否", i % 30] for i in range(2000)]
    steps = []
    result = import_file(get_spec("buildings"), xlsx(["编码", "名称", "所属区域编码", "重点楼宇", "楼层数"], *rows),
                         people.admin, progress=lambda done, total: steps.append((done, total)))
    assert result.errors == [] and result.created == 2000
    assert steps[-1] == (2000, 2000) and len(steps) > 10
    assert Building.objects.filter(code__startswith="BULK", is_key_building=True).count() == 1000


def test_import_job_task_records_progress_and_result(people, street, tmp_path):
    from django.core.files.base import ContentFile

    job = ImportJob.objects.create(kind="buildings", user=people.admin)
    job.file.save("b.xlsx", ContentFile(xlsx(["编码", "名称", "所属区域编码"], ["JB1", "任务楼", street.grid_a1.code])
                                        .getvalue()))
    run_import_job.enqueue(job.pk)
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.processed_rows, job.created_rows) == ("done", 1, 1, 1)


def test_cli_export_then_import(people, street, tmp_path):
    out = tmp_path / "regions.xlsx"
    call_command("excel_export", "regions", str(out), "--user", people.insider.username)
    codes = {r[0] for r in sheet(out.read_bytes())[1:]}
    assert codes == {street.area_a.code, street.grid_a1.code, street.grid_a2.code}
    stdout = io.StringIO()
    call_command("excel_import", "regions", str(out), "--user", people.admin.username, stdout=stdout)
    assert "3" in stdout.getvalue()


def test_cli_import_prints_the_report_and_fails(people, street, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(["编码", "名称", "类型", "上级编码"], ["X", "x", "微网格", "NOPE"]).getvalue())
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("excel_import", "regions", str(bad), "--user", people.admin.username, stderr=stderr)
    assert "第 2 行" in stderr.getvalue() and "NOPE" in stderr.getvalue()
    assert not Region.objects.filter(code="X").exists()
    with pytest.raises(CommandError):
        call_command("excel_import", "regions", str(bad), "--user", people.insider.username)
