"""The members list in Excel (export with the page's filters; import all or nothing, errors in Chinese, new members
through the same checks as the page) and the platforms API (lists, detail with the roster, members, posts; a member
joins)."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from gongzhi.core.excel import books, export_workbook, get_spec, import_file, write_row
from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.models import PlatformMember, PostKind
from gongzhi.joint.services import platforms as services
from tests.conftest import login
from tests.joint.platforms_support import DAY, street_platform

SPEC = get_spec("joint_platform_members")


def xlsx(rows: list[dict]) -> io.BytesIO:
    headers = [c.header for c in SPEC.columns if not c.read_only]
    wb = Workbook()
    write_row(wb.active, headers)
    for row in rows:
        write_row(wb.active, [row.get(h) for h in headers])
    buf = io.BytesIO(books.to_bytes(wb))
    buf.name = "members.xlsx"
    return buf


def sheet(data: bytes) -> list[dict]:
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.fixture
def platform(street):
    return street_platform(street)


def test_the_export_lists_the_members_with_their_kind(people, platform):
    rows = sheet(export_workbook(SPEC, people.admin, {"platform": str(platform.pk)}))
    assert sorted((r["成员类型"], r["名称"], r["角色"]) for r in rows) == [
        ("党组织", "示范街道党工委", "召集单位"), ("共建单位", "梧桐社区医院", "成员单位"), ("居民区", "梧桐居民区", "成员单位")]
    assert sheet(export_workbook(SPEC, people.admin, {"platform": str(platform.pk), "kind": "area"}))[0]["名称"] == \
        "梧桐居民区"


def test_an_import_with_one_bad_row_writes_nothing(street, people, platform):
    good = {"平台": platform.name, "共建单位编码": street.unit_b.code, "加入日期": "2024-05-01"}
    bad_rows = [
        {"平台": platform.name, "共建单位编码": street.unit_a.code},  # already a member
        {"平台": platform.name, "共建单位编码": street.unit_b.code, "居民区编码": street.area_b.code},
        {"平台": "不存在的平台", "居民区编码": street.area_b.code},
        {"平台": platform.name, "居民区编码": street.area_b.code, "退出日期": "2025-01-01"},
    ]
    before = PlatformMember.objects.count()
    result = import_file(SPEC, xlsx([good, *bad_rows]), people.admin)
    assert {e["row"] for e in result.errors} == {3, 4, 5, 6}
    messages = " ".join(e["message"] for e in result.errors)
    assert "已是平台" in messages and "三者须填且只填一项" in messages and "找不到平台" in messages
    assert "新成员不能填写退出日期" in messages
    assert PlatformMember.objects.count() == before
    result = import_file(SPEC, xlsx([good, {"平台": platform.name, "居民区编码": street.area_b.code}]), people.admin)
    assert result.errors == [] and result.created == 2
    assert PlatformMember.objects.get(platform=platform, member_unit=street.unit_b).joined_on.isoformat() == \
        "2024-05-01"


def test_an_export_imports_again_and_a_left_date_records_leaving(street, people, platform):
    data = export_workbook(SPEC, people.admin, {"platform": str(platform.pk)})
    assert import_file(SPEC, io.BytesIO(data), people.admin).unchanged == 3
    row = next(r for r in sheet(data) if r["名称"] == "梧桐社区医院")
    editable = {c.header for c in SPEC.columns if not c.read_only}
    result = import_file(SPEC, xlsx([{k: v for k, v in row.items() if k in editable} | {"退出日期": "2025-02-01"}]),
                         people.admin)
    assert result.errors == [] and result.updated == 1
    assert PlatformMember.objects.get(pk=row["编号"]).left_on.isoformat() == "2025-02-01"


def test_an_area_secretary_cannot_import_into_the_sub_districts_platform(street, people, platform):
    assert not SPEC.may_import(people.insider)
    assert SPEC.may_import(people.admin)


def test_api_lists_and_details(client, street, people, platform):
    services.create_committee(platform, actor=SYSTEM, name="商圈发展专业委员会")
    services.appoint(street.org_a, actor=SYSTEM, kind=PostKind.SECRETARY, party_member=street.member_a,
                     starts_on=DAY)
    login(client, people.admin)
    listed = client.get("/api/v1/joint/platforms", {"level": "subdistrict"}).json()
    assert [p["name"] for p in listed["items"]] == [platform.name]
    detail = client.get(f"/api/v1/joint/platforms/{platform.pk}").json()
    assert detail["roster"]["formula"] == "1+1+1+1" and detail["committees"][0]["name"] == "商圈发展专业委员会"
    members = client.get(f"/api/v1/joint/platforms/{platform.pk}/members", {"kind": "area"}).json()["items"]
    assert [(m["kind"], m["name"]) for m in members] == [("area", "梧桐居民区")]
    posts = client.get("/api/v1/joint/posts").json()["items"]
    assert [(p["org"], p["kind"], p["holder"]) for p in posts] == [("梧桐居民区党总支", "secretary", "张梧桐")]
    login(client, people.insider)
    assert client.get(f"/api/v1/joint/platforms/{platform.pk}").status_code == 404
    assert client.get("/api/v1/joint/posts").json()["count"] == 1
    login(client, people.colleague)
    assert client.get("/api/v1/joint/platforms").status_code == 403


def test_api_member_add(client, street, people, platform):
    login(client, people.admin)
    url = f"/api/v1/joint/platforms/{platform.pk}/members"
    response = client.post(url, {"member_unit_id": street.unit_b.pk, "joined_on": "2024-02-01"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["name"] == "石库门小学"
    response = client.post(url, {"member_unit_id": street.unit_b.pk}, content_type="application/json")
    assert response.status_code == 422 and "member_unit" in response.json()["errors"]
    response = client.post(url, {"area_id": street.area_b.pk, "party_org_id": street.org_b.pk},
                           content_type="application/json")
    assert response.status_code == 422
    response = client.post(url, {"area_id": 999999}, content_type="application/json")
    assert response.status_code == 422 and "area" in response.json()["errors"]
    login(client, people.insider)
    assert client.post(url, {"area_id": street.area_b.pk}, content_type="application/json").status_code == 403
