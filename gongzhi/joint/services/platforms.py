"""Writes of the platforms part: one transaction each, ``verb(subject, *, actor, ...)`` with plain values.

A service finds its subject as the actor may see it (`NotFound` outside the scope, like a missing one), asks
`policies.platforms` whether the actor may act (`Forbidden`), validates (`ValidationFailed` with field errors) and
writes with the actor recorded by simple-history:

* platforms: a platform serves a region of its own level; a sub-district platform may hang from the district
  platform of its district;
* members (a unit, a party organization or a residential area) join with a role and a date and leave with a date,
  their row kept as history;
* professional committees (the "X") and their members (units, organizations, named persons);
* party posts: a term in a post of an organization; only one secretary at a time, and nobody holds the same post
  twice at once (overlapping terms are field errors).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scoped
from gongzhi.core.errors import Forbidden, ValidationFailed
from gongzhi.core.workflow import SYSTEM, check_actor, refuse_unchanged, snapshot, user_of
from gongzhi.core.workflow import find as _find
from gongzhi.joint.models import (
    SINGLE_HOLDER_POSTS,
    MemberRole,
    PartyPost,
    Platform,
    PlatformLevel,
    PlatformMember,
    PostKind,
    ProfessionalCommittee,
    ProfessionalCommitteeMember,
)
from gongzhi.joint.policies import platforms as policies
from gongzhi.joint.selectors import platforms as selectors
from gongzhi.registry.models import MemberUnit, PartyMember, PartyOrg, Region, RegionKind

NOT_ALLOWED = gettext_lazy("You may not do this.")
OUTSIDE = gettext_lazy("Choose one inside your own scope.")
PLEASE = gettext_lazy("Please correct the errors below.")
VIEW_REGISTRY = Capability.VIEW_REGISTRY


# --- helpers ------------------------------------------------------------------------------------------------------

def _require(actor, subject, action: str) -> None:
    if not policies.can(actor, subject, action):
        raise Forbidden(str(NOT_ALLOWED))


def _failed(errors: dict[str, list]) -> ValidationFailed:
    return ValidationFailed(str(PLEASE), field_errors={k: [str(m) for m in v] for k, v in errors.items()})


def _save(obj, actor, reason: str = "", errors: dict | None = None, exclude=None) -> None:
    """Validate (the checks already made in `errors`, the model's fields and `clean`) and save with the actor in
    the audit trail; every problem comes back at once as field errors."""
    errors = {k: list(v) for k, v in (errors or {}).items()}
    try:
        obj.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as e:
        for name, messages in e.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise _failed(errors)
    obj._history_user = user_of(actor)
    obj._change_reason = reason
    obj.save()


def _visible(actor, obj, capability: str = VIEW_REGISTRY) -> bool:
    """A registry row the actor names (a unit, an organization, a member) must be one they may see."""
    return obj is None or actor is SYSTEM or scoped(actor, type(obj), capability).filter(pk=obj.pk).exists()


def _apply(obj, values: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    for name, value in values.items():
        setattr(obj, name, value)


def _text(value) -> str:
    return (value or "").strip()


# --- platforms ----------------------------------------------------------------------------------------------------

PLATFORM_FIELDS = ("name", "brand", "level", "kind", "region", "parent", "convener_unit", "convener_org", "remit",
                   "founded_on", "is_active")


def _platform_errors(actor, p: Platform) -> dict[str, list]:
    errors: dict[str, list] = {}
    if p.region_id and not policies.may_manage(actor, p.region):
        errors["region"] = [OUTSIDE]
    if p.parent_id:
        parent = p.parent
        if p.level != PlatformLevel.SUBDISTRICT:
            errors["parent"] = [_("Only a sub-district platform hangs from a district platform.")]
        elif parent.level != PlatformLevel.DISTRICT:
            errors["parent"] = [_("Choose a district platform.")]
        elif p.region_id and p.region.parent_id != parent.region_id:
            errors["parent"] = [_("Choose the platform of the district this sub-district belongs to.")]
        elif p.pk and parent.pk == p.pk:
            errors["parent"] = [_("A platform cannot hang from itself.")]
    for field in ("convener_unit", "convener_org"):
        if not _visible(actor, getattr(p, field)):
            errors[field] = [OUTSIDE]
    return errors


@transaction.atomic
def create_platform(*, actor, name: str, level: str, region: Region, kind: str = "joint_meeting", brand: str = "",
                    parent: Platform | None = None, convener_unit: MemberUnit | None = None,
                    convener_org: PartyOrg | None = None, remit: str = "", founded_on: date | None = None,
                    is_active: bool = True) -> Platform:
    """A joint-meeting or thematic platform serving a district or sub-district the actor manages."""
    check_actor(actor)
    _require(actor, Platform, "create")
    p = Platform(name=_text(name), brand=_text(brand), level=level, kind=kind or "joint_meeting", region=region,
                 parent=parent, convener_unit=convener_unit, convener_org=convener_org, remit=remit or "",
                 founded_on=founded_on, is_active=is_active)
    _save(p, actor, "created", _platform_errors(actor, p))
    return p


@transaction.atomic
def update_platform(platform, *, actor, **values) -> Platform:
    p = _find(actor, platform, Platform, lambda u, pk: selectors.platform(u, pk, policies.MANAGE))
    _require(actor, p, policies.EDIT)
    before = snapshot(p)
    _apply(p, values, PLATFORM_FIELDS)
    p.name, p.brand = _text(p.name), _text(p.brand)
    refuse_unchanged(p, before)
    _save(p, actor, "edited", _platform_errors(actor, p))
    return p


# --- members ------------------------------------------------------------------------------------------------------

def _member_of(actor, member) -> PlatformMember:
    return _find(actor, member, PlatformMember, lambda u, pk: selectors.member(u, pk, policies.MANAGE),
                 related=("platform__region",))


@transaction.atomic
def add_member(platform, *, actor, member_unit: MemberUnit | None = None, party_org: PartyOrg | None = None,
               area: Region | None = None, role: str = MemberRole.MEMBER, joined_on: date | None = None,
               note: str = "") -> PlatformMember:
    """A unit, a party organization or a residential area (exactly one) joins the platform with its role."""
    p = _find(actor, platform, Platform, lambda u, pk: selectors.platform(u, pk, policies.MANAGE))
    _require(actor, p, policies.EDIT)
    errors: dict[str, list] = {}
    given = [x for x in (member_unit, party_org, area) if x is not None]
    if len(given) != 1:
        message = _("Choose one: a member unit, a party organization or a residential area.")
        errors = {"member_unit": [message]} if not given else {f: [message] for f, v in (
            ("member_unit", member_unit), ("party_org", party_org), ("area", area)) if v is not None}
    else:
        field, obj = next((f, v) for f, v in (("member_unit", member_unit), ("party_org", party_org), ("area", area))
                          if v is not None)
        if field == "area":
            if area.kind != RegionKind.RESIDENTIAL_AREA:
                errors["area"] = [_("Choose a residential area.")]
            elif not area.path.startswith(p.region.path):
                errors["area"] = [_("This residential area lies outside the platform's region.")]
        elif not _visible(actor, obj):
            errors[field] = [OUTSIDE]
        if not errors and PlatformMember.objects.filter(platform=p, left_on__isnull=True, **{field: obj}).exists():
            errors[field] = [_("Already a member of this platform.")]
    if role not in MemberRole.values:
        errors["role"] = [_("Choose a role.")]
    m = PlatformMember(platform=p, member_unit=member_unit, party_org=party_org, area=area, role=role,
                       joined_on=joined_on or timezone.localdate(), note=_text(note))
    _save(m, actor, "joined", errors)
    return m


@transaction.atomic
def update_member(member, *, actor, role: str, joined_on: date, note: str = "") -> PlatformMember:
    """A member's role, joined date or note corrected."""
    m = _member_of(actor, member)
    _require(actor, m, policies.EDIT)
    before = snapshot(m)
    m.role, m.joined_on, m.note = role, joined_on, _text(note)
    refuse_unchanged(m, before)
    errors = {}
    if m.left_on and joined_on and joined_on > m.left_on:
        errors["joined_on"] = [_("The member joined before leaving.")]
    _save(m, actor, "edited", errors)
    return m


@transaction.atomic
def leave_platform(member, *, actor, left_on: date | None = None) -> PlatformMember:
    """A member leaves on `left_on` (today by default); the row stays as history."""
    m = _member_of(actor, member)
    _require(actor, m, policies.EDIT)
    if m.left_on is not None:
        raise ValidationFailed.on("left_on", _("This member has already left."))
    day = left_on or timezone.localdate()
    if day < m.joined_on:
        raise ValidationFailed.on("left_on", _("A member leaves no earlier than the day it joined."))
    m.left_on = day
    _save(m, actor, "left")
    return m


@transaction.atomic
def import_members(rows, *, actor) -> None:
    """The rows of a checked members file (gongzhi.joint.excel_platforms), written in one transaction: new members
    join through the same checks as on the page; an existing member's role, dates or leaving are recorded."""
    for obj, _m2m in rows:
        if obj.pk is None:
            add_member(obj.platform_id, actor=actor, member_unit=obj.member_unit, party_org=obj.party_org,
                       area=obj.area, role=obj.role, joined_on=obj.joined_on, note=obj.note)
            continue
        m = _member_of(actor, obj.pk)
        _require(actor, m, policies.EDIT)
        m.role, m.joined_on, m.left_on, m.note = obj.role, obj.joined_on, obj.left_on, _text(obj.note)
        errors = {}
        if m.left_on and m.left_on < m.joined_on:
            errors["left_on"] = [_("A member leaves no earlier than the day it joined.")]
        _save(m, actor, "imported", errors)


# --- professional committees --------------------------------------------------------------------------------------

COMMITTEE_FIELDS = ("name", "remit", "founded_on", "is_active")


def _committee_errors(c: ProfessionalCommittee) -> dict:
    clash = ProfessionalCommittee.objects.filter(platform_id=c.platform_id, name=c.name).exclude(pk=c.pk)
    return {"name": [_("This platform already has a committee of this name.")]} if clash.exists() else {}


@transaction.atomic
def create_committee(platform, *, actor, name: str, remit: str = "", founded_on: date | None = None,
                     is_active: bool = True) -> ProfessionalCommittee:
    p = _find(actor, platform, Platform, lambda u, pk: selectors.platform(u, pk, policies.MANAGE))
    _require(actor, p, policies.EDIT)
    c = ProfessionalCommittee(platform=p, name=_text(name), remit=remit or "", founded_on=founded_on,
                              is_active=is_active)
    _save(c, actor, "created", _committee_errors(c))
    return c


@transaction.atomic
def update_committee(committee, *, actor, **values) -> ProfessionalCommittee:
    c = _find(actor, committee, ProfessionalCommittee, lambda u, pk: selectors.committee(u, pk, policies.MANAGE))
    _require(actor, c, policies.EDIT)
    before = snapshot(c)
    _apply(c, values, COMMITTEE_FIELDS)
    c.name = _text(c.name)
    refuse_unchanged(c, before)
    _save(c, actor, "edited", _committee_errors(c))
    return c


@transaction.atomic
def add_committee_member(committee, *, actor, member_unit: MemberUnit | None = None,
                         party_org: PartyOrg | None = None, person_name: str = "",
                         person_unit: MemberUnit | None = None, title: str = "",
                         joined_on: date | None = None) -> ProfessionalCommitteeMember:
    """A unit, a party organization or a named person (exactly one; a person may come from a unit) joins."""
    c = _find(actor, committee, ProfessionalCommittee, lambda u, pk: selectors.committee(u, pk, policies.MANAGE))
    _require(actor, c, policies.EDIT)
    person_name = _text(person_name)
    errors: dict[str, list] = {}
    given = [f for f, v in (("member_unit", member_unit), ("party_org", party_org), ("person_name", person_name))
             if v]
    if len(given) != 1:
        message = _("Choose one: a member unit, a party organization or a named person.")
        errors = {f: [message] for f in (given or ["member_unit"])}
    for field, obj in (("member_unit", member_unit), ("party_org", party_org), ("person_unit", person_unit)):
        if not _visible(actor, obj):
            errors.setdefault(field, []).append(OUTSIDE)
    if person_unit is not None and not person_name:
        errors.setdefault("person_unit", []).append(_("A unit is given for a named person only."))
    m = ProfessionalCommitteeMember(committee=c, member_unit=member_unit, party_org=party_org,
                                    person_name=person_name, person_unit=person_unit, title=_text(title),
                                    joined_on=joined_on or timezone.localdate())
    _save(m, actor, "joined", errors)
    return m


@transaction.atomic
def leave_committee(member, *, actor, left_on: date | None = None) -> ProfessionalCommitteeMember:
    m = _find(actor, member, ProfessionalCommitteeMember,
              lambda u, pk: selectors.committee_member(u, pk, policies.MANAGE), related=("committee__platform",))
    _require(actor, m, policies.EDIT)
    if m.left_on is not None:
        raise ValidationFailed.on("left_on", _("This member has already left."))
    day = left_on or timezone.localdate()
    if day < m.joined_on:
        raise ValidationFailed.on("left_on", _("A member leaves no earlier than the day it joined."))
    m.left_on = day
    _save(m, actor, "left")
    return m


# --- party posts --------------------------------------------------------------------------------------------------

POST_FIELDS = ("kind", "is_part_time", "party_member", "person_name", "unit", "starts_on", "ends_on", "note")


def _overlapping(post: PartyPost):
    """The other terms of the organization that overlap `post`'s: in the same post if only one may hold it, and
    of the same holder in the same post."""
    qs = PartyPost.objects.filter(org_id=post.org_id, kind=post.kind).exclude(pk=post.pk)
    qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=post.starts_on))
    if post.ends_on is not None:
        qs = qs.filter(starts_on__lte=post.ends_on)
    if post.kind in SINGLE_HOLDER_POSTS:
        return qs
    if post.party_member_id:
        return qs.filter(party_member_id=post.party_member_id)
    return qs.filter(party_member__isnull=True, person_name=post.person_name)


def _post_errors(actor, post: PartyPost) -> dict[str, list]:
    errors: dict[str, list] = {}
    if bool(post.party_member_id) == bool(post.person_name):
        errors["party_member"] = [_("Choose a party member, or give the name of a person who is not in the "
                                    "registry.")]
    elif post.person_name and not post.unit_id:
        errors["unit"] = [_("Give the unit a named person comes from.")]
    if not _visible(actor, post.party_member):
        errors.setdefault("party_member", []).append(OUTSIDE)
    if not _visible(actor, post.unit):
        errors.setdefault("unit", []).append(OUTSIDE)
    if post.starts_on and post.ends_on and post.ends_on < post.starts_on:
        errors["ends_on"] = [_("A term ends no earlier than it starts.")]
    elif post.starts_on and post.kind in PostKind.values and not errors:
        clash = _overlapping(post).select_related("party_member").first()
        if clash is not None:
            until = clash.ends_on.isoformat() if clash.ends_on else _("open")
            what = (_("Only one person holds this post at a time: %(name)s holds it from %(start)s to %(end)s.")
                    if post.kind in SINGLE_HOLDER_POSTS else
                    _("%(name)s already holds this post from %(start)s to %(end)s."))
            errors["starts_on"] = [what % {"name": clash.holder_name, "start": clash.starts_on.isoformat(),
                                           "end": until}]
    return errors


@transaction.atomic
def appoint(org, *, actor, kind: str, starts_on: date | None = None, ends_on: date | None = None,
            party_member: PartyMember | None = None, person_name: str = "", unit: MemberUnit | None = None,
            is_part_time: bool = False, note: str = "") -> PartyPost:
    """A term in a post of a party organization the actor manages."""
    o = _find(actor, org, PartyOrg, lambda u, pk: selectors.org(u, pk, policies.MANAGE))
    _require(actor, o, policies.EDIT)
    # lock the organization so that two appointments cannot both pass the overlap check
    PartyOrg.objects.select_for_update().filter(pk=o.pk).first()
    post = PartyPost(org=o, kind=kind, starts_on=starts_on or timezone.localdate(), ends_on=ends_on,
                     party_member=party_member, person_name=_text(person_name), unit=unit,
                     is_part_time=bool(is_part_time), note=_text(note))
    _save(post, actor, "appointed", _post_errors(actor, post))
    return post


def _post_of(actor, post) -> PartyPost:
    return _find(actor, post, PartyPost, lambda u, pk: selectors.post(u, pk, policies.MANAGE),
                 related=("org__region",))


@transaction.atomic
def update_post(post, *, actor, **values) -> PartyPost:
    p = _post_of(actor, post)
    _require(actor, p, policies.EDIT)
    PartyOrg.objects.select_for_update().filter(pk=p.org_id).first()
    before = snapshot(p)
    _apply(p, values, POST_FIELDS)
    p.person_name, p.note = _text(p.person_name), _text(p.note)
    refuse_unchanged(p, before)
    _save(p, actor, "edited", _post_errors(actor, p))
    return p


@transaction.atomic
def end_post(post, *, actor, ends_on: date | None = None) -> PartyPost:
    """The holder's term ends on `ends_on` (today by default); the post stays in the organization's history."""
    p = _post_of(actor, post)
    _require(actor, p, policies.EDIT)
    day = ends_on or timezone.localdate()
    if p.ends_on is not None and p.ends_on <= day:
        raise ValidationFailed.on("ends_on", _("This term has already ended."))
    if day < p.starts_on:
        raise ValidationFailed.on("ends_on", _("A term ends no earlier than it starts."))
    p.ends_on = day
    _save(p, actor, "ended")
    return p
