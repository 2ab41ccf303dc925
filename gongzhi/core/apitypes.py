"""Types shared by the JSON API's routers: every input states the domain's rules in its schema, once.

The OpenAPI document (/api/v1/openapi.json) is a contract: data it calls valid is accepted (or refused only for a
reason no schema can state: a row that does not exist, a state that does not allow the step, a rule across fields
or rows), and data it calls invalid is refused with a 422 naming the field (gongzhi.api). schemathesis checks both
ways in CI (tests/api/test_schemathesis.py). The services stay the authority: a schema states what they enforce,
never less and never more.

How an API (a new module's too, e.g. funds) declares its inputs:

- A JSON body subclasses `In`: unknown fields and a body that is not an object are refused (422).
- Each field takes a type from here, never a bare `str`, `int`, `bool` or `date`:
  - text: `required_text(n)` (must have a non-blank character: a title, a reason the service requires) or
    `text(n)` (may be empty), `n` being the model field's `max_length` or the service's limit (None for a
    `TextField` the service does not limit); both refuse NUL, which no PostgreSQL text column stores;
  - formats: `Phone` (a mobile or landline number, or empty), `IdNumber`, `Code` (a registry code), `Date`
    (YYYY-MM-DD only), `DateTime` (ISO 8601 with its UTC offset);
  - numbers: `Ref` (the id of another row), `number(lo, hi)` (the model field's range, e.g. `POSITIVE_SMALL`),
    `Latitude`, `Longitude`; and `Bool`. Body numbers and booleans are JSON's: `"5"` or `true` is not a number
    (5.0 is 5), `1` is not a boolean;
  - a choice: `choice(SomeTextChoices)` (a `Literal` of its values; `blank=True` when "" means "none");
    a workflow step: `choice(SomeAction, exclude=(...))` without the steps no user may ask for (the first
    row of a log).
- A PATCH schema's fields default to `UNSET` (absent: unchanged; `null` only where the model field is nullable).
- Query parameters (filters) use `QueryId` for ids, `choice(...)` for text choices, `Annotated[int, Field(ge=…,
  le=…)]` for other numbers (a query's values are text: no `Literal` of numbers, no strict types) and `text(n)`
  for searches; path ids use `Id`.
- The types are calls (`text(120)`): an API module does without `from __future__ import annotations`, whose
  string annotations ninja could not evaluate.
- A schema's class name is its OpenAPI component name: it must be unique across the API (tests/api/test_openapi.py
  checks), so prefix it with its module (`ProjectTransitionIn`, not `TransitionIn`).
- An operation a visitor may call without credentials lists `AllowAnonymous()` last in its `auth`: the OpenAPI
  document then lists the empty security requirement `{}` beside the token (gongzhi.api).
- A refusal that no schema can state answers 404 (an id that does not exist or is out of scope), 409 (the state
  does not allow it) or 422 naming the field (a reference or a rule across fields or rows); an operation that can
  answer such a 422 to schema-valid data is listed, with the reason, in tests/api/schemathesis.toml.
"""

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from ninja import Field, Path, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination
from pydantic import (
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Strict,
    StrictBool,
    StringConstraints,
    model_validator,
)

from gongzhi.core.errors import MAX_ID

MAX_LIMIT = 1000  # rows per API page

# A path id: a number a database integer can hold (a 30-digit id is a 422 naming the parameter, not a 500).
Id = Annotated[int, Path(ge=0, le=MAX_ID)]
# A query parameter naming a row (a filter): a positive number a database integer can hold.
QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]


def _json_integer(value: Any) -> Any:
    """A JSON number without a fraction (5 or 5.0, as JSON Schema's "integer" reads it), never a boolean or a
    string: pydantic alone would take `true` as 1 and "5" as 5 in a body."""
    if isinstance(value, bool | str | bytes):
        raise ValueError("Enter a whole number.")
    return value


# A whole number in a JSON body (the bounds go before the validator, or the document would show none).
JSON_INTEGER = BeforeValidator(_json_integer)
Integer = Annotated[int, JSON_INTEGER]
# A body field naming another row.
Ref = Annotated[int, Field(ge=1, le=MAX_ID), JSON_INTEGER]

# The ranges of Django's integer fields (PositiveSmallIntegerField, PositiveIntegerField).
POSITIVE_SMALL = (0, 32767)
POSITIVE = (0, 2147483647)

Bool = StrictBool
Latitude = Annotated[float, Strict(), Field(ge=-90, le=90)]
Longitude = Annotated[float, Strict(), Field(ge=-180, le=180)]

# Patterns read the same in ECMA-262 (the OpenAPI document's regex dialect), Rust (pydantic) and Python.
NO_NUL = r"^[^\x00]*$"
# At least one character that is neither NUL nor blank, whoever strips: Python's str.strip() (the services and
# Django's forms) also strips \x1c-\x1f and \x85, ECMA's \s also counts \ufeff.
NOT_BLANK = r"^[^\x00]*[^\s\x00\x1c-\x1f\x85\ufeff][^\x00]*$"
PHONE = r"^(1[0-9]{10}|0[0-9]{2,3}-?[0-9]{7,8}|[0-9]{7,8})?$"  # registry.models.phone_validator, ASCII digits
ID_NUMBER = r"^([0-9]{17}[0-9Xx])?$"  # registry.models.id_number_validator
CODE = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"  # registry.models.code_validator

Phone = Annotated[str, StringConstraints(max_length=20, pattern=PHONE)]
IdNumber = Annotated[str, StringConstraints(max_length=18, pattern=ID_NUMBER)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=CODE)]


def text(max_length: int | None = None) -> Any:
    """Text that may be empty (an optional note, a search), at most `max_length` characters, without NUL."""
    return Annotated[str, StringConstraints(max_length=max_length, pattern=NO_NUL)]


def required_text(max_length: int | None = None) -> Any:
    """Text with at least one non-blank character (a title, a required reason), at most `max_length`."""
    return Annotated[str, StringConstraints(min_length=1, max_length=max_length, pattern=NOT_BLANK)]


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD (pydantic alone would take a number of seconds, or a datetime at midnight)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) != 10 or not value[:4].isdigit() or not value.isascii():
        raise ValueError("Enter a date as YYYY-MM-DD.")
    return value


Date = Annotated[date, BeforeValidator(_iso_date)]

MIN_YEAR, MAX_YEAR = 2000, 2999  # a time a body may give (the OpenAPI format cannot bound it: a 422 outside)


def _iso_datetime(value: Any) -> Any:
    """Only an ISO 8601 text (never a number of seconds), in the years MIN_YEAR–MAX_YEAR (far years overflow when
    converted between time zones)."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value[:4].isdigit() or not value.isascii():
        raise ValueError("Enter a time as YYYY-MM-DDTHH:MM:SS with its UTC offset.")
    if not MIN_YEAR <= int(value[:4]) <= MAX_YEAR:
        raise ValueError(f"Enter a time between the years {MIN_YEAR} and {MAX_YEAR}.")
    return value


DateTime = Annotated[AwareDatetime, BeforeValidator(_iso_datetime)]  # with its UTC offset (Z or ±HH:MM)


def choice(values: type[Enum] | tuple | list, *, blank: bool = False, exclude: tuple = ()) -> Any:
    """One of a TextChoices' values (or of the given values) as a `Literal`: an `enum` in the OpenAPI document;
    "" too with `blank` (no choice); without `exclude`."""
    items = [getattr(v, "value", v) for v in values]
    items = [v for v in items if v not in {getattr(x, "value", x) for x in exclude}]
    return Literal[tuple(([""] if blank else []) + items)]


def number(ge: int | tuple[int, int], le: int | None = None) -> Any:
    """A whole number in [ge, le] in a JSON body (`number(*POSITIVE_SMALL)`, `number(1, 5)`)."""
    if isinstance(ge, tuple):
        ge, le = ge
    return Annotated[int, Field(ge=ge, le=le), JSON_INTEGER]


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


# A PATCH field's default: absent means unchanged (`exclude_unset`), and the document shows no default (a `null`
# default would read as a value to send).
UNSET: Any = Field(None, json_schema_extra=_no_default)


class In(Schema):
    """A JSON request body: an object with the declared fields only (422 otherwise)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values, handler, info):
        # replaces ninja's (which reads any object's attributes, so a list passed for an object with defaults)
        if not isinstance(values, dict):
            raise ValueError("Send a JSON object.")
        return handler(values)


ANONYMOUS = "anonymous"


class AllowAnonymous:
    """The last of an operation's `auth`: lets a request without an Authorization header through as ANONYMOUS (a
    wrong token still answers 401 from the authenticator before it). gongzhi.api adds the empty requirement `{}`
    to the operation's OpenAPI security, so the document says the token is optional."""

    def __call__(self, request):
        return None if "HTTP_AUTHORIZATION" in request.META else ANONYMOUS


class BoundedLimitOffset(LimitOffsetPagination):
    """ninja's limit/offset pagination with bounds a database can use: a huge `limit` or `offset` is a 422 naming
    it (NINJA_PAGINATION_CLASS)."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_ID)


def errors(*codes: int) -> dict:
    """An operation's declared error answers, ``{status: ErrorOut}`` (gongzhi.api adds the standard ones)."""
    from gongzhi.api import ErrorOut  # gongzhi.api imports the routers while it is being built

    return dict.fromkeys(codes, ErrorOut)
