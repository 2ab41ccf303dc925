"""The sessions pages: list, calendar, plan, a session's page with its forms (field errors on the form, 422),
decisions, the unit's page, the referral from the demand page (shown and allowed to the sub-district leader
only), the Excel export."""

from datetime import timedelta
from io import BytesIO

import openpyxl
from django.urls import reverse
from django.utils import timezone

from gongzhi.joint.models import AgendaItem, Decision, Session
from gongzhi.joint.services import sessions as services
from gongzhi.joint.workflow import DecisionState
from tests.conftest import login
from tests.joint import sessions_world as w


def test_the_leader_plans_a_session_and_sees_it_on_the_list_and_the_calendar(client, street, people):
    platform = w.platform(street)
    login(client, people.admin)
    starts = timezone.localtime(timezone.now() + timedelta(days=10)).replace(hour=14, minute=0, second=0,
                                                                             microsecond=0)
    bad = client.post(reverse("joint:sessions_plan"), {"platform": platform.pk, "title": "", "place": ""})
    assert bad.status_code == 422 and "field-errors" in bad.content.decode()
    response = client.post(reverse("joint:sessions_plan"), {
        "platform": platform.pk, "title": "第四季度联席会议", "place": "街道会议室",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M")})
    session = Session.objects.get()
    assert response.status_code == 302 and session.starts_at == starts
    assert "第四季度联席会议" in client.get(reverse("joint:sessions_list") + "?q=第四季度").content.decode()
    cal = client.get(reverse("joint:sessions_calendar") + f"?year={starts.year}&month={starts.month}")
    assert f'id="day-{starts:%Y-%m-%d}"' in cal.content.decode() and "第四季度联席会议" in cal.content.decode()
    other_month = client.get(reverse("joint:sessions_calendar") + f"?year={starts.year - 1}&month={starts.month}")
    assert "第四季度联席会议" not in other_month.content.decode()


def test_area_secretaries_see_the_lists_but_not_the_sub_district_s_sessions(client, street, people):
    session = w.planned(w.platform(street), people.admin)
    login(client, people.insider)
    assert client.get(reverse("joint:sessions_list")).status_code == 200
    assert session.title not in client.get(reverse("joint:sessions_list")).content.decode()
    assert client.get(reverse("joint:sessions_detail", args=[session.pk])).status_code == 404
    assert client.get(reverse("joint:sessions_plan")).status_code == 403
    login(client, people.colleague)  # the grid leader holds no joint right
    assert client.get(reverse("joint:sessions_list")).status_code == 403


def test_a_decision_without_owner_or_deadline_comes_back_with_field_errors(client, street, people):
    session = w.planned(w.platform(street), people.admin)
    services.hold_session(session, actor=people.admin)
    login(client, people.admin)
    response = client.post(reverse("joint:sessions_decide", args=[session.pk]), {"text": "整治占道"})
    body = response.content.decode()
    assert response.status_code == 422 and body.count('class="errors field-errors"') == 2
    assert not Decision.objects.exists()
    unit = w.department(street)
    response = client.post(reverse("joint:sessions_decide", args=[session.pk]), {
        "text": "整治占道", "owner_unit": unit.pk, "deadline": f"{timezone.localdate() + timedelta(days=20):%Y-%m-%d}"})
    assert response.status_code == 302 and Decision.objects.get().owner_unit == unit


def test_sign_in_twice_is_refused_on_the_form(client, street, people):
    session = w.planned(w.platform(street), people.admin)
    login(client, people.admin)
    url = reverse("joint:sessions_sign_in", args=[session.pk])
    assert client.post(url, {"member_unit": street.unit_a.pk, "person_name": "院长"}).status_code == 302
    again = client.post(url, {"member_unit": street.unit_a.pk, "person_name": "院长"})
    assert again.status_code == 422 and session.attendances.count() == 1


def test_the_referral_link_and_page_are_the_sub_district_leader_s(client, street, people):
    platform = w.platform(street)
    demand = w.subdistrict_demand(street, people)
    detail = reverse("demands:detail", args=[demand.pk])
    refer = reverse("joint:sessions_refer", args=[demand.pk])
    login(client, people.colleague)  # sees it (its grid), may not refer it
    assert refer not in client.get(detail).content.decode()
    assert client.get(refer).status_code == 403
    assert client.post(refer, {"platform": platform.pk, "note": "x"}).status_code == 403
    login(client, people.outsider)
    assert client.get(refer).status_code == 404
    login(client, people.admin)
    assert refer in client.get(detail).content.decode()
    form = client.get(refer)
    assert form.status_code == 200 and f'<option value="{platform.pk}" selected' in form.content.decode()
    assert client.post(refer, {"platform": platform.pk, "note": ""}).status_code == 422  # the reason is required
    assert client.post(refer, {"platform": platform.pk, "note": "需区级部门协调"}).status_code == 302
    assert AgendaItem.objects.get().demand == demand
    assert refer not in client.get(detail).content.decode()  # referred once


def test_the_department_s_page_lists_its_decisions_and_demands_and_acts_on_the_decision(client, street, people):
    platform = w.platform(street)
    session = w.planned(platform, people.admin)
    demand = w.subdistrict_demand(street, people)
    item = services.refer_to_platform(demand, actor=people.admin, platform_id=platform.pk, note="需协调")
    services.hold_session(session, actor=people.admin)
    unit = w.department(street)
    clerk = w.clerk(unit)
    handed = services.record_decision(session, actor=people.admin, text="市容局牵头", owner_unit=unit.pk,
                                      deadline=timezone.localdate() + timedelta(days=2), agenda_item=item.pk)
    plain = services.record_decision(session, actor=people.admin, text="制定方案", owner_unit=unit.pk,
                                     deadline=timezone.localdate() + timedelta(days=2))
    login(client, clerk)
    page = client.get(reverse("joint:sessions_my_unit")).content.decode()
    assert f'id="decision-{handed.pk}"' in page and demand.title in page
    assert client.get(reverse("demands:detail", args=[demand.pk])).status_code == 200
    decision_page = client.get(reverse("joint:sessions_decision", args=[handed.pk])).content.decode()
    assert 'id="decision-complete"' not in decision_page  # done by the demand's resolution
    act = reverse("joint:sessions_decision_act", args=[plain.pk, "complete"])
    assert client.post(act, {"complete-outcome": ""}).status_code == 422
    assert client.post(act, {"complete-outcome": "方案已印发"}).status_code == 302
    assert Decision.objects.get(pk=plain.pk).state == DecisionState.DONE
    cards = {c["key"]: c for c in __import__("gongzhi.core.workbench", fromlist=["cards_for"]).cards_for(clerk)}
    assert cards["joint.decisions_due"]["count"] == 1  # the handed one is still open and due within days


def test_the_next_session_s_agenda_card_and_the_excel_exports(client, street, people):
    platform = w.platform(street)
    session = w.planned(platform, people.admin)
    services.refer_to_platform(w.subdistrict_demand(street, people), actor=people.admin, platform_id=platform.pk,
                               note="需协调")
    from gongzhi.core.workbench import cards_for

    card = {c["key"]: c for c in cards_for(people.admin)}["joint.next_agenda"]
    assert card["count"] == 1 and session.title in card["note"]
    services.hold_session(session, actor=people.admin)
    services.record_decision(session, actor=people.admin, text="整治占道", owner_unit=street.unit_a.pk,
                             deadline=timezone.localdate() + timedelta(days=20))
    login(client, people.admin)
    for kind, expected in (("joint_sessions", session.title), ("joint_decisions", "整治占道")):
        response = client.get(reverse("excel:export", args=[kind]))
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(BytesIO(response.content)).active
        assert expected in [c.value for row in sheet.iter_rows() for c in row]
