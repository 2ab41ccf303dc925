"""The micro-wish services: every rule, and a refused action writes nothing (no row, no log, no history)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from gongzhi.core.errors import Conflict, Forbidden, NotFound, NothingChanged, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands.models import Notification
from gongzhi.volunteering.models import Wish, WishPhoto, WishTransition
from gongzhi.volunteering.selectors import wishes as selectors
from gongzhi.volunteering.services import wishes as services
from gongzhi.volunteering.workflow import WishAction, WishState
from tests import factories
from tests.volunteering import wish_factories as wf

pytestmark = pytest.mark.django_db


def _post(actor, region, **kw):
    values = {"title": "一台电饭煲", "hardship": "elderly_alone", "value": "220.50",
              "wanted_by": timezone.localdate() + timedelta(days=20), "beneficiary_name": "王阿婆",
              "beneficiary_phone": "13912345678"}
    values.update(kw)
    return services.post_wish(actor=actor, region=region, **values)


def _counts():
    return (Wish.objects.count(), WishTransition.objects.count(), Wish.history.count(), WishPhoto.objects.count())


def _snapshot(wish):
    wish.refresh_from_db()
    return (wish.state, wish.claimer_member_id, wish.claimer_unit_id, wish.promise, wish.thanks,
            wish.transitions.count(), wish.history.count())


# --- posting -------------------------------------------------------------------------------------------------

def test_area_staff_post_a_wish_waiting_for_approval_with_its_first_log_row(street, people):
    wish = _post(people.insider, street.area_a)
    assert wish.state == WishState.SUBMITTED and wish.code.startswith("WX")
    assert wish.value == Decimal("220.50") and wish.posted_by == people.insider
    assert list(wish.transitions.values_list("action", "from_state", "to_state")) == [("submit", "", "submitted")]
    raw = Wish.objects.filter(pk=wish.pk).values_list("beneficiary_name", flat=True)
    assert Wish.objects.get(pk=wish.pk).beneficiary_name == "王阿婆"
    assert list(raw) == ["王阿婆"]  # decrypted by the field; stored encrypted (checked below)


def test_the_beneficiary_is_encrypted_at_rest(street, people):
    from django.db import connection

    wish = _post(people.insider, street.area_a)
    with connection.cursor() as c:
        c.execute("SELECT beneficiary_name, beneficiary_phone FROM volunteering_wish WHERE id = %s", [wish.pk])
        name, phone = c.fetchone()
    assert "王阿婆" not in name and "13912345678" not in phone


def test_a_grid_leader_posts_for_the_area_of_their_grid_and_the_staff_hear_of_it(street, people,
                                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        wish = _post(people.colleague, street.area_a)
    assert wish.state == WishState.SUBMITTED
    assert Notification.objects.filter(user=people.insider, text__contains="一台电饭煲").exists()


def test_posting_outside_ones_areas_or_without_the_right_is_refused_and_writes_nothing(street, people):
    before = _counts()
    with pytest.raises(NotFound):
        _post(people.colleague, street.area_b)
    with pytest.raises(NotFound):
        _post(people.outsider, street.area_a)
    with pytest.raises(Forbidden):
        _post(people.resident, street.area_a)
    assert _counts() == before


def test_bad_input_gives_field_errors_in_the_language_and_writes_nothing(street, people):
    before = _counts()
    with pytest.raises(ValidationFailed) as e:
        _post(people.insider, street.area_a, title=" ", value="-1", hardship="rich",
              wanted_by=timezone.localdate() - timedelta(days=1), beneficiary_name="", beneficiary_phone="abc")
    assert set(e.value.field_errors) == {"title", "value", "hardship", "wanted_by", "beneficiary_name",
                                         "beneficiary_phone"}
    with pytest.raises(ValidationFailed) as e:
        _post(people.insider, street.area_a, value="1.234")
    assert set(e.value.field_errors) == {"value"}
    with pytest.raises(ValidationFailed) as e:
        _post(people.insider, street.grid_a1)  # a grid is not a residential area
    assert set(e.value.field_errors) == {"region"}
    assert _counts() == before


def test_a_household_must_live_in_the_wishs_area(street, people):
    from gongzhi.registry.models import Household

    home = Household.objects.create(building=street.building_b1, room="101")
    with pytest.raises(ValidationFailed) as e:
        _post(people.insider, street.area_a, household=home.pk)
    assert set(e.value.field_errors) == {"household"}
    own = Household.objects.create(building=street.building_a1, room="102")
    assert _post(people.insider, street.area_a, household=own.pk).household == own


# --- approval ----------------------------------------------------------------------------------------------------

def test_staff_approve_and_reject_with_a_reason(street, people):
    wish = _post(people.insider, street.area_a)
    done = services.approve_wish(wish, actor=people.insider)
    assert done.state == WishState.OPEN
    other = _post(people.insider, street.area_a)
    before = _snapshot(other)
    with pytest.raises(ValidationFailed) as e:
        services.reject_wish(other, actor=people.insider, reason=" ")
    assert "note" in e.value.field_errors and _snapshot(other) == before
    rejected = services.reject_wish(other, actor=people.insider, reason="已有专项救助")
    assert rejected.state == WishState.REJECTED and rejected.last_transition.note == "已有专项救助"


def test_approval_is_refused_outside_the_scope_or_without_the_right(street, people):
    wish = _post(people.insider, street.area_a)
    before = _snapshot(wish)
    with pytest.raises(NotFound):
        services.approve_wish(wish, actor=people.outsider)
    with pytest.raises(NotFound):  # a waiting wish is on no board: the resident cannot find it
        services.approve_wish(wish, actor=people.resident)
    poster = _post(people.colleague, street.area_a)
    with pytest.raises(Forbidden):  # its poster sees it but does not approve it
        services.approve_wish(poster, actor=people.colleague)
    assert _snapshot(wish) == before
    services.approve_wish(wish, actor=people.insider)
    with pytest.raises(Conflict):
        services.approve_wish(wish, actor=people.insider)


def test_the_poster_withdraws_an_unclaimed_wish_not_a_claimed_one(street, people):
    wish = _post(people.colleague, street.area_a)
    assert services.withdraw_wish(wish, actor=people.colleague, reason="家属已解决").state == WishState.WITHDRAWN
    claimed = wf.wish(street.area_a, WishState.CLAIMED, member=street.member_a)
    with pytest.raises(Conflict):
        services.withdraw_wish(claimed, actor=people.insider, reason="不需要了")


# --- claims -----------------------------------------------------------------------------------------------------

def _claim(wish, actor, **kw):
    values = {"promise": "一周内送到家中", "promised_on": timezone.localdate() + timedelta(days=7)}
    values.update(kw)
    return services.claim_wish(wish, actor=actor, **values)


def test_a_party_member_claims_as_themself_and_the_area_staff_hear_of_it(street, people,
                                                                         django_capture_on_commit_callbacks):
    member = wf.member_account(street)
    wish = wf.wish(street.area_a)
    with django_capture_on_commit_callbacks(execute=True):
        done = _claim(wish, member)
    assert done.state == WishState.CLAIMED and done.claimer_member == street.member_a
    assert done.claimer_unit is None and done.claimed_by == member and done.promise == "一周内送到家中"
    assert done.last_transition.extra == {"member": street.member_a.pk, "unit": None}
    assert Notification.objects.filter(user=people.insider, text__contains="一周内送到家中").exists()


def test_a_unit_liaison_claims_for_their_unit_even_in_another_area(street, people):
    liaison = wf.liaison_account(street)
    wish = wf.wish(street.area_b)
    done = _claim(wish, liaison)
    assert done.claimer_unit == street.unit_a and done.claimer_member is None and done.claimer_name == "梧桐社区医院"


def test_a_liaison_of_several_units_names_the_unit_and_only_their_own(street, people):
    liaison = wf.liaison_account(street)
    from gongzhi.accounts.models import RoleAssignment
    from gongzhi.accounts.roles import Role

    RoleAssignment.objects.create(user=liaison, role=Role.UNIT_LIAISON, member_unit=street.unit_b)
    liaison = type(liaison).objects.get(pk=liaison.pk)
    wish = wf.wish(street.area_a)
    before = _snapshot(wish)
    with pytest.raises(ValidationFailed) as e:
        _claim(wish, liaison)
    assert "unit" in e.value.field_errors
    other = factories.member_unit(street.grid_a1, name="别家单位")
    with pytest.raises(Forbidden):
        _claim(wish, liaison, unit=other.pk)
    assert _snapshot(wish) == before
    assert _claim(wish, liaison, unit=street.unit_b.pk).claimer_unit == street.unit_b


def test_claims_are_refused_to_others_to_bad_input_and_to_a_wish_not_open(street, people):
    member = wf.member_account(street)
    wish = wf.wish(street.area_a)
    before = _snapshot(wish)
    for actor in (people.resident, people.insider, people.colleague):  # no claim right (staff do not claim)
        with pytest.raises(Forbidden):
            _claim(wish, actor)
    unlinked = factories.user("unlinked", "party_member", street.grid_a1)  # a member account without its record
    with pytest.raises(Forbidden):
        _claim(wish, unlinked)
    with pytest.raises(ValidationFailed) as e:
        _claim(wish, member, promise=" ", promised_on=timezone.localdate() - timedelta(days=1))
    assert set(e.value.field_errors) == {"promise", "promised_on"}
    assert _snapshot(wish) == before
    waiting = wf.wish(street.area_a, WishState.SUBMITTED)
    with pytest.raises(NotFound):  # not on the board
        _claim(waiting, member)
    _claim(wish, member)
    liaison = wf.liaison_account(street)
    with pytest.raises(Conflict) as e:
        _claim(wish, liaison)
    assert e.value.code == "already_claimed"
    wish.refresh_from_db()
    assert wish.claimer_member == street.member_a and wish.transitions.count() == 1


def test_release_by_the_claimer_with_a_reason_reopens_it_and_tells_the_staff(street, people,
                                                                            django_capture_on_commit_callbacks):
    liaison = wf.liaison_account(street)
    wish = wf.wish(street.area_a, WishState.CLAIMED, unit=street.unit_a)
    member = wf.member_account(street)
    before = _snapshot(wish)
    with pytest.raises(Forbidden):
        services.release_wish(wish, actor=member, reason="我来")
    with pytest.raises(ValidationFailed):
        services.release_wish(wish, actor=liaison, reason="")
    assert _snapshot(wish) == before
    with django_capture_on_commit_callbacks(execute=True):
        done = services.release_wish(wish, actor=liaison, reason="单位临时有任务")
    assert done.state == WishState.OPEN and done.claimer is None and done.promise == "" and done.claimed_at is None
    assert done.last_transition.extra == {"claimer": "梧桐社区医院"}
    assert Notification.objects.filter(user=people.insider, text__contains="单位临时有任务").exists()
    assert not Notification.objects.filter(user=liaison).exists()  # the one who acted is not told


def test_staff_release_a_claim_and_the_claimer_hears_of_it(street, people, django_capture_on_commit_callbacks):
    member = wf.member_account(street)
    wish = wf.wish(street.area_a, WishState.CLAIMED, member=street.member_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.release_wish(wish, actor=people.insider, reason="超过承诺日期未实现")
    assert Notification.objects.filter(user=member, text__contains="超过承诺日期未实现").exists()


# --- fulfilment and thanks ----------------------------------------------------------------------------------------

def test_the_claimer_fulfils_with_a_photo_stored_without_its_exif(street, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    liaison = wf.liaison_account(street)
    wish = wf.wish(street.area_a, WishState.CLAIMED, unit=street.unit_a)
    done = services.fulfil_wish(wish, actor=liaison, note="已送到家中", photos=[wf.png(exif=True)])
    assert done.state == WishState.FULFILLED and done.fulfilment_note == "已送到家中" and done.fulfilled_at
    photo = done.photos.get()
    assert photo.image.name.startswith("volunteering_wishes/") and photo.uploaded_by == liaison
    with photo.image.open("rb") as f:
        data = f.read()
    assert b"SecretCam" not in data and Image.open(io.BytesIO(data)).getexif().get(0x010F) is None


def test_fulfilment_needs_the_right_a_note_and_a_real_photo(street, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    wish = wf.wish(street.area_a, WishState.CLAIMED, member=street.member_a)
    liaison = wf.liaison_account(street)
    before = _counts()
    with pytest.raises(Forbidden):
        services.fulfil_wish(wish, actor=liaison, note="送到了", photos=[wf.png()])
    with pytest.raises(ValidationFailed) as e:
        services.fulfil_wish(wish, actor=people.insider, note="", photos=[])
    assert set(e.value.field_errors) == {"note", "photos"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", b"<html>not an image</html>", content_type="image/png")
    with pytest.raises(ValidationFailed) as e:
        services.fulfil_wish(wish, actor=people.insider, note="送到了", photos=[fake])
    assert set(e.value.field_errors) == {"photos"}
    with pytest.raises(ValidationFailed):
        services.fulfil_wish(wish, actor=people.insider, note="送到了", photos=[wf.png() for _ in range(4)])
    assert _counts() == before
    open_one = wf.wish(street.area_a)
    with pytest.raises(Conflict):
        services.fulfil_wish(open_one, actor=people.insider, note="送到了", photos=[wf.png()])
    assert services.fulfil_wish(wish, actor=people.insider, note="社工代为送达", photos=[wf.png()]).state == \
        WishState.FULFILLED


def test_the_thanks_are_a_field_only_step_by_the_staff(street, people, django_capture_on_commit_callbacks):
    member = wf.member_account(street)
    wish = wf.wish(street.area_a, WishState.FULFILLED, member=street.member_a)
    with pytest.raises(Forbidden):
        services.record_thanks(wish, actor=member, thanks="谢谢")
    with pytest.raises(ValidationFailed):
        services.record_thanks(wish, actor=people.insider, thanks=" ")
    with django_capture_on_commit_callbacks(execute=True):
        done = services.record_thanks(wish, actor=people.insider, thanks="谢谢党员同志！")
    assert done.state == WishState.FULFILLED and done.thanks == "谢谢党员同志！" and done.thanks_at
    assert (done.last_transition.action, done.last_transition.from_state, done.last_transition.to_state) == (
        WishAction.THANK, WishState.FULFILLED, WishState.FULFILLED)
    assert Notification.objects.filter(user=member, text__contains="谢谢党员同志").exists()
    before = _snapshot(wish)
    with pytest.raises(NothingChanged):
        services.record_thanks(wish, actor=people.insider, thanks="谢谢党员同志！")
    assert _snapshot(wish) == before
    claimed = wf.wish(street.area_a, WishState.CLAIMED, member=street.member_a)
    with pytest.raises(Conflict):
        services.record_thanks(claimed, actor=people.insider, thanks="谢谢")


# --- reads ------------------------------------------------------------------------------------------------------------

def test_party_work_links_list_the_claims_of_a_member_and_of_a_unit_by_year(street):
    this_year = timezone.localdate().year
    mine = wf.wish(street.area_a, WishState.FULFILLED, member=street.member_a)
    old = wf.wish(street.area_a, WishState.CLAIMED, member=street.member_a)
    Wish.objects.filter(pk=old.pk).update(claimed_at=timezone.now().replace(year=this_year - 1))
    wf.wish(street.area_a, WishState.OPEN)
    units = wf.wish(street.area_b, WishState.CLAIMED, unit=street.unit_a)
    assert list(selectors.wishes_claimed_by_member(street.member_a)) == [old, mine]
    assert list(selectors.wishes_claimed_by_member(street.member_a, year=this_year)) == [mine]
    assert list(selectors.wishes_claimed_by_unit(street.unit_a)) == [units]
    assert not selectors.wishes_claimed_by_unit(street.unit_b).exists()


def test_the_board_filters_and_finds_the_overdue(street, people):
    late = wf.wish(street.area_a, WishState.OPEN, wanted_by=timezone.localdate() - timedelta(days=1))
    fresh = wf.wish(street.area_a, WishState.OPEN, title="一床棉被")
    wf.wish(street.area_b, WishState.OPEN)
    assert late.is_overdue and not fresh.is_overdue
    assert set(selectors.board(people.insider, {})) == {late, fresh}
    assert list(selectors.board(people.insider, {"state": "overdue"})) == [late]
    assert list(selectors.board(people.insider, {"q": "棉被"})) == [fresh]
    card = selectors.waiting_card(people.insider)
    assert card["count"] == 1 and card["tone"] == "urgent"
    assert selectors.waiting_card(people.resident) is None


def test_seeding_past_wishes_checks_the_steps_and_refuses_users(street, people):
    now = timezone.now()
    wish = Wish(code="WX-SEED-1", region=street.area_a, beneficiary_name="李", hardship="child", title="书包",
                value=Decimal("100"), wanted_by=timezone.localdate(), state=WishState.OPEN, posted_at=now)
    bad = [(wish, [("submit", "", "submitted", "", now, None), ("claim", "submitted", "claimed", "", now, None)])]
    with pytest.raises(ValueError):
        services.seed_past_wishes(bad, actor=SYSTEM)
    with pytest.raises(Forbidden):
        services.seed_past_wishes([], actor=people.admin)
    good = [(wish, [("submit", "", "submitted", "", now, None), ("approve", "submitted", "open", "", now, None)])]
    made = services.seed_past_wishes(good, actor=SYSTEM)
    assert made[0].pk and made[0].transitions.count() == 2 and made[0].history.count() == 1
