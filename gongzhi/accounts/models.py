import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.accounts.roles import Role
from gongzhi.core.fields import EncryptedCharField, LookupHashField


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
    phone_hash = LookupHashField(of="phone")  # log-in / verified-phone look-ups
    phone_verified_at = models.DateTimeField(
        _("phone verified at"), null=True, blank=True,
        help_text=_("When the user proved this phone number with an SMS code; cleared when the number changes."),
    )
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("Set when an administrator resets the password: the user picks a new one at the next login."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    personal_fields = ("phone",)  # masked by `gongzhi.core.masking` where the viewer may not see personal data

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @staticmethod
    def audit_scope_q(scope) -> Q:
        """Which rows of the user history an auditor with `scope` reads: users holding a role inside it."""
        if scope.everything:
            return Q()
        return Q(id__in=RoleAssignment.objects.filter(scope.q(RoleAssignment)).values("user_id"))


class RoleAssignment(models.Model):
    """A role held by a user, anchored at a region node or a member unit (its scope).

    A system administrator's assignment needs neither: it covers everything.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "registry.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    member_unit = models.ForeignKey(
        "registry.MemberUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("member unit"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    # An assignment lies where its region is, or where its member unit is; a system role lies nowhere.
    scope_region_lookups = ("region__path", "member_unit__region__path")
    scope_unit_lookups = ("member_unit_id",)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region", "member_unit"], name="unique_role_assignment"),
        ]

    def __str__(self) -> str:
        anchor = self.region or self.member_unit or _("everything")
        return f"{self.get_role_display()} @ {anchor}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
