"""Scoped reads of topics, meetings and decisions (capability ``deliberation.view``), what a meeting may invite,
the workbench cards, and the signed links of the door (check-in) and of an invitee's H5 page.

Visibility: a topic, its meetings and everything in them are seen by the staff whose scope covers the topic's
residential area or its grid. Out of scope is NotFound, exactly like missing.

What a topic's meeting may use or invite (`invitable`) lies in the topic's residential area or above it in its
sub-district (the sub-district's service centre, its professional teams, its member units): never in another
area or another sub-district.
"""

from __future__ import annotations

from django.core import signing
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import RoleAssignment, User
from gongzhi.accounts.roles import Capability, Role
from gongzhi.accounts.scope import has_capability, require_capability, scoped
from gongzhi.core.errors import BadParameter, NotFound, int_param
from gongzhi.deliberation.models import (
    Decision,
    Invitation,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    Topic,
    TopicSource,
)
from gongzhi.deliberation.policies.topics import MANAGE, VIEW
from gongzhi.deliberation.workflow import DecisionState, MeetingState, TopicState
from gongzhi.registry.models import (
    Estate,
    Household,
    MemberUnit,
    ProfessionalTeam,
    Region,
    RegionKind,
    ServicePlace,
    VolunteerTeam,
)

CARD_ITEMS = 5
CHECKIN_SALT = "gongzhi.deliberation.checkin"
INVITATION_SALT = "gongzhi.deliberation.invitation"


# --- topics, meetings, decisions ----------------------------------------------------------------------------

def topics_for(user, capability: str = VIEW):
    return scoped(user, Topic.objects.select_related("area", "grid", "estate"), capability)


def meetings_for(user, capability: str = VIEW):
    return scoped(user, Meeting.objects.select_related("topic__area", "topic__grid", "place", "convener"),
                  capability)


def decisions_for(user, capability: str = VIEW):
    return scoped(user, Decision.objects.select_related("meeting__topic__area", "meeting__topic__grid", "owner"),
                  capability)


def _one(qs, pk, user):
    require_capability(user, VIEW)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Not found."))
    return obj


def topic(user, pk: int) -> Topic:
    return _one(topics_for(user), pk, user)


def meeting(user, pk: int) -> Meeting:
    return _one(meetings_for(user), pk, user)


def decision(user, pk: int) -> Decision:
    return _one(decisions_for(user), pk, user)


def _pk_param(params, name: str):
    return int_param(params, name, minimum=1)


def _choice_param(params, name: str, choices) -> str:
    value = (params.get(name) or "").strip()
    if value and value not in choices:
        raise BadParameter(name)
    return value


def filter_topics(qs, params):
    """A topic list narrowed as on its page (and its export): ``q`` in title or description, ``state``,
    ``source``, ``area`` (a residential area's id)."""
    if q := (params.get("q") or "").strip()[:100]:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if state := _choice_param(params, "state", TopicState.values):
        qs = qs.filter(state=state)
    if source := _choice_param(params, "source", TopicSource.values):
        qs = qs.filter(source=source)
    if area := _pk_param(params, "area"):
        qs = qs.filter(area_id=area)
    if params.get("open") == "1":
        qs = qs.exclude(state__in=(TopicState.CLOSED, TopicState.DECLINED))
    return qs


def my_meetings_q(user) -> Q:
    """Meetings the user convenes or is invited to (in person, or through the member unit they are liaison of)."""
    units = RoleAssignment.objects.filter(user=user, role=Role.UNIT_LIAISON, member_unit__isnull=False)
    return (Q(convener=user) | Q(invitations__user=user)
            | Q(invitations__member_unit__in=units.values("member_unit")))


def filter_meetings(qs, params, user=None):
    """``q`` in the title or the topic's title, ``kind``, ``state``, ``topic``, ``mine=1`` (convened or invited
    to), ``upcoming=1``."""
    if q := (params.get("q") or "").strip()[:100]:
        qs = qs.filter(Q(title__icontains=q) | Q(topic__title__icontains=q))
    if kind := _choice_param(params, "kind", MeetingKind.values):
        qs = qs.filter(kind=kind)
    if state := _choice_param(params, "state", MeetingState.values):
        qs = qs.filter(state=state)
    if topic_pk := _pk_param(params, "topic"):
        qs = qs.filter(topic_id=topic_pk)
    if params.get("mine") == "1" and user is not None:
        qs = qs.filter(pk__in=Meeting.objects.filter(my_meetings_q(user)).values("pk"))
    if params.get("upcoming") == "1":
        qs = qs.filter(state=MeetingState.SCHEDULED)
    return qs


def filter_decisions(qs, params, user=None, today=None):
    """``q`` in the text, ``state``, ``overdue=1`` (open past the deadline), ``mine=1`` (owned by the user)."""
    if q := (params.get("q") or "").strip()[:100]:
        qs = qs.filter(Q(text__icontains=q) | Q(meeting__topic__title__icontains=q))
    if state := _choice_param(params, "state", DecisionState.values):
        qs = qs.filter(state=state)
    if params.get("overdue") == "1":
        qs = qs.filter(overdue_q(today))
    if params.get("mine") == "1" and user is not None:
        qs = qs.filter(owner=user)
    return qs


def overdue_q(today=None) -> Q:
    return Q(state=DecisionState.OPEN, deadline__lt=today or timezone.localdate())


def log(subject):
    """The transition log of a topic, meeting or decision (the caller has checked it may see it)."""
    return subject.transitions.select_related("actor")


def topic_decisions(topic_: Topic):
    return Decision.objects.filter(meeting__topic=topic_).select_related("owner", "meeting")


def attendance(meeting_: Meeting) -> int:
    return meeting_.checkins.count()


def with_attendance(qs):
    """Meetings with their attendance, invitees and those who said yes."""
    return qs.annotate(attendance_count=Count("checkins", distinct=True),
                       invited_count=Count("invitations", distinct=True),
                       yes_count=Count("invitations", filter=Q(invitations__rsvp="yes"), distinct=True))


# --- what a meeting may use and invite ----------------------------------------------------------------------

def _related_q(area: Region, field: str) -> Q:
    """Rows whose region (through `field`) lies in the area, or is the area's sub-district (never the district,
    never another area or sub-district)."""
    above = [r.pk for r in area.ancestors() if r.kind == RegionKind.SUBDISTRICT]
    return Q(**{f"{field}__path__startswith": area.path}) | Q(**{f"{field}_id__in": above})


def invitable(topic_: Topic) -> dict:
    """What a meeting of the topic may use and invite: querysets keyed by the invitee field names of
    `gongzhi.deliberation.services.topics.INVITEE_FIELDS`, plus ``places`` and ``users`` (conveners, owners)."""
    area = topic_.area
    estates = Estate.objects.filter(area=area)
    if topic_.estate_id:
        estates = estates.filter(pk=topic_.estate_id)
    return {
        "households": Household.objects.filter(building__region__path__startswith=area.path)
        .select_related("building"),
        "member_units": MemberUnit.objects.filter(_related_q(area, "region")),
        "professional_teams": ProfessionalTeam.objects.filter(
            pk__in=ProfessionalTeam.objects.filter(_related_q(area, "region")
                                                   | Q(grids__path__startswith=area.path)).values("pk")),
        "volunteer_teams": VolunteerTeam.objects.filter(_related_q(area, "region")),
        "property_companies": estates,
        "owners_committees": estates,
        "people": users_near(area),
        "places": ServicePlace.objects.filter(_related_q(area, "region")),
    }


def users_near(area: Region):
    """Active accounts holding a role in the area or at its sub-district (directly, or through a member unit
    there): the people a meeting of the area may invite, have convene or give a decision to."""
    roles = _related_q(area, "role_assignments__region") | _related_q(area, "role_assignments__member_unit__region")
    ids = User.objects.filter(roles, is_active=True).values("pk")
    return User.objects.filter(pk__in=ids).order_by("display_name", "username")


def unit_liaisons(unit_ids) -> list:
    """The accounts of the member units' liaisons (they hear of their unit's invitations)."""
    if not unit_ids:
        return []
    return list(User.objects.filter(is_active=True, role_assignments__role=Role.UNIT_LIAISON,
                                    role_assignments__member_unit__in=unit_ids).distinct())


# --- signed links -------------------------------------------------------------------------------------------

def checkin_token(meeting_: Meeting) -> str:
    return signing.dumps({"m": meeting_.pk}, salt=CHECKIN_SALT)


def meeting_for_checkin(token: str) -> Meeting:
    """The meeting of a check-in link (shown as a QR code at the door), or NotFound."""
    try:
        pk = signing.loads(token, salt=CHECKIN_SALT)["m"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotFound(_("Not found.")) from None
    found = Meeting.objects.select_related("topic__area", "place").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=INVITATION_SALT)


def invitation_for_token(token: str) -> Invitation:
    """The invitation of an invitee's link (in the SMS or the inbox), or NotFound."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT)["i"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotFound(_("Not found.")) from None
    found = Invitation.objects.select_related("meeting__topic__area", "meeting__place", "household__building",
                                              "member_unit", "estate", "user").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def h5_link(invitation: Invitation) -> str:
    return reverse("deliberation:h5_meeting", args=[invitation_token(invitation)])


def can_view(user, meeting_: Meeting) -> bool:
    return has_capability(user, VIEW) and meetings_for(user).filter(pk=meeting_.pk).exists()


def link_for(user, meeting_: Meeting, invitation: Invitation | None = None) -> str:
    """Where a user is sent about a meeting: its page when they may see it, else their invitation's H5 page."""
    if can_view(user, meeting_) or invitation is None:
        return reverse("deliberation:meeting_detail", args=[meeting_.pk])
    return h5_link(invitation)


# --- the picker (demands, households) ----------------------------------------------------------------------

PICKER_LIMIT = 20


def picker_queryset(user, kind: str, area: int | None = None):
    """What a picker of `kind` offers: "demands" (in the user's demands scope), "households" (in the user's
    deliberation scope, within `area` when given)."""
    if kind == "demands":
        from gongzhi.demands.models import Demand

        return scoped(user, Demand, Capability.VIEW_DEMANDS).select_related("grid", "region", "building")
    if kind == "households":
        qs = scoped(user, Household.objects.select_related("building"), VIEW)
        if area:
            region = Region.objects.filter(pk=area).first()
            qs = qs.filter(building__region__path__startswith=region.path) if region else qs.none()
        return qs
    raise NotFound(_("Not found."))


def picker_label(obj) -> str:
    if isinstance(obj, Household):
        return f"{obj.building.name} {obj.room}"
    place = obj.building.name if obj.building_id else (obj.grid or obj.region).name
    return f"{obj.tracking_code} · {obj.title} · {place} · {timezone.localtime(obj.created_at):%Y-%m-%d}"


def picker_options(user, kind: str, q: str = "", selected=(), area: int | None = None) -> list:
    """(object, chosen, label): the chosen ones first (kept), then up to PICKER_LIMIT others matching `q`."""
    qs = picker_queryset(user, kind, area)
    ids = [int(x) for x in selected if str(x).isdigit()][:500]
    chosen = list(qs.filter(pk__in=ids)) if ids else []
    others = qs.exclude(pk__in=ids)
    q = (q or "").strip()[:50]
    if q and kind == "households":
        others = others.filter(Q(room__icontains=q) | Q(building__name__icontains=q))
    elif q:
        others = others.filter(Q(tracking_code__icontains=q) | Q(title__icontains=q)
                               | Q(grid__name__icontains=q) | Q(building__name__icontains=q))
    order = ("building__code", "room") if kind == "households" else ("-pk",)
    rows = [(o, True) for o in chosen] + [(o, False) for o in others.order_by(*order)[:PICKER_LIMIT]]
    return [(o, c, picker_label(o)) for o, c in rows]


# --- the workbench ------------------------------------------------------------------------------------------

def my_meetings(user, now=None):
    """Scheduled meetings the user convenes or is invited to, from today on, soonest first."""
    now = now or timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return (Meeting.objects.filter(pk__in=Meeting.objects.filter(my_meetings_q(user)).values("pk"))
            .filter(state=MeetingState.SCHEDULED, starts_at__gte=start)
            .select_related("topic", "place").order_by("starts_at", "pk"))


def meetings_card(user) -> dict | None:
    """Meetings I convene or am invited to (shown to deliberation staff, and to anyone invited)."""
    if not getattr(user, "is_authenticated", False):
        return None
    qs = my_meetings(user)
    count = qs.count()
    if not count and not has_capability(user, MANAGE):
        return None
    mine = {i.meeting_id: i for i in Invitation.objects.filter(user=user, meeting__in=[m.pk for m in qs[:CARD_ITEMS]])}
    items = [{"text": f"{timezone.localtime(m.starts_at):%m-%d %H:%M} {m.title}",
              "url": link_for(user, m, mine.get(m.pk))} for m in qs[:CARD_ITEMS]]
    url = f"{reverse('deliberation:meeting_list')}?mine=1&upcoming=1" if has_capability(user, VIEW) else ""
    return {"count": count, "url": url, "items": items, "tone": "normal"}


def decisions_card(user, today=None) -> dict | None:
    """Decisions past their deadline: those in the user's scope, and the user's own (for deliberation staff
    and party members; shown to managing staff even when there are none)."""
    if not has_capability(user, VIEW):
        return None
    today = today or timezone.localdate()
    qs = Decision.objects.filter(Q(pk__in=decisions_for(user).values("pk")) | Q(owner=user))
    qs = qs.filter(overdue_q(today)).select_related("meeting").order_by("deadline", "pk")
    count = qs.count()
    if not count and not has_capability(user, MANAGE):
        return None
    items = [{"text": f"{d.deadline:%m-%d} {d.text[:40]}", "url": reverse("deliberation:meeting_detail",
                                                                          args=[d.meeting_id]) + f"#decision-{d.pk}"}
             for d in qs[:CARD_ITEMS]]
    return {"count": count, "url": f"{reverse('deliberation:decision_list')}?overdue=1",
            "items": items, "tone": "urgent" if count else "normal",
            "note": _("Open decisions past their deadline.")}


def invited_households(meeting_: Meeting):
    return Household.objects.filter(pk__in=meeting_.invitations.filter(household__isnull=False).values("household")
                                    ).select_related("building")


def invited_units(meeting_: Meeting):
    return MemberUnit.objects.filter(pk__in=meeting_.invitations.filter(member_unit__isnull=False)
                                     .values("member_unit"))


def with_counts(qs):
    """Topics with their meeting and co-signature counts."""
    return qs.annotate(meeting_count=Count("meetings", distinct=True), cosign_count=Count("cosigns", distinct=True))


def attachment_for_file(user, name: str) -> MeetingAttachment | None:
    """The meeting attachment stored as `name` when the user sees its meeting, else None (read by
    gongzhi.core.media.serve)."""
    if not has_capability(user, VIEW):
        return None
    found = MeetingAttachment.objects.filter(file=name).first()
    if found is None or not meetings_for(user).filter(pk=found.meeting_id).exists():
        return None
    return found


# --- party work links (the organization-life module) -------------------------------------------------------------

def topics_proposed_by_member(member, *, year: int | None = None):
    """The deliberation topics a party member proposed through their account, created in `year` if given; none
    when the member has no account. A read for the member's yearly record."""
    user_id = getattr(member, "user_id", None)
    if user_id is None:
        return Topic.objects.none()
    qs = Topic.objects.filter(proposer_id=user_id).select_related("area")
    if year is not None:
        qs = qs.filter(created_at__year=year)
    return qs.order_by("created_at", "pk")
