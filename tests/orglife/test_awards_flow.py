"""The award round's story on the factories' street: set-up (weights that do not sum to 100 refused on the page and
when opening), eligible organizations, self-assessment with a content-checked evidence file, submission, the
reviewers' scores (out of range → field error; the own organization refused), the score page with every point's
source, publishing and the public honour roll, scope 404s, the card, the Excel round trip and the API."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from gongzhi.accounts.models import RoleAssignment
from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Conflict, Forbidden, ValidationFailed
from gongzhi.core.excel import export_workbook, get_spec, import_file
from gongzhi.orglife.models import (
    AwardEntry,
    CriterionSource,
    Evidence,
    Indicator,
    Reviewer,
    ReviewScore,
    SchemeKind,
)
from gongzhi.orglife.policies import awards as policies
from gongzhi.orglife.selectors import awards as sel
from gongzhi.orglife.services import awards as services
from gongzhi.orglife.workflow import EntryAction, EntryState, RoundAction, RoundState
from gongzhi.registry.models import MemberUnitKind, PartyOrgKind
from tests import factories
from tests.funds.factories_delivery import png
from tests.orglife import factories as f


def _login(client, user):
    client.force_login(user)
    return client


def _reviewing(street, people, *, reviewer=None):
    r = f.award_round(street, RoundState.REVIEWING)
    Reviewer.objects.create(round=r, user=reviewer or people.admin)
    entry = r.entries.get(org=street.org_a)
    return r, entry, r.criteria.get(source=CriterionSource.SELF), r.criteria.get(source=CriterionSource.INDICATOR)


def test_weights_not_summing_to_100_are_refused_on_the_page_and_when_opening(street, people, client):
    r = f.award_round(street, RoundState.DRAFT)
    _login(client, people.admin)
    data = {"criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "0", "tiers-TOTAL_FORMS": "1",
            "tiers-INITIAL_FORMS": "0", "criteria-0-name": "诉求按时办结", "criteria-0-weight": "60",
            "criteria-0-source": "indicator", "criteria-0-indicator": "demands_on_time", "criteria-1-name": "四先",
            "criteria-1-weight": "30", "criteria-1-source": "self", "tiers-0-name": "金奖", "tiers-0-min_score": "80"}
    resp = client.post(reverse("orglife:award_round_edit", args=[r.pk]), data)
    assert resp.status_code == 422 and "90" in resp.content.decode()
    assert r.criteria.count() == 2  # unchanged
    with pytest.raises(ValidationFailed) as e:
        services.set_criteria(r, actor=people.admin, rows=[services.CriterionInput("a", 50, "self")])
    assert "weights" in e.value.field_errors
    data["criteria-1-weight"] = "40"
    resp = client.post(reverse("orglife:award_round_edit", args=[r.pk]), data)
    assert resp.status_code == 302 and sum(c.weight for c in r.criteria.all()) == 100
    r.criteria.filter(source=CriterionSource.SELF).update(weight=30)  # a broken table: opening refuses it
    with pytest.raises(ValidationFailed) as e:
        services.step_round(r, RoundAction.OPEN, actor=people.admin)
    assert "weights" in e.value.field_errors
    r.refresh_from_db()
    assert r.state == RoundState.DRAFT


def test_eligible_organizations_per_scheme(street, people):
    gold = services.create_scheme(actor=people.admin, code="JYJ", name="金银奖", kind=SchemeKind.GOLD_SILVER,
                                  region=street.subdistrict)
    factories.party_org(street.area_a, PartyOrgKind.BRANCH, street.org_a, name="梧桐第一支部")  # under org A
    unit = factories.member_unit(street.grid_a1, name="两新企业", kind=MemberUnitKind.ENTERPRISE, headcount=60,
                                 is_two_new=True)
    firm_org = factories.party_org(street.grid_a1, PartyOrgKind.BRANCH, name="企业支部", member_unit=unit)
    assert set(sel.eligible_orgs(gold)) == {street.org_a, street.org_b}
    five = services.create_scheme(actor=people.admin, code="WXJ", name="五星奖", kind=SchemeKind.FIVE_STAR,
                                  region=street.subdistrict)
    assert list(sel.eligible_orgs(five)) == [firm_org]
    r = services.create_round(gold, actor=people.admin, number=7, name="第七轮", period_start=f.dt.date(2025, 1, 1),
                              period_end=f.dt.date(2025, 12, 31))
    assert services.add_eligible(r, actor=people.admin) == 2
    assert services.add_eligible(r, actor=people.admin) == 0
    with pytest.raises(Forbidden):
        services.add_eligible(r, actor=people.insider)


def test_self_assessment_with_a_checked_file_then_submit(street, people, client):
    r = f.award_round(street, RoundState.ASSESSING)
    entry = r.entries.get(org=street.org_a)
    self_c = r.criteria.get(source=CriterionSource.SELF)
    assert [e.pk for e in sel.evidence_missing(people.insider)] == [entry.pk]
    card = sel.evidence_card(people.insider)
    assert card["count"] == 1 and street.org_a.name in card["items"][0]["text"]
    _login(client, people.insider)
    url = reverse("orglife:award_entry_evidence", args=[entry.pk])
    bad = SimpleUploadedFile("evil.png", b"MZ not an image", content_type="image/png")
    resp = client.post(url, {"criterion": self_c.pk, "statement": "四先事例", "file": bad})
    assert resp.status_code == 422 and not Evidence.objects.exists()
    good = png()
    resp = client.post(url, {"criterion": self_c.pk, "statement": "四先事例", "file": good})
    assert resp.status_code == 302
    ev = Evidence.objects.get()
    assert ev.file.name.startswith("orglife_evidence/") and ev.file.name.endswith(".png")
    assert client.get("/media/" + ev.file.name).status_code == 200
    assert not sel.evidence_missing(people.insider).exists()
    # area B's secretary may not assess area A's organization (404: out of their sight)
    _login(client, people.outsider)
    assert client.post(url, {"criterion": self_c.pk, "statement": "x"}).status_code == 404
    assert client.get("/media/" + ev.file.name).status_code == 404
    services.step_entry(entry, EntryAction.SUBMIT, actor=people.insider)
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED
    other = r.entries.get(org=street.org_b)
    with pytest.raises(ValidationFailed):
        services.step_entry(other, EntryAction.SUBMIT, actor=people.outsider)  # no self-assessment given


def test_points_out_of_range_are_a_field_error(street, people, client):
    r, entry, self_c, _ind = _reviewing(street, people)
    for bad in ("41", "-1", "abc", "12.34"):
        with pytest.raises(ValidationFailed) as e:
            services.score(entry, self_c, actor=people.admin, points=bad)
        assert "points" in e.value.field_errors
    _login(client, people.admin)
    resp = client.post(reverse("orglife:award_entry_score", args=[entry.pk]), {"criterion": self_c.pk,
                                                                              "points": "55"})
    message = gettext("Give 0 to %(weight)s points.") % {"weight": 40}  # in the page's language
    assert resp.status_code == 422 and message in resp.content.decode()
    assert not ReviewScore.objects.exists()
    services.score(entry, self_c, actor=people.admin, points="30")
    services.score(entry, self_c, actor=people.admin, points="35.5")  # again: the one row updated
    assert ReviewScore.objects.get().points == 35.5


def test_a_reviewer_may_not_score_their_own_organization(street, people):
    r, entry, self_c, _ind = _reviewing(street, people, reviewer=people.insider)
    assert policies.is_own(people.insider, street.org_a) and not policies.is_own(people.insider, street.org_b)
    with pytest.raises(Forbidden):
        services.score(entry, self_c, actor=people.insider, points="30")
    services.score(r.entries.get(org=street.org_b), self_c, actor=people.insider, points="30")
    # a party member of a branch under org A, on the panel with no role: org A is in their parent chain
    branch = factories.party_org(street.area_a, PartyOrgKind.BRANCH, street.org_a, name="梧桐一支部")
    member_user = factories.user("member-reviewer")
    factories.party_member(branch, name="王评审", user=member_user)
    Reviewer.objects.create(round=r, user=member_user)
    assert policies.is_own(member_user, street.org_a) and not policies.is_own(member_user, street.org_b)
    with pytest.raises(Forbidden):
        services.score(entry, self_c, actor=member_user, points="20")
    # a unit liaison: their unit's organization
    unit = factories.member_unit(street.grid_a1, name="两新企业", is_two_new=True)
    firm = factories.party_org(street.grid_a1, PartyOrgKind.BRANCH, name="企业支部", member_unit=unit)
    liaison = factories.user("liaison-reviewer", Role.UNIT_LIAISON, unit=unit)
    assert policies.is_own(liaison, firm) and not policies.is_own(liaison, street.org_a)
    # the sub-district administrator's own is the working committee, not the areas' organizations
    assert not policies.is_own(people.admin, street.org_a)
    assert not ReviewScore.objects.filter(entry=entry).exists()
    assert RoleAssignment.objects.filter(user=liaison).exists()


def test_score_page_shows_every_points_source_and_publishing_freezes(street, people, client):
    r, entry, self_c, ind = _reviewing(street, people)
    services.score(entry, self_c, actor=people.admin, points="32", comment="事例翔实")
    _login(client, people.insider)
    page = client.get(reverse("orglife:award_entry", args=[entry.pk])).content.decode()
    source = sel.source_url(Indicator.DEMANDS_ON_TIME, street.org_a, r.period_start, r.period_end)
    assert source.replace("&", "&amp;") in page and "32.0" in page and "事例翔实" in page and "32.00" in page
    resp = client.get(source)
    assert resp.status_code == 200 and street.org_a.name in resp.content.decode()
    _login(client, people.outsider)
    assert client.get(reverse("orglife:award_entry", args=[entry.pk])).status_code == 404
    assert client.get(source).status_code == 404
    assert client.get(reverse("orglife:award_round", args=[r.pk])).status_code == 200  # org B's entry
    other = client.get(reverse("orglife:award_round", args=[r.pk])).content.decode()
    assert street.org_b.name in other and street.org_a.name not in other
    services.step_round(r, RoundAction.PUBLISH, actor=people.admin)
    entry.refresh_from_db()
    assert entry.tier == "" and entry.score == 32  # 0 + 32: below every cut-off
    entry.frozen["rows"][0]["points"] = "60.00"
    AwardEntry.objects.filter(pk=entry.pk).update(frozen=entry.frozen, score=92, tier="金奖标兵")
    client.logout()
    roll = client.get(reverse("orglife:award_honours"))
    assert roll.status_code == 200 and "金奖标兵" in roll.content.decode() and street.org_a.name in roll.content.decode()


def test_round_steps_through_the_page(street, people, client):
    r = f.award_round(street, RoundState.DRAFT)
    _login(client, people.insider)
    assert client.post(reverse("orglife:award_round_step", args=[r.pk]), {"action": "open"}).status_code == 403
    _login(client, people.admin)
    client.post(reverse("orglife:award_round_step", args=[r.pk]), {"action": "open"})
    r.refresh_from_db()
    assert r.state == RoundState.ASSESSING
    client.post(reverse("orglife:award_round_reviewer", args=[r.pk]), {"user": people.outsider.pk})
    client.post(reverse("orglife:award_round_step", args=[r.pk]), {"action": "review"})
    client.post(reverse("orglife:award_round_step", args=[r.pk]), {"action": "return", "note": ""})
    r.refresh_from_db()
    assert r.state == RoundState.REVIEWING and r.reviewers.get().user == people.outsider
    client.post(reverse("orglife:award_round_step", args=[r.pk]), {"action": "return", "note": "材料不全"})
    r.refresh_from_db()
    assert r.state == RoundState.ASSESSING and r.transitions.last().note == "材料不全"


def test_an_entry_is_removed_from_a_draft_round_only_and_the_deletion_is_audited(street, people, client):
    r = f.award_round(street, RoundState.DRAFT)
    entry = r.entries.get(org=street.org_b)
    _login(client, people.insider)  # area A's secretary sees the round but does not manage it
    assert client.post(reverse("orglife:award_entry_remove", args=[entry.pk])).status_code == 404  # org B: not theirs
    _login(client, people.admin)
    page = client.get(reverse("orglife:award_round", args=[r.pk])).content.decode()
    assert f'id="remove-entry-{entry.pk}"' in page
    resp = client.post(reverse("orglife:award_entry_remove", args=[entry.pk]), follow=True)
    assert street.org_b.name in resp.content.decode() and not AwardEntry.objects.filter(pk=entry.pk).exists()
    assert AwardEntry.history.filter(id=entry.pk, history_type="-").get().history_user == people.admin
    kept = r.entries.get(org=street.org_a)
    services.step_round(r, RoundAction.OPEN, actor=people.admin)
    r.refresh_from_db()
    assert 'id="remove-entry-' not in client.get(reverse("orglife:award_round", args=[r.pk])).content.decode()
    with pytest.raises(Conflict):
        services.remove_entry(kept, actor=people.admin)
    client.post(reverse("orglife:award_entry_remove", args=[kept.pk]))
    assert AwardEntry.objects.filter(pk=kept.pk).exists()


def test_a_reviewer_is_taken_off_the_panel_until_they_have_scored(street, people, client):
    r, entry, self_c, _ind = _reviewing(street, people, reviewer=people.outsider)
    other = Reviewer.objects.create(round=r, user=people.colleague)
    _login(client, people.admin)
    page = client.get(reverse("orglife:award_round", args=[r.pk])).content.decode()
    assert f'id="remove-reviewer-{other.pk}"' in page
    client.post(reverse("orglife:award_round_reviewer", args=[r.pk]), {"remove": other.pk})
    assert list(r.reviewers.values_list("user", flat=True)) == [people.outsider.pk]
    assert Reviewer.history.filter(id=other.pk, history_type="-").get().history_user == people.admin
    scorer = r.reviewers.get()
    services.score(entry, self_c, actor=people.outsider, points="30")
    resp = client.post(reverse("orglife:award_round_reviewer", args=[r.pk]), {"remove": scorer.pk}, follow=True)
    assert gettext("This reviewer has scored already.") in resp.content.decode()
    assert r.reviewers.filter(pk=scorer.pk).exists()
    assert client.post(reverse("orglife:award_round_reviewer", args=[r.pk]), {"remove": "x"}).status_code == 400
    assert client.post(reverse("orglife:award_round_reviewer", args=[r.pk]), {"remove": 10**9}).status_code == 404


def _cells(data: bytes) -> list[tuple]:
    return [tuple(x) for x in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)]


def test_excel_export_and_the_reviewers_import_all_or_nothing(street, people):
    r, entry, self_c, ind = _reviewing(street, people)
    spec = get_spec("award-scores")
    rows = _cells(export_workbook(spec, people.admin))
    header = rows[0]
    assert header[:2] == ("条目编号", "评价项编号") and len(rows) == 1 + 2 * 2  # 2 entries × 2 criteria
    body = [dict(zip(header, x, strict=True)) for x in rows[1:]]
    assert {b["评价项"] for b in body} == {self_c.name, ind.name} and {b["权重"] for b in body} == {60, 40}
    assert {b["得分"] for b in body if b["评价项编号"] == ind.pk} == {0}
    insider_rows = _cells(export_workbook(spec, people.insider))
    assert len(insider_rows) == 1 + 2 and all(street.org_a.name == x[3] for x in insider_rows[1:])

    scores = get_spec("award-review-scores")

    def book(values):
        wb = Workbook()
        ws = wb.active
        ws.append([c.header for c in scores.columns if not c.read_only])
        for v in values:
            ws.append(v)
        out = io.BytesIO()
        wb.save(out)
        out.seek(0)
        return out

    org_b_entry = r.entries.get(org=street.org_b)
    bad = book([[entry.pk, self_c.pk, 30, "好"], [org_b_entry.pk, self_c.pk, 99, ""]])
    result = import_file(scores, bad, people.admin)
    assert result.errors and not ReviewScore.objects.exists()
    ind_row = import_file(scores, book([[entry.pk, ind.pk, 30, ""]]), people.admin)
    assert ind_row.errors and "自评项" in " ".join(str(e) for e in ind_row.errors)
    good = book([[entry.pk, self_c.pk, 30, "好"], [org_b_entry.pk, self_c.pk, 25.5, ""]])
    result = import_file(scores, good, people.admin)
    assert not result.errors and ReviewScore.objects.count() == 2
    # the round trip: the reviewer's export imports again, unchanged
    data = export_workbook(scores, people.admin)
    mine = {(x[0], x[1]): x[4] for x in _cells(data)[1:]}
    assert float(mine[(entry.pk, self_c.pk)]) == 30 and float(mine[(org_b_entry.pk, self_c.pk)]) == 25.5
    assert not import_file(scores, io.BytesIO(data), people.admin).errors and ReviewScore.objects.count() == 2
    # someone not on the panel: refused, nothing written
    assert import_file(scores, book([[entry.pk, self_c.pk, 10, ""]]), people.insider).errors
    assert ReviewScore.objects.get(entry=entry).points == 30


def test_api_rounds_breakdown_and_score(street, people, client):
    r, entry, self_c, ind = _reviewing(street, people)
    _login(client, people.insider)
    rounds = client.get("/api/v1/orglife/award-rounds").json()
    assert [x["id"] for x in rounds] == [r.pk]
    detail = client.get(f"/api/v1/orglife/award-rounds/{r.pk}").json()
    assert [e["org"] for e in detail["entries"]] == [street.org_a.name]
    b = client.get(f"/api/v1/orglife/award-entries/{entry.pk}/score").json()
    row = next(x for x in b["rows"] if x["criterion_id"] == ind.pk)
    assert row["weight"] == 60 and row["target"] == "0.95" and "/source/" in row["source_url"]
    assert client.get(f"/api/v1/orglife/award-entries/{r.entries.get(org=street.org_b).pk}/score").status_code == 404
    # the insider is not on the panel: 403
    resp = client.post(f"/api/v1/orglife/award-entries/{entry.pk}/scores",
                       json.dumps({"criterion": self_c.pk, "points": "30"}), content_type="application/json")
    assert resp.status_code == 403
    _login(client, people.admin)
    resp = client.post(f"/api/v1/orglife/award-entries/{entry.pk}/scores",
                       json.dumps({"criterion": self_c.pk, "points": "50"}), content_type="application/json")
    assert resp.status_code == 422 and "points" in resp.json().get("errors", {})
    resp = client.post(f"/api/v1/orglife/award-entries/{entry.pk}/scores",
                       json.dumps({"criterion": self_c.pk, "points": "30"}), content_type="application/json")
    assert resp.status_code == 200
    row = next(x for x in resp.json()["rows"] if x["criterion_id"] == self_c.pk)
    assert row["points"] == "30.00" and row["scores"][0]["points"] == "30.0"
