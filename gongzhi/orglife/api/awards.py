"""Organization-life API of the awards part (under /api/v1/orglife/).

The award rounds the caller sees (viewers and managers over the scheme's region, the organizations' own assessors,
the round's reviewers), a round with its criteria and tiers, an entry's score breakdown (how every point was
earned: source, value with numerator and denominator, target, weight, points, the source link or the reviewers'
scores) and a reviewer's score of one self-assessed criterion (0 to its weight; 403 for the reviewer's own
organization or when not on the panel; 422 ``points`` out of range).
"""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Router, Schema

from gongzhi.core.apitypes import Id, In, Ref, errors, text
from gongzhi.core.errors import ValidationFailed
from gongzhi.orglife.models import CriterionSource
from gongzhi.orglife.selectors import awards as selectors
from gongzhi.orglife.services import awards as services

router = Router()


class OlAwardCriterionOut(Schema):
    id: int
    name: str
    weight: int
    source: str
    indicator: str
    target: str | None

    @staticmethod
    def resolve_target(obj) -> str | None:
        return None if obj.target is None else str(obj.target)


class OlAwardTierOut(Schema):
    name: str
    min_score: str

    @staticmethod
    def resolve_min_score(obj) -> str:
        return str(obj.min_score)


class OlAwardRoundOut(Schema):
    id: int
    scheme: str
    scheme_kind: str
    number: int
    name: str
    period_start: date
    period_end: date
    state: str

    @staticmethod
    def resolve_scheme(obj) -> str:
        return obj.scheme.name

    @staticmethod
    def resolve_scheme_kind(obj) -> str:
        return obj.scheme.kind


class OlAwardEntryOut(Schema):
    id: int
    org: str
    state: str
    total: str
    tier: str


class OlAwardRoundDetailOut(OlAwardRoundOut):
    criteria: list[OlAwardCriterionOut]
    tiers: list[OlAwardTierOut]
    entries: list[OlAwardEntryOut]

    @staticmethod
    def resolve_criteria(obj) -> list:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_tiers(obj) -> list:
        return list(obj.tiers.all())

    @staticmethod
    def resolve_entries(obj, context) -> list[dict]:
        out = []
        for e in selectors.entries_for(context["request"].user, obj):
            b = selectors.breakdown(e)
            out.append({"id": e.pk, "org": e.org.name, "state": e.state, "total": b.total, "tier": b.tier})
        return out


class OlReviewScoreOut(Schema):
    reviewer: str
    points: str
    comment: str


class OlBreakdownRowOut(Schema):
    criterion_id: int
    name: str
    source: str
    weight: int
    points: str
    indicator: str
    value: str | None
    display: str
    numerator: str | None
    denominator: str | None
    target: str | None
    source_url: str
    scores: list[OlReviewScoreOut]
    statement: str


class OlBreakdownOut(Schema):
    entry_id: int
    org: str
    round_id: int
    total: str
    tier: str
    frozen: bool
    rows: list[OlBreakdownRowOut]


class OlScoreIn(In):
    """``points``: 0 to the criterion's weight, at most one decimal (e.g. "32.5")."""

    criterion: Ref
    points: text(8)
    comment: text(300) = ""


@router.get("/award-rounds", response=list[OlAwardRoundOut], url_name="orglife_award_rounds",
            summary="The award rounds the caller sees")
def rounds(request):
    return list(selectors.rounds_for(request.user).order_by("scheme__code", "-number")[:200])


@router.get("/award-rounds/{pk}", response={200: OlAwardRoundDetailOut, **errors(404)},
            url_name="orglife_award_round", summary="An award round with its criteria, tiers and entries")
def round_detail(request, pk: Id):
    return selectors.round_detail(request.user, pk)


def _breakdown(entry) -> dict:
    b = selectors.breakdown(entry)
    return {"entry_id": entry.pk, "org": entry.org.name, "round_id": entry.round_id, "total": b.total,
            "tier": b.tier, "frozen": b.frozen, "rows": [vars(r) for r in b.rows]}


@router.get("/award-entries/{pk}/score", response={200: OlBreakdownOut, **errors(404)},
            url_name="orglife_award_entry_score", summary="How every point of an entry was earned")
def entry_score(request, pk: Id):
    return _breakdown(selectors.entry_detail(request.user, pk))


@router.post("/award-entries/{pk}/scores", response={200: OlBreakdownOut, **errors(403, 404, 409, 422)},
             url_name="orglife_award_entry_score_submit",
             summary="A reviewer's points for one self-assessed criterion")
def score_submit(request, pk: Id, payload: OlScoreIn):
    """403 when the caller is not on the panel, the round is not being reviewed, or the entry is the reviewer's
    own organization; 422 ``points`` outside 0..weight, ``criterion`` not a self-assessed criterion of the round."""
    entry = selectors.entry_detail(request.user, pk)
    criterion = entry.round.criteria.filter(pk=payload.criterion, source=CriterionSource.SELF).first()
    if criterion is None:
        raise ValidationFailed.on("criterion", _("Choose a self-assessed criterion of this round."))
    services.score(entry, criterion, actor=request.user, points=payload.points, comment=payload.comment)
    return _breakdown(selectors.entry_detail(request.user, pk))
