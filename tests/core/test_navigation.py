"""The main menu: grouped by module from the manifests, each entry filtered by its capability, an unread badge on
the inbox (and its group), the current page marked, and a user menu with password change and API tokens."""

import re

from django.urls import reverse
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Role
from gongzhi.core.navigation import menu_for
from tests import factories
from tests.conftest import login
from tests.core.workbench_world import notify


def labels(menu) -> dict[str, list[str]]:
    return {str(g["label"]): [str(i["label"]) for i in g["items"]] for g in menu}


def names(menu) -> set[str]:
    return {i["name"] for g in menu for i in g["items"]}


def test_groups_follow_the_manifests_in_order(people):
    menu = menu_for(people.admin)
    assert [str(g["label"]) for g in menu] == [_("Demands"), _("Insight"), _("Two-way matching"), _("Deliberation"),
                                                _("Funds"), _("Joint building"), _("Doorstep services"),
                                                _("Volunteering"), _("Organization life"), _("Registry"),
                                                _("System")]
    assert names(menu) >= {"demands:queue", "demands:extensions", "triage:queue", "matching:projects",
                           "excel:import", "audit", "volunteering:pairings_list", "volunteering:cohorts_list",
                           "volunteering:volunteers_list", "orglife:meeting_list", "orglife:meeting_requirements",
                           "orglife:records_members", "orglife:records_mobile", "orglife:coverage",
                           "orglife:coverage_instructor_list"}
    volunteering = next(g for g in menu if str(g["label"]) == _("Volunteering"))
    assert _("Activities") in [str(i["label"]) for i in volunteering["items"]]
    orglife = next(g for g in menu if str(g["label"]) == _("Organization life"))
    assert _("Award rounds") in [str(i["label"]) for i in orglife["items"]]  # orglife's awards part


def test_entries_are_filtered_by_capability(people, street):
    colleague = names(menu_for(people.colleague))  # grid leader
    assert {"demands:queue", "demands:overdue", "triage:queue", "registry:tree", "matching:resources"} <= colleague
    assert not colleague & {"demands:extensions", "excel:import", "audit", "demands:claim_board"}
    assert not colleague & {"orglife:meeting_list", "orglife:meeting_requirements"}
    # a grid leader posts micro-wishes (a policy, not a capability) without the staff's wish list
    assert "volunteering:wish_new" in colleague and "volunteering:wish_list" not in colleague
    assert "volunteering:wish_new" not in names(menu_for(people.insider))  # staff post from their list's button
    assert "orglife:meeting_list" in names(menu_for(people.insider))
    assert "orglife:meeting_requirements" not in names(menu_for(people.insider))
    member = factories.user("member", Role.PARTY_MEMBER, street.grid_a1)
    assert labels(menu_for(member)) == {
        _("Demands"): [_("Claim board"), _("My items"), _("Inbox"), _("My demands")],
        _("Deliberation"): [_("Topics"), _("Meetings"), _("Councils"), _("Deliberation rules"), _("Owners' committees"),
                            _("Votes"), _("Resident conventions"), _("Grid topics"), _("Micro-item claims board"),
                            _("My promises")],
        _("Volunteering"): [_("Micro-wish board")],
    }
    # a resident keeps the inbox and 我的诉求: a group with no entry left is not shown
    assert labels(menu_for(people.resident)) == {_("Demands"): [_("Inbox"), _("My demands")]}


def test_unread_badge_on_the_inbox_and_its_group(people):
    notify(people.colleague, 2, read=3)
    notify(people.insider, 5)  # someone else's
    demands = menu_for(people.colleague)[0]
    inbox = next(i for i in demands["items"] if i["name"] == "demands:inbox")
    assert inbox["badge"] == 2
    assert demands["badge"] == 2
    assert all(i["badge"] == 0 for i in demands["items"] if i is not inbox)


def test_current_page_marks_its_entry_and_group(people):
    menu = menu_for(people.admin, "/demands/overdue/")
    current = [(str(g["label"]), i["name"]) for g in menu for i in g["items"] if i["current"]]
    assert current == [(_("Demands"), "demands:overdue")]
    # a page under a list (a demand's own page) marks the list it belongs to
    menu = menu_for(people.admin, reverse("demands:detail", args=[12]))
    assert [i["name"] for g in menu for i in g["items"] if i["current"]] == ["demands:queue"]
    assert [g["current"] for g in menu] == [True] + [False] * 10


def test_header_has_groups_badge_and_user_menu(people, client):
    notify(people.colleague, 3)
    page = login(client, people.colleague).get(reverse("demands:queue")).content.decode()
    # demands (the current one), insight, matching, deliberation, volunteering (post a wish), registry; no system
    # group for a grid leader
    assert re.findall(r'<div class="navgroup( current)?">', page) == [" current", "", "", "", "", ""]
    assert f'href="{reverse("demands:inbox")}">{_("Inbox")} <span class="badge count"' in page
    assert 'class="nav-toggle-label" aria-hidden="true">☰<span class="badge count">3</span>' in page
    user_menu = page[page.index('class="usermenu"'):]
    assert reverse("password_change") in user_menu and reverse("api_tokens") in user_menu
    assert reverse("logout") in user_menu
    assert f'href="{reverse("volunteering:my")}"' in user_menu and _("My volunteering") in user_menu
    assert f'href="{reverse("orglife:records_me")}"' in user_menu and _("My yearly record") in user_menu


def test_my_pairings_is_in_the_menu_of_those_who_anchor_pairings(people, street, client):
    from gongzhi.core.navigation import user_menu_for

    member = factories.user("member", Role.PARTY_MEMBER, street.grid_a1)
    assert "volunteering:pairings_mine" in {i["name"] for i in user_menu_for(member)}
    assert "volunteering:pairings_mine" not in {i["name"] for i in user_menu_for(people.resident)}
    page = login(client, member).get(reverse("volunteering:pairings_mine"))
    assert page.status_code == 200 and _("My pairings") in page.content.decode()
