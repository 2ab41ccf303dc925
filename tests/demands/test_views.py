"""Staff pages of demands through Django's test client: the scoped queue with filters, bulk assignment and
Excel export, the demand page (masking, the actions offered, service errors as messages), the claim board,
overdue demands, the joint-meeting agenda, extension approvals and the inbox."""

import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from gongzhi.accounts.roles import Role
from gongzhi.demands import services
from gongzhi.demands.models import Demand, Extension, ExtensionStatus, Notification, PhotoKind
from gongzhi.demands.workflow import State
from tests import factories
from tests.demands.conftest import PHONE, submit
from tests.reveal import reveal_export, reveal_page

QUEUE = reverse("demands:queue")


def act(client, demand, action, **data):
    return client.post(reverse("demands:act", args=[demand.pk, action]), data, follow=True)


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)] or [
        str(m) for m in response.context.get("messages", [])]


@pytest.fixture
def two_demands(street):
    return submit(street, title="楼道灯坏了"), submit(street, title="石库门漏水", building=street.building_b1,
                                                       submitter_phone="13800001111")


def test_the_queue_shows_only_demands_in_scope(client, people, two_demands):
    a, b = two_demands
    client.force_login(people.colleague)
    page = client.get(QUEUE).content.decode()
    assert a.tracking_code in page and b.tracking_code not in page
    client.force_login(people.admin)
    page = client.get(QUEUE).content.decode()
    assert a.tracking_code in page and b.tracking_code in page
    client.force_login(people.resident)
    assert client.get(QUEUE).status_code == 403


def test_the_queue_filters_and_searches(client, people, street, two_demands):
    a, b = two_demands
    services.claim_demand(a, actor=people.colleague)
    client.force_login(people.admin)
    rows = lambda **q: list(client.get(QUEUE, q).context["page"].object_list)  # noqa: E731
    assert rows(state="claimed") == [a]
    assert rows(q="漏水") == [b]
    assert rows(q=b.tracking_code) == [b]
    assert rows(grid=street.grid_b1.pk) == [b]
    assert rows(channel="phone") == []
    assert rows(queue="mine") == []
    today = a.created_at.date()
    assert set(rows(date_from=today, date_to=today)) == {a, b}
    assert rows(date_from=today + timedelta(days=1)) == []
    client.force_login(people.colleague)
    assert list(client.get(QUEUE, {"queue": "grid"}).context["page"].object_list) == [a]


def test_the_queue_is_paginated(client, people, street, settings):
    settings.PAGE_SIZE = 2
    for i in range(3):
        submit(street, title=f"诉求{i}")
    client.force_login(people.colleague)
    page = client.get(QUEUE).context["page"]
    assert page.paginator.num_pages == 2 and len(page.object_list) == 2


def test_bulk_assignment_assigns_the_selected_demands_in_scope(client, people, street, two_demands):
    a, b = two_demands
    c = submit(street, title="垃圾桶满了")
    client.force_login(people.colleague)
    response = client.post(reverse("demands:bulk_assign"), {
        "ids": [a.pk, b.pk, c.pk], "assignee": people.colleague.pk, "note": "请处理"}, follow=True)
    assert "2" in texts(response)[0]
    for d in (a, b, c):
        d.refresh_from_db()
    assert (a.state, a.assignee, c.state, c.assignee) == (State.ASSIGNED, people.colleague, State.ASSIGNED,
                                                          people.colleague)
    assert b.state == State.SUBMITTED  # out of scope: silently not touched


def test_bulk_assignment_needs_a_selection_and_a_target(client, people, two_demands):
    a, _b = two_demands
    client.force_login(people.colleague)
    response = client.post(reverse("demands:bulk_assign"), {"ids": [a.pk]}, follow=True)
    assert texts(response)
    response = client.post(reverse("demands:bulk_assign"), {"assignee": people.colleague.pk}, follow=True)
    assert texts(response)
    a.refresh_from_db()
    assert a.state == State.SUBMITTED
    # Only people in the user's scope can be chosen.
    response = client.post(reverse("demands:bulk_assign"), {"ids": [a.pk], "assignee": people.outsider.pk})
    a.refresh_from_db()
    assert a.state == State.SUBMITTED


def test_the_export_is_the_filtered_list_masked_as_on_the_demand_page(client, people, two_demands):
    a, b = two_demands
    export = reverse("excel:export", args=["demands"])
    # the street account sees the phone masked on the demand page by default, and in full once revealed (with a
    # reason, recorded): so in the export
    client.force_login(people.admin)
    assert "13800001111" not in client.get(reverse("demands:detail", args=[b.pk])).content.decode()
    assert "13800001111" in reveal_page(client, reverse("demands:detail", args=[b.pk]))
    assert f'href="{export}?q=%E6%BC%8F%E6%B0%B4"' in client.get(QUEUE, {"q": "漏水"}).content.decode()
    response = client.get(export, {"q": "漏水"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == b.tracking_code and "138****1111" in rows[1]
    rows = list(load_workbook(io.BytesIO(reveal_export(client, QUEUE, {"q": "漏水"}))).active.iter_rows(
        values_only=True))
    assert len(rows) == 2 and rows[1][0] == b.tracking_code and "13800001111" in rows[1]
    client.force_login(people.colleague)  # a grid leader sees it masked on the page: so in the export
    assert PHONE not in client.get(reverse("demands:detail", args=[a.pk])).content.decode()
    rows = list(load_workbook(io.BytesIO(client.get(export).content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [a.tracking_code] and "139****5678" in rows[1] and PHONE not in rows[1]
    client.force_login(people.resident)
    assert client.get(export).status_code == 403


def test_the_demand_page_is_scoped_and_masks_personal_data(client, people, two_demands):
    a, _b = two_demands
    url = reverse("demands:detail", args=[a.pk])
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404
    assert client.post(reverse("demands:act", args=[a.pk, "claim"])).status_code == 404
    a.refresh_from_db()
    assert a.state == State.SUBMITTED
    client.force_login(people.colleague)  # a grid leader: no personal-data capability
    page = client.get(url).content.decode()
    assert "139****5678" in page and PHONE not in page
    assert 'id="duplicates"' in page and reverse("triage:demand_duplicates", args=[a.pk]) in page
    client.force_login(people.insider)  # she may see it: masked until she reveals it, with a reason
    assert PHONE not in client.get(url).content.decode()
    assert PHONE in reveal_page(client, url)


def test_the_page_offers_exactly_the_possible_actions(client, people, street, two_demands):
    a, _b = two_demands
    client.force_login(people.colleague)
    names = lambda: [x["name"] for x in client.get(reverse("demands:detail", args=[a.pk])).context["actions"]]  # noqa: E731
    assert names() == ["assign", "route", "claim", "escalate", "reject", "merge", "extend"]
    services.claim_demand(a, actor=people.colleague)
    assert names() == ["start", "return", "escalate", "extend"]
    services.start_demand(a, actor=people.colleague)
    assert names() == ["resolve", "escalate", "extend"]


def test_a_handler_works_a_demand_through_the_page(client, people, street, two_demands):
    a, _b = two_demands
    client.force_login(people.colleague)
    act(client, a, "assign", assignee=people.colleague.pk)
    act(client, a, "claim", promise="两天内修好")
    act(client, a, "start")
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, "PNG")
    after = SimpleUploadedFile("after.png", out.getvalue(), content_type="image/png")
    response = act(client, a, "resolve", resolution="已更换灯泡", photos=[after])
    a.refresh_from_db()
    assert (a.state, a.resolution, a.promise) == (State.RESOLVED, "已更换灯泡", "两天内修好")
    assert a.photos.filter(kind=PhotoKind.AFTER).count() == 1
    timeline = response.context["info"].timeline
    assert [t.action for t in timeline] == ["submit", "assign", "claim", "start", "resolve"]


def test_service_errors_become_messages(client, people, two_demands):
    a, _b = two_demands
    client.force_login(people.colleague)
    services.claim_demand(a, actor=people.colleague)
    response = act(client, a, "return", note="")  # a reason is required
    assert texts(response) and response.status_code == 200
    a.refresh_from_db()
    assert a.state == State.CLAIMED
    response = act(client, a, "close")  # not possible now
    assert texts(response)
    a.refresh_from_db()
    assert a.state == State.CLAIMED
    response = act(client, a, "resolve", resolution="")  # not startable-and-resolvable in one go
    a.refresh_from_db()
    assert a.state == State.CLAIMED


def test_return_with_a_reason_goes_back_to_the_dispatcher(client, people, two_demands):
    a, _b = two_demands
    services.assign_demand(a, actor=people.insider, assignee_id=people.colleague.pk)
    client.force_login(people.colleague)
    act(client, a, "return", note="不属于本网格")
    a.refresh_from_db()
    assert a.state == State.RETURNED and a.transitions.last().note == "不属于本网格"


def test_merge_by_tracking_code(client, people, street, two_demands):
    a, _b = two_demands
    dup = submit(street, title="灯又坏了", submitter_phone="13700002222")
    client.force_login(people.colleague)
    response = act(client, dup, "merge", tracking_code="GZ-NONE")
    assert texts(response)
    act(client, dup, "merge", tracking_code=a.tracking_code.lower(), confirmed="1")
    dup.refresh_from_db()
    assert (dup.state, dup.merged_into) == (State.MERGED, a)
    assert a.followers.get().phone == "13700002222"


def test_routing_an_unplaced_demand_to_a_grid(client, people, street):
    d = submit(street, subdistrict=street.subdistrict, address="")
    client.force_login(people.admin)
    act(client, d, "route", grid=street.grid_a2.pk)
    d.refresh_from_db()
    assert d.grid == street.grid_a2


def test_a_party_member_claims_from_the_board_and_everyone_sees_who(client, people, street, two_demands):
    a, _b = two_demands
    user = factories.user("member", Role.PARTY_MEMBER, street.grid_a1, display_name="张梧桐")
    street.member_a.user, street.member_a.grid = user, street.grid_a1
    street.member_a.save()
    board = reverse("demands:claim_board")
    client.force_login(user)
    assert a in client.get(board).context["open_items"]
    client.post(reverse("demands:act", args=[a.pk, "claim"]), {"promise": ""})  # a promise is required
    a.refresh_from_db()
    assert a.state == State.SUBMITTED
    response = client.post(reverse("demands:act", args=[a.pk, "claim"]), {"promise": "周末前修好"})
    assert response.url == reverse("demands:detail", args=[a.pk])
    a.refresh_from_db()
    assert (a.state, a.claimed_by) == (State.CLAIMED, user)
    page = client.get(board).content.decode()
    assert "张梧桐" in page and "周末前修好" in page
    client.force_login(people.colleague)
    assert "周末前修好" in client.get(board).content.decode()
    client.force_login(people.resident)
    assert client.get(board).status_code == 403


def test_overdue_and_agenda_pages(client, people, street, two_demands):
    a, _b = two_demands
    Demand.objects.filter(pk=a.pk).update(due_on=a.created_at.date() - timedelta(days=3))
    client.force_login(people.colleague)
    assert list(client.get(reverse("demands:overdue")).context["page"].object_list) == [a]
    assert list(client.get(reverse("demands:agenda")).context["page"].object_list) == []
    Demand.objects.filter(pk=a.pk).update(escalation_level=3, region=street.subdistrict)
    client.force_login(people.admin)
    assert list(client.get(reverse("demands:agenda")).context["page"].object_list) == [a]


def test_an_extension_is_requested_on_the_page_and_approved(client, people, two_demands):
    a, _b = two_demands
    due = a.due_on
    client.force_login(people.colleague)
    act(client, a, "extend", days=3, reason="需要协调物业")
    ext = Extension.objects.get()
    client.force_login(people.admin)
    assert list(client.get(reverse("demands:extensions")).context["page"].object_list) == [ext]
    client.post(reverse("demands:decide_extension", args=[ext.pk]), {"approve": "1"})
    ext.refresh_from_db()
    a.refresh_from_db()
    assert ext.status == ExtensionStatus.APPROVED and a.due_on > due
    client.force_login(people.colleague)
    assert client.get(reverse("demands:extensions")).status_code == 403


def test_the_inbox_lists_and_marks_read(client, people, two_demands, django_capture_on_commit_callbacks):
    a, _b = two_demands
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_demand(a, actor=people.insider, assignee_id=people.colleague.pk)
    client.force_login(people.colleague)
    response = client.get(reverse("demands:inbox"))
    assert response.context["unread"] >= 1 and a.tracking_code in response.content.decode()
    one = Notification.objects.filter(user=people.colleague).first()
    client.post(reverse("demands:inbox_read"), {"ids": [one.pk]})
    one.refresh_from_db()
    assert one.read_at is not None
    client.post(reverse("demands:inbox_read"))
    assert not Notification.objects.filter(user=people.colleague, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=people.insider, read_at__isnull=True).count() == \
        Notification.objects.filter(user=people.insider).count()  # others' untouched
