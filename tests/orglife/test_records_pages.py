"""Members' yearly records: the page gathers the member's work from the other apps (a claimed demand, a promised
micro-item, a claimed wish, volunteer hours, a council seat, community service in the area they registered at)
and this app's meetings, studies, "四先" and appraisal; scope (404 outside, 403 without the right); the member's
own page; "四先" links only to the member's own work; one appraisal per member and year; mobile members'
whereabouts masked on the list, the page, the export and the API; the "no contact" card."""

from __future__ import annotations

import io
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from gongzhi.accounts.roles import Role
from gongzhi.core.errors import ValidationFailed
from gongzhi.core.excel import export_workbook, get_spec, import_file
from gongzhi.core.workflow import SYSTEM
from gongzhi.orglife.models import Appraisal, AppraisalResult, FourFirst, FourFirstKind, MobileContact
from gongzhi.orglife.selectors.records import no_contact_card
from gongzhi.orglife.services import records as services
from tests import factories
from tests.conftest import login
from tests.orglife.records_world import member_with_work, mobile_member

WHERE = "江苏省苏州市工业园区"


def test_the_yearly_record_gathers_the_work_of_the_other_apps(client, street, people):
    work = member_with_work(street)
    year = timezone.localdate().year
    page = login(client, people.insider).get(reverse("orglife:records_member_year", args=[work.member.pk, year]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{reverse("demands:detail", args=[work.demand.pk])}">楼道灯不亮' in html
    assert "别人的诉求" not in html
    assert f'href="{reverse("deliberation:grid_topic_detail", args=[work.item.grid_topic_id])}">清理楼道堆物' in html
    assert f'href="{reverse("volunteering:wish_detail", args=[work.wish.pk])}">一台轮椅' in html
    assert 'id="volunteer-hours">2.50<' in html
    assert "梧桐居民区议事会" in html and "议事员" in html
    assert "社区义诊" in html  # community service at the registered area
    assert "中国共产党简史" in html and 'id="study-hours">3.0<' in html
    r = page.context["r"]
    assert r.attendance_counts == {"present": 1, "leave": 1, "absent": 0}
    assert "data-print" in html
    # another year shows none of it
    other = client.get(reverse("orglife:records_member_year", args=[work.member.pk, year - 3]))
    assert "楼道灯不亮" not in other.content.decode() and other.context["r"].attendance == []


def test_scope_outside_is_404_and_without_the_right_403(client, street, people):
    url = reverse("orglife:records_member", args=[street.member_a.pk])
    assert login(client, people.outsider).get(url).status_code == 404
    assert login(client, people.colleague).get(url).status_code == 403
    assert login(client, people.admin).get(url).status_code == 200
    assert login(client, people.outsider).get(reverse("orglife:records_member", args=[street.member_b.pk])
                                              ).status_code == 200
    listing = login(client, people.insider).get(reverse("orglife:records_members") + "?q=张").content.decode()
    assert "张梧桐" in listing and "李石库" not in listing


def test_a_party_member_sees_their_own_record_and_others_see_a_note(client, street, people):
    work = member_with_work(street)
    page = login(client, work.account).get(reverse("orglife:records_me"))
    assert page.status_code == 200 and "楼道灯不亮" in page.content.decode() and page.context["own"]
    # their account opens no one else's record
    assert client.get(reverse("orglife:records_member", args=[street.member_b.pk])).status_code == 403
    none = login(client, people.resident).get(reverse("orglife:records_me"))
    assert none.status_code == 200 and 'id="no-member"' in none.content.decode()


def test_a_four_first_links_only_to_the_members_own_work(client, street, people):
    work = member_with_work(street)
    demand_type = ContentType.objects.get_by_natural_key("demands", "demand").pk
    url = reverse("orglife:records_four_first_new", args=[work.member.pk])
    client = login(client, people.insider)
    form = client.get(url)
    assert f"{demand_type}:{work.demand.pk}" in form.content.decode()
    assert f"{demand_type}:{work.other_demand.pk}" not in form.content.decode()
    today = timezone.localdate()
    data = {"kind": FourFirstKind.DO, "occurred_on": today.isoformat(), "description": "连夜联系物业抢修",
            "work": f"{demand_type}:{work.other_demand.pk}"}
    assert client.post(url, data).status_code == 422  # not an offered choice
    try:
        services.flag_four_first(work.member, actor=people.insider, kind=FourFirstKind.DO, occurred_on=today,
                                 description="x", work_type_id=demand_type, work_id=work.other_demand.pk)
    except ValidationFailed as e:
        assert "work" in e.field_errors
    else:
        raise AssertionError("a link to someone else's work was taken")
    future = client.post(url, data | {"work": "", "occurred_on": (today + timedelta(days=1)).isoformat()})
    assert future.status_code == 422 and "occurred_on" in future.context["form"].errors
    assert FourFirst.objects.count() == 0
    done = client.post(url, data | {"work": f"{demand_type}:{work.demand.pk}"})
    assert done.status_code == 302
    row = FourFirst.objects.get()
    assert row.work == work.demand and row.recorded_by == people.insider
    page = client.get(done["Location"]).content.decode()
    assert "连夜联系物业抢修" in page
    listing = client.get(reverse("orglife:records_four_firsts") + f"?org={street.org_a.pk}").content.decode()
    assert "连夜联系物业抢修" in listing and reverse("demands:detail", args=[work.demand.pk]) in listing
    # the outsider may not flag area A's members
    assert login(client, people.outsider).get(url).status_code == 404


def test_one_appraisal_per_member_and_year_from_the_sheet(client, street, people):
    year = timezone.localdate().year - 1
    other = factories.party_member(street.org_a, name="王合格")
    url = reverse("orglife:records_appraisal_sheet", args=[street.org_a.pk])
    client = login(client, people.insider)
    data = {"year": year, f"result_{street.member_a.pk}": "excellent", f"result_{other.pk}": "qualified",
            f"note_{other.pk}": "表现良好"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data | {f"result_{street.member_a.pk}": "qualified"}).status_code == 302
    rows = {a.member_id: a for a in Appraisal.objects.filter(year=year)}
    assert len(rows) == 2 and rows[street.member_a.pk].result == "qualified" and rows[other.pk].note == "表现良好"
    # a member of another organization is a field error; nothing is written
    bad = client.post(url, {"year": year, f"result_{street.member_b.pk}": "excellent"})
    assert bad.status_code == 422 and not Appraisal.objects.filter(member=street.member_b).exists()
    assert login(client, people.outsider).post(url, data).status_code == 404
    record = login(client, people.insider).get(reverse("orglife:records_member_year",
                                                       args=[street.member_a.pk, year]))
    assert record.context["r"].appraisal.result == "qualified"


def test_appraisal_excel_import_is_all_or_nothing(street, people):
    spec = get_spec("orglife-appraisals")
    year = timezone.localdate().year - 1
    wb = Workbook()
    ws = wb.active
    ws.append(["党员姓名", "党组织编码", "年度", "评议结果", "备注"])
    ws.append(["张梧桐", "", year, "优秀", ""])
    ws.append(["李石库", "", year, "合格", ""])  # area B: not the insider's
    buf = io.BytesIO()
    wb.save(buf)
    result = import_file(spec, io.BytesIO(buf.getvalue()), people.insider)
    assert not result.ok and [e["row"] for e in result.errors] == [3]
    assert not Appraisal.objects.exists()
    ws.delete_rows(3)
    buf = io.BytesIO()
    wb.save(buf)
    assert import_file(spec, io.BytesIO(buf.getvalue()), people.insider).ok
    assert Appraisal.objects.get().result == AppraisalResult.EXCELLENT
    data = export_workbook(spec, people.insider)
    cells = [c.value for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]
    assert "张梧桐" in cells and "优秀" in cells


def test_whereabouts_are_masked_on_screens_export_and_api(client, street, people):
    m = mobile_member(street, whereabouts=WHERE, contacted_days_ago=10)
    client = login(client, people.admin)
    listing = client.get(reverse("orglife:records_mobile")).content.decode()
    assert "周流动" in listing and WHERE not in listing and "***" in listing
    detail = client.get(reverse("orglife:records_mobile_detail", args=[m.pk])).content.decode()
    assert WHERE not in detail and reverse("reveal") in detail  # the admin may reveal it, with a reason
    record = client.get(reverse("orglife:records_member", args=[m.pk])).content.decode()
    assert WHERE not in record
    data = export_workbook(get_spec("orglife-mobile-members"), people.admin)
    cells = [c.value for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]
    assert "周流动" in cells and WHERE not in cells and "***" in cells
    viewer = factories.user("viewer", Role.DISTRICT_VIEWER, street.district)
    api = login(client, viewer).get(reverse("api:orglife_mobile_members")).json()
    row = next(r for r in api["items"] if r["member_id"] == m.pk)
    assert row["whereabouts"] == "***" and row["days_since"] == 10
    # the reveal shows it, on the record
    token_page = login(client, people.admin).get(reverse("orglife:records_mobile_detail", args=[m.pk]))
    token = token_page.content.decode().split('name="token" value="')[1].split('"')[0]
    shown = client.post(reverse("reveal"), {"token": token, "reason": "联系核实"}, follow=True)
    assert WHERE in shown.content.decode()


def test_whereabouts_are_kept_when_left_blank_and_cleared_when_asked(client, street, people):
    from gongzhi.orglife.models import MobileMember

    m = mobile_member(street, whereabouts=WHERE)
    client = login(client, people.admin)
    url = reverse("orglife:records_mobile_edit", args=[m.pk])
    base = {"home_org_name": "安徽省六安市某村党支部", "active": "on"}
    client.post(url, {**base, "left_on": "2024-01-02"})
    row = MobileMember.objects.get(member=m)
    assert row.whereabouts == WHERE and row.left_on.isoformat() == "2024-01-02"  # blank keeps it
    resp = client.post(url, {**base, "whereabouts": "浙江省杭州市", "clear_whereabouts": "on"})
    assert resp.status_code == 422 and gettext("Type new whereabouts or clear them, not both.") in resp.content.decode()
    assert MobileMember.objects.get(member=m).whereabouts == WHERE
    client.post(url, {**base, "left_on": "2024-01-02", "clear_whereabouts": "on"})
    assert MobileMember.objects.get(member=m).whereabouts == ""


def test_a_contact_is_never_in_the_future_and_the_card_counts_the_silent(client, street, people):
    silent = mobile_member(street, name="吴失联", contacted_days_ago=120)
    recent = mobile_member(street, name="郑近联", contacted_days_ago=5)
    never = mobile_member(street, name="钱未联")
    card = no_contact_card(people.insider)
    assert card["count"] == 2 and {i["text"].split(" ·")[0] for i in card["items"]} == {"吴失联", "钱未联"}
    assert no_contact_card(people.outsider)["count"] == 0
    assert no_contact_card(people.colleague) is None
    url = reverse("orglife:records_mobile_contact", args=[silent.pk])
    client = login(client, people.insider)
    future = client.post(url, {"contacted_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
                               "channel": "phone"})
    assert future.status_code == 422
    assert client.post(url, {"contacted_on": timezone.localdate().isoformat(), "channel": "wechat",
                             "note": "微信视频"}).status_code == 302
    assert no_contact_card(people.insider)["count"] == 1
    assert MobileContact.objects.filter(mobile__member=silent).count() == 2
    assert recent.pk and never.pk
    page = client.get(reverse("orglife:records_mobile") + "?stale=1").content.decode()
    assert "钱未联" in page and "郑近联" not in page and "吴失联" not in page


def test_api_record_four_first_and_appraisals(client, street, people):
    work = member_with_work(street)
    client = login(client, people.insider)
    record = client.get(reverse("api:orglife_member_record", args=[work.member.pk])).json()
    assert {c["title"] for c in record["claims"]} == {"楼道灯不亮", "清理楼道堆物", "一台轮椅"}
    assert record["present"] == 1 and record["leave"] == 1 and record["volunteer_hours"] == "2.50"
    assert record["community_service"]["hours"] == "2.50"
    assert any(r["kind"] == "council" for r in record["roles"])
    url = reverse("api:orglife_four_first_create", args=[work.member.pk])
    body = {"kind": "act", "occurred_on": timezone.localdate().isoformat(), "description": "带头认领微心愿",
            "work_type": "demand", "work_id": work.other_demand.pk}
    bad = client.post(url, body, content_type="application/json")
    assert bad.status_code == 422 and "work" in bad.json()["errors"]
    ok = client.post(url, body | {"work_type": "wish", "work_id": work.wish.pk}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["work_title"] == "一台轮椅"
    listing = client.get(reverse("api:orglife_four_firsts")).json()
    assert [r["description"] for r in listing["items"]] == ["带头认领微心愿"]
    services.record_appraisal(work.member, actor=SYSTEM, year=timezone.localdate().year - 1,
                              result=AppraisalResult.EXCELLENT)
    assert login(client, people.outsider).get(reverse("api:orglife_appraisals")).json()["items"] == []
    assert login(client, people.insider).get(reverse("api:orglife_appraisals")).json()["count"] == 1
    assert login(client, people.outsider).get(reverse("api:orglife_member_record", args=[work.member.pk])
                                              ).status_code == 404
