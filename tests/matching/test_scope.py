"""What matching pages reveal beyond their own object: suggestions and form choices stay inside the user's scope
(the marker test, tests/test_authz_markers.py, checks every page; these are the cases it found)."""

from django.urls import reverse

from gongzhi.matching.forms import ResourceForm
from tests.conftest import login


def test_suggested_needs_are_only_those_the_user_sees(world, people, client):
    # The hospital's resource serves the whole sub-district: the engine suggests area B's need for it too.
    html = login(client, people.insider).get(reverse("matching:suggestions"), {"mode": "resources"}).content.decode()
    assert "老人健康义诊" in html  # area A's own need
    assert "石库门义诊" not in html and reverse("matching:need_detail", args=[world.need_b.pk]) not in html
    html = login(client, people.outsider).get(reverse("matching:suggestions"), {"mode": "resources"}).content.decode()
    assert "石库门义诊" in html and "老人健康义诊" not in html


def test_the_resource_form_offers_the_regions_the_user_sees_and_those_above(street, people):
    offered = set(ResourceForm(user=people.insider).fields["regions"].queryset)
    assert {street.subdistrict, street.area_a, street.grid_a1, street.grid_a2} <= offered
    assert not offered & {street.area_b, street.grid_b1, street.district}
    assert street.grid_b1 in set(ResourceForm(user=people.admin).fields["regions"].queryset)
