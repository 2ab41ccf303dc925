"""Workflow-walk subjects of the councils part (see tests/deliberation/subjects.py): an owners' committee election
of an estate in area A, and a candidate of one, made straight in the state asked for."""

from gongzhi.deliberation.models.councils import (
    Candidate,
    Council,
    CouncilSeat,
    OwnersElection,
    PoliticalStatus,
)
from gongzhi.deliberation.workflows_councils import ElectionState
from gongzhi.registry.models import Estate
from tests import factories


def estate(street) -> Estate:
    n = factories.seq()
    return Estate.objects.create(code=f"E{n:05d}", name=f"梧桐{n}号小区", area=street.area_a)


def election(street, state: str = "preparing") -> OwnersElection:
    return OwnersElection.objects.create(estate=estate(street), title="业委会换届选举", seats=3, state=state)


def candidate(street, state: str = "proposed") -> Candidate:
    return Candidate.objects.create(election=election(street, ElectionState.VETTING), name="王梧桐", state=state,
                                    political_status=PoliticalStatus.PARTY_MEMBER, birth_year=1968)


def council_with_seat(street) -> Council:
    """A council of area A with one seat (a row for every list of the councils part)."""
    council = Council.objects.create(name="零距离家园理事会", area=street.area_a, shape="1+4+16")
    CouncilSeat.objects.create(council=council, kind="convener", tier=1, person_name="张梧桐", title="理事长")
    return council


SUBJECTS = {
    "deliberation.OwnersElection": election,
    "deliberation.Candidate": candidate,
}
