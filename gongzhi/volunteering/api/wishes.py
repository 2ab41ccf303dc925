"""API of micro-wishes, under /api/v1/volunteering/: the wishes in the caller's scope (staff: every state, the
beneficiary masked unless the caller may see personal data), a wish's detail with its timeline, the claim with a
public promise (409 when someone else has claimed it) and the fulfilment with a photo (multipart). Each wish's
`actions` lists the workflow steps the calling user may take on it now."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from gongzhi.core.apitypes import Date, Id, In, QueryId, Ref, choice, required_text, text
from gongzhi.core.masking import mask_name, mask_phone, may_see_personal_data
from gongzhi.volunteering.models import HardshipKind
from gongzhi.volunteering.policies import wishes as policies
from gongzhi.volunteering.selectors import wishes as selectors
from gongzhi.volunteering.services import wishes as services
from gongzhi.volunteering.workflow import WishState

router = Router(tags=["volunteering"])


def _error_out():
    from gongzhi.api import ErrorOut  # gongzhi.api imports this module while it is being built

    return ErrorOut


E = _error_out
ERRORS = {403: E(), 404: E(), 409: E(), 422: E()}


def _sees_personal(context, obj) -> bool:
    user = context["request"].user
    return may_see_personal_data(user, obj) and selectors.wishes_for(user).filter(pk=obj.pk).exists()


class VolWishOut(Schema):
    id: int
    code: str
    area_id: int
    area: str
    beneficiary: str
    beneficiary_phone: str
    hardship: str
    title: str
    description: str
    value: Decimal
    wanted_by: date
    state: str
    overdue: bool
    claimer_kind: str | None
    claimer: str | None
    promise: str
    promised_on: date | None
    claimed_at: datetime | None
    fulfilled_at: datetime | None
    fulfilment_note: str
    thanks: str
    photos: int
    actions: list[str]

    @staticmethod
    def resolve_area_id(obj) -> int:
        return obj.region_id

    @staticmethod
    def resolve_area(obj) -> str:
        return obj.region.name

    @staticmethod
    def resolve_beneficiary(obj, context) -> str:
        return obj.beneficiary_name if _sees_personal(context, obj) else mask_name(obj.beneficiary_name)

    @staticmethod
    def resolve_beneficiary_phone(obj, context) -> str:
        return obj.beneficiary_phone if _sees_personal(context, obj) else mask_phone(obj.beneficiary_phone)

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_claimer_kind(obj) -> str | None:
        return "member" if obj.claimer_member_id else "unit" if obj.claimer_unit_id else None

    @staticmethod
    def resolve_claimer(obj) -> str | None:
        return obj.claimer_name or None

    @staticmethod
    def resolve_photos(obj) -> int:
        return obj.photos.count()

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.actions(context["request"].user, obj)


class VolWishStepOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    note: str
    created_at: datetime

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_name or ""


class VolWishDetailOut(VolWishOut):
    timeline: list[VolWishStepOut]

    @staticmethod
    def resolve_timeline(obj) -> list:
        return list(selectors.log(obj))


class VolWishClaimIn(In):
    promise: required_text(200)
    promised_on: Date
    unit: Ref | None = None


@router.get("/wishes", response=list[VolWishOut], url_name="volunteering_wish_list")
@paginate
def wish_list(request, state: choice([*WishState.values, selectors.OVERDUE]) | None = None,
              area: QueryId | None = None, hardship: choice(HardshipKind) | None = None,
              year: Annotated[int, Query(ge=2000, le=2999)] | None = None, q: text(100) | None = None):
    params = {k: str(v) for k, v in {"state": state, "area": area, "hardship": hardship, "year": year,
                                     "q": q}.items() if v is not None}
    return selectors.board(request.user, params).prefetch_related("photos")


@router.get("/wishes/{pk}", response={200: VolWishDetailOut, 403: E(), 404: E()},
            url_name="volunteering_wish_detail")
def wish_detail(request, pk: Id):
    return selectors.wish(request.user, pk)


@router.post("/wishes/{pk}/claim", response={200: VolWishOut, **ERRORS}, url_name="volunteering_wish_claim")
def wish_claim(request, pk: Id, payload: VolWishClaimIn):
    """认领 an open wish with a public promise (亮承诺): a party member as themself, a unit liaison for their unit
    (`unit`, needed when they are the liaison of several). One claimer per wish: a claim of a claimed wish is a
    409."""
    return services.claim_wish(pk, actor=request.user, promise=payload.promise, promised_on=payload.promised_on,
                               unit=payload.unit)


@router.post("/wishes/{pk}/fulfil", response={200: VolWishOut, **ERRORS}, url_name="volunteering_wish_fulfil")
def wish_fulfil(request, pk: Id, note: Form[required_text(5000)], photo: File[UploadedFile]):
    """Fulfil a claimed wish (its claimer, or its area's staff) with how it was done and a photo (multipart; a
    JPEG, PNG or WebP image, stored without its metadata)."""
    return services.fulfil_wish(pk, actor=request.user, note=note, photos=[photo])
