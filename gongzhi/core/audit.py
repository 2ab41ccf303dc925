"""Reading the audit trail kept by django-simple-history, across every audited model, within scope.

The reveals of personal data (gongzhi.core.reveal) are read here too, as rows of the same table.

Rows read for an inspector: local time, the fields' Chinese names (their verbose names), objects by their names,
foreign keys by the related object's name, choices by their label, and personal data masked by the one policy of
`gongzhi.core.masking` (a viewer whose screens mask a phone sees it masked here too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import DeletedObject

from gongzhi.accounts.scope import Scope
from gongzhi.core.fields import LookupHashField
from gongzhi.core.masking import mask_value, personal_fields

ACTION_LABELS = {"+": _("created"), "~": _("updated"), "-": _("deleted")}
# Change reasons the services record as plain keys (workflow actions are read from the model's workflow)
REASON_LABELS = {"create": _("created"), "edit": _("edited"), "overdue": _("marked overdue"),
                 "milestone": _("milestones"), "Excel import": _("Excel import"),
                 "history import": _("history import")}
NAME_FIELDS = ("name", "title", "code", "tracking_code", "username", "display_name")  # searched, and names a row
# A few fields were declared without a verbose name (giving them one would change their apps' migrations): their
# automatic names are listed here so that the catalogue translates them like every other field label.
AUTOMATIC_LABELS = (
    gettext_noop("ID"), gettext_noop("created at"), gettext_noop("updated at"), gettext_noop("requested at"),
    gettext_noop("decided at"), gettext_noop("decision note"), gettext_noop("requested by"), gettext_noop("decided by"),
    gettext_noop("path"), gettext_noop("depth"), gettext_noop("key hash"), gettext_noop("idempotency key"),
    gettext_noop("submitter phone last4"), gettext_noop("project"), gettext_noop("demand"), gettext_noop("user"),
)


def audited_models():
    """The models every module's manifest declares audited (gongzhi.core.modules)."""
    from gongzhi.core.modules import audited_models as declared

    return declared()


def _scope_q(scope: Scope, model) -> Q:
    """The scope filter of `model`, applied to its historical table. A model whose rows reach no region by their own
    fields (e.g. a user, through role assignments) says how through `audit_scope_q(scope)`."""
    if scope.everything:
        return Q()
    if hasattr(model, "audit_scope_q"):
        return model.audit_scope_q(scope)
    parts = Q(pk__in=[])
    hist_fields = {f.name for f in model.history.model._meta.get_fields()}
    # m2m lookups (e.g. ProfessionalTeam.grids) do not exist on the historical table
    for lookup in (x for x in getattr(model, "scope_region_lookups", ()) if x.split("__")[0] in hist_fields):
        for path in scope.region_paths:
            parts |= Q(**{f"{lookup}__startswith": path})
    for lookup in getattr(model, "scope_unit_lookups", ()):
        if scope.unit_ids:
            name = "id" if lookup == "pk" else lookup
            parts |= Q(**{f"{name}__in": scope.unit_ids})
    return parts


def field_label(model, name: str) -> str:
    """The field's name as an inspector reads it: its verbose name, translated."""
    try:
        field = model._meta.get_field(name)
    except Exception:  # a field since removed from the model
        return name
    return gettext(str(getattr(field, "verbose_name", name)))


def local_text(value) -> str:
    """A date or time as the screens show it: local time (settings.TIME_ZONE), to the minute."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(value, "Y-m-d H:i")
    return date_format(value, "Y-m-d")


def reason_label(model, reason: str) -> str:
    if not reason:
        return ""
    from gongzhi.core.modules import workflows

    for flow in workflows():
        if flow.model == model._meta.label and flow.actions is not None and reason in flow.actions.values:
            return flow.action_label(reason)
    label = REASON_LABELS.get(reason)
    return str(label) if label is not None else gettext(reason)


def display_value(model, name: str, value) -> str:
    """One old or new value as text: related objects by name, choices by label, yes/no, local times."""
    if value is None or value == "":
        return ""
    if isinstance(value, list):  # a many-to-many field: rows of its through table, with the related objects
        target = model._meta.get_field(name).related_model
        names = [str(v) for row in value for v in row.values()
                 if isinstance(v, target) or (isinstance(v, DeletedObject) and v.model is target)]
        return "、".join(names)
    if isinstance(value, DeletedObject):
        return gettext("%(kind)s #%(pk)s (deleted)") % {"kind": value.model._meta.verbose_name, "pk": value.pk}
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dt.date):
        return local_text(value)
    try:
        field = model._meta.get_field(name)
    except Exception:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


@dataclass
class HistoryRow:
    """One audited change. `masked`: personal fields are shown masked (the viewer's screens mask them)."""

    when: dt.datetime
    model: type
    history_id: int
    masked: bool = False

    @cached_property
    def record(self):
        return self.model.history.model.objects.select_related("history_user").get(history_id=self.history_id)

    @property
    def kind_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def action(self) -> str:
        return {"+": "created", "~": "updated", "-": "deleted"}.get(self.record.history_type, "")

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.record.history_type, ""))

    @property
    def local_time(self) -> str:
        return local_text(self.record.history_date)

    @property
    def object_name(self) -> str:
        """The object as it was at that moment: its own name (`str`), else its name/title/code, else its id."""
        record = self.record
        try:
            return str(record.instance)
        except (ObjectDoesNotExist, AttributeError, TypeError, ValueError):
            pass
        for name in NAME_FIELDS:
            if getattr(record, name, ""):
                return str(getattr(record, name))
        return f"#{record.id}"

    @property
    def reason(self) -> str:
        """Why the row changed, in words: a workflow action by its label, a service's key by its name."""
        reason = self.record.history_change_reason or ""
        return reason_label(self.model, reason)

    @cached_property
    def changes(self) -> list[dict]:
        record = self.record
        prev = record.prev_record
        if record.history_type == "+" or prev is None:
            return []
        hashes = [f.name for f in record._meta.fields if isinstance(f, LookupHashField)]  # derived, not a change
        delta = record.diff_against(prev, excluded_fields=hashes, foreign_keys_are_objs=True)
        hidden = personal_fields(self.model) if self.masked else ()
        out = []
        for c in delta.changes:
            old, new = display_value(self.model, c.field, c.old), display_value(self.model, c.field, c.new)
            if c.field in hidden:
                old, new = mask_value(c.field, old), mask_value(c.field, new)
            out.append({"field": c.field, "label": field_label(self.model, c.field), "old": old, "new": new})
        return out


def _text_q(model, text: str) -> Q:
    """Rows whose name, title, code, tracking code or change reason contains `text`; for rows that point at an object
    with a tracking code (e.g. an extension at its demand), that code too."""
    hist_fields = {f.name: f for f in model.history.model._meta.fields}
    q = Q(history_change_reason__icontains=text)
    for name in NAME_FIELDS:
        if name in hist_fields:
            q |= Q(**{f"{name}__icontains": text})
    for f in hist_fields.values():
        if f.is_relation and f.name != "history_user" and any(
                x.name == "tracking_code" for x in f.related_model._meta.fields):
            q |= Q(**{f"{f.name}__tracking_code__icontains": text})
    return q


def history_rows(
    scope: Scope,
    model_label: str | None = None,
    text: str | None = None,
    username: str | None = None,
    object_id: int | None = None,
    limit_per_model: int = 5000,
    masked: bool = False,
) -> list[HistoryRow]:
    rows: list[HistoryRow] = []
    for model in audited_models():
        if model_label and model._meta.label != model_label:
            continue
        hist = model.history.model.objects.filter(_scope_q(scope, model))
        if object_id is not None:
            hist = hist.filter(id=object_id)
        if username:
            hist = hist.filter(Q(history_user__username__icontains=username)
                               | Q(history_user__display_name__icontains=username))
        if text:
            hist = hist.filter(_text_q(model, text))
        for when, hid in hist.order_by("-history_date").values_list("history_date", "history_id")[:limit_per_model]:
            rows.append(HistoryRow(when, model, hid, masked))
    rows.sort(key=lambda r: r.when, reverse=True)
    return rows


# --- reveals of personal data (gongzhi.core.reveal) -------------------------------------------------------------


@dataclass
class RevealRecord:
    """What the history table reads of a row's record (`history_date`, `history_user`), for a reveal."""

    history_date: dt.datetime
    history_user: object


@dataclass
class RevealRow:
    """One reveal of personal data, as a row of the audit page: who, when, what (an object, or an export with its
    filters), which fields, and the reason given."""

    when: dt.datetime
    reveal: object

    @property
    def record(self) -> RevealRecord:
        return RevealRecord(self.reveal.created_at, self.reveal.user or self.reveal.username)

    @property
    def local_time(self) -> str:
        return local_text(self.reveal.created_at)

    @cached_property
    def target_model(self):
        from django.apps import apps

        try:
            return apps.get_model(self.reveal.model) if self.reveal.model else None
        except LookupError:
            return None

    @property
    def kind_name(self) -> str:
        if self.reveal.kind == "export":
            return gettext("Excel export")
        return str(self.target_model._meta.verbose_name) if self.target_model else self.reveal.model

    @property
    def object_name(self) -> str:
        if not self.reveal.filters:
            return self.reveal.label
        filters = "，".join(f"{k}={v}" for k, v in sorted(self.reveal.filters.items()))
        return gettext("%(list)s (filters: %(filters)s)") % {"list": self.reveal.label, "filters": filters}

    @property
    def action_label(self) -> str:
        return gettext("revealed personal data")

    @property
    def reason(self) -> str:
        return gettext("Reason: %(reason)s") % {"reason": self.reveal.reason}

    @property
    def revealed_fields(self) -> str:
        model = self.target_model
        return "、".join(field_label(model, f) if model else str(f) for f in self.reveal.fields)

    @property
    def changes(self) -> list:
        return []


def reveal_rows(scope: Scope, text: str | None = None, username: str | None = None,
                limit: int = 5000) -> list[RevealRow]:
    """The reveals of personal data by the users in `scope` (those holding a role inside it, as for the history of
    accounts), optionally searched by what was revealed (name, tracking code, list, object kind) or the reason,
    and by who revealed it."""
    from gongzhi.accounts.models import User
    from gongzhi.core.models import Reveal

    reveals = Reveal.objects.select_related("user")
    if not scope.everything:
        reveals = reveals.filter(user__in=User.objects.filter(User.audit_scope_q(scope)))
    if text:
        reveals = reveals.filter(Q(label__icontains=text) | Q(reason__icontains=text) | Q(model__icontains=text)
                                 | Q(list_kind__icontains=text))
    if username:
        reveals = reveals.filter(Q(username__icontains=username) | Q(user__display_name__icontains=username))
    return [RevealRow(r.created_at, r) for r in reveals.order_by("-created_at", "-pk")[:limit]]
