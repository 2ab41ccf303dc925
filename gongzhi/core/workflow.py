"""The one state writer of the platform.

Every stateful model declares a `Workflow`: its explicit ``TRANSITIONS`` table ``{(from_state, action): to_state}``,
its state field and its append-only log model (a concrete subclass of `TransitionRecord`). `transition()` is the
only code that changes a state:

1. it locks the row (``SELECT … FOR UPDATE``) and re-reads it;
2. it runs the caller's ``authorize(locked)`` check (a policy, on the fresh row);
3. it looks ``(state, action)`` up in the table (`InvalidTransition` otherwise) and checks a required reason;
4. it applies the other field changes the action carries, sets the new state and saves (simple-history records
   the actor);
5. it appends one log row (actor, action, from, to, note, extra) and schedules the workflow's side effects
   (`Workflow.on_commit`) for after the commit.

Actors are explicit: a user, or a `PseudoActor` such as `SYSTEM` (the overdue job) or `SUBMITTER` (a resident
identified by tracking code and phone digits). ``None`` is refused: it used to mean "skip the checks".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core.errors import Conflict, InvalidTransition, NotFound, NothingChanged, ValidationFailed


@dataclass(frozen=True)
class PseudoActor:
    """Someone acting who is not a user account."""

    key: str
    label: str

    is_authenticated = False
    pk = None

    def __str__(self) -> str:
        return str(self.label)


SYSTEM = PseudoActor("system", gettext_lazy("System"))
SUBMITTER = PseudoActor("submitter", gettext_lazy("Submitter"))


def is_user(actor) -> bool:
    return actor is not None and not isinstance(actor, PseudoActor)


def user_of(actor):
    """The user account behind an actor, or None for a pseudo actor."""
    return actor if is_user(actor) else None


def snapshot(obj) -> dict:
    """The stored values of `obj`'s own fields (auto-stamped times left out): compare two to tell a real change."""
    return {f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields
            if not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))}


def refuse_unchanged(obj, before: dict, *, also_changed: bool = False) -> None:
    """Raise NothingChanged when `obj`'s fields still hold `before` (and nothing else changed: `also_changed`)."""
    if not also_changed and snapshot(obj) == before:
        raise NothingChanged()


def pk_of(subject):
    """The primary key of `subject`, an instance or a key already."""
    return subject.pk if isinstance(subject, models.Model) else subject


def find(actor, subject, model, read, related=()):
    """`subject` (an instance or a pk) as `actor` may see it: `read(user, pk)`, the app's scoped selector, for a
    user; any row for a pseudo actor (SYSTEM, or a resident whose right the caller proved). NotFound otherwise."""
    check_actor(actor)
    if is_user(actor):
        return read(actor, pk_of(subject))
    obj = model.objects.select_related(*related).filter(pk=pk_of(subject)).order_by().first()  # no ordering join
    if obj is None:
        raise NotFound(_("Not found."))
    return obj


def check_actor(actor) -> None:
    if actor is None:
        raise TypeError("actor is required: pass a user or gongzhi.core.workflow.SYSTEM")


# --- The log -------------------------------------------------------------------------------------------------

class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise Conflict(_("This log is append-only."))

    def delete(self):
        raise Conflict(_("This log is append-only."))


class TransitionRecord(models.Model):
    """One step of a subject's life. Concrete subclasses add the foreign key to their subject."""

    action = models.CharField(gettext_lazy("action"), max_length=30)
    from_state = models.CharField(gettext_lazy("from"), max_length=30, blank=True)
    to_state = models.CharField(gettext_lazy("to"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=gettext_lazy("actor"),
    )
    actor_label = models.CharField(gettext_lazy("actor"), max_length=60, blank=True,
                                   help_text=gettext_lazy("Who acted when not a user."))
    note = models.TextField(gettext_lazy("note"), blank=True)
    extra = models.JSONField(gettext_lazy("details"), default=dict, blank=True)
    created_at = models.DateTimeField(gettext_lazy("time"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Conflict(_("This log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Conflict(_("This log is append-only."))

    # the Workflow whose log this is (set by each concrete log model): names its actions and states
    flow: Workflow | None = None

    @property
    def action_label(self) -> str:
        return self.flow.action_label(self.action) if self.flow else self.action

    @property
    def from_label(self) -> str:
        return self.flow.state_label(self.from_state) if self.flow and self.from_state else self.from_state

    @property
    def to_label(self) -> str:
        return self.flow.state_label(self.to_state) if self.flow else self.to_state

    @property
    def actor_name(self) -> str:
        if self.actor_id:
            return str(self.actor)
        pseudo = {SYSTEM.key: SYSTEM, SUBMITTER.key: SUBMITTER}.get(self.actor_label)
        return str(pseudo.label) if pseudo else self.actor_label


# --- Workflows -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Workflow:
    """A state machine: `model` ("app_label.Model") changes `state_field` along `transitions`, logged in
    `log_model` ("app_label.Model") whose foreign key to the subject is `log_fk`."""

    name: str
    model: str
    log_model: str
    log_fk: str
    transitions: dict[tuple[str, str], str]
    states: type | None = None  # TextChoices, for labels
    actions: type | None = None
    state_field: str = "state"
    reason_required: frozenset[str] = frozenset()
    # "module:function(record)" run on commit after each transition (notifications and the like)
    on_commit: str | None = None
    # further fields of the log row, from the changed subject: callable(subject) -> dict
    record_fields: Callable | None = None
    # actions that keep the state and only change fields (a dispatch, a category): when they would change nothing
    # they are refused with NothingChanged and write nothing (no log row, no history row)
    refuse_unchanged: frozenset[str] = frozenset()

    def target(self, state: str, action: str) -> str | None:
        return self.transitions.get((state, action))

    def actions_from(self, state: str) -> list[str]:
        return [a for (s, a) in self.transitions if s == state]

    def state_label(self, state: str) -> str:
        if self.states is not None and state in self.states.values:
            return str(self.states(state).label)
        return state

    def action_label(self, action: str) -> str:
        if self.actions is not None and action in self.actions.values:
            return str(self.actions(action).label)
        return action

    def get_model(self):
        from django.apps import apps

        return apps.get_model(self.model)

    def get_log_model(self):
        from django.apps import apps

        return apps.get_model(self.log_model)


def transition(
    subject,
    action: str,
    *,
    workflow: Workflow,
    actor,
    note: str = "",
    extra: dict | None = None,
    now: datetime | None = None,
    authorize: Callable[[models.Model], None] | None = None,
    prepare: Callable[[models.Model], None] | None = None,
    related: Iterable[str] = (),
    **changes,
):
    """Apply `action` to `subject` (an instance or a pk) under `workflow`; returns the locked, saved instance with
    the new log row as ``instance.last_transition``.

    `changes` are further field values to set with the state; `prepare(locked)` may compute changes from the
    fresh row. Raises NotFound, InvalidTransition, ValidationFailed (missing reason) or what `authorize` raises.
    """
    check_actor(actor)
    now = now or timezone.now()
    note = (note or "").strip()
    model = workflow.get_model()
    pk = subject.pk if isinstance(subject, models.Model) else subject
    with transaction.atomic():
        qs = model.objects.select_for_update(of=("self",))
        if related:
            qs = qs.select_related(*related)
        try:
            locked = qs.get(pk=pk)
        except model.DoesNotExist:
            raise NotFound(_("Not found."))
        if authorize is not None:
            authorize(locked)
        from_state = getattr(locked, workflow.state_field)
        to_state = workflow.target(from_state, action)
        if to_state is None:
            raise InvalidTransition(
                _("Something that is “%(state)s” cannot be given the action “%(action)s”.")
                % {"state": workflow.state_label(from_state), "action": workflow.action_label(action)}
            )
        if action in workflow.reason_required and not note:
            raise ValidationFailed.on("note", _("Give a reason."))
        before = snapshot(locked) if action in workflow.refuse_unchanged and to_state == from_state else None
        if prepare is not None:
            prepare(locked)
        for name, value in changes.items():
            setattr(locked, name, value)
        if before is not None:
            refuse_unchanged(locked, before)
        setattr(locked, workflow.state_field, to_state)
        locked._history_user = user_of(actor)
        locked._change_reason = action
        locked.save()
        locked.last_transition = _record(locked, action, from_state, workflow=workflow, actor=actor, note=note,
                                         extra=extra, now=now)
    return locked


def record_creation(subject, action: str, *, workflow: Workflow, actor, note: str = "", extra: dict | None = None,
                    now: datetime | None = None):
    """The first log row of a new subject (from "" to its initial state). Runs inside the creating transaction;
    schedules the workflow's side effects like `transition` does."""
    return _record(subject, action, "", workflow=workflow, actor=actor, note=note, extra=extra, now=now)


def record_step(subject, action: str, *, workflow: Workflow, actor, note: str = "", extra: dict | None = None,
                now: datetime | None = None):
    """A log row for something that happened to `subject` without changing its state (e.g. a demand that took in
    a merged duplicate). Runs inside the caller's transaction, on a row the caller has locked."""
    return _record(subject, action, getattr(subject, workflow.state_field), workflow=workflow, actor=actor,
                   note=note, extra=extra, now=now)


def _record(subject, action: str, from_state: str, *, workflow: Workflow, actor, note: str, extra: dict | None,
            now: datetime | None):
    check_actor(actor)
    state = getattr(subject, workflow.state_field)
    record = workflow.get_log_model().objects.create(
        **{workflow.log_fk: subject}, action=action, from_state=from_state, to_state=state, actor=user_of(actor),
        actor_label="" if is_user(actor) else actor.key, note=(note or "").strip(), extra=extra or {},
        created_at=now or timezone.now(), **(workflow.record_fields(subject) if workflow.record_fields else {}),
    )
    if workflow.on_commit:
        from gongzhi.core.modules import resolve

        transaction.on_commit(partial(resolve(workflow.on_commit), record.pk), robust=True)
    return record
