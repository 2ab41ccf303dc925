"""Resident conventions (§6): drafted from a topic in versions, the differences shown between versions, adopted by
a vote that passed on the latest version (the vote linked), in force from a date, signed once per household,
amended by a new version adopted in turn, repealed with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    NothingChanged,
    ValidationFailed,
)
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import ConventionSignature, ResidentConvention
from gongzhi.deliberation.selectors import votes as selectors
from gongzhi.deliberation.services import votes as services
from gongzhi.deliberation.workflows_votes import ConventionState
from tests.conftest import login
from tests.deliberation.subjects_votes import estates, vote

TEXT_1 = "一、爱护公共绿化，不占绿毁绿。\n二、不乱堆物、不乱晾晒。\n三、文明停车。"
TEXT_2 = "一、爱护公共绿化，不占绿毁绿。\n二、楼道不堆物，衣物不晾出窗外。\n三、文明停车。\n四、垃圾分类投放。"


@pytest.fixture
def world(street):
    return estates(street)


def passed_vote(world, convention, yes: int = 4):
    v = vote(world.topic, state="open", days_ago=9, closes_at=timezone.now() - timedelta(days=1),
             convention_version=convention.latest_version(), title=f"通过{convention.title}")
    for home in world.homes_a[:yes]:
        services.cast_ballot(v, actor=SYSTEM, option="yes", household=home, now=v.opens_at)
    return services.close_vote(v, actor=SYSTEM)


def test_drafting_and_revising_keep_every_version(world, people):
    c = services.create_convention(world.topic, actor=people.insider, title="大西别墅居民公约", text=TEXT_1)
    assert (c.state, c.estate, c.area) == (ConventionState.DRAFT, world.estate_a, world.street.area_a)
    v2 = services.revise_convention(c, actor=people.insider, text=TEXT_2, note="增加垃圾分类")
    assert v2.number == 2 and list(c.versions.values_list("number", "text")) == [(1, TEXT_1), (2, TEXT_2)]
    with pytest.raises(NothingChanged):
        services.revise_convention(c, actor=people.insider, text=TEXT_2 + "\n")
    with pytest.raises(NotFound):  # an area's conventions: outside a grid leader's and area B's scope
        services.revise_convention(c, actor=people.colleague, text=TEXT_1)
    with pytest.raises(NotFound):
        services.revise_convention(c, actor=people.outsider, text=TEXT_1)
    with pytest.raises(ValidationFailed):
        services.create_convention(world.topic, actor=people.insider, title="", text="")
    assert c.versions.count() == 2


def test_the_diff_marks_changed_added_and_removed_lines(world, people, client):
    rows = selectors.version_diff(TEXT_1, TEXT_2)
    assert [r["kind"] for r in rows] == ["same", "changed", "same", "added"]
    assert "<del>" in rows[1]["old"] and "<ins>" in rows[1]["new"] and "<ins>四、垃圾分类投放。</ins>" == rows[3]["new"]
    assert selectors.version_diff("<b>x</b>", "<i>x</i>")[0]["old"].count("&lt;") == 2  # text is escaped
    c = services.create_convention(world.topic, actor=people.insider, title="大西别墅居民公约", text=TEXT_1)
    services.revise_convention(c, actor=people.insider, text=TEXT_2)
    login(client, people.insider)
    page = client.get(reverse("deliberation:votes_convention_diff", args=[c.pk]), {"from": 1, "to": 2})
    text = page.content.decode()
    assert page.status_code == 200 and '<tr class="added">' in text and "<ins>四、垃圾分类投放。</ins>" in text
    assert client.get(reverse("deliberation:votes_convention_diff", args=[c.pk]), {"from": "x"}).status_code == 400
    detail = client.get(reverse("deliberation:votes_convention_detail", args=[c.pk])).content.decode()
    assert 'id="diff"' in detail and 'id="put-to-vote"' in detail


def test_adoption_needs_a_passed_vote_on_the_latest_version(world, people):
    c = services.create_convention(world.topic, actor=people.insider, title="大西别墅居民公约", text=TEXT_1)
    failed = passed_vote(world, c, yes=1)  # 1 of 6 voted: participation not reached
    assert failed.result == "failed"
    with pytest.raises(ValidationFailed) as e:
        services.adopt_convention(c, actor=people.insider, vote=failed, effective_on=timezone.localdate())
    assert "vote" in e.value.field_errors
    passed = passed_vote(world, c)
    with pytest.raises(Conflict):  # a vote on it is being held: no revision meanwhile
        open_one = vote(world.topic, state="open", convention_version=c.latest_version())
        services.revise_convention(c, actor=people.insider, text=TEXT_2)
    services.cancel_vote(open_one, actor=people.insider, reason="重复")
    services.revise_convention(c, actor=people.insider, text=TEXT_2)  # now version 2 is the latest
    with pytest.raises(ValidationFailed):  # the passed vote was on version 1
        services.adopt_convention(c, actor=people.insider, vote=passed, effective_on=timezone.localdate())
    c.refresh_from_db()
    assert c.state == ConventionState.DRAFT


def test_adopt_sign_amend_and_readopt(world, people):
    c = services.create_convention(world.topic, actor=people.insider, title="大西别墅居民公约", text=TEXT_1)
    first = passed_vote(world, c)
    effective = timezone.localdate() + timedelta(days=7)
    c = services.adopt_convention(c, actor=people.insider, vote=first, effective_on=effective)
    v1 = c.versions.get(number=1)
    assert (c.state, c.effective_on, v1.adopted_by, v1.effective_on) == ("adopted", effective, first, effective)
    assert c.version_in_force() == v1 and c.transitions.last().extra == {"vote": first.pk}

    services.sign_convention(c, actor=services.RESIDENT, household=world.homes_a[0],
                             proven_phone=world.homes_a[0].phone)
    with pytest.raises(Conflict):  # a household signs once
        services.sign_convention(c, actor=people.insider, household=world.homes_a[0])
    with pytest.raises(ValidationFailed):  # a household of another estate
        services.sign_convention(c, actor=people.insider, household=world.homes_b[0])
    with pytest.raises(Forbidden):  # a resident signs only for their own household
        services.sign_convention(c, actor=services.RESIDENT, household=world.homes_a[1],
                                 proven_phone=world.homes_a[0].phone)
    services.sign_convention(c, actor=people.insider, household=world.homes_a[1])  # a paper signature
    assert ConventionSignature.objects.filter(convention=c).count() == 2

    with pytest.raises(NothingChanged):
        services.amend_convention(c, actor=people.insider, text=TEXT_1)
    c = services.amend_convention(c, actor=people.insider, text=TEXT_2, note="增加垃圾分类")
    assert c.state == ConventionState.AMENDING and c.version_in_force() == v1  # still in force meanwhile
    services.sign_convention(c, actor=people.insider, household=world.homes_a[2])  # signs the version in force
    second = passed_vote(world, c)
    c = services.adopt_convention(c, actor=people.insider, vote=second, effective_on=timezone.localdate() + timedelta(days=30))
    assert c.state == ConventionState.ADOPTED and c.version_in_force().number == 2
    assert list(c.versions.values_list("number", "adopted_by")) == [(1, first.pk), (2, second.pk)]
    assert list(c.signatures.order_by("pk").values_list("version__number", flat=True)) == [1, 1, 1]

    with pytest.raises(ValidationFailed):
        services.repeal_convention(c, actor=people.insider, reason="")
    c = services.repeal_convention(c, actor=people.insider, reason="被新的小区管理规约取代")
    assert c.state == ConventionState.REPEALED and c.repeal_reason
    with pytest.raises(Conflict):
        services.sign_convention(c, actor=people.insider, household=world.homes_a[3])
    with pytest.raises(InvalidTransition):
        services.amend_convention(c, actor=people.insider, text=TEXT_1 + "五")


def test_staff_pages_walk_a_convention_from_draft_to_adoption(world, people, client):
    login(client, people.insider)
    r = client.post(reverse("deliberation:votes_convention_create"), {
        "topic": world.topic.pk, "title": "大西别墅居民公约", "estate": world.estate_a.pk, "text": TEXT_1})
    c = ResidentConvention.objects.get()
    assert r.status_code == 302 and r.url == reverse("deliberation:votes_convention_detail", args=[c.pk])
    client.post(reverse("deliberation:votes_convention_revise", args=[c.pk]), {"text": TEXT_2, "note": "增加一条"})
    assert c.versions.count() == 2
    create = client.get(reverse("deliberation:votes_create"), {"convention": c.pk})
    assert create.context["form"].initial["convention_version"] == c.latest_version().pk
    passed = passed_vote(world, c)
    detail = client.get(reverse("deliberation:votes_convention_detail", args=[c.pk])).content.decode()
    assert 'id="adopt-form"' in detail and passed.title in detail
    bad = client.post(reverse("deliberation:votes_convention_adopt", args=[c.pk]), {"vote": passed.pk})
    assert bad.status_code == 422
    client.post(reverse("deliberation:votes_convention_adopt", args=[c.pk]),
                {"vote": passed.pk, "effective_on": timezone.localdate().isoformat()})
    c.refresh_from_db()
    assert c.state == ConventionState.ADOPTED
    client.post(reverse("deliberation:votes_convention_record_signature", args=[c.pk]),
                {"building": world.homes_a[0].building.name, "room": world.homes_a[0].room})
    assert c.signatures.get().channel == "staff"
    client.post(reverse("deliberation:votes_convention_transition", args=[c.pk]),
                {"action": "amend", "text": TEXT_2 + "\n五、邻里互助。", "note": "增加邻里互助"})
    c.refresh_from_db()
    assert c.state == ConventionState.AMENDING and c.versions.count() == 3
    listing = client.get(reverse("deliberation:votes_convention_list"), {"state": "amending"})
    assert [x.pk for x in listing.context["page"]] == [c.pk]
