"""`{% raise_topic_link row node %}`: the "raise as topic" button of a hot issue's row (gongzhi.triage's hot issues
page), opening the new-topic form prefilled with the issue's title, demands and place; shown only to those who
may raise topics (deliberation.manage)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gongzhi.deliberation.policies.topics import can_create_topic

register = template.Library()


@register.simple_tag(takes_context=True)
def raise_topic_link(context, row, node):
    request = context.get("request")
    if request is None or not can_create_topic(request.user):
        return ""
    params = {"source": "hot_issue", "title": row.title[:120], "demands": ",".join(str(d.pk) for d in row.demands),
              "description": f"{row.place or ''} {row.title}".strip()[:500]}
    if node is not None:
        params["area"] = node.pk
    return format_html('<a class="badge red raise-topic" href="{}?{}">{}</a>', reverse("deliberation:topic_create"),
                       urlencode(params), _("Raise as a topic"))
