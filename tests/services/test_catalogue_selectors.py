"""What the catalogue shows: a sub-district serves the city-wide items and its own (and its areas'), never another
sub-district's; the public sees active items only; staff see their scope's items, inactive ones too."""

import pytest

from gongzhi.core.errors import BadParameter, NotFound
from gongzhi.registry.models import RegionKind
from gongzhi.services.models import ServiceLevel
from gongzhi.services.selectors import catalogue as selectors
from tests import factories
from tests.services import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(street):
    other = factories.region(RegionKind.SUBDISTRICT, street.district, name="别的街道")
    other_area = factories.region(RegionKind.RESIDENTIAL_AREA, other, name="别的居民区")
    return {
        "city": sf.item("医保账单打印", code="C1", keywords="医保 打印", remote=True),
        "retired": sf.item("老版社保卡换卡", code="C2", active=False),
        "street": sf.item("便民理发预约", code="S1", level=ServiceLevel.SUBDISTRICT, region=street.subdistrict,
                          bookable=True),
        "area_a": sf.item("梧桐睦邻点活动报名", code="A1", level=ServiceLevel.AREA, region=street.area_a),
        "area_b": sf.item("乙区助餐登记", code="B1", level=ServiceLevel.AREA, region=street.area_b,
                          for_office_workers=True),
        "other": sf.item("别的街道自设事项", code="X1", level=ServiceLevel.SUBDISTRICT, region=other),
        "other_area": sf.item("别的居民区事项", code="X2", level=ServiceLevel.AREA, region=other_area),
    }


def codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


def test_a_subdistrict_serves_city_wide_and_its_own_items_only(street, catalogue):
    assert codes(selectors.items_for(None, region=street.subdistrict)) == {"C1", "S1", "A1", "B1"}
    assert codes(selectors.items_for(None, region=street.area_a)) == {"C1", "S1", "A1"}  # not area B's
    assert codes(selectors.items_for(None, region=street.area_a.code)) == {"C1", "S1", "A1"}
    assert codes(selectors.items_for(None)) == {"C1"}  # the public without a region: city-wide only


def test_filters_search_name_keywords_and_code(street, catalogue):
    region = street.subdistrict
    assert codes(selectors.items_for(None, region=region, q="打印")) == {"C1"}
    assert codes(selectors.items_for(None, region=region, q="s1")) == {"S1"}
    assert codes(selectors.items_for(None, region=region, audience="office_workers")) == {"B1"}
    assert codes(selectors.items_for(None, region=region, bookable=True)) == {"S1"}
    assert codes(selectors.items_for(None, region=region, remote=True)) == {"C1"}
    assert codes(selectors.items_for(None, region=region, level=ServiceLevel.AREA)) == {"A1", "B1"}
    with pytest.raises(BadParameter):
        selectors.items_for(None, audience="martians")


def test_staff_see_their_scope_and_inactive_items(people, catalogue):
    assert codes(selectors.items_for(people.admin)) == {"C1", "C2", "S1", "A1", "B1"}
    assert codes(selectors.items_for(people.insider)) == {"C1", "C2", "S1", "A1"}
    assert codes(selectors.items_for(people.outsider)) == {"C1", "C2", "S1", "B1"}
    assert codes(selectors.items_for(people.admin, active=False)) == {"C2"}
    # a user without services.view is the public
    assert codes(selectors.items_for(people.colleague)) == {"C1"}


def test_get_item_is_not_found_out_of_scope_or_inactive_for_the_public(people, catalogue):
    assert selectors.get_item(people.insider, catalogue["area_a"].pk) == catalogue["area_a"]
    with pytest.raises(NotFound):
        selectors.get_item(people.insider, catalogue["area_b"].pk)
    with pytest.raises(NotFound):
        selectors.get_item(people.admin, catalogue["other"].pk)
    with pytest.raises(NotFound):
        selectors.get_item(None, catalogue["retired"].pk)
    assert selectors.get_item(people.admin, catalogue["retired"].pk) == catalogue["retired"]
    assert selectors.item_by_code(None, "S1") == catalogue["street"]


def test_the_booking_link_falls_back_to_the_appointments_path(catalogue):
    url = selectors.booking_url(catalogue["street"])
    assert url.endswith("?item=S1") and url.startswith("/services/h5/appointments/")
