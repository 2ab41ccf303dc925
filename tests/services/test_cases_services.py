"""One-window cases through their services: opening with and without every material, the due date in working days,
the steps of the workflow with their visits, who may take which step, remote sessions, the SMS to the applicant,
the measures ("只跑一次", on time) and the all-or-nothing import of past cases."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands.calendar import add_working_days
from gongzhi.demands.models import CalendarDay
from gongzhi.demands.notify import MemoryNotifier
from gongzhi.services.models import Case, CaseTransition, RemoteSession
from gongzhi.services.selectors import cases as selectors
from gongzhi.services.services import cases as services
from gongzhi.services.workflow import APPOINTMENT_FLOW, AppointmentState, CaseState
from tests.services import factories as f

VALID_ID = "11010519491231002X"  # the standard's example: its checksum is X


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


@pytest.fixture
def outbox(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    yield MemoryNotifier.outbox
    MemoryNotifier.outbox.clear()


@pytest.fixture
def station(street):
    return f.place(street.area_a, "梧桐家门口服务站")


@pytest.fixture
def item(street):
    return f.item("居民医保参保登记", materials=("身份证", "户口簿"), time_limit_days=5)


def every(item_):
    return list(item_.materials.values_list("pk", flat=True))


def test_all_materials_accept_the_case_due_in_working_days(people, station, item):
    friday = date(2026, 3, 6)
    CalendarDay.objects.create(date=date(2026, 3, 9), is_working=False, note="调休")  # a holiday on Monday
    case, missing = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                       applicant_phone="13800138000", applicant_id_number=VALID_ID,
                                       provided=every(item), now=at(friday))
    assert missing == []
    assert case.state == CaseState.ACCEPTED and case.visits == 1 and case.accepted_at == at(friday)
    # five working days after Friday, skipping the weekend and Monday's holiday
    assert case.due_on == date(2026, 3, 16)
    assert case.code == "SJ202603060001"
    assert all(case.materials.values_list("provided", flat=True))
    log = list(case.transitions.values_list("action", "from_state", "to_state"))
    assert log == [("open", "", "accepted")]
    second, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="李先生",
                                    provided=every(item), now=at(friday, 11))
    assert second.code == "SJ202603060002"


def test_missing_materials_open_an_incomplete_case_with_the_list(people, station, item):
    first = item.materials.get(name="身份证")
    case, missing = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                       provided=[first.pk])
    assert case.state == CaseState.INCOMPLETE and case.due_on is None and case.accepted_at is None
    assert [m.name for m in missing] == ["户口簿"]
    assert [m.name for m in services.missing_materials(case)] == ["户口簿"]
    assert case.transitions.get().extra == {"missing": ["户口簿"]}


def test_supply_adds_a_visit_and_starts_the_time_limit(people, station, item):
    case, missing = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                       provided=[], now=at(date(2026, 3, 2)))
    with pytest.raises(ValidationFailed) as refused:  # one still missing
        services.act_on_case(case, "supply", actor=people.insider, provided=[missing[0].pk])
    assert "provided" in refused.value.field_errors
    case.refresh_from_db()
    assert case.state == CaseState.INCOMPLETE and case.visits == 1
    assert not case.materials.filter(provided=True).exists()  # nothing was written
    done = services.act_on_case(case, "supply", actor=people.insider, provided=every(item),
                                now=at(date(2026, 3, 4)))
    assert (done.state, done.visits) == (CaseState.ACCEPTED, 2)
    assert done.due_on == add_working_days(date(2026, 3, 4), 5)


def test_forward_receive_complete_is_a_one_visit_case(people, station, item, outbox,
                                                      django_capture_on_commit_callbacks):
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  applicant_phone="13800138000", provided=every(item))
    with pytest.raises(ValidationFailed) as refused:
        services.act_on_case(case, "forward", actor=people.insider)
    assert "back_office" in refused.value.field_errors
    case = services.act_on_case(case, "forward", actor=people.insider, back_office="区社保中心")
    assert case.state == CaseState.FORWARDED and case.forwarded_at and case.back_office == "区社保中心"
    with pytest.raises(Forbidden):  # a station worker is not the back office
        services.act_on_case(case, "receive", actor=people.insider)
    case = services.act_on_case(case, "receive", actor=people.admin)
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.act_on_case(case, "complete", actor=people.admin, result="已办结，结果邮寄")
    assert case.state == CaseState.DONE and case.closed_at and case.visits == 1
    assert case.result == "已办结，结果邮寄"
    assert selectors.one_visit_share(Case.objects.filter(pk=case.pk)) == 1.0
    sms = [text for phone, text in outbox if phone == "13800138000"]
    assert len(sms) == 1 and "居民医保参保登记" in sms[0] and station.name in sms[0]


def test_the_back_office_sends_back_and_the_counter_takes_the_materials_again(people, station, item):
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  provided=every(item))
    case = services.act_on_case(case, "forward", actor=people.insider, back_office="区社保中心")
    with pytest.raises(ValidationFailed):  # a reason is required
        services.act_on_case(case, "send_back", actor=people.admin)
    case = services.act_on_case(case, "send_back", actor=people.admin, note="缺少近期照片")
    assert case.state == CaseState.INCOMPLETE
    case = services.act_on_case(case, "supply", actor=people.insider)
    assert (case.state, case.visits) == (CaseState.ACCEPTED, 2)


def test_ready_then_picked_up_adds_a_visit(people, station, item, outbox, django_capture_on_commit_callbacks):
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  applicant_phone="13800138000", provided=every(item))
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.act_on_case(case, "make_ready", actor=people.insider)
    assert [p for p, _t in outbox] == ["13800138000"]
    case = services.act_on_case(case, "pick_up", actor=people.insider)
    assert (case.state, case.visits) == (CaseState.DONE, 2) and case.closed_at
    assert selectors.one_visit_share([case]) == 0.0


def test_any_worker_opens_any_item_at_their_place_but_not_elsewhere(people, street, station):
    unoffered = f.item("老年综合津贴申请", materials=("身份证",))  # no place offers it
    case, _m = services.open_case(station, actor=people.insider, item=unoffered, applicant_name="王阿姨",
                                  provided=every(unoffered))
    assert case.state == CaseState.ACCEPTED and case.opened_by == people.insider
    with pytest.raises(NotFound):
        services.open_case(station, actor=people.outsider, item=unoffered, applicant_name="王阿姨")
    with pytest.raises(NotFound):  # the grid leader has no counter
        services.open_case(station, actor=people.colleague, item=unoffered, applicant_name="王阿姨")
    other = f.place(street.area_b)
    assert services.open_case(other, actor=people.outsider, item=unoffered, applicant_name="李",
                              provided=every(unoffered))[0].place == other


def test_bad_applicant_details_are_field_errors(people, station, item):
    with pytest.raises(ValidationFailed) as refused:
        services.open_case(station, actor=people.insider, item=item, applicant_name=" ",
                           applicant_phone="021-1234567", applicant_id_number="110105194912310021")
    assert set(refused.value.field_errors) == {"applicant_name", "applicant_phone", "applicant_id_number"}
    assert services.id_number_ok(VALID_ID) and not services.id_number_ok("110105194912310021")
    item.active = False
    item.save()
    with pytest.raises(ValidationFailed) as refused:
        services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨")
    assert "item" in refused.value.field_errors
    assert not Case.objects.exists()


def test_an_appointment_is_served_by_its_case(people, street, station, item):
    booking = f.appointment(street, place=station, item=item)
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="李先生",
                                  provided=every(item), appointment=booking)
    booking.refresh_from_db()
    assert case.appointment == booking and booking.state == AppointmentState.SERVED and booking.checked_in_at
    assert list(booking.transitions.values_list("action", flat=True)) == ["check_in", "serve"]
    assert APPOINTMENT_FLOW.target(booking.state, "serve") is None
    with pytest.raises(ValidationFailed):  # served already
        services.open_case(station, actor=people.insider, item=item, applicant_name="李先生",
                           provided=every(item), appointment=booking)


def test_remote_sessions(people, station, item):
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  provided=every(item))
    session = services.log_remote_session(case, actor=people.insider, kind="video", duration_minutes=15,
                                          outcome="视频指导打印医保账单")
    assert session.staff == people.insider and case.remote_sessions.count() == 1
    with pytest.raises(ValidationFailed) as refused:
        services.log_remote_session(case, actor=people.insider, kind="fax", duration_minutes=0, outcome="")
    assert set(refused.value.field_errors) == {"kind", "duration_minutes", "outcome"}
    with pytest.raises(NotFound):
        services.log_remote_session(case, actor=people.outsider, kind="phone", duration_minutes=5, outcome="咨询")


def test_withdraw_needs_a_reason_and_closes(people, station, item):
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨")
    with pytest.raises(ValidationFailed):
        services.act_on_case(case, "withdraw", actor=people.insider)
    case = services.act_on_case(case, "withdraw", actor=people.insider, note="申请人不再办理")
    assert case.state == CaseState.WITHDRAWN and case.closed_at


# --- measures ---------------------------------------------------------------------------------------------------

def test_the_measures_count_only_done_cases(people, station, item):
    monday = date(2026, 3, 2)
    fast, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="甲",
                                  provided=every(item), now=at(monday))
    services.act_on_case(fast, "complete", actor=people.insider, now=at(monday, 11))
    slow, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="乙",
                                  provided=every(item), now=at(monday))
    services.act_on_case(slow, "make_ready", actor=people.insider, now=at(monday, 12))
    services.act_on_case(slow, "pick_up", actor=people.insider, now=at(monday + timedelta(days=14)))  # 10 days
    services.open_case(station, actor=people.insider, item=item, applicant_name="丙", provided=[])  # not done
    qs = Case.objects.all()
    assert selectors.one_visit_share(qs) == 0.5
    assert selectors.on_time_share(qs) == 0.5
    assert selectors.on_time_share(list(qs)) == 0.5
    assert selectors.one_visit_share(Case.objects.none()) is None


def test_overdue_forwarded_cases(people, station, item):
    case, _m = services.open_case(station, actor=people.insider, item=item, applicant_name="王阿姨",
                                  provided=every(item), now=timezone.now() - timedelta(days=30))
    services.act_on_case(case, "forward", actor=people.insider, back_office="区社保中心",
                         now=timezone.now() - timedelta(days=29))
    assert list(selectors.overdue_forwarded(people.insider)) == [case]
    assert list(selectors.overdue_forwarded(people.outsider)) == []
    assert list(selectors.back_office_queue(people.admin)) == [case]
    assert list(selectors.back_office_queue(people.insider)) == []  # no back office in area A
    card = selectors.overdue_forwarded_card(people.insider)
    assert card["count"] == 1 and card["tone"] == "urgent" and case.code in card["items"][0]["text"]
    assert selectors.overdue_forwarded_card(people.colleague) is None


# --- import -----------------------------------------------------------------------------------------------------

def _past(station, item, state, steps, **kw):
    case = Case(place=station, item=item, state=state, applicant_name=kw.pop("name", "王阿姨"),
                applicant_phone=kw.pop("phone", "13800138000"), **kw)
    return services.PastCase(case=case, steps=[services.CaseStep(a, t, SYSTEM, n) for a, t, n in steps],
                             incomplete=kw.get("incomplete", False))


def test_import_rebuilds_times_and_visits(people, station, item):
    day = date(2025, 4, 1)
    rows = [
        _past(station, item, CaseState.DONE, [("open", at(day), ""), ("complete", at(day, 11), "")]),
        _past(station, item, CaseState.DONE, [("open", at(day), ""), ("forward", at(day, 10), ""),
                                              ("receive", at(day + timedelta(days=1)), ""),
                                              ("complete", at(day + timedelta(days=3)), "")],
              back_office="区社保中心"),
        _past(station, item, CaseState.DONE, [("open", at(day), ""), ("make_ready", at(day, 12), ""),
                                              ("pick_up", at(day + timedelta(days=2)), "")]),
    ]
    rows.append(services.PastCase(case=Case(place=station, item=item, state=CaseState.DONE, applicant_name="赵"),
                                  steps=[services.CaseStep("open", at(day)), services.CaseStep("supply", at(day, 15)),
                                         services.CaseStep("complete", at(day, 16))], incomplete=True))
    made = services.import_cases(rows, actor=people.insider)
    assert [c.code for c in made] == [f"SJ20250401000{i}" for i in (1, 2, 3, 4)]
    assert [c.visits for c in made] == [1, 1, 2, 2]
    assert made[1].forwarded_at == at(day, 10) and made[1].closed_at == at(day + timedelta(days=3))
    assert made[0].due_on == add_working_days(day, 5)
    assert CaseTransition.objects.filter(case=made[1]).count() == 4
    assert list(Case.objects.get(pk=made[3].pk).materials.values_list("provided", flat=True)) == [True, True]
    assert selectors.one_visit_share(Case.objects.all()) == 0.5


def test_import_is_all_or_nothing(people, station, item):
    day = date(2025, 4, 1)
    good = _past(station, item, CaseState.DONE, [("open", at(day), ""), ("complete", at(day, 11), "")])
    bad = _past(station, item, CaseState.DONE, [("open", at(day), ""), ("receive", at(day, 11), "")])
    with pytest.raises(ValidationFailed) as refused:
        services.import_cases([good, bad], actor=people.insider)
    assert "timeline" in refused.value.field_errors
    wrong_end = _past(station, item, CaseState.READY, [("open", at(day), ""), ("complete", at(day, 11), "")])
    with pytest.raises(ValidationFailed):
        services.import_cases([good, wrong_end], actor=people.insider)
    with pytest.raises(NotFound):  # not the outsider's counter
        services.import_cases([good], actor=people.outsider)
    assert not Case.objects.exists() and not CaseTransition.objects.exists()
    assert not RemoteSession.objects.exists()


def test_any_item_of_the_workers_catalogue_but_not_another_subdistricts_own(people, street, station, item):
    """全岗通 covers the catalogue the worker sees: the city-wide items and the own items of their scope. Another
    sub-district's own item is neither offered on the accept form nor accepted by the service."""
    from tests import factories

    other = factories.region("subdistrict", street.district, name="别的街道")
    theirs = f.item("别的街道自设事项", level="subdistrict", region=other, materials=("申请表",))
    ours = f.item("本街道自设事项", level="subdistrict", region=street.subdistrict, materials=("申请表",))
    listed = set(selectors.acceptable_items(people.insider).values_list("pk", flat=True))
    assert {item.pk, ours.pk} <= listed and theirs.pk not in listed
    assert selectors.item_checklist(people.insider, theirs.pk) is None
    with pytest.raises(ValidationFailed):
        services.open_case(station, actor=people.insider, item=theirs, applicant_name="王阿姨",
                           provided=every(theirs))
    assert not Case.objects.filter(item=theirs).exists()
    case, _missing = services.open_case(station, actor=people.insider, item=ours, applicant_name="王阿姨",
                                        provided=every(ours))
    assert case.item == ours
