"""Reads of the delivery of granted proposals, always within the reader's scope: funds viewers see the delivery of
the proposals of funds in their ``funds.view`` scope; the account that submitted a proposal sees its own. Out of
scope is NotFound, exactly like missing. The public results page per residential area reads `public_results`,
which carries no contact and no person's name."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.errors import NotFound, int_param
from gongzhi.core.workbench import card
from gongzhi.funds.models import (
    FEN,
    EntryKind,
    LedgerEntry,
    Milestone,
    PhotoStage,
    ProjectPhoto,
    Proposal,
    ProposalTransition,
    Spending,
)
from gongzhi.funds.policies.delivery import VIEW
from gongzhi.funds.workflow import FUNDED_STATES, ProposalState
from gongzhi.registry.models import Region, RegionKind

IDLE_DAYS = 30  # a grant with no spending this long after it is "without receipts"
OPEN_STATES = (ProposalState.GRANTED, ProposalState.DELIVERING)
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _sum(qs, column: str = "amount") -> Decimal:
    return (qs.aggregate(total=Sum(column))["total"] or Decimal("0")).quantize(FEN)


# --- what a user sees ----------------------------------------------------------------------------------------

def proposals_for(user, states=FUNDED_STATES) -> QuerySet:
    """Proposals the user sees (granted, delivering and completed ones unless told other `states`): those of funds
    in their funds.view scope, and the ones their account submitted."""
    qs = Proposal.objects.select_related("call__fund__region")
    if states is not None:
        qs = qs.filter(state__in=states)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    scope = scope_for(user, VIEW)
    if scope.everything:
        return qs
    return qs.filter(scope.q(Proposal) | Q(submitted_by=user))


def proposal(user, pk) -> Proposal:
    try:
        return proposals_for(user).get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found."))


def any_proposal(user, pk) -> Proposal:
    """A proposal in any state as the user sees it (the services then say why its phase takes no delivery)."""
    try:
        return proposals_for(user, states=None).get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found."))


def may_list(user) -> bool:
    """The delivery list opens for funds viewers and for whoever submitted a funded proposal."""
    if has_capability(user, VIEW):
        return True
    return getattr(user, "is_authenticated", False) and Proposal.objects.filter(
        submitted_by=user, state__in=FUNDED_STATES).exists()


def milestone(user, pk) -> Milestone:
    found = Milestone.objects.select_related("proposal__call__fund__region").filter(pk=pk).first()
    if found is None or not proposals_for(user).filter(pk=found.proposal_id).exists():
        raise NotFound(_("Not found."))
    return found


def spending(user, pk) -> Spending:
    found = Spending.objects.select_related("proposal__call__fund__region", "budget_line").filter(pk=pk).first()
    if found is None or not proposals_for(user).filter(pk=found.proposal_id).exists():
        raise NotFound(_("Not found."))
    return found


def log(proposal_: Proposal):
    return proposal_.transitions.select_related("actor")


# --- money of one proposal -----------------------------------------------------------------------------------

def granted(proposal_) -> Decimal:
    """What the grant took out of the fund for this proposal (a positive amount)."""
    return -_sum(LedgerEntry.objects.filter(proposal=proposal_, kind=EntryKind.GRANT))


def returned(proposal_) -> Decimal:
    return _sum(LedgerEntry.objects.filter(proposal=proposal_, kind=EntryKind.RETURN))


def spent(proposal_) -> Decimal:
    return _sum(Spending.objects.filter(proposal=proposal_))


def grant_date(proposal_) -> date | None:
    """The day the grant was booked (its ledger row), else the day of the grant step."""
    entry = LedgerEntry.objects.filter(proposal=proposal_, kind=EntryKind.GRANT).order_by("occurred_on").first()
    if entry is not None:
        return entry.occurred_on
    step = proposal_.transitions.filter(action="grant").order_by("created_at").first()
    return timezone.localdate(step.created_at) if step is not None else None


@dataclass
class Line:
    line: object
    approved: Decimal
    spent: Decimal
    spendings: list = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.approved - self.spent

    @property
    def percent(self) -> int:
        return min(100, int(self.spent * 100 / self.approved)) if self.approved else 0


def budget(proposal_) -> list[Line]:
    """Each budget line with what was approved, spent and remains, and its spending rows."""
    rows: dict[int, Line] = {}
    for line in proposal_.budget_lines.all():
        rows[line.pk] = Line(line, (line.approved or Decimal("0")).quantize(FEN), Decimal("0.00"))
    for row in Spending.objects.filter(proposal=proposal_).select_related("recorded_by").order_by("spent_on", "pk"):
        if row.budget_line_id in rows:
            rows[row.budget_line_id].spent += row.amount
            rows[row.budget_line_id].spendings.append(row)
    return list(rows.values())


@dataclass
class Summary:
    granted: Decimal
    spent: Decimal
    returned: Decimal
    approved: Decimal

    @property
    def unspent(self) -> Decimal:
        return self.granted - self.spent - self.returned

    @property
    def spend_rate(self) -> int:
        return int(self.spent * 100 / self.granted) if self.granted else 0


def summary(proposal_) -> Summary:
    approved = _sum(proposal_.budget_lines.all(), "approved")
    return Summary(granted(proposal_), spent(proposal_), returned(proposal_), approved)


def photos(proposal_) -> dict[str, list]:
    found: dict[str, list] = {s: [] for s in PhotoStage.values}
    for photo in ProjectPhoto.objects.filter(proposal=proposal_):
        found[photo.stage].append(photo)
    return found


def review_meetings(proposal_):
    """Held review meetings (事后评议) that may close the proposal: those of its topic and of topics in its fund's
    region."""
    from gongzhi.deliberation.models import Meeting, MeetingKind
    from gongzhi.deliberation.policies.topics import HELD_STATES

    where = Q(topic__area__path__startswith=proposal_.call.fund.region.path)
    if proposal_.topic_id:
        where |= Q(topic_id=proposal_.topic_id)
    return Meeting.objects.filter(where, kind=MeetingKind.REVIEW, state__in=HELD_STATES).select_related(
        "topic").order_by("-starts_at", "-pk")


# --- lists -----------------------------------------------------------------------------------------------------

def overdue_milestones_q(today: date) -> Q:
    return Q(done_on__isnull=True, due_on__lt=today)


def without_receipts_q(today: date | None = None) -> Q:
    """Proposals with a spending row that has no scan, or granted ones with no spending a month after the grant."""
    today = today or timezone.localdate()
    no_scan = Exists(Spending.objects.filter(proposal=OuterRef("pk"), receipt=""))
    idle = (Q(state=ProposalState.GRANTED) & ~Exists(Spending.objects.filter(proposal=OuterRef("pk")))
            & Exists(LedgerEntry.objects.filter(proposal=OuterRef("pk"), kind=EntryKind.GRANT,
                                                occurred_on__lte=today - timedelta(days=IDLE_DAYS))))
    return Q(no_scan) | idle


def past_due_q(today: date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(state__in=OPEN_STATES) & Q(Exists(Milestone.objects.filter(
        overdue_milestones_q(today), proposal=OuterRef("pk"))))


def with_figures(qs: QuerySet) -> QuerySet:
    """Proposals with what was spent on them (`spent_total`) and their open milestones past due (`late`)."""
    spent_sq = Spending.objects.filter(proposal=OuterRef("pk")).order_by().values("proposal").annotate(
        t=Sum("amount")).values("t")
    return qs.annotate(spent_total=Coalesce(Subquery(spent_sq), ZERO),
                       granted_total=-Coalesce(Subquery(_booked(EntryKind.GRANT)), ZERO))


def _booked(kind: str):
    """The sum of the proposal's (OuterRef) ledger rows of `kind`, as a subquery."""
    return LedgerEntry.objects.filter(proposal=OuterRef("pk"), kind=kind).order_by().values("proposal").annotate(
        t=Sum("amount")).values("t")


def year_q(year: int) -> Q:
    """The budget year of the proposal's fund (the year the proposal was made for a fund without one)."""
    return Q(call__fund__year=year) | Q(call__fund__year__isnull=True, created_at__year=year)


def delivery_list(user, params, today: date | None = None) -> QuerySet:
    """The delivery list of the user's scope, narrowed by ``year``, ``area`` (a region's pk), ``state``,
    ``late=1`` (milestones past due), ``unreceipted=1`` (spending without receipts) and ``q`` (title)."""
    today = today or timezone.localdate()
    qs = proposals_for(user)
    if year := int_param(params, "year", minimum=1900, maximum=9999):
        qs = qs.filter(year_q(year))
    if area := int_param(params, "area"):
        region = Region.objects.filter(pk=area).first()
        qs = qs.filter(call__fund__region__path__startswith=region.path) if region else qs.none()
    if (state := params.get("state") or "") in FUNDED_STATES:
        qs = qs.filter(state=state)
    if params.get("late") == "1":
        qs = qs.filter(past_due_q(today))
    if params.get("unreceipted") == "1":
        qs = qs.filter(without_receipts_q(today))
    if q := (params.get("q") or "").strip():
        qs = qs.filter(title__icontains=q)
    return with_figures(qs).order_by("-created_at", "-pk")


def areas_for(user) -> QuerySet:
    """The residential areas the user's funds.view scope reaches (for the list's filter)."""
    areas = Region.objects.filter(kind=RegionKind.RESIDENTIAL_AREA).order_by("path")
    scope = scope_for(user, VIEW)
    if scope.everything:
        return areas
    return areas.filter(Q(pk__in=[]) if not scope.region_paths else
                        Q(*[Q(path__startswith=p) for p in scope.region_paths], _connector=Q.OR))


def years_for(qs: QuerySet) -> list[int]:
    years = {y for y in qs.values_list("call__fund__year", flat=True) if y}
    years |= {d.year for d in qs.filter(call__fund__year__isnull=True).values_list("created_at", flat=True)}
    return sorted(years, reverse=True)


# --- workbench cards ------------------------------------------------------------------------------------------

def milestones_due_card(user, today: date | None = None) -> dict | None:
    """Milestones of projects under way whose due date has passed without them being done, in the user's scope."""
    if not has_capability(user, VIEW):
        return None
    today = today or timezone.localdate()
    scope = scope_for(user, VIEW)
    qs = scope.filter(Milestone.objects.filter(overdue_milestones_q(today), proposal__state__in=OPEN_STATES))
    qs = qs.select_related("proposal").order_by("due_on", "pk")
    built = card(qs, f"{reverse('funds:delivery_list')}?late=1",
                 lambda m: {"text": f"{m.due_on:%m-%d} {m.proposal.title[:24]} · {m.title[:24]}",
                            "url": reverse("funds:delivery_detail", args=[m.proposal_id]) + f"#milestone-{m.pk}"},
                 urgent=True)
    return built | {"note": _("Milestones of funded projects past their due date.")}


def without_receipts_card(user, today: date | None = None) -> dict | None:
    """Funded projects with spending whose receipt scan is missing, or granted a month ago and nothing spent."""
    if not has_capability(user, VIEW):
        return None
    scope = scope_for(user, VIEW)
    qs = scope.filter(Proposal.objects.filter(state__in=FUNDED_STATES)).filter(without_receipts_q(today))
    built = card(qs.order_by("created_at", "pk"), f"{reverse('funds:delivery_list')}?unreceipted=1",
                 lambda p: {"text": p.title[:40], "url": reverse("funds:delivery_detail", args=[p.pk])})
    return built | {"note": _("Spending without a receipt scan, or a grant with nothing spent after 30 days.")}


# --- uploads (gongzhi.core.media.serve) -----------------------------------------------------------------------

def receipt_for_file(user, name: str) -> Spending | None:
    """The spending row whose receipt scan is stored as `name` when the user sees its proposal, else None."""
    found = Spending.objects.filter(receipt=name).first()
    if found is None or not proposals_for(user).filter(pk=found.proposal_id).exists():
        return None
    return found


def photo_for_file(user, name: str) -> ProjectPhoto | None:
    found = ProjectPhoto.objects.filter(image=name).first()
    if found is None or not proposals_for(user).filter(pk=found.proposal_id).exists():
        return None
    return found


# --- due milestones (the job) ----------------------------------------------------------------------------------

def milestones_falling_due(today: date, days_ahead: int) -> QuerySet:
    """Open milestones of projects under way due within `days_ahead` days (or already past), not yet reminded."""
    return Milestone.objects.filter(
        done_on__isnull=True, reminded_on__isnull=True, due_on__lte=today + timedelta(days=days_ahead),
        proposal__state__in=OPEN_STATES).select_related("proposal__call__fund__region").order_by("due_on", "pk")


# --- the public results page (no account; nothing personal) ------------------------------------------------

def public_area(pk) -> Region:
    found = Region.objects.filter(pk=pk, kind=RegionKind.RESIDENTIAL_AREA).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def public_proposals(area: Region) -> QuerySet:
    """The funded proposals of the area's own funds (its autonomy funds)."""
    return Proposal.objects.filter(state__in=FUNDED_STATES, call__fund__region=area)


def public_years(area: Region) -> list[int]:
    return years_for(public_proposals(area))


@dataclass
class PublicProject:
    """What the public page shows of a funded project: never a contact, a payee or a person's name."""

    pk: int
    title: str
    summary: str
    origin: str
    beneficiaries: str
    state: str
    state_label: str
    granted: Decimal
    spent: Decimal
    returned: Decimal
    progress: int
    beneficiaries_reached: int
    starts_on: date | None
    ends_on: date | None
    milestones: list
    lines: list
    before: list
    after: list
    result: str
    completed_on: date | None


def public_results(area: Region, year: int | None) -> list[PublicProject]:
    """Each funded project of the area in `year` with what was funded and spent, its progress, its before and
    after photos (signed links) and its completion."""
    from gongzhi.core.media import signed_url

    qs = public_proposals(area)
    if year:
        qs = qs.filter(year_q(year))
    made = []
    completed = ProposalTransition.objects.filter(proposal=OuterRef("pk"), action="complete").order_by(
        "-created_at").values("created_at")[:1]
    qs = with_figures(qs).annotate(returned_total=Coalesce(Subquery(_booked(EntryKind.RETURN)), ZERO),
                                   completed_at=Subquery(completed))
    for p in qs.order_by("title", "pk").prefetch_related("milestones", "photos", "budget_lines"):
        pics = {s: [] for s in PhotoStage.values}
        for photo in p.photos.all():
            pics[photo.stage].append({"url": signed_url(photo.image), "caption": photo.caption})
        made.append(PublicProject(
            pk=p.pk, title=p.title, summary=p.summary, origin=p.get_origin_display(), beneficiaries=p.beneficiaries,
            state=p.state, state_label=p.get_state_display(), granted=Decimal(p.granted_total).quantize(FEN),
            spent=Decimal(p.spent_total).quantize(FEN),
            returned=Decimal(p.returned_total).quantize(FEN), progress=p.progress, beneficiaries_reached=p.beneficiaries_reached,
            starts_on=p.starts_on, ends_on=p.ends_on,
            milestones=[{"title": m.title, "due_on": m.due_on, "done_on": m.done_on} for m in p.milestones.all()],
            lines=[{"item": b.item, "approved": b.approved} for b in p.budget_lines.all() if b.approved],
            before=pics[PhotoStage.BEFORE], after=pics[PhotoStage.AFTER],
            result=p.result if p.state == ProposalState.COMPLETED else "",
            completed_on=timezone.localdate(p.completed_at) if p.completed_at else None,
        ))
    return made
