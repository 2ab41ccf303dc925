"""Registry JSON API (mounted at /api/v1/registry/): lists with `q`, filters and pagination, details,
and writes for member units and party members. Reads go through `selectors`, writes through `services`;
domain errors become JSON by the handler in gongzhi.api. Personal data is masked unless privileged."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.core.apitypes import Id
from gongzhi.core.masking import mask_id_number, mask_phone, may_see_personal_data
from gongzhi.registry import selectors, services

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


class EstateIn(Schema):
    code: str
    name: str
    area_id: int
    address: str = ""
    property_company: str = ""
    property_unit_id: int | None = None
    property_contact: str = ""
    property_phone: str = ""
    built_year: int | None = None


class EstatePatch(Schema):
    code: str | None = None
    name: str | None = None
    area_id: int | None = None
    address: str | None = None
    property_company: str | None = None
    property_unit_id: int | None = None
    property_contact: str | None = None
    property_phone: str | None = None
    built_year: int | None = None


class HouseholdIn(Schema):
    building_id: int
    room: str
    size: int = 1
    head_name: str = ""
    phone: str = ""
    other_phone: str = ""
    is_owner_occupied: bool = True
    elderly_living_alone: bool = False
    hardship: bool = False
    note: str = ""


class HouseholdPatch(Schema):
    building_id: int | None = None
    room: str | None = None
    size: int | None = None
    head_name: str | None = None
    phone: str | None = None
    other_phone: str | None = None
    is_owner_occupied: bool | None = None
    elderly_living_alone: bool | None = None
    hardship: bool | None = None
    note: str | None = None


class MemberUnitIn(Schema):
    code: str
    name: str
    kind: str
    region_id: int
    building_id: int | None = None
    address: str = ""
    headcount: int = 0
    has_party_org: bool = False
    is_two_new: bool = False
    in_joint_meeting: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    joined_on: date | None = None


class MemberUnitPatch(Schema):
    code: str | None = None
    name: str | None = None
    kind: str | None = None
    region_id: int | None = None
    building_id: int | None = None
    address: str | None = None
    headcount: int | None = None
    has_party_org: bool | None = None
    is_two_new: bool | None = None
    in_joint_meeting: bool | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    joined_on: date | None = None


class PartyMemberIn(Schema):
    name: str
    organization_id: int
    gender: str = ""
    status: str = "full"
    joined_on: date | None = None
    phone: str = ""
    id_number: str = ""
    address: str = ""
    is_mobile: bool = False
    registered_area_id: int | None = None
    registered_on: date | None = None
    grid_id: int | None = None


class PartyMemberPatch(Schema):
    name: str | None = None
    organization_id: int | None = None
    gender: str | None = None
    status: str | None = None
    joined_on: date | None = None
    phone: str | None = None
    id_number: str | None = None
    address: str | None = None
    is_mobile: bool | None = None
    registered_area_id: int | None = None
    registered_on: date | None = None
    grid_id: int | None = None


def _filters_schema(key: str) -> type[Schema]:
    """Query parameters of one list: `q` plus the filters of its selector spec."""
    types = {"bool": bool, "present": bool, "region": int, "org": int, "ref": int, "choice": str}
    fields = {"q": (str, ""), **{f.name: (types[f.kind] | None, None) for f in selectors.SPECS[key].filters}}
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
