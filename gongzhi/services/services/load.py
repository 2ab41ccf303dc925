"""The health cabin's self-check tallies (the load part): how many people checked each of the 13 indicators at a
place on a day, as counts only; no name, phone or reading of anyone is ever taken. Station workers (`services.accept`)
record a day's counts at a place in their scope; a sheet of past days (place code, day, indicator, count) is
imported all or nothing."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from simple_history.utils import bulk_update_with_history

from gongzhi.accounts.roles import Capability as C
from gongzhi.accounts.scope import access, require_capability, scoped
from gongzhi.core.errors import Conflict, ValidationFailed
from gongzhi.core.workflow import SYSTEM, check_actor, user_of
from gongzhi.registry.models import ServicePlace
from gongzhi.services.models import HealthCheckTally, HealthIndicator

ACCEPT = C.ACCEPT_CASES
FIRST_YEAR = 2000
MAX_COUNT = 10000  # self-checks of one indicator at one place on one day: more is a typing error
RECORD_REASON = "health cabin tallies"
IMPORT_REASON = "health cabin tallies import"


def _place_for(actor, place) -> ServicePlace:
    """The place, when the actor may record at it (the system anywhere); NotFound outside the actor's scope."""
    check_actor(actor)
    pk = getattr(place, "pk", place)
    if actor is SYSTEM:
        return ServicePlace.objects.get(pk=pk)
    require_capability(actor, ACCEPT)
    return access(actor, ServicePlace, ACCEPT, pk=pk)


def _count(value) -> int | None:
    """A count as a whole number in [0, MAX_COUNT], or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        value = int(value)
    return value if isinstance(value, int) and 0 <= value <= MAX_COUNT else None


def _check_day(day) -> str | None:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        return _("Enter a date.")
    if day > timezone.localdate():
        return _("The day cannot be in the future.")
    if day.year < FIRST_YEAR:
        return _("Enter a day from the year 2000 on.")
    return None


INDICATORS = frozenset(HealthIndicator.values)


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(map(qn, columns))}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


def _create(new: list[tuple[int, dt.date, str, int]], *, user, reason: str) -> None:
    """Insert new tallies with their creation rows in the audit history, as plain batched INSERTs: the demo's two
    years are some 40,000 rows, too many for the ORM's per-object work to stay within a few seconds."""
    ops = connection.ops
    days = {d: ops.adapt_datefield_value(d) for _p, d, _i, _c in new}
    _insert(HealthCheckTally, ("place_id", "day", "indicator", "count"),
            [(p, days[d], i, c) for p, d, i, c in new])
    wanted = {(p, d, i) for p, d, i, _c in new}
    made = [row for row in HealthCheckTally.objects.filter(
        place_id__in={p for p, _d, _i in wanted}, day__gte=min(days), day__lte=max(days),
    ).values_list("id", "place_id", "day", "indicator", "count") if row[1:4] in wanted]
    when = ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user is not None else None
    _insert(HealthCheckTally.history.model, ("id", "place_id", "day", "indicator", "count", "history_date",
                                             "history_change_reason", "history_type", "history_user_id"),
            [(pk, p, days[d], i, c, when, reason, "+", user_id) for pk, p, d, i, c in made])


def _upsert(wanted: dict[tuple[int, dt.date, str], int], *, actor, reason: str) -> dict[str, int]:
    """Write the counts {(place id, day, indicator): count}: new rows in bulk, changed ones updated, each with its
    history row. Returns how many were created, updated and left unchanged."""
    places = {p for p, _d, _i in wanted}
    days = [d for _p, d, _i in wanted]
    existing = {(t.place_id, t.day, t.indicator): t for t in HealthCheckTally.objects.select_for_update().filter(
        place_id__in=places, day__gte=min(days), day__lte=max(days), indicator__in={i for _p, _d, i in wanted})}
    new, changed, unchanged = [], [], 0
    for (place_id, day, indicator), count in wanted.items():
        row = existing.get((place_id, day, indicator))
        if row is None:
            new.append((place_id, day, indicator, count))
        elif row.count != count:
            row.count = count
            changed.append(row)
        else:
            unchanged += 1
    user = user_of(actor)
    try:
        with transaction.atomic():  # a parallel first entry of the same day: one wins, the other is told
            if new:
                _create(new, user=user, reason=reason)
            if changed:
                bulk_update_with_history(changed, HealthCheckTally, ["count"], batch_size=2000, default_user=user,
                                         default_change_reason=reason)
    except IntegrityError:
        raise Conflict(_("These tallies were just recorded by someone else. Reload the page and try again."))
    return {"created": len(new), "updated": len(changed), "unchanged": unchanged}


@transaction.atomic
def record_tallies(place, *, actor, day, counts: dict) -> list[HealthCheckTally]:
    """Record a day's self-checks at a place: {indicator: count}, each a whole number from 0. An indicator already
    recorded that day is corrected to the new count; the others are left as they are. Returns the day's rows."""
    place = _place_for(actor, place)
    errors: dict[str, list[str]] = {}
    if problem := _check_day(day):
        errors["day"] = [problem]
    if not isinstance(counts, dict) or not counts:
        errors["counts"] = [_("Enter at least one count.")]
    else:
        for indicator, value in counts.items():
            if indicator not in INDICATORS:
                errors.setdefault("counts", []).append(
                    _("Unknown indicator: %(indicator)s.") % {"indicator": indicator})
            elif _count(value) is None:
                errors[indicator] = [_("Enter a whole number from 0 to %(max)s.") % {"max": MAX_COUNT}]
    if errors:
        message = next(iter(errors.values()))[0] if len(errors) == 1 else _("Please correct the errors below.")
        raise ValidationFailed(message, field_errors=errors)
    _upsert({(place.pk, day, i): _count(v) for i, v in counts.items()}, actor=actor, reason=RECORD_REASON)
    return list(HealthCheckTally.objects.filter(place=place, day=day).order_by("indicator"))


def _indicator(value) -> str | None:
    """An indicator by its value or its label (Chinese, as a workbook writes it, or the page's language)."""
    if value in INDICATORS:
        return value
    text = str(value or "").strip()
    if text in INDICATORS:
        return text
    labels = {str(label): v for v, label in HealthIndicator.choices}
    with override("zh-hans"):
        labels.update({str(label): v for v, label in HealthIndicator.choices})
    return labels.get(text)


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", str(value or "").strip())
    try:
        return dt.date(*(int(g) for g in m.groups()))
    except (AttributeError, ValueError):
        return None


def import_tallies(rows, *, actor, numbers: list[int] | None = None) -> dict[str, int]:
    """Take in many days of tallies at once (a sheet kept before the platform, the demo street's two years): rows of
    (place code, day, indicator, count), numbered in messages by `numbers` (a sheet's row numbers) or from 1. Every row is checked first
    (a place in the actor's scope, a date not in the future, a known indicator, a whole number from 0, each
    place, day and indicator once); any error writes nothing. Existing counts are replaced. Returns how many rows
    were created, updated and left unchanged."""
    check_actor(actor)
    if actor is not SYSTEM:
        require_capability(actor, ACCEPT)
    rows = list(rows)
    if not rows:
        raise ValidationFailed(_("There are no rows to import."))
    codes = {str(r[0]).strip() for r in rows if r and r[0] is not None}
    places_qs = ServicePlace.objects.all() if actor is SYSTEM else scoped(actor, ServicePlace, ACCEPT)
    places = dict(places_qs.filter(code__in=codes).values_list("code", "pk"))
    today = timezone.localdate()
    wanted: dict[tuple[int, dt.date, str], int] = {}
    seen: dict[tuple[int, dt.date, str], int] = {}
    errors: dict[str, list[str]] = {}
    numbers = numbers or list(range(1, len(rows) + 1))
    for n, raw in zip(numbers, rows, strict=True):
        problems = []
        values = list(raw) + [None] * (4 - len(raw)) if len(raw) < 4 else list(raw)
        code, day, indicator, count = str(values[0] or "").strip(), _day(values[1]), _indicator(values[2]), \
            _count(values[3])
        place_id = places.get(code)
        if place_id is None:
            problems.append(_("no service place with the code %(code)s in your scope") % {"code": code or "—"})
        if day is None:
            problems.append(_("the day is not a date (write it as 2026-01-31)"))
        elif day > today or day.year < FIRST_YEAR:
            problems.append(_("the day must lie between the year 2000 and today"))
        if indicator is None:
            problems.append(_("unknown indicator %(indicator)s") % {"indicator": values[2] or "—"})
        if count is None:
            problems.append(_("the count must be a whole number from 0 to %(max)s") % {"max": MAX_COUNT})
        if not problems:
            key = (place_id, day, indicator)
            if key in seen:
                problems.append(_("the same place, day and indicator as row %(row)s") % {"row": seen[key]})
            else:
                seen[key] = n
                wanted[key] = count
        if problems:
            errors[_("Row %(row)s") % {"row": n}] = problems
    if errors:
        raise ValidationFailed(_("Nothing was imported: %(rows)s rows have errors.") % {"rows": len(errors)},
                               field_errors=errors)
    with transaction.atomic():
        return _upsert(wanted, actor=actor, reason=IMPORT_REASON)
