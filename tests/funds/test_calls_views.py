"""The calls part's staff pages: lists with their filters, scoped by persona; the call and proposal pages with the
buttons the policy allows; forms with field-level errors; the review, decision and grant forms posting through
the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from gongzhi.funds.models import Call, LedgerEntry, Proposal
from gongzhi.registry.models import VolunteerTeam
from tests.conftest import login
from tests.funds import factories_calls as f


@pytest.fixture
def fund_a(street):
    return f.fund(street.area_a, amount="80000", year=2026)


@pytest.fixture
def fund_b(street):
    return f.fund(street.area_b, amount="30000", year=2026)


def test_the_call_list_is_scoped_and_filtered(client, people, fund_a, fund_b, street):
    a = f.call(fund_a, "accepting", title="梧桐2026征集")
    old = f.call(f.fund(street.area_a, amount="1000", year=2025), "finished", budget="1000", title="梧桐2025征集")
    b = f.call(fund_b, "accepting", title="石库门2026征集", budget="10000")
    url = reverse("funds:calls_list")
    text = login(client, people.insider).get(url).content.decode()
    assert a.title in text and old.title in text and b.title not in text
    text = client.get(url, {"year": "2025"}).content.decode()
    assert old.title in text and a.title not in text
    text = client.get(url, {"state": "accepting", "q": "梧桐"}).content.decode()
    assert a.title in text and old.title not in text
    text = client.get(url, {"fund": fund_a.pk}).content.decode()
    assert a.title in text and old.title not in text
    assert client.get(url, {"year": "abc"}).status_code == 400
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "call-table" in fragment and "<html" not in fragment
    assert login(client, people.outsider).get(url).content.decode().count("石库门2026征集") == 1
    assert login(client, people.colleague).get(url).status_code == 403
    assert client.get(reverse("funds:calls_detail", args=[a.pk])).status_code == 404
    assert login(client, people.outsider).get(reverse("funds:calls_detail", args=[a.pk])).status_code == 404


def test_creating_a_call_shows_field_errors(client, people, fund_a):
    url = reverse("funds:calls_create")
    login(client, people.insider)
    r = client.post(url, {"fund": fund_a.pk, "title": "征集", "budget": "90000", "cosigns_needed": 0,
                          "selection": "vote"})
    assert r.status_code == 422
    assert r.context["form"].errors["budget"]  # more than the fund holds
    r = client.post(url, {"fund": fund_a.pk, "title": "征集", "budget": "12.345", "cosigns_needed": 0,
                          "selection": "vote"})
    assert r.status_code == 422 and r.context["form"].errors["budget"]
    r = client.post(url, {"fund": fund_a.pk, "title": "2026年自治项目征集", "budget": "60000", "cosigns_needed": 3,
                          "selection": "vote", "max_per_proposal": "8000"})
    call = Call.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("funds:calls_detail", args=[call.pk])
    assert (call.budget, call.cosigns_needed, call.state) == (Decimal("60000.00"), 3, "informing")
    # the form offers only the funds the user manages
    fund_b = f.fund(people.outsider.role_assignments.get().region, amount="100")
    r = client.post(url, {"fund": fund_b.pk, "title": "越权", "budget": "10", "cosigns_needed": 0,
                          "selection": "vote"})
    assert r.status_code == 422 and r.context["form"].errors["fund"]


def test_the_call_page_moves_phases_by_its_buttons(client, people, fund_a):
    call = f.call(fund_a, "informing")
    page = reverse("funds:calls_detail", args=[call.pk])
    text = login(client, people.insider).get(page).content.decode()
    assert 'id="action-open"' in text and 'id="phase-bar"' in text and 'id="action-cancel"' in text
    client.post(reverse("funds:calls_transition", args=[call.pk]), {"action": "open"})
    call.refresh_from_db()
    assert call.state == "accepting"
    assert 'id="add-proposal"' in client.get(page).content.decode()
    r = client.post(reverse("funds:calls_transition", args=[call.pk]), {"action": "cancel", "note": ""})
    call.refresh_from_db()
    assert r.status_code == 302 and call.state == "accepting"
    text = login(client, people.admin).get(page).content.decode()
    assert 'id="action-close_intake"' in text
    # a district viewer sees the page but no buttons
    from gongzhi.accounts.roles import Role
    from tests import factories

    viewer = factories.user("viewer", Role.DISTRICT_VIEWER, fund_a.region.parent.parent)
    text = login(client, viewer).get(page).content.decode()
    assert call.title in text and 'id="action-close_intake"' not in text and 'id="add-proposal"' not in text


def test_entering_a_proposal_with_budget_lines_and_its_errors(client, people, fund_a, street):
    call = f.call(fund_a, "accepting", max_per_proposal="1000")
    team = VolunteerTeam.objects.create(name="梧桐睦邻队", region=street.area_a)
    url = reverse("funds:calls_proposal_create", args=[call.pk])
    login(client, people.insider)
    assert client.get(url).status_code == 200
    base = {"title": "楼道歇歇椅", "summary": "折叠椅", "origin": "volunteers", "volunteer_team": team.pk,
            "contact_phone": "13900002222", "beneficiary_count": "30", "lines-TOTAL_FORMS": "3",
            "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "3", "lines-MAX_NUM_FORMS": "30"}
    r = client.post(url, base | {"lines-0-item": "折叠椅", "lines-0-quantity": "12", "lines-0-unit_price": "85.555"})
    assert r.status_code == 422 and r.context["lines"].forms[0].errors["unit_price"]
    r = client.post(url, base | {"lines-0-item": "折叠椅", "lines-0-quantity": "12"})
    assert r.status_code == 422 and r.context["lines"].forms[0].errors["unit_price"]
    r = client.post(url, base | {"lines-0-item": "折叠椅", "lines-0-quantity": "12", "lines-0-unit_price": "90"})
    assert r.status_code == 422 and "单个项目上限" in " ".join(r.context["lines"].non_form_errors())  # the most per proposal
    r = client.post(url, base)
    assert r.status_code == 422 and r.context["lines"].non_form_errors()
    r = client.post(url, base | {"lines-0-item": "折叠椅", "lines-0-quantity": "10", "lines-0-unit_price": "85.5",
                                 "lines-1-item": "安装", "lines-1-quantity": "1", "lines-1-unit_price": "100"})
    proposal = Proposal.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("funds:calls_proposal_detail", args=[proposal.pk])
    assert proposal.volunteer_team == team and proposal.budget_lines.count() == 2
    assert login(client, people.outsider).get(url).status_code == 404


def test_the_proposal_page_reviews_and_grants_through_its_forms(client, people, fund_a):
    call = f.call(fund_a, "reviewing")
    p = f.proposal(call, "submitted", title="健康小屋")
    page = reverse("funds:calls_proposal_detail", args=[p.pk])
    text = login(client, people.insider).get(page).content.decode()
    assert 'id="review-form"' in text and 'id="decline-form"' in text and 'id="grant-form"' not in text
    assert "13912345678" not in text and "王阿姨" not in text  # masked on screen, as every personal field
    assert "139****5678" in text
    chairs, paint = p.budget_lines.order_by("position")
    r = client.post(reverse("funds:calls_proposal_review", args=[p.pk]),
                    {f"line_{chairs.pk}": "700", f"line_{paint.pk}": "450", "note": "可行"})
    assert r.status_code == 422 and r.context["review_form"].errors[f"line_{chairs.pk}"]
    r = client.post(reverse("funds:calls_proposal_review", args=[p.pk]),
                    {f"line_{chairs.pk}": "500", f"line_{paint.pk}": "450", "note": "椅子核减"})
    p.refresh_from_db()
    assert r.status_code == 302 and p.state == "feasible" and p.approved_amount == Decimal("950.00")
    text = client.get(page).content.decode()
    assert 'id="review-form"' not in text and "椅子核减" in text and 'id="approved">950.00' in text

    Call.objects.filter(pk=call.pk).update(state="selecting", selection="council")
    client.post(reverse("funds:calls_proposal_decide", args=[p.pk]), {"selected": "yes", "note": "议事会通过"})
    p.refresh_from_db()
    assert p.state == "selected"
    Call.objects.filter(pk=call.pk).update(state="granting")
    text = client.get(page).content.decode()
    assert 'id="grant-form"' in text and 'id="delivery-link"' not in text  # no delivery before the grant
    r = client.post(reverse("funds:calls_proposal_grant", args=[p.pk]), {"occurred_on": "2999-01-01"})
    assert r.status_code == 422 and r.context["grant_form"].errors["occurred_on"]  # a date in the future
    assert not LedgerEntry.objects.filter(proposal=p).exists()
    r = client.post(reverse("funds:calls_proposal_grant", args=[p.pk]), {})
    p.refresh_from_db()
    assert r.status_code == 302 and p.state == "granted"
    assert LedgerEntry.objects.get(proposal=p).amount == Decimal("-950.00")
    detail = client.get(reverse("funds:calls_detail", args=[call.pk])).content.decode()
    assert 'id="total-granted">950.00' in detail
    delivery = reverse("funds:delivery_detail", args=[p.pk])
    assert f'href="{delivery}" id="delivery-link"' in client.get(page).content.decode()  # on to its delivery
    assert client.get(delivery).status_code == 200


def test_a_viewer_sees_the_contact_masked_and_no_forms(client, people, fund_a):
    from gongzhi.accounts.roles import Role
    from tests import factories

    p = f.proposal(f.call(fund_a, "reviewing"), "submitted")
    viewer = factories.user("viewer2", Role.DISTRICT_VIEWER, fund_a.region.parent.parent)
    text = login(client, viewer).get(reverse("funds:calls_proposal_detail", args=[p.pk])).content.decode()
    assert "13912345678" not in text and "5678" in text and 'id="review-form"' not in text
    r = client.post(reverse("funds:calls_proposal_decline", args=[p.pk]), {"reason": "不行"})
    assert r.status_code in (403, 422) and Proposal.objects.get(pk=p.pk).state == "submitted"


def test_the_proposal_list_and_the_review_card(client, people, fund_a, fund_b):
    waiting = f.proposal(f.call(fund_a, "reviewing"), "submitted", title="待审提案")
    f.proposal(f.call(fund_b, "reviewing", budget="10000"), "submitted", title="石库门提案")
    text = login(client, people.insider).get(reverse("funds:calls_proposal_list")).content.decode()
    assert "待审提案" in text and "石库门提案" not in text
    text = client.get(reverse("home")).content.decode()
    assert 'id="card-funds-proposals_to_review"' in text and "待审提案" in text
    text = login(client, people.admin).get(reverse("funds:calls_proposal_list"), {"state": "submitted"}).content
    assert "石库门提案" in text.decode() and waiting.title in text.decode()


def test_residents_and_the_grid_leader_see_no_staff_page(client, people, fund_a):
    call = f.call(fund_a, "reviewing")
    p = f.proposal(call, "submitted")
    for persona in (people.resident, people.colleague):
        login(client, persona)
        assert client.get(reverse("funds:calls_list")).status_code == 403
        assert client.get(reverse("funds:calls_proposal_list")).status_code == 403
        assert client.get(reverse("funds:calls_detail", args=[call.pk])).status_code == 404
        assert client.get(reverse("funds:calls_proposal_detail", args=[p.pk])).status_code == 404
        line = p.budget_lines.first()
        r = client.post(reverse("funds:calls_proposal_review", args=[p.pk]), {f"line_{line.pk}": "1", "note": "x"})
        assert r.status_code == 404
    p.refresh_from_db()
    assert p.state == "submitted"


def test_staff_record_the_co_signatures_households_gave_on_paper(client, people, fund_a, street):
    from gongzhi.funds.models import ProposalCosign

    call = f.call(fund_a, "accepting", cosigns_needed=2)
    p = f.proposal(call, "collecting", origin="residents", title="自治花园")
    homes = f.households(street.grid_a1, 2)
    elsewhere = f.households(street.grid_b1, 1)[0]  # a household of area B
    page = reverse("funds:calls_proposal_detail", args=[p.pk])
    post = reverse("funds:calls_proposal_cosign", args=[p.pk])
    building = homes[0].building
    text = login(client, people.insider).get(page).content.decode()
    assert 'id="cosign-form"' in text and f'<option value="{building.pk}">' in text
    assert f'<option value="{elsewhere.building.pk}">' not in text  # only the buildings of the call's area

    r = client.post(post, {"building": building.pk, "room": "999"})  # nobody registered at that room
    assert r.status_code == 422 and r.context["cosign_form"].errors["room"]
    r = client.post(post, {"building": elsewhere.building.pk, "room": elsewhere.room})
    assert r.status_code == 422 and r.context["cosign_form"].errors["building"]
    r = client.post(post, {"building": building.pk, "room": ""})
    assert r.status_code == 422 and r.context["cosign_form"].errors["room"]
    assert not ProposalCosign.objects.exists()

    r = client.post(post, {"building": building.pk, "room": homes[0].room})
    assert r.status_code == 302 and r["Location"] == page
    text = client.get(page).content.decode()
    assert f"{building.name} {homes[0].room}" in text and 'id="cosign-count">1 / 2' in text
    r = client.post(post, {"building": building.pk, "room": homes[0].room})  # the same household again
    assert r.status_code == 422 and r.context["cosign_form"].non_field_errors()
    assert ProposalCosign.objects.filter(proposal=p).count() == 1

    client.post(post, {"building": building.pk, "room": homes[1].room})
    p.refresh_from_db()
    assert p.state == "submitted"  # two of two households: the proposal goes to the review
    assert 'id="cosign-form"' not in client.get(page).content.decode()
    assert client.post(post, {"building": building.pk, "room": homes[1].room}).status_code == 422

    assert login(client, people.outsider).post(post, {"building": building.pk, "room": "101"}).status_code == 404
