"""Check-in at the door under a crowd: 100 parallel scans of the same attendee record exactly one check-in (the
database's unique key per meeting and attendee); each scan gets that one back."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from gongzhi.core.workflow import SUBMITTER, SYSTEM
from gongzhi.deliberation.models import CheckIn, MeetingKind
from gongzhi.deliberation.services import topics as services
from gongzhi.deliberation.workflow import TopicAction
from tests import factories
from tests.deliberation import topics_world as w

N = 100


def _parallel(target) -> list:
    barrier = threading.Barrier(N)
    results: list = []
    errors: list = []

    def run():
        barrier.wait()
        try:
            for _attempt in range(1000):
                try:
                    results.append(target())
                    return
                except Exception as e:  # noqa: BLE001 (SQLite's write lock: try again)
                    if "locked" not in str(e):
                        errors.append(e)
                        return
                    time.sleep(0.01)
            errors.append("still locked")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    return results


@pytest.mark.django_db(transaction=True)
def test_a_hundred_parallel_check_ins_of_one_attendee_record_one():
    street = factories.street()
    topic = services.transition_topic(w.topic(street), TopicAction.ACCEPT, actor=SYSTEM)
    home = w.households(street.building_a1, 1)[0]
    meeting = services.schedule_meeting(topic, actor=SYSTEM, kind=MeetingKind.HEARING, quorum=1,
                                        place=w.place(street.area_a),
                                        convener=factories.user(role="area_secretary", region_=street.area_a),
                                        starts_at=timezone.now() + timedelta(days=1), invitees={"households": [home]})
    by_phone = _parallel(lambda: services.check_in(meeting.pk, actor=SUBMITTER, name="王阿姨", phone="13912345678"))
    by_home = _parallel(lambda: services.check_in(meeting.pk, actor=SUBMITTER, household=home.pk))
    assert CheckIn.objects.filter(meeting=meeting).count() == 2
    for results in (by_phone, by_home):
        assert len(results) == N
        assert len({row.pk for row, _new in results}) == 1  # every scan got the one check-in back
        assert sum(new for _row, new in results) == 1
