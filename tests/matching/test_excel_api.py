"""Excel import/export of the lists (all-or-nothing, Chinese row errors) and the JSON API."""

import io

from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongzhi.accounts import services as account_services
from gongzhi.core.workflow import SYSTEM
from gongzhi.matching.models import Need, Project, Resource
from tests.conftest import login

NEED_HEADERS = ["编码", "认领活动", "名称", "类别", "地点编码", "受益人数", "需求数量", "计量单位", "开始日期", "结束日期",
                "紧急程度"]


def _xlsx(headers, rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "needs.xlsx"
    return buf


def test_need_import_is_all_or_nothing_with_chinese_row_errors(world, people, street, client):
    login(client, people.insider)
    good = ["N-100", world.campaign.name, "楼道清理", "环境整治", street.grid_a1.code, 30, 10, "小时", "2026-05-01",
            "2026-05-31", 3]
    outside = ["N-101", world.campaign.name, "石库门清理", "环境整治", street.grid_b1.code, 30, 10, "小时", "2026-05-01",
               "2026-05-31", 3]
    bad_category = ["N-102", "", "某需求", "不存在的类别", street.grid_a1.code, 1, 1, "", "2026-05-01", "2026-04-01", 3]
    response = client.post(reverse("excel:import"),
                           {"kind": "needs", "file": _xlsx(NEED_HEADERS, [good, outside, bad_category])}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="import-errors"' in html
    assert "不在您的管理范围内" in html and "不是可选值" in html
    assert not Need.objects.filter(code__startswith="N-10").exists()  # nothing written

    client.post(reverse("excel:import"), {"kind": "needs", "file": _xlsx(NEED_HEADERS, [good])}, follow=True)
    need = Need.objects.get(code="N-100")
    assert (need.category, need.place, need.unit, need.campaign) == ("environment", street.grid_a1, "hours",
                                                                      world.campaign)


def test_export_is_scoped_and_masks_phones(world, people, client):
    login(client, people.colleague)  # a grid leader: no personal-data right
    ws = load_workbook(io.BytesIO(client.get(reverse("excel:export", args=["resources"])).content)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["R-1"]
    assert "13912345678" not in [c for r in rows for c in r] and "139****5678" in rows[0]
    ws = load_workbook(io.BytesIO(client.get(reverse("excel:export", args=["needs"])).content)).active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["N-A"]  # not area B's need


def test_resource_export_imports_again_unchanged(world, people, client):
    login(client, people.admin)
    data = client.get(reverse("excel:export", args=["resources"])).content
    upload = io.BytesIO(data)
    upload.name = "resources.xlsx"
    client.post(reverse("excel:import"), {"kind": "resources", "file": upload}, follow=True)
    assert Resource.objects.count() == 1 and Resource.objects.get().regions.count() == 1


def test_api_claim_confirm_and_transitions(world, people, client):
    _, key = account_services.issue_token(world.liaison, actor=SYSTEM, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    needs = client.get("/api/v1/matching/needs", **auth).json()
    assert {n["code"] for n in needs["items"]} == {"N-A", "N-B"}
    sugg = client.get(f"/api/v1/matching/needs/{world.need_a.pk}/suggestions", **auth).json()
    assert sugg[0]["resource_id"] == world.resource.pk and sugg[0]["reasons"]
    response = client.post("/api/v1/matching/claims/need", {"need_id": world.need_a.pk, "resource_id": world.resource.pk},
                           content_type="application/json", **auth)
    assert response.status_code == 201
    pk = response.json()["id"]
    # The claimer cannot confirm; the area's secretary can.
    assert client.post(f"/api/v1/matching/projects/{pk}/confirm", **auth).status_code == 403
    _, staff_key = account_services.issue_token(people.insider, actor=SYSTEM, name="s")
    staff = {"HTTP_AUTHORIZATION": f"Bearer {staff_key}"}
    assert client.post(f"/api/v1/matching/projects/{pk}/confirm", **staff).json()["state"] == "agreed"
    bad = client.post(f"/api/v1/matching/projects/{pk}/transitions", {"action": "evaluate"},
                      content_type="application/json", **staff)
    assert bad.status_code == 409 and bad.json()["code"] == "invalid_transition"
    ok = client.post(f"/api/v1/matching/projects/{pk}/transitions", {"action": "start"},
                     content_type="application/json", **auth)
    assert ok.status_code == 200 and Project.objects.get(pk=pk).state == "in_progress"
    _, out_key = account_services.issue_token(people.outsider, actor=SYSTEM, name="o")
    assert client.get(f"/api/v1/matching/projects/{pk}", HTTP_AUTHORIZATION=f"Bearer {out_key}").status_code == 404


def test_a_provider_sees_its_own_contact_phone_on_the_page_and_in_the_export(world, people, client):
    export = reverse("excel:export", args=["resources"])
    for user, visible in ((world.liaison, True), (people.colleague, False)):  # the resource's own unit; a grid leader
        login(client, user)
        page = client.get(reverse("matching:resource_detail", args=[world.resource.pk])).content.decode()
        rows = list(load_workbook(io.BytesIO(client.get(export).content)).active.iter_rows(values_only=True))
        assert ("13912345678" in page) is visible and ("13912345678" in rows[1]) is visible, user
