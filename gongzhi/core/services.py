"""Writes of the core app: one transaction each, signature ``(subject, *, actor, ...)`` with plain values.

`hold_lock`: wait for and hold a named lock until the caller's transaction ends.

Recording reveals of personal data (gongzhi.core.reveal): who, when, which object or list with its filters, which
fields, and the reason given. The rows are append-only (`core.Reveal`)."""

from __future__ import annotations

from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from gongzhi.core.errors import Forbidden, ValidationFailed
from gongzhi.core.masking import may_see_personal_data, personal_fields
from gongzhi.core.models import NamedLock, Reveal
from gongzhi.core.reveal import MAX_REASON, PARAM


def hold_lock(key: str) -> None:
    """Inside the caller's transaction, wait until no other transaction holds the lock `key`, then hold it until
    this one commits or rolls back. For a rule that counts rows a parallel transaction may be adding (at most N
    bookings per phone): take the lock, then count. PostgreSQL waits on the row lock; SQLite's IMMEDIATE
    transactions are one writer at a time already, and the lock row costs them one read."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold_lock needs a transaction to hold the lock in")
    NamedLock.objects.get_or_create(key=key[:120])
    NamedLock.objects.select_for_update().get(key=key[:120])


def _reason(reason: str) -> str:
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationFailed.on("reason", _("Say why you need the full personal data."))
    if len(reason) > MAX_REASON:
        raise ValidationFailed.on("reason", _("Keep the reason under %(n)s characters.") % {"n": MAX_REASON})
    return reason


def _refuse_unless_allowed(actor, obj=None) -> None:
    if not may_see_personal_data(actor, obj):
        raise Forbidden(_("You do not have permission to do this."))


@transaction.atomic
def reveal_object(obj, *, actor, reason: str) -> Reveal:
    """Record that `actor` reveals the personal fields of `obj` (an object they may see) for `reason`."""
    _refuse_unless_allowed(actor, obj)
    return Reveal.objects.create(
        user=actor, username=actor.get_username(), kind=Reveal.Kind.OBJECT, model=obj._meta.label,
        object_id=str(obj.pk), label=str(obj)[:200], fields=list(personal_fields(obj)), reason=_reason(reason))


@transaction.atomic
def reveal_export(spec, *, actor, reason: str, params: QueryDict) -> Reveal:
    """Record that `actor` exports the list `spec`, filtered by `params`, with its personal columns in full."""
    _refuse_unless_allowed(actor)
    if not spec.may_export(actor):
        raise Forbidden(_("You do not have permission to do this."))
    filters = {k: ",".join(v) for k, v in params.lists() if k not in ("page", PARAM) and any(v)}
    return Reveal.objects.create(
        user=actor, username=actor.get_username(), kind=Reveal.Kind.EXPORT, list_kind=spec.kind,
        label=spec.title[:200], filters=filters, fields=[c.header for c in spec.columns if spec.personal(c)],
        reason=_reason(reason))
