"""Writes of the district part: putting a sub-district's matching campaign under a district platform and taking
it off again (refused without `joint.manage` over the campaign's sub-district, see policies.district), and the
district platform itself when no platform of the platforms part exists yet (the demo and the test fixtures)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongzhi.core import workflow
from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import is_user, pk_of, user_of
from gongzhi.joint.models import DistrictCampaign, Platform, PlatformKind, PlatformLevel
from gongzhi.joint.policies import district as policies
from gongzhi.matching.models import Campaign
from gongzhi.registry.models import RegionKind


def _refuse_unless_linker(actor, campaign) -> None:
    if is_user(actor) and not policies.may_link(actor, campaign):
        raise Forbidden(_("You do not have permission to do this."))


def district_platform(actor, campaign, platform_id) -> Platform:
    """The active district platform `platform_id` over the campaign's sub-district, else a field error."""
    platform = Platform.objects.select_related("region").filter(
        pk=pk_of(platform_id) or 0, level=PlatformLevel.DISTRICT, is_active=True).first()
    if platform is None or not campaign.subdistrict.path.startswith(platform.region.path):
        raise ValidationFailed.on("platform", _("Choose a district platform over the campaign's sub-district."))
    return platform


def link_campaign(campaign, *, actor, platform_id) -> DistrictCampaign:
    """Put `campaign` (an instance or a pk) under the district platform `platform_id`. A campaign belongs to one
    district platform: linking a linked campaign is a Conflict."""
    workflow.check_actor(actor)
    found = Campaign.objects.select_related("subdistrict").filter(pk=pk_of(campaign) or 0).first()
    if found is None:
        raise NotFound(_("Not found."))
    _refuse_unless_linker(actor, found)
    platform = district_platform(actor, found, platform_id)
    try:
        with transaction.atomic():
            link = DistrictCampaign(platform=platform, campaign=found, linked_by=user_of(actor))
            link._history_user = user_of(actor)
            link.save()
    except IntegrityError:
        raise Conflict(_("This campaign belongs to a district platform already."))
    return link


def unlink_campaign(link, *, actor) -> None:
    """Take a campaign off its district platform."""
    workflow.check_actor(actor)
    with transaction.atomic():
        found = (DistrictCampaign.objects.select_for_update(of=("self",)).select_related("campaign__subdistrict")
                 .filter(pk=pk_of(link) or 0).first())
        if found is None:
            raise NotFound(_("Not found."))
        _refuse_unless_linker(actor, found.campaign)
        found._history_user = user_of(actor)
        found.delete()


def create_district_platform(*, actor, region, name: str, brand: str = "", remit: str = "") -> Platform:
    """A district joint-meeting platform over `region` (a district), for the demo and the fixtures when the
    platforms part has made none (system only: the platforms part's services create platforms for users)."""
    if is_user(actor):
        raise Forbidden(_("You do not have permission to do this."))
    if region.kind != RegionKind.DISTRICT:
        raise ValidationFailed.on("region", _("A district platform serves a district."))
    with transaction.atomic():
        return Platform.objects.create(name=name, brand=brand, level=PlatformLevel.DISTRICT,
                                       kind=PlatformKind.JOINT_MEETING, region=region, remit=remit)
