"""``{% export_button kind_or_model %}``: the "Export to Excel" button beside a list, carrying the list's current
filters (so put it in the part of the page that htmx re-renders); shown only to users who may export the list.
The export masks personal data (gongzhi.core.masking); a user who may see it also gets "Export with full personal
data", which asks for a reason and records the reveal (gongzhi.core.reveal)."""

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from gongzhi.core import reveal
from gongzhi.core.excel.spec import specs
from gongzhi.core.masking import may_see_personal_data

register = template.Library()


@register.simple_tag(takes_context=True)
def export_button(context, kind_or_model):
    request = context["request"]
    # a model reaches the tag as an instance: the template engine calls callables, classes included
    target = kind_or_model._meta.model if hasattr(kind_or_model, "_meta") else kind_or_model
    spec = next((s for k, s in specs().items() if target in (k, s.model)), None)
    if spec is None or not spec.may_export(request.user):
        return ""
    params = request.GET.copy()
    params.pop("page", None)
    url = reverse("excel:export", args=[spec.kind]) + (f"?{params.urlencode()}" if params else "")
    full = ""
    if any(spec.personal(c) for c in spec.columns) and may_see_personal_data(request.user):
        full = render_to_string("core/_reveal_export.html", {
            "token": reveal.export_token(request.user, spec.kind, request.GET), "max_reason": reveal.MAX_REASON,
            "csrf_token": get_token(request)})
    return format_html('<div class="toolbar list-export"><a class="btn secondary" href="{}" download>{}</a>{}</div>',
                       url, _("Export to Excel"), full)
