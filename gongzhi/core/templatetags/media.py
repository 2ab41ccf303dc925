from django import template

from gongzhi.core.media import signed_url as _signed_url

register = template.Library()

PAGE_LINK_MAX_AGE = 3600  # a public page's photo links outlive the visit, not much longer


@register.filter
def signed_url(file, max_age=PAGE_LINK_MAX_AGE):
    """A signed, expiring link to an upload for pages seen without an account (gongzhi.core.media)."""
    return _signed_url(file, int(max_age)) if file else ""
