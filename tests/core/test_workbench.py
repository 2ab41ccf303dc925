"""The workbench (home page): each module's cards give each persona the numbers of their own scope.
Area A holds work for its people; area B holds the same kinds of work, which no area-A card may count."""

import pytest
from django.urls import reverse

from gongzhi.core.workbench import cards_for
from gongzhi.demands import selectors
from tests.conftest import login
from tests.core import workbench_world


@pytest.fixture
def work(db):
    return workbench_world.build()


def by_key(user) -> dict:
    return {c["key"]: c for c in cards_for(user)}


def urls(card) -> list[str]:
    return [i["url"] for i in card["items"]]


def test_grid_leader_cards(work):
    cards = by_key(work.people.colleague)
    assert cards["demands.assigned"]["count"] == 1
    assert urls(cards["demands.assigned"]) == [reverse("demands:detail", args=[work.assigned.pk])]
    assert cards["demands.overdue"]["count"] == 1
    assert cards["demands.overdue"]["tone"] == "urgent"
    assert urls(cards["demands.overdue"]) == [reverse("demands:detail", args=[work.overdue.pk])]
    assert cards["demands.reopened"]["count"] == 1
    assert cards["demands.new"]["count"] == 1  # the board item; area B's new one is not his
    assert cards["demands.new"]["links"][0]["text"].endswith("1")  # this week
    assert cards["demands.performance"]["display"] == "50%"  # one of the two resolved in 90 days was late
    assert "3.5" in cards["demands.performance"]["note"]
    assert cards["registry.counts"]["tone"] == "quiet"
    # not his: approvals, the party member's cards, a unit's claims, community confirmations, a resident's list
    for key in ("demands.extensions", "demands.claims", "demands.board", "matching.claims", "matching.confirm",
                "demands.mine"):
        assert key not in cards


def test_area_secretary_sees_area_a_only(work):
    cards = by_key(work.people.insider)
    assert cards["demands.assigned"]["count"] == 2  # the overdue one and the resident's
    assert cards["demands.overdue"]["count"] == 1
    assert cards["demands.reopened"]["count"] == 1
    assert urls(cards["demands.reopened"]) == [reverse("demands:detail", args=[work.reopened.pk])]
    assert cards["demands.new"]["count"] == 1
    assert cards["matching.confirm"]["count"] == 1
    assert urls(cards["matching.confirm"]) == [reverse("matching:project_detail", args=[work.provider_claim.pk])]


def test_area_b_secretary_counts_area_b_only(work):
    cards = by_key(work.people.outsider)
    assert cards["demands.overdue"]["count"] == 1
    assert urls(cards["demands.overdue"]) == [reverse("demands:detail", args=[work.outside["overdue"].pk])]
    assert cards["demands.reopened"]["count"] == 1
    assert cards["matching.confirm"]["count"] == 1
    assert urls(cards["matching.confirm"]) == [
        reverse("matching:project_detail", args=[work.outside["provider_claim"].pk])]
    assert cards["demands.performance"]["display"] == "0%"


def test_subdistrict_admin_sees_the_whole_street(work):
    cards = by_key(work.people.admin)
    assert cards["demands.overdue"]["count"] == 2
    assert cards["demands.reopened"]["count"] == 2
    assert cards["demands.new"]["count"] == 2
    assert cards["demands.extensions"]["count"] == 2
    assert urls(cards["demands.extensions"])[0] == reverse("demands:detail", args=[work.assigned.pk])
    assert cards["matching.confirm"]["count"] == 2
    perf = selectors.performance(work.people.admin)
    assert (perf["resolved"], perf["on_time"], perf["reviews"], perf["satisfaction"]) == (3, 1, 3, 2.7)
    assert cards["demands.performance"]["display"] == "33%"
    assert "demands.assigned" in cards and cards["demands.assigned"]["count"] == 0


def test_party_member_sees_claims_and_board(work):
    cards = by_key(work.member)
    assert cards["demands.claims"]["count"] == 1
    assert urls(cards["demands.claims"]) == [reverse("demands:detail", args=[work.claimed.pk])]
    assert cards["demands.board"]["count"] == 1  # grid A1's new item, not area B's
    assert urls(cards["demands.board"]) == [f"{reverse('demands:claim_board')}#board-{work.board.pk}"]
    assert set(cards) == {"demands.claims", "demands.board"}


def test_unit_liaison_sees_claims_on_the_units_resources(work):
    cards = by_key(work.liaison)
    assert cards["matching.claims"]["count"] == 1  # not the claim on unit B's resource
    assert urls(cards["matching.claims"]) == [reverse("matching:project_detail", args=[work.community_claim.pk])]
    assert "matching.confirm" not in cards


def test_resident_sees_only_their_own_demands(work, client):
    cards = by_key(work.people.resident)
    assert set(cards) == {"demands.mine"}
    assert cards["demands.mine"]["count"] == 1
    own = reverse("demands:track_status", args=[work.own.tracking_code])
    assert urls(cards["demands.mine"]) == [own]
    login(client, work.people.resident)
    page = client.get(reverse("home")).content.decode()
    assert work.own.title in page and work.outside["submitted_by_other"].title not in page
    assert "no registry scope" not in page
    # their account opens the public status page without the phone digits; another's demand still asks for them
    assert client.get(own).status_code == 200
    other = client.get(reverse("demands:track_status", args=[work.outside["submitted_by_other"].tracking_code]))
    assert other.status_code == 302 and other.url.startswith(reverse("demands:track"))
    mine = client.get(reverse("demands:mine")).content.decode()
    assert work.own.tracking_code in mine and work.outside["submitted_by_other"].tracking_code not in mine


def test_resident_without_demands_gets_links_not_no_scope(db, client):
    from tests import factories

    s = factories.street()
    resident = factories.personas(s).resident
    card = by_key(resident)["demands.mine"]
    assert card["count"] == 0
    assert {link["url"] for link in card["links"]} == {reverse("demands:submit"), reverse("demands:track"),
                                                       reverse("demands:verify_phone")}  # phone not confirmed
    page = login(client, resident).get(reverse("home")).content.decode()
    assert reverse("demands:submit") in page and "no registry scope" not in page


def test_user_without_any_card_gets_a_helpful_sentence(db, client):
    from tests import factories

    staff = factories.user("norole_staff")  # an account with no role yet
    assert by_key(staff).keys() == {"demands.mine"}  # (treated as a resident)
    viewer = factories.user("viewer", "district_viewer", factories.street().district)
    page = login(client, viewer).get(reverse("home")).content.decode()
    assert 'id="card-demands-overdue"' in page  # a role with work sees its cards, never "no scope"


def test_cards_link_to_filtered_lists_that_show_the_same_numbers(work, client):
    login(client, work.people.insider)
    cards = by_key(work.people.insider)
    for key in ("demands.assigned", "demands.reopened", "demands.new", "demands.performance"):
        response = client.get(cards[key]["url"])
        assert response.status_code == 200, key
        assert response.context["page"].paginator.count == (
            cards[key]["count"] if key != "demands.performance" else 2), key
    page = client.get(cards["matching.confirm"]["url"])
    assert [p.pk for p in page.context["page"].object_list] == [work.provider_claim.pk]
    liaison_page = login(client, work.liaison).get(by_key(work.liaison)["matching.claims"]["url"])
    assert [p.pk for p in liaison_page.context["page"].object_list] == [work.community_claim.pk]


def test_home_renders_each_card_with_its_number(work, client):
    page = login(client, work.people.admin).get(reverse("home")).content.decode()
    assert 'id="card-demands-overdue"' in page
    assert work.outside["overdue"].title in page and work.overdue.title in page
    assert reverse("demands:overdue") in page
