"""`{% load matching_labels %}`: `{{ suggestion|reasons }}` renders a suggestion's reasons in the active language."""

from django import template

from gongzhi.matching import labels

register = template.Library()


@register.filter
def reasons(suggestion) -> str:
    return labels.explain_text(suggestion) if suggestion else ""
