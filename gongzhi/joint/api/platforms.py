"""API of the platforms part (mounted at /api/v1/joint/): joint-meeting platforms (scoped list and detail with the
roster counts), a platform's members, party posts; one write: a member joins a platform. Reads go through
`selectors.platforms` (scoped), the write through `services.platforms`. Refusals answer in the ErrorOut shape:
403 without the right, 404 out of scope, 409 when nothing would change, 422 for bad input (field errors: none or
several of unit / organization / area, an area outside the platform's region, a member already there)."""

from datetime import date

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.accounts.scope import require_capability
from gongzhi.core.apitypes import Date, Id, In, QueryId, Ref, choice, errors, text
from gongzhi.core.errors import ValidationFailed
from gongzhi.joint.models import MemberRole, PlatformKind, PlatformLevel, PostKind
from gongzhi.joint.policies import platforms as policies
from gongzhi.joint.selectors import platforms as selectors
from gongzhi.joint.services import platforms as services
from gongzhi.registry.models import MemberUnit, PartyOrg, PartyOrgKind, Region

router = Router()


class JointPlatformFilters(Schema):
    q: text(100) = ""
    level: choice(PlatformLevel, blank=True) = ""
    kind: choice(PlatformKind, blank=True) = ""


class JointPlatformMemberFilters(Schema):
    q: text(100) = ""
    kind: choice(("unit", "org", "area"), blank=True) = ""
    role: choice(MemberRole, blank=True) = ""
    term: choice(("current", "past", "all"), blank=True) = ""


class JointPartyPostFilters(Schema):
    q: text(100) = ""
    org: QueryId | None = None
    org_kind: choice(PartyOrgKind, blank=True) = ""
    kind: choice(PostKind, blank=True) = ""
    term: choice(("current", "past", "all"), blank=True) = ""


def _params(filters: Schema) -> dict:
    return {k: str(v) for k, v in filters.dict().items() if v not in (None, "")}


class JointPlatformRosterOut(Schema):
    conveners: int
    areas: int
    units: int
    committees: int
    formula: str


class JointPlatformOut(Schema):
    id: int
    name: str
    brand: str
    level: str
    kind: str
    region_id: int
    region: str
    parent_id: int | None
    is_active: bool
    founded_on: date | None

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.name


class JointProfessionalCommitteeOut(Schema):
    id: int
    name: str
    remit: str
    is_active: bool


class JointPlatformDetailOut(JointPlatformOut):
    remit: str
    convener_unit_id: int | None
    convener_org_id: int | None
    roster: JointPlatformRosterOut
    committees: list[JointProfessionalCommitteeOut]

    @staticmethod
    def resolve_roster(obj) -> dict:
        r = selectors.roster(obj)
        return {"conveners": r.conveners, "areas": r.areas, "units": r.units, "committees": r.committees,
                "formula": r.formula}

    @staticmethod
    def resolve_committees(obj) -> list:
        return list(selectors.committees_of(obj))


class JointPlatformMemberOut(Schema):
    id: int
    platform_id: int
    kind: str
    name: str
    member_unit_id: int | None
    party_org_id: int | None
    area_id: int | None
    role: str
    joined_on: date
    left_on: date | None

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.member_kind

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class JointPartyPostOut(Schema):
    id: int
    org_id: int
    org: str
    kind: str
    is_part_time: bool
    holder: str
    party_member_id: int | None
    unit_id: int | None
    holder_unit: str
    starts_on: date
    ends_on: date | None

    @staticmethod
    def resolve_org(obj) -> str:
        return obj.org.name

    @staticmethod
    def resolve_holder(obj) -> str:
        return obj.holder_name

    @staticmethod
    def resolve_holder_unit(obj) -> str:
        return str(obj.holder_unit or "")


class JointPlatformMemberIn(In):
    """Exactly one of `member_unit_id`, `party_org_id`, `area_id` (a residential area in the platform's region);
    each must exist and be visible to the caller (422 naming the field otherwise)."""

    member_unit_id: Ref | None = None
    party_org_id: Ref | None = None
    area_id: Ref | None = None
    role: choice(MemberRole) = MemberRole.MEMBER.value
    joined_on: Date | None = None


@router.get("/platforms", response={200: list[JointPlatformOut], **errors(403)}, url_name="joint_platform_list",
            summary="List joint-meeting platforms")
@paginate
def platform_list(request, filters: Query[JointPlatformFilters]):
    return selectors.platforms_for(request.user, _params(filters))


@router.get("/platforms/{pk}", response={200: JointPlatformDetailOut, **errors(403, 404)},
            url_name="joint_platform_detail", summary="A platform with its roster counts and committees")
def platform_detail(request, pk: Id):
    require_capability(request.user, policies.VIEW)
    return selectors.platform(request.user, pk)


@router.get("/platforms/{pk}/members", response={200: list[JointPlatformMemberOut], **errors(403, 404)},
            url_name="joint_platform_members", summary="A platform's members (current by default)")
@paginate
def platform_members(request, pk: Id, filters: Query[JointPlatformMemberFilters]):
    require_capability(request.user, policies.VIEW)
    return selectors.members_of(selectors.platform(request.user, pk), _params(filters))


def _ref(model, pk, field: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationFailed.on(field, str(services.OUTSIDE))
    return obj


@router.post("/platforms/{pk}/members", response={201: JointPlatformMemberOut, **errors(403, 404, 409, 422)},
             url_name="joint_platform_member_add", summary="A unit, party organization or residential area joins")
def platform_member_add(request, pk: Id, payload: JointPlatformMemberIn):
    require_capability(request.user, policies.MANAGE)
    platform = selectors.platform(request.user, pk, policies.MANAGE)
    member = services.add_member(
        platform.pk, actor=request.user, member_unit=_ref(MemberUnit, payload.member_unit_id, "member_unit"),
        party_org=_ref(PartyOrg, payload.party_org_id, "party_org"), area=_ref(Region, payload.area_id, "area"),
        role=payload.role, joined_on=payload.joined_on)
    return Status(201, member)


@router.get("/posts", response={200: list[JointPartyPostOut], **errors(403)}, url_name="joint_post_list",
            summary="Party posts (current by default) with their holders and terms")
@paginate
def post_list(request, filters: Query[JointPartyPostFilters]):
    return selectors.posts_for(request.user, _params(filters))
