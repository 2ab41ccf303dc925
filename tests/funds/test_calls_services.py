"""The calls part's services: calls and their phases, proposals with budget lines, co-signing households, the
review, the selection (council and household vote) and the grant, each with its refusals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from gongzhi.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from gongzhi.core.workflow import SUBMITTER, SYSTEM
from gongzhi.deliberation.models import BallotReceipt, Meeting, Topic, VoteScope
from gongzhi.deliberation.services import votes as vote_services
from gongzhi.demands.models import Notification
from gongzhi.demands.notify import MemoryNotifier
from gongzhi.funds.models import BudgetLine, Call, LedgerEntry, Proposal, ProposalCosign
from gongzhi.funds.services import calls as services
from gongzhi.funds.services import ledger
from gongzhi.registry.models import VolunteerTeam
from tests.funds import factories_calls as f


@pytest.fixture
def outbox(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    yield MemoryNotifier.outbox
    MemoryNotifier.outbox.clear()


@pytest.fixture
def fund_a(street):
    return f.fund(street.area_a, amount="80000")


@pytest.fixture
def team(street):
    return VolunteerTeam.objects.create(name="梧桐睦邻志愿队", region=street.grid_a1, leader_name="陈队长")


# --- calls ---------------------------------------------------------------------------------------------------------

def test_a_call_is_created_announced_and_within_the_funds_balance(fund_a, people):
    made = services.create_call(fund_a, actor=people.insider, title="2026年自治项目征集", budget="60000",
                                max_per_proposal="8000", cosigns_needed=3)
    assert made.state == "informing" and made.budget == Decimal("60000.00") and made.created_by == people.insider
    step = made.transitions.get()
    assert (step.action, step.from_state, step.to_state, step.actor) == ("announce", "", "informing", people.insider)

    for budget in ("0", "80000.01", "100.005", "abc", "-5"):  # zero, above the balance, a fraction of a fen, …
        with pytest.raises(ValidationFailed) as e:
            services.create_call(fund_a, actor=people.insider, title="超额征集", budget=budget)
        assert "budget" in e.value.field_errors, budget
    with pytest.raises(ValidationFailed) as e:
        services.create_call(fund_a, actor=people.insider, title="", budget="100", max_per_proposal="200")
    assert set(e.value.field_errors) == {"title", "max_per_proposal"}
    with pytest.raises(ValidationFailed) as e:
        services.create_call(fund_a, actor=people.outsider, title="越权征集", budget="100")
    assert "fund" in e.value.field_errors
    assert Call.objects.count() == 1


def test_phases_move_through_the_workflow_and_cancelling_needs_a_reason(fund_a, people):
    c = f.call(fund_a, "informing")
    c = services.transition_call(c, "open", actor=people.insider)
    assert c.state == "accepting"
    services.update_call(c, actor=people.insider, title="改过的标题", budget="1000")
    c.refresh_from_db()
    assert (c.title, c.budget) == ("改过的标题", Decimal("1000.00"))
    with pytest.raises(ValidationFailed) as e:
        services.update_call(c, actor=people.insider, budget="90000")
    assert "budget" in e.value.field_errors
    with pytest.raises(NotFound):
        services.transition_call(c, "close_intake", actor=people.outsider)
    with pytest.raises(NotFound):
        services.transition_call(c, "close_intake", actor=people.colleague)  # no funds rights at all
    with pytest.raises(ValidationFailed) as e:
        services.cancel_call(c, actor=people.insider, reason="  ")
    assert "note" in e.value.field_errors
    c = services.transition_call(c, "close_intake", actor=people.insider)
    f.proposal(c, "submitted")
    with pytest.raises(Conflict):  # a submitted proposal still waits for its review
        services.transition_call(c, "start_selection", actor=people.insider)
    with pytest.raises(InvalidTransition):
        services.transition_call(c, "finish", actor=people.insider)
    c = services.cancel_call(c, actor=people.insider, reason="预算调整")
    assert c.state == "cancelled" and c.cancel_reason == "预算调整"
    assert [t.action for t in c.transitions.order_by("id")] == ["announce", "open", "close_intake", "cancel"]


# --- proposals -----------------------------------------------------------------------------------------------------

def test_staff_submit_a_volunteer_teams_proposal_with_budget_lines(fund_a, people, team):
    c = f.call(fund_a, cosigns_needed=5, max_per_proposal="5000")
    p = services.submit_proposal(c, actor=people.insider, title="楼道歇歇椅", summary="每层楼道放一把折叠椅",
                                 origin="volunteers", volunteer_team=team, contact_name="陈队长",
                                 contact_phone="13900001111", beneficiaries="楼内老人", beneficiary_count=40,
                                 lines=[{"item": "折叠椅", "quantity": "12", "unit_price": "85.50"},
                                        {"item": "安装", "quantity": "1", "unit_price": "200"}])
    assert p.state == "submitted"  # a volunteer team needs no co-signing households
    assert p.team_name == "梧桐睦邻志愿队" and p.submitted_by == people.insider
    assert [(line.item, line.amount) for line in p.budget_lines.all()] == [("折叠椅", Decimal("1026.00")),
                                                                           ("安装", Decimal("200.00"))]
    assert p.masked_phone != "13900001111" and p.masked_phone.endswith("1111")
    stored = Proposal.objects.filter(pk=p.pk).values_list("contact_phone", flat=True).get()
    assert stored == "13900001111"  # decrypted by the field; the column itself is ciphertext:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM funds_proposal WHERE id = %s", [p.pk])
        assert "13900001111" not in cursor.fetchone()[0]
    assert p.transitions.get().action == "propose"


def test_a_proposal_from_a_deliberation_topic(fund_a, people, street):
    topic = Topic.objects.create(title="口袋花园改造", area=street.area_a, state="decided")
    c = f.call(fund_a, cosigns_needed=5)
    p = services.submit_proposal(c, actor=people.insider, title="口袋花园", summary="议题决定的花园改造",
                                 origin="topic", topic=topic, lines=f.LINES)
    assert (p.origin, p.topic, p.state) == ("topic", topic, "submitted")
    other = Topic.objects.create(title="石库门议题", area=street.area_b)
    with pytest.raises(ValidationFailed) as e:
        services.submit_proposal(c, actor=people.insider, title="外区议题", summary="x", origin="topic", topic=other,
                                 lines=f.LINES)
    assert "topic" in e.value.field_errors


def test_bad_budgets_and_refusals_write_nothing(fund_a, people):
    c = f.call(fund_a, max_per_proposal="1000")

    def submit(actor=people.insider, call=c, **kw):
        values = {"title": "花坛", "summary": "种花", "origin": "volunteers", "lines": f.LINES} | kw
        if values["origin"] == "volunteers":
            values.setdefault("volunteer_team", VolunteerTeam.objects.create(name="队", region=c.fund.region))
        return services.submit_proposal(call, actor=actor, **values)

    for lines, expected in (
        ([], "at least one"),
        ([{"item": "土", "quantity": "3", "unit_price": "0.333"}], "Line 1"),
        ([{"item": "土", "quantity": "0.5", "unit_price": "0.01"}], "whole fen"),
        ([{"item": "", "quantity": "1", "unit_price": "1"}], "Line 1"),
        ([{"item": "土", "quantity": "-1", "unit_price": "5"}], "Line 1"),
        ([{"item": "土", "quantity": "1", "unit_price": "1000.01"}], "above the most"),
    ):
        with pytest.raises(ValidationFailed) as e, translation.override("en"):  # the English fragments
            submit(lines=lines)
        assert "lines" in e.value.field_errors and expected in " ".join(e.value.field_errors["lines"]), lines
    with pytest.raises(NotFound):
        submit(actor=people.outsider)
    with pytest.raises(NotFound):
        submit(actor=people.resident)
    closed = f.call(fund_a, "reviewing")
    with pytest.raises(Conflict):
        submit(call=closed)
    assert not Proposal.objects.exists() and not BudgetLine.objects.exists()


def test_a_resident_submits_with_a_proven_phone_and_a_second_tap_returns_the_same(fund_a, street):
    c = f.call(fund_a, cosigns_needed=2)
    homes = f.households(street.grid_a1, 2)
    with pytest.raises(Forbidden):
        services.submit_proposal(c, actor=SUBMITTER, title="健康小屋", summary="血压计", lines=f.LINES)
    args = {"title": "健康小屋", "summary": "放血压计和体重秤", "lines": f.LINES, "household": homes[0],
            "proven_phone": f.phone(0), "contact_name": "户主0", "contact_phone": "13000000000"}
    p = services.submit_proposal(c, actor=SUBMITTER, **args)
    assert p.state == "collecting" and p.origin == "residents" and p.contact_phone == f.phone(0)
    assert p.submitted_by is None and p.transitions.get().actor_label == "submitter"
    again = services.submit_proposal(c, actor=SUBMITTER, **args)
    assert again.pk == p.pk and Proposal.objects.count() == 1 and BudgetLine.objects.count() == 2
    with pytest.raises(ValidationFailed) as e:  # a household that did not register this phone
        services.submit_proposal(c, actor=SUBMITTER, **(args | {"title": "别家", "household": homes[1]}))
    assert "household" in e.value.field_errors


def test_cosigning_households_submit_the_proposal_once_enough_have_signed(fund_a, street, people):
    c = f.call(fund_a, cosigns_needed=2)
    homes = f.households(street.grid_a1, 3)
    p = f.proposal(c, "collecting", origin="residents")
    with pytest.raises(Forbidden):  # not a phone of this household
        services.cosign_proposal(p, actor=SUBMITTER, household=homes[0], proven_phone=f.phone(1))
    services.cosign_proposal(p, actor=SUBMITTER, household=homes[0], proven_phone=f.phone(0))
    with pytest.raises(Conflict) as e:
        services.cosign_proposal(p, actor=SUBMITTER, household=homes[0], proven_phone=f.phone(0))
    assert e.value.code == "already_cosigned"
    p.refresh_from_db()
    assert p.state == "collecting"
    services.cosign_proposal(p, actor=people.insider, household=homes[1])  # a paper co-signature
    p.refresh_from_db()
    assert p.state == "submitted" and p.cosigns.count() == 2
    assert p.transitions.order_by("-id").first().action == "submit"
    with pytest.raises(Conflict):
        services.cosign_proposal(p, actor=SUBMITTER, household=homes[2], proven_phone=f.phone(2))
    b_home = f.households(street.grid_b1, 1, first=50)[0]
    q = f.proposal(c, "collecting", origin="residents")
    with pytest.raises(ValidationFailed):
        services.cosign_proposal(q, actor=SUBMITTER, household=b_home, proven_phone=f.phone(50))


# --- review --------------------------------------------------------------------------------------------------------

def test_the_review_funds_a_proposal_in_part_with_a_reason(fund_a, people):
    c = f.call(fund_a, "reviewing", max_per_proposal="1000")
    p = f.proposal(c, "submitted")
    chairs, paint = p.budget_lines.order_by("position")
    with pytest.raises(ValidationFailed) as e:
        services.review_proposal(p, actor=people.insider, approved_lines={chairs.pk: "700", paint.pk: "450"},
                                 note="可行")
    assert f"line_{chairs.pk}" in e.value.field_errors  # above what the line asks (600)
    with pytest.raises(ValidationFailed) as e:
        services.review_proposal(p, actor=people.insider, approved_lines={chairs.pk: "600"}, note="可行")
    assert f"line_{paint.pk}" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        services.review_proposal(p, actor=people.insider, approved_lines={chairs.pk: "600", paint.pk: "450"},
                                 note="可行")
    assert "approved_lines" in e.value.field_errors  # 1050 is above the most per proposal
    with pytest.raises(ValidationFailed) as e:
        services.review_proposal(p, actor=people.insider, approved_lines={chairs.pk: "500", paint.pk: "300"},
                                 note="")
    assert "note" in e.value.field_errors
    with pytest.raises(NotFound):
        services.review_proposal(p, actor=people.outsider, approved_lines={chairs.pk: "1", paint.pk: "1"}, note="x")
    p.refresh_from_db()
    assert p.state == "submitted" and p.approved_amount is None

    p = services.review_proposal(p, actor=people.insider, approved_lines={chairs.pk: "500", paint.pk: "300.50"},
                                 note="椅子单价偏高，按市场价核减")
    assert (p.state, p.approved_amount, p.feasibility_note) == ("feasible", Decimal("800.50"), "椅子单价偏高，按市场价核减")
    assert [line.approved for line in p.budget_lines.order_by("position")] == [Decimal("500"), Decimal("300.50")]


def test_review_and_decline_only_in_the_reviewing_phase(fund_a, people, outbox, django_capture_on_commit_callbacks):
    c = f.call(fund_a, "accepting")
    p = f.proposal(c, "submitted", submitted_by=people.insider)
    line = p.budget_lines.first()
    with pytest.raises(InvalidTransition):
        services.review_proposal(p, actor=people.insider, approved_lines={line.pk: "1"}, note="x")
    with pytest.raises(InvalidTransition):
        services.decline_proposal(p, actor=people.insider, reason="不符合")
    Call.objects.filter(pk=c.pk).update(state="reviewing")
    with pytest.raises(ValidationFailed):
        services.decline_proposal(p, actor=people.insider, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        p = services.decline_proposal(p, actor=people.insider, reason="不属于自治金支持范围")
    assert p.state == "declined"
    assert len(outbox) == 1 and outbox[0][0] == "13912345678" and "不属于自治金支持范围" in outbox[0][1]
    assert Notification.objects.filter(user=people.insider, text__contains="不属于自治金支持范围").exists()


# --- selection -----------------------------------------------------------------------------------------------------

def test_a_council_decides_within_the_budget(fund_a, people, outbox, django_capture_on_commit_callbacks):
    c = f.call(fund_a, "selecting", selection="council", budget="2000")
    first, second, third = (f.proposal(c, "feasible") for _ in range(3))  # 1050 each
    meeting = Meeting.objects.create(topic=Topic.objects.create(title="自治金评审", area=c.fund.region),
                                     kind="coordination", title="居民议事会", starts_at=timezone.now(),
                                     convener=people.insider)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.decide_proposal(first, actor=people.insider, selected=True, meeting=meeting, note="全票通过")
    assert (first.state, first.decision_meeting, first.decision_note) == ("selected", meeting, "全票通过")
    assert len(outbox) == 1 and "13912345678" == outbox[0][0]
    with pytest.raises(ValidationFailed) as e:
        services.decide_proposal(second, actor=people.insider, selected=True)
    assert "selected" in e.value.field_errors  # 1050 + 1050 > 2000
    with pytest.raises(ValidationFailed):
        services.decide_proposal(second, actor=people.insider, selected=False, note="")
    second = services.decide_proposal(second, actor=people.insider, selected=False, note="预算不足，明年再议")
    assert second.state == "not_selected"
    with pytest.raises(NotFound):
        services.decide_proposal(third, actor=people.outsider, selected=True)
    voting = f.call(fund_a, "selecting", selection="vote")
    with pytest.raises(InvalidTransition):  # this call selects by a household vote
        services.decide_proposal(f.proposal(voting, "feasible"), actor=people.insider, selected=True)


def _vote_period():
    now = timezone.now()
    return now - timedelta(minutes=1), now + timedelta(days=3)


def test_a_household_vote_selects_a_proposal_end_to_end(fund_a, people, street):
    homes = f.households(street.grid_a1, 4)
    c = f.call(fund_a, "selecting")
    p = f.proposal(c, "feasible", title="自治花园")
    opens, closes = _vote_period()
    vote = services.put_to_vote(p, actor=people.insider, opens_at=opens, closes_at=closes,
                                participation_threshold=50, approval_threshold=50)
    p.refresh_from_db()
    assert p.vote == vote and vote.state == "open" and vote.scope == VoteScope.AREA and vote.eligible_count == 4
    assert p.topic is not None and p.topic.area == street.area_a and vote.topic == p.topic
    with pytest.raises(InvalidTransition):  # already put to a vote
        services.put_to_vote(p, actor=people.insider, opens_at=opens, closes_at=closes)
    with pytest.raises(Conflict):  # the vote is still open
        services.apply_vote_result(p, actor=people.insider)
    for home, option in zip(homes, ("yes", "yes", "no"), strict=False):
        vote_services.cast_ballot(vote, actor=vote_services.RESIDENT, option=option,
                                  household=home, proven_phone=home.phone)
    assert BallotReceipt.objects.filter(vote=vote).count() == 3
    vote_services.close_vote(vote, actor=SYSTEM, now=closes + timedelta(minutes=1))
    p = services.apply_vote_result(p, actor=people.insider)
    assert p.state == "selected" and "3" in p.decision_note
    assert p.transitions.order_by("-id").first().extra["result"] == "passed"


def test_a_failed_household_vote_leaves_the_proposal_not_selected(fund_a, people, street):
    homes = f.households(street.grid_a1, 4)
    c = f.call(fund_a, "selecting")
    p = f.proposal(c, "feasible")
    opens, closes = _vote_period()
    vote = services.put_to_vote(p, actor=people.insider, opens_at=opens, closes_at=closes)
    vote_services.cast_ballot(vote, actor=SYSTEM, option="no", household=homes[0])
    vote_services.close_vote(vote, actor=SYSTEM, now=closes + timedelta(minutes=1))
    p = services.apply_vote_result(p, actor=people.insider)
    assert p.state == "not_selected"


# --- grants --------------------------------------------------------------------------------------------------------

def test_a_grant_books_the_approved_amount_and_moves_the_proposal(fund_a, people, outbox,
                                                                 django_capture_on_commit_callbacks):
    c = f.call(fund_a, "granting")
    p = f.proposal(c, "selected", approved={0: "500", 1: "450"})
    with django_capture_on_commit_callbacks(execute=True):
        p = services.grant_proposal(p, actor=people.insider)
    assert p.state == "granted"
    entry = LedgerEntry.objects.get(proposal=p)
    assert (entry.kind, entry.amount, entry.fund) == ("grant", Decimal("-950.00"), fund_a)
    assert ledger.balance(fund_a) == Decimal("79050.00")
    assert p.transitions.order_by("-id").first().extra["entry"] == entry.pk
    assert any("950" in text for _phone, text in outbox)
    with pytest.raises(InvalidTransition):
        services.grant_proposal(p, actor=people.insider)  # granted already
    assert LedgerEntry.objects.filter(proposal=p).count() == 1


def test_a_grant_the_fund_cannot_cover_writes_nothing(street, people):
    short = f.fund(street.area_a, amount="1000")
    c = f.call(short, "granting", budget="1000")
    p = f.proposal(c, "selected", approved={0: "600", 1: "0"})  # 600
    ledger.grant_from(short, actor=SYSTEM, amount="500", proposal=None, note="另一项目")  # 500 left
    entries = LedgerEntry.objects.count()
    with pytest.raises(ValidationFailed) as e:
        services.grant_proposal(p, actor=people.insider)
    assert "amount" in e.value.field_errors
    p.refresh_from_db()
    assert p.state == "selected" and LedgerEntry.objects.count() == entries and p.transitions.count() == 0


def test_grants_stay_within_the_calls_budget_and_phase(fund_a, people):
    c = f.call(fund_a, "granting", budget="1500")
    first, second = f.proposal(c, "selected"), f.proposal(c, "selected")  # 1050 each
    services.grant_proposal(first, actor=people.insider)
    with pytest.raises(ValidationFailed) as e:
        services.grant_proposal(second, actor=people.insider)
    assert "amount" in e.value.field_errors and LedgerEntry.objects.filter(proposal=second).count() == 0
    selecting = f.call(fund_a, "selecting")
    with pytest.raises(InvalidTransition):
        services.grant_proposal(f.proposal(selecting, "selected"), actor=people.insider)
    with pytest.raises(NotFound):
        services.grant_proposal(second, actor=people.outsider)
    assert ledger.balance(fund_a) == Decimal("78950.00")


def test_withdrawing_a_proposal(fund_a, people):
    p = f.proposal(f.call(fund_a, "reviewing"), "submitted")
    with pytest.raises(ValidationFailed):
        services.withdraw_proposal(p, actor=people.insider, reason="")
    p = services.withdraw_proposal(p, actor=people.insider, reason="团队解散")
    assert p.state == "withdrawn"


def test_cosigns_of_one_household_at_once_resolve_to_one(fund_a, street):
    """See test_calls_concurrency.py for the threaded version; here the database constraint itself."""
    from django.db import IntegrityError, transaction

    p = f.proposal(f.call(fund_a, cosigns_needed=3), "collecting", origin="residents")
    home = f.households(street.grid_a1, 1)[0]
    ProposalCosign.objects.create(proposal=p, household=home)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalCosign.objects.create(proposal=p, household=home)
