"""Posts in party organizations (the platforms part): who holds the secretary's, a deputy secretary's or a committee
member's post of an organization, for which term, full- or part-time (兼职). A 联合党委's composition is its posts
held now (seed 000: a firm's party head as secretary, the residential area's party secretary as deputy); a
residential area's 大党委制 (seed 003) takes in a community police officer as part-time deputy secretary and party
members of units as part-time committee members."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["PostKind", "SINGLE_HOLDER_POSTS", "PartyPost"]


class PostKind(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")


# Posts only one person holds at a time in an organization.
SINGLE_HOLDER_POSTS = frozenset({PostKind.SECRETARY})


class PartyPost(models.Model):
    """One person's term in one post of a party organization: a party member, or a named person from a unit (a
    community police officer, a firm's manager) who is not on the organization's roll. A term without an end is
    current; an ended term stays as history."""

    org = models.ForeignKey("registry.PartyOrg", on_delete=models.PROTECT, related_name="joint_posts",
                            verbose_name=_("party organization"))
    kind = models.CharField(_("post"), max_length=20, choices=PostKind.choices)
    is_part_time = models.BooleanField(_("part-time (兼职)"), default=False,
                                       help_text=_("Held alongside a job elsewhere, e.g. a community police officer "
                                                   "as part-time deputy secretary."))
    party_member = models.ForeignKey("registry.PartyMember", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="joint_posts", verbose_name=_("party member"))
    person_name = models.CharField(_("named person"), max_length=40, blank=True,
                                   help_text=_("Someone not in the party-member registry."))
    unit = models.ForeignKey("registry.MemberUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="joint_posts", verbose_name=_("holder's unit"),
                             help_text=_("Where the holder works; left empty for a party member, their "
                                         "organization's unit."))
    starts_on = models.DateField(_("term from"), default=timezone.localdate)
    ends_on = models.DateField(_("term to"), null=True, blank=True, help_text=_("Left empty: the term is open."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("org__region__path",)

    class Meta:
        verbose_name = _("party post")
        verbose_name_plural = _("party posts")
        ordering = ["org", "kind", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(party_member__isnull=False, person_name="")
                           | Q(party_member__isnull=True) & ~Q(person_name="")),
                name="joint_post_member_or_named_person"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="joint_post_term_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.get_kind_display()} {self.holder_name}"

    @property
    def holder_name(self) -> str:
        return self.party_member.name if self.party_member_id else self.person_name

    @property
    def holder_unit(self):
        """The unit the holder comes from: the one recorded, else the party member's organization's unit."""
        if self.unit_id:
            return self.unit
        if self.party_member_id:
            return self.party_member.organization.member_unit
        return None

    @property
    def holder_org(self):
        """The party organization the holder belongs to (a party member's own), or None."""
        return self.party_member.organization if self.party_member_id else None

    def is_current(self, on=None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
