"""Writes of the votes part: votes and ballots, resident conventions and their signatures, co-signatures of
residents' proposals. One transaction per call, signature ``verb(subject, *, actor, ...)`` with plain values (an
instance or a pk for the subject and the rows it names).

The actor is a user, `SYSTEM`, or `RESIDENT`: a visitor of the H5 pages acting for a household through a phone they
proved with an SMS code (`proven_phone`). A refused ballot, signature or co-signature writes nothing: the checks
(period, scope, the one ballot per household) come before any write, and the database's unique constraints stop
the parallel duplicates the checks cannot see.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.accounts.scope import scope_for
from gongzhi.core.errors import Conflict, Forbidden, NotFound, NothingChanged, ValidationFailed
from gongzhi.core.workflow import (
    SUBMITTER,
    SYSTEM,
    PseudoActor,
    check_actor,
    record_creation,
    snapshot,
    transition,
    user_of,
)
from gongzhi.deliberation.models import (
    Ballot,
    BallotChannel,
    BallotReceipt,
    ConventionSignature,
    ConventionVersion,
    Meeting,
    ResidentConvention,
    Topic,
    TopicCosign,
    TopicSource,
    Vote,
    VoteKind,
    VoteOption,
    VoteResult,
    VoteScope,
)
from gongzhi.deliberation.policies import votes as policies
from gongzhi.deliberation.workflow import TopicState
from gongzhi.deliberation.workflows_votes import (
    CONVENTION_FLOW,
    EDITABLE_STATES,
    IN_FORCE_STATES,
    VOTE_FLOW,
    ConventionAction,
    ConventionState,
    VoteAction,
    VoteState,
)
from gongzhi.registry.models import Estate, Household, Region, RegionKind

# A visitor of the H5 pages acting for a household whose phone they proved with an SMS code.
RESIDENT = PseudoActor("resident", gettext_lazy("Resident (proven phone)"))

YES, NO, ABSTAIN = "yes", "no", "abstain"
YES_NO_OPTIONS = ((YES, gettext_lazy("Yes")), (NO, gettext_lazy("No")), (ABSTAIN, gettext_lazy("Abstain")))
MAX_ALTERNATIVES = 12


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _pk(value):
    return value.pk if isinstance(value, models.Model) else value


def _row(model, value, field: str, message=None):
    """The row `value` (an instance or a pk) names, or a field error."""
    if value is None or value == "":
        return None
    if isinstance(value, model):
        return value
    try:
        found = model.objects.filter(pk=int(value)).order_by().first()  # a pk lookup: no ordering join
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise ValidationFailed.on(field, message or _("Select a valid choice."))
    return found


def _refuse_unless(allowed: bool, actor, visible: bool) -> None:
    """Forbidden when the actor sees the subject but may not act; NotFound when they do not even see it."""
    if allowed:
        return
    if visible:
        raise Forbidden(_("You do not have permission to do this."))
    raise NotFound(_("Not found."))


def _sees_area(actor, area, grid=None) -> bool:
    if actor is SYSTEM:
        return True
    scope = scope_for(actor, policies.VIEW)
    return scope.covers_path(area.path) or (grid is not None and scope.covers_path(grid.path))


# --- Eligibility ------------------------------------------------------------------------------------------------

def eligible_households(vote):
    """The households with a ballot in this vote (none for a vote of council seats)."""
    qs = Household.objects.all()
    if vote.scope == VoteScope.ESTATE:
        return qs.filter(building__estate_id=vote.estate_id)
    if vote.scope == VoteScope.GRID:
        return qs.filter(building__region_id=vote.grid_id)
    if vote.scope == VoteScope.AREA:
        return qs.filter(building__region__path__startswith=vote.area.path)
    return qs.none()


def eligible_count(vote) -> int:
    return len(vote.seat_names()) if vote.scope == VoteScope.SEATS else eligible_households(vote).count()


def households_in(area, estate=None, grid=None):
    """The households of an estate, else of a grid, else of a residential area."""
    qs = Household.objects.all()
    if estate is not None:
        return qs.filter(building__estate=estate)
    if grid is not None:
        return qs.filter(building__region=grid)
    return qs.filter(building__region__path__startswith=area.path)


# --- Votes ------------------------------------------------------------------------------------------------------

VOTE_FIELDS = ("title", "description", "meeting", "convention_version", "scope", "estate", "grid", "eligible_seats",
               "kind", "participation_threshold", "approval_threshold", "is_secret", "opens_at", "closes_at")


def _vote_values(topic: Topic, *, title, description="", meeting=None, convention_version=None,
                 scope=VoteScope.ESTATE, estate=None, grid=None, eligible_seats="", kind=VoteKind.YES_NO,
                 alternatives=(), participation_threshold=None, approval_threshold=None, is_secret=False,
                 opens_at=None, closes_at=None, now=None, check_future=True) -> tuple[dict, list[str]]:
    """The vote's field values, checked together; ValidationFailed with every field error at once."""
    errors: dict[str, list[str]] = {}

    def err(field, message):
        errors.setdefault(field, []).append(str(message))

    title = (title or "").strip()
    if not title:
        err("title", _("This field is required."))
    if scope not in VoteScope.values:
        err("scope", _("Select a valid choice."))
    if kind not in VoteKind.values:
        err("kind", _("Select a valid choice."))
    meeting = _row(Meeting, meeting, "meeting")
    if meeting is not None and meeting.topic_id != topic.pk:
        err("meeting", _("Choose a meeting of this topic."))
    version = _row(ConventionVersion, convention_version, "convention_version")
    if version is not None and version.convention.topic_id != topic.pk:
        err("convention_version", _("Choose a convention drafted from this topic."))
    estate = _row(Estate, estate, "estate")
    grid = _row(Region, grid, "grid")
    if scope == VoteScope.ESTATE:
        estate = estate or topic.estate
        if estate is None:
            err("estate", _("Choose the estate whose households vote."))
        elif estate.area_id != topic.area_id:
            err("estate", _("The estate must lie in the topic's residential area."))
    else:
        estate = None
    if scope == VoteScope.GRID:
        grid = grid or topic.grid
        if grid is None:
            err("grid", _("Choose the grid whose households vote."))
        elif grid.kind != RegionKind.GRID or grid.parent_id != topic.area_id:
            err("grid", _("The grid must lie in the topic's residential area."))
    else:
        grid = None
    seats = "\n".join(dict.fromkeys(s.strip() for s in (eligible_seats or "").splitlines() if s.strip()))
    if scope == VoteScope.SEATS and not seats:
        err("eligible_seats", _("List the seat holders who vote, one per line."))
    if scope != VoteScope.SEATS:
        seats = ""
    labels = list(dict.fromkeys(a.strip() for a in alternatives if a and a.strip()))
    if kind == VoteKind.CHOICE:
        if len(labels) < 2:
            err("alternatives", _("Give at least two alternatives, one per line."))
        elif len(labels) > MAX_ALTERNATIVES:
            err("alternatives", _("Give at most %(n)d alternatives.") % {"n": MAX_ALTERNATIVES})
        elif any(len(label) > 120 for label in labels):
            err("alternatives", _("An alternative has at most 120 characters."))
    participation = _threshold(participation_threshold, "participation")
    approval = _threshold(approval_threshold, "approval")
    if not 1 <= participation <= 100:
        err("participation_threshold", _("Enter a share between 1 and 100."))
    if not 0 <= approval <= 99:
        err("approval_threshold", _("Enter a share between 0 and 99."))
    if opens_at is None:
        err("opens_at", _("This field is required."))
    if closes_at is None:
        err("closes_at", _("This field is required."))
    if opens_at and closes_at:
        if closes_at <= opens_at:
            err("closes_at", _("The vote must close after it opens."))
        elif check_future and closes_at <= _now(now):
            err("closes_at", _("The closing time has already passed."))
    if errors:
        raise ValidationFailed(_("Check the form."), field_errors=errors)
    values = {
        "title": title, "description": (description or "").strip(), "meeting": meeting, "convention_version": version,
        "area": topic.area, "scope": scope, "estate": estate, "grid": grid, "eligible_seats": seats, "kind": kind,
        "participation_threshold": participation, "approval_threshold": approval, "is_secret": bool(is_secret),
        "opens_at": opens_at, "closes_at": closes_at,
    }
    return values, labels


def _threshold(value, which: str) -> int:
    """A threshold as a whole percentage (the default when not given; -1, refused, when not a number)."""
    from gongzhi.deliberation.models import DEFAULT_APPROVAL, DEFAULT_PARTICIPATION

    if value is None or value == "":
        return DEFAULT_PARTICIPATION if which == "participation" else DEFAULT_APPROVAL
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _set_options(vote: Vote, labels: list[str]) -> None:
    vote.options.all().delete()
    if vote.kind == VoteKind.YES_NO:
        rows = [VoteOption(vote=vote, key=key, label=str(label), position=i)
                for i, (key, label) in enumerate(YES_NO_OPTIONS)]
    else:
        rows = [VoteOption(vote=vote, key=f"alt{i + 1}", label=label, position=i) for i, label in enumerate(labels)]
    for row in rows:
        row.save()


def create_vote(topic, *, actor, alternatives=(), now: datetime | None = None, **fields) -> Vote:
    """A vote in draft on `topic`, prepared by staff who run deliberation where the topic is."""
    check_actor(actor)
    now = _now(now)
    with transaction.atomic():
        topic = _row(Topic, topic, "topic") if topic is not None else None
        if topic is None:
            raise ValidationFailed.on("topic", _("Choose the topic the vote decides."))
        topic = Topic.objects.select_related("area", "estate", "grid").get(pk=topic.pk)
        values, labels = _vote_values(topic, alternatives=alternatives, now=now, **fields)
        _refuse_unless(policies.manages_area(actor, topic.area, values["grid"]), actor,
                       _sees_area(actor, topic.area, topic.grid))
        vote = Vote(topic=topic, created_by=user_of(actor), created_at=now, **values)
        vote._history_user = user_of(actor)
        vote.save()
        _set_options(vote, labels)
        record_creation(vote, VoteAction.PREPARE, workflow=VOTE_FLOW, actor=actor, now=now)
    return vote


def _locked_vote(vote, actor) -> Vote:
    """The vote, locked, as the actor may see it (drafts only to those who manage them)."""
    try:
        locked = (Vote.objects.select_for_update(of=("self",)).select_related("area", "grid", "estate", "topic")
                  .get(pk=_pk(vote)))
    except (Vote.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found."))
    return locked


def update_vote(vote, *, actor, alternatives=(), now: datetime | None = None, **fields) -> Vote:
    """Change a draft vote (its options too); NothingChanged when nothing would."""
    check_actor(actor)
    with transaction.atomic():
        vote = _locked_vote(vote, actor)
        _refuse_unless(policies.can_manage_vote(actor, vote), actor, _sees_area(actor, vote.area, vote.grid))
        if vote.state != VoteState.DRAFT:
            raise Conflict(_("Only a draft vote can be changed."))
        values, labels = _vote_values(vote.topic, alternatives=alternatives, now=now, **fields)
        _refuse_unless(policies.manages_area(actor, vote.area, values["grid"]), actor, True)
        before = snapshot(vote)
        old_labels = [o.label for o in vote.options.all()]
        for name, value in values.items():
            setattr(vote, name, value)
        new_labels = labels if vote.kind == VoteKind.CHOICE else [str(label) for _k, label in YES_NO_OPTIONS]
        options_changed = old_labels != new_labels
        if snapshot(vote) == before and not options_changed:
            raise NothingChanged()
        vote._history_user = user_of(actor)
        vote._change_reason = "edit"
        vote.save()
        if options_changed:
            _set_options(vote, labels)
    return vote


def _authorize_vote(actor):
    def check(locked: Vote) -> None:
        _refuse_unless(policies.can_manage_vote(actor, locked), actor, _sees_area(actor, locked.area, locked.grid))

    return check


def open_vote(vote, *, actor, now: datetime | None = None) -> Vote:
    """Open the vote to ballots: its eligible households (or seats) are counted now, and must not be none."""
    now = _now(now)

    def prepare(locked: Vote) -> None:
        if locked.closes_at <= now:
            raise ValidationFailed.on("closes_at", _("The closing time has already passed."))
        locked.eligible_count = eligible_count(locked)
        if not locked.eligible_count:
            raise ValidationFailed(_("No household or seat is eligible in this vote's scope."))

    return transition(vote, VoteAction.OPEN, workflow=VOTE_FLOW, actor=actor, now=now, authorize=_authorize_vote(actor),
                      prepare=prepare, related=("area", "grid"))


def count(vote: Vote) -> dict:
    """The result of a vote from its ballots: eligible, cast, the tally per option, whether participation and
    approval reached their thresholds, the winning alternative, passed or failed. Participation: at least the
    threshold's share of the eligible voted; approval: more than the threshold's share of the ballots cast chose
    "yes" (abstentions are ballots cast) or, for alternatives, the one alternative with the most ballots."""
    options = list(vote.options.all())
    chosen = Counter(Ballot.objects.filter(vote=vote).values_list("option_id", flat=True))
    tally = {o.key: chosen.get(o.pk, 0) for o in options}
    cast = BallotReceipt.objects.filter(vote=vote).count()
    if sum(tally.values()) != cast:  # a receipt without its choice (or the reverse) is never written
        raise Conflict(_("The ballots and the receipts of this vote do not agree."))
    eligible = max(eligible_count(vote), cast)
    participation_met = eligible > 0 and cast * 100 >= vote.participation_threshold * eligible
    winner = None
    if vote.kind == VoteKind.YES_NO:
        approving = tally.get(YES, 0)
    else:
        top = max(tally.values(), default=0)
        leaders = [o for o in options if tally[o.key] == top]
        approving = top if len(leaders) == 1 and top > 0 else 0
        winner = leaders[0] if approving else None
    approval_met = cast > 0 and approving * 100 > vote.approval_threshold * cast
    passed = participation_met and approval_met
    return {"eligible": eligible, "cast": cast, "tally": tally, "approving": approving,
            "participation_met": participation_met, "approval_met": approval_met, "winner": winner,
            "result": VoteResult.PASSED if passed else VoteResult.FAILED}


def close_vote(vote, *, actor, now: datetime | None = None) -> Vote:
    """Close the vote and count it. An online vote closes at the end of its period; a motion at a meeting when
    the meeting has voted."""
    now = _now(now)
    found = {}

    def prepare(locked: Vote) -> None:
        if reason := policies.why_not_closable(locked, now):
            raise Conflict(reason)
        found.update(count(locked))
        locked.eligible_count, locked.ballots_cast = found["eligible"], found["cast"]
        locked.tally, locked.result, locked.winner = found["tally"], found["result"], found["winner"]
        locked.closed_at = now

    return transition(vote, VoteAction.CLOSE, workflow=VOTE_FLOW, actor=actor, now=now,
                      authorize=_authorize_vote(actor), prepare=prepare, related=("area", "grid"))


def cancel_vote(vote, *, actor, reason: str, now: datetime | None = None) -> Vote:
    """Cancel a draft or open vote (with a reason); its ballots are never counted."""
    return transition(vote, VoteAction.CANCEL, workflow=VOTE_FLOW, actor=actor, note=reason, now=now,
                      authorize=_authorize_vote(actor), cancel_reason=(reason or "").strip(), related=("area", "grid"))


def transition_vote(vote, action: str, *, actor, note: str = "", now: datetime | None = None) -> Vote:
    if action == VoteAction.OPEN:
        return open_vote(vote, actor=actor, now=now)
    if action == VoteAction.CLOSE:
        return close_vote(vote, actor=actor, now=now)
    if action == VoteAction.CANCEL:
        return cancel_vote(vote, actor=actor, reason=note, now=now)
    raise ValidationFailed.on("action", _("Select a valid choice."))


def close_due_votes(*, now: datetime | None = None) -> list[Vote]:
    """Close and count every open vote whose period is over (the job `gongzhi manage close_due_votes` runs)."""
    now = _now(now)
    closed = []
    for pk in Vote.objects.filter(state=VoteState.OPEN, closes_at__lte=now).values_list("pk", flat=True):
        try:
            closed.append(close_vote(pk, actor=SYSTEM, now=now))
        except Conflict:  # closed meanwhile
            continue
    return closed


# --- Ballots ----------------------------------------------------------------------------------------------------

def _period_text(vote: Vote) -> str:
    fmt = "%Y-%m-%d %H:%M"
    return _("Voting runs from %(start)s to %(end)s.") % {
        "start": timezone.localtime(vote.opens_at).strftime(fmt), "end": timezone.localtime(vote.closes_at).strftime(fmt)}


def cast_ballot(vote, *, actor, option: str, household=None, seat: str = "", proven_phone: str = "",
                channel: str | None = None, now: datetime | None = None) -> BallotReceipt:
    """One ballot: a receipt saying who voted and, apart from it, the choice (linked to the receipt for an open vote
    only). Refused, writing nothing: outside the voting period (ValidationFailed), a household outside the vote's
    scope or a seat not on its list (ValidationFailed), a second ballot of a household or seat (Conflict). A
    resident acts for a household whose phone they proved; staff managing the vote record ballots cast on paper or
    at the meeting."""
    check_actor(actor)
    now = _now(now)
    with transaction.atomic():
        vote = _locked_vote(vote, actor)
        staff = policies.can_manage_vote(actor, vote)
        if vote.state == VoteState.DRAFT and not staff:
            raise NotFound(_("Not found."))
        if not vote.accepts_ballots(now):
            message = (_("This vote is not open.") if vote.state != VoteState.OPEN
                       else _("Voting is outside the vote's period. %(period)s") % {"period": _period_text(vote)})
            raise ValidationFailed(message, code="outside_period")
        chosen = vote.options.filter(key=(option or "").strip()).first() if isinstance(option, str) else None
        if isinstance(option, VoteOption) and option.vote_id == vote.pk:
            chosen = option
        if chosen is None:
            raise ValidationFailed.on("option", _("Choose one of the options."))
        if vote.scope == VoteScope.SEATS:
            if not staff:
                raise Forbidden(_("The ballots of council seats are recorded by the staff running the vote."))
            seat = (seat or "").strip()
            if seat not in vote.seat_names():
                error = ValidationFailed.on("seat", _("This seat does not vote here."))
                error.code = "outside_scope"
                raise error
            voter = {"seat": seat}
            duplicate = _("This seat has already voted.")
        else:
            household = _row(Household, _pk(household), "household", _("Choose a household."))
            if household is None:
                raise ValidationFailed.on("household", _("Choose a household."))
            if not staff and not policies.acts_for_household(actor, household, proven_phone):
                raise Forbidden(_("Confirm a phone number of this household first."))
            if not eligible_households(vote).filter(pk=household.pk).exists():
                error = ValidationFailed.on("household", _("This household is not in the vote's scope."))
                error.code = "outside_scope"
                raise error
            voter = {"household": household}
            duplicate = _("This household has already voted.")
        if BallotReceipt.objects.filter(vote=vote, **voter).exists():
            raise Conflict(duplicate, code="already_voted")
        channel = channel or (BallotChannel.STAFF if staff and actor is not RESIDENT else BallotChannel.H5)
        receipt = BallotReceipt(vote=vote, channel=channel, recorded_by=user_of(actor), cast_at=now, **voter)
        try:
            with transaction.atomic():
                receipt.save()
        except IntegrityError:  # a parallel ballot of the same household won the race
            raise Conflict(duplicate, code="already_voted")
        Ballot.objects.create(vote=vote, option=chosen, receipt=None if vote.is_secret else receipt)
    return receipt


# --- Resident conventions ----------------------------------------------------------------------------------------

def _locked_convention(convention) -> ResidentConvention:
    try:
        return (ResidentConvention.objects.select_for_update(of=("self",)).select_related("area", "estate", "topic")
                .get(pk=_pk(convention)))
    except (ResidentConvention.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found."))


def _authorize_convention(actor):
    def check(locked: ResidentConvention) -> None:
        _refuse_unless(policies.can_manage_convention(actor, locked), actor, _sees_area(actor, locked.area))

    return check


def _new_version(convention: ResidentConvention, *, actor, text: str, note: str, now: datetime) -> ConventionVersion:
    last = convention.versions.order_by("-number").first()
    version = ConventionVersion(convention=convention, number=(last.number + 1) if last else 1, text=text,
                                note=(note or "").strip()[:200], created_by=user_of(actor), created_at=now)
    version._history_user = user_of(actor)
    version.save()
    return version


def _clean_text(text: str) -> str:
    text = "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").strip().split("\n"))
    if not text:
        raise ValidationFailed.on("text", _("This field is required."))
    return text


def create_convention(topic, *, actor, title: str, text: str, estate=None, note: str = "",
                      now: datetime | None = None) -> ResidentConvention:
    """A convention drafted from a topic: its first version."""
    check_actor(actor)
    now = _now(now)
    with transaction.atomic():
        topic = _row(Topic, topic, "topic")
        if topic is None:
            raise ValidationFailed.on("topic", _("Choose the topic the convention comes from."))
        _refuse_unless(policies.manages_area(actor, topic.area), actor, _sees_area(actor, topic.area, topic.grid))
        errors = {}
        title = (title or "").strip()
        if not title:
            errors["title"] = [_("This field is required.")]
        estate = _row(Estate, estate, "estate") or topic.estate
        if estate is not None and estate.area_id != topic.area_id:
            errors["estate"] = [_("The estate must lie in the topic's residential area.")]
        try:
            text = _clean_text(text)
        except ValidationFailed as e:
            errors.update(e.field_errors)
        if errors:
            raise ValidationFailed(_("Check the form."), field_errors=errors)
        convention = ResidentConvention(title=title, topic=topic, area=topic.area, estate=estate,
                                        created_by=user_of(actor), created_at=now)
        convention._history_user = user_of(actor)
        convention.save()
        _new_version(convention, actor=actor, text=text, note=note or _("First draft"), now=now)
        record_creation(convention, ConventionAction.DRAFT, workflow=CONVENTION_FLOW, actor=actor, now=now)
    return convention


def _refuse_while_voting(convention: ResidentConvention) -> None:
    if Vote.objects.filter(convention_version__convention=convention, state__in=(VoteState.DRAFT, VoteState.OPEN)
                           ).exists():
        raise Conflict(_("A vote on this convention is being prepared or held: close or cancel it first."))


def revise_convention(convention, *, actor, text: str, note: str = "", now: datetime | None = None
                      ) -> ConventionVersion:
    """A new version of a draft or of an amendment (the previous ones are kept, for the differences)."""
    check_actor(actor)
    now = _now(now)
    with transaction.atomic():
        convention = _locked_convention(convention)
        _authorize_convention(actor)(convention)
        if convention.state not in EDITABLE_STATES:
            raise Conflict(_("Only a draft or an amendment can be revised: amend the convention first."))
        _refuse_while_voting(convention)
        text = _clean_text(text)
        if (last := convention.latest_version()) is not None and last.text == text:
            raise NothingChanged()
        return _new_version(convention, actor=actor, text=text, note=note, now=now)


def amend_convention(convention, *, actor, text: str, note: str = "", now: datetime | None = None
                     ) -> ResidentConvention:
    """Start an amendment of an adopted convention: a new version, to be adopted by a vote in turn; the adopted
    version stays in force meanwhile."""
    check_actor(actor)
    now = _now(now)
    text = _clean_text(text)
    with transaction.atomic():
        def prepare(locked: ResidentConvention) -> None:
            in_force = locked.version_in_force()
            if in_force is not None and in_force.text == text:
                raise NothingChanged()

        convention = transition(convention, ConventionAction.AMEND, workflow=CONVENTION_FLOW, actor=actor, now=now,
                                note=note, authorize=_authorize_convention(actor), prepare=prepare,
                                related=("area",))
        _new_version(convention, actor=actor, text=text, note=note, now=now)
    return convention


def adopt_convention(convention, *, actor, vote, effective_on: date | None, now: datetime | None = None
                     ) -> ResidentConvention:
    """Adopt the convention's latest version by a closed vote that passed on it, in force from `effective_on`."""
    check_actor(actor)
    now = _now(now)
    with transaction.atomic():
        vote = _row(Vote, _pk(vote), "vote", _("Choose the vote that adopted this version."))  # as stored now
        found: dict = {}

        def prepare(locked: ResidentConvention) -> None:
            latest = locked.latest_version()
            errors = {}
            if vote is None:
                errors["vote"] = [_("Choose the vote that adopted this version.")]
            elif vote.convention_version_id is None or vote.convention_version_id != getattr(latest, "pk", None):
                errors["vote"] = [_("The vote must be on the latest version of this convention.")]
            elif vote.state != VoteState.CLOSED or vote.result != VoteResult.PASSED:
                errors["vote"] = [_("Only a closed vote that passed adopts a convention.")]
            if effective_on is None:
                errors["effective_on"] = [_("This field is required.")]
            elif vote is not None and vote.closed_at and effective_on < timezone.localdate(vote.closed_at):
                errors["effective_on"] = [_("A convention comes into force after the vote that adopts it.")]
            if errors:
                raise ValidationFailed(_("Check the form."), field_errors=errors)
            found["version"] = latest
            locked.effective_on = effective_on

        convention = transition(convention, ConventionAction.ADOPT, workflow=CONVENTION_FLOW, actor=actor, now=now,
                                authorize=_authorize_convention(actor), prepare=prepare, related=("area",),
                                extra={"vote": vote.pk if vote else None})
        version = found["version"]
        version.adopted_by, version.adopted_at, version.effective_on = vote, now, effective_on
        version._history_user = user_of(actor)
        version.save()
    return convention


def repeal_convention(convention, *, actor, reason: str, now: datetime | None = None) -> ResidentConvention:
    return transition(convention, ConventionAction.REPEAL, workflow=CONVENTION_FLOW, actor=actor, note=reason,
                      now=now, authorize=_authorize_convention(actor), repeal_reason=(reason or "").strip(),
                      related=("area",))


def transition_convention(convention, action: str, *, actor, note: str = "", text: str = "",
                          now: datetime | None = None) -> ResidentConvention:
    if action == ConventionAction.AMEND:
        return amend_convention(convention, actor=actor, text=text, note=note, now=now)
    if action == ConventionAction.REPEAL:
        return repeal_convention(convention, actor=actor, reason=note, now=now)
    raise ValidationFailed.on("action", _("Select a valid choice."))


def convention_households(convention: ResidentConvention):
    """The households a convention is for: its estate's, else its residential area's."""
    return households_in(convention.area, convention.estate)


def sign_convention(convention, *, actor, household, proven_phone: str = "", now: datetime | None = None
                    ) -> ConventionSignature:
    """A household signs the convention in force (once). A resident signs for a household whose phone they proved;
    staff record a signature given on paper."""
    check_actor(actor)
    now = _now(now)
    with transaction.atomic():
        convention = _locked_convention(convention)
        staff = policies.can_manage_convention(actor, convention)
        if convention.state == ConventionState.DRAFT and not staff:
            raise NotFound(_("Not found."))
        if convention.state not in IN_FORCE_STATES or (version := convention.version_in_force()) is None:
            raise Conflict(_("Only a convention in force can be signed."))
        household = _row(Household, _pk(household), "household", _("Choose a household."))
        if household is None:
            raise ValidationFailed.on("household", _("Choose a household."))
        if not staff and not policies.acts_for_household(actor, household, proven_phone):
            raise Forbidden(_("Confirm a phone number of this household first."))
        if not convention_households(convention).filter(pk=household.pk).exists():
            raise ValidationFailed.on("household", _("This household is not one the convention is for."))
        duplicate = _("This household has already signed.")
        if ConventionSignature.objects.filter(convention=convention, household=household).exists():
            raise Conflict(duplicate, code="already_signed")
        signature = ConventionSignature(
            convention=convention, version=version, household=household, signed_at=now, recorded_by=user_of(actor),
            channel=BallotChannel.STAFF if staff and actor is not RESIDENT else BallotChannel.H5)
        signature._history_user = user_of(actor)
        try:
            with transaction.atomic():
                signature.save()
        except IntegrityError:
            raise Conflict(duplicate, code="already_signed")
    return signature


# --- Co-signing a residents' proposal -------------------------------------------------------------------------

def topic_households(topic: Topic):
    """The households a topic concerns: its estate's, else its grid's, else its residential area's."""
    return households_in(topic.area, topic.estate, topic.grid)


def takes_cosigns(topic: Topic) -> bool:
    return topic.source == TopicSource.RESIDENTS and topic.state == TopicState.PROPOSED


def cosign_topic(topic, *, actor, household, proven_phone: str = "", now: datetime | None = None):
    """A household backs a residents' proposal (once), for a resident who proved its phone. The checks of the H5
    page are made here; the topics part's `cosign_topic` writes the row (a resident acts there as SUBMITTER)."""
    check_actor(actor)
    now = _now(now)
    with transaction.atomic():
        topic = _row(Topic, _pk(topic), "topic")
        if topic is None:
            raise NotFound(_("Not found."))
        topic = Topic.objects.select_for_update(of=("self",)).select_related("area", "estate", "grid").get(pk=topic.pk)
        if not takes_cosigns(topic):
            raise Conflict(_("This topic does not take co-signatures."))
        household = _row(Household, _pk(household), "household", _("Choose a household."))
        if household is None:
            raise ValidationFailed.on("household", _("Choose a household."))
        if not policies.acts_for_household(actor, household, proven_phone) and not policies.manages_area(
                actor, topic.area, topic.grid):
            raise Forbidden(_("Confirm a phone number of this household first."))
        if not topic_households(topic).filter(pk=household.pk).exists():
            raise ValidationFailed.on("household", _("This household is not one the topic concerns."))
        duplicate = _("This household has already co-signed.")
        if TopicCosign.objects.filter(topic=topic, household=household).exists():
            raise Conflict(duplicate, code="already_cosigned")
        from gongzhi.deliberation.services import topics as topic_services

        return topic_services.cosign_topic(topic, household=household, actor=SUBMITTER if actor is RESIDENT else actor,
                                           now=now)


def cosigns_of(topic: Topic) -> int:
    return TopicCosign.objects.filter(topic=topic).count()

