"""Matching subjects made straight in a given state, on the factories' street: the hooks the generic workflow walk
(tests/core/test_workflow.py) uses to start each (state, action) of the four matching tables."""

from datetime import date, timedelta

from gongzhi.matching.models import Campaign, Initiator, Need, Project, Resource
from tests import factories


def campaign(street, state: str = "claiming") -> Campaign:
    return Campaign.objects.create(name=f"活动{factories.seq()}", year=2026, subdistrict=street.subdistrict,
                                   state=state, starts_on=date(2026, 3, 1), ends_on=date(2026, 12, 31))


def resource(street, status: str = "open", campaign_: Campaign | None = None) -> Resource:
    made = Resource.objects.create(
        code=f"R-{factories.seq()}", campaign=campaign_, title="家庭医生义诊", category="medical",
        provider_unit=street.unit_a, capacity=10, unit="sessions", starts_on=date(2026, 1, 1),
        ends_on=date.today() + timedelta(days=365), status=status,
    )
    made.regions.set([street.subdistrict])
    return made


def need(street, status: str = "open", campaign_: Campaign | None = None) -> Need:
    return Need.objects.create(
        code=f"N-{factories.seq()}", campaign=campaign_, title="老人健康义诊", category="health",
        place=street.grid_a1, quantity=4, unit="sessions", starts_on=date(2026, 5, 1), ends_on=date(2026, 6, 30),
        status=status,
    )


def project(street, state: str) -> Project:
    c = campaign(street)
    return Project.objects.create(
        campaign=c, need=need(street, campaign_=c), resource=resource(street, campaign_=c), title="义诊",
        state=state, initiated_by=Initiator.PROVIDER, amount=1, beneficiaries_served=10,
    )


# model label → factory(street, state): a subject of that model in that state
SUBJECTS = {
    "matching.Project": project,
    "matching.Campaign": campaign,
    "matching.Need": need,
    "matching.Resource": resource,
}
