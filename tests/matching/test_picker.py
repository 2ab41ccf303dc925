"""The searchable picker (issue 11, item 4): the claim form's need list and a need's linked demands are chosen
by searching the server (htmx) within the user's scope, each option showing its code, place and dates, instead of
long <select>s of look-alike titles."""

from datetime import date

from django.urls import reverse

from gongzhi.demands.services import submit_demand
from gongzhi.matching.forms import ClaimResourceForm, NeedForm
from gongzhi.matching.models import Need
from tests.conftest import login

HTMX = {"HTTP_HX_REQUEST": "true"}


def _twin(world, street):
    """A second need with the same title as need A: only its code, place and dates tell them apart."""
    return Need.objects.create(
        code="N-A2", campaign=world.campaign, title="老人健康义诊", description="二网格", category="health",
        place=street.grid_a2, beneficiaries=10, quantity=1, unit="sessions", starts_on=date(2026, 7, 1),
        ends_on=date(2026, 7, 31))


def test_the_claim_form_offers_needs_through_a_searchable_picker(world, people, street, client):
    twin = _twin(world, street)
    html = str(ClaimResourceForm(user=people.insider)["need"])
    assert "<select" not in html and 'type="search"' in html
    assert f'hx-get="{reverse("matching:picker", args=["needs"])}"' in html
    # each option tells the twins apart by code, place and dates
    assert "N-A · 老人健康义诊 · 梧桐一网格 · 2026-05-01–2026-06-30" in html
    assert "N-A2 · 老人健康义诊 · 梧桐二网格 · 2026-07-01–2026-07-31" in html
    # the search answers within the user's claimable needs
    url = reverse("matching:picker", args=["needs"])
    html = login(client, people.insider).get(url, {"field": "need", "q": "N-A2"}, **HTMX).content.decode()
    assert f'value="{twin.pk}"' in html and f'value="{world.need_a.pk}"' not in html and 'type="radio"' in html
    html = login(client, people.outsider).get(url, {"field": "need", "q": "N-A"}, **HTMX).content.decode()
    assert f'value="{world.need_a.pk}"' not in html and f'value="{twin.pk}"' not in html
    # and the claim still goes through with the picked need
    assert ClaimResourceForm({"need": twin.pk}, user=people.insider).is_valid()
    assert not ClaimResourceForm({"need": world.need_b.pk}, user=people.insider).is_valid()


def test_linking_demands_to_a_need_searches_every_demand_in_scope(world, people, street, client):
    mine, _ = submit_demand(title="老人看病难", description="希望有义诊", channel="web",
                            building=street.building_a1, submitter_phone="13912345678")
    theirs, _ = submit_demand(title="老人看病难", description="石库门也要义诊", channel="web",
                              building=street.building_b1, submitter_phone="13912345679")
    form = NeedForm(instance=world.need_a, user=people.insider)
    html = str(form["demands"])
    assert "<select" not in html and 'type="checkbox"' in html and 'type="search"' in html
    url = reverse("matching:picker", args=["demands"])
    login(client, people.insider)
    html = client.get(url, {"field": "demands", "multiple": "1", "q": mine.tracking_code}, **HTMX).content.decode()
    assert f'value="{mine.pk}"' in html and "梧桐1号楼" in html and mine.tracking_code in html
    html = client.get(url, {"field": "demands", "multiple": "1", "q": "看病"}, **HTMX).content.decode()
    assert f'value="{theirs.pk}"' not in html  # area B's demand is out of the secretary's scope
    # a chosen demand stays (checked) whatever the search
    html = client.get(url, {"field": "demands", "multiple": "1", "q": "nothing-like-this",
                            "demands": [mine.pk]}, **HTMX).content.decode()
    assert f'value="{mine.pk}" checked' in html
    # the form accepts any demand in scope (not only the 300 newest), and refuses others
    data = {"campaign": world.campaign.pk, "code": "N-A", "title": "老人健康义诊", "category": "health",
            "source": "hot_issue", "place": street.grid_a1.pk, "beneficiaries": 40, "quantity": 4,
            "unit": "sessions", "starts_on": "2026-05-01", "ends_on": "2026-06-30", "urgency": 4}
    assert NeedForm({**data, "demands": [mine.pk]}, instance=world.need_a, user=people.insider).is_valid()
    assert not NeedForm({**data, "demands": [theirs.pk]}, instance=world.need_a, user=people.insider).is_valid()
