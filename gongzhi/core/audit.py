"""Reading the audit trail kept by django-simple-history, across every audited model, within scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Q

from gongzhi.accounts.scope import Scope

AUDITED_APPS = ("registry", "accounts", "demands", "matching")
ACTION_LABELS = {"+": "created", "~": "updated", "-": "deleted"}


def audited_models():
    found = []
    for model in apps.get_models():
        if model._meta.app_label in AUDITED_APPS and hasattr(model, "history") and hasattr(model, "_meta"):
            manager = getattr(model, "history", None)
            if manager is not None and hasattr(manager, "model"):
                found.append(model)
    return found


def _scope_q(scope: Scope, model) -> Q:
    """The scope filter of `model`, applied to its historical table."""
    if scope.everything:
        return Q()
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


@dataclass
class HistoryRow:
    when: datetime
    model: type
    history_id: int

    _record = None

    @property
    def record(self):
        if self._record is None:
            self._record = self.model.history.model.objects.select_related("history_user").get(
                history_id=self.history_id
            )
        return self._record

    @property
    def kind_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def action(self) -> str:
        return ACTION_LABELS.get(self.record.history_type, "")

    @property
    def changes(self) -> list[dict]:
        record = self.record
        prev = record.prev_record
        if record.history_type == "+" or prev is None:
            return []
        delta = record.diff_against(prev)
        return [{"field": c.field, "old": c.old, "new": c.new} for c in delta.changes]


def history_rows(
    scope: Scope,
    model_label: str | None = None,
    text: str | None = None,
    username: str | None = None,
    object_id: int | None = None,
    limit_per_model: int = 5000,
) -> list[HistoryRow]:
    rows: list[HistoryRow] = []
    for model in audited_models():
        if model_label and model._meta.label != model_label:
            continue
        hist = model.history.model.objects.filter(_scope_q(scope, model))
        if object_id is not None:
            hist = hist.filter(id=object_id)
        if username:
            hist = hist.filter(history_user__username__icontains=username)
        if text:
            text_q = Q(history_change_reason__icontains=text)
            for field in ("name", "code", "title"):
                if any(f.name == field for f in model.history.model._meta.fields):
                    text_q |= Q(**{f"{field}__icontains": text})
            hist = hist.filter(text_q)
        for when, hid in hist.order_by("-history_date").values_list("history_date", "history_id")[:limit_per_model]:
            rows.append(HistoryRow(when, model, hid))
    rows.sort(key=lambda r: r.when, reverse=True)
    return rows
