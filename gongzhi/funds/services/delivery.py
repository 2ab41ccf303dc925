"""Writes of the delivery of granted proposals: one transaction each, ``verb(subject, *, actor, ...)`` with plain
values (instances or pks).

A service finds its proposal as the actor may see it (NotFound outside the scope), asks
`gongzhi.funds.policies.delivery` whether the actor may act (Forbidden) and refuses bad input with field errors,
writing nothing: an amount that is not whole fen, spending beyond what a budget line's review approved, a date
outside the project's period (or before the grant), a proposal in the wrong phase, a file that is not an image or
a PDF.

* The first delivery record (a milestone done, spending, progress) starts the delivery: the proposal moves from
  granted to delivering (`gongzhi.core.workflow.transition`, the only state writer).
* Spending is checked line by line under the proposal's row lock, so concurrent spending on one line queues and
  never overshoots what was approved. Spending never touches the fund's ledger: the grant did.
* Completion needs the closing review meeting (事后评议, a deliberation review meeting) held, every milestone done
  and progress at 100%; it returns the unspent rest of the grant to the fund as a RETURN ledger row in the same
  transaction as the step, and tells the submitting account after commit.
* `notify_due_milestones` is the periodic job (``gongzhi manage notify_due_milestones``): the area's staff hear
  once of each milestone falling due.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import ROLE_CAPABILITIES
from gongzhi.core import media
from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import check_actor, find, pk_of, transition, user_of
from gongzhi.funds.models import FEN, EntryKind, Milestone, PhotoStage, ProjectPhoto, Proposal, Spending
from gongzhi.funds.policies import delivery as policies
from gongzhi.funds.policies.delivery import COMPLETE, MANAGE, MILESTONE, PHOTO, PROGRESS, REVIEW, SPEND
from gongzhi.funds.selectors import delivery as selectors
from gongzhi.funds.services.ledger import post_entry, to_amount
from gongzhi.funds.workflow import FUNDED_STATES, PROPOSAL_FLOW, ProposalAction, ProposalState

MAX_UPLOAD = 10 * 1024 * 1024
DUE_DAYS_AHEAD = 3  # the area's staff hear of a milestone this many days before it falls due


# --- helpers --------------------------------------------------------------------------------------------------

def _find(actor, proposal) -> Proposal:
    return find(actor, proposal, Proposal, selectors.any_proposal, ("call__fund__region",))


def _lock(pk) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("call__fund__region").get(pk=pk)


def _authorize(actor, proposal: Proposal, action: str) -> None:
    if not policies.allowed(actor, proposal, action):
        raise Forbidden(_("Only the fund's staff (or the proposing team, for photos and progress) may do this."))


def _phase(proposal: Proposal, action: str) -> None:
    """A field error on ``proposal`` when its state does not take `action` (nothing is written)."""
    if policies.state_allows(proposal, action):
        return
    if action == COMPLETE or action == REVIEW:
        message = _("Only a project being delivered can be reviewed and completed (it is “%(state)s”).")
    else:
        message = _("Delivery is recorded only for a granted project or one being delivered (it is “%(state)s”).")
    message %= {"state": proposal.get_state_display()}
    raise ValidationFailed(message, code="wrong_phase", field_errors={"proposal": [message]})


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)


def _save(obj, actor, reason: str) -> None:
    obj._history_user = user_of(actor)
    obj._change_reason = reason
    obj.save()


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def _number(value, field: str, errors: dict, *, low: int = 0, high: int | None = None) -> int | None:
    if isinstance(value, bool) or isinstance(value, float):
        value = None
    try:
        number = int(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        number = None
    if number is None:
        errors[field] = [_("Enter a whole number.")]
    elif number < low or (high is not None and number > high):
        errors[field] = [_("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
                         if high is not None else _("The number cannot be negative.")]
    return number


def _in_period(proposal: Proposal, value, field: str, errors: dict, *, after_grant: bool, today: date) -> None:
    """A field error when `value` lies outside the project's period (starts_on..ends_on), before the grant
    (`after_grant`) or, for a past event, in the future."""
    if not isinstance(value, date):
        errors[field] = [_("Enter a valid date.")]
        return
    if proposal.starts_on and value < proposal.starts_on:
        errors[field] = [_("The date lies before the project starts (%(date)s).") % {"date": proposal.starts_on}]
    elif proposal.ends_on and value > proposal.ends_on:
        errors[field] = [_("The date lies after the project ends (%(date)s).") % {"date": proposal.ends_on}]
    elif after_grant and (granted := selectors.grant_date(proposal)) and value < granted:
        errors[field] = [_("The date lies before the grant (%(date)s).") % {"date": granted}]
    elif after_grant and value > today:
        errors[field] = [_("The date cannot be in the future.")]


def check_upload(upload, field: str, *, images_only: bool) -> media.FileType:
    """At most 10 MB; an image Pillow can read (within the pixel limit) or, unless `images_only`, a PDF, judged by
    the content (gongzhi.core.media), never by the name. A field error otherwise."""
    if upload.size > MAX_UPLOAD:
        raise ValidationFailed.on(field, _("The file is larger than 10 MB."))
    found = media.sniff(upload)
    if found is not None and found.is_image:
        if refusal := media.check_image_pixels(upload):
            raise ValidationFailed.on(field, refusal)
        try:
            upload.seek(0)
            with Image.open(upload) as img:
                img.verify()
        except Exception:  # noqa: BLE001 - anything Pillow cannot read is not an image
            found = None
        upload.seek(0)
    allowed = media.IMAGES if images_only else (*media.IMAGES, media.PDF)
    if found not in allowed:
        raise ValidationFailed.on(field, _("Only images may be uploaded.") if images_only
                                  else _("Only an image or a PDF of the receipt may be uploaded."))
    return found


def _start_delivery(locked: Proposal, actor, now: datetime | None, **changes) -> Proposal:
    """The proposal with `changes` saved; a granted one moves to delivering with them (its first record)."""
    if locked.state == ProposalState.GRANTED:
        return transition(locked.pk, ProposalAction.START, workflow=PROPOSAL_FLOW, actor=actor, now=now,
                          related=("call__fund__region",), **changes)
    if changes:
        for name, value in changes.items():
            setattr(locked, name, value)
        _save(locked, actor, "delivery")
    return locked


# --- milestones -----------------------------------------------------------------------------------------------

def _milestone_fields(proposal: Proposal, title, due_on, errors: dict) -> str:
    title = _text(title, 120)
    if not title:
        errors["title"] = [_("Name the milestone.")]
    _in_period(proposal, due_on, "due_on", errors, after_grant=False, today=timezone.localdate())
    return title


@transaction.atomic
def add_milestone(proposal, *, actor, title: str, due_on: date, note: str = "") -> Milestone:
    """A milestone of a granted or delivering project, due within the project's period."""
    found = _find(actor, proposal)
    locked = _lock(found.pk)
    _authorize(actor, locked, MILESTONE)
    _phase(locked, MILESTONE)
    errors: dict = {}
    title = _milestone_fields(locked, title, due_on, errors)
    _raise(errors)
    position = (locked.milestones.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    row = Milestone(proposal=locked, title=title, due_on=due_on, note=_text(note, 200), position=position)
    _save(row, actor, "create")
    return row


def _locked_milestone(actor, milestone, action: str) -> tuple[Milestone, Proposal]:
    check_actor(actor)
    row = Milestone.objects.filter(pk=pk_of(milestone)).first()
    if row is None:
        raise NotFound(_("Not found."))
    _find(actor, row.proposal_id)  # NotFound outside the actor's scope
    locked = _lock(row.proposal_id)
    _authorize(actor, locked, action)
    _phase(locked, action)
    return Milestone.objects.select_for_update().get(pk=row.pk), locked


@transaction.atomic
def edit_milestone(milestone, *, actor, title: str, due_on: date, note: str = "") -> Milestone:
    row, locked = _locked_milestone(actor, milestone, MILESTONE)
    errors: dict = {}
    title = _milestone_fields(locked, title, due_on, errors)
    _raise(errors)
    if row.due_on != due_on:
        row.reminded_on = None  # a new due date is reminded again
    row.title, row.due_on, row.note = title, due_on, _text(note, 200)
    _save(row, actor, "edit")
    return row


@transaction.atomic
def mark_milestone_done(milestone, *, actor, done_on: date | None = None, now: datetime | None = None) -> Milestone:
    """A milestone done (on `done_on`, today by default; never in the future). The first done milestone of a
    granted project starts its delivery."""
    row, locked = _locked_milestone(actor, milestone, MILESTONE)
    today = timezone.localdate(now) if now else timezone.localdate()
    done_on = done_on or today
    if not isinstance(done_on, date) or done_on > today:
        raise ValidationFailed.on("done_on", _("The date cannot be in the future."))
    if row.done_on is not None:
        raise Conflict(_("This milestone is done already."), code="nothing_changed")
    row.done_on = done_on
    _save(row, actor, "done")
    _start_delivery(locked, actor, now)
    return row


# --- progress -------------------------------------------------------------------------------------------------

@transaction.atomic
def set_progress(proposal, *, actor, percent, beneficiaries_reached, now: datetime | None = None) -> Proposal:
    """The progress (0–100 %) and the beneficiaries reached so far: by the fund's staff or the proposing team.
    The first report of a granted project starts its delivery."""
    found = _find(actor, proposal)
    locked = _lock(found.pk)
    _authorize(actor, locked, PROGRESS)
    _phase(locked, PROGRESS)
    errors: dict = {}
    percent = _number(percent, "progress", errors, low=0, high=100)
    reached = _number(beneficiaries_reached, "beneficiaries_reached", errors, low=0)
    _raise(errors)
    return _start_delivery(locked, actor, now, progress=percent, beneficiaries_reached=reached)


# --- spending ---------------------------------------------------------------------------------------------------

def line_spent(line) -> Decimal:
    return (Spending.objects.filter(budget_line_id=pk_of(line)).aggregate(t=Sum("amount"))["t"]
            or Decimal("0")).quantize(FEN)


def record_spending(proposal, *, actor, budget_line, amount, spent_on: date, payee: str, receipt_no: str = "",
                    receipt=None, note: str = "", now: datetime | None = None) -> Spending:
    """One payment out of the grant on one approved budget line, with its receipt (number and scan, an image or a
    PDF). Refused with field errors, nothing written: an amount that is not positive whole fen, more than the line
    has left of what was approved, a date outside the project's period or before the grant, a proposal that is not
    granted or being delivered. The proposal's row is locked, so concurrent spending on one line queues and never
    overshoots. The first spending of a granted project starts its delivery."""
    found = _find(actor, proposal)
    errors: dict = {}
    value = None
    try:
        value = to_amount(amount)
    except ValidationFailed as e:
        errors.update(e.field_errors)
    payee = _text(payee, 120)
    if not payee:
        errors["payee"] = [_("Name the payee.")]
    kind = None
    if receipt:
        try:
            kind = check_upload(receipt, "receipt", images_only=False)
        except ValidationFailed as e:
            errors.update(e.field_errors)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(found.pk)
        _authorize(actor, locked, SPEND)
        _phase(locked, SPEND)
        line = locked.budget_lines.filter(pk=pk_of(budget_line)).first() if budget_line not in (None, "") else None
        if line is None:
            errors["budget_line"] = [_("Choose a line of this project's budget.")]
        elif not line.approved:
            errors["budget_line"] = [_("Nothing was approved on this budget line.")]
        _in_period(locked, spent_on, "spent_on", errors, after_grant=True, today=timezone.localdate(now))
        if not errors:
            left = line.approved - line_spent(line)
            if value > left:
                errors["amount"] = [_("Only ¥%(left)s is left on “%(item)s” (¥%(approved)s approved).") % {
                    "left": left, "item": line.item, "approved": line.approved}]
        _raise(errors)
        if receipt:
            receipt.name = f"receipt.{kind.ext}"
        row = Spending(proposal=locked, budget_line=line, amount=value, spent_on=spent_on, payee=payee,
                       receipt_no=_text(receipt_no, 60), receipt=receipt or "", note=_text(note, 200),
                       recorded_by=user_of(actor), recorded_at=now)
        _save(row, actor, "create")
        _start_delivery(locked, actor, now)
    return row


@transaction.atomic
def add_receipt(spending, *, actor, receipt) -> Spending:
    """The scan of a spending row's receipt (an image or a PDF), for a row recorded without one."""
    check_actor(actor)
    row = Spending.objects.filter(pk=pk_of(spending)).first()
    if row is None:
        raise NotFound(_("Not found."))
    locked = _lock(_find(actor, row.proposal_id).pk)
    _authorize(actor, locked, SPEND)
    if locked.state not in FUNDED_STATES:
        _phase(locked, SPEND)
    row = Spending.objects.select_for_update().get(pk=row.pk)
    if row.receipt:
        raise Conflict(_("This spending has its receipt scan already."))
    if not receipt:
        raise ValidationFailed.on("receipt", _("Choose the scan of the receipt."))
    kind = check_upload(receipt, "receipt", images_only=False)
    receipt.name = f"receipt.{kind.ext}"
    row.receipt = receipt
    _save(row, actor, "receipt")
    return row


# --- photos -----------------------------------------------------------------------------------------------------

@transaction.atomic
def add_photo(proposal, *, actor, image, stage: str = PhotoStage.AFTER, caption: str = "",
              now: datetime | None = None) -> ProjectPhoto:
    """A before, during or after photo (images only, checked by their content) by the fund's staff or the
    proposing team."""
    found = _find(actor, proposal)
    locked = _lock(found.pk)
    _authorize(actor, locked, PHOTO)
    _phase(locked, PHOTO)
    errors: dict = {}
    if stage not in PhotoStage.values:
        errors["stage"] = [_("Choose before, during or after.")]
    kind = None
    if not image:
        errors["image"] = [_("Choose a photo.")]
    else:
        try:
            kind = check_upload(image, "image", images_only=True)
        except ValidationFailed as e:
            errors.update(e.field_errors)
    _raise(errors)
    image.name = f"photo.{kind.ext}"
    row = ProjectPhoto(proposal=locked, stage=stage, image=image, caption=_text(caption, 120),
                       uploaded_by=user_of(actor), uploaded_at=now or timezone.now())
    _save(row, actor, "create")
    return row


# --- the closing review and completion ----------------------------------------------------------------------

def schedule_closing_review(proposal, *, actor, starts_at: datetime, place, quorum: int, title: str = "",
                            convener=None, invitees: dict | None = None, now: datetime | None = None):
    """Convene the closing review meeting (事后评议) on the proposal's deliberation topic, through the deliberation
    services (their rules on the topic's state, the place, the quorum and the invitees apply). A proposal that
    came from no topic is reviewed at a review meeting held in its area (see `complete_proposal`)."""
    from gongzhi.deliberation.models import MeetingKind
    from gongzhi.deliberation.services import topics as deliberation

    found = _find(actor, proposal)
    _authorize(actor, found, REVIEW)
    _phase(found, REVIEW)
    if found.topic_id is None:
        raise ValidationFailed.on("topic", _("This project came from no deliberation topic: choose a review meeting "
                                             "held in its area when completing it."))
    return deliberation.schedule_meeting(
        found.topic_id, actor=actor, kind=MeetingKind.REVIEW, starts_at=starts_at, quorum=quorum, place=place,
        title=title or _("Closing review: %(title)s") % {"title": found.title}, convener=convener,
        invitees=invitees, now=now)


def complete_proposal(proposal, *, actor, closing_meeting, result: str, now: datetime | None = None) -> Proposal:
    """Complete a delivered project: its closing review meeting held (a review meeting of its topic or of its
    area), every milestone done, progress at 100 %, the result written down. The unspent rest of the grant goes
    back to the fund as a RETURN ledger row in the same transaction as the step (so the fund's balance stays the
    sum of its ledger). The submitting account hears of it after commit."""
    found = _find(actor, proposal)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(found.pk)
        _authorize(actor, locked, COMPLETE)
        _phase(locked, COMPLETE)
        errors: dict = {}
        meeting = None
        if closing_meeting not in (None, ""):
            meeting = selectors.review_meetings(locked).filter(pk=pk_of(closing_meeting)).first()
        if meeting is None:
            errors["closing_meeting"] = [_("Choose the review meeting (held) that reviewed this project.")]
        if (open_ones := locked.milestones.filter(done_on__isnull=True).count()):
            errors["milestones"] = [_("%(n)d milestones are not done yet.") % {"n": open_ones}]
        if locked.progress != 100:
            errors["progress"] = [_("The progress must reach 100%% first (it is %(n)d%%).") % {"n": locked.progress}]
        result = (result or "").strip()
        if not result:
            errors["result"] = [_("Write down the result.")]
        _raise(errors)
        figures = selectors.summary(locked)
        unspent = figures.unspent
        if unspent < 0:
            raise Conflict(_("More was spent than granted: correct the spending first."))
        if unspent > 0:
            def authorize(fund):
                if not policies.manages(actor, locked):
                    raise Forbidden()

            post_entry(locked.call.fund, actor=actor, kind=EntryKind.RETURN, amount=unspent,
                       occurred_on=timezone.localdate(now), proposal=locked, authorize=authorize,
                       note=_("Unspent rest of the grant of “%(title)s”") % {"title": locked.title[:120]})
        done = transition(locked.pk, ProposalAction.COMPLETE, workflow=PROPOSAL_FLOW, actor=actor, now=now,
                          related=("call__fund__region",), closing_meeting=meeting, result=result,
                          extra={"returned": str(unspent), "spent": str(figures.spent)})
        transaction.on_commit(lambda: _notify_completed(done.pk, user_of(actor)), robust=True)
    return done


# --- notifications --------------------------------------------------------------------------------------------

def fund_staff(region) -> list:
    """Those who manage the fund's delivery at its region itself: an area's secretaries, the sub-district's staff
    for its foundation."""
    roles = [r for r, caps in ROLE_CAPABILITIES.items() if MANAGE in caps]
    return [a.user for a in RoleAssignment.objects.filter(region=region, role__in=roles, user__is_active=True)
            .select_related("user")]


def _notify_completed(proposal_pk: int, actor=None) -> None:
    from gongzhi.demands.notify import notify_users

    found = Proposal.objects.select_related("submitted_by").get(pk=proposal_pk)
    if found.submitted_by is None or found.submitted_by == actor:
        return
    notify_users([found.submitted_by], None, _("Your project “%(title)s” is completed: %(result)s") % {
        "title": found.title, "result": found.result[:120]},
        link=reverse("funds:delivery_detail", args=[found.pk]))


def notify_due_milestones(*, today: date | None = None, days_ahead: int = DUE_DAYS_AHEAD) -> list[int]:
    """The periodic job: the staff of each project's fund hear once of each open milestone due within
    `days_ahead` days (or already past). Returns the milestones reminded."""
    from gongzhi.demands.notify import notify_users

    today = today or timezone.localdate()
    reminded = []
    for row in selectors.milestones_falling_due(today, days_ahead):
        with transaction.atomic():
            if not Milestone.objects.filter(pk=row.pk, reminded_on__isnull=True).update(reminded_on=today):
                continue  # reminded meanwhile
            text = (_("Milestone “%(milestone)s” of “%(title)s” was due on %(date)s.") if row.due_on < today
                    else _("Milestone “%(milestone)s” of “%(title)s” is due on %(date)s.")) % {
                "milestone": row.title, "title": row.proposal.title, "date": f"{row.due_on:%Y-%m-%d}"}
            link = reverse("funds:delivery_detail", args=[row.proposal_id]) + f"#milestone-{row.pk}"
            staff = fund_staff(row.proposal.call.fund.region)
            transaction.on_commit(lambda s=staff, t=text, u=link: notify_users(s, None, t, link=u), robust=True)
        reminded.append(row.pk)
    return reminded

