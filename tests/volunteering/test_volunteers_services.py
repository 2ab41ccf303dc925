"""Registering volunteers: only with consent, a valid mobile, links inside the manager's scope; editing,
deactivating; the self-service Volunteer of a user's first sign-up; the party work links."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gongzhi.core.errors import Forbidden, NotFound, NothingChanged, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.volunteering.models import HoursKind, Volunteer
from gongzhi.volunteering.selectors import volunteers as selectors
from gongzhi.volunteering.services import volunteers as services
from tests import factories
from tests.volunteering import factories as f

PHONE = "13812345678"


def register(people, street, **kw):
    kw.setdefault("name", "陈志愿")
    kw.setdefault("consent", True)
    return services.register_volunteer(kw.pop("region", street.area_a), actor=kw.pop("actor", people.insider), **kw)


def test_a_volunteer_is_registered_with_consent_teams_and_links(people, street):
    team = f.team(street.area_a, "梧桐党员志愿服务队")
    v = register(people, street, phone="138 1234 5678", party_member=street.member_a, teams=[team],
                 skills="理发、法律咨询", availability="周四下午")
    assert (v.phone, v.party_member, list(v.teams.all()), v.active) == (PHONE, street.member_a, [team], True)
    assert v.consented_at is not None and v.history.first().history_user == people.insider
    assert selectors.split_skills(v.skills) == ["理发", "法律咨询"]


def test_without_consent_nothing_is_stored(people, street):
    with pytest.raises(ValidationFailed) as e:
        register(people, street, consent=False)
    assert "consent" in e.value.field_errors and not Volunteer.objects.exists()


@pytest.mark.parametrize("phone", ["1381234567", "23812345678", "138123456789", "abc", "12812345678"])
def test_a_phone_must_be_a_mobile(people, street, phone):
    with pytest.raises(ValidationFailed) as e:
        register(people, street, phone=phone)
    assert "phone" in e.value.field_errors and not Volunteer.objects.exists()


def test_links_and_regions_must_lie_in_the_managers_scope(people, street):
    with pytest.raises(ValidationFailed) as e:
        register(people, street, party_member=street.member_b)
    assert "party_member" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        register(people, street, member_unit=street.unit_b)
    assert "member_unit" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        register(people, street, region=street.area_b)
    assert "region" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        register(people, street, teams=[f.team(street.area_b)])
    assert "teams" in e.value.field_errors
    with pytest.raises(Forbidden):
        register(people, street, actor=people.colleague)
    assert not Volunteer.objects.exists()
    # the sub-district administrator manages both areas
    assert register(people, street, actor=people.admin, region=street.area_b, party_member=street.member_b)


def test_a_party_member_is_one_volunteer(people, street):
    register(people, street, party_member=street.member_a)
    with pytest.raises(ValidationFailed) as e:
        register(people, street, name="又一个", party_member=street.member_a)
    assert "party_member" in e.value.field_errors


def test_edit_and_deactivate_in_scope_only(people, street):
    v = register(people, street)
    services.update_volunteer(v, actor=people.insider, name="陈志愿者", phone=PHONE, skills="摄影")
    v.refresh_from_db()
    assert (v.name, v.phone, v.skills) == ("陈志愿者", PHONE, "摄影")
    with pytest.raises(NothingChanged):
        services.update_volunteer(v, actor=people.insider, name="陈志愿者")
    with pytest.raises(ValidationFailed):
        services.update_volunteer(v, actor=people.insider, phone="12345")
    with pytest.raises(NotFound):
        services.update_volunteer(v, actor=people.outsider, name="越界")
    with pytest.raises(NotFound):
        services.deactivate_volunteer(v, actor=people.outsider)
    services.deactivate_volunteer(v, actor=people.insider)
    v.refresh_from_db()
    assert not v.active and v.name == "陈志愿者"
    with pytest.raises(NothingChanged):
        services.deactivate_volunteer(v, actor=people.insider)


def test_a_unit_liaison_sees_their_units_staff_volunteers(people, street):
    from gongzhi.accounts.roles import Role

    liaison = factories.user("liaison", Role.UNIT_LIAISON, unit=street.unit_a)
    staff = register(people, street, member_unit=street.unit_a)
    other = register(people, street, name="别人")
    assert list(selectors.volunteers_for(liaison)) == [staff]
    assert selectors.volunteer(liaison, staff.pk) == staff
    with pytest.raises(NotFound):
        selectors.volunteer(liaison, other.pk)
    with pytest.raises(Forbidden):  # they see them, but do not manage volunteers
        services.update_volunteer(staff.pk, actor=liaison, name="改名")


# --- self-service ------------------------------------------------------------------------------------------------

def test_a_first_sign_up_makes_a_volunteer_only_with_consent(people, street):
    resident = people.resident
    resident.phone = PHONE
    resident.save()
    with pytest.raises(ValidationFailed) as e:
        services.get_or_create_volunteer_for(resident, actor=resident, consent=False)
    assert list(e.value.field_errors) == ["consent"] and not Volunteer.objects.exists()
    v = services.get_or_create_volunteer_for(resident, actor=resident, consent=True)
    assert (v.user, v.region, v.name, v.phone) == (resident, street.grid_a1, "居民", PHONE)
    assert v.consented_at is not None
    # the second time it is found, consent or not
    assert services.get_or_create_volunteer_for(resident, actor=resident, consent=False) == v
    assert Volunteer.objects.count() == 1


def test_a_party_members_volunteer_is_found_and_linked_to_the_account(people, street):
    from gongzhi.accounts.roles import Role

    user = factories.user("m1", Role.PARTY_MEMBER, street.grid_a1, display_name="张梧桐")
    street.member_a.user = user
    street.member_a.save()
    staff_made = register(people, street, party_member=street.member_a)
    found = services.get_or_create_volunteer_for(user, actor=user, consent=False)
    assert found == staff_made and found.user == user
    assert selectors.volunteer_of_member(street.member_a) == found


def test_a_member_without_a_volunteer_gets_one_in_their_grid(street):
    user = factories.user("m2", display_name="")
    street.member_a.user, street.member_a.grid = user, street.grid_a1
    street.member_a.save()
    v = services.get_or_create_volunteer_for(user, actor=user, consent=True)
    assert (v.party_member, v.region, v.name) == (street.member_a, street.grid_a1, "张梧桐")


def test_someone_else_cannot_make_a_users_volunteer(people, street):
    with pytest.raises(Forbidden):
        services.get_or_create_volunteer_for(people.resident, actor=people.outsider, consent=True)
    assert services.get_or_create_volunteer_for(people.resident, actor=SYSTEM, consent=True).user == people.resident


def test_an_account_of_no_community_gets_a_field_error(db):
    user = factories.user("nobody")
    with pytest.raises(ValidationFailed) as e:
        services.get_or_create_volunteer_for(user, actor=user, consent=True)
    assert "region" in e.value.field_errors


# --- party work links ----------------------------------------------------------------------------------------------

def test_hours_of_a_member_by_year(people, street):
    v = register(people, street, party_member=street.member_a)
    today = timezone.localdate()
    last_year = today.replace(year=today.year - 1, day=1)
    services.credit_hours(v, actor=SYSTEM, hours="3", served_on=last_year, organiser="队")
    services.credit_hours(v, actor=SYSTEM, hours="2.5", served_on=today - timedelta(days=0), organiser="队")
    services.correct_hours(v, actor=people.insider, hours="-0.5", served_on=today, note="多记了半小时")
    assert selectors.hours_of_member(street.member_a) == Decimal("5.00")
    assert selectors.hours_of_member(street.member_a, year=today.year) == Decimal("2.00")
    assert selectors.hours_of_member(street.member_a, year=last_year.year) == Decimal("3.00")
    assert selectors.hours_of_member(street.member_b) == Decimal("0.00")
    assert selectors.volunteer_of_member(street.member_b) is None
    assert v.hours.filter(kind=HoursKind.CORRECTION).get().recorded_by == people.insider
