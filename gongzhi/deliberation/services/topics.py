"""Writes of topics, meetings and decisions: one transaction each, ``verb(subject, *, actor, ...)`` with plain
values (instances or pks).

A service finds its subject as the actor may see it (NotFound outside the scope), asks
`gongzhi.deliberation.policies.topics` whether the actor may act (Forbidden) and whether the step's conditions
hold (`why_not`: a Conflict, nothing written), and changes a state only through `gongzhi.core.workflow.transition`.
Bad input is a ValidationFailed carrying field errors (a meeting in the past, invitees outside the topic's area).

The topic's steps follow the three meetings (三会制度): it moves to coordination once a hearing is held, is decided
once a coordination meeting is held, is reviewed once the review meeting is held. A meeting is held only with its
quorum checked in at the door; its minutes (speakers' views, decisions with an owner and a deadline, photos and
documents) are taken while it is held and published as its last step.

Residents' side (the H5 pages call these with ``actor=SUBMITTER`` once the household's phone or the signed link is
proven): `cosign_topic`, `rsvp`, `check_in`. Invitees hear of their invitation after commit: the inbox for
accounts (invited people, the liaisons of invited units), an SMS with their reply link for households.
"""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import require_capability, scope_for, scoped
from gongzhi.core import crypto, media
from gongzhi.core.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    NothingChanged,
    ValidationFailed,
)
from gongzhi.core.workflow import check_actor, is_user, record_creation, transition, user_of
from gongzhi.core.workflow import find as _find
from gongzhi.core.workflow import pk_of as _pk
from gongzhi.deliberation.models import (
    CheckIn,
    Decision,
    Invitation,
    InviteeKind,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MinuteEntry,
    Rsvp,
    SpeakerSide,
    Topic,
    TopicCosign,
    TopicSource,
)
from gongzhi.deliberation.policies import topics as policies
from gongzhi.deliberation.policies.topics import (
    ATTACH,
    CHECK_IN,
    COSIGN,
    INVITE,
    MANAGE,
    MINUTES,
    RSVP,
    SCHEDULE,
)
from gongzhi.deliberation.selectors import topics as selectors
from gongzhi.deliberation.workflow import (
    DECISION_FLOW,
    MEETING_FLOW,
    TOPIC_FLOW,
    DecisionAction,
    DecisionState,
    MeetingAction,
    TopicAction,
)
from gongzhi.registry.models import Estate, Household, Region, RegionKind, phone_validator

# invitee field → (kind, the Invitation's foreign key)
INVITEE_FIELDS: dict[str, tuple[str, str]] = {
    "households": (InviteeKind.HOUSEHOLD, "household"),
    "member_units": (InviteeKind.MEMBER_UNIT, "member_unit"),
    "professional_teams": (InviteeKind.PROFESSIONAL_TEAM, "professional_team"),
    "volunteer_teams": (InviteeKind.VOLUNTEER_TEAM, "volunteer_team"),
    "property_companies": (InviteeKind.PROPERTY_COMPANY, "estate"),
    "owners_committees": (InviteeKind.OWNERS_COMMITTEE, "estate"),
    "people": (InviteeKind.PERSON, "user"),
}
OUTSIDE = {
    "households": gettext_lazy("Some of the chosen households are outside the topic's residential area."),
    "member_units": gettext_lazy("Some of the chosen member units are outside the topic's residential area."),
    "professional_teams": gettext_lazy("Some of the chosen professional teams do not serve the topic's residential area."),
    "volunteer_teams": gettext_lazy("Some of the chosen volunteer teams are outside the topic's residential area."),
    "property_companies": gettext_lazy("Some of the chosen estates are outside the topic's residential area."),
    "owners_committees": gettext_lazy("Some of the chosen estates are outside the topic's residential area."),
    "people": gettext_lazy("Some of the chosen people hold no role in the topic's residential area or its sub-district."),
}




def _find_topic(actor, topic) -> Topic:
    return _find(actor, topic, Topic, selectors.topic, ("area", "grid", "estate"))


def _find_meeting(actor, meeting) -> Meeting:
    return _find(actor, meeting, Meeting, selectors.meeting, ("topic__area", "topic__grid"))


def _authorize(actor, subject, action: str, message: str = "") -> None:
    if not policies.allowed(actor, subject, action):
        raise Forbidden(message or _("You may not do this."))


def _require(actor, subject, action: str, message: str = "") -> None:
    """The right and the state: Forbidden without the right, InvalidTransition when the state does not allow it."""
    _authorize(actor, subject, action)
    if not policies.state_allows(subject, action):
        raise InvalidTransition(message or _("This cannot be done in the current state."))


def _save(obj, actor, reason: str) -> None:
    obj._history_user = user_of(actor)
    obj._change_reason = reason
    obj.save()


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _text(value, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed.on(field, message)
    return value


# --- topics -------------------------------------------------------------------------------------------------

def _region(value, kind: str, field: str) -> Region | None:
    if value in (None, ""):
        return None
    found = Region.objects.filter(pk=_pk(value), kind=kind).first()
    if found is None:
        raise ValidationFailed.on(field, _("Choose a valid option."))
    return found


@transaction.atomic
def create_topic(*, actor, title: str, area, description: str = "", source: str = TopicSource.COUNCIL,
                 estate=None, grid=None, demands=(), hot_issue_key: str = "", proposer_household=None,
                 cosigns_needed: int = 0, now: datetime | None = None) -> Topic:
    """Put a matter to deliberation in a residential area (narrowed to an estate or a grid): from demands in the
    actor's scope, a hot issue, a grid topic, the council, or a residents' proposal that goes to the committee once
    `cosigns_needed` households have co-signed it. Staff create topics within their deliberation.manage scope; a
    pseudo actor (SYSTEM, or SUBMITTER for a proven household's proposal) anywhere."""
    check_actor(actor)
    if is_user(actor):
        require_capability(actor, MANAGE)
    now = _now(now)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Enter a title.")]
    if source not in TopicSource.values:
        errors["source"] = [_("Choose a valid option.")]
    area = _region(area, RegionKind.RESIDENTIAL_AREA, "area")
    if area is None:
        raise ValidationFailed.on("area", _("Choose the residential area."))
    grid = _region(grid, RegionKind.GRID, "grid")
    if grid is not None and grid.parent_id != area.pk:
        errors["grid"] = [_("The grid is not in this residential area.")]
    if estate not in (None, ""):
        estate = Estate.objects.filter(pk=_pk(estate)).first()
        if estate is None or estate.area_id != area.pk:
            errors["estate"] = [_("The estate is not in this residential area.")]
    else:
        estate = None
    if is_user(actor):
        manage = scope_for(actor, MANAGE)
        in_grid = grid is not None and grid.parent_id == area.pk and manage.covers_path(grid.path)
        if not (manage.covers_path(area.path) or in_grid):
            errors["area"] = [_("The residential area is outside your scope.")]
    demand_ids = [_pk(d) for d in demands or ()]
    found = _demands(actor, demand_ids)
    if len(found) != len(set(demand_ids)):
        errors["demands"] = [_("Some of the chosen demands are outside your scope.")]
    if source == TopicSource.DEMANDS and not demand_ids:
        errors.setdefault("demands", []).append(_("Choose the demands the topic comes from."))
    if source == TopicSource.HOT_ISSUE and not (hot_issue_key.strip() or demand_ids):
        errors["hot_issue_key"] = [_("Name the hot issue the topic comes from.")]
    household = None
    if proposer_household not in (None, ""):
        household = Household.objects.select_related("building__region").filter(pk=_pk(proposer_household)).order_by().first()
        if household is None or not _household_in(household, area, estate):
            errors["proposer_household"] = [_("The household is outside the topic's residential area.")]
    if source == TopicSource.RESIDENTS and (cosigns_needed or 0) < 1:
        errors["cosigns_needed"] = [_("A residents' proposal needs at least one co-signing household.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    topic = Topic(title=title[:120], description=(description or "").strip(), source=source, area=area, grid=grid,
                  estate=estate, hot_issue_key=(hot_issue_key or "").strip()[:120], proposer=user_of(actor),
                  proposer_household=household, created_at=now,
                  cosigns_needed=cosigns_needed if source == TopicSource.RESIDENTS else 0)
    _save(topic, actor, "create")
    if found:
        topic.demands.set(found)
    record_creation(topic, TopicAction.PROPOSE, workflow=TOPIC_FLOW, actor=actor, now=now,
                    extra={"source": source, "demands": sorted(d.pk for d in found)})
    return topic


@transaction.atomic
def edit_topic(topic, *, actor, title: str, description: str = "") -> Topic:
    """Correct a topic's title and description while it is discussed (not once it is decided, nor a residents'
    proposal its households have co-signed). The change is kept in the audit history; nothing changed is refused."""
    check_actor(actor)
    found = Topic.objects.select_for_update().get(pk=_find_topic(actor, topic).pk)
    _require(actor, found, policies.EDIT,
             _("A decided topic, or a residents' proposal with co-signatures, keeps its wording."))
    title = _text(title, "title", _("Enter a title."))[:120]
    description = (description or "").strip()
    if (title, description) == (found.title, found.description):
        raise NothingChanged(_("Nothing changed."))
    found.title, found.description = title, description
    _save(found, actor, "edit")
    return found


def _demands(actor, ids) -> list:
    from gongzhi.demands.models import Demand

    if not ids:
        return []
    qs = Demand.objects.all() if not is_user(actor) else scoped(actor, Demand, Capability.VIEW_DEMANDS)
    return list(qs.filter(pk__in=ids))


def _household_in(household: Household, area: Region, estate: Estate | None) -> bool:
    if not household.building.region.path.startswith(area.path):
        return False
    return estate is None or household.building.estate_id == estate.pk


@transaction.atomic
def transition_topic(topic, action: str, *, actor, note: str = "", decision: str = "", outcome: str = "",
                     now: datetime | None = None) -> Topic:
    """One step of the topic's table: accept (a residents' proposal once co-signed), decline (with a reason),
    hear, coordinate (once a hearing is held), decide (the decision's text, once a coordination meeting is held),
    implement, review (the outcome, once the review meeting is held), close."""
    found = _find_topic(actor, topic)

    def prepare(locked: Topic) -> None:
        if reason := policies.why_not(locked, action):
            raise Conflict(reason, code="condition_unmet")
        if action == TopicAction.DECLINE:
            locked.decline_reason = note.strip()
        if action == TopicAction.DECIDE:
            locked.decision = _text(decision or locked.decision, "decision", _("Write down the decision."))
        if action == TopicAction.REVIEW:
            locked.outcome = _text(outcome or locked.outcome, "outcome", _("Write down the outcome of the review."))

    return transition(found.pk, action, workflow=TOPIC_FLOW, actor=actor, note=note, now=now,
                      related=("area", "grid"), prepare=prepare,
                      authorize=lambda locked: _authorize(actor, locked, action,
                                                          _("Only the staff of the topic's area may do this.")))


@transaction.atomic
def cosign_topic(topic, *, household, actor, now: datetime | None = None) -> TopicCosign:
    """A household co-signs a residents' proposal: once per household (a second call returns the first
    co-signature, however concurrent). The household must live in the topic's area (and estate, if it has one).
    Staff record paper co-signatures; the residents' H5 page calls this with SUBMITTER once the household's phone
    is proven."""
    found = _find_topic(actor, topic)
    _authorize(actor, found, COSIGN)
    if not policies.state_allows(found, COSIGN):
        raise InvalidTransition(_("Only a residents' proposal waiting for the committee takes co-signatures."))
    home = Household.objects.select_related("building__region").filter(pk=_pk(household)).order_by().first()
    if home is None or not _household_in(home, found.area, found.estate):
        raise ValidationFailed.on("household", _("The household is outside the topic's residential area."))
    existing = TopicCosign.objects.filter(topic=found, household=home).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return TopicCosign.objects.create(topic=found, household=home, created_at=_now(now))
    except IntegrityError:  # a concurrent co-signature of the same household won
        return TopicCosign.objects.get(topic=found, household=home)


# --- meetings -----------------------------------------------------------------------------------------------

def _check_invitees(topic: Topic, invitees: dict | None, errors: dict) -> dict[str, list]:
    """The invitees (field → instances or pks) as rows, each within what the topic's meetings may invite;
    a field error for each field with one outside."""
    allowed = selectors.invitable(topic)
    rows: dict[str, list] = {}
    for name, values in (invitees or {}).items():
        if name not in INVITEE_FIELDS:
            raise ValidationFailed.on(name, _("Unknown kind of invitee."))
        ids = {_pk(v) for v in values or ()}
        found = list(allowed[name].filter(pk__in=ids)) if ids else []
        if len(found) != len(ids):
            errors[name] = [str(OUTSIDE[name])]
        if name in ("property_companies",) and any(not (e.property_unit_id or e.property_company) for e in found):
            errors.setdefault(name, []).append(_("The estate has no property company on record."))
        rows[name] = found
    return rows


def _invitations(meeting: Meeting, rows: dict[str, list], now) -> list[Invitation]:
    existing = set(meeting.invitations.values_list("key", flat=True))
    made = []
    for name, found in rows.items():
        kind, field = INVITEE_FIELDS[name]
        for obj in found:
            key = f"{kind}:{obj.pk}"
            if key in existing:
                continue
            existing.add(key)
            made.append(Invitation(meeting=meeting, kind=kind, key=key, created_at=now, **{field: obj}))
    from simple_history.utils import bulk_create_with_history

    return bulk_create_with_history(made, Invitation, default_change_reason="invite", default_date=now)


@transaction.atomic
def schedule_meeting(topic, *, actor, kind: str, starts_at: datetime, quorum: int, place=None, title: str = "",
                     ends_at: datetime | None = None, place_note: str = "", convener=None,
                     invitees: dict | None = None, now: datetime | None = None) -> Meeting:
    """Convene one of the topic's meetings (the kinds its state allows) at a service place of its area or
    sub-district, with a quorum and invitees (`INVITEE_FIELDS` → instances or pks, all within the topic's area
    or its sub-district). A time in the past, a place or invitees outside, a convener without a role there: field
    errors, nothing written. The invitees hear of it after commit."""
    found = _find_topic(actor, topic)
    _authorize(actor, found, SCHEDULE, _("Only the staff of the topic's area may convene its meetings."))
    now = _now(now)
    errors: dict[str, list[str]] = {}
    kinds = policies.meeting_kinds(found)
    if kind not in kinds:
        errors["kind"] = [_("A topic in the state “%(state)s” cannot have a meeting of this kind.") % {
            "state": found.get_state_display()}]
    if starts_at is None:
        errors["starts_at"] = [_("Enter the time of the meeting.")]
    elif starts_at < now:
        errors["starts_at"] = [_("The meeting cannot be scheduled in the past.")]
    if ends_at is not None and starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = [_("The end lies before the start.")]
    if quorum is None or quorum < 1:
        errors["quorum"] = [_("The quorum is at least one attendee.")]
    allowed = selectors.invitable(found)
    place_row = allowed["places"].filter(pk=_pk(place)).first() if place not in (None, "") else None
    if place_row is None:
        errors["place"] = [_("Choose a service place of the topic's residential area or its sub-district.")
                           if place not in (None, "") else _("Choose the place.")]
    convener_row = actor if convener in (None, "") and is_user(actor) else (
        allowed["people"].filter(pk=_pk(convener)).first() if convener not in (None, "") else None)
    if convener_row is None:
        errors["convener"] = [_("Choose a convener holding a role in the topic's area or its sub-district.")]
    rows = _check_invitees(found, invitees, errors)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    meeting = Meeting(topic=found, kind=kind, title=(title or "").strip()[:120] or
                      f"{found.title} · {MeetingKind(kind).label}"[:120], starts_at=starts_at, ends_at=ends_at,
                      place=place_row, place_note=(place_note or "").strip()[:120], convener=convener_row,
                      quorum=quorum, created_at=now)
    _save(meeting, actor, "create")
    record_creation(meeting, MeetingAction.SCHEDULE, workflow=MEETING_FLOW, actor=actor, now=now)
    made = _invitations(meeting, rows, now)
    _after_commit(_notify_invited, meeting.pk, [i.pk for i in made], user_of(actor))
    return meeting


@transaction.atomic
def invite(meeting, *, actor, invitees: dict, now: datetime | None = None) -> list[Invitation]:
    """Invite more to a scheduled meeting (those invited already are left as they are); they hear of it after
    commit."""
    found = _find_meeting(actor, meeting)
    _require(actor, found, INVITE, _("Only a scheduled meeting takes invitations."))
    errors: dict[str, list[str]] = {}
    rows = _check_invitees(found.topic, invitees, errors)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    made = _invitations(found, rows, _now(now))
    _after_commit(_notify_invited, found.pk, [i.pk for i in made], user_of(actor))
    return made


@transaction.atomic
def rsvp(invitation, *, actor, answer: str, now: datetime | None = None) -> Invitation:
    """An invitee's reply (yes / no / maybe) to a scheduled meeting: staff running the meeting for an invitee,
    or the invitee through the signed link of their H5 page (SUBMITTER). The same answer again changes nothing."""
    check_actor(actor)
    row = Invitation.objects.select_related("meeting__topic__area", "meeting__topic__grid").filter(
        pk=_pk(invitation)).first()
    if row is None or (is_user(actor) and not selectors.meetings_for(actor).filter(pk=row.meeting_id).exists()):
        raise NotFound(_("Not found."))
    _require(actor, row.meeting, RSVP, _("Replies are closed: the meeting is no longer scheduled."))
    if answer not in (Rsvp.YES, Rsvp.NO, Rsvp.MAYBE):
        raise ValidationFailed.on("answer", _("Answer yes, no or maybe."))
    locked = Invitation.objects.select_for_update().get(pk=row.pk)
    if locked.rsvp == answer:
        return locked
    locked.rsvp, locked.rsvp_at = answer, _now(now)
    _save(locked, actor, "rsvp")
    return locked


def _attendee_key(household, unit, phone: str) -> str:
    if household is not None:
        return f"household:{household.pk}"
    if unit is not None:
        return f"unit:{unit.pk}"
    return f"phone:{crypto.lookup_hash(phone)}"


@transaction.atomic
def check_in(meeting, *, actor, name: str = "", phone: str = "", household=None, member_unit=None,
             now: datetime | None = None) -> tuple[CheckIn, bool]:
    """One attendee at the door of a scheduled meeting: an invited household or unit, or a person by name and
    phone. Returns (the check-in, whether it is new): the same attendee again, however concurrent, gives the first
    check-in back (a unique key per meeting). Staff record it at the desk; the signed link of the door's QR code
    calls this with SUBMITTER."""
    found = _find_meeting(actor, meeting)
    _require(actor, found, CHECK_IN, _("Check-in is closed: the meeting is no longer scheduled."))
    home = unit = invitation = None
    if household not in (None, ""):
        invitation = found.invitations.filter(household_id=_pk(household)).select_related("household").first()
        if invitation is None:
            raise ValidationFailed.on("household", _("This household is not invited to the meeting."))
        home = invitation.household
    elif member_unit not in (None, ""):
        invitation = found.invitations.filter(member_unit_id=_pk(member_unit)).select_related("member_unit").first()
        if invitation is None:
            raise ValidationFailed.on("member_unit", _("This unit is not invited to the meeting."))
        unit = invitation.member_unit
    name, phone = (name or "").strip(), (phone or "").strip()
    if home is None and unit is None:
        errors = {}
        if not name:
            errors["name"] = [_("Enter your name.")]
        try:
            phone_validator(phone)
        except DjangoValidationError:
            errors["phone"] = [_("Enter a valid mobile or landline number.")]
        if errors:
            raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
        if person := found.invitations.filter(user__phone_hash__in=crypto.lookup_hashes(phone)).first():
            invitation = person
    key = _attendee_key(home, unit, phone)
    if existing := CheckIn.objects.filter(meeting=found, attendee_key=key).first():
        return existing, False
    try:
        with transaction.atomic():
            row = CheckIn.objects.create(meeting=found, attendee_key=key, name=name[:40], phone=phone,
                                         household=home, member_unit=unit, invitation=invitation,
                                         recorded_by=user_of(actor), created_at=_now(now))
    except IntegrityError:  # the same attendee checked in concurrently: the first one stands
        return CheckIn.objects.get(meeting=found, attendee_key=key), False
    return row, True


@transaction.atomic
def transition_meeting(meeting, action: str, *, actor, note: str = "", now: datetime | None = None) -> Meeting:
    """Hold (only with its quorum checked in: else a clear refusal, nothing written), publish the minutes (once
    there are some), or cancel (with a reason; the invitees hear of it)."""
    found = _find_meeting(actor, meeting)

    def prepare(locked: Meeting) -> None:
        if reason := policies.why_not(locked, action):
            raise Conflict(reason, code="no_quorum" if action == MeetingAction.HOLD else "condition_unmet")
        if action == MeetingAction.CANCEL:
            locked.cancel_reason = note.strip()

    done = transition(found.pk, action, workflow=MEETING_FLOW, actor=actor, note=note, now=now,
                      related=("topic__area", "topic__grid"), prepare=prepare,
                      authorize=lambda locked: _authorize(actor, locked, action,
                                                          _("Only the convener or the topic's staff may do this.")))
    if action == MeetingAction.CANCEL:
        _after_commit(_notify_cancelled, done.pk, user_of(actor))
    return done


def hold_meeting(meeting, *, actor, now: datetime | None = None) -> Meeting:
    return transition_meeting(meeting, MeetingAction.HOLD, actor=actor, now=now)


def _running(actor, meeting, action: str, message: str) -> Meeting:
    found = _find_meeting(actor, meeting)
    _require(actor, found, action, message)
    return found


@transaction.atomic
def add_minute_entry(meeting, *, actor, speaker: str, view: str, side: str = SpeakerSide.RESIDENT,
                     now: datetime | None = None) -> MinuteEntry:
    """A speaker's view in the minutes of a held meeting."""
    found = _running(actor, meeting, MINUTES, _("Minutes are taken while the meeting is held."))
    errors = {}
    if not (speaker or "").strip():
        errors["speaker"] = [_("Name the speaker.")]
    if not (view or "").strip():
        errors["view"] = [_("Write down the view.")]
    if side not in SpeakerSide.values:
        errors["side"] = [_("Choose a valid option.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    entry = MinuteEntry(meeting=found, speaker=speaker.strip()[:60], side=side, view=view.strip(),
                        recorded_by=user_of(actor), created_at=_now(now))
    _save(entry, actor, "minutes")
    return entry


@transaction.atomic
def write_minutes(meeting, *, actor, minutes: str) -> Meeting:
    """The summary of a held meeting's minutes."""
    found = _running(actor, meeting, MINUTES, _("Minutes are taken while the meeting is held."))
    found.minutes = (minutes or "").strip()
    _save(found, actor, "minutes")
    return found


@transaction.atomic
def record_decision(meeting, *, actor, text: str, owner, deadline: date, now: datetime | None = None) -> Decision:
    """A decision of a held meeting, with its owner (someone holding a role in the topic's area or its
    sub-district) and its deadline (today or later)."""
    found = _running(actor, meeting, MINUTES, _("Decisions are recorded while the meeting is held."))
    now = _now(now)
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_("Write down the decision.")]
    owner_row = selectors.invitable(found.topic)["people"].filter(pk=_pk(owner)).first() if owner else None
    if owner_row is None:
        errors["owner"] = [_("Choose an owner holding a role in the topic's area or its sub-district.")]
    if deadline is None:
        errors["deadline"] = [_("Enter the deadline.")]
    elif deadline < timezone.localdate(now):
        errors["deadline"] = [_("The deadline lies in the past.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    decision = Decision(meeting=found, text=text.strip(), owner=owner_row, deadline=deadline, created_at=now)
    _save(decision, actor, "create")
    record_creation(decision, DecisionAction.RECORD, workflow=DECISION_FLOW, actor=actor, now=now)
    _after_commit(_notify_owner, decision.pk, user_of(actor))
    return decision


@transaction.atomic
def transition_decision(decision, action: str, *, actor, note: str = "", outcome: str = "",
                        now: datetime | None = None) -> Decision:
    """Mark a decision done (its owner or the meeting's runners; the outcome optional) or reopen it (the
    runners, with a reason)."""
    check_actor(actor)
    found = _find(actor, decision, Decision, selectors.decision, ("meeting__topic__area",))
    now = _now(now)

    def prepare(locked: Decision) -> None:
        if action == DecisionAction.COMPLETE:
            locked.done_at = now
            if outcome.strip():
                locked.outcome = outcome.strip()
        elif action == DecisionAction.REOPEN:
            locked.done_at = None

    return transition(found.pk, action, workflow=DECISION_FLOW, actor=actor, note=note, now=now,
                      related=("meeting__topic__area", "meeting__topic__grid"), prepare=prepare,
                      authorize=lambda locked: _authorize(actor, locked, action))




@transaction.atomic
def add_attachment(meeting, *, actor, upload, now: datetime | None = None) -> MeetingAttachment:
    """A photo or a document of a held meeting, checked by its content and stored under a random name (the name
    given is kept for display and download)."""
    found = _running(actor, meeting, ATTACH, _("Photos and documents are added once the meeting is held."))
    try:
        kind = media.validate_attachment(upload)
    except forms.ValidationError as e:
        raise ValidationFailed(e.messages[0], field_errors={"file": e.messages}) from None
    given = upload.name
    upload.name = f"upload.{kind.ext}"
    row = MeetingAttachment(meeting=found, file=upload, name=given[:120], is_photo=kind.is_image,
                            uploaded_by=user_of(actor), created_at=_now(now))
    _save(row, actor, "attach")
    return row


# --- notifications (after commit) ---------------------------------------------------------------------------

def _after_commit(fn, *args) -> None:
    """`fn(*args)` once the transaction commits (never after a rollback); a failure is logged, not raised."""
    def run():
        fn(*args)

    run.__qualname__ = fn.__qualname__
    transaction.on_commit(run, robust=True)


def _when(meeting: Meeting) -> str:
    return f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"


def _where(meeting: Meeting) -> str:
    return " ".join(x for x in (meeting.place.name if meeting.place_id else "", meeting.place_note) if x)


def _notify_invited(meeting_pk: int, invitation_pks: list[int], actor=None) -> None:
    """Invited people and the liaisons of invited units hear of it in their inbox (the link: the meeting's page
    when they may see it, else their invitation's H5 page); invited households by SMS with their reply link. The
    convener hears of it too, when someone else convened them. A meeting begun by then is not announced (a past
    meeting entered afterwards, as the demo does)."""
    from gongzhi.demands.notify import notify_users, send_sms

    meeting = Meeting.objects.select_related("place", "topic__area", "convener").get(pk=meeting_pk)
    if meeting.starts_at < timezone.now():  # begun by the time it committed (a record entered afterwards)
        return
    invitations = list(Invitation.objects.filter(pk__in=invitation_pks).select_related(
        "household", "user", "estate", "member_unit"))
    text = _("You are invited to the meeting “%(title)s” on %(time)s at %(place)s.") % {
        "title": meeting.title, "time": _when(meeting), "place": _where(meeting)}
    units: dict[int, Invitation] = {}
    for inv in invitations:
        if inv.user_id:
            notify_users([inv.user], None, text, link=selectors.link_for(inv.user, meeting, inv))
        unit_id = inv.member_unit_id or (inv.estate.property_unit_id if inv.kind == InviteeKind.PROPERTY_COMPANY
                                         and inv.estate_id else None)
        if unit_id:
            units[unit_id] = inv
    for unit_id, inv in units.items():
        for liaison in selectors.unit_liaisons([unit_id]):
            notify_users([liaison], None, text, link=selectors.link_for(liaison, meeting, inv))
    if invitation_pks and meeting.convener_id and meeting.convener != actor:
        notify_users([meeting.convener], None, _("You convene the meeting “%(title)s” on %(time)s at %(place)s.") % {
            "title": meeting.title, "time": _when(meeting), "place": _where(meeting)},
            link=selectors.link_for(meeting.convener, meeting))
    public = getattr(settings, "GONGZHI_PUBLIC_URL", "").rstrip("/")
    for inv in invitations:
        if inv.household_id and inv.household.phone:
            send_sms([inv.household.phone], _("[Gongzhi] %(text)s Reply: %(link)s") % {
                "text": text, "link": public + selectors.h5_link(inv)})


def _notify_cancelled(meeting_pk: int, actor=None) -> None:
    from gongzhi.demands.notify import notify_users, send_sms

    meeting = Meeting.objects.select_related("place").get(pk=meeting_pk)
    text = _("The meeting “%(title)s” on %(time)s is cancelled: %(reason)s") % {
        "title": meeting.title, "time": _when(meeting), "reason": meeting.cancel_reason}
    invitations = list(meeting.invitations.select_related("household", "user", "estate"))
    people = [i.user for i in invitations if i.user_id]
    unit_ids = [i.member_unit_id for i in invitations if i.member_unit_id]
    unit_ids += [i.estate.property_unit_id for i in invitations
                 if i.kind == InviteeKind.PROPERTY_COMPANY and i.estate_id and i.estate.property_unit_id]
    for user in [*people, *selectors.unit_liaisons(unit_ids)]:
        if user != actor:
            notify_users([user], None, text, link=selectors.link_for(user, meeting))
    send_sms([i.household.phone for i in invitations if i.household_id and i.household.phone],
             _("[Gongzhi] %(text)s") % {"text": text})


def _notify_owner(decision_pk: int, actor=None) -> None:
    from gongzhi.demands.notify import notify_users

    decision = Decision.objects.select_related("owner", "meeting").get(pk=decision_pk)
    if decision.owner == actor or decision.state == DecisionState.DONE:  # nothing left to tell
        return
    notify_users([decision.owner], None, _("A decision of “%(title)s” is yours, due %(date)s: %(text)s") % {
        "title": decision.meeting.title, "date": f"{decision.deadline:%Y-%m-%d}", "text": decision.text[:120]},
        link=selectors.link_for(decision.owner, decision.meeting))
