"""Forms and services meet here: a service's DomainError becomes field errors on the bound form."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext, gettext_noop

from gongzhi.core.errors import Conflict, DomainError, NothingChanged, ValidationFailed


def apply_error(form, error: DomainError, aliases: dict[str, str | None] | None = None) -> None:
    """Put a service's field errors on the form's fields (unknown fields, and a bare message, form-wide)."""
    aliases = aliases or {}
    if not error.field_errors:
        form.add_error(None, error.message)
    for name, errors in error.field_errors.items():
        field = aliases.get(name, name)
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def call_service(form, service: Callable, *args, aliases: dict[str, str | None] | None = None,
                 unchanged_raises: bool = False, **kwargs):
    """Run `service(*args, **kwargs)`; when it refuses the input (ValidationFailed, Conflict), put the error on
    `form` and return None. NotFound and Forbidden go on to the error middleware (404/403); so does NothingChanged
    with `unchanged_raises` (the view then says so and leaves the form)."""
    try:
        return service(*args, **kwargs)
    except (ValidationFailed, Conflict) as error:
        if unchanged_raises and isinstance(error, NothingChanged):
            raise
        apply_error(form, error, aliases)
        return None


def error_text(error: DomainError) -> str:
    """One line for a flash message: the message and any field errors that say more."""
    details = [e for errs in error.field_errors.values() for e in errs if e != error.message]
    return " ".join([error.message, *details])


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads

# Django's forms end every label with gettext(":"); this entry keeps it in our catalogue, which gives Chinese its
# full-width colon (日期：).
LABEL_SUFFIX = gettext_noop(":")


def labelled(label, text) -> str:
    """"label: text" in the language of the page (Chinese puts a full-width colon and no space: 标题：必填)."""
    return gettext("%(label)s: %(text)s") % {"label": label, "text": text}
