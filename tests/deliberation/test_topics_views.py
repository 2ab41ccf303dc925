"""The topics pages: lists with search, filters and pages; a topic raised from a hot issue through the form; the
topic and meeting pages with their steps, the door's QR code and check-in on a phone, live attendance, minutes,
decisions and photos; the residents' H5 reply page; scope (out of scope is 404); Excel; the workbench cards."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from gongzhi.core.workbench import cards_for
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import CheckIn, Decision, Meeting, MeetingAttachment, Topic, TopicSource
from gongzhi.deliberation.selectors import topics as selectors
from gongzhi.deliberation.services import topics as services
from gongzhi.demands.models import Notification
from tests import factories
from tests.conftest import login
from tests.deliberation import topics_world as w
from tests.triage.conftest import submit


@pytest.fixture
def station(street):
    return w.place(street.area_a)


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_the_topic_list_searches_filters_and_pages(client, street, people):
    for i in range(27):
        w.topic(street, title=f"楼道堆物{i}", description="楼道里堆满杂物")
    w.topic(street, title="兰花餐厅油烟扰民", source=TopicSource.HOT_ISSUE, hot_issue_key="油烟")
    w.topic(street, title="石库门停车", area=street.area_b, grid=None)
    login(client, people.insider)
    url = reverse("deliberation:topic_list")
    page = client.get(url)
    assert page.status_code == 200 and page.context["page"].paginator.count == 28
    assert len(page.context["page"].object_list) == 25 and "石库门停车" not in page.content.decode()
    assert client.get(url, {"page": 2}).context["page"].object_list[0].title.startswith("楼道堆物")
    found = client.get(url, {"q": "油烟"}).context["page"]
    assert [t.title for t in found] == ["兰花餐厅油烟扰民"]
    assert client.get(url, {"source": "hot_issue"}).context["page"].paginator.count == 1
    assert client.get(url, {"state": "accepted"}).context["page"].paginator.count == 0
    assert client.get(url, {"area": street.area_b.pk}).context["page"].paginator.count == 0
    assert client.get(url, {"state": "nonsense"}).status_code == 400
    partial = client.get(url, {"q": "油烟"}, headers={"HX-Request": "true"}).content.decode()
    assert "兰花餐厅油烟扰民" in partial and "<html" not in partial
    assert login(client, people.resident).get(url).status_code == 403


def test_a_hot_issue_becomes_a_topic_through_the_form(client, street, people):
    fumes = [submit(street, "饭店油烟扰民", f"楼下饭店油烟很大，窗户都不能开{i}") for i in range(4)]
    theirs = submit(street, "石库门油烟", "油烟", building=street.building_b1)
    login(client, people.insider)
    hot = client.get(reverse("triage:hot_issues"), {"region": street.area_a.pk, "days": 30}).content.decode()
    link = re.search(r'class="badge red raise-topic" href="([^"]+)"', hot).group(1).replace("&amp;", "&")
    assert link.startswith(reverse("deliberation:topic_create"))
    form = client.get(link + f",{theirs.pk}").context["form"]  # a demand outside her scope is not taken
    assert form.initial["source"] == "hot_issue" and form.initial["area"] == street.area_a.pk
    assert {d.pk for d in form.initial["demands"]} == {d.pk for d in fumes}
    data = {"title": form.initial["title"], "source": "hot_issue", "area": street.area_a.pk,
            "grid": street.grid_a1.pk, "hot_issue_key": form.initial["hot_issue_key"], "description": "",
            "demands": [d.pk for d in fumes], "cosigns_needed": ""}
    response = client.post(reverse("deliberation:topic_create"), data)
    topic = Topic.objects.get()
    assert response.status_code == 302 and response.url == reverse("deliberation:topic_detail", args=[topic.pk])
    assert topic.source == "hot_issue" and set(topic.demands.all()) == set(fumes)
    bad = client.post(reverse("deliberation:topic_create"), {**data, "title": "", "area": street.area_b.pk})
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {"title", "area"}
    assert login(client, people.colleague).get(reverse("deliberation:topic_create")).status_code == 403
    assert "raise-topic" not in client.get(reverse("triage:hot_issues"),
                                           {"region": street.grid_a1.pk, "days": 30}).content.decode()


def test_the_topic_page_and_its_steps(client, street, people, station):
    demand = submit(street, "饭店油烟扰民", "油烟很大")
    topic = w.accepted(street, people.insider, source=TopicSource.DEMANDS, demands=[demand])
    meeting = w.meeting(topic, station, people.insider)
    login(client, people.insider)
    url = reverse("deliberation:topic_detail", args=[topic.pk])
    page = client.get(url).content.decode()
    assert topic.title in page and demand.tracking_code in page
    assert reverse("deliberation:meeting_detail", args=[meeting.pk]) in page
    assert 'data-action="hear"' in page and 'data-action="decline"' not in page  # accepted: the hearing is next
    step = reverse("deliberation:topic_transition", args=[topic.pk])
    assert client.post(step, {"action": "coordinate", "coordinate-action": "coordinate"}).status_code == 302
    assert Topic.objects.get(pk=topic.pk).state == "accepted"  # not the next step: refused
    client.post(step, {"action": "hear", "hear-action": "hear"})
    page = client.get(url).content.decode()
    assert Topic.objects.get(pk=topic.pk).state == "hearing"
    assert re.search(r'data-action="coordinate">.*?class="muted blocked"', page, re.S)  # shown, with why not yet
    printed = client.get(reverse("deliberation:topic_print", args=[topic.pk])).content.decode()
    assert topic.title in printed and "topbar" not in printed and meeting.title in printed
    colleague = login(client, people.colleague).get(url).content.decode()
    assert topic.title in colleague and 'data-action="coordinate"' not in colleague
    login(client, people.outsider)
    for name, pk in (("topic_detail", topic.pk), ("topic_print", topic.pk), ("meeting_detail", meeting.pk),
                     ("meeting_attendance", meeting.pk), ("meeting_create", topic.pk)):
        assert client.get(reverse(f"deliberation:{name}", args=[pk])).status_code == 404, name


def test_convening_a_meeting_with_field_errors_first(client, street, people, station):
    topic = w.accepted(street, people.insider)
    home = w.households(street.building_a1, 1)[0]
    url = reverse("deliberation:meeting_create", args=[topic.pk])
    login(client, people.insider)
    form = client.get(url).context["form"]
    assert [k for k, _label in form.fields["kind"].choices] == ["hearing"]
    assert list(form.fields["member_units"].queryset) == [street.unit_a]  # not area B's school
    data = {"kind": "hearing", "starts_at": _local(timezone.now() - timedelta(days=1)), "place": station.pk,
            "convener": people.insider.pk, "quorum": 2, "member_units": [street.unit_a.pk],
            "households": [home.pk], "people": [people.colleague.pk]}
    past = client.post(url, data)
    assert past.status_code == 200 and "starts_at" in past.context["form"].errors
    outside = client.post(url, {**data, "starts_at": _local(timezone.now() + timedelta(days=2)),
                                "member_units": [street.unit_b.pk]})
    assert "member_units" in outside.context["form"].errors and not Meeting.objects.exists()
    done = client.post(url, {**data, "starts_at": _local(timezone.now() + timedelta(days=2))})
    meeting = Meeting.objects.get()
    assert done.url == reverse("deliberation:meeting_detail", args=[meeting.pk])
    assert {i.label for i in meeting.invitations.all()} == {str(home), street.unit_a.name, str(people.colleague)}
    assert login(client, people.colleague).get(url).status_code == 403


def test_check_in_on_a_phone_counts_attendance_against_the_quorum(client, street, people, station):
    home = w.households(street.building_a1, 1)[0]
    meeting = w.meeting(w.accepted(street, people.insider), station, people.insider, quorum=2,
                        invitees={"households": [home]})
    login(client, people.insider)
    page = client.get(reverse("deliberation:meeting_detail", args=[meeting.pk])).content.decode()
    assert "<svg" in page  # the door's QR code, drawn on the server
    checkin_url = re.search(r'href="http://testserver([^"]+)" id="checkin-link"', page).group(1)
    hold = reverse("deliberation:meeting_transition", args=[meeting.pk])
    refused = client.post(hold, {"action": "hold", "hold-action": "hold"}, follow=True).content.decode()
    assert Meeting.objects.get(pk=meeting.pk).state == "scheduled" and "2" in refused

    phone = Client()  # a resident's phone, without an account
    form = phone.get(checkin_url)
    assert form.status_code == 200 and str(home) in form.content.decode()
    first = phone.post(checkin_url, {"household": home.pk})
    assert first.status_code == 200 and first.context["done"][1] is True
    again = phone.post(checkin_url, {"household": home.pk})
    assert again.status_code == 200 and again.context["done"][1] is False
    bad = phone.post(checkin_url, {"name": "", "phone": "123"})
    assert bad.status_code == 400 and set(bad.context["form"].errors) >= {"phone"}
    phone.post(checkin_url, {"name": "王阿姨", "phone": "13912345678"})
    live = client.get(reverse("deliberation:meeting_attendance", args=[meeting.pk])).content.decode()
    assert "<strong>2</strong> / 2" in live and "王**" in live and "王阿姨" not in live  # masked until revealed
    grid = login(Client(), people.colleague).get(
        reverse("deliberation:meeting_attendance", args=[meeting.pk])).content.decode()
    assert "王**" in grid and "13912345678" not in grid and "139****5678" in grid
    client.post(hold, {"action": "hold", "hold-action": "hold"})
    assert Meeting.objects.get(pk=meeting.pk).state == "held"
    closed = phone.get(checkin_url)
    assert "checkin-form" not in closed.content.decode()
    assert phone.get(reverse("deliberation:checkin", args=["forged:token"])).status_code == 404


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    return buf.getvalue()


def test_minutes_decisions_and_photos_through_the_meeting_page(client, street, people, station):
    meeting = w.held(w.meeting(w.accepted(street, people.insider), station, people.insider))
    login(client, people.insider)
    detail = reverse("deliberation:meeting_detail", args=[meeting.pk])
    client.post(reverse("deliberation:meeting_minute_add", args=[meeting.pk]),
                {"speaker": "王阿姨", "side": "resident", "view": "油烟熏得不能开窗"})
    bad = client.post(reverse("deliberation:meeting_decision_add", args=[meeting.pk]),
                      {"text": "加装净化器", "owner": people.insider.pk,
                       "deadline": (timezone.localdate() - timedelta(days=1)).isoformat()})
    assert bad.status_code == 400 and "deadline" in bad.context["decision_form"].errors
    client.post(reverse("deliberation:meeting_decision_add", args=[meeting.pk]),
                {"text": "加装净化器", "owner": people.insider.pk,
                 "deadline": (timezone.localdate() + timedelta(days=20)).isoformat()})
    upload = client.post(reverse("deliberation:meeting_attachment_add", args=[meeting.pk]),
                         {"file": SimpleUploadedFile("会场.png", _png(), content_type="image/png")})
    assert upload.status_code == 302
    photo = MeetingAttachment.objects.get()
    assert photo.is_photo and photo.file.name.startswith("deliberation/meetings/") and photo.file.name.endswith(
        ".png")
    refused = client.post(reverse("deliberation:meeting_attachment_add", args=[meeting.pk]),
                          {"file": SimpleUploadedFile("x.html", b"<html>", content_type="text/html")})
    assert refused.status_code == 400
    page = client.get(detail).content.decode()
    assert "油烟熏得不能开窗" in page and "加装净化器" in page and photo.file.url in page
    assert client.get(photo.file.url).status_code == 200
    assert login(Client(), people.outsider).get(photo.file.url).status_code == 404
    client.post(reverse("deliberation:meeting_transition", args=[meeting.pk]),
                {"action": "publish_minutes", "publish_minutes-action": "publish_minutes"})
    assert Meeting.objects.get(pk=meeting.pk).state == "minuted"
    decision = Decision.objects.get()
    client.post(reverse("deliberation:decision_transition", args=[decision.pk]),
                {"action": "complete", "complete-action": "complete", "complete-outcome": "已加装"})
    decision.refresh_from_db()
    assert (decision.state, decision.outcome) == ("done", "已加装")
    listing = client.get(reverse("deliberation:decision_list"), {"state": "done"})
    assert [d.pk for d in listing.context["page"]] == [decision.pk]


def test_an_invitee_replies_on_the_h5_page(client, street, people, station):
    home = w.households(street.building_a1, 1)[0]
    meeting = w.meeting(w.accepted(street, people.insider), station, people.insider,
                        invitees={"households": [home]})
    invitation = meeting.invitations.get()
    url = reverse("deliberation:h5_meeting", args=[selectors.invitation_token(invitation)])
    page = client.get(url)
    assert page.status_code == 200 and meeting.title in page.content.decode()
    assert client.post(url, {"answer": "yes"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.rsvp == "yes"
    client.post(url, {"answer": "nonsense"})
    invitation.refresh_from_db()
    assert invitation.rsvp == "yes"
    assert client.get(url[:-3] + "xx/").status_code == 404
    login(client, people.insider).post(reverse("deliberation:meeting_rsvp", args=[meeting.pk]),
                                       {"invitation": invitation.pk, "answer": "no"})
    invitation.refresh_from_db()
    assert invitation.rsvp == "no"


def test_excel_exports_are_scoped(client, street, people, station):
    meeting = w.held(w.meeting(w.accepted(street, people.insider, title="兰花餐厅油烟扰民"), station, people.insider,
                               quorum=3))
    services.record_decision(meeting, actor=SYSTEM, text="加装油烟净化器", owner=people.insider,
                             deadline=timezone.localdate() + timedelta(days=5))
    w.topic(street, title="石库门停车", area=street.area_b, grid=None)

    def rows(user, kind):
        response = login(client, user).get(reverse("excel:export", args=[kind]))
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [[c for c in row] for row in sheet.iter_rows(min_row=2, values_only=True)]

    topics = rows(people.insider, "topics")
    assert [r[1] for r in topics] == ["兰花餐厅油烟扰民"] and topics[0][9] == 1  # one meeting
    meetings = rows(people.insider, "meetings")
    assert meetings[0][12] == 3 and meetings[0][13] == "是"  # attendance against the quorum
    assert [r[1] for r in rows(people.insider, "decisions")] == ["加装油烟净化器"]
    assert [r[1] for r in rows(people.outsider, "topics")] == ["石库门停车"]
    assert rows(people.outsider, "decisions") == []


def test_workbench_cards_and_the_inbox_link(client, street, people, station, django_capture_on_commit_callbacks):
    topic = w.accepted(street, people.insider)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = w.meeting(topic, station, people.insider, invitees={"people": [people.colleague]})
    cards = {c["key"]: c for c in cards_for(people.colleague)}
    assert cards["deliberation.meetings"]["count"] == 1
    assert cards["deliberation.meetings"]["items"][0]["url"] == reverse("deliberation:meeting_detail",
                                                                        args=[meeting.pk])
    assert "deliberation.decisions_overdue" not in cards  # a grid leader manages none and owns none
    member = factories.user("member", "party_member", street.grid_a1)
    assert not {"deliberation.meetings", "deliberation.decisions_overdue"} & {c["key"] for c in cards_for(member)}
    held = w.held(meeting)
    past = timezone.now() - timedelta(days=30)
    services.record_decision(held, actor=SYSTEM, text="清理楼道堆物", owner=people.colleague,
                             deadline=(past + timedelta(days=7)).date(), now=past)
    overdue = {c["key"]: c for c in cards_for(people.insider)}["deliberation.decisions_overdue"]
    assert overdue["count"] == 1 and overdue["tone"] == "urgent"
    page = login(client, people.insider).get(overdue["url"])
    assert page.context["page"].paginator.count == 1
    assert {c["key"]: c for c in cards_for(people.outsider)}["deliberation.decisions_overdue"]["count"] == 0
    inbox = login(client, people.colleague).get(reverse("demands:inbox")).content.decode()
    note = Notification.objects.get(user=people.colleague)
    assert f'href="{note.link}"' in inbox and meeting.title in inbox


def test_the_public_check_in_page_limits_one_address(client, street, people, station, settings):
    settings.GONGZHI_CHECKIN_RATE = 2
    meeting = w.meeting(w.accepted(street, people.insider), station, people.insider, quorum=5)
    url = reverse("deliberation:checkin", args=[selectors.checkin_token(meeting)])
    codes = [client.post(url, {"name": f"居民{i}", "phone": f"1370000{i:04d}"}).status_code for i in range(3)]
    assert codes == [200, 200, 429] and CheckIn.objects.filter(meeting=meeting).count() == 2


def test_the_topic_page_offers_the_wording_to_its_managers(client, street, people):
    topic = w.accepted(street, title="楼道堆物")
    url = reverse("deliberation:topic_edit", args=[topic.pk])
    login(client, people.colleague)
    assert 'id="topic-edit"' not in client.get(reverse("deliberation:topic_detail", args=[topic.pk])).content.decode()
    assert client.get(url).status_code == 403
    login(client, people.insider)
    assert 'id="topic-edit"' in client.get(reverse("deliberation:topic_detail", args=[topic.pk])).content.decode()
    bad = client.post(url, {"title": "", "description": "x"})
    assert bad.status_code == 422 and bad.context["form"].errors["title"]
    resp = client.post(url, {"title": "楼道堆物清理", "description": "三号楼楼道"}, follow=True)
    assert "楼道堆物清理" in resp.content.decode()
    assert Topic.objects.get(pk=topic.pk).title == "楼道堆物清理"
    same = client.post(url, {"title": "楼道堆物清理", "description": "三号楼楼道"}, follow=True)
    assert Topic.objects.get(pk=topic.pk).history.count() == 3  # created, accepted, edited: no row for no change
    assert same.redirect_chain[-1][0] == reverse("deliberation:topic_detail", args=[topic.pk])
