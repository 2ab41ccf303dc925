"""What an app declares to offer a list in Excel: its columns (`Col`) and a `ListSpec` tying them to a model,
to the rows a user may export (the scope hook) and to the app's own service that writes imported rows.

An app lists its specs in its manifest (``excel_lists=("gongzhi.app.excel:SPEC", ...)``); `get_spec(kind)` finds
any of them. Headers, hints and choice labels are Chinese: a workbook is a Chinese format whatever the page's
language, and the same columns serve the template, the export and the import, so an export imports again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import Scope, has_capability
from gongzhi.core.errors import NotFound
from gongzhi.core.masking import kind_of, personal_fields


@dataclass(frozen=True)
class Col:
    """One column. ``type`` says how a cell is written and read: text, int, decimal, bool (是/否), date, datetime
    (export only), choice (by Chinese label or value), fk / m2m (by the target's ``lookup`` field)."""

    header: str
    field: str
    type: str = "text"
    required: bool = False
    hint: str = ""
    choices: dict[str, str] | None = None  # value → Chinese label (None: the model field's own choices)
    aliases: dict[str, str] | None = None  # other accepted spellings → value
    ref: type[Model] | None = None  # fk / m2m target
    lookup: str = "code"  # the target's identifying field
    ref_filter: dict | None = None  # the target must also have these values
    kinds: tuple[str, ...] = ()  # allowed values of the target's `kind`
    scope: bool = False  # places the row: the target must lie in the importer's scope (ListSpec.import_scope)
    value: Callable[[Any], Any] | None = None  # a computed, export-only column (ignored on import)

    @property
    def read_only(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class ListSpec:
    kind: str  # the list's slug in URLs, unique over all modules
    title: str  # Chinese: the sheet's and the file's name
    model: type[Model]
    columns: tuple[Col, ...]
    # (user, GET params) → the rows this user may export, scoped and filtered as on the list page
    rows: Callable[[Any, Mapping], QuerySet]
    view: tuple[str, ...]  # capabilities, any of which lets a user export
    edit: tuple[str, ...] = ()  # capabilities, any of which lets a user import; () for an export-only list
    key: tuple[str, ...] = ("code",)  # the fields that identify a row (create or update)
    import_scope: Callable[[Any], Scope] | None = None  # user → where imported rows may be placed (`scope` columns)
    editable: Callable[[Any], Iterable[int]] | None = None  # user → pks of the existing rows they may change
    choosable: Callable[[Any, type[Model]], QuerySet] | None = None  # (user, model) → the template's drop-down
    check: Callable[[Model, Any], list[tuple[str, str]]] | None = None  # (obj, user) → [(header, message)]
    # write(rows, *, actor): the app's service writing the validated rows [(obj, {m2m field: targets})] in one
    # transaction; each row's references to rows above it are resolved as it is handed over.
    write: Callable[..., None] | None = None
    importer: type | None = None  # a gongzhi.core.excel.ModelImporter subclass for lists with rules of their own
    own: Callable[[Any, Model], bool] | None = None  # (user, obj) → the object's own side sees its personal data

    def may_export(self, user) -> bool:
        return any(has_capability(user, c) for c in self.view)

    def may_import(self, user) -> bool:
        return any(has_capability(user, c) for c in self.edit)

    def personal(self, col: Col) -> str:
        """The kind of personal data in the column (phone, id_number, name, address), or "": the model's own
        `personal_fields` decide, as on every screen (gongzhi.core.masking)."""
        return kind_of(col.field) if not col.read_only and col.field in personal_fields(self.model) else ""

    def col(self, field_name: str) -> Col:
        return next(c for c in self.columns if c.field == field_name)

    def hints(self) -> list[str]:
        return [c.hint or ("必填" if c.required else "") for c in self.columns]


def specs() -> dict[str, ListSpec]:
    from gongzhi.core.modules import excel_lists

    return excel_lists()


def get_spec(kind: str) -> ListSpec:
    try:
        return specs()[kind]
    except KeyError:
        raise NotFound(_("Not found.")) from None
