"""Telling the two sides of the matching about each other's steps, through the platform's one notification service
(gongzhi.demands.notify: the inbox and e-mail). Called inside a service's transaction: the message goes out after
commit, so a claim that fails or rolls back tells nobody."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.core.workflow import user_of


def unit_liaisons(unit_id) -> list:
    """The active liaison accounts of a member unit."""
    from gongzhi.accounts.models import User
    from gongzhi.accounts.roles import Role

    if not unit_id:
        return []
    return list(User.objects.filter(is_active=True, role_assignments__role=Role.UNIT_LIAISON,
                                    role_assignments__member_unit_id=unit_id).distinct())


def resource_claimed(project, *, actor) -> None:
    """A community claimed a unit's resource: the unit's liaisons are told, to confirm or decline the proposal (the
    one who claimed is not told of their own step)."""
    from gongzhi.demands.notify import notify_users

    resource, need = project.resource, project.need
    claimer = user_of(actor)
    recipients = [u for u in unit_liaisons(resource.provider_unit_id) if claimer is None or u.pk != claimer.pk]
    if not recipients:
        return
    text = _("Your resource %(code)s “%(resource)s” was claimed by %(place)s for the need “%(need)s”: please "
             "confirm or decline the proposed project.") % {
        "code": resource.code, "resource": resource.title, "place": need.place.name, "need": need.title}
    transaction.on_commit(partial(notify_users, recipients, None, text), robust=True)
