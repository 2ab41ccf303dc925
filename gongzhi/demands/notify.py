"""Telling people about demands: the in-app inbox, e-mail through Django's backend, and SMS/WeChat messages
through one small `Notifier` interface.

The SMS/WeChat backend is chosen by the setting (or environment variable) `GONGZHI_SMS_BACKEND`, a dotted path
to a class with `send(phone, text)`; the default `ConsoleNotifier` writes to the log. `MemoryNotifier` keeps
messages in `MemoryNotifier.outbox` (for tests and demos). Everything here runs after commit
(`transaction.on_commit`), so a rolled-back change never notifies anyone.

Intake keeps notifying out of the request: `after_transition_later` queues `after_transition_task` (django-tasks).
With the database backend the job row is written in the caller's transaction, so the worker sees it only once the
demand has committed (and never after a rollback) and the request pays one INSERT, not a commit of its own; with
other backends (GONGZHI_TASKS=immediate in tests) the job is enqueued after commit.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from gongzhi.accounts.models import RoleAssignment, User
from gongzhi.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from gongzhi.core.masking import mask_phone
from gongzhi.demands.models import Demand, DemandTransition, Notification
from gongzhi.demands.signals import demand_submitted, demand_transitioned
from gongzhi.demands.workflow import Action
from gongzhi.registry.models import RegionKind

logger = logging.getLogger("gongzhi.demands.notify")
DEFAULT_BACKEND = "gongzhi.demands.notify.ConsoleNotifier"


class Notifier(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleNotifier:
    """Writes each message to the log, with the number masked (logs are not encrypted at rest)."""

    def send(self, phone: str, text: str) -> None:
        logger.warning("SMS to %s: %s", mask_phone(phone), text)


class MemoryNotifier:
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemoryNotifier.outbox.append((phone, text))


def get_notifier() -> Notifier:
    path = getattr(settings, "GONGZHI_SMS_BACKEND", None) or os.environ.get("GONGZHI_SMS_BACKEND") or DEFAULT_BACKEND
    return import_string(path)()


def notify_users(users: Iterable, demand, text: str, link: str = "") -> None:
    """In-app notification for each user, plus an e-mail to those with an address. `link`: the page it is about
    when that is not the demand's (a path on this site). The inbox rows are written in the caller's transaction
    (a rollback takes them back); the e-mails go once it commits (at once outside a transaction)."""
    recipients = list({u.pk: u for u in users if u is not None and u.is_active}.values())
    Notification.objects.bulk_create([Notification(user=u, demand=demand, text=text[:300], link=link[:300])
                                      for u in recipients])
    addresses = [(u.pk, u.email) for u in recipients if u.email]
    if addresses:
        subject = (_("Demand %(code)s") % {"code": demand.tracking_code} if demand is not None
                   else _("A message from Gongzhi"))
        transaction.on_commit(lambda: _send_mails(subject, text, addresses), robust=True)


def _send_mails(subject: str, text: str, addresses: list[tuple[int, str]]) -> None:
    for pk, address in addresses:
        try:
            send_mail(subject, text, None, [address])
        except Exception:  # a broken mail server must not break the workflow
            logger.exception("e-mail to %s failed", pk)


def send_sms(phones: Iterable[str], text: str) -> None:
    notifier = get_notifier()
    for phone in dict.fromkeys(p for p in phones if p):
        try:
            notifier.send(phone, text)
        except Exception:
            logger.exception("SMS to %s failed", mask_phone(phone))


def tell_submitters(demand, text: str) -> None:
    """The submitter and the followers (submitters of merged duplicates): SMS, and the inbox for accounts."""
    followers = list(demand.followers.select_related("user"))
    send_sms([demand.submitter_phone, *(f.phone for f in followers)], text)
    notify_users([demand.submitter_user, *(f.user for f in followers)], demand, text)


def approvers_of(demand) -> list:
    """The people who may approve the demand's deadline extensions (the sub-district's approvers in scope)."""
    roles = [r for r, caps in ROLE_CAPABILITIES.items() if Capability.APPROVE_DEMANDS in caps]
    paths = [p for p in demand.region.path.split("/") if p]
    prefixes = ["/" + "/".join(paths[:i]) + "/" for i in range(1, len(paths) + 1)]
    return list(User.objects.filter(is_active=True, role_assignments__role__in=roles,
                                    role_assignments__region__path__in=prefixes).distinct())


def responsible_users(demand) -> list:
    """The people whose queue the demand is in now: the assignee, the claimer, or the responsible role holders."""
    if demand.assignee_id or demand.claimed_by_id:
        return [u for u in (demand.assignee, demand.claimed_by) if u is not None]
    if demand.handling_unit_id:  # handed to a unit by a joint meeting: whoever handles demands for that unit
        from gongzhi.accounts.selectors import unit_staff

        return unit_staff(demand.handling_unit_id, Capability.HANDLE_DEMANDS)
    roles_by_kind = {
        RegionKind.GRID: [Role.GRID_LEADER],
        RegionKind.RESIDENTIAL_AREA: [Role.AREA_SECRETARY],
        RegionKind.SUBDISTRICT: [Role.SUBDISTRICT_ADMIN],
        RegionKind.DISTRICT: [Role.DISTRICT_VIEWER],
    }
    roles = list(roles_by_kind.get(demand.region.kind, []))
    if demand.escalation_level >= 2:
        roles.append(Role.SUBDISTRICT_ADMIN)
    region_ids = [demand.region_id]
    assignments = RoleAssignment.objects.filter(region_id__in=region_ids, role__in=roles).select_related("user")
    return [a.user for a in assignments]


def area_staff(demand) -> list:
    """The secretaries of the residential area the demand lies in (its grid's area, else its responsible region's)."""
    place = demand.grid if demand.grid_id else demand.region
    area = place.ancestor_of_kind(RegionKind.RESIDENTIAL_AREA) if place is not None else None
    if area is None:
        return []
    return [a.user for a in RoleAssignment.objects.filter(region=area, role=Role.AREA_SECRETARY).select_related("user")]


def after_transition(transition_id: int) -> None:
    """Run after commit for every timeline entry: tell the submitter, followers and whoever must act next."""
    entry = DemandTransition.objects.select_related("demand__region", "demand__team").get(pk=transition_id)
    demand = entry.demand
    state = entry.get_to_state_display()
    # the submitter hears of every change of state but their own review (the archiving follows)
    if entry.action != Action.REVIEW and (entry.from_state != entry.to_state or entry.action == Action.SUBMIT):
        tell_submitters(demand, _("[Gongzhi] Your demand %(code)s: %(state)s.") % {
            "code": demand.tracking_code, "state": state})
    if entry.action in {Action.SUBMIT, Action.ASSIGN, Action.ESCALATE, Action.RETURN, Action.REOPEN, Action.ROUTE}:
        text = _("Demand %(code)s “%(title)s” needs you: %(state)s.") % {
            "code": demand.tracking_code, "title": demand.title, "state": state}
        # nobody is told to act on what they just did themselves (e.g. dispatched to themselves)
        recipients = responsible_users(demand)
        if entry.action == Action.REOPEN:  # the area hears that a review sent one of its demands back
            recipients += area_staff(demand)
        notify_users([u for u in recipients if u.pk != entry.actor_id], demand, text)
        if entry.action == Action.ASSIGN and demand.team_id and demand.team.leader_phone:
            send_sms([demand.team.leader_phone], text)
    if entry.action == Action.SUBMIT:  # once per new demand, in the same job: one job row per intake
        for receiver, outcome in demand_submitted.send_robust(sender=Demand, demand=demand):
            if isinstance(outcome, Exception):
                logger.error("demand_submitted receiver %r failed for %s", receiver, demand.tracking_code,
                             exc_info=outcome)
    for receiver, outcome in demand_transitioned.send_robust(sender=Demand, demand=demand, entry=entry):
        if isinstance(outcome, Exception):
            logger.error("demand_transitioned receiver %r failed for %s", receiver, demand.tracking_code,
                         exc_info=outcome)


@task()
def after_transition_task(transition_id: int) -> None:
    """`after_transition` as a background job (the database worker runs it)."""
    after_transition(transition_id)


def after_transition_later(transition_id: int) -> None:
    """Queue the notifications of a timeline entry; call it inside the transaction that wrote the entry."""
    from django_tasks_db import DatabaseBackend

    if isinstance(after_transition_task.get_backend(), DatabaseBackend):
        after_transition_task.enqueue(transition_id)  # committed (or rolled back) with the caller's transaction
    else:
        transaction.on_commit(lambda: after_transition_task.enqueue(transition_id), robust=True)
