"""The workbench (home page): the cards every module's manifest declares (gongzhi.core.modules.Card), built for
one user. A card's function returns None when it has nothing for this user (not their role); the rest are shown."""

from gongzhi.core.modules import cards, resolve

DEFAULTS = {"count": None, "display": None, "url": "", "items": (), "links": (), "note": "", "tone": "normal"}


def cards_for(user) -> list[dict]:
    built = []
    for card in cards():
        data = resolve(card.build)(user)
        if data is not None:
            built.append(DEFAULTS | data | {"key": card.key, "id": "card-" + card.key.replace(".", "-"),
                                            "title": card.title})
    return built
