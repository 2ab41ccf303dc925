"""Topics and the three meetings through their services: each step of the topic's table with its conditions,
refusals that write nothing, field errors (a meeting in the past, invitees outside the topic's area), co-signing,
invitations with their notifications, replies, check-in at the door, the quorum, minutes and decisions."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from gongzhi.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from gongzhi.core.workflow import SUBMITTER, SYSTEM
from gongzhi.deliberation.models import (
    CheckIn,
    Decision,
    Invitation,
    Meeting,
    MeetingKind,
    MinuteEntry,
    Rsvp,
    SpeakerSide,
    Topic,
    TopicCosign,
    TopicSource,
)
from gongzhi.deliberation.selectors.topics import overdue_q
from gongzhi.deliberation.services import topics as services
from gongzhi.deliberation.workflow import (
    DecisionAction,
    DecisionState,
    MeetingAction,
    MeetingState,
    TopicAction,
)
from gongzhi.demands.models import Notification
from gongzhi.demands.notify import MemoryNotifier
from tests import factories
from tests.deliberation import topics_world as w
from tests.demands.conftest import submit

A = TopicAction


@pytest.fixture(autouse=True)
def _english():
    """The refusals below are matched on their English msgids."""
    with translation.override("en"):
        yield


@pytest.fixture
def station(street):
    return w.place(street.area_a)


@pytest.fixture
def sms(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    yield MemoryNotifier.outbox
    MemoryNotifier.outbox.clear()


def test_staff_raise_a_topic_from_demands_of_their_scope(street, people):
    demands = [submit(street, title="餐厅油烟太大"), submit(street, title="油烟熏得不能开窗")]
    topic = w.topic(street, people.insider, source=TopicSource.DEMANDS, demands=demands)
    assert set(topic.demands.all()) == set(demands)
    assert (topic.state, topic.proposer) == ("proposed", people.insider)
    step = topic.transitions.get()
    assert (step.action, step.from_state, step.to_state, step.actor) == ("propose", "", "proposed", people.insider)
    assert step.extra["demands"] == sorted(d.pk for d in demands)


def test_a_topic_outside_the_staffs_scope_is_refused_with_field_errors(street, people):
    outside = submit(street, building=street.building_b1, title="石库门油烟")
    with pytest.raises(ValidationFailed) as e:
        w.topic(street, people.insider, source=TopicSource.DEMANDS, demands=[outside])
    assert "demands" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        w.topic(street, people.insider, area=street.area_b, grid=None)
    assert "area" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        w.topic(street, people.insider, grid=street.grid_b1)
    assert "grid" in e.value.field_errors
    with pytest.raises(Forbidden):
        w.topic(street, people.colleague)  # a grid leader reads topics but does not raise them
    assert not Topic.objects.exists()


def test_the_topic_follows_the_three_meetings(street, people, station):
    insider = people.insider
    topic = w.accepted(street, insider)
    hearing = w.meeting(topic, station, insider)
    topic = services.transition_topic(topic, A.HEAR, actor=insider)
    # no coordination before the hearing is held: refused, nothing written
    with pytest.raises(Conflict, match="hearing"):
        services.transition_topic(topic, A.COORDINATE, actor=insider)
    assert Topic.objects.get(pk=topic.pk).state == "hearing" and topic.transitions.count() == 3
    w.held(hearing, actor=insider)
    topic = services.transition_topic(topic, A.COORDINATE, actor=insider)
    with pytest.raises(Conflict, match="coordination"):
        services.transition_topic(topic, A.DECIDE, actor=insider, decision="加装净化器")
    with pytest.raises(ValidationFailed):  # a review meeting does not belong to coordination
        w.meeting(topic, station, insider, kind=MeetingKind.REVIEW)
    w.held(w.meeting(topic, station, insider, kind=MeetingKind.COORDINATION), actor=insider)
    with pytest.raises(ValidationFailed) as e:
        services.transition_topic(topic, A.DECIDE, actor=insider)
    assert "decision" in e.value.field_errors
    topic = services.transition_topic(topic, A.DECIDE, actor=insider, decision="餐厅加装油烟净化器并移位排烟管")
    topic = services.transition_topic(topic, A.IMPLEMENT, actor=insider)
    with pytest.raises(Conflict, match="review"):
        services.transition_topic(topic, A.REVIEW, actor=insider, outcome="居民满意")
    w.held(w.meeting(topic, station, insider, kind=MeetingKind.REVIEW), actor=insider)
    topic = services.transition_topic(topic, A.REVIEW, actor=insider, outcome="油烟不再扰民，居民满意")
    topic = services.transition_topic(topic, A.CLOSE, actor=insider)
    assert (topic.state, topic.decision, topic.outcome) == ("closed", "餐厅加装油烟净化器并移位排烟管",
                                                            "油烟不再扰民，居民满意")
    assert list(topic.transitions.values_list("action", flat=True)) == [
        "propose", "accept", "hear", "coordinate", "decide", "implement", "review", "close"]


def test_declining_needs_a_reason_and_only_the_areas_staff_decide(street, people):
    topic = w.topic(street, people.insider)
    with pytest.raises(ValidationFailed):
        services.transition_topic(topic, A.DECLINE, actor=people.insider)
    with pytest.raises(NotFound):  # area B's secretary does not see it
        services.transition_topic(topic, A.ACCEPT, actor=people.outsider)
    with pytest.raises(Forbidden):  # the grid leader sees it but does not decide
        services.transition_topic(topic, A.ACCEPT, actor=people.colleague)
    with pytest.raises(InvalidTransition):
        services.transition_topic(topic, A.CLOSE, actor=people.insider)
    topic = services.transition_topic(topic, A.DECLINE, actor=people.admin, note="属于市场监管执法范围")
    assert (topic.state, topic.decline_reason) == ("declined", "属于市场监管执法范围")


def test_a_residents_proposal_goes_to_the_committee_once_cosigned(street, people):
    homes = w.households(street.building_a1, 3)
    topic = w.topic(street, SUBMITTER, source=TopicSource.RESIDENTS, cosigns_needed=2, proposer_household=homes[0],
                    title="小区停车管理办法")
    with pytest.raises(Conflict, match="2"):
        services.transition_topic(topic, A.ACCEPT, actor=people.insider)
    first = services.cosign_topic(topic, household=homes[0], actor=SUBMITTER)
    assert services.cosign_topic(topic.pk, household=homes[0].pk, actor=SUBMITTER) == first  # idempotent
    outside = w.households(street.building_b1, 1)[0]
    with pytest.raises(ValidationFailed) as e:
        services.cosign_topic(topic, household=outside, actor=SUBMITTER)
    assert "household" in e.value.field_errors
    with pytest.raises(NotFound):
        services.cosign_topic(topic, household=homes[1], actor=people.outsider)
    services.cosign_topic(topic, household=homes[1], actor=people.insider)  # a paper co-signature, recorded
    assert TopicCosign.objects.filter(topic=topic).count() == 2
    topic = services.transition_topic(topic, A.ACCEPT, actor=people.insider)
    with pytest.raises(InvalidTransition):
        services.cosign_topic(topic, household=homes[2], actor=SUBMITTER)
    with pytest.raises(ValidationFailed) as e:
        w.topic(street, SUBMITTER, source=TopicSource.RESIDENTS, cosigns_needed=0)
    assert "cosigns_needed" in e.value.field_errors


def test_a_meeting_in_the_past_or_with_invitees_outside_is_field_errors(street, people, station):
    topic = w.accepted(street, people.insider)
    outside_place = w.place(street.area_b)
    with pytest.raises(ValidationFailed) as e:
        services.schedule_meeting(
            topic, actor=people.insider, kind=MeetingKind.HEARING, starts_at=timezone.now() - timedelta(hours=1),
            quorum=3, place=outside_place, invitees={
                "households": w.households(street.building_b1, 1), "member_units": [street.unit_b],
                "people": [people.outsider]})
    assert set(e.value.field_errors) == {"starts_at", "place", "households", "member_units", "people"}
    with pytest.raises(ValidationFailed) as e:
        w.meeting(topic, station, people.insider, invitees={"member_units": [street.unit_a, street.unit_b]})
    assert set(e.value.field_errors) == {"member_units"}
    assert not Meeting.objects.exists() and not Invitation.objects.exists()
    with pytest.raises(Forbidden):
        w.meeting(topic, station, people.colleague)


def test_invitees_hear_of_the_meeting_after_commit(street, people, station, sms, settings,
                                                   django_capture_on_commit_callbacks):
    settings.GONGZHI_PUBLIC_URL = "https://gz.example.cn"
    liaison = factories.user("liaison_a", "unit_liaison", unit=street.unit_a)
    topic = w.accepted(street, people.insider)
    homes = w.households(street.building_a1, 2)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = w.meeting(topic, station, people.insider, convener=people.admin, invitees={
            "households": homes, "member_units": [street.unit_a], "people": [people.colleague]})
    assert meeting.invitations.count() == 4
    assert sorted(p for p, _text in sms) == sorted(h.phone for h in homes)
    assert all("https://gz.example.cn/deliberation/topics/h5/" in text for _p, text in sms)
    seen = {n.user: n for n in Notification.objects.all()}
    assert set(seen) == {liaison, people.colleague, people.admin}  # the invited, the unit's liaison, the convener
    assert seen[people.colleague].link == f"/deliberation/topics/meetings/{meeting.pk}/"
    assert seen[liaison].link.startswith("/deliberation/topics/h5/")  # no deliberation pages for a liaison
    assert meeting.title in seen[liaison].text


def test_replies_to_an_invitation(street, people, station):
    topic = w.accepted(street, people.insider)
    home = w.households(street.building_a1, 1)[0]
    meeting = w.meeting(topic, station, people.insider, invitees={"households": [home]})
    invitation = meeting.invitations.get()
    assert services.rsvp(invitation, actor=SUBMITTER, answer=Rsvp.YES).rsvp == "yes"
    before = invitation.history.count()
    services.rsvp(invitation, actor=SUBMITTER, answer=Rsvp.YES)  # the same answer changes nothing
    assert invitation.history.count() == before
    assert services.rsvp(invitation.pk, actor=people.insider, answer=Rsvp.MAYBE).rsvp == "maybe"
    with pytest.raises(ValidationFailed):
        services.rsvp(invitation, actor=people.insider, answer="perhaps")
    with pytest.raises(NotFound):
        services.rsvp(invitation, actor=people.outsider, answer=Rsvp.NO)
    with pytest.raises(Forbidden):
        services.rsvp(invitation, actor=people.colleague, answer=Rsvp.NO)
    w.held(meeting)
    with pytest.raises(InvalidTransition):
        services.rsvp(invitation, actor=SUBMITTER, answer=Rsvp.NO)


def test_check_in_at_the_door(street, people, station):
    topic = w.accepted(street, people.insider)
    home, stranger = w.households(street.building_a1, 2)
    meeting = w.meeting(topic, station, people.insider, quorum=3,
                        invitees={"households": [home], "member_units": [street.unit_a]})
    first, new = services.check_in(meeting, actor=SUBMITTER, household=home)
    assert new and first.invitation.household == home
    assert services.check_in(meeting, actor=SUBMITTER, household=home.pk) == (first, False)
    assert services.check_in(meeting, actor=people.insider, member_unit=street.unit_a)[1]
    person, new = services.check_in(meeting, actor=SUBMITTER, name="王阿姨", phone="13912345678")
    assert new and person.name == "王阿姨" and person.masked_phone == "139****5678"
    assert not services.check_in(meeting, actor=SUBMITTER, name="王阿姨", phone="13912345678")[1]
    with pytest.raises(ValidationFailed) as e:
        services.check_in(meeting, actor=SUBMITTER, household=stranger)
    assert "household" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        services.check_in(meeting, actor=SUBMITTER, name="", phone="12")
    assert set(e.value.field_errors) == {"name", "phone"}
    assert CheckIn.objects.filter(meeting=meeting).count() == 3
    services.transition_meeting(meeting, MeetingAction.HOLD, actor=people.insider)
    with pytest.raises(InvalidTransition):
        services.check_in(meeting, actor=SUBMITTER, name="迟到", phone="13700000001")


def test_a_motion_without_a_quorum_is_refused_and_nothing_is_written(street, people, station):
    meeting = w.meeting(w.accepted(street, people.insider), station, people.insider, quorum=3)
    for i in range(2):
        services.check_in(meeting, actor=SUBMITTER, name=f"居民{i}", phone=f"1370000{i:04d}")
    steps, history = meeting.transitions.count(), meeting.history.count()
    with pytest.raises(Conflict) as e:
        services.transition_meeting(meeting, MeetingAction.HOLD, actor=people.insider)
    assert e.value.code == "no_quorum" and "2" in e.value.message and "3" in e.value.message
    assert Meeting.objects.get(pk=meeting.pk).state == "scheduled"
    assert (meeting.transitions.count(), meeting.history.count()) == (steps, history)
    services.check_in(meeting, actor=SUBMITTER, name="居民3", phone="13700000003")
    assert services.transition_meeting(meeting, MeetingAction.HOLD, actor=people.insider).state == "held"


def test_minutes_decisions_and_their_tracking(street, people, station, django_capture_on_commit_callbacks):
    owner = factories.user("owner_a", "grid_leader", street.grid_a1)
    meeting = w.meeting(w.accepted(street, people.insider), station, people.insider)
    with pytest.raises(InvalidTransition):
        services.add_minute_entry(meeting, actor=people.insider, speaker="王阿姨", view="油烟太大")
    w.held(meeting)
    with pytest.raises(Conflict, match="minutes"):
        services.transition_meeting(meeting, MeetingAction.PUBLISH_MINUTES, actor=people.insider)
    services.add_minute_entry(meeting, actor=people.insider, speaker="王阿姨", view="油烟熏得不能开窗")
    services.add_minute_entry(meeting, actor=people.insider, speaker="餐厅老板", side=SpeakerSide.UNIT,
                              view="愿意加装净化器")
    with pytest.raises(ValidationFailed) as e:
        services.record_decision(meeting, actor=people.insider, text="", owner=people.outsider,
                                 deadline=timezone.localdate() - timedelta(days=1))
    assert set(e.value.field_errors) == {"text", "owner", "deadline"}
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.record_decision(meeting, actor=people.insider, text="一个月内加装油烟净化器",
                                            owner=owner, deadline=timezone.localdate() + timedelta(days=30))
    assert Notification.objects.filter(user=owner, link__contains=str(meeting.pk)).exists()
    assert decision.transitions.get().action == "record"
    meeting = services.transition_meeting(meeting, MeetingAction.PUBLISH_MINUTES, actor=people.insider)
    assert meeting.state == MeetingState.MINUTED
    with pytest.raises(InvalidTransition):  # the published minutes are final
        services.add_minute_entry(meeting, actor=people.insider, speaker="补充", view="补充意见")
    assert MinuteEntry.objects.filter(meeting=meeting).count() == 2
    with pytest.raises(Forbidden):  # the owner marks it done; someone else in scope without a right may not
        services.transition_decision(decision, DecisionAction.COMPLETE, actor=people.colleague)
    decision = services.transition_decision(decision, DecisionAction.COMPLETE, actor=owner, outcome="已加装")
    assert (decision.state, decision.outcome) == (DecisionState.DONE, "已加装") and decision.done_at
    with pytest.raises(ValidationFailed):
        services.transition_decision(decision, DecisionAction.REOPEN, actor=people.insider)
    with pytest.raises(Forbidden):  # only the meeting's runners reopen
        services.transition_decision(decision, DecisionAction.REOPEN, actor=owner, note="仍有油烟")
    decision = services.transition_decision(decision, DecisionAction.REOPEN, actor=people.insider, note="仍有油烟")
    assert decision.state == "open" and decision.done_at is None


def test_an_open_decision_past_its_deadline_is_overdue(street, people, station):
    meeting = w.held(w.meeting(w.accepted(street, people.insider), station, people.insider))
    past = timezone.now() - timedelta(days=40)
    decision = services.record_decision(meeting, actor=SYSTEM, text="清理楼道堆物", owner=people.insider,
                                        deadline=(past + timedelta(days=10)).date(), now=past)
    assert decision.is_overdue()
    assert Decision.objects.filter(overdue_q()).get() == decision
    services.transition_decision(decision, DecisionAction.COMPLETE, actor=people.insider)
    assert not Decision.objects.filter(overdue_q()).exists()


def test_cancelling_needs_a_reason_and_tells_the_invitees(street, people, station, sms,
                                                          django_capture_on_commit_callbacks):
    home = w.households(street.building_a1, 1)[0]
    meeting = w.meeting(w.accepted(street, people.insider), station, people.insider,
                        invitees={"households": [home], "people": [people.colleague]})
    with pytest.raises(ValidationFailed):
        services.transition_meeting(meeting, MeetingAction.CANCEL, actor=people.insider)
    sms.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_meeting(meeting, MeetingAction.CANCEL, actor=people.insider, note="台风停会")
    assert [(p, "台风停会" in t) for p, t in sms] == [(home.phone, True)]
    assert Notification.objects.filter(user=people.colleague, text__contains="台风停会").exists()


def test_a_topics_wording_is_corrected_until_it_is_decided(street, people):
    from gongzhi.core.errors import NothingChanged

    topic = w.accepted(street, people.insider, title="兰花餐厅油烟扰明")
    fixed = services.edit_topic(topic, actor=people.insider, title=" 兰花餐厅油烟扰民 ", description="油烟和消防隐患")
    assert (fixed.title, fixed.description) == ("兰花餐厅油烟扰民", "油烟和消防隐患")
    last = fixed.history.first()
    assert (last.history_user, last.history_change_reason, last.prev_record.title) == (
        people.insider, "edit", "兰花餐厅油烟扰明")
    with pytest.raises(NothingChanged):
        services.edit_topic(topic, actor=people.insider, title="兰花餐厅油烟扰民", description="油烟和消防隐患")
    with pytest.raises(ValidationFailed) as e:
        services.edit_topic(topic, actor=people.insider, title="  ")
    assert "title" in e.value.field_errors
    with pytest.raises(Forbidden):  # the grid leader reads the topic but does not manage it
        services.edit_topic(topic, actor=people.colleague, title="别的标题")
    with pytest.raises(NotFound):
        services.edit_topic(topic, actor=people.outsider, title="别的标题")
    Topic.objects.filter(pk=topic.pk).update(state="decided")  # set up: the decision taken
    with pytest.raises(InvalidTransition):
        services.edit_topic(topic, actor=people.insider, title="别的标题")
    assert Topic.objects.get(pk=topic.pk).title == "兰花餐厅油烟扰民"


def test_a_residents_proposal_keeps_the_words_its_households_cosigned(street, people):
    homes = w.households(street.building_a1, 2)
    topic = w.topic(street, SUBMITTER, source=TopicSource.RESIDENTS, cosigns_needed=2, proposer_household=homes[0],
                    title="小区停车管理办法")
    services.edit_topic(topic, actor=people.insider, title="小区停车管理办法（草案）")
    services.cosign_topic(topic, household=homes[0], actor=SUBMITTER)
    with pytest.raises(InvalidTransition):
        services.edit_topic(topic, actor=people.insider, title="另一个办法")
