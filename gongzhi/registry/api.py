"""Registry JSON API (mounted at /api/v1/registry/): lists with `q`, filters and pagination, details,
and writes for member units and party members. Reads go through `selectors`, writes through `services`;
domain errors become JSON by the handler in gongzhi.api. Personal data is masked unless privileged."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.core.apitypes import (
    POSITIVE,
    POSITIVE_SMALL,
    UNSET,
    Bool,
    Code,
    Date,
    Id,
    IdNumber,
    In,
    Phone,
    QueryId,
    Ref,
    choice,
    number,
    required_text,
    text,
)
from gongzhi.core.masking import mask_id_number, mask_phone, may_see_personal_data
from gongzhi.registry import selectors, services
from gongzhi.registry.models import Gender, MemberStatus, MemberUnitKind

router = Router(tags=["registry"])


def _error_out():
    from gongzhi.api import ErrorOut  # gongzhi.api imports this module while it is being built

    return ErrorOut


def _personal_ok(context) -> bool:
    request = (context or {}).get("request")
    return bool(request) and may_see_personal_data(request.user)  # integrations give no reason to reveal


class RegionOut(Schema):
    id: int
    kind: str
    code: str
    name: str
    parent_id: int | None
    depth: int
    residents_committee: str
    households: int | None
    population: int | None
    address: str


class BuildingOut(Schema):
    id: int
    kind: str
    code: str
    name: str
    region_id: int
    address: str
    floors: int | None
    households: int | None
    is_key_building: bool
    latitude: Decimal | None
    longitude: Decimal | None


class MemberUnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    region_id: int
    building_id: int | None
    address: str
    headcount: int
    has_party_org: bool
    is_two_new: bool
    in_joint_meeting: bool
    contact_name: str
    contact_phone: str
    joined_on: date | None

    @staticmethod
    def resolve_contact_phone(obj, context):
        return obj.contact_phone if _personal_ok(context) else mask_phone(obj.contact_phone)


class PartyOrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    region_id: int
    member_unit_id: int | None
    secretary_id: int | None
    founded_on: date | None


class PartyMemberOut(Schema):
    id: int
    name: str
    gender: str
    organization_id: int
    status: str
    joined_on: date | None
    phone: str
    id_number: str
    address: str
    is_mobile: bool
    registered_area_id: int | None
    registered_on: date | None
    grid_id: int | None

    @staticmethod
    def resolve_phone(obj, context):
        return obj.phone if _personal_ok(context) else mask_phone(obj.phone)

    @staticmethod
    def resolve_id_number(obj, context):
        return obj.id_number if _personal_ok(context) else mask_id_number(obj.id_number)

    @staticmethod
    def resolve_address(obj, context):
        return obj.address if _personal_ok(context) or not obj.address else "***"


class BuildingRefOut(Schema):
    id: int
    code: str
    name: str


class EstateOut(Schema):
    id: int
    code: str
    name: str
    area_id: int
    address: str
    property_company: str
    property_unit_id: int | None
    property_contact: str
    property_phone: str
    built_year: int | None
    buildings: list[BuildingRefOut]

    @staticmethod
    def resolve_property_phone(obj, context):
        return obj.property_phone if _personal_ok(context) else mask_phone(obj.property_phone)

    @staticmethod
    def resolve_buildings(obj, context):
        request = (context or {}).get("request")
        return selectors.estate_buildings(request.user, obj) if request else []


class HouseholdOut(Schema):
    id: int
    building_id: int
    estate_id: int | None
    room: str
    size: int
    head_name: str
    phone: str
    other_phone: str
    phone_verified_at: datetime | None
    is_owner_occupied: bool
    elderly_living_alone: bool
    hardship: bool
    note: str

    @staticmethod
    def resolve_estate_id(obj):
        return obj.building.estate_id

    @staticmethod
    def resolve_phone(obj, context):
        return obj.phone if _personal_ok(context) else mask_phone(obj.phone)

    @staticmethod
    def resolve_other_phone(obj, context):
        return obj.other_phone if _personal_ok(context) else mask_phone(obj.other_phone)


class EstateIn(In):
    code: Code
    name: required_text(80)
    area_id: Ref
    address: text(200) = ""
    property_company: text(120) = ""
    property_unit_id: Ref | None = None
    property_contact: text(40) = ""
    property_phone: Phone = ""
    built_year: number(*POSITIVE_SMALL) | None = None


class EstatePatch(In):
    code: Code = UNSET
    name: required_text(80) = UNSET
    area_id: Ref = UNSET
    address: text(200) = UNSET
    property_company: text(120) = UNSET
    property_unit_id: Ref | None = UNSET
    property_contact: text(40) = UNSET
    property_phone: Phone = UNSET
    built_year: number(*POSITIVE_SMALL) | None = UNSET


class HouseholdIn(In):
    building_id: Ref
    room: required_text(20)
    size: number(1, POSITIVE_SMALL[1]) = 1
    head_name: text(40) = ""
    phone: Phone = ""
    other_phone: Phone = ""
    is_owner_occupied: Bool = True
    elderly_living_alone: Bool = False
    hardship: Bool = False
    note: text(200) = ""


class HouseholdPatch(In):
    building_id: Ref = UNSET
    room: required_text(20) = UNSET
    size: number(1, POSITIVE_SMALL[1]) = UNSET
    head_name: text(40) = UNSET
    phone: Phone = UNSET
    other_phone: Phone = UNSET
    is_owner_occupied: Bool = UNSET
    elderly_living_alone: Bool = UNSET
    hardship: Bool = UNSET
    note: text(200) = UNSET


class MemberUnitIn(In):
    code: Code
    name: required_text(120)
    kind: choice(MemberUnitKind)
    region_id: Ref
    building_id: Ref | None = None
    address: text(200) = ""
    headcount: number(*POSITIVE) = 0
    has_party_org: Bool = False
    is_two_new: Bool = False
    in_joint_meeting: Bool = False
    contact_name: text(40) = ""
    contact_phone: Phone = ""
    joined_on: Date | None = None


class MemberUnitPatch(In):
    code: Code = UNSET
    name: required_text(120) = UNSET
    kind: choice(MemberUnitKind) = UNSET
    region_id: Ref = UNSET
    building_id: Ref | None = UNSET
    address: text(200) = UNSET
    headcount: number(*POSITIVE) = UNSET
    has_party_org: Bool = UNSET
    is_two_new: Bool = UNSET
    in_joint_meeting: Bool = UNSET
    contact_name: text(40) = UNSET
    contact_phone: Phone = UNSET
    joined_on: Date | None = UNSET


class PartyMemberIn(In):
    name: required_text(40)
    organization_id: Ref
    gender: choice(Gender, blank=True) = ""
    status: choice(MemberStatus) = MemberStatus.FULL
    joined_on: Date | None = None
    phone: Phone = ""
    id_number: IdNumber = ""
    address: text(200) = ""
    is_mobile: Bool = False
    registered_area_id: Ref | None = None
    registered_on: Date | None = None
    grid_id: Ref | None = None


class PartyMemberPatch(In):
    name: required_text(40) = UNSET
    organization_id: Ref = UNSET
    gender: choice(Gender, blank=True) = UNSET
    status: choice(MemberStatus) = UNSET
    joined_on: Date | None = UNSET
    phone: Phone = UNSET
    id_number: IdNumber = UNSET
    address: text(200) = UNSET
    is_mobile: Bool = UNSET
    registered_area_id: Ref | None = UNSET
    registered_on: Date | None = UNSET
    grid_id: Ref | None = UNSET


def _filters_schema(key: str) -> type[Schema]:
    """Query parameters of one list: `q` plus the filters of its selector spec (a choice among the field's)."""
    types = {"bool": bool, "present": bool, "region": QueryId, "org": QueryId, "ref": QueryId}
    fields = {"q": (text(), ""), **{f.name: ((types.get(f.kind) or choice([v for v, _label in f.choices])) | None,
                                             None) for f in selectors.SPECS[key].filters}}
    return type(f"{key.capitalize()}Filters", (Schema,), {
        "__annotations__": {name: t for name, (t, _) in fields.items()},
        **{name: default for name, (_, default) in fields.items()},
    })


def _params(filters: Schema) -> dict:
    return {k: ("1" if v else "0") if isinstance(v, bool) else str(v)
            for k, v in filters.dict().items() if v is not None}


def _form_data(payload: Schema, partial: bool = False) -> dict:
    """Schema field names (`region_id`) → form field names (`region`); for a PATCH only the fields sent."""
    return {k.removesuffix("_id"): v for k, v in payload.dict(exclude_unset=partial).items()}


def _read_endpoints(key: str, prefix: str, out: type[Schema], label: str) -> None:
    E = _error_out()
    Filters = _filters_schema(key)

    @router.get(f"/{prefix}", response={200: list[out], 403: E}, url_name=f"{key}_list",
                operation_id=f"list_{key}", summary=f"List {label}")
    @paginate
    def list_view(request, filters: Query[Filters]):  # type: ignore[valid-type]
        return selectors.list_objects(request.user, key, _params(filters))

    @router.get(f"/{prefix}/{{pk}}", response={200: out, 403: E, 404: E}, url_name=f"{key}_detail",
                operation_id=f"get_{key}", summary=f"One of the {label}")
    def detail_view(request, pk: Id):
        return selectors.get_object(request.user, key, pk)


def _write_endpoints(key: str, prefix: str, out, schema_in, schema_patch, create, update) -> None:
    E = _error_out()

    @router.post(f"/{prefix}", response={201: out, 403: E, 404: E, 422: E}, url_name=f"{key}_create",
                 operation_id=f"create_{key}")
    def create_view(request, payload: schema_in):  # type: ignore[valid-type]
        return Status(201, create(_form_data(payload), actor=request.user))

    @router.patch(f"/{prefix}/{{pk}}", response={200: out, 403: E, 404: E, 409: E, 422: E},
                  url_name=f"{key}_update", operation_id=f"update_{key}")
    def update_view(request, pk: Id, payload: schema_patch):  # type: ignore[valid-type]
        return update(pk, _form_data(payload, partial=True), actor=request.user)


_read_endpoints("region", "regions", RegionOut, "regions")
_read_endpoints("building", "buildings", BuildingOut, "buildings")
_read_endpoints("memberunit", "member-units", MemberUnitOut, "member units")
_read_endpoints("partyorg", "party-orgs", PartyOrgOut, "party organizations")
_read_endpoints("partymember", "party-members", PartyMemberOut, "party members")
_read_endpoints("estate", "estates", EstateOut, "estates")
_read_endpoints("household", "households", HouseholdOut, "households")
_write_endpoints("estate", "estates", EstateOut, EstateIn, EstatePatch, services.create_estate,
                 services.update_estate)
_write_endpoints("household", "households", HouseholdOut, HouseholdIn, HouseholdPatch, services.create_household,
                 services.update_household)
_write_endpoints("memberunit", "member-units", MemberUnitOut, MemberUnitIn, MemberUnitPatch,
                 services.create_member_unit, services.update_member_unit)
_write_endpoints("partymember", "party-members", PartyMemberOut, PartyMemberIn, PartyMemberPatch,
                 services.create_party_member, services.update_party_member)
