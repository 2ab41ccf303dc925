"""Reads of the calls part, always scoped by the user (``funds.view`` over the fund's region); out of scope is
NotFound, exactly like missing. The public H5 reads show only what residents may see: calls that have been
announced (not cancelled) and their proposals' titles, summaries, budgets and counts, never a contact."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import access, has_capability, scoped
from gongzhi.core import crypto
from gongzhi.core.errors import NotFound, int_param
from gongzhi.core.workbench import card
from gongzhi.funds.models import (
    FEN,
    BudgetLine,
    Call,
    EntryKind,
    LedgerEntry,
    Proposal,
    ProposalCosign,
)
from gongzhi.funds.policies.calls import MANAGE, VIEW
from gongzhi.funds.workflow import FUNDED_STATES, CallState, ProposalState
from gongzhi.registry.models import Household, Region, RegionKind

ZERO = Decimal("0.00")
# proposals whose asked amount counts towards the call's demand (not withdrawn)
COUNTED = tuple(s for s in ProposalState.values if s != ProposalState.WITHDRAWN)
APPROVED_STATES = (ProposalState.FEASIBLE, ProposalState.SELECTED, *FUNDED_STATES)


def calls_for(user):
    return scoped(user, Call, VIEW).select_related("fund__region")


def filter_calls(qs, params):
    """?fund= ?year= ?state= ?q= (title or description)."""
    if fund := int_param(params, "fund"):
        qs = qs.filter(fund_id=fund)
    if year := int_param(params, "year", minimum=1900, maximum=2999):
        qs = qs.filter(fund__year=year)
    if (state := (params.get("state") or "").strip()) and state in CallState.values:
        qs = qs.filter(state=state)
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return qs


def call(user, pk) -> Call:
    return access(user, calls_for(user), VIEW, pk=pk)


def proposals_for(user):
    return scoped(user, Proposal, VIEW).select_related("call__fund__region", "volunteer_team", "topic", "vote")


def filter_proposals(qs, params):
    """?call= ?state= ?origin= ?q= (title, summary, team)."""
    if pk := int_param(params, "call"):
        qs = qs.filter(call_id=pk)
    if (state := (params.get("state") or "").strip()) and state in ProposalState.values:
        qs = qs.filter(state=state)
    if origin := (params.get("origin") or "").strip():
        qs = qs.filter(origin=origin)
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(team_name__icontains=q))
    return qs


def proposal(user, pk) -> Proposal:
    return access(user, proposals_for(user), VIEW, pk=pk)


def years(user) -> list[int]:
    return sorted({y for y in calls_for(user).values_list("fund__year", flat=True) if y}, reverse=True)


def funds_for_new_call(user):
    """The active funds the user may open a call on."""
    from gongzhi.funds.models import Fund

    return scoped(user, Fund, MANAGE).filter(is_active=True).select_related("region")


def asked(proposal: Proposal) -> Decimal:
    return (proposal.budget_lines.aggregate(s=Sum("amount"))["s"] or ZERO).quantize(FEN)


def lines(proposal: Proposal) -> list[BudgetLine]:
    return list(proposal.budget_lines.order_by("position", "pk"))


def granted_in(call_or_pk) -> Decimal:
    """What the call has granted: the grants booked in the ledger for its proposals (positive)."""
    pk = getattr(call_or_pk, "pk", call_or_pk)
    total = LedgerEntry.objects.filter(proposal__call_id=pk, kind=EntryKind.GRANT).aggregate(s=Sum("amount"))["s"]
    return (-(total or ZERO)).quantize(FEN)


def totals(call: Call) -> dict:
    """Asked, approved (reviewed feasible onwards), selected and granted, against the call's budget."""
    asked_sum = BudgetLine.objects.filter(proposal__call=call, proposal__state__in=COUNTED).aggregate(
        s=Sum("amount"))["s"] or ZERO
    approved = call.proposals.filter(state__in=APPROVED_STATES).aggregate(s=Sum("approved_amount"))["s"] or ZERO
    selected = call.proposals.filter(state__in=(ProposalState.SELECTED, *FUNDED_STATES)).aggregate(
        s=Sum("approved_amount"))["s"] or ZERO
    granted = granted_in(call)
    return {"budget": call.budget, "asked": asked_sum.quantize(FEN), "approved": approved.quantize(FEN),
            "selected": selected.quantize(FEN), "granted": granted, "left": (call.budget - granted).quantize(FEN),
            "count": call.proposals.count()}


def state_counts(call: Call) -> dict[str, int]:
    return dict(call.proposals.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))


def cosign_count(proposal: Proposal) -> int:
    return proposal.cosigns.count()


def cosigns(proposal: Proposal):
    """The households co-signing the proposal, first first."""
    return proposal.cosigns.select_related("household__building").order_by("created_at", "pk")


def call_log(call: Call):
    return call.transitions.select_related("actor").order_by("created_at", "id")


def proposal_log(proposal: Proposal):
    return proposal.transitions.select_related("actor").order_by("created_at", "id")


def to_review_card(user):
    """Workbench: proposals waiting for a review in calls that are in their reviewing phase (staff who manage)."""
    if not has_capability(user, MANAGE):
        return None
    qs = (scoped(user, Proposal, MANAGE).filter(state=ProposalState.SUBMITTED, call__state=CallState.REVIEWING)
          .select_related("call").order_by("created_at", "pk"))
    return card(qs, reverse("funds:calls_proposal_list") + f"?state={ProposalState.SUBMITTED}",
                lambda p: {"text": f"{p.title} · {p.call.title}",
                           "url": reverse("funds:calls_proposal_detail", args=[p.pk])})


# --- The public H5 pages -------------------------------------------------------------------------------------------

PUBLIC_CALL_STATES = tuple(s for s in CallState.values if s not in (CallState.INFORMING, CallState.CANCELLED))
PUBLIC_PROPOSAL_STATES = tuple(s for s in ProposalState.values if s != ProposalState.WITHDRAWN)


def public_area(pk) -> Region:
    found = Region.objects.filter(pk=pk, kind=RegionKind.RESIDENTIAL_AREA).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def public_calls(area: Region):
    """The calls of the area's funds residents may see (announced, not cancelled), newest first."""
    return (Call.objects.filter(fund__region=area, state__in=PUBLIC_CALL_STATES).select_related("fund")
            .order_by("-created_at", "-pk"))


def public_call(pk) -> Call:
    found = Call.objects.filter(pk=pk, state__in=PUBLIC_CALL_STATES).select_related("fund__region").first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def public_proposals(call: Call):
    return (call.proposals.filter(state__in=PUBLIC_PROPOSAL_STATES).annotate(n_cosigns=Count("cosigns"))
            .order_by("-created_at", "-pk"))


def public_proposal(pk) -> Proposal:
    found = (Proposal.objects.filter(pk=pk, state__in=PUBLIC_PROPOSAL_STATES, call__state__in=PUBLIC_CALL_STATES)
             .select_related("call__fund__region").first())
    if found is None:
        raise NotFound(_("Not found."))
    return found


def households_for_phone(phone: str):
    hashes = crypto.lookup_hashes(phone)
    return Household.objects.filter(Q(phone_hash__in=hashes) | Q(other_phone_hash__in=hashes))


def call_households(call: Call):
    """The households of the call's fund's region (a residential area, or a whole sub-district)."""
    return Household.objects.filter(building__region__path__startswith=call.fund.region.path)


def my_households(call: Call, phone: str):
    if not phone:
        return Household.objects.none()
    return call_households(call).filter(pk__in=households_for_phone(phone).values("pk")).select_related("building")


def my_cosigns(proposal: Proposal, phone: str) -> list[dict]:
    mine = list(my_households(proposal.call, phone))
    signed = set(ProposalCosign.objects.filter(proposal=proposal, household__in=mine)
                 .values_list("household_id", flat=True))
    return [{"household": h, "signed": h.pk in signed} for h in mine]
