"""Doorstep-services API of the catalogue part, under /api/v1/services/catalogue/.

Reading is public, like the H5 catalogue (no credentials): the active items a region serves (``?region=``: the
city-wide items and the own items of that sub-district or area; without it, the city-wide items only), searched
and filtered, and one active item with its materials checklist; the categories. Staff with ``services.manage``
create and update items (the checklist replaced by the one sent): 403 without the right, 404 for an item out of
scope, 422 with field errors (a code in use, a category that does not exist, a region of another level or outside
the caller's scope, a material listed twice). Fees are strings of yuan ("12.50")."""

from decimal import Decimal
from typing import Annotated

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from gongzhi.core.apitypes import (
    Bool,
    Code,
    Id,
    In,
    QueryId,
    Ref,
    choice,
    errors,
    number,
    required_text,
    text,
)
from gongzhi.services.models import ServiceLevel
from gongzhi.services.selectors import catalogue as selectors
from gongzhi.services.services import catalogue as services

router = Router()

Fee = Annotated[str, StringConstraints(max_length=11, pattern=r"^[0-9]{1,8}(\.[0-9]{1,2})?$")]


class ServiceMaterialOut(Schema):
    name: str
    required: bool
    note: str


class ServiceCategoryOut(Schema):
    id: int
    code: str
    name: str


class ServiceItemOut(Schema):
    id: int
    code: str
    name: str
    category_id: int
    category: str
    level: str
    region_id: int | None
    region: str | None
    description: str
    legal_basis: str
    time_limit_days: int
    fee: str
    remote: bool
    bookable: bool
    for_residents: bool
    for_office_workers: bool
    for_building_stations: bool
    keywords: str
    active: bool
    materials: list[ServiceMaterialOut]

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_region(obj) -> str | None:
        return obj.region.name if obj.region_id else None

    @staticmethod
    def resolve_fee(obj) -> str:
        return f"{Decimal(obj.fee):.2f}"

    @staticmethod
    def resolve_materials(obj) -> list:
        return list(obj.materials.all())


class ServiceMaterialIn(In):
    name: required_text(120)
    required: Bool = True
    note: text(200) = ""


class ServiceItemIn(In):
    code: Code
    name: required_text(120)
    category_id: Ref
    level: choice(ServiceLevel) = ServiceLevel.CITY.value
    region_id: Ref | None = None
    description: text(4000) = ""
    legal_basis: text(4000) = ""
    time_limit_days: number(0, services.MAX_TIME_LIMIT) = 0
    fee: Fee = "0"
    remote: Bool = False
    bookable: Bool = False
    for_residents: Bool = True
    for_office_workers: Bool = False
    for_building_stations: Bool = False
    keywords: text(200) = ""
    position: number(0, services.MAX_POSITION) = 0
    materials: list[ServiceMaterialIn] = []

    def service_kwargs(self) -> dict:
        data = self.model_dump()
        data["category"], data["region"] = data.pop("category_id"), data.pop("region_id")
        data["materials"] = [dict(m) for m in data["materials"]]
        return data


@router.get("/catalogue/items", auth=None, response={200: list[ServiceItemOut], **errors(404)},
            url_name="services_item_list", summary="The public catalogue a region serves (active items)")
@paginate
def item_list(request, region: QueryId | None = None, q: text(100) | None = None, category: QueryId | None = None,
              audience: choice(tuple(selectors.AUDIENCES)) | None = None, level: choice(ServiceLevel) | None = None,
              bookable: bool | None = None, remote: bool | None = None):
    return selectors.items_for(None, region=region, q=q or "", category=category, audience=audience, level=level,
                               bookable=bookable, remote=remote).prefetch_related("materials")


@router.get("/catalogue/items/{pk}", auth=None, response={200: ServiceItemOut, **errors(404)},
            url_name="services_item_detail", summary="One active item of the public catalogue")
def item_detail(request, pk: Id):
    return selectors.get_item(None, pk)


@router.get("/catalogue/categories", auth=None, response=list[ServiceCategoryOut],
            url_name="services_category_list", summary="The catalogue's categories")
def category_list(request):
    return list(selectors.categories())


@router.post("/catalogue/items", response={201: ServiceItemOut, **errors(403, 422)}, url_name="services_item_create")
def item_create(request, payload: ServiceItemIn):
    """Create an item with its checklist (``services.manage``)."""
    item = services.create_item(actor=request.user, **payload.service_kwargs())
    return Status(201, selectors.get_item(request.user, item.pk))


@router.post("/catalogue/items/{pk}", response={200: ServiceItemOut, **errors(403, 404, 422)},
             url_name="services_item_update")
def item_update(request, pk: Id, payload: ServiceItemIn):
    """Replace an item's details and checklist (``services.manage`` over the item)."""
    item = selectors.get_item(request.user, pk)
    services.update_item(item, actor=request.user, **payload.service_kwargs())
    return selectors.get_item(request.user, pk)
