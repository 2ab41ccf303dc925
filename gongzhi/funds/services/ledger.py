"""The ledger's writers: every movement of money goes through `post_entry`, which locks the fund's row, so that
concurrent grants against one fund queue and each sees the balance the one before it left. A grant that does
not fit what is available is refused and writes nothing.

Amounts are `Decimal` yuan with at most two decimals (fen); floats, negative amounts and fractions of a fen are
refused with a field error on ``amount``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import Forbidden, ValidationFailed
from gongzhi.core.workflow import check_actor, pk_of, user_of
from gongzhi.funds.models import FEN, OUT_KINDS, EntryKind, Fund, LedgerEntry
from gongzhi.funds.policies import ledger as policies

MAX_AMOUNT = Decimal("999999999999.99")


def to_amount(value, field: str = "amount") -> Decimal:
    """`value` (a Decimal, an int or a string such as "49028.1") as a positive Decimal of whole fen; a field error
    otherwise. Floats are refused: they cannot hold fen exactly."""
    if isinstance(value, float) or isinstance(value, bool):
        raise ValidationFailed.on(field, _("Give the amount as a number of yuan with at most two decimals."))
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", "")) if value is not None else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationFailed.on(field, _("Give the amount as a number of yuan with at most two decimals."))
    if amount != amount.quantize(FEN):
        raise ValidationFailed.on(field, _("An amount cannot have fractions of a fen."))
    if amount <= 0:
        raise ValidationFailed.on(field, _("The amount must be more than zero."))
    if amount > MAX_AMOUNT:
        raise ValidationFailed.on(field, _("The amount is too large."))
    return amount.quantize(FEN)


def balance(fund) -> Decimal:
    """What the fund holds: the sum of its ledger rows (a plain sum, never a stored figure)."""
    total = LedgerEntry.objects.filter(fund_id=pk_of(fund)).aggregate(total=Sum("amount"))["total"]
    return (total or Decimal("0")).quantize(FEN)


def _lock(fund) -> Fund:
    return Fund.objects.select_for_update(of=("self",)).select_related("region").get(pk=pk_of(fund))


def post_entry(fund, *, actor, kind: str, amount, occurred_on: date | None = None, note: str = "",
               receipt_no: str = "", proposal=None, authorize=None) -> LedgerEntry:
    """Book one movement of money on `fund` (money in for allocations, donations and returns; money out for a
    grant). `amount` is positive; a grant is stored negative. Refuses (writing nothing) a bad amount, a closed
    fund, or a grant larger than the balance. `authorize(locked_fund)` is the caller's policy check, run on the
    locked row; by default booking needs the ledger right over the fund."""
    check_actor(actor)
    if kind not in EntryKind.values:
        raise ValidationFailed.on("kind", _("Choose a kind of entry."))
    value = to_amount(amount)
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate():
        raise ValidationFailed.on("occurred_on", _("The date cannot be in the future."))
    with transaction.atomic():
        locked = _lock(fund)
        if authorize is not None:
            authorize(locked)
        elif not policies.keeps_ledger(actor, locked):
            raise Forbidden()
        if not locked.is_active:
            raise ValidationFailed.on("fund", _("This fund is closed."))
        if kind in OUT_KINDS:
            available = balance(locked)
            if value > available:
                raise ValidationFailed.on("amount", _("Only ¥%(available)s is available in %(fund)s.")
                                          % {"available": available, "fund": locked})
            value = -value
        return LedgerEntry.objects.create(
            fund=locked, kind=kind, amount=value, occurred_on=occurred_on, note=(note or "").strip()[:200],
            receipt_no=(receipt_no or "").strip()[:60], proposal=proposal, recorded_by=user_of(actor),
        )


def grant_from(fund, *, actor, amount, proposal, occurred_on: date | None = None, note: str = "") -> LedgerEntry:
    """Money out of `fund` for `proposal`: refused when it does not fit the balance (under the fund's lock, so 50
    parallel grants against the last ¥10,000 commit only what fits)."""

    def authorize(locked):
        if not policies.may_grant(actor, locked):
            raise Forbidden()

    return post_entry(fund, actor=actor, kind=EntryKind.GRANT, amount=amount, occurred_on=occurred_on, note=note,
                      proposal=proposal, authorize=authorize)
