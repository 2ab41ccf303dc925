"""Owners' committees (业委会) and their elections: candidates vetted against seed 004's checklist, the party-member
share shown, the election meeting (notary present or not) and its result, which opens the committee's new term."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts import services as account_services
from gongzhi.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models.councils import (
    Candidate,
    CommitteeMember,
    OwnersCommittee,
    OwnersElection,
    PoliticalStatus,
)
from gongzhi.deliberation.selectors import councils as selectors
from gongzhi.deliberation.services import councils as services
from gongzhi.deliberation.workflows_councils import CandidateAction, CandidateState, ElectionState
from gongzhi.registry.models import Estate, Household, MemberStatus
from tests import factories
from tests.conftest import login

A = CandidateAction
GOOD = {"building_leader_opinion": "support", "keeps_hallway_clear": True, "neighbour_relations": "good",
        "birth_year": 1970}


@pytest.fixture
def estate(street):
    e = Estate.objects.create(code="E-WT", name="梧桐花园", area=street.area_a)
    street.building_a1.estate = e
    street.building_a1.save()
    return e


@pytest.fixture
def election(people, estate):
    return services.create_election(actor=people.insider, estate=estate, title="梧桐花园首届业委会选举", seats=3)


def _nominate(election, actor, n: int, party: int = 0, **extra):
    out = []
    for i in range(n):
        status = PoliticalStatus.PARTY_MEMBER if i < party else PoliticalStatus.MASSES
        out.append(services.nominate(election, actor=actor, name=f"候选人{i}", political_status=status,
                                     **{**GOOD, **extra}))
    return out


def _vetted(election, actor, n=4, party=2):
    candidates = _nominate(election, actor, n, party)
    services.open_vetting(election, actor=actor)
    for c in candidates:
        services.vet_candidate(c, A.APPROVE, actor=actor)
    return candidates


# --- vetting --------------------------------------------------------------------------------------------------

def test_a_candidate_is_approved_only_with_the_checklist_complete(people, election):
    c = services.nominate(election, actor=people.insider, name="王梧桐")
    services.open_vetting(election, actor=people.insider)
    with pytest.raises(ValidationFailed) as e:
        services.vet_candidate(c, A.APPROVE, actor=people.insider)
    assert set(e.value.field_errors) == {"building_leader_opinion", "keeps_hallway_clear", "neighbour_relations",
                                         "birth_year"}
    assert Candidate.objects.get(pk=c.pk).state == CandidateState.PROPOSED
    assert c.transitions.count() == 1  # only the nomination: the refusal wrote nothing
    services.update_candidate(c, actor=people.insider, **GOOD)
    services.vet_candidate(c, A.APPROVE, actor=people.insider)
    assert Candidate.objects.get(pk=c.pk).state == CandidateState.APPROVED


def test_concerns_on_the_checklist_need_a_reason_to_approve(people, election):
    c = services.nominate(election, actor=people.insider, name="赵某", **{**GOOD, "keeps_hallway_clear": False,
                                                                        "building_leader_opinion": "oppose"})
    services.open_vetting(election, actor=people.insider)
    assert len(services.concerns(c)) == 2  # the building leader opposes; clutter in the hallway
    with pytest.raises(ValidationFailed) as e:
        services.vet_candidate(c, A.APPROVE, actor=people.insider)
    assert "note" in e.value.field_errors
    services.vet_candidate(c, A.REJECT, actor=people.insider, note="楼道堆物经劝说仍未清理")
    c.refresh_from_db()
    assert c.state == CandidateState.REJECTED and c.vetting_note == "楼道堆物经劝说仍未清理"
    with pytest.raises(ValidationFailed):  # rejecting takes a reason
        services.vet_candidate(services.nominate(election, actor=people.insider, name="钱某"), A.REJECT,
                               actor=people.insider)


def test_vetting_happens_while_the_election_is_vetting(people, election):
    c = services.nominate(election, actor=people.insider, name="孙某", **GOOD)
    with pytest.raises(Conflict):  # still preparing
        services.vet_candidate(c, A.APPROVE, actor=people.insider)
    with pytest.raises(NotFound):  # area B's secretary
        services.vet_candidate(c, A.APPROVE, actor=people.outsider)
    services.open_vetting(election, actor=people.insider)
    with pytest.raises(InvalidTransition):
        services.vet_candidate(c, A.RECONSIDER, actor=people.insider)
    services.vet_candidate(c, A.APPROVE, actor=people.insider)
    assert Candidate.objects.get(pk=c.pk).state == CandidateState.APPROVED


def test_a_party_members_status_comes_from_the_roll(street, people, election):
    probationary = factories.party_member(street.org_a, name="周预备", status=MemberStatus.PROBATIONARY)
    c = services.nominate(election, actor=people.insider, party_member=probationary,
                          political_status=PoliticalStatus.MASSES)
    assert (c.name, c.political_status, c.is_party_member) == ("周预备", PoliticalStatus.PROBATIONARY, True)
    with pytest.raises(ValidationFailed) as e:  # a party member of area B is not hers to nominate
        services.nominate(election, actor=people.insider, party_member=street.member_b)
    assert "party_member" in e.value.field_errors


def test_candidates_are_owners_of_the_estate(street, people, election):
    elsewhere = factories.building(street.grid_a2)
    h = Household.objects.create(building=elsewhere, room="101", head_name="吴某")
    with pytest.raises(ValidationFailed) as e:
        services.nominate(election, actor=people.insider, name="吴某", household=h)
    assert "household" in e.value.field_errors
    own = Household.objects.create(building=street.building_a1, room="102", head_name="郑某")
    assert services.nominate(election, actor=people.insider, name="郑某", household=own).household == own


# --- party-member share ---------------------------------------------------------------------------------------

def test_the_party_member_share_of_candidates_and_of_the_elected(people, election):
    candidates = _nominate(election, people.insider, 5, party=2)
    shares = selectors.election_shares(selectors.candidates_of(election))
    assert (shares["standing"].party, shares["standing"].total, shares["standing"].percent) == (2, 5, 40)
    assert shares["approved"].total == 0 and str(shares["approved"]) == "—"
    services.open_vetting(election, actor=people.insider)
    for c in candidates[:4]:
        services.vet_candidate(c, A.APPROVE, actor=people.insider)
    services.vet_candidate(candidates[4], A.REJECT, actor=people.insider, note="不符合条件")
    shares = selectors.election_shares(selectors.candidates_of(election))
    assert (shares["standing"].party, shares["standing"].total) == (2, 4)
    assert shares["approved"].percent == 50 and "50%" in str(shares["approved"])


def test_the_election_page_shows_the_checklist_and_the_share(client, people, election):
    _nominate(election, people.insider, 3, party=1)
    services.nominate(election, actor=people.insider, name="未核查者")
    html = login(client, people.insider).get(reverse("deliberation:councils_election_detail",
                                                     args=[election.pk])).content.decode()
    share = html.split('id="party-share"')[1].split("</dd>")[0]
    assert "25%" in share  # one party member among the four standing
    assert "未核查者" in html
    assert 'data-action="open_vetting"' in html


# --- the election meeting and the result ---------------------------------------------------------------------

def test_an_election_is_held_once_every_candidate_is_vetted_and_enough_approved(people, election):
    candidates = _nominate(election, people.insider, 4, party=2)
    services.open_vetting(election, actor=people.insider)
    held = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationFailed):  # four await vetting
        services.hold_election(election, actor=people.insider, held_on=held, notary_present=True)
    services.vet_candidate(candidates[0], A.APPROVE, actor=people.insider)
    services.vet_candidate(candidates[1], A.APPROVE, actor=people.insider)
    services.vet_candidate(candidates[2], A.REJECT, actor=people.insider, note="不符合条件")
    services.vet_candidate(candidates[3], A.REJECT, actor=people.insider, note="不符合条件")
    with pytest.raises(ValidationFailed):  # two approved for three seats
        services.hold_election(election, actor=people.insider, held_on=held)
    services.vet_candidate(candidates[3], A.RECONSIDER, actor=people.insider)
    services.vet_candidate(candidates[3], A.APPROVE, actor=people.insider)
    with pytest.raises(ValidationFailed) as e:
        services.hold_election(election, actor=people.insider, held_on=timezone.localdate() + timedelta(days=1))
    assert "held_on" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        services.hold_election(election, actor=people.insider, held_on=held, notary="示范区公证处")
    assert "notary" in e.value.field_errors
    assert OwnersElection.objects.get(pk=election.pk).state == ElectionState.VETTING
    done = services.hold_election(election, actor=people.insider, held_on=held, place="梧桐党群服务站",
                                  notary_present=True, notary="示范区公证处")
    assert (done.state, done.notary_present, done.notary) == (ElectionState.HELD, True, "示范区公证处")
    assert [t.action for t in selectors.log(done)] == ["prepare", "open_vetting", "hold"]


def test_the_result_opens_the_committees_term_with_party_members_flagged(people, election):
    c = _vetted(election, people.insider, n=4, party=2)
    services.hold_election(election, actor=people.insider, held_on=date(2025, 12, 20), notary_present=True)
    bad = [
        ({c[0].pk: "director", c[1].pk: "director"}, "elected"),  # two directors
        ({c[0].pk: "member", c[1].pk: "member"}, "elected"),  # none
        ({c[0].pk: "director", c[1].pk: "deputy", c[2].pk: "member", c[3].pk: "member"}, "elected"),  # 4 > 3 seats
        ({}, "elected"),
    ]
    for elected, field in bad:
        with pytest.raises(ValidationFailed) as e:
            services.record_result(election, actor=people.insider, elected=elected, owners_outcome="高票当选")
        assert field in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        services.record_result(election, actor=people.insider, elected={c[0].pk: "director"}, owners_outcome=" ")
    assert "owners_outcome" in e.value.field_errors
    assert not OwnersCommittee.objects.exists() and OwnersElection.objects.get().state == ElectionState.HELD

    done = services.record_result(
        election, actor=people.insider, elected={c[0].pk: "director", c[2].pk: "deputy", c[3].pk: "member"},
        votes={c[0].pk: 512, c[1].pk: 130}, owners_outcome="业主大会书面表决，高票当选", turnout_share=78.6,
        approval_share=91.3)
    assert done.state == ElectionState.RECORDED
    committee = OwnersCommittee.objects.get()
    assert (committee.term_number, committee.election, committee.term_start) == (1, done, date(2025, 12, 20))
    members = {m.name: m for m in committee.members.all()}
    assert {n: (m.role, m.is_party_member) for n, m in members.items()} == {
        "候选人0": ("director", True), "候选人2": ("deputy", False), "候选人3": ("member", False)}
    assert selectors.party_share(committee.members.all()).percent == 33
    c1 = Candidate.objects.get(pk=c[1].pk)
    assert (c1.elected, c1.votes) == (False, 130)
    assert Candidate.objects.get(pk=c[0].pk).elected_role == "director"


def test_a_term_is_elected_once(people, estate, election):
    services.create_committee(actor=people.insider, estate=estate, name="梧桐花园业委会", term_number=1,
                              term_start=date(2020, 1, 1))
    c = _vetted(election, people.insider, n=3)
    services.hold_election(election, actor=people.insider, held_on=date(2025, 12, 20))
    with pytest.raises(ValidationFailed):
        services.record_result(election, actor=people.insider, elected={c[0].pk: "director"}, owners_outcome="当选")
    assert OwnersElection.objects.get(pk=election.pk).state == ElectionState.HELD  # rolled back
    with pytest.raises(ValidationFailed):  # a new election of a term that has its committee
        services.create_election(actor=people.insider, estate=estate, title="重复", term_number=1)
    assert services.create_election(actor=people.insider, estate=estate, title="第二届").term_number == 2


def test_cancelling_takes_a_reason_and_ends_the_election(people, election):
    with pytest.raises(ValidationFailed):
        services.cancel_election(election, actor=people.insider, note="")
    done = services.cancel_election(election, actor=people.insider, note="业主大会筹备组改组")
    assert (done.state, done.cancel_reason) == (ElectionState.CANCELLED, "业主大会筹备组改组")
    with pytest.raises(Forbidden):
        services.nominate(election, actor=people.insider, name="晚到者")


def test_only_the_areas_managers_run_elections(street, people, estate, election):
    with pytest.raises(Forbidden):
        services.create_election(actor=people.colleague, estate=estate, title="网格长发起")
    with pytest.raises(ValidationFailed):
        services.create_election(actor=people.outsider, estate=estate, title="石库门书记发起")
    with pytest.raises(NotFound):
        services.open_vetting(election, actor=people.outsider)
    assert OwnersElection.objects.count() == 1


# --- committees -----------------------------------------------------------------------------------------------

def test_a_committee_has_one_director_and_a_party_work_group(street, people, estate):
    committee = services.create_committee(actor=people.insider, estate=estate, name="梧桐花园业委会",
                                          term_start=date(2023, 5, 1), party_work_group=[street.member_a])
    assert committee.term_number == 1 and list(committee.party_work_group.all()) == [street.member_a]
    services.add_committee_member(committee, actor=people.insider, name="甲", role="director")
    with pytest.raises(ValidationFailed) as e:
        services.add_committee_member(committee, actor=people.insider, name="乙", role="director")
    assert "role" in e.value.field_errors
    m = services.add_committee_member(committee, actor=people.insider, party_member=street.member_a)
    assert (m.name, m.is_party_member) == ("张梧桐", True)
    with pytest.raises(ValidationFailed):
        services.update_committee(committee, actor=people.insider, party_work_group=[street.member_b])
    services.remove_committee_member(m, actor=people.insider)
    assert CommitteeMember.objects.filter(committee=committee).count() == 1


def test_committee_and_election_pages(client, street, people, estate, election):
    committee = services.create_committee(actor=people.insider, estate=estate, name="梧桐花园业委会",
                                          term_start=date(2023, 5, 1), term_number=3)
    services.add_committee_member(committee, actor=people.insider, name="赵主任", role="director",
                                  is_party_member=True)
    login(client, people.insider)
    assert "梧桐花园业委会" in client.get(reverse("deliberation:councils_committees"), {"q": "赵主任"}).content.decode()
    html = client.get(reverse("deliberation:councils_committee_detail", args=[committee.pk])).content.decode()
    assert "赵主任" in html and "100%" in html and 'media="print"' in html
    r = client.post(reverse("deliberation:councils_committee_edit", args=[committee.pk]),
                    {"name": "梧桐花园第三届业委会", "term_start": "2023-05-01", "party_work_group": [street.member_a.pk]})
    assert r.status_code == 302
    committee.refresh_from_db()
    assert committee.name == "梧桐花园第三届业委会" and committee.term_number == 3
    assert list(committee.party_work_group.all()) == [street.member_a]
    r = client.post(reverse("deliberation:councils_candidate_add", args=[election.pk]),
                    {"name": "钱某", "political_status": "masses", "keeps_hallway_clear": "unknown"})
    assert r.status_code == 302 and Candidate.objects.get().name == "钱某"
    r = client.post(reverse("deliberation:councils_election_step", args=[election.pk]), {"action": "open_vetting"})
    assert r.status_code == 302 and OwnersElection.objects.get().state == ElectionState.VETTING
    cand = Candidate.objects.get()
    r = client.post(reverse("deliberation:councils_candidate_step", args=[cand.pk]), {"action": "approve"})
    assert Candidate.objects.get().state == CandidateState.PROPOSED  # the checklist is incomplete
    page = client.get(reverse("deliberation:councils_candidate_detail", args=[cand.pk])).content.decode()
    assert 'id="checklist-gaps"' in page
    for persona in ("outsider", "colleague"):
        login(client, getattr(people, persona))
        for name, pk in (("councils_committee_detail", committee.pk), ("councils_election_detail", election.pk),
                         ("councils_candidate_detail", cand.pk)):
            assert client.get(reverse(f"deliberation:{name}", args=[pk])).status_code == 404


def test_result_page_records_the_result(client, people, election):
    c = _vetted(election, people.insider, n=3, party=1)
    services.hold_election(election, actor=people.insider, held_on=date(2025, 12, 20), notary_present=True)
    login(client, people.insider)
    url = reverse("deliberation:councils_election_result", args=[election.pk])
    assert "33%" in client.get(url).content.decode()
    r = client.post(url, {f"role_{c[0].pk}": "director", f"role_{c[1].pk}": "director", "owners_outcome": "当选"})
    assert r.status_code == 422 and OwnersElection.objects.get().state == ElectionState.HELD
    r = client.post(url, {f"role_{c[0].pk}": "director", f"role_{c[1].pk}": "member", f"votes_{c[0].pk}": "300",
                          "owners_outcome": "高票当选"})
    assert r.status_code == 302 and OwnersElection.objects.get().state == ElectionState.RECORDED
    html = client.get(reverse("deliberation:councils_election_detail", args=[election.pk])).content.decode()
    assert 'id="notary"' in html and "高票当选" in html and "300" in html


def test_api_shows_the_election_with_its_share_and_vets(client, people, election):
    c = _nominate(election, people.insider, 2, party=1)
    services.open_vetting(election, actor=people.insider)
    _token, key = account_services.issue_token(people.insider, actor=SYSTEM, name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = client.get(f"/api/v1/deliberation/owners-elections/{election.pk}", **auth).json()
    assert body["party_member_share"]["standing"] == {"party": 1, "total": 2, "percent": 50}
    assert body["candidates"][0]["actions"] == ["approve", "reject"]
    r = client.post(f"/api/v1/deliberation/candidates/{c[0].pk}/steps", {"action": "approve"},
                    content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["state"] == "approved"
    r = client.post(f"/api/v1/deliberation/candidates/{c[0].pk}/steps", {"action": "approve"},
                    content_type="application/json", **auth)
    assert r.status_code == 409
    assert client.get("/api/v1/deliberation/owners-elections", **auth).json()["count"] == 1
    _token, key = account_services.issue_token(people.outsider, actor=SYSTEM, name="test")
    other = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/v1/deliberation/owners-elections/{election.pk}", **other).status_code == 404
    assert client.get("/api/v1/deliberation/owners-elections", **other).json()["count"] == 0
