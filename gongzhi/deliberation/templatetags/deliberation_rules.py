"""`{% deliberation_rules area %}`: the deliberation rules (议事八则) in force in a residential area, shown on every
topic and meeting page. The councils part owns the rules (gongzhi.deliberation.selectors.councils)."""

from django import template

register = template.Library()


@register.inclusion_tag("deliberation/councils/_rules.html")
def deliberation_rules(area):
    from gongzhi.deliberation.selectors import councils

    current = getattr(councils, "rules_in_force", None)
    return {"rules": current(area) if current and area is not None else None}
