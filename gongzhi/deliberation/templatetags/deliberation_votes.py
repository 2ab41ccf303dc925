"""Template helpers of the votes part: `{% vote_defaults as d %}` gives the default thresholds as shown ("50%")."""

from django import template

from gongzhi.deliberation.models import DEFAULT_APPROVAL, DEFAULT_PARTICIPATION

register = template.Library()


@register.simple_tag
def vote_defaults() -> dict:
    return {"participation": f"{DEFAULT_PARTICIPATION}%", "approval": f"{DEFAULT_APPROVAL}%"}
