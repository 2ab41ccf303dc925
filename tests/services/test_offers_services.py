"""Writing offers, plans, rules and the roster (gongzhi.services.services.offers): the manager's right, unique
place×item, capacity override, bulk offers, the working plan's and booking rules' field errors, the roster rule."""

from datetime import time

import pytest

from gongzhi.core.errors import Forbidden, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.services.models import BookingRules, Duty, Offer, WorkingPlan
from gongzhi.services.selectors import offers as sel
from gongzhi.services.services import offers as services
from tests.services import factories as f

pytestmark = pytest.mark.django_db

DAY = {"opens_at": time(9), "closes_at": time(17), "break_starts_at": time(11, 30), "break_ends_at": time(13)}


@pytest.fixture
def station(street):
    return f.place(street.area_a)


def test_offer_and_withdraw_keep_one_row_per_place_and_item(people, station):
    item = f.item()
    offer = services.offer_item(station, actor=people.admin, item=item, capacity=4)
    assert sel.capacity(station, item) == 4
    services.withdraw_item(station, actor=people.admin, item=item)
    assert not sel.offers_of(station).exists()
    again = services.offer_item(station, actor=people.admin, item=item.code)
    assert again.pk == offer.pk and again.active and again.capacity is None
    assert Offer.objects.filter(place=station, item=item).count() == 1
    assert offer.history.count() == 3
    with pytest.raises(ValidationFailed) as e:
        services.withdraw_item(station, actor=people.admin, item=f.item("未提供"))
    assert "item" in e.value.field_errors


def test_capacity_override_must_be_at_least_one(people, station):
    with pytest.raises(ValidationFailed) as e:
        services.offer_item(station, actor=people.admin, item=f.item(), capacity=0)
    assert "capacity" in e.value.field_errors
    assert not Offer.objects.exists()


def test_only_the_manager_of_the_place_writes(people, station, street):
    item = f.item()
    for who in (people.insider, people.outsider, people.colleague):
        with pytest.raises(Forbidden):
            services.offer_item(station, actor=who, item=item)
    services.offer_item(station, actor=SYSTEM, item=item)
    assert sel.offers_of(station).count() == 1


def test_bulk_offers_are_all_or_nothing_and_only_items_the_place_may_offer(people, street, station):
    city, own = f.item("城市通办"), f.item("本街道", region=street.subdistrict)
    elsewhere = f.item("石库门自有", region=street.area_b)
    with pytest.raises(ValidationFailed) as e:
        services.offer_items(station, actor=people.admin, items=[city.code, own.code, elsewhere.code, "NOPE"])
    assert elsewhere.code in e.value.field_errors["items"][0] and "NOPE" in e.value.field_errors["items"][0]
    assert not Offer.objects.exists()
    assert services.offer_items(station, actor=people.admin, items=[city.code, own]) == 2
    assert services.offer_items(station, actor=people.admin, items=[city]) == 0  # already offered
    assert services.set_offered_items(station, actor=people.admin, items=[own.code]) == (0, 1)
    assert list(sel.offers_of(station).values_list("item__code", flat=True)) == [own.code]


def test_working_plan_replaces_the_week_and_closed_days_have_no_row(people, station):
    services.set_working_plan(station, actor=people.admin, days={0: DAY, 1: DAY, 5: {"opens_at": time(9),
                                                                                       "closes_at": time(12)}})
    assert sorted(WorkingPlan.objects.filter(place=station).values_list("weekday", flat=True)) == [0, 1, 5]
    services.set_working_plan(station, actor=people.admin, days={0: DAY, 1: None})
    assert list(WorkingPlan.objects.filter(place=station).values_list("weekday", flat=True)) == [0]


@pytest.mark.parametrize(("row", "field"), [
    ({"opens_at": time(17), "closes_at": time(9)}, "closes_at_2"),
    ({"opens_at": time(9), "closes_at": time(9)}, "closes_at_2"),
    ({"opens_at": time(9)}, "closes_at_2"),
    ({"closes_at": time(9)}, "opens_at_2"),
    ({**DAY, "break_ends_at": None}, "break_ends_at_2"),
    ({**DAY, "break_starts_at": time(8), "break_ends_at": time(10)}, "break_starts_at_2"),
    ({**DAY, "break_starts_at": time(16), "break_ends_at": time(18)}, "break_starts_at_2"),
    ({**DAY, "break_starts_at": time(13), "break_ends_at": time(12)}, "break_ends_at_2"),
])
def test_working_plan_errors_name_the_field_and_the_day(people, station, row, field):
    services.set_working_plan(station, actor=people.admin, days={0: DAY})
    with pytest.raises(ValidationFailed) as e:
        services.set_working_plan(station, actor=people.admin, days={0: None, 2: row})
    assert field in e.value.field_errors
    assert list(WorkingPlan.objects.filter(place=station).values_list("weekday", flat=True)) == [0]  # unchanged


def test_booking_rules_are_validated(people, station):
    rules = services.set_booking_rules(station, actor=people.admin, slot_minutes=20, capacity=3)
    assert (rules.slot_minutes, rules.capacity, rules.max_advance_days) == (20, 3, 14)
    for bad, field in (({"slot_minutes": 2}, "slot_minutes"), ({"capacity": 0}, "capacity"),
                       ({"max_per_phone": True}, "max_per_phone"),
                       ({"min_notice_hours": 48, "max_advance_days": 2}, "min_notice_hours")):
        with pytest.raises(ValidationFailed) as e:
            services.set_booking_rules(station, actor=people.admin, **bad)
        assert field in e.value.field_errors
    assert BookingRules.objects.get(place=station).slot_minutes == 20


def test_the_roster_takes_only_staff_who_accept_cases_in_a_scope_covering_the_place(people, station, street):
    with pytest.raises(ValidationFailed) as e:
        services.set_duty_roster(station, actor=people.admin, duties=[(people.outsider, 0), (people.insider, 0)])
    assert "user" in e.value.field_errors and str(people.outsider) in e.value.field_errors["user"][0]
    for who in (people.colleague, people.resident):  # no services.accept
        with pytest.raises(ValidationFailed):
            services.set_duty_roster(station, actor=people.admin, duties=[(who, 1)])
    assert not Duty.objects.exists()
    services.set_duty_roster(station, actor=people.admin,
                             duties=[(people.insider, 0, "综合窗口"), (people.admin, 0), (people.insider, 1)])
    assert Duty.objects.filter(place=station).count() == 3
    services.set_duty_roster(station, actor=people.admin, duties=[(people.insider, 0)])  # keeps the post
    assert list(Duty.objects.filter(place=station).values_list("user", "weekday", "post")) == [
        (people.insider.pk, 0, "综合窗口")]
    with pytest.raises(ValidationFailed):
        services.set_duty_roster(station, actor=people.admin, duties=[(people.insider, 7)])
