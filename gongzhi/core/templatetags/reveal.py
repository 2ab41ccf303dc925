"""``{% reveal_button obj %}``: the "Show full information" action of a detail page whose personal data is masked
for a user who may reveal it (with a reason, recorded: gongzhi.core.reveal); once revealed, a note saying so with a
link to mask it again. Nothing for users who may not see the data, for the object's own side (``own=True``: they
see it anyway) and for objects whose personal fields are blank."""

from django import template

from gongzhi.core import reveal
from gongzhi.core.masking import may_see_personal_data, personal_fields

register = template.Library()


@register.inclusion_tag("core/_reveal.html", takes_context=True)
def reveal_button(context, obj, own=False):
    request = context["request"]
    user = request.user
    if own or obj is None or not any(getattr(obj, f, "") for f in personal_fields(obj)):
        return {}
    if not may_see_personal_data(user, obj):
        return {}
    grant = reveal.granted(user, obj, request.GET.get(reveal.PARAM))
    if grant is not None:
        return {"grant": grant, "hide_url": reveal.without_reveal(request.get_full_path())}
    return {"token": reveal.object_token(user, obj, request.get_full_path()), "max_reason": reveal.MAX_REASON,
            "request": request, "csrf_token": context.get("csrf_token")}
