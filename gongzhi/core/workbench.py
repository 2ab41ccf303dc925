"""The workbench (home page): the cards every module's manifest declares (gongzhi.core.modules.Card), built for
one user. A card's function returns None when it has nothing for this user (not their role); the rest are shown."""

from collections.abc import Callable

from gongzhi.core.modules import cards, resolve

DEFAULTS = {"count": None, "display": None, "url": "", "items": (), "links": (), "note": "", "tone": "normal"}
CARD_ITEMS = 5


def card(qs, url: str, item: Callable[[object], dict], *, urgent: bool = False) -> dict:
    """A card counting the rows of `qs` (scoped by the caller), with the first CARD_ITEMS of them as items
    (`item(row)` → ``{"text", "url"}``); urgent when `urgent` and anything is waiting."""
    count = qs.count()
    return {"count": count, "url": url, "items": [item(row) for row in qs[:CARD_ITEMS]] if count else [],
            "tone": "urgent" if urgent and count else "normal"}


def cards_for(user) -> list[dict]:
    built = []
    for card in cards():
        data = resolve(card.build)(user)
        if data is not None:
            built.append(DEFAULTS | data | {"key": card.key, "id": "card-" + card.key.replace(".", "-"),
                                            "title": card.title})
    return built
