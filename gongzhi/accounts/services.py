"""Writes to accounts: one transaction per call, `(subject, *, actor, ...)` with keyword-only plain values.

Every verb asks `policies` first and refuses what the actor may not do; the changes are audited by simple-history
(users and role assignments), attributed to the actor, with a change reason where no field shows what happened
(a password reset). Passwords chosen here are temporary: the user must pick their own at the next login.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.accounts import policies
from gongzhi.accounts.models import ApiToken, RoleAssignment, User
from gongzhi.accounts.roles import ROLE_SCOPE_KIND, Role
from gongzhi.core import crypto
from gongzhi.core.errors import Conflict, Forbidden, ValidationFailed
from gongzhi.core.workflow import SYSTEM

PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"  # no 0/O, 1/l/I to misread
PASSWORD_LENGTH = 12


def generate_password() -> str:
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(PASSWORD_LENGTH))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(_("Please correct the errors below."), field_errors={field: [str(message)]})


def _refuse(actor, subject, action: str) -> None:
    if not policies.can(actor, subject, action):
        raise Forbidden(_("You do not have permission to do this."))


def _temporary_password(user: User, password: str) -> str:
    """The given password if it passes the validators (else a field error on "password"), or a generated one."""
    if not password:
        return generate_password()
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise ValidationFailed(_("Please correct the errors below."), field_errors={"password": list(e.messages)})
    return password


def _validate_user(user: User, exclude=("password",)) -> None:
    try:
        user.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as e:
        raise ValidationFailed(_("Please correct the errors below."),
                               field_errors={k: [str(m) for m in v] for k, v in e.message_dict.items()})


def _new_assignment(user: User, actor, role: str, region, member_unit) -> RoleAssignment:
    """An unsaved role assignment, checked: a known role, anchored where that role is anchored, inside the actor's
    scope and rank, not yet held. Field errors name "role", "region" or "member_unit"."""
    if role not in Role.values:
        raise _invalid("role", _("Choose a role."))
    if role not in policies.grantable_roles(actor):
        raise _invalid("role", _("You may not grant this role."))
    if role in (Role.UNIT_LIAISON, Role.DISTRICT_DEPARTMENT):
        if member_unit is None:
            raise _invalid("member_unit", _("This role needs the member unit (the firm or the department)."))
        region = None
    elif role == Role.SYSTEM_ADMIN:
        region = member_unit = None
    else:
        if region is None:
            raise _invalid("region", _("This role needs the region it covers."))
        kind = ROLE_SCOPE_KIND[role]
        if region.kind != kind:
            from gongzhi.registry.models import RegionKind

            raise _invalid("region", _("A %(role)s is appointed at a %(kind)s.")
                           % {"role": Role(role).label, "kind": RegionKind(kind).label})
        member_unit = None
    assignment = RoleAssignment(user=user, role=role, region=region, member_unit=member_unit)
    if not policies.within(actor, assignment):
        field = "member_unit" if member_unit is not None else "region"
        raise _invalid(field, _("You may only grant roles inside your own scope."))
    if user.pk and RoleAssignment.objects.filter(user=user, role=role, region=region,
                                                 member_unit=member_unit).exists():
        raise _invalid("role", _("The user already holds this role there."))
    return assignment


def _locked(user: User) -> User:
    """The user's row, locked for this transaction and read afresh (the policies judge the current state)."""
    return User.objects.select_for_update().get(pk=user.pk)


def _saved(obj, actor, reason: str = ""):
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save()
    return obj


@transaction.atomic
def create_user(username: str, *, actor, role: str, region=None, member_unit=None, display_name: str = "",
                phone: str = "", email: str = "", password: str = "") -> tuple[User, str]:
    """A new account with its first role (a managed account always holds one) and a temporary password, which is
    returned to be shown once."""
    _refuse(actor, None, "create")
    user = User(username=(username or "").strip(), display_name=display_name.strip(), phone=phone.strip(),
                email=email.strip(), must_change_password=True)
    _validate_user(user)
    assignment = _new_assignment(user, actor, role, region, member_unit)
    password = _temporary_password(user, password)
    user.set_password(password)
    _saved(user, actor)
    assignment.user = user
    _saved(assignment, actor)
    user._role_assignment_cache = None
    return user, password


@transaction.atomic
def import_user(username: str, *, actor, password_hash: str | None = None, role: str | None = None, region=None,
                member_unit=None, **fields) -> User:
    """An account made by the system, not by a manager (the demo street, a migration from an earlier system): the
    given password hash (already hashed, so many accounts can share one) or no usable password, and at most one
    role, unchecked against any manager's scope. Only the system actor may do this."""
    if actor is not SYSTEM:
        raise Forbidden(_("You do not have permission to do this."))
    user = User(username=username, **fields)
    if password_hash:
        user.password = password_hash
    else:
        user.set_unusable_password()
    user.save()
    if role:
        import_role(user, actor=actor, role=role, region=region, member_unit=member_unit)
    return user


@transaction.atomic
def import_role(user: User, *, actor, role: str, region=None, member_unit=None) -> RoleAssignment:
    """A role given by the system (see `import_user`), unchecked against any manager's scope."""
    if actor is not SYSTEM:
        raise Forbidden(_("You do not have permission to do this."))
    user._role_assignment_cache = None
    return RoleAssignment.objects.create(user=user, role=role, region=region, member_unit=member_unit)


@transaction.atomic
def update_user(user: User, *, actor, display_name: str, phone: str = "", email: str = "") -> User:
    """Change an account's name and contact details."""
    user = _locked(user)
    _refuse(actor, user, "edit")
    if phone.strip() != user.phone:
        user.phone_verified_at = None  # a new number is not proven
    user.display_name, user.phone, user.email = display_name.strip(), phone.strip(), email.strip()
    _validate_user(user)
    return _saved(user, actor)


@transaction.atomic
def verify_phone(user: User, *, actor, phone: str, now=None) -> User:
    """The user proved `phone` (an SMS code sent to it was entered): it becomes their verified number. Only the
    user themselves; the number must be free of other verified accounts."""
    from django.utils import timezone

    if actor is None or getattr(actor, "pk", None) != user.pk:
        raise Forbidden(_("You do not have permission to do this."))
    phone = (phone or "").strip()
    if not phone:
        raise _invalid("phone", _("This field is required."))
    if User.objects.filter(phone_hash__in=crypto.lookup_hashes(phone), phone_verified_at__isnull=False).exclude(pk=user.pk).exists():
        raise _invalid("phone", _("This number is already verified by another account."))
    user = _locked(user)
    user.phone, user.phone_verified_at = phone, now or timezone.now()
    return _saved(user, actor, "phone verified")


@transaction.atomic
def grant_role(user: User, *, actor, role: str, region=None, member_unit=None) -> RoleAssignment:
    """Give the user a role anchored at a region (or, for a unit liaison, a member unit) inside the actor's scope."""
    user = _locked(user)  # one role change at a time per user
    _refuse(actor, user, "grant_role")
    assignment = _new_assignment(user, actor, role, region, member_unit)
    _refuse(actor, assignment, "grant")
    _saved(assignment, actor)
    user._role_assignment_cache = None
    return assignment


@transaction.atomic
def remove_role(assignment: RoleAssignment, *, actor) -> None:
    """Take a role away. A manager who does not see everything cannot take away a user's last role."""
    user = assignment.user = _locked(assignment.user)
    if not policies.can(actor, assignment, "remove"):
        if policies.can(actor, user, "grant_role") and policies.within(actor, assignment):
            raise Conflict(_("This is the user's only role: deactivate the account instead."))
        raise Forbidden(_("You do not have permission to do this."))
    assignment._history_user = actor
    assignment.delete()


@transaction.atomic
def reset_password(user: User, *, actor, password: str = "") -> str:
    """Set a temporary password (the one given, or a generated one) and return it to be shown once. The user's
    sessions end (Django ties them to the password) and they must choose a new password at the next login."""
    user = _locked(user)
    _refuse(actor, user, "reset_password")
    password = _temporary_password(user, password)
    user.set_password(password)
    user.must_change_password = True
    _saved(user, actor, reason=_("Password reset by an administrator"))
    return password


@transaction.atomic
def change_own_password(user: User, *, actor, password: str) -> User:
    """The user sets their own password (already validated by Django's password-change form)."""
    if actor.pk != user.pk:
        raise Forbidden(_("You do not have permission to do this."))
    user.set_password(password)
    user.must_change_password = False
    return _saved(user, actor, reason=_("Password changed by the user"))


@transaction.atomic
def deactivate_user(user: User, *, actor) -> User:
    """Stop the account: no login, no session, no API token works from the next request on. Audited."""
    user = _locked(user)
    _refuse(actor, user, "deactivate")
    user.is_active = False
    return _saved(user, actor)


@transaction.atomic
def reactivate_user(user: User, *, actor) -> User:
    user = _locked(user)
    _refuse(actor, user, "reactivate")
    user.is_active = True
    return _saved(user, actor)


# --- API tokens: each user manages their own -----------------------------------------------------------------

def issue_token(user: User, *, actor, name: str, key: str | None = None) -> tuple[ApiToken, str]:
    """A new API token for `user` (by the user themselves, or the system for scripts and tests). The key is
    returned once; only its hash is kept."""
    if actor is not user and getattr(actor, "key", None) != "system":
        raise Forbidden()
    key = key or secrets.token_urlsafe(32)
    name = (name or "").strip()[:80] or _("API token")
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8])
    return token, key


def revoke_token(token_id, *, actor) -> int:
    """Revoke one of the actor's own tokens (someone else's, or a missing one, changes nothing)."""
    with transaction.atomic():
        return ApiToken.objects.filter(user=actor, pk=token_id, revoked=False).update(revoked=True)


def mark_token_used(token: ApiToken, *, now) -> None:
    """Note when a token was last used (at most once a minute per token: see gongzhi.api)."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
