"""Writes of the awards part: managers set up schemes and rounds (criteria whose weights sum to 100, tiers by
cut-offs, the eligible organizations, the reviewers' panel) and move a round through its steps (open → review →
publish, return with a reason); an organization self-assesses each self-assessed criterion with a statement and an
optional evidence file, then submits; a panel member scores each self-assessed criterion of each entry (0 to its
weight, never their own organization). Publishing freezes every entry's breakdown, score and tier.

One `transaction.atomic` per call; the policy (gongzhi.orglife.policies.awards) is asked first. A reviewer's
score of one criterion of one entry is one row (a unique constraint): a second score, or two at once, update it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import media
from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import check_actor, is_user, record_creation, transition, user_of
from gongzhi.orglife.models import (
    AwardEntry,
    AwardRound,
    AwardScheme,
    AwardTier,
    Criterion,
    CriterionSource,
    Evidence,
    Indicator,
    Reviewer,
    ReviewScore,
    SchemeKind,
)
from gongzhi.orglife.policies import awards as policies
from gongzhi.orglife.selectors import awards as selectors
from gongzhi.orglife.workflow import (
    ENTRY_FLOW,
    ROUND_FLOW,
    EntryAction,
    EntryState,
    RoundAction,
    RoundState,
)

TOTAL_WEIGHT = 100


@dataclass
class CriterionInput:
    name: str
    weight: int
    source: str
    indicator: str = ""
    target: Decimal | None = None
    guidance: str = ""


def _save(obj, actor, reason: str) -> None:
    obj._history_user = user_of(actor)
    obj._change_reason = reason
    obj.save()


def _manage(actor, subject) -> None:
    check_actor(actor)
    if not policies.may_manage(actor, subject):
        raise Forbidden()


def _locked_round(round_) -> AwardRound:
    pk = round_.pk if isinstance(round_, AwardRound) else round_
    found = AwardRound.objects.select_for_update(of=("self",)).select_related("scheme__region").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def _draft(round_: AwardRound) -> None:
    if round_.state != RoundState.DRAFT:
        raise Conflict(_("Criteria and tiers change only while the round is a draft."))


# --- Schemes and rounds ---------------------------------------------------------------------------------------

@transaction.atomic
def create_scheme(*, actor, code: str, name: str, kind: str, region, description: str = "") -> AwardScheme:
    check_actor(actor)
    errors: dict[str, list[str]] = {}
    if not (code or "").strip():
        errors["code"] = [_("Enter a code.")]
    elif AwardScheme.objects.filter(code=code.strip()).exists():
        errors["code"] = [_("This code is taken.")]
    if not (name or "").strip():
        errors["name"] = [_("Enter a name.")]
    if kind not in SchemeKind.values:
        errors["kind"] = [_("Choose the kind.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)
    scheme = AwardScheme(code=code.strip(), name=name.strip(), kind=kind, region=region,
                         description=(description or "").strip())
    _manage(actor, scheme)
    _save(scheme, actor, "create")
    return scheme


def _check_period(start, end) -> None:
    if start is None or end is None:
        raise ValidationFailed.on("period_end", _("Enter the period."))
    if end < start:
        raise ValidationFailed.on("period_end", _("The period must end after it starts."))


@transaction.atomic
def create_round(scheme: AwardScheme, *, actor, number: int, name: str, period_start: dt.date,
                 period_end: dt.date) -> AwardRound:
    _manage(actor, scheme)
    _check_period(period_start, period_end)
    if not number or number < 1:
        raise ValidationFailed.on("number", _("Enter the round's number."))
    if AwardRound.objects.filter(scheme=scheme, number=number).exists():
        raise ValidationFailed.on("number", _("This scheme already has a round with this number."))
    if not (name or "").strip():
        raise ValidationFailed.on("name", _("Enter a name."))
    round_ = AwardRound(scheme=scheme, number=number, name=name.strip(), period_start=period_start,
                        period_end=period_end)
    _save(round_, actor, "create")
    record_creation(round_, RoundAction.CREATE, workflow=ROUND_FLOW, actor=actor)
    return round_


@transaction.atomic
def update_round(round_: AwardRound, *, actor, name: str, period_start: dt.date, period_end: dt.date) -> AwardRound:
    _manage(actor, round_)
    locked = _locked_round(round_)
    _draft(locked)
    _check_period(period_start, period_end)
    if not (name or "").strip():
        raise ValidationFailed.on("name", _("Enter a name."))
    locked.name, locked.period_start, locked.period_end = name.strip(), period_start, period_end
    _save(locked, actor, "edit")
    return locked


def check_criteria(rows: list[CriterionInput]) -> None:
    """Field errors of a round's criteria (ValidationFailed): each named, weighted, an indicator for a computed
    one and none for a self-assessed one, a positive target; the weights sum to 100."""
    errors: dict[str, list[str]] = {}
    if not rows:
        errors["weights"] = [_("Give at least one criterion.")]
    for i, r in enumerate(rows, 1):
        if not (r.name or "").strip():
            errors.setdefault("criteria", []).append(_("Criterion %(n)s: enter its name.") % {"n": i})
        if r.weight is None or int(r.weight) < 1:
            errors.setdefault("criteria", []).append(_("Criterion %(n)s: the weight must be at least 1.") % {"n": i})
        if r.source not in CriterionSource.values:
            errors.setdefault("criteria", []).append(_("Criterion %(n)s: choose the source.") % {"n": i})
        elif r.source == CriterionSource.INDICATOR and r.indicator not in Indicator.values:
            errors.setdefault("criteria", []).append(_("Criterion %(n)s: choose the indicator.") % {"n": i})
        if r.target is not None and r.target <= 0:
            errors.setdefault("criteria", []).append(_("Criterion %(n)s: the target must be above 0.") % {"n": i})
    total = sum(int(r.weight or 0) for r in rows)
    if rows and total != TOTAL_WEIGHT:
        errors["weights"] = [_("The weights sum to %(total)s; they must sum to 100.") % {"total": total}]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)


@transaction.atomic
def set_criteria(round_: AwardRound, *, actor, rows: list[CriterionInput]) -> list[Criterion]:
    """Replace the draft round's criteria."""
    _manage(actor, round_)
    locked = _locked_round(round_)
    _draft(locked)
    check_criteria(rows)
    locked.criteria.all().delete()
    made = []
    for order, r in enumerate(rows, 1):
        c = Criterion(round=locked, name=r.name.strip(), weight=int(r.weight), source=r.source,
                      indicator=r.indicator if r.source == CriterionSource.INDICATOR else "",
                      target=r.target if r.source == CriterionSource.INDICATOR else None,
                      guidance=(r.guidance or "").strip(), order=order)
        _save(c, actor, "criteria")
        made.append(c)
    return made


@transaction.atomic
def set_tiers(round_: AwardRound, *, actor, rows: list[tuple[str, Decimal]]) -> list[AwardTier]:
    """Replace the draft round's tiers (name, from score 0..100; names once)."""
    _manage(actor, round_)
    locked = _locked_round(round_)
    if locked.state == RoundState.PUBLISHED:
        raise Conflict(_("The round is published."))
    errors, seen = [], set()
    for i, (name, score) in enumerate(rows, 1):
        if not (name or "").strip():
            errors.append(_("Tier %(n)s: enter its name.") % {"n": i})
        elif name.strip() in seen:
            errors.append(_("Tier %(n)s: the name is given twice.") % {"n": i})
        seen.add((name or "").strip())
        if score is None or not 0 <= Decimal(score) <= TOTAL_WEIGHT:
            errors.append(_("Tier %(n)s: the cut-off must be between 0 and 100.") % {"n": i})
    if errors:
        raise ValidationFailed(errors[0], field_errors={"tiers": errors})
    locked.tiers.all().delete()
    made = []
    for name, score in rows:
        t = AwardTier(round=locked, name=name.strip(), min_score=Decimal(score))
        _save(t, actor, "tiers")
        made.append(t)
    return made


def _enter(round_: AwardRound, org, actor) -> AwardEntry | None:
    if AwardEntry.objects.filter(round=round_, org=org).exists():
        return None
    entry = AwardEntry(round=round_, org=org)
    _save(entry, actor, "enter")
    record_creation(entry, EntryAction.ENTER, workflow=ENTRY_FLOW, actor=actor)
    return entry


@transaction.atomic
def add_eligible(round_: AwardRound, *, actor) -> int:
    """Enter every eligible organization of the scheme's region not entered yet; returns how many were added."""
    _manage(actor, round_)
    locked = _locked_round(round_)
    if locked.state not in (RoundState.DRAFT, RoundState.ASSESSING):
        raise Conflict(_("Organizations are entered before the review."))
    return sum(_enter(locked, org, actor) is not None for org in selectors.eligible_orgs(locked.scheme))


@transaction.atomic
def add_entry(round_: AwardRound, *, actor, org) -> AwardEntry:
    _manage(actor, round_)
    locked = _locked_round(round_)
    if locked.state not in (RoundState.DRAFT, RoundState.ASSESSING):
        raise Conflict(_("Organizations are entered before the review."))
    if not selectors.eligible_orgs(locked.scheme).filter(pk=org.pk).exists():
        raise ValidationFailed.on("org", _("This organization is not eligible for the scheme."))
    entry = _enter(locked, org, actor)
    if entry is None:
        raise ValidationFailed.on("org", _("This organization is entered already."))
    return entry


@transaction.atomic
def remove_entry(entry: AwardEntry, *, actor) -> None:
    """Take an organization entered by mistake out of a round, while the round is a draft (once it is open the
    organization may have assessed itself; its entry stays). The deletion is kept in the audit history."""
    _manage(actor, entry.round)
    locked = _locked_round(entry.round)
    if locked.state != RoundState.DRAFT:
        raise Conflict(_("Organizations are removed only while the round is a draft."))
    found = AwardEntry.objects.select_for_update().filter(pk=entry.pk, round=locked).first()
    if found is None:
        raise NotFound(_("Not found."))
    found._history_user = user_of(actor)
    found.delete()


@transaction.atomic
def add_reviewer(round_: AwardRound, *, actor, user) -> Reviewer:
    _manage(actor, round_)
    locked = _locked_round(round_)
    if not policies.may_change_panel(actor, locked):
        raise Conflict(_("The panel of a published round is fixed."))
    if user is None or not user.is_active:
        raise ValidationFailed.on("user", _("Choose an active account."))
    found = Reviewer.objects.filter(round=locked, user=user).first()
    if found is not None:
        raise ValidationFailed.on("user", _("This reviewer is on the panel already."))
    r = Reviewer(round=locked, user=user)
    _save(r, actor, "panel")
    return r


@transaction.atomic
def remove_reviewer(reviewer: Reviewer, *, actor) -> None:
    _manage(actor, reviewer.round)
    locked = _locked_round(reviewer.round)
    if not policies.may_change_panel(actor, locked):
        raise Conflict(_("The panel of a published round is fixed."))
    if reviewer.scores.exists():
        raise Conflict(_("This reviewer has scored already."))
    reviewer._history_user = user_of(actor)
    reviewer.delete()


# --- The round's steps ---------------------------------------------------------------------------------------

def _check_open(round_: AwardRound) -> None:
    criteria = list(round_.criteria.all())
    total = sum(c.weight for c in criteria)
    if total != TOTAL_WEIGHT:
        raise ValidationFailed.on("weights", _("The weights sum to %(total)s; they must sum to 100.") % {
            "total": total})
    if not round_.entries.exists():
        raise ValidationFailed.on("entries", _("Enter the eligible organizations first."))


def _freeze(round_: AwardRound, actor) -> None:
    for entry in round_.entries.select_related("org", "org__member_unit", "org__region", "round"):
        entry.round = round_
        b = selectors.live_breakdown(entry)
        entry.frozen, entry.score, entry.tier = b.as_dict(), Decimal(b.total), b.tier
        _save(entry, actor, "publish")


def step_round(round_, action: str, *, actor, note: str = "") -> AwardRound:
    """Open (the weights must sum to 100 and organizations be entered), start the review, return to
    self-assessment (a reason), publish (every entry's breakdown, score and tier frozen; the honour roll)."""
    def authorize(locked):
        if not policies.may_manage(actor, locked):
            raise NotFound()
        if action == RoundAction.OPEN:
            _check_open(locked)
        if action == RoundAction.REVIEW and not locked.reviewers.exists() and locked.criteria.filter(
                source=CriterionSource.SELF).exists():
            raise ValidationFailed.on("reviewers", _("Put reviewers on the panel first."))

    def prepare(locked):
        if action == RoundAction.PUBLISH:
            locked.published_on = timezone.localdate()
            _freeze(locked, actor)

    return transition(round_, action, workflow=ROUND_FLOW, actor=actor, note=note, related=("scheme__region",),
                      authorize=authorize, prepare=prepare)


# --- Self-assessment -----------------------------------------------------------------------------------------



def _locked_entry(entry) -> AwardEntry:
    pk = entry.pk if isinstance(entry, AwardEntry) else entry
    found = (AwardEntry.objects.select_for_update(of=("self",))
             .select_related("round", "round__scheme__region", "org", "org__region").filter(pk=pk).first())
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def save_evidence(entry: AwardEntry, criterion: Criterion, *, actor, statement: str, upload=None) -> Evidence:
    """The organization's self-assessment of one self-assessed criterion (a statement, optionally a file)."""
    check_actor(actor)
    locked = _locked_entry(entry)
    if not policies.assesses(actor, locked.org):
        raise NotFound()
    if not policies.may_assess(actor, locked):
        raise Conflict(_("The self-assessment is open while the round is under self-assessment and the entry "
                         "not submitted."))
    if criterion.round_id != locked.round_id or criterion.source != CriterionSource.SELF:
        raise ValidationFailed.on("criterion", _("Choose a self-assessed criterion of this round."))
    statement = (statement or "").strip()
    if not statement:
        raise ValidationFailed.on("statement", _("Describe what the organization did."))
    ev = Evidence.objects.filter(entry=locked, criterion=criterion).first() or Evidence(entry=locked,
                                                                                         criterion=criterion)
    if upload is not None:
        try:
            kind = media.validate_attachment(upload)
        except forms.ValidationError as e:
            raise ValidationFailed(e.messages[0], field_errors={"file": e.messages}) from None
        upload.name = f"upload.{kind.ext}"
        ev.file = upload
    ev.statement, ev.submitted_by, ev.updated_at = statement, user_of(actor), timezone.now()
    _save(ev, actor, "evidence")
    return ev


def step_entry(entry, action: str, *, actor, note: str = "") -> AwardEntry:
    """Submit the self-assessment (the organization; every self-assessed criterion needs its statement) or return
    it with a reason (a manager)."""
    def authorize(locked):
        if is_user(actor) and not policies.may_see_entry(actor, locked):
            raise NotFound()
        if not policies.can_entry(actor, locked, action):
            raise Forbidden() if locked.round.state == RoundState.ASSESSING else Conflict(
                _("The round is not under self-assessment."))
        if action == EntryAction.SUBMIT:
            missing = locked.round.criteria.filter(source=CriterionSource.SELF).exclude(evidence__entry=locked)
            if missing.exists():
                raise ValidationFailed.on("evidence", _("Give the self-assessment of every criterion first: %(names)s")
                                          % {"names": "、".join(c.name for c in missing)})

    return transition(entry, action, workflow=ENTRY_FLOW, actor=actor, note=note,
                      related=("round", "round__scheme__region", "org", "org__region"), authorize=authorize)


# --- Review --------------------------------------------------------------------------------------------------

def parse_points(value, criterion: Criterion) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        points = None
    if points is None or not points.is_finite() or not 0 <= points <= criterion.weight:
        raise ValidationFailed.on("points", _("Give 0 to %(weight)s points.") % {"weight": criterion.weight})
    if points != points.quantize(Decimal("0.1")):
        raise ValidationFailed.on("points", _("Give the points to one decimal place."))
    return points


def score(entry: AwardEntry, criterion: Criterion, *, actor, points, comment: str = "") -> ReviewScore:
    """A panel member's points (0..weight) for one self-assessed criterion of one entry; again: the same row
    updated. Refused for the reviewer's own organization."""
    check_actor(actor)
    for attempt in range(2):
        try:
            return _score(entry, criterion, actor=actor, points=points, comment=comment)
        except IntegrityError:  # a parallel first score made the row: update it instead
            if attempt:
                raise
    raise AssertionError  # pragma: no cover


@transaction.atomic
def _score(entry, criterion, *, actor, points, comment) -> ReviewScore:
    locked = _locked_entry(entry)
    if is_user(actor) and not policies.may_see_entry(actor, locked):
        raise NotFound()
    if is_user(actor) and policies.is_reviewer(actor, locked.round) and policies.is_own(actor, locked.org):
        raise Forbidden(_("A reviewer may not score their own organization."))
    if not policies.may_score(actor, locked):
        raise Forbidden(_("Only the round's reviewers score, while the round is being reviewed."))
    if criterion.round_id != locked.round_id or criterion.source != CriterionSource.SELF:
        raise ValidationFailed.on("criterion", _("Choose a self-assessed criterion of this round."))
    value = parse_points(points, criterion)
    reviewer = Reviewer.objects.get(round=locked.round, user=actor)
    row = ReviewScore.objects.select_for_update().filter(entry=locked, criterion=criterion, reviewer=reviewer).first()
    if row is None:
        row = ReviewScore(entry=locked, criterion=criterion, reviewer=reviewer)
    row.points, row.comment, row.scored_at = value, (comment or "").strip()[:300], timezone.now()
    with transaction.atomic():
        _save(row, actor, "score")
    return row


@transaction.atomic
def import_scores(rows: list[dict], *, actor) -> int:
    """The reviewers' scores of an Excel import (already validated), all or nothing."""
    for r in rows:
        score(r["entry"], r["criterion"], actor=actor, points=r["points"], comment=r.get("comment", ""))
    return len(rows)


__all__ = ["CriterionInput", "create_scheme", "create_round", "update_round", "set_criteria", "set_tiers",
           "add_eligible", "add_entry", "add_reviewer", "remove_reviewer", "step_round",
           "save_evidence", "step_entry", "score", "import_scores", "EntryState"]
