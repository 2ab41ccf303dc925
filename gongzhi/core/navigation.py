"""The main menu. Apps register their entries here; each is shown only to users with the capability."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    capability: str | None


MENU: list[MenuEntry] = [
    MenuEntry(_("Home"), "home", None),
    MenuEntry(_("Region tree"), "registry:tree", Capability.VIEW_REGISTRY),
    MenuEntry(_("Party organizations"), "registry:partyorg_list", Capability.VIEW_REGISTRY),
    MenuEntry(_("Party members"), "registry:partymember_list", Capability.VIEW_REGISTRY),
    MenuEntry(_("Member units"), "registry:memberunit_list", Capability.VIEW_REGISTRY),
    MenuEntry(_("Buildings"), "registry:building_list", Capability.VIEW_REGISTRY),
    MenuEntry(_("Teams and places"), "registry:more", Capability.VIEW_REGISTRY),
    MenuEntry(_("Excel import"), "registry:import", Capability.IMPORT_REGISTRY),
    MenuEntry(_("Audit trail"), "audit", Capability.VIEW_AUDIT),
]


# The user menu (under the user's name): one's own account, and what an app offers about accounts.
USER_MENU: list[MenuEntry] = []


def register(entry: MenuEntry, before: str | None = None, menu: list[MenuEntry] = MENU) -> None:
    if any(e.url_name == entry.url_name for e in menu):
        return
    if before:
        for i, e in enumerate(menu):
            if e.url_name == before:
                menu.insert(i, entry)
                return
    menu.append(entry)


def menu_for(user, menu: list[MenuEntry] = MENU) -> list[dict]:
    from django.urls import NoReverseMatch

    from gongzhi.accounts.scope import has_capability

    items = []
    for entry in menu:
        if entry.capability and not has_capability(user, entry.capability):
            continue
        try:
            items.append({"label": entry.label, "url": reverse(entry.url_name), "name": entry.url_name})
        except NoReverseMatch:
            continue
    return items
