"""The triage queue: staff confirm a suggestion or correct it in one click; both are recorded."""

from django.urls import reverse

from gongzhi.triage.models import Status
from gongzhi.triage.services import training_rows
from tests.conftest import login
from tests.triage.conftest import category, submit

HTMX = {"HTTP_HX_REQUEST": "true"}


def _waiting(street, settings, capture, title="你好", description="请帮忙看看这个事情"):
    settings.GONGZHI_TRIAGE_THRESHOLD = 1.01  # no suggestion is sure enough: everything waits
    with capture(execute=True):
        demand = submit(street, title, description)
    demand.refresh_from_db()
    assert demand.classification.status == Status.NEEDS_REVIEW
    return demand


def test_the_queue_shows_text_suggestion_and_top3(client, street, people, settings, trained,
                                                  django_capture_on_commit_callbacks):
    demand = _waiting(street, settings, django_capture_on_commit_callbacks)
    html = login(client, people.insider).get(reverse("triage:queue")).content.decode()
    c = demand.classification
    assert demand.title in html and "请帮忙看看这个事情" in html
    assert c.suggested_category.name in html and f"{c.confidence:.2f}" in html
    assert html.count('class="btn') >= 3 and 'name="category"' in html
    assert "macro-F1" in html or "F1" in html
    other = login(client, people.outsider).get(reverse("triage:queue")).content.decode()
    assert demand.title not in other
    assert login(client, people.resident).get(reverse("triage:queue")).status_code == 403


def test_confirming_the_suggestion_in_one_click(client, street, people, settings, trained,
                                                django_capture_on_commit_callbacks):
    demand = _waiting(street, settings, django_capture_on_commit_callbacks)
    suggested = demand.classification.suggested_category
    response = login(client, people.insider).post(reverse("triage:decide", args=[demand.pk]),
                                                  {"category": suggested.pk}, **HTMX)
    assert response.status_code == 200 and suggested.name in response.content.decode()
    demand.refresh_from_db()
    c = demand.classification
    assert demand.category == suggested
    assert (c.status, c.decided_by) == (Status.CONFIRMED, people.insider) and c.decided_at
    change = demand.history.first()
    assert change.history_user == people.insider and change.category_id == suggested.pk
    assert change.history_change_reason == "categorize"
    assert demand not in client.get(reverse("triage:queue")).context["page"]


def test_a_correction_is_recorded_and_becomes_training_data(client, street, people, settings, trained,
                                                            django_capture_on_commit_callbacks):
    demand = _waiting(street, settings, django_capture_on_commit_callbacks)
    suggested = demand.classification.suggested_category
    other = next(c for c in (category("parking"), category("street_lights")) if c.parent != suggested)
    login(client, people.colleague).post(reverse("triage:decide", args=[demand.pk]), {"category": other.pk}, **HTMX)
    demand.refresh_from_db()
    assert demand.category == other
    assert (demand.classification.status, demand.classification.decided_by) == (Status.CORRECTED, people.colleague)
    assert demand.history.first().history_change_reason == "categorize"
    assert (("你好", "请帮忙看看这个事情"), str(other.parent.pk)) in training_rows(street.subdistrict)


def test_auto_accepted_guesses_are_not_training_data_until_reviewed(street, settings, trained,
                                                                    django_capture_on_commit_callbacks):
    settings.GONGZHI_TRIAGE_THRESHOLD = 0.0  # every suggestion is accepted
    before = len(training_rows(street.subdistrict))
    with django_capture_on_commit_callbacks(execute=True):
        demand = submit(street, "小区路灯坏了", "路灯不亮，晚上很黑，请尽快处理")
    assert demand.classification.status == Status.AUTO_ACCEPTED
    assert len(training_rows(street.subdistrict)) == before


def test_an_outsider_cannot_decide_and_a_bad_category_writes_nothing(client, street, people, settings, trained,
                                                                     django_capture_on_commit_callbacks):
    demand = _waiting(street, settings, django_capture_on_commit_callbacks)
    url = reverse("triage:decide", args=[demand.pk])
    assert login(client, people.outsider).post(url, {"category": category("parking").pk}).status_code == 404
    response = login(client, people.insider).post(url, {"category": "999999"}, **HTMX)
    assert "errorlist" in response.content.decode()
    demand.refresh_from_db()
    assert demand.category is None and demand.classification.status == Status.NEEDS_REVIEW


def test_without_a_suggestion_the_form_starts_blank_and_a_choice_is_categorized(client, street, people,
                                                                               django_capture_on_commit_callbacks):
    """No model yet: the category select starts on the blank choice (not the first category), and choosing one is
    recorded as categorized (已分类), not as a correction of a suggestion that never was."""
    with django_capture_on_commit_callbacks(execute=True):
        demand = submit(street, "楼下的灯", "晚上看不清路")
    html = login(client, people.insider).get(reverse("triage:queue")).content.decode()
    row = html[html.index(f'id="triage-{demand.pk}"'):]
    select = row[row.index("<select"):row.index("</select>")]
    assert '<option value="" selected>' in select
    assert select.count(" selected") == 1
    client.post(reverse("triage:decide", args=[demand.pk]), {"category": category("parking").pk}, **HTMX)
    demand.refresh_from_db()
    assert demand.category == category("parking")
    assert demand.classification.status == Status.CLASSIFIED
    assert demand.classification.get_status_display() != Status.CORRECTED.label
