"""Who may put a campaign under a district platform (the district part).

Nobody anchored at the district holds `joint.manage` (gongzhi.accounts.roles: the district viewer only reads,
district departments handle demands), so a campaign is linked or unlinked by whoever holds `joint.manage` over its
sub-district: the sub-district administrator for their own sub-district's campaigns, the system administrator for
any. The district platform's results are read with `joint.view`; the figures are matching's (`matching.view`)."""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scope_for

VIEW, MANAGE = Capability.VIEW_JOINT, Capability.MANAGE_JOINT


def may_link(user, campaign) -> bool:
    """`user` may link (or unlink) `campaign`: `joint.manage` covering the campaign's whole sub-district."""
    return scope_for(user, MANAGE).covers_path(campaign.subdistrict.path)
