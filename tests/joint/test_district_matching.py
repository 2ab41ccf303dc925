"""District-level two-way matching: linking the sub-districts' campaigns to a district platform, the results page
broken down by sub-district (the same figures as matching's own results page, a fixed number of queries whatever
the number of sub-districts), its Excel, the API, and the demo."""

from __future__ import annotations

import io
import itertools
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gongzhi.accounts import services as account_services
from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Conflict, Forbidden, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.models import DistrictCampaign, Platform, PlatformLevel
from gongzhi.joint.selectors import district as selectors
from gongzhi.joint.services import district as services
from gongzhi.matching import selectors as matching_selectors
from gongzhi.matching.models import Campaign, Need, Project, Resource
from gongzhi.registry.models import RegionKind
from tests import factories
from tests.conftest import login

_codes = itertools.count(1)
# per sub-district: projects by state (declined ones count nowhere, as on matching's page)
MIX = {"proposed": 1, "agreed": 1, "in_progress": 2, "completed": 2, "evaluated": 1, "declined": 1}


def campaign_with(sub, mix=MIX, year=2026) -> Campaign:
    """A campaign of `sub` with a resource, one need per project (projects in the states of `mix`, each done one
    serving 10 people in 3 hours), an unmet open need and a closed one."""
    area = factories.region(RegionKind.RESIDENTIAL_AREA, sub)
    campaign = Campaign.objects.create(name=f"{sub.name}{year}认领", year=year, subdistrict=sub, state="delivering",
                                       starts_on=date(year, 3, 1), ends_on=date(year, 12, 31))
    resource = Resource.objects.create(code=f"R{next(_codes)}", campaign=campaign, title="义诊", category="medical",
                                       provider_unit=factories.member_unit(sub), capacity=500, unit="sessions",
                                       starts_on=date(year, 1, 1), ends_on=date(year, 12, 31))
    resource.regions.set([sub])

    def need(status="open"):
        return Need.objects.create(code=f"N{next(_codes)}", campaign=campaign, title="体检", category="health",
                                   place=area, beneficiaries=10, starts_on=date(year, 5, 1),
                                   ends_on=date(year, 6, 30), status=status)

    for state, n in mix.items():
        for _ in range(n):
            done = state in ("completed", "evaluated")
            Project.objects.create(campaign=campaign, need=need("met" if done else "open"), resource=resource,
                                   title="义诊", state=state, initiated_by="provider",
                                   beneficiaries_served=10 if done else None, hours=3 if done else None)
    need(), need("closed")
    return campaign


@pytest.fixture
def platform(street):
    return services.create_district_platform(actor=SYSTEM, region=street.district, name="示范区联席会议")


@pytest.fixture
def viewer(street):
    return factories.user("districtviewer", Role.DISTRICT_VIEWER, street.district)


def subdistricts(street, n):
    return [factories.region(RegionKind.SUBDISTRICT, street.district, name=f"第{i}街道") for i in range(n)]


def test_the_sub_district_admin_links_its_own_campaigns_only(street, people, platform):
    own = campaign_with(street.subdistrict)
    other = campaign_with(subdistricts(street, 1)[0])
    link = services.link_campaign(own, actor=people.admin, platform_id=platform.pk)
    assert (link.platform, link.linked_by, own.district_link) == (platform, people.admin, link)
    with pytest.raises(Conflict):  # one district platform per campaign
        services.link_campaign(own, actor=people.admin, platform_id=platform.pk)
    with pytest.raises(Forbidden):
        services.link_campaign(other, actor=people.admin, platform_id=platform.pk)
    with pytest.raises(Forbidden):  # reads joint building, manages none of it
        services.unlink_campaign(link, actor=people.insider)
    services.unlink_campaign(link, actor=people.admin)
    assert not DistrictCampaign.objects.exists()


def test_only_a_district_platform_over_the_sub_district_takes_a_campaign(street, people, platform):
    campaign = campaign_with(street.subdistrict)
    elsewhere = factories.region(RegionKind.DISTRICT, name="别区")
    far = services.create_district_platform(actor=SYSTEM, region=elsewhere, name="别区联席会议")
    local = Platform.objects.create(name="街道联席会议", level=PlatformLevel.SUBDISTRICT, region=street.subdistrict)
    for candidate in (far, local):
        with pytest.raises(ValidationFailed) as e:
            services.link_campaign(campaign, actor=people.admin, platform_id=candidate.pk)
        assert set(e.value.field_errors) == {"platform"}
    with pytest.raises(Forbidden):  # the platforms part creates platforms for users
        services.create_district_platform(actor=people.admin, region=street.district, name="x")


def test_the_breakdown_agrees_with_each_sub_districts_own_results(street, platform, viewer):
    campaigns = [campaign_with(sub, {**MIX, "completed": i}) for i, sub in enumerate(subdistricts(street, 3))]
    campaign_with(street.subdistrict)  # not under the platform: counts nowhere
    for c in campaigns:
        services.link_campaign(c, actor=SYSTEM, platform_id=platform.pk)
    data = selectors.results(viewer, platform)
    assert [r["subdistrict"] for r in data["rows"]] == [c.subdistrict for c in campaigns]
    for row, campaign in zip(data["rows"], campaigns, strict=True):
        own = matching_selectors.results(viewer, campaign)
        for key in ("projects", "completed", "completion_rate", "beneficiaries", "hours", "needs", "unmet_needs"):
            assert row[key] == own[key], key
        assert row["resources"] == 1 and row["by_state"]["in_progress"] == 2 and "declined" not in row["by_state"]
    total = data["total"]
    # sub-district i: 5 live projects besides its i completed ones; done: the i completed and 1 evaluated
    assert total["projects"] == sum(r["projects"] for r in data["rows"]) == 3 * 5 + (0 + 1 + 2)
    assert total["completed"] == (0 + 1 + 2) + 3 and total["beneficiaries"] == 10 * total["completed"]
    assert total["subdistricts"] == 3 and len(total["campaigns"]) == 3


def test_the_results_take_a_fixed_number_of_queries(street, platform, viewer, django_assert_max_num_queries):
    def measure():
        with CaptureQueriesContext(connection) as ctx:
            selectors.results(viewer, platform)
        return len(ctx.captured_queries)

    for c in (campaign_with(sub) for sub in subdistricts(street, 2)):
        services.link_campaign(c, actor=SYSTEM, platform_id=platform.pk)
    few = measure()
    for c in (campaign_with(sub, {k: 3 * v for k, v in MIX.items()}) for sub in subdistricts(street, 8)):
        services.link_campaign(c, actor=SYSTEM, platform_id=platform.pk)
    with django_assert_max_num_queries(few):
        data = selectors.results(viewer, platform)
    assert len(data["rows"]) == 10 and few <= 5


def test_the_page_export_and_api_for_the_district_viewer_and_a_sub_district(client, street, people, platform, viewer):
    subs = subdistricts(street, 2)
    for c in [campaign_with(street.subdistrict), *(campaign_with(s) for s in subs)]:
        services.link_campaign(c, actor=SYSTEM, platform_id=platform.pk)
    login(client, viewer)
    page = client.get(reverse("joint:district_results", args=[platform.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and all(s.name in html for s in subs) and "示范街道" in html
    assert 'data-key="projects">21<' in html  # 3 sub-districts × 7 live projects
    ws = load_workbook(io.BytesIO(client.get(reverse("joint:district_results_export", args=[platform.pk])).content))
    sheet = ws.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "街道" and rows[-1][0] == "合计" and rows[-1][5] == 21 and len(rows) == 5
    client.force_login(people.admin)  # the sub-district's staff see their own row only
    html = client.get(reverse("joint:district_results", args=[platform.pk])).content.decode()
    assert "示范街道" in html and subs[0].name not in html
    index = client.get(reverse("joint:district_index")).content.decode()
    assert "示范区联席会议" in index and subs[0].name not in index
    _, key = account_services.issue_token(viewer, actor=SYSTEM, name="t")
    body = client.get(f"/api/v1/joint/district/platforms/{platform.pk}/results", {"year": 2026},
                      HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["total"]["projects"] == 21 and [r["subdistrict"] for r in body["rows"]][1:] == [s.name for s in subs]
    client.force_login(people.colleague)
    assert client.get(reverse("joint:district_results", args=[platform.pk])).status_code == 403


def test_linking_from_the_page(client, street, people, platform):
    campaign = campaign_with(street.subdistrict)
    login(client, people.admin)
    assert "link-form" in client.get(reverse("joint:district_index")).content.decode()
    client.post(reverse("joint:district_link"), {"campaign": campaign.pk, "platform": platform.pk})
    link = DistrictCampaign.objects.get()
    assert link.campaign == campaign
    client.post(reverse("joint:district_unlink", args=[link.pk]))
    assert not DistrictCampaign.objects.exists()


def test_the_demo_district_has_ten_sub_districts_campaigns(db, client):
    from gongzhi.demo import run_seed
    from gongzhi.demo.joint import district as district_demo
    from gongzhi.demo.joint import enterprise as enterprise_demo

    ctx = run_seed(["registry", "matching"])
    district_demo.seed(ctx)
    enterprise_demo.seed(ctx)
    platform = ctx.extra["joint_district_platform"]
    data = selectors.results(ctx.users["district"], platform)
    assert len(data["rows"]) == 10 and all(r["projects"] and r["needs"] > r["projects"] for r in data["rows"][1:])
    assert data["total"]["completed"] > 9 and data["rows"][0]["subdistrict"] == ctx.subdistrict
    login(client, ctx.users["district"])
    assert client.get(reverse("joint:district_results", args=[platform.pk])).status_code == 200
    # the enterprise part: a year of visits at every stage (the visits behind the demands demo's enterprise
    # demands need that demo, not seeded here)
    from gongzhi.joint.models import Visit

    visits = Visit.objects.all()
    assert visits.count() > 30 and {v.state for v in visits} == {"open", "in_progress", "done"}
    login(client, ctx.users["liaison1"])
    assert client.get(reverse("joint:enterprise_coverage")).status_code == 200
