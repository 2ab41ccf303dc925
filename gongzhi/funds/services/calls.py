"""Writes of the calls part: calls for proposals through their phases, proposals with their budget lines, the
households co-signing them, the review, the selection (a household vote of the deliberation app, or a council's
decision) and the grant. One transaction per call, signature ``verb(subject, *, actor, ...)`` with plain values;
states change only through `gongzhi.core.workflow.transition` (CALL_FLOW, PROPOSAL_FLOW).

Amounts are `Decimal` yuan in whole fen: a budget line's amount is its quantity times its unit price, which must
come out in whole fen. A grant books the approved amount out of the call's fund (`services.ledger.grant_from`,
which locks the fund) and moves the proposal in the same transaction, under the call's lock, so the sum granted
in a call never exceeds its budget and a fund that cannot cover a grant refuses it with nothing written.

Actors: staff (``funds.manage`` over the fund's region), `SYSTEM`, or `SUBMITTER`: a resident on H5 whose phone
the caller proved with an SMS code (`proven_phone`). The proposing team hears of a decision after commit: the inbox
of the account that entered it, an SMS to its contact phone.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import crypto
from gongzhi.core.errors import (
    MAX_ID,
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    NothingChanged,
    ValidationFailed,
)
from gongzhi.core.workflow import (
    SUBMITTER,
    SYSTEM,
    check_actor,
    is_user,
    pk_of,
    record_creation,
    snapshot,
    transition,
    user_of,
)
from gongzhi.deliberation.models import (
    Meeting,
    Topic,
    TopicSource,
    Vote,
    VoteKind,
    VoteResult,
    VoteScope,
)
from gongzhi.deliberation.workflows_votes import VoteState
from gongzhi.funds.models import (
    FEN,
    BudgetLine,
    Call,
    Fund,
    Proposal,
    ProposalCosign,
    ProposalOrigin,
    SelectionMethod,
)
from gongzhi.funds.policies import calls as policies
from gongzhi.funds.selectors import calls as selectors
from gongzhi.funds.services import ledger
from gongzhi.funds.workflow import (
    CALL_FLOW,
    PROPOSAL_FLOW,
    CallAction,
    CallState,
    ProposalAction,
    ProposalState,
)
from gongzhi.registry.models import Household, RegionKind, VolunteerTeam, phone_validator

MAX_LINES = 30
MAX_QUANTITY = Decimal("99999999.99")


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _save(obj, actor, reason: str) -> None:
    obj._history_user = user_of(actor)
    obj._change_reason = reason
    obj.save()


def _refuse_unless(allowed: bool, actor, subject) -> None:
    """Forbidden when the actor sees the subject but may not act; NotFound when they do not even see it."""
    if allowed:
        return
    if policies.sees(actor, subject):
        raise Forbidden(_("You do not have permission to do this."))
    raise NotFound(_("Not found."))


def _locked_call(call) -> Call:
    try:
        return Call.objects.select_for_update(of=("self",)).select_related("fund__region").get(pk=pk_of(call))
    except (Call.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None


def _locked_proposal(proposal) -> Proposal:
    try:
        return (Proposal.objects.select_for_update(of=("self",)).select_related("call__fund__region", "vote")
                .get(pk=pk_of(proposal)))
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None


def _decimal(value, field: str, *, allow_zero: bool = False) -> Decimal:
    """A non-negative Decimal with at most two decimals (whole fen); a field error otherwise."""
    if isinstance(value, float | bool):
        raise ValidationFailed.on(field, _("Give the amount as a number of yuan with at most two decimals."))
    try:
        number = Decimal(str(value).strip().replace(",", "")) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise ValidationFailed.on(field, _("Give the amount as a number of yuan with at most two decimals."))
    if number != number.quantize(FEN):
        raise ValidationFailed.on(field, _("An amount cannot have fractions of a fen."))
    if number < 0 or (number == 0 and not allow_zero):
        raise ValidationFailed.on(field, _("The amount must be more than zero."))
    if number > ledger.MAX_AMOUNT:
        raise ValidationFailed.on(field, _("The amount is too large."))
    return number.quantize(FEN)


# --- Calls ---------------------------------------------------------------------------------------------------------

CALL_FIELDS = ("title", "description", "budget", "max_per_proposal", "cosigns_needed", "selection",
               "accepting_until")


def _call_values(fund: Fund, *, title, budget, description="", max_per_proposal=None, cosigns_needed=0,
                 selection=SelectionMethod.HOUSEHOLD_VOTE, accepting_until=None) -> dict:
    """The call's field values checked together: ValidationFailed with every field error at once. The budget must
    be above zero and fit what the fund holds now."""
    errors: dict[str, list[str]] = {}

    def err(field, message):
        errors.setdefault(field, []).append(str(message))

    title = (title or "").strip()
    if not title:
        err("title", _("This field is required."))
    elif len(title) > 120:
        err("title", _("At most 120 characters."))
    value = None
    try:
        value = ledger.to_amount(budget, "budget")
    except ValidationFailed as e:
        errors.update(e.field_errors)
    if value is not None:
        available = ledger.balance(fund)
        if value > available:
            err("budget", _("The budget cannot be more than the fund holds (¥%(available)s).")
                % {"available": available})
    most = None
    if max_per_proposal not in (None, ""):
        try:
            most = ledger.to_amount(max_per_proposal, "max_per_proposal")
        except ValidationFailed as e:
            errors.update(e.field_errors)
        else:
            if value is not None and most > value:
                err("max_per_proposal", _("The most per proposal cannot be more than the budget."))
    try:
        cosigns = int(cosigns_needed or 0)
    except (TypeError, ValueError):
        cosigns = -1
    if not 0 <= cosigns <= 500:
        err("cosigns_needed", _("Enter a number between 0 and 500."))
    if selection not in SelectionMethod.values:
        err("selection", _("Select a valid choice."))
    if errors:
        raise ValidationFailed(_("Check the form."), field_errors=errors)
    return {"title": title, "description": (description or "").strip(), "budget": value, "max_per_proposal": most,
            "cosigns_needed": cosigns, "selection": selection, "accepting_until": accepting_until or None}


def create_call(fund, *, actor, now: datetime | None = None, **fields) -> Call:
    """A call for proposals on `fund`, announced (informing): its budget above zero and within the fund's balance."""
    check_actor(actor)
    now = _now(now)
    with transaction.atomic():
        found = Fund.objects.select_related("region").filter(pk=pk_of(fund)).first() if fund not in (None, "") else None
        if found is None:
            raise ValidationFailed.on("fund", _("Choose the fund the call grants from."))
        if not policies.manages_fund(actor, found):
            raise ValidationFailed.on("fund", _("The fund is outside your scope."))
        if not found.is_active:
            raise ValidationFailed.on("fund", _("This fund is closed."))
        values = _call_values(found, **fields)
        call = Call(fund=found, created_by=user_of(actor), created_at=now, state=CallState.INFORMING, **values)
        _save(call, actor, "create")
        record_creation(call, CallAction.ANNOUNCE, workflow=CALL_FLOW, actor=actor, now=now)
    return call


def update_call(call, *, actor, **fields) -> Call:
    """Change a call before its intake closes; NothingChanged when nothing would."""
    check_actor(actor)
    with transaction.atomic():
        call = _locked_call(call)
        _refuse_unless(policies.manages(actor, call), actor, call)
        if call.state not in policies.EDITABLE_PHASES:
            raise Conflict(_("A call can be changed only until its intake closes."))
        merged = {name: getattr(call, name) for name in CALL_FIELDS} | fields
        values = _call_values(call.fund, **merged)
        before = snapshot(call)
        for name, value in values.items():
            setattr(call, name, value)
        if snapshot(call) == before:
            raise NothingChanged()
        _save(call, actor, "edit")
    return call


def transition_call(call, action: str, *, actor, note: str = "", now: datetime | None = None) -> Call:
    """Move the call to its next phase (or cancel it, with a reason). A phase ends once its proposals are dealt
    with (`policies.why_not_phase`)."""
    if action not in CallAction.values or action == CallAction.ANNOUNCE:
        raise ValidationFailed.on("action", _("Select a valid choice."))

    def authorize(locked: Call) -> None:
        _refuse_unless(policies.manages(actor, locked), actor, locked)
        if CALL_FLOW.target(locked.state, action) is not None and (reason := policies.why_not_phase(locked, action)):
            raise Conflict(reason)

    changes = {"cancel_reason": (note or "").strip()} if action == CallAction.CANCEL else {}
    return transition(call, action, workflow=CALL_FLOW, actor=actor, note=note, now=now, authorize=authorize,
                      related=("fund__region",), **changes)


def cancel_call(call, *, actor, reason: str, now: datetime | None = None) -> Call:
    return transition_call(call, CallAction.CANCEL, actor=actor, note=reason, now=now)


# --- Proposals -----------------------------------------------------------------------------------------------------

def clean_lines(lines, *, field: str = "lines") -> list[dict]:
    """Budget lines [{item, quantity, unit_price}] → checked rows with their amount (quantity × unit price, in
    whole fen). At least one line; every error at once, keyed ``lines`` ("Line 2: …")."""
    errors: list[str] = []
    rows = []
    for n, line in enumerate(lines or (), start=1):
        item = str(line.get("item") or "").strip()
        if not item and line.get("quantity") in (None, "") and line.get("unit_price") in (None, ""):
            continue  # an empty row of the form
        problems = []
        if not item:
            problems.append(_("name the item"))
        elif len(item) > 120:
            problems.append(_("the item has at most 120 characters"))
        try:
            quantity = _decimal(line.get("quantity"), "quantity")
        except ValidationFailed:
            quantity = None
            problems.append(_("the quantity must be a number above zero with at most two decimals"))
        try:
            price = _decimal(line.get("unit_price"), "unit_price")
        except ValidationFailed:
            price = None
            problems.append(_("the unit price must be an amount of yuan above zero in whole fen"))
        amount = None
        if quantity is not None and price is not None:
            if quantity > MAX_QUANTITY:
                problems.append(_("the quantity is too large"))
            amount = quantity * price
            if amount != amount.quantize(FEN):
                problems.append(_("quantity × unit price must come out in whole fen"))
            elif amount > ledger.MAX_AMOUNT:
                problems.append(_("the amount is too large"))
        if problems:
            errors.append(_("Line %(n)d: %(problems)s.") % {"n": n, "problems": _("; ").join(problems)})
        else:
            rows.append({"item": item, "quantity": quantity, "unit_price": price, "amount": amount.quantize(FEN)})
    if not rows and not errors:
        errors.append(_("Give at least one budget line."))
    if len(rows) > MAX_LINES:
        errors.append(_("At most %(n)d budget lines.") % {"n": MAX_LINES})
    if errors:
        raise ValidationFailed(errors[0], field_errors={field: errors})
    return rows


def _proposer(call: Call, actor, *, origin, volunteer_team, topic, household, contact_phone, proven_phone,
              errors: dict) -> tuple:
    """The proposing side checked against the call's region and the actor: (origin, team, topic, household,
    phone)."""
    def err(field, message):
        errors.setdefault(field, []).append(str(message))

    region = call.fund.region
    resident = actor is SUBMITTER
    if resident:
        if not proven_phone:
            raise Forbidden(_("Confirm your phone number by SMS first."))
        origin, volunteer_team, topic, contact_phone = ProposalOrigin.RESIDENT_TEAM, None, None, proven_phone
    if origin not in ProposalOrigin.values:
        err("origin", _("Select a valid choice."))
    team = None
    if origin == ProposalOrigin.VOLUNTEER_TEAM:
        team = VolunteerTeam.objects.select_related("region").filter(pk=pk_of(volunteer_team)).first() \
            if volunteer_team not in (None, "") else None
        if team is None:
            err("volunteer_team", _("Choose the volunteer team."))
        elif not (team.region.path.startswith(region.path) or region.path.startswith(team.region.path)):
            err("volunteer_team", _("The volunteer team does not serve the call's region."))
    found_topic = None
    if topic not in (None, ""):
        found_topic = Topic.objects.select_related("area").filter(pk=pk_of(topic)).first()
        if found_topic is None or not found_topic.area.path.startswith(region.path):
            err("topic", _("The topic is not one of the call's region."))
    if origin == ProposalOrigin.TOPIC and topic in (None, ""):
        err("topic", _("Choose the deliberation topic the proposal comes from."))
    home = None
    if household not in (None, ""):
        home = (Household.objects.select_related("building__region").filter(pk=pk_of(household)).order_by().first())
        if home is None or not home.building.region.path.startswith(region.path):
            err("household", _("The household is outside the call's region."))
        elif resident and not selectors.households_for_phone(proven_phone).filter(pk=home.pk).exists():
            err("household", _("This household did not register the phone you confirmed."))
    phone = (contact_phone or "").replace(" ", "").strip()
    if phone:
        try:
            phone_validator(phone)
        except DjangoValidationError:
            err("contact_phone", _("Enter a valid mobile or landline number."))
    return origin, team, found_topic, home, phone


def submit_proposal(call, *, actor, title: str, summary: str, lines, origin: str = ProposalOrigin.RESIDENT_TEAM,
                    team_name: str = "", volunteer_team=None, topic=None, household=None, contact_name: str = "",
                    contact_phone: str = "", proven_phone: str = "", beneficiaries: str = "",
                    beneficiary_count=0, starts_on: date | None = None, ends_on: date | None = None,
                    now: datetime | None = None) -> Proposal:
    """A proposal answering `call` while it accepts proposals: entered by staff for a resident or volunteer team or
    from a deliberation topic, or by a resident on H5 (actor SUBMITTER, `proven_phone` the phone an SMS code
    proved, which becomes the contact phone). It starts collecting co-signing households when the call asks for
    them and a resident team proposes it, else submitted. Submitting the same title with the same contact phone
    to the same call again returns the proposal already there (a double tap, a resent form)."""
    check_actor(actor)
    now = _now(now)
    with transaction.atomic():
        call = _locked_call(call)
        if actor is not SUBMITTER:
            _refuse_unless(policies.manages(actor, call), actor, call)
        if not policies.accepts_proposals(call):
            raise Conflict(_("This call does not accept proposals now."), code="not_accepting")
        errors: dict[str, list[str]] = {}
        title = (title or "").strip()
        summary = (summary or "").strip()
        if not title:
            errors["title"] = [_("This field is required.")]
        elif len(title) > 120:
            errors["title"] = [_("At most 120 characters.")]
        if not summary:
            errors["summary"] = [_("This field is required.")]
        origin, team, found_topic, home, phone = _proposer(
            call, actor, origin=origin, volunteer_team=volunteer_team, topic=topic, household=household,
            contact_phone=contact_phone, proven_phone=proven_phone, errors=errors)
        rows = []
        try:
            rows = clean_lines(lines)
        except ValidationFailed as e:
            errors.update(e.field_errors)
        total = sum((r["amount"] for r in rows), Decimal("0"))
        if rows and call.max_per_proposal is not None and total > call.max_per_proposal:
            errors.setdefault("lines", []).append(
                _("The budget (¥%(total)s) is above the most a proposal may ask (¥%(most)s).")
                % {"total": total.quantize(FEN), "most": call.max_per_proposal})
        try:
            count = int(beneficiary_count or 0)
        except (TypeError, ValueError):
            count = -1
        if count < 0:
            errors["beneficiary_count"] = [_("Enter a whole number, zero or more.")]
        if starts_on and ends_on and ends_on < starts_on:
            errors["ends_on"] = [_("The project cannot end before it starts.")]
        if errors:
            raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
        if phone:
            existing = (Proposal.objects.filter(call=call, title=title,
                                                contact_phone_hash__in=crypto.lookup_hashes(phone))
                        .order_by("pk").first())
            if existing is not None:
                return existing
        collecting = call.cosigns_needed > 0 and origin == ProposalOrigin.RESIDENT_TEAM
        proposal = Proposal(
            call=call, title=title, summary=summary, origin=origin, team_name=(team_name or "").strip()[:80]
            or (team.name if team else ""), volunteer_team=team, topic=found_topic, household=home,
            contact_name=(contact_name or "").strip()[:40], contact_phone=phone,
            beneficiaries=(beneficiaries or "").strip()[:200], beneficiary_count=count, starts_on=starts_on,
            ends_on=ends_on, state=ProposalState.COLLECTING if collecting else ProposalState.SUBMITTED,
            submitted_by=user_of(actor), created_at=now)
        _save(proposal, actor, "create")
        for i, row in enumerate(rows):
            line = BudgetLine(proposal=proposal, position=i, **row)
            _save(line, actor, "create")
        record_creation(proposal, ProposalAction.PROPOSE, workflow=PROPOSAL_FLOW, actor=actor, now=now,
                        extra={"asked": str(total.quantize(FEN))})
    return proposal


def edit_proposal(proposal, *, actor, **fields) -> Proposal:
    """Change a proposal's description (title, summary, team, contact, beneficiaries) while it waits for its review;
    its budget, call and state stay. NothingChanged when nothing would."""
    check_actor(actor)
    with transaction.atomic():
        locked = _locked_proposal(proposal)
        _refuse_unless(policies.manages(actor, locked), actor, locked)
        if locked.state not in (ProposalState.COLLECTING, ProposalState.SUBMITTED):
            raise Conflict(_("A proposal can be changed only until its review."))
        errors: dict[str, list[str]] = {}
        allowed = ("title", "summary", "team_name", "contact_name", "contact_phone", "beneficiaries",
                   "beneficiary_count")
        before = snapshot(locked)
        for name, value in fields.items():
            if name not in allowed:
                raise ValidationFailed.on(name, _("This cannot be changed here."))
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        if not locked.title:
            errors["title"] = [_("This field is required.")]
        if not locked.summary:
            errors["summary"] = [_("This field is required.")]
        if locked.contact_phone:
            try:
                phone_validator(locked.contact_phone)
            except DjangoValidationError:
                errors["contact_phone"] = [_("Enter a valid mobile or landline number.")]
        if errors:
            raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
        if snapshot(locked) == before:
            raise NothingChanged()
        _save(locked, actor, "edit")
    return locked


def import_proposals(rows, *, actor) -> None:
    """The Excel import's writer (all or nothing): [(proposal, is_new, data)], new ones submitted to their call as
    if entered on the page, existing ones with their description changed."""
    with transaction.atomic():
        for obj, is_new, data in rows:
            if is_new:
                submit_proposal(obj.call, actor=actor, lines=data["lines"], **data["values"])
            else:
                edit_proposal(obj, actor=actor, **data["changes"])


def cosign_proposal(proposal, *, actor, household, proven_phone: str = "", now: datetime | None = None
                    ) -> ProposalCosign:
    """A household backs a proposal still collecting co-signatures (once: a second is a Conflict, and the database
    stops parallel duplicates). A resident co-signs for a household whose phone they proved; staff record a
    co-signature given on paper. The proposal is submitted once the call's number of households is reached."""
    from gongzhi.deliberation.policies.votes import acts_for_household

    check_actor(actor)
    now = _now(now)
    with transaction.atomic():
        proposal = _locked_proposal(proposal)
        staff = actor is not SUBMITTER and policies.manages(actor, proposal)
        if actor is not SUBMITTER and not staff:
            _refuse_unless(False, actor, proposal)
        if not policies.takes_cosigns(proposal):
            raise Conflict(_("This proposal does not take co-signatures."), code="not_collecting")
        home = (Household.objects.select_related("building__region").filter(pk=pk_of(household)).order_by().first()
                if household not in (None, "") else None)
        if home is None:
            raise ValidationFailed.on("household", _("Choose a household."))
        if not staff and not acts_for_household(actor, home, proven_phone):
            raise Forbidden(_("Confirm a phone number of this household first."))
        if not home.building.region.path.startswith(proposal.call.fund.region.path):
            raise ValidationFailed.on("household", _("The household is outside the call's region."))
        duplicate = _("This household has already co-signed.")
        if ProposalCosign.objects.filter(proposal=proposal, household=home).exists():
            raise Conflict(duplicate, code="already_cosigned")
        cosign = ProposalCosign(proposal=proposal, household=home, created_at=now)
        try:
            with transaction.atomic():
                cosign.save()
        except IntegrityError:  # a parallel co-signature of the same household won the race
            raise Conflict(duplicate, code="already_cosigned") from None
        if proposal.cosigns.count() >= proposal.call.cosigns_needed:
            transition(proposal, ProposalAction.SUBMIT, workflow=PROPOSAL_FLOW, actor=SYSTEM, now=now,
                       note=_("%(n)d households co-signed.") % {"n": proposal.call.cosigns_needed})
    return cosign


def _authorize(actor, action: str):
    """The policy check on the locked proposal: Forbidden (or NotFound out of sight) without the right; a
    Conflict naming the phase or state when the right is there but not now."""
    def check(locked: Proposal) -> None:
        if policies.can(actor, locked, action):
            return
        if action == "grant":
            from gongzhi.funds.policies.ledger import may_grant

            allowed = actor is SYSTEM or (is_user(actor) and may_grant(actor, locked.call.fund))
        else:
            allowed = policies.manages(actor, locked)
        _refuse_unless(allowed, actor, locked)
        raise InvalidTransition(_("This cannot be done in the current phase of the call or state of the proposal."))

    return check


def review_proposal(proposal, *, actor, approved_lines: dict, note: str, now: datetime | None = None) -> Proposal:
    """Record the review of a submitted proposal (the call reviewing): feasible, funding each budget line with the
    amount given (at most what the line asks; less funds the proposal in part, zero drops the line), with a reason
    on feasibility and price. The amount to fund is the sum; it must be above zero and within the call's most per
    proposal."""
    check_actor(actor)
    note = (note or "").strip()
    with transaction.atomic():
        checks: dict = {}

        def prepare(locked: Proposal) -> None:
            lines = {line.pk: line for line in locked.budget_lines.all()}
            given = {int(pk_of(k)): v for k, v in (approved_lines or {}).items()}
            errors: dict[str, list[str]] = {}
            unknown = set(given) - set(lines)
            if unknown:
                errors["approved_lines"] = [_("Some lines are not this proposal's.")]
            for pk, line in lines.items():
                field = f"line_{pk}"
                if pk not in given:
                    errors[field] = [_("Give the amount to fund for this line.")]
                    continue
                try:
                    value = _decimal(given[pk], field, allow_zero=True)
                except ValidationFailed as e:
                    errors.update(e.field_errors)
                    continue
                if value > line.amount:
                    errors[field] = [_("At most what the line asks (¥%(amount)s).") % {"amount": line.amount}]
                checks[pk] = value
            total = sum(checks.values(), Decimal("0")).quantize(FEN)
            if not errors and total <= 0:
                errors["approved_lines"] = [_("Fund at least one line, or decline the proposal.")]
            most = locked.call.max_per_proposal
            if not errors and most is not None and total > most:
                errors["approved_lines"] = [_("The amount to fund is above the most a proposal may get (¥%(most)s).")
                                            % {"most": most}]
            if not note:
                errors["note"] = [_("Give a reason.")]
            if errors:
                raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
            locked.approved_amount, locked.feasibility_note = total, note
            checks["_lines"] = lines

        proposal = transition(proposal, ProposalAction.REVIEW, workflow=PROPOSAL_FLOW, actor=actor, note=note,
                              now=now, authorize=_authorize(actor, "review"), prepare=prepare,
                              related=("call__fund__region",), extra={})
        lines = checks.pop("_lines")
        for pk, value in checks.items():
            line = lines[pk]
            line.approved = value
            _save(line, actor, "review")
    return proposal


def decline_proposal(proposal, *, actor, reason: str, now: datetime | None = None) -> Proposal:
    """Decline a submitted proposal in the review, with a reason (the team hears of it)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        done = transition(proposal, ProposalAction.DECLINE, workflow=PROPOSAL_FLOW, actor=actor, note=reason,
                          now=now, authorize=_authorize(actor, "decline"), related=("call__fund__region",),
                          feasibility_note=reason)
        _tell_after_commit(done.pk, ProposalAction.DECLINE)
    return done


def withdraw_proposal(proposal, *, actor, reason: str, now: datetime | None = None) -> Proposal:
    """Withdraw a proposal not yet selected (the team asked for it), with a reason."""
    return transition(proposal, ProposalAction.WITHDRAW, workflow=PROPOSAL_FLOW, actor=actor, note=reason, now=now,
                      authorize=_authorize(actor, "withdraw"), related=("call__fund__region",))


def _vote_area(proposal: Proposal):
    """The residential area whose households vote on the proposal: the call's, else the topic's, else the
    proposing household's."""
    region = proposal.call.fund.region
    if region.kind == RegionKind.RESIDENTIAL_AREA:
        return region
    if proposal.topic_id:
        return proposal.topic.area
    if proposal.household_id:
        node = proposal.household.building.region
        while node is not None and node.kind != RegionKind.RESIDENTIAL_AREA:
            node = node.parent
        return node
    return None


def put_to_vote(proposal, *, actor, opens_at: datetime, closes_at: datetime, scope: str = VoteScope.AREA,
                estate=None, grid=None, participation_threshold=None, approval_threshold=None,
                description: str = "", now: datetime | None = None) -> Vote:
    """Put a reviewed proposal to a yes/no household vote (the call selecting by vote): a deliberation topic for it
    when it has none, then the vote through the deliberation services, opened at once when its period has begun.
    The vote is kept on the proposal; `apply_vote_result` reads it once closed."""
    from gongzhi.deliberation.services import topics as topic_services
    from gongzhi.deliberation.services import votes as vote_services

    check_actor(actor)
    now = _now(now)
    with transaction.atomic():
        locked = _locked_proposal(proposal)
        _authorize(actor, "put_to_vote")(locked)
        topic = locked.topic
        if topic is None:
            area = _vote_area(locked)
            if area is None:
                raise ValidationFailed.on("scope", _("The proposal has no residential area to vote in."))
            topic = topic_services.create_topic(
                actor=actor, title=locked.title[:200], area=area, source=TopicSource.COUNCIL, now=now,
                description=_("Proposal to the call “%(call)s”: %(summary)s")
                % {"call": locked.call.title, "summary": locked.summary})
            locked.topic = topic
        vote = vote_services.create_vote(
            topic, actor=actor, title=_("Fund the proposal “%(title)s” with ¥%(amount)s?")
            % {"title": locked.title, "amount": locked.approved_amount}, description=description or locked.summary,
            scope=scope, estate=estate, grid=grid, kind=VoteKind.YES_NO, opens_at=opens_at, closes_at=closes_at,
            participation_threshold=participation_threshold, approval_threshold=approval_threshold, now=now)
        if opens_at <= now:
            vote = vote_services.open_vote(vote, actor=actor, now=now)
        locked.vote = vote
        _save(locked, actor, "put_to_vote")
    return vote


def apply_vote_result(proposal, *, actor, now: datetime | None = None) -> Proposal:
    """Select the proposal when its household vote passed, else record it as not selected (the vote must be
    closed and counted)."""
    check_actor(actor)
    with transaction.atomic():
        locked = _locked_proposal(proposal)
        vote = Vote.objects.filter(pk=locked.vote_id).first() if locked.vote_id else None
        if vote is None:
            raise Conflict(_("This proposal has not been put to a vote."))
        if vote.state != VoteState.CLOSED:
            raise Conflict(_("The vote is not closed and counted yet."), code="vote_open")
        passed = vote.result == VoteResult.PASSED
        action = ProposalAction.SELECT if passed else ProposalAction.REJECT
        note = (_("The household vote passed (%(cast)s of %(eligible)s households voted).") if passed
                else _("The household vote did not pass (%(cast)s of %(eligible)s households voted).")) % {
            "cast": vote.ballots_cast or 0, "eligible": vote.eligible_count or 0}
        done = transition(locked, action, workflow=PROPOSAL_FLOW, actor=actor, note=note, now=now,
                          authorize=_authorize(actor, "apply_vote_result"), related=("call__fund__region",),
                          decision_note=note, extra={"vote": vote.pk, "result": vote.result})
        _tell_after_commit(done.pk, action)
    return done


def _selected_total(call: Call, excluding=None) -> Decimal:
    qs = call.proposals.filter(state__in=(ProposalState.SELECTED, ProposalState.GRANTED, ProposalState.DELIVERING,
                                          ProposalState.COMPLETED))
    if excluding is not None:
        qs = qs.exclude(pk=excluding)
    return sum((p or Decimal("0") for p in qs.values_list("approved_amount", flat=True)), Decimal("0"))


def decide_proposal(proposal, *, actor, selected: bool, meeting=None, note: str = "",
                    now: datetime | None = None) -> Proposal:
    """A council's decision on a reviewed proposal (the call selecting by council): selected, within what the
    call's budget still leaves, or not selected with a reason; `meeting` is the council meeting that decided."""
    check_actor(actor)
    note = (note or "").strip()
    with transaction.atomic():
        call = _locked_call(Proposal.objects.filter(pk=pk_of(proposal)).values_list("call_id", flat=True).first())
        found = None
        if meeting not in (None, ""):
            try:
                found = Meeting.objects.filter(pk=int(pk_of(meeting))).first() if 0 < int(pk_of(meeting)) <= MAX_ID \
                    else None
            except (TypeError, ValueError):
                found = None
            if found is None:
                raise ValidationFailed.on("meeting", _("Select a valid choice."))

        def prepare(locked: Proposal) -> None:
            if selected and _selected_total(call, locked.pk) + (locked.approved_amount or 0) > call.budget:
                raise ValidationFailed.on("selected", _("Selecting it would go over the call's budget (¥%(budget)s).")
                                          % {"budget": call.budget})
            if not selected and not note:
                raise ValidationFailed.on("note", _("Give a reason."))
            locked.decision_meeting, locked.decision_note = found, note

        action = ProposalAction.SELECT if selected else ProposalAction.REJECT
        done = transition(proposal, action, workflow=PROPOSAL_FLOW, actor=actor, note=note, now=now,
                          authorize=_authorize(actor, "decide"), prepare=prepare, related=("call__fund__region",),
                          extra={"meeting": found.pk} if found else {})
        _tell_after_commit(done.pk, action)
    return done


def grant_proposal(proposal, *, actor, occurred_on: date | None = None, now: datetime | None = None) -> Proposal:
    """Grant a selected proposal (the call granting): its approved amount leaves the call's fund as a ledger row
    and the proposal becomes granted, in one transaction under the call's lock. Refused with a field error, writing
    nothing, when the call's budget or the fund cannot cover it."""
    check_actor(actor)
    with transaction.atomic():
        call_pk = Proposal.objects.filter(pk=pk_of(proposal)).values_list("call_id", flat=True).first()
        if call_pk is None:
            raise NotFound(_("Not found."))
        call = _locked_call(call_pk)
        locked = _locked_proposal(proposal)
        _authorize(actor, "grant")(locked)
        amount = locked.approved_amount or Decimal("0")
        granted = selectors.granted_in(call)
        if granted + amount > call.budget:
            raise ValidationFailed.on("amount", _("Only ¥%(left)s of the call's budget is left to grant.")
                                      % {"left": (call.budget - granted).quantize(FEN)})
        entry = ledger.grant_from(call.fund, actor=actor, amount=amount, proposal=locked, occurred_on=occurred_on,
                                  note=_("Grant: %(title)s") % {"title": locked.title})
        done = transition(locked, ProposalAction.GRANT, workflow=PROPOSAL_FLOW, actor=actor, now=now,
                          authorize=_authorize(actor, "grant"), related=("call__fund__region",),
                          extra={"entry": entry.pk, "amount": str(amount)})
        _tell_after_commit(done.pk, ProposalAction.GRANT)
    return done


# --- Telling the team ----------------------------------------------------------------------------------------------

def _tell_after_commit(proposal_pk: int, action: str) -> None:
    transaction.on_commit(lambda: tell_team(proposal_pk, action), robust=True)


def tell_team(proposal_pk: int, action: str) -> None:
    """The proposing team hears of a decision: the inbox of the account that entered the proposal, an SMS to its
    contact phone."""
    from gongzhi.demands.notify import notify_users, send_sms

    proposal = Proposal.objects.select_related("call", "submitted_by").filter(pk=proposal_pk).first()
    if proposal is None:
        return
    texts = {
        ProposalAction.DECLINE: _("Your proposal “%(title)s” to “%(call)s” was declined: %(reason)s"),
        ProposalAction.SELECT: _("Your proposal “%(title)s” to “%(call)s” was selected."),
        ProposalAction.REJECT: _("Your proposal “%(title)s” to “%(call)s” was not selected."),
        ProposalAction.GRANT: _("Your proposal “%(title)s” to “%(call)s” was granted ¥%(amount)s."),
    }
    text = texts[action] % {"title": proposal.title, "call": proposal.call.title,
                            "reason": proposal.feasibility_note, "amount": proposal.approved_amount}
    if proposal.submitted_by_id:
        notify_users([proposal.submitted_by], None, text,
                     link=reverse("funds:calls_proposal_detail", args=[proposal.pk]))
    if proposal.contact_phone:
        send_sms([proposal.contact_phone], text)
