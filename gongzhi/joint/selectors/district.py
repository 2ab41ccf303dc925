"""Reads of the district part: the district platforms a user may see, their campaigns, and the district results
page (the sub-districts' two-way matching broken down by sub-district).

The figures are matching's, read through matching's scoped selectors (`projects_for`, `needs_for`,
`resources_for`, `campaigns_for`) and its state sets, so they agree with each sub-district's own results page
(gongzhi.matching.selectors.results). They are grouped by sub-district in the database: a fixed number of
queries whatever the number of sub-districts and projects (seed 002: 1,712 projects in a year over a district)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, require_capability, scope_for
from gongzhi.core.errors import NotFound
from gongzhi.joint.models import DistrictCampaign, Platform, PlatformLevel
from gongzhi.joint.policies import district as policies
from gongzhi.matching import selectors as matching
from gongzhi.matching.models import Campaign, NeedStatus, Project
from gongzhi.matching.workflow import DONE_STATES, LIVE_STATES, ProjectState

VIEW = policies.VIEW
PROJECT_STATES = [s for s in ProjectState.values if s in LIVE_STATES]  # the columns "projects by state"


def _ancestor_ids(paths) -> set[int]:
    return {int(x) for p in paths for x in p.strip("/").split("/")[:-1] if x}


def platforms_for(user):
    """The district platforms `user` may open: those over a region in their `joint.view` scope, and the district
    platform above it (a sub-district's staff see their district's platform, with their own figures)."""
    require_capability(user, VIEW)
    scope = scope_for(user, VIEW)
    qs = Platform.objects.filter(level=PlatformLevel.DISTRICT).select_related("region")
    if scope.everything:
        return qs
    return qs.filter(scope.q(Platform) | Q(region__in=_ancestor_ids(scope.region_paths)))


def platform(user, pk: int) -> Platform:
    found = platforms_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def visible_campaigns(user):
    """The campaigns whose figures `user` sees (matching's rule); none without `matching.view`."""
    if not has_capability(user, Capability.VIEW_MATCHING):
        return Campaign.objects.none()
    scope = scope_for(user, Capability.VIEW_MATCHING)
    if scope.everything:
        return Campaign.objects.all()
    # matching's rule (the campaigns of the sub-districts the user sees anything of), and for a scope above the
    # sub-districts (the district viewer's) the campaigns of every sub-district below it
    return Campaign.objects.filter(Q(pk__in=matching.campaigns_for(user).values("pk")) | _subdistrict_q(scope))


def links(user, platform_, year: int | None = None):
    """The campaigns under `platform_` that `user` sees, sub-district by sub-district."""
    qs = (DistrictCampaign.objects.filter(platform=platform_, campaign__in=visible_campaigns(user).values("pk"))
          .select_related("campaign__subdistrict", "linked_by").order_by("campaign__subdistrict_id",
                                                                          "-campaign__year", "campaign_id"))
    return qs.filter(campaign__year=year) if year else qs


def years(user, platform_) -> list[int]:
    return sorted(set(links(user, platform_).values_list("campaign__year", flat=True)), reverse=True)


def linkable_campaigns(user):
    """Campaigns not yet under a district platform that `user` may link."""
    scope = scope_for(user, policies.MANAGE)
    qs = Campaign.objects.filter(district_link__isnull=True).select_related("subdistrict")
    if not scope.everything:
        qs = qs.filter(_subdistrict_q(scope))
    return qs.order_by("-year", "subdistrict__path", "pk")


def _subdistrict_q(scope) -> Q:
    q = Q(pk__in=[])
    for path in scope.region_paths:
        q |= Q(subdistrict__path__startswith=path)
    return q


def district_platforms_over(campaign):
    """The active district platforms a campaign may go under (those over its sub-district)."""
    ids = _ancestor_ids([campaign.subdistrict.path])
    return Platform.objects.filter(level=PlatformLevel.DISTRICT, is_active=True, region__in=ids).order_by("name")


def _row(subdistrict) -> dict:
    return {"subdistrict": subdistrict, "campaigns": [], "needs": 0, "unmet_needs": 0, "resources": 0,
            "projects": 0, "completed": 0, "completion_rate": 0.0, "beneficiaries": 0, "hours": 0,
            "by_state": dict.fromkeys(PROJECT_STATES, 0)}


def _finish(row: dict) -> dict:
    row["completion_rate"] = round(100 * row["completed"] / row["projects"], 1) if row["projects"] else 0.0
    row["states"] = [row["by_state"][s] for s in PROJECT_STATES]
    return row


def results(user, platform_, year: int | None = None) -> dict:
    """The district results page: for each sub-district with a campaign under `platform_` (of `year`, if given)
    that `user` sees, its campaigns, needs (and unmet needs), resources, projects by state, completed projects,
    completion rate, beneficiaries served and service hours; and the totals. Projects count as on matching's
    results page (declined and cancelled ones left out; completed = completed or evaluated). Four queries."""
    linked = list(links(user, platform_, year))
    campaign_ids = [link.campaign_id for link in linked]
    rows: dict[int, dict] = {}
    for link in linked:
        sub = link.campaign.subdistrict
        rows.setdefault(sub.pk, _row(sub))["campaigns"].append(link.campaign)
    if campaign_ids:
        projects = (matching.projects_for(user).filter(campaign__in=campaign_ids, state__in=LIVE_STATES)
                    .order_by().values("campaign__subdistrict_id", "state")
                    .annotate(n=Count("pk"), served=Sum("beneficiaries_served"), hours=Sum("hours")))
        for p in projects:
            row = rows[p["campaign__subdistrict_id"]]
            row["projects"] += p["n"]
            row["by_state"][p["state"]] += p["n"]
            if p["state"] in DONE_STATES:
                row["completed"] += p["n"]
                row["beneficiaries"] += p["served"] or 0
                row["hours"] += p["hours"] or 0
        met = Project.objects.filter(need=OuterRef("pk"), state__in=DONE_STATES)
        needs = (matching.needs_for(user).filter(campaign__in=campaign_ids).order_by()
                 .values("campaign__subdistrict_id")
                 .annotate(n=Count("pk"), unmet=Count("pk", filter=~Q(status=NeedStatus.CLOSED) & ~Exists(met))))
        for n in needs:
            rows[n["campaign__subdistrict_id"]].update(needs=n["n"], unmet_needs=n["unmet"])
        resources = (matching.resources_for(user).filter(campaign__in=campaign_ids).order_by()
                     .values("campaign__subdistrict_id").annotate(n=Count("pk")))
        for r in resources:
            rows[r["campaign__subdistrict_id"]]["resources"] = r["n"]
    ordered = [_finish(r) for r in sorted(rows.values(), key=lambda r: r["subdistrict"].pk)]
    total = _row(None)
    for r in ordered:
        for key in ("needs", "unmet_needs", "resources", "projects", "completed", "beneficiaries", "hours"):
            total[key] += r[key]
        for s in PROJECT_STATES:
            total["by_state"][s] += r["by_state"][s]
        total["campaigns"] += r["campaigns"]
    total = _finish(total)
    total["subdistricts"] = len(ordered)
    return {"rows": ordered, "total": total, "states": PROJECT_STATES}
