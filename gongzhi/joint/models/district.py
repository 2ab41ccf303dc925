"""District-level two-way matching (the district part): the sub-districts' campaigns under a district platform.

Seed 002: Huangpu's district joint meeting ran 1,712 two-way matching projects in a year. Each sub-district runs
its own campaign (gongzhi.matching); a link puts a campaign under a district platform, whose results page breaks
the figures down by sub-district."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["DistrictCampaign"]


class DistrictCampaign(models.Model):
    """A sub-district's matching campaign under a district platform (a campaign belongs to one platform at most)."""

    platform = models.ForeignKey("joint.Platform", on_delete=models.PROTECT, related_name="district_campaigns",
                                 verbose_name=_("district platform"))
    campaign = models.OneToOneField("matching.Campaign", on_delete=models.PROTECT, related_name="district_link",
                                    verbose_name=_("campaign"))
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("linked by"))
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    history = HistoricalRecords()
    scope_region_lookups = ("campaign__subdistrict__path",)

    class Meta:
        verbose_name = _("district campaign")
        verbose_name_plural = _("district campaigns")
        ordering = ["platform", "campaign__subdistrict_id", "id"]

    def __str__(self) -> str:
        return str(self.campaign)
