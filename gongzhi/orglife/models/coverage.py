"""Two-new coverage (the coverage part). Organizational coverage of a two-new unit is its own party organization
(a PartyOrg whose member_unit is the unit, counted from its founding date) or a 联合党委 that takes it in
(`JointCoverage`, from a date); work coverage is a 党建指导员 assigned to it (`InstructorAssignment`). Both carry
dates so a trend can be read back for any past month."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import EncryptedCharField
from gongzhi.registry.models import phone_validator

__all__ = ["JointCoverage", "InstructorAssignment"]


class JointCoverage(models.Model):
    """A two-new unit without its own organization taken in by a joint party committee (联合党委)."""

    unit = models.ForeignKey("registry.MemberUnit", on_delete=models.PROTECT, related_name="orglife_joint_coverage",
                             verbose_name=_("unit"))
    joint_org = models.ForeignKey("registry.PartyOrg", on_delete=models.PROTECT, related_name="orglife_covered_units",
                                  verbose_name=_("joint party committee"))
    since = models.DateField(_("covered since"))
    until = models.DateField(_("covered until"), null=True, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("unit__region__path",)
    scope_unit_lookups = ("unit_id",)

    class Meta:
        verbose_name = _("joint-committee coverage")
        verbose_name_plural = _("joint-committee coverage")
        ordering = ["unit__code", "-since"]
        constraints = [
            models.CheckConstraint(condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                                   name="orglife_joint_coverage_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.joint_org}"


class InstructorAssignment(models.Model):
    """A party-building instructor (党建指导员) assigned to a two-new unit for a term."""

    unit = models.ForeignKey("registry.MemberUnit", on_delete=models.PROTECT, related_name="orglife_instructors",
                             verbose_name=_("unit"))
    instructor = models.CharField(_("instructor"), max_length=40)
    instructor_member = models.ForeignKey("registry.PartyMember", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+", verbose_name=_("instructor (party member)"))
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    assigned_on = models.DateField(_("assigned on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("unit__region__path",)
    scope_unit_lookups = ("unit_id",)
    personal_fields = ("phone",)

    class Meta:
        verbose_name = _("party-building instructor")
        verbose_name_plural = _("party-building instructors")
        ordering = ["unit__code", "-assigned_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("assigned_on")),
                                   name="orglife_instructor_term_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.instructor}"
