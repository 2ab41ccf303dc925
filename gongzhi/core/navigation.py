"""The main menu, grouped by module: each app's manifest declares its group (gongzhi.core.modules.NavGroup); an
entry is shown only to users with its capability (and whom its `when` policy admits), a group only when it has an
entry left. A group carries the sum of its entries' badges (e.g. unread messages), and the entry of the current
page (the longest URL that the path starts with) is marked, with its group."""

from django.urls import NoReverseMatch, reverse

from gongzhi.core.modules import nav_groups, resolve, user_menu_entries


def _shown(user, entry) -> bool:
    from gongzhi.accounts.scope import has_capability

    if entry.capability and not has_capability(user, entry.capability):
        return False
    return entry.when is None or bool(resolve(entry.when)(user))


def menu_for(user, path: str | None = None) -> list[dict]:
    groups = []
    for group in nav_groups():
        items = []
        for entry in group.entries:
            if not _shown(user, entry):
                continue
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            badge = resolve(entry.badge)(user) if entry.badge else 0
            items.append({"label": entry.label, "url": url, "name": entry.url_name, "badge": badge, "current": False})
        if items:
            groups.append({"label": group.label, "items": items, "badge": sum(i["badge"] for i in items),
                           "current": False})
    if path and path != "/":
        matches = [(len(i["url"]), i, g) for g in groups for i in g["items"] if path.startswith(i["url"])]
        if matches:
            _, item, group = max(matches, key=lambda m: m[0])
            item["current"] = group["current"] = True
    return groups


def user_menu_for(user) -> list[dict]:
    """The user menu (under the user's name): the entries every module's manifest offers there."""
    items = []
    for entry in user_menu_entries():
        if not _shown(user, entry):
            continue
        try:
            items.append({"label": entry.label, "url": reverse(entry.url_name), "name": entry.url_name})
        except NoReverseMatch:
            continue
    return items
