"""The delivery services: milestones, progress, spending against approved budget lines with receipts, photos and
completion with the unspent rest returned to the fund; bad input is a field error and writes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands.models import Notification
from gongzhi.funds.models import EntryKind, LedgerEntry, Milestone, PhotoStage, ProjectPhoto, Spending
from gongzhi.funds.services import delivery as services
from gongzhi.funds.services.ledger import balance
from gongzhi.funds.workflow import ProposalState
from tests.funds.factories_delivery import granted, held_review, pdf, png

TODAY = timezone.localdate


@pytest.fixture
def project(street):
    return granted(street.area_a)


def spend(project, actor, amount="100.00", line=0, **kw):
    kw.setdefault("spent_on", TODAY())
    kw.setdefault("payee", "五金店")
    kw.setdefault("receipt_no", "NO-1")
    return services.record_spending(project.proposal, actor=actor, budget_line=project.lines[line], amount=amount,
                                    **kw)


def refused(call, field: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        call()
    assert field in caught.value.field_errors, caught.value.field_errors
    return caught.value


def test_first_spending_starts_delivery_and_lines_add_up(project, people):
    row = spend(project, people.insider, "1200.50")
    project.proposal.refresh_from_db()
    assert project.proposal.state == ProposalState.DELIVERING
    assert project.proposal.transitions.filter(action="start").count() == 1
    assert row.recorded_by == people.insider and row.amount == Decimal("1200.50")
    spend(project, people.insider, "1799.50")
    assert services.line_spent(project.lines[0]) == Decimal("3000.00")
    assert project.proposal.transitions.filter(action="start").count() == 1  # started once


def test_spending_over_a_line_is_a_field_error_and_writes_nothing(project, people):
    spend(project, people.insider, "2999.99")
    error = refused(lambda: spend(project, people.insider, "0.02"), "amount")
    assert "0.01" in error.field_errors["amount"][0]
    assert Spending.objects.count() == 1
    # the other line is untouched by the first one's spending
    assert spend(project, people.insider, "2000.00", line=1).amount == Decimal("2000.00")


@pytest.mark.parametrize("amount", ["12.345", "-5", "0", "abc", 1.5])
def test_bad_amounts_are_field_errors(project, people, amount):
    refused(lambda: spend(project, people.insider, amount), "amount")
    assert not Spending.objects.exists()
    project.proposal.refresh_from_db()
    assert project.proposal.state == ProposalState.GRANTED  # nothing started either


@pytest.mark.parametrize("days", [-31, 91])
def test_a_receipt_dated_outside_the_project_is_refused(project, people, days):
    refused(lambda: spend(project, people.insider, spent_on=TODAY() + timedelta(days=days)), "spent_on")
    assert not Spending.objects.exists()


def test_a_receipt_dated_before_the_grant_is_refused(street, people):
    # the project started 30 days ago but the grant is booked today: nothing is spent before the grant
    project = granted(street.area_a)
    error = refused(lambda: spend(project, people.insider, spent_on=TODAY() - timedelta(days=3)), "spent_on")
    assert str(TODAY()) in error.field_errors["spent_on"][0]
    assert not Spending.objects.exists()


def test_spending_in_the_wrong_phase_is_a_field_error(project, people):
    proposal = project.proposal
    proposal.state = ProposalState.SELECTED  # not granted: e.g. a grant not yet booked
    proposal.save()
    error = refused(lambda: spend(project, people.insider), "proposal")
    assert error.code == "wrong_phase"
    assert not Spending.objects.exists()


def test_a_line_of_another_proposal_is_refused(street, people, project):
    other = granted(street.area_a)
    refused(lambda: services.record_spending(project.proposal, actor=people.insider, budget_line=other.lines[0],
                                             amount="10", spent_on=TODAY(), payee="x"), "budget_line")


def test_receipt_scans_are_checked_by_content_and_stored_under_a_random_name(project, people):
    row = spend(project, people.insider, receipt=pdf("发票 扫描.pdf"))
    assert row.receipt.name.startswith("funds_receipts/") and row.receipt.name.endswith(".pdf")
    assert "发票" not in row.receipt.name
    fake = SimpleUploadedFile("receipt.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused(lambda: spend(project, people.insider, receipt=fake), "receipt")
    assert Spending.objects.count() == 1
    bare = spend(project, people.insider, "5.00")
    assert not bare.receipt
    services.add_receipt(bare, actor=people.insider, receipt=png("scan.png"))
    bare.refresh_from_db()
    assert bare.receipt.name.endswith(".png")


def test_progress_is_checked_and_starts_delivery(project, people):
    refused(lambda: services.set_progress(project.proposal, actor=people.insider, percent=101,
                                          beneficiaries_reached=3), "progress")
    refused(lambda: services.set_progress(project.proposal, actor=people.insider, percent=50,
                                          beneficiaries_reached=-1), "beneficiaries_reached")
    done = services.set_progress(project.proposal, actor=people.insider, percent="40", beneficiaries_reached=25)
    assert (done.state, done.progress, done.beneficiaries_reached) == (ProposalState.DELIVERING, 40, 25)
    done = services.set_progress(project.proposal, actor=people.insider, percent=60, beneficiaries_reached=30)
    done.refresh_from_db()
    assert (done.state, done.progress) == (ProposalState.DELIVERING, 60)


def test_milestones_due_within_the_period_and_done_starts_delivery(project, people):
    refused(lambda: services.add_milestone(project.proposal, actor=people.insider, title="安装",
                                           due_on=TODAY() + timedelta(days=120)), "due_on")
    refused(lambda: services.add_milestone(project.proposal, actor=people.insider, title=" ",
                                           due_on=TODAY()), "title")
    milestone = services.add_milestone(project.proposal, actor=people.insider, title="采购座椅",
                                       due_on=TODAY() + timedelta(days=10))
    edited = services.edit_milestone(milestone, actor=people.insider, title="采购折叠座椅",
                                     due_on=TODAY() + timedelta(days=12))
    assert edited.title == "采购折叠座椅"
    refused(lambda: services.mark_milestone_done(milestone, actor=people.insider,
                                                 done_on=TODAY() + timedelta(days=1)), "done_on")
    services.mark_milestone_done(milestone, actor=people.insider)
    project.proposal.refresh_from_db()
    assert project.proposal.state == ProposalState.DELIVERING
    assert Milestone.objects.get(pk=milestone.pk).done_on == TODAY()


def test_photos_are_images_only(project, people):
    refused(lambda: services.add_photo(project.proposal, actor=people.insider, image=pdf("x.png"),
                                       stage=PhotoStage.BEFORE), "image")
    refused(lambda: services.add_photo(project.proposal, actor=people.insider, image=png(), stage="later"), "stage")
    photo = services.add_photo(project.proposal, actor=people.insider, image=png("楼道.png"), stage=PhotoStage.BEFORE,
                               caption="改造前")
    assert photo.image.name.startswith("funds_photos/") and photo.image.name.endswith(".png")
    assert ProjectPhoto.objects.count() == 1


def complete_ready(project, people):
    """Spend part of the grant, finish the milestone, reach 100 %."""
    spend(project, people.insider, "2500.00", receipt=pdf())
    spend(project, people.insider, "1234.56", line=1, receipt=pdf())
    milestone = services.add_milestone(project.proposal, actor=people.insider, title="安装", due_on=TODAY())
    services.mark_milestone_done(milestone, actor=people.insider)
    services.set_progress(project.proposal, actor=people.insider, percent=100, beneficiaries_reached=58)


def test_completion_returns_exactly_the_unspent_money(project, people, street, django_capture_on_commit_callbacks):
    fund = project.fund
    before = balance(fund)
    complete_ready(project, people)
    meeting = held_review(street.area_a, people.insider)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.complete_proposal(project.proposal, actor=people.insider, closing_meeting=meeting,
                                          result="12把歇歇椅安装到位，老人评议满意。")
    assert done.state == ProposalState.COMPLETED and done.closing_meeting == meeting
    back = LedgerEntry.objects.get(proposal=done, kind=EntryKind.RETURN)
    assert back.amount == Decimal("5000.00") - Decimal("2500.00") - Decimal("1234.56") == Decimal("1265.44")
    assert balance(fund) == before + back.amount
    assert balance(fund) == sum(e.amount for e in LedgerEntry.objects.filter(fund=fund))
    # nothing more to spend on a completed project
    error = refused(lambda: spend(project, people.insider, "1.00", line=1), "proposal")
    assert error.code == "wrong_phase"


def test_completion_needs_the_review_the_milestones_and_full_progress(project, people, street):
    spend(project, people.insider, "100.00")
    services.add_milestone(project.proposal, actor=people.insider, title="安装", due_on=TODAY())
    meeting = held_review(street.area_a, people.insider)
    other_area = held_review(street.area_b, people.outsider)
    with pytest.raises(ValidationFailed) as caught:
        services.complete_proposal(project.proposal, actor=people.insider, closing_meeting=other_area, result="")
    assert {"closing_meeting", "milestones", "progress", "result"} <= set(caught.value.field_errors)
    with pytest.raises(ValidationFailed):
        services.complete_proposal(project.proposal, actor=people.insider, closing_meeting=meeting, result="好")
    project.proposal.refresh_from_db()
    assert project.proposal.state == ProposalState.DELIVERING
    assert not LedgerEntry.objects.filter(kind=EntryKind.RETURN).exists()


def test_completion_tells_the_submitting_account(street, people, django_capture_on_commit_callbacks):
    project = granted(street.area_a, submitted_by=people.resident)
    complete_ready(project, people)
    meeting = held_review(street.area_a, people.insider)
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_proposal(project.proposal, actor=people.insider, closing_meeting=meeting, result="完成")
    note = Notification.objects.get(user=people.resident)
    assert project.proposal.title in note.text and f"/{project.proposal.pk}/" in note.link


def test_scope_and_the_team(street, people):
    project = granted(street.area_a, submitted_by=people.resident)
    # the outsider (area B) and the grid leader (no funds rights) do not find it at all
    for who in (people.outsider, people.colleague):
        with pytest.raises(NotFound):
            spend(project, who)
        with pytest.raises(NotFound):
            services.set_progress(project.proposal, actor=who, percent=10, beneficiaries_reached=1)
    # the team reports progress and adds photos, but records no spending
    services.set_progress(project.proposal, actor=people.resident, percent=10, beneficiaries_reached=1)
    services.add_photo(project.proposal, actor=people.resident, image=png(), stage=PhotoStage.DURING)
    with pytest.raises(Forbidden):
        spend(project, people.resident)
    with pytest.raises(Forbidden):
        services.add_milestone(project.proposal, actor=people.resident, title="x", due_on=TODAY())
    # the sub-district and the system record everything
    assert spend(project, people.admin).recorded_by == people.admin
    assert spend(project, SYSTEM).recorded_by is None
    assert Spending.objects.count() == 2


def test_due_milestones_are_told_once_to_the_fund_staff(project, people, django_capture_on_commit_callbacks):
    late = services.add_milestone(project.proposal, actor=people.insider, title="采购", due_on=TODAY() - timedelta(days=2))
    soon = services.add_milestone(project.proposal, actor=people.insider, title="安装", due_on=TODAY() + timedelta(days=2))
    services.add_milestone(project.proposal, actor=people.insider, title="验收", due_on=TODAY() + timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.notify_due_milestones()
    assert reminded == [late.pk, soon.pk]
    texts = list(Notification.objects.filter(user=people.insider).values_list("text", flat=True))
    assert len(texts) == 2 and any("采购" in t for t in texts)
    assert not Notification.objects.filter(user=people.outsider).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_due_milestones() == []  # once


def test_the_due_milestones_command(project, people):
    from io import StringIO

    from django.core.management import call_command

    services.add_milestone(project.proposal, actor=people.insider, title="采购", due_on=TODAY())
    out = StringIO()
    call_command("notify_due_milestones", stdout=out)
    assert "1 milestone" in out.getvalue()
    assert Milestone.objects.get().reminded_on == TODAY()
