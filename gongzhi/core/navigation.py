"""The main menu, grouped by module: each app's manifest declares its group (gongzhi.core.modules.NavGroup); an
entry is shown only to users with its capability, a group only when it has an entry left."""

from django.urls import NoReverseMatch, reverse

from gongzhi.core.modules import nav_groups, resolve, user_menu_entries


def menu_for(user) -> list[dict]:
    from gongzhi.accounts.scope import has_capability

    groups = []
    for group in nav_groups():
        items = []
        for entry in group.entries:
            if entry.capability and not has_capability(user, entry.capability):
                continue
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            badge = resolve(entry.badge)(user) if entry.badge else 0
            items.append({"label": entry.label, "url": url, "name": entry.url_name, "badge": badge})
        if items:
            groups.append({"label": group.label, "items": items})
    return groups


def user_menu_for(user) -> list[dict]:
    """The user menu (under the user's name): the entries every module's manifest offers there."""
    from gongzhi.accounts.scope import has_capability

    items = []
    for entry in user_menu_entries():
        if entry.capability and not has_capability(user, entry.capability):
            continue
        try:
            items.append({"label": entry.label, "url": reverse(entry.url_name), "name": entry.url_name})
        except NoReverseMatch:
            continue
    return items
