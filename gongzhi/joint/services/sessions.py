"""Writes of the sessions part: sessions of a platform (plan, hold, minutes, cancel), their agenda (referred
demands, open needs and unclaimed resources of matching campaigns, co-building projects awaiting a decision, free
items), attendance signed in at the desk, decisions with an owner unit and a deadline tracked to done, and the
reminders when a decision falls due. Referring a demand to a platform puts it on the next session's agenda; a
decision on it hands it to the owner unit, and its resolution completes the decision."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.selectors import unit_staff
from gongzhi.core import workflow
from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM, pk_of
from gongzhi.demands import services as demand_services
from gongzhi.joint.models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    Decision,
    Platform,
    PlatformLevel,
    Session,
)
from gongzhi.joint.policies import sessions as policies
from gongzhi.joint.workflow import (
    DECISION_FLOW,
    DECISION_OPEN_STATES,
    SESSION_FLOW,
    DecisionAction,
    DecisionState,
    SessionAction,
    SessionState,
)
from gongzhi.matching.models import Need, Project, Resource
from gongzhi.matching.workflow import LIVE_STATES, NeedStatus, ProjectState, ResourceStatus
from gongzhi.registry.models import MemberUnit, MemberUnitKind, PartyOrg, Region, RegionKind

DUE_DAYS_AHEAD = 3  # a decision's owner hears of it this many days before its deadline (and once past it)


def next_session(platform, now: datetime | None = None) -> Session | None:
    """The platform's next planned session (the earliest one not yet past), where new items go."""
    return (Session.objects.filter(platform_id=pk_of(platform), state=SessionState.PLANNED,
                                   starts_at__gte=now or timezone.now()).order_by("starts_at", "id").first())


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed.on(field, message)


def _check_fields(**required) -> None:
    """ValidationFailed naming every required field left blank."""
    missing = {name: [_("This field is required.")] for name, value in required.items()
               if value is None or (isinstance(value, str) and not value.strip())}
    if missing:
        raise ValidationFailed(_("Some fields need your attention."), field_errors=missing)


def _platform_for(actor, platform_id) -> Platform:
    platform = Platform.objects.select_related("region").filter(pk=pk_of(platform_id), is_active=True).first()
    if platform is None or not policies.sees_platform(actor, platform):
        raise _invalid("platform", _("Choose a joint-meeting platform."))
    return platform


def _session(actor, session, action: str) -> Session:
    """The session locked, refused unless the actor may take `action` on it now."""
    obj = Session.objects.select_for_update(of=("self",)).select_related("platform__region").filter(
        pk=pk_of(session)).first()
    if obj is None or not policies.sees_platform(actor, obj.platform):
        raise NotFound()
    if not policies.manages(actor, obj.platform):
        raise Forbidden()
    if not policies.session_state_allows(obj, action):
        raise Conflict(_("This session is “%(state)s”: this is not possible now.") % {
            "state": obj.get_state_display()})
    return obj


def default_platform(region, *, actor) -> Platform:
    """The sub-district's joint meeting (its first active one), opened when it has none yet (the demo and the test
    fixtures use it when the platforms part made none)."""
    with transaction.atomic():
        found = Platform.objects.filter(region=region, level=PlatformLevel.SUBDISTRICT, is_active=True).order_by(
            "pk").first()
        if found is not None:
            return found
        if region.kind != RegionKind.SUBDISTRICT:
            raise _invalid("region", _("Choose a sub-district."))
        platform = Platform(name=_("%(region)s joint meeting") % {"region": region.name}, region=region,
                            level=PlatformLevel.SUBDISTRICT, founded_on=timezone.localdate())
        platform._history_user = workflow.user_of(actor)
        platform.save()
        return platform


# --- sessions ------------------------------------------------------------------------------------------------

def plan_session(platform, *, actor, title: str, starts_at: datetime | None, place: str, note: str = "",
                 now: datetime | None = None) -> Session:
    """Plan a session of the platform; the items waiting on the platform (referred demands with no session yet)
    join its agenda."""
    workflow.check_actor(actor)
    _check_fields(title=title, starts_at=starts_at, place=place)
    with transaction.atomic():
        platform = _platform_for(actor, platform)
        if not policies.manages(actor, platform):
            raise Forbidden()
        session = Session(platform=platform, title=title.strip()[:120], starts_at=starts_at,
                          place=place.strip()[:120], convened_by=workflow.user_of(actor),
                          created_at=now or timezone.now())
        session._history_user = workflow.user_of(actor)
        session.save()
        workflow.record_creation(session, SessionAction.PLAN, workflow=SESSION_FLOW, actor=actor, note=note, now=now)
        waiting = AgendaItem.objects.filter(platform=platform, session__isnull=True)
        if starts_at >= (now or timezone.now()):
            for item in waiting.select_for_update():
                item.session = session
                item._history_user = workflow.user_of(actor)
                item.save(update_fields=["session"])
        return session


def hold_session(session, *, actor, note: str = "", now: datetime | None = None) -> Session:
    with transaction.atomic():
        obj = _session(actor, session, SessionAction.HOLD)
        return workflow.transition(obj, SessionAction.HOLD, workflow=SESSION_FLOW, actor=actor, note=note, now=now)


def save_minutes(session, *, actor, minutes: str) -> Session:
    """Write the minutes of a held session (they may be rewritten until they are published)."""
    with transaction.atomic():
        obj = _session(actor, session, policies.MINUTES)
        obj.minutes = (minutes or "").strip()
        obj._history_user = workflow.user_of(actor)
        obj.save(update_fields=["minutes"])
        return obj


def publish_minutes(session, *, actor, minutes: str | None = None, now: datetime | None = None) -> Session:
    """Publish the minutes of a held session (the text given, or the one saved)."""
    with transaction.atomic():
        obj = _session(actor, session, SessionAction.PUBLISH_MINUTES)
        text = (minutes if minutes is not None else obj.minutes or "").strip()
        if not text:
            raise _invalid("minutes", _("Write the minutes first."))
        return workflow.transition(obj, SessionAction.PUBLISH_MINUTES, workflow=SESSION_FLOW, actor=actor,
                                   minutes=text, now=now)


def cancel_session(session, *, actor, reason: str) -> Session:
    """Cancel a planned session: its agenda items wait on the platform again (and join the next planned session,
    if there is one)."""
    with transaction.atomic():
        obj = _session(actor, session, SessionAction.CANCEL)
        obj = workflow.transition(obj, SessionAction.CANCEL, workflow=SESSION_FLOW, actor=actor, note=reason)
        later = next_session(obj.platform)
        for item in AgendaItem.objects.select_for_update().filter(session=obj):
            item.session = later
            item._history_user = workflow.user_of(actor)
            item.save(update_fields=["session"])
        return obj


# --- agenda --------------------------------------------------------------------------------------------------

def in_region_q(platform, lookup: str) -> Q:
    return Q(**{f"{lookup}__startswith": platform.region.path})


def agenda_needs(platform):
    """Open needs of the matching campaigns in the platform's region."""
    return Need.objects.filter(in_region_q(platform, "campaign__subdistrict__path"), in_region_q(platform, "place__path"),
                               status=NeedStatus.OPEN)


def agenda_resources(platform):
    """Open resources of the campaigns in the platform's region that no live project has claimed."""
    return (Resource.objects.filter(in_region_q(platform, "campaign__subdistrict__path"), status=ResourceStatus.OPEN)
            .exclude(projects__state__in=LIVE_STATES))


def agenda_projects(platform):
    """Co-building projects of the platform's region waiting on a decision (proposed)."""
    return Project.objects.filter(in_region_q(platform, "need__place__path"), state=ProjectState.PROPOSED)


SUBJECTS = {
    AgendaKind.NEED: ("need", agenda_needs),
    AgendaKind.RESOURCE: ("resource", agenda_resources),
    AgendaKind.PROJECT: ("project", agenda_projects),
}


def add_agenda_item(session, *, actor, kind: str, title: str = "", note: str = "", need=None, resource=None,
                    project=None) -> AgendaItem:
    """Put an item on a planned or held session's agenda: an open need, an unclaimed resource or a project awaiting
    a decision of the platform's region (another region's → a field error), or a free item with its title.
    Referred demands come by referral only (`refer_to_platform`)."""
    workflow.check_actor(actor)
    given = {"need": need, "resource": resource, "project": project}
    with transaction.atomic():
        obj = _session(actor, session, policies.AGENDA)
        if kind not in (AgendaKind.NEED, AgendaKind.RESOURCE, AgendaKind.PROJECT, AgendaKind.FREE):
            raise _invalid("kind", _("Choose the kind of item."))
        subject = None
        if kind == AgendaKind.FREE:
            _check_fields(title=title)
        else:
            field, candidates = SUBJECTS[kind]
            if given[field] in (None, ""):
                raise _invalid(field, _("This field is required."))
            model = candidates(obj.platform).model
            subject = model.objects.filter(pk=pk_of(given[field])).first()
            if subject is None:
                raise _invalid(field, _("Choose an item from the list."))
            if not candidates(obj.platform).filter(pk=subject.pk).exists():
                raise _invalid(field, _("This item is outside the platform's region, or no longer waits for a "
                                        "decision."))
            if obj.agenda_items.filter(**{field: subject}).exists():
                raise _invalid(field, _("This item is already on the agenda."))
            given = {field: subject}
        last = obj.agenda_items.order_by("-position").values_list("position", flat=True).first() or 0
        item = AgendaItem(platform=obj.platform, session=obj, kind=kind,
                          title=(title.strip() or str(subject))[:200], note=(note or "").strip(), position=last + 1,
                          added_by=workflow.user_of(actor), **({} if subject is None else given))
        item._history_user = workflow.user_of(actor)
        item.save()
        return item


def refer_to_platform(demand, *, actor, platform_id: int, note: str, now: datetime | None = None) -> AgendaItem:
    """A sub-district leader refers a demand to a joint-meeting platform: the demand goes to level 3 (refused to
    anyone without the sub-district leader's right, see `demands.services.refer_demand`) and becomes an agenda item
    of the platform's next planned session, or waits on the platform until the next session is planned."""
    with transaction.atomic():
        demand = demand_services.refer_demand(demand, actor=actor, note=note, now=now)
        platform = Platform.objects.filter(pk=platform_id, is_active=True).select_related("region").first()
        if platform is None:
            raise ValidationFailed.on("platform", _("Choose a joint-meeting platform."))
        # the platform must cover the demand's sub-district: its own, or the district above it
        if not demand.region.path.startswith(platform.region.path):
            raise ValidationFailed.on("platform", _("This platform does not cover the demand's sub-district."))
        last = AgendaItem.objects.filter(platform=platform).order_by("-position").values_list(
            "position", flat=True).first() or 0
        return AgendaItem.objects.create(
            platform=platform, session=next_session(platform, now), kind=AgendaKind.DEMAND, demand=demand,
            title=f"{demand.tracking_code} {demand.title}"[:200], note=note, added_by=workflow.user_of(actor),
            position=last + 1, created_at=now or timezone.now())


# --- attendance ----------------------------------------------------------------------------------------------

def sign_in(session, *, actor, member_unit=None, party_org=None, area=None, person_name: str = "",
            now: datetime | None = None) -> Attendance:
    """Sign an attendee in at the desk: a member unit's, a party organization's or a residential area's
    representative (the name optional), or a named guest. Each unit, organization and area signs in once
    (a second sign-in, even at the same moment, is refused)."""
    workflow.check_actor(actor)
    person_name = (person_name or "").strip()[:40]
    chosen = {k: v for k, v in (("member_unit", member_unit), ("party_org", party_org), ("area", area))
              if v not in (None, "")}
    if len(chosen) > 1:
        raise ValidationFailed(_("Sign in one unit, organization or area at a time."),
                               field_errors={k: [_("Choose only one.")] for k in chosen})
    if not chosen and not person_name:
        raise _invalid("person_name", _("Choose who signs in, or give a guest's name."))
    with transaction.atomic():
        obj = _session(actor, session, policies.SIGN_IN)
        values = {}
        for field, value in chosen.items():
            model, rule = {"member_unit": (MemberUnit, _unit_signs_in), "party_org": (PartyOrg, _org_signs_in),
                           "area": (Region, _area_signs_in)}[field]
            row = model.objects.filter(pk=pk_of(value)).first()
            if row is None or not rule(obj.platform, row):
                raise _invalid(field, _("Choose one of the platform's region."))
            if obj.attendances.filter(**{field: row}).exists():
                raise _invalid(field, _("Already signed in."))
            values[field] = row
        attendance = Attendance(session=obj, person_name=person_name, signed_at=now or timezone.now(),
                                recorded_by=workflow.user_of(actor), **values)
        attendance._history_user = workflow.user_of(actor)
        try:
            with transaction.atomic():
                attendance.save()
        except IntegrityError:  # signed in meanwhile (the unique constraint decides)
            raise _invalid(next(iter(values), "person_name"), _("Already signed in."))
        return attendance


def _unit_signs_in(platform, unit) -> bool:
    return unit.region.path.startswith(platform.region.path) or platform.region.path.startswith(unit.region.path)


def _org_signs_in(platform, org) -> bool:
    return org.region.path.startswith(platform.region.path)


def _area_signs_in(platform, area) -> bool:
    return area.kind == RegionKind.RESIDENTIAL_AREA and area.path.startswith(platform.region.path)


# --- decisions -----------------------------------------------------------------------------------------------

def owner_units(platform):
    """The units a platform's decision may be given to: units of its region, and the government departments of
    the regions above it (a sub-district meeting gives work to a district department)."""
    path = platform.region.path
    above = [path[:i + 1] for i, c in enumerate(path) if c == "/" and 0 < i < len(path) - 1]  # "/1/4/" → "/1/"
    return MemberUnit.objects.filter(
        Q(region__path__startswith=path) | Q(kind=MemberUnitKind.GOVERNMENT_DEPARTMENT, region__path__in=above))


def record_decision(session, *, actor, text: str, owner_unit, deadline: date | None, agenda_item=None,
                    now: datetime | None = None) -> Decision:
    """A held session decides: what, which unit owns it, by when. A decision on a referred demand hands the demand
    to the owner unit in the same transaction (its staff then claim and resolve it)."""
    workflow.check_actor(actor)
    _check_fields(text=text, owner_unit=owner_unit, deadline=deadline)
    with transaction.atomic():
        obj = _session(actor, session, policies.DECIDE)
        unit = owner_units(obj.platform).filter(pk=pk_of(owner_unit)).first()
        if unit is None:
            raise _invalid("owner_unit", _("Choose a unit of the platform's region or a district department."))
        item = None
        if agenda_item not in (None, ""):
            item = obj.agenda_items.select_related("demand").filter(pk=pk_of(agenda_item)).first()
            if item is None:
                raise _invalid("agenda_item", _("Choose an item of this session's agenda."))
        today = timezone.localdate(now) if now else timezone.localdate()
        if deadline < obj.starts_at.date() and deadline < today:
            raise _invalid("deadline", _("The deadline cannot be before the session."))
        decision = Decision(session=obj, agenda_item=item, text=text.strip(), owner_unit=unit, deadline=deadline,
                            created_at=now or timezone.now())
        decision._history_user = workflow.user_of(actor)
        decision.save()
        workflow.record_creation(decision, DecisionAction.DECIDE, workflow=DECISION_FLOW, actor=actor,
                                 note=decision.text[:200], extra={"owner_unit": unit.pk}, now=now)
        if item is not None and item.kind == AgendaKind.DEMAND:
            if item.decisions.filter(state__in=DECISION_OPEN_STATES).exclude(pk=decision.pk).exists():
                raise _invalid("agenda_item", _("An open decision already handles this demand."))
            demand_services.hand_to_unit(item.demand, actor=actor, unit=unit, note=decision.text, now=now)
        return decision


def _decision_action(decision, action: str, *, actor, note: str = "", now: datetime | None = None,
                     **changes) -> Decision:
    workflow.check_actor(actor)

    def authorize(d: Decision) -> None:
        if actor is SYSTEM:
            return
        if not (policies.sees_platform(actor, d.session.platform) or policies.owns(actor, d)):
            raise NotFound()
        if not policies.has_decision_right(actor, d, action):
            raise Forbidden()
        if action == DecisionAction.COMPLETE and policies.handed_demand(d):
            raise Conflict(_("This decision is done when the demand it handed over is resolved."))

    return workflow.transition(decision, action, workflow=DECISION_FLOW, actor=actor, note=note, authorize=authorize,
                               related=("session__platform__region", "agenda_item"), now=now, **changes)


def start_decision(decision, *, actor, note: str = "", now: datetime | None = None) -> Decision:
    return _decision_action(decision, DecisionAction.START, actor=actor, note=note, now=now)


def complete_decision(decision, *, actor, outcome: str, now: datetime | None = None) -> Decision:
    if not (outcome or "").strip():
        raise _invalid("outcome", _("Describe the outcome."))
    return _decision_action(decision, DecisionAction.COMPLETE, actor=actor, note=outcome, now=now,
                            outcome=outcome.strip())


def cancel_decision(decision, *, actor, reason: str, now: datetime | None = None) -> Decision:
    return _decision_action(decision, DecisionAction.CANCEL, actor=actor, note=reason, now=now)


def complete_decisions_for_demand(demand, *, note: str = "") -> list[int]:
    """The open decisions that handed `demand` to their owner unit are done once the demand is resolved (the
    system completes them; the outcome is the demand's resolution). Returns their ids."""
    ids = list(Decision.objects.filter(agenda_item__demand_id=pk_of(demand), state__in=DECISION_OPEN_STATES)
               .values_list("pk", flat=True))
    done = []
    for pk in ids:
        try:
            workflow.transition(pk, DecisionAction.COMPLETE, workflow=DECISION_FLOW, actor=SYSTEM,
                                note=note or _("The demand was resolved."),
                                prepare=lambda d: setattr(d, "outcome", d.outcome or demand.resolution))
        except NotFound:
            continue
        done.append(pk)
    return done


# --- reminders -----------------------------------------------------------------------------------------------

def decision_recipients(decision) -> list:
    """Who hears that a decision falls due: the owner unit's staff (their role assignments at the unit) and the
    session's convener."""
    users = unit_staff(decision.owner_unit_id)
    convener = decision.session.convened_by
    if convener is not None and convener.is_active and convener.pk not in {u.pk for u in users}:
        users.append(convener)
    return users


def notify_due_decisions(*, today: date | None = None, days_ahead: int = DUE_DAYS_AHEAD) -> list[int]:
    """The daily job: the owner unit's staff and the convener hear of each open decision due within `days_ahead`
    days (or past due), at most once a day (`due_notified_on`). Returns the decisions reminded."""
    from gongzhi.demands.notify import notify_users

    today = today or timezone.localdate()
    rows = (Decision.objects.filter(state__in=DECISION_OPEN_STATES, deadline__lte=today + timedelta(days=days_ahead))
            .filter(Q(due_notified_on__isnull=True) | Q(due_notified_on__lt=today))
            .select_related("session__convened_by", "owner_unit").order_by("deadline", "pk"))
    reminded = []
    for row in rows:
        with transaction.atomic():
            if not Decision.objects.filter(pk=row.pk).filter(
                    Q(due_notified_on__isnull=True) | Q(due_notified_on__lt=today)).update(due_notified_on=today):
                continue  # reminded meanwhile
            text = (_("Decision “%(text)s” of %(unit)s was due on %(date)s.") if row.deadline < today
                    else _("Decision “%(text)s” of %(unit)s is due on %(date)s.")) % {
                "text": row.text[:60], "unit": row.owner_unit.name, "date": f"{row.deadline:%Y-%m-%d}"}
            link = reverse("joint:sessions_decision", args=[row.pk])
            staff = decision_recipients(row)
            transaction.on_commit(lambda s=staff, t=text, u=link: notify_users(s, None, t, link=u), robust=True)
        reminded.append(row.pk)
    return reminded


def date_demands_from_timeline(demand_ids) -> None:
    """Backdated referrals and hand-offs (the demo street, a migration from an earlier system) date each demand's
    last change from its timeline, as the demands' own import does: `updated_at` (auto_now) stamps the real
    clock otherwise."""
    from django.db.models import Max, OuterRef, Subquery

    from gongzhi.demands.models import Demand, DemandTransition

    with transaction.atomic():
        last = DemandTransition.objects.filter(demand=OuterRef("pk")).values("demand").annotate(t=Max("created_at"))
        Demand.objects.filter(pk__in=list(demand_ids)).update(updated_at=Subquery(last.values("t")))


# --- corrections and Excel imports ---------------------------------------------------------------------------

SESSION_EDITABLE_STATES = frozenset({SessionState.PLANNED, SessionState.HELD})


def revise_session(session, *, actor, title: str, place: str) -> Session:
    """Correct a session's title or place while it is planned or held (not after its minutes are published)."""
    workflow.check_actor(actor)
    _check_fields(title=title, place=place)
    with transaction.atomic():
        obj = _session(actor, session, policies.AGENDA)
        if obj.state not in SESSION_EDITABLE_STATES:
            raise Conflict(_("This session is “%(state)s”: this is not possible now.") % {
                "state": obj.get_state_display()})
        obj.title, obj.place = title.strip()[:120], place.strip()[:120]
        obj._history_user = workflow.user_of(actor)
        obj.save(update_fields=["title", "place"])
        return obj


def revise_decision(decision, *, actor, text: str, deadline: date | None) -> Decision:
    """Correct an open decision's wording or deadline (the session's managers; once work on it has started it is
    changed only through its workflow)."""
    workflow.check_actor(actor)
    _check_fields(text=text, deadline=deadline)
    with transaction.atomic():
        obj = Decision.objects.select_for_update(of=("self",)).select_related("session__platform__region").filter(
            pk=pk_of(decision)).first()
        if obj is None or not policies.sees_platform(actor, obj.session.platform):
            raise NotFound()
        if not policies.manages(actor, obj.session.platform):
            raise Forbidden()
        if obj.state != DecisionState.OPEN:
            raise Conflict(_("Only an open decision can be corrected."))
        obj.text, obj.deadline = text.strip(), deadline
        obj._history_user = workflow.user_of(actor)
        obj.save(update_fields=["text", "deadline"])
        return obj


@transaction.atomic
def import_sessions(new: list[dict], revised: list[dict], *, actor) -> None:
    """The rows of a checked sessions file (gongzhi.joint.excel_sessions), in one transaction: new sessions are
    planned as on the page; existing ones get their corrected title and place, and the minutes of a held one."""
    for row in new:
        plan_session(row["platform"], actor=actor, title=row["title"], starts_at=row["starts_at"],
                     place=row["place"], note=_("Imported from Excel."))
    for row in revised:
        session = row["session"]
        if (row["title"], row["place"]) != (session.title, session.place):
            revise_session(session, actor=actor, title=row["title"], place=row["place"])
        if row["minutes"] != session.minutes:
            save_minutes(session, actor=actor, minutes=row["minutes"])


@transaction.atomic
def import_decisions(new: list[dict], revised: list[dict], *, actor) -> None:
    """The rows of a checked decisions file, in one transaction: new decisions recorded as at a held session;
    existing open ones get their corrected wording and deadline."""
    for row in new:
        record_decision(row["session"], actor=actor, text=row["text"], owner_unit=row["owner_unit"],
                        deadline=row["deadline"])
    for row in revised:
        revise_decision(row["decision"], actor=actor, text=row["text"], deadline=row["deadline"])
