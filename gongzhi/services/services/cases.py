"""Writing one-window cases (一口受理): opening a case at a place for any catalogue item (全岗通), the steps of the
case workflow (`gongzhi.services.workflow.CASE_FLOW`) with their visits and time limits, remote assistance, and
the bulk import of past cases (a station's paper register, the demo street's two years).

Every call is one transaction; who may do what is `gongzhi.services.policies.cases`. The applicant is told by SMS
when a case is done or ready for pickup, once the transaction commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from gongzhi.core import workflow
from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM, pk_of, record_creation, transition, user_of
from gongzhi.demands import notify
from gongzhi.demands.calendar import DbOverrides, add_working_days
from gongzhi.registry.models import ServicePlace
from gongzhi.services.models import (
    Appointment,
    Case,
    CaseMaterial,
    CaseTransition,
    RemoteKind,
    RemoteSession,
    ServiceItem,
    ServiceMaterial,
)
from gongzhi.services.policies import cases as policies
from gongzhi.services.workflow import (
    APPOINTMENT_FLOW,
    CASE_FLOW,
    VISIT_ACTIONS,
    AppointmentAction,
    AppointmentState,
    CaseAction,
    CaseState,
)

MOBILE = re.compile(r"^1\d{10}$")
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CODE_PREFIX = "SJ"
MAX_REMOTE_MINUTES = 600
NOTE_MAX = 2000
BACK_OFFICE_MAX = Case._meta.get_field("back_office").max_length
NAME_MAX = Case._meta.get_field("applicant_name").max_length


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- checks ------------------------------------------------------------------------------------------------------

def id_number_ok(value: str) -> bool:
    """An 18-character resident ID number whose last character is its ISO 7064 checksum (X for 10)."""
    value = (value or "").upper()
    if not ID_NUMBER.match(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == value[17]


def clean_applicant(name: str, phone: str, id_number: str) -> tuple[str, str, str]:
    """The applicant's name, mobile number and ID number, trimmed; ValidationFailed naming each bad field."""
    name = (name or "").strip()
    phone = (phone or "").replace(" ", "").strip()
    id_number = (id_number or "").replace(" ", "").strip().upper()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["applicant_name"] = [_("Give the applicant's name.")]
    elif len(name) > NAME_MAX:
        errors["applicant_name"] = [_("At most %(n)s characters.") % {"n": NAME_MAX}]
    if phone and not MOBILE.match(phone):
        errors["applicant_phone"] = [_("Enter an 11-digit mobile number.")]
    if id_number and not id_number_ok(id_number):
        errors["applicant_id_number"] = [_("Enter a valid 18-character ID number.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)
    return name, phone, id_number


def _place(actor, place) -> ServicePlace:
    """The place, if the actor works its counter (NotFound otherwise: out of scope looks missing)."""
    found = place if isinstance(place, ServicePlace) else ServicePlace.objects.select_related("region").filter(
        pk=pk_of(place)).first()
    if found is None or not policies.at_counter(actor, found):
        raise NotFound(_("Not found."))
    return found


def _item(item, actor=None) -> ServiceItem:
    found = item if isinstance(item, ServiceItem) else ServiceItem.objects.filter(pk=pk_of(item)).first()
    if found is not None and isinstance(actor, get_user_model()):
        # the catalogue the worker sees: city-wide items and the own items of their scope, never another
        # sub-district's own items
        from gongzhi.services.selectors.catalogue import items_for

        found = items_for(actor, active=True).filter(pk=found.pk).first()
    if found is None or not found.active:
        raise ValidationFailed.on("item", _("Choose an item of the catalogue."))
    return found


def _material_ids(item: ServiceItem, provided) -> set[int]:
    ids = set()
    for value in provided or ():
        try:
            ids.add(int(pk_of(value)))
        except (TypeError, ValueError):
            raise ValidationFailed.on("provided", _("Tick materials of this item's checklist.")) from None
    known = set(item.materials.values_list("pk", flat=True))
    if ids - known:
        raise ValidationFailed.on("provided", _("Tick materials of this item's checklist."))
    return ids


def due_on(item: ServiceItem, accepted: datetime, overrides=None) -> date:
    """The item's time limit in working days from the day of acceptance (the same day for on-the-spot items)."""
    return add_working_days(timezone.localdate(accepted), item.time_limit_days,
                            overrides if overrides is not None else DbOverrides())


def missing_materials(case: Case) -> list[ServiceMaterial]:
    """The required materials of the case's checklist not provided yet, in checklist order."""
    return [row.material for row in case.materials.select_related("material").order_by(
        "material__position", "material_id") if not row.provided and row.material.required]


def new_code(day: date) -> str:
    """The next case number of the day: SJ, the date, and a four-digit sequence (SJ202603020001)."""
    prefix = f"{CODE_PREFIX}{day:%Y%m%d}"
    last = Case.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    seq = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
    return f"{prefix}{seq:04d}"


# --- opening a case ----------------------------------------------------------------------------------------------

def _serve_appointment(appointment, place: ServicePlace, *, actor, now: datetime) -> Appointment:
    found = appointment if isinstance(appointment, Appointment) else Appointment.objects.filter(
        pk=pk_of(appointment)).first()
    if (found is None or found.place_id != place.pk
            or found.state not in (AppointmentState.BOOKED, AppointmentState.CHECKED_IN)
            or Case.objects.filter(appointment=found).exists()):
        raise ValidationFailed.on("appointment", _("Choose an appointment at this place that is booked or checked "
                                                   "in."))
    if found.state == AppointmentState.BOOKED:
        found = transition(found, AppointmentAction.CHECK_IN, workflow=APPOINTMENT_FLOW, actor=actor, now=now,
                           checked_in_at=now)
    return transition(found, AppointmentAction.SERVE, workflow=APPOINTMENT_FLOW, actor=actor, now=now)


def open_case(place, *, actor, item, applicant_name: str, applicant_phone: str = "", applicant_id_number: str = "",
              provided=(), note: str = "", appointment=None, now: datetime | None = None
              ) -> tuple[Case, list[ServiceMaterial]]:
    """Open a case at `place` for any active catalogue item (全岗通: the place need not offer it), ticking the
    `provided` materials (ids of the item's checklist). With every required material the case is accepted and
    due by the item's time limit in working days; otherwise it opens as "材料不全" (incomplete). Returns the case
    and the list of missing required materials (for the notice printed for the applicant). An `appointment` at
    this place (booked or checked in) is linked and marked served."""
    workflow.check_actor(actor)
    now = _now(now)
    place = _place(actor, place)
    item = _item(item, actor)
    name, phone, id_number = clean_applicant(applicant_name, applicant_phone, applicant_id_number)
    ticked = _material_ids(item, provided)
    note = (note or "").strip()[:NOTE_MAX]
    checklist = list(item.materials.all())
    missing = [m for m in checklist if m.required and m.pk not in ticked]
    state = CaseState.INCOMPLETE if missing else CaseState.ACCEPTED
    case = Case(place=place, item=item, state=state, applicant_name=name, applicant_phone=phone,
                applicant_id_number=id_number, note=note, visits=1, opened_by=user_of(actor), created_at=now)
    if state == CaseState.ACCEPTED:
        case.accepted_at, case.due_on = now, due_on(item, now)
    case._history_user = user_of(actor)
    for _attempt in range(5):
        case.pk, case.code = None, new_code(timezone.localdate(now))
        try:
            with transaction.atomic():
                if appointment is not None:
                    case.appointment = _serve_appointment(pk_of(appointment), place, actor=actor, now=now)
                case.save()
                CaseMaterial.objects.bulk_create([CaseMaterial(case=case, material=m, provided=m.pk in ticked)
                                                  for m in checklist])
                record_creation(case, CaseAction.OPEN, workflow=CASE_FLOW, actor=actor, now=now, note=note,
                                extra={"missing": [m.name for m in missing]} if missing else None)
            return case, missing
        except IntegrityError:  # the day's next number was taken by a parallel case: take the one after it
            if Case.objects.filter(code=case.code).exists():
                continue
            raise
    raise ValidationFailed(_("Please try again."))


# --- the steps of a case -----------------------------------------------------------------------------------------

def _done_text(case: Case, state: str) -> str:
    values = {"place": case.place.name, "item": case.item.name, "code": case.code}
    if state == CaseState.READY:
        return _("The %(item)s you applied for at %(place)s is ready: please collect it with your ID "
                 "(case %(code)s).") % values
    return _("The %(item)s you applied for at %(place)s is done (case %(code)s).") % values


def _tell_applicant(case: Case, state: str) -> None:
    if case.applicant_phone and state in (CaseState.DONE, CaseState.READY):
        transaction.on_commit(partial(notify.send_sms, [case.applicant_phone], _done_text(case, state)),
                              robust=True)


def act_on_case(case, action: str, *, actor, note: str = "", provided=None, back_office: str = "", result: str = "",
                now: datetime | None = None) -> Case:
    """Take `action` on `case` through the case workflow: ``supply`` (the applicant brings the missing materials:
    `provided` material ids are ticked, refused while a required one is still missing; one more visit; the time
    limit runs from now), ``complete`` (with the `result`), ``forward`` (to the named `back_office`),
    ``receive`` / ``send_back`` / ``reject`` (the back office; a reason in `note` for the last two),
    ``make_ready``, ``pick_up`` (one more visit), ``withdraw`` (a reason). Returns the saved case."""
    workflow.check_actor(actor)
    now = _now(now)
    note = (note or "").strip()[:NOTE_MAX]
    back_office = (back_office or "").strip()
    result = (result or "").strip()[:NOTE_MAX]
    if action not in CaseAction.values or action == CaseAction.OPEN:
        raise ValidationFailed.on("action", _("Choose an action."))
    if action == CaseAction.FORWARD:
        if not back_office:
            raise ValidationFailed.on("back_office", _("Name the back office the case goes to."))
        if len(back_office) > BACK_OFFICE_MAX:
            raise ValidationFailed.on("back_office", _("At most %(n)s characters.") % {"n": BACK_OFFICE_MAX})

    def authorize(locked):
        if workflow.is_user(actor) and not policies.sees(actor, locked):
            raise NotFound(_("Not found."))
        if CASE_FLOW.target(locked.state, action) is not None and not policies.can(actor, locked, action):
            raise Forbidden(_("You do not have permission to do this."))

    def prepare(locked):
        if action in VISIT_ACTIONS:
            locked.visits += 1
        if action == CaseAction.SUPPLY:
            ticked = _material_ids(locked.item, provided)
            if ticked:
                locked.materials.filter(material_id__in=ticked).update(provided=True)
            if missing := missing_materials(locked):
                raise ValidationFailed.on("provided", _("Still missing: %(names)s.") % {
                    "names": "、".join(m.name for m in missing)})
            locked.accepted_at, locked.due_on = now, due_on(locked.item, now)
        elif action == CaseAction.FORWARD:
            locked.back_office, locked.forwarded_at = back_office, now
        elif action in (CaseAction.COMPLETE, CaseAction.MAKE_READY):
            if result:
                locked.result = result
        elif action == CaseAction.REJECT:
            locked.result = note
        if action in (CaseAction.COMPLETE, CaseAction.PICK_UP, CaseAction.REJECT, CaseAction.WITHDRAW):
            locked.closed_at = now

    with transaction.atomic():
        done = transition(case, action, workflow=CASE_FLOW, actor=actor, note=note, now=now, authorize=authorize,
                          prepare=prepare, related=("place__region", "item"),
                          extra={"back_office": back_office} if action == CaseAction.FORWARD else None)
        _tell_applicant(done, done.state)
    return done


def log_remote_session(case, *, actor, kind: str, duration_minutes: int, outcome: str,
                       started_at: datetime | None = None) -> RemoteSession:
    """Record remote assistance for a case (a video consultation, a bill printed after a phone call)."""
    workflow.check_actor(actor)
    found = case if isinstance(case, Case) else Case.objects.select_related("place__region").filter(
        pk=pk_of(case)).first()
    if found is None or (workflow.is_user(actor) and not policies.sees(actor, found)):
        raise NotFound(_("Not found."))
    if not policies.may_log_remote(actor, found):
        raise Forbidden(_("You do not have permission to do this."))
    errors: dict[str, list[str]] = {}
    if kind not in RemoteKind.values:
        errors["kind"] = [_("Choose video or phone.")]
    try:
        minutes = int(duration_minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= MAX_REMOTE_MINUTES:
        errors["duration_minutes"] = [_("Between 1 and %(n)s minutes.") % {"n": MAX_REMOTE_MINUTES}]
    outcome = (outcome or "").strip()[:NOTE_MAX]
    if not outcome:
        errors["outcome"] = [_("Say what came of it.")]
    started_at = started_at or timezone.now()
    if started_at > timezone.now():
        errors["started_at"] = [_("This cannot be in the future.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)
    with transaction.atomic():
        session = RemoteSession(case=found, kind=kind, duration_minutes=minutes, outcome=outcome,
                                started_at=started_at, staff=user_of(actor))
        session._history_user = user_of(actor)
        session.save()
    return session


# --- corrections and imports -------------------------------------------------------------------------------------

CORRECTABLE = ("applicant_name", "note", "result")


def correct_cases(changes: list[tuple[Case, dict]], *, actor) -> int:
    """Corrections of descriptive fields (`CORRECTABLE`) of existing cases, e.g. from a re-imported register;
    each case must be at a counter the actor works. Returns how many cases changed."""
    workflow.check_actor(actor)
    count = 0
    with transaction.atomic():
        for case, values in changes:
            if not policies.at_counter(actor, case.place):
                raise Forbidden(_("You do not have permission to do this."))
            if set(values) - set(CORRECTABLE):
                raise ValidationFailed(_("Only the applicant's name, the result and the note can be corrected."))
            if "applicant_name" in values:
                values = values | {"applicant_name": clean_applicant(values["applicant_name"], "", "")[0]}
            for name, value in values.items():
                setattr(case, name, value)
            case._history_user, case._change_reason = user_of(actor), "correction"
            case.save(update_fields=list(values))
            count += 1
    return count


@dataclass
class CaseStep:
    """One past step of an imported case: the action, when, by whom, with what note."""

    action: str
    at: datetime
    actor: object = SYSTEM
    note: str = ""


@dataclass
class PastCase:
    """A case handled before (a paper register's line, the demo's history): the unsaved case with its final state,
    its timeline (the first step is ``open``; `incomplete`: it opened as "材料不全"), the materials provided
    (material ids; None: all of them, but for the required ones of a case still incomplete), and its remote
    sessions ``(kind, started_at, minutes, outcome)``."""

    case: Case
    steps: list[CaseStep]
    incomplete: bool = False
    provided: set[int] | None = None
    remote: list[tuple] = dataclass_field(default_factory=list)


def _walk(record: PastCase, checklist: list[ServiceMaterial]) -> list[tuple[str, str, str, CaseStep]]:
    """The (action, from, to, step) of each step, checked against the case workflow; ValidationFailed naming the
    problem otherwise."""
    steps, case = record.steps, record.case
    problem = None
    if not steps or steps[0].action != CaseAction.OPEN:
        problem = _("its timeline must start with opening the case")
    elif record.provided is not None and record.incomplete != any(
            m.required and m.pk not in record.provided for m in checklist):
        problem = _("the materials provided do not match how it opened")
    walked, state = [], ""
    for i, step in enumerate(steps if problem is None else ()):
        if i == 0:
            to = CaseState.INCOMPLETE if record.incomplete else CaseState.ACCEPTED
        else:
            to = CASE_FLOW.target(state, step.action) if step.action != CaseAction.OPEN else None
            if to is None:
                problem = _("“%(action)s” cannot follow “%(state)s”") % {
                    "action": CASE_FLOW.action_label(step.action), "state": CASE_FLOW.state_label(state)}
                break
            if step.at < steps[i - 1].at:
                problem = _("its steps are not in time order")
                break
            if step.action in CASE_FLOW.reason_required and not step.note:
                problem = _("“%(action)s” needs a reason") % {"action": CASE_FLOW.action_label(step.action)}
                break
        walked.append((step.action, state, to, step))
        state = to
    if problem is None and state != case.state:
        problem = _("its state is not where its timeline ends")
    if problem is None and steps[-1].at > timezone.now():
        problem = _("its steps lie in the future")
    if problem:
        raise ValidationFailed.on("timeline", _("Case %(code)s: %(problem)s.") % {
            "code": case.code or case.applicant_name, "problem": problem})
    return walked


def check_past_case(record: PastCase) -> None:
    """ValidationFailed (on ``timeline``, or on the applicant's fields) when `import_cases` would refuse the
    record; the Excel import asks row by row to report each row's problem."""
    _walk(record, list(ServiceMaterial.objects.filter(item_id=record.case.item_id).order_by("position", "id")))
    c = record.case
    clean_applicant(c.applicant_name, c.applicant_phone, c.applicant_id_number)


def _stamp(case: Case, walked, overrides) -> None:
    """The case's times and visits as the live steps would have set them."""
    case.visits = 1
    case.accepted_at = case.forwarded_at = case.closed_at = None
    case.due_on = None
    for action, _from, to, step in walked:
        if action in VISIT_ACTIONS:
            case.visits += 1
        if to == CaseState.ACCEPTED and action in (CaseAction.OPEN, CaseAction.SUPPLY):
            case.accepted_at, case.due_on = step.at, due_on(case.item, step.at, overrides)
        if action == CaseAction.FORWARD:
            case.forwarded_at = step.at
        if action in (CaseAction.COMPLETE, CaseAction.PICK_UP, CaseAction.REJECT, CaseAction.WITHDRAW):
            case.closed_at = step.at
    case.created_at = walked[0][3].at


def import_cases(rows: list[PastCase], *, actor, change_reason: str = "register import") -> list[Case]:
    """Take in past cases (a station's paper register, the demo street's two years) in one transaction, all or
    nothing. Every timeline is checked against the case workflow (each step a legal transition, in time order,
    ending in the case's state) and stamps the case's times and visits as the live steps would; the actor must
    work the counter of every place. Case numbers left blank are given the day's next ones. Nobody is told of the
    past. Returns the cases written."""
    workflow.check_actor(actor)
    overrides = DbOverrides()
    places: dict[int, bool] = {}
    items = {r.case.item_id for r in rows}
    checklists: dict[int, list[ServiceMaterial]] = {i: [] for i in items}
    for m in ServiceMaterial.objects.filter(item_id__in=items).order_by("item_id", "position", "id"):
        checklists[m.item_id].append(m)
    codes: set[str] = set()
    walks = []
    for record in rows:
        case = record.case
        if case.place_id not in places:
            places[case.place_id] = policies.at_counter(actor, case.place)
        if not places[case.place_id]:
            raise NotFound(_("Not found."))
        walked = _walk(record, checklists[case.item_id])
        case.applicant_name, case.applicant_phone, case.applicant_id_number = clean_applicant(
            case.applicant_name, case.applicant_phone, case.applicant_id_number)
        _stamp(case, walked, overrides)
        if case.code:
            if case.code in codes:
                raise ValidationFailed.on("code", _("Case number %(code)s is given twice.") % {"code": case.code})
            codes.add(case.code)
        walks.append(walked)
    if codes and Case.objects.filter(code__in=codes).exists():
        raise ValidationFailed.on("code", _("A case with this number exists already."))
    _number(rows, codes)
    with transaction.atomic():
        for record in rows:
            record.case._history_date = record.case.created_at
        cases = bulk_create_with_history([r.case for r in rows], Case, batch_size=500,
                                         default_change_reason=change_reason, default_user=user_of(actor))
        materials, steps, sessions = [], [], []
        for record, case, walked in zip(rows, cases, walks, strict=True):
            for m in checklists[case.item_id]:
                if record.provided is not None:
                    given = m.pk in record.provided
                else:
                    given = not (case.state == CaseState.INCOMPLETE and m.required)
                materials.append((case.pk, m.pk, given))
            for action, from_state, to_state, step in walked:
                steps.append((case.pk, action, from_state, to_state, getattr(user_of(step.actor), "pk", None),
                              "" if workflow.is_user(step.actor) else step.actor.key, step.note, "{}",
                              _db_time(step.at)))
            for kind, started_at, minutes, outcome in record.remote:
                sessions.append(RemoteSession(case=case, kind=kind, started_at=started_at,
                                              duration_minutes=minutes, outcome=outcome, staff=user_of(actor)))
        # the ticks and the timeline as plain rows (tens of thousands for a demo street): the case's own history
        # row records the import
        _insert_rows(CaseMaterial, ("case_id", "material_id", "provided"), materials)
        _insert_rows(CaseTransition, ("case_id", "action", "from_state", "to_state", "actor_id", "actor_label",
                                      "note", "extra", "created_at"), steps)
        if sessions:
            bulk_create_with_history(sessions, RemoteSession, batch_size=500, default_change_reason=change_reason,
                                     default_user=user_of(actor))
    return cases


def _db_time(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(map(qn, columns))}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _number(rows: list[PastCase], taken: set[str]) -> None:
    """Case numbers for the rows without one: each day's next numbers after the stored ones, in time order."""
    blank = sorted((r for r in rows if not r.case.code), key=lambda r: r.case.created_at)
    if not blank:
        return
    first, last = (timezone.localdate(blank[i].case.created_at) for i in (0, -1))
    stored = Case.objects.filter(code__gte=f"{CODE_PREFIX}{first:%Y%m%d}",
                                 code__lt=f"{CODE_PREFIX}{last + timedelta(days=1):%Y%m%d}")
    next_seq: dict[str, int] = {}
    for code in stored.values_list("code", flat=True):
        day, seq = code[:len(CODE_PREFIX) + 8], code[len(CODE_PREFIX) + 8:]
        if seq.isdigit():
            next_seq[day] = max(next_seq.get(day, 1), int(seq) + 1)
    for record in blank:
        day = f"{CODE_PREFIX}{timezone.localdate(record.case.created_at):%Y%m%d}"
        while True:
            code = f"{day}{next_seq.get(day, 1):04d}"
            next_seq[day] = next_seq.get(day, 1) + 1
            if code not in taken:
                break
        record.case.code = code
