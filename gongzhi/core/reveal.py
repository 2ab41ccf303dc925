"""Revealing personal data, with a reason, on the record (issue 11, security 4).

Screens and exports mask personal data by default, also for users who may see it (gongzhi.core.masking). Such a
user reveals it for one object (its detail page) or for one export of a list: the page offers "Show full
information" (`{% reveal_button obj %}`, gongzhi.core.templatetags.reveal; the export button offers the export with
personal data), which asks for a reason. The reveal view (`core.views.reveal`) records a `Reveal` through
`gongzhi.core.services` (who, when, which object or list with its filters, which fields, why) and then shows the
object unmasked, or answers the export unmasked.

The form carries a signed token naming what the page showed (object or list and filters) and for whom: the page
that renders the button has already checked that the user may see the object, and the token proves it to the
reveal view without a scope check of its own. An object's page is opened unmasked with `?reveal=<id>` of a
`Reveal` of that object by that user made in the last `REVEAL_MINUTES`: a reload shows it again, another user's
link does not. An export is answered at once; each one is its own reveal.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

from django import forms
from django.apps import apps
from django.core import signing
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core.errors import BadParameter, NotFound
from gongzhi.core.models import Reveal

REVEAL_MINUTES = 15  # how long an object's page stays unmasked after a reveal (reloads included)
TOKEN_MAX_AGE = 12 * 3600  # a page left open for a working day can still reveal
SALT = "gongzhi.core.reveal"
PARAM = "reveal"
MAX_REASON = 200


class RevealForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=MAX_REASON,
                             help_text=gettext_lazy("Why you need the full personal data. It is recorded in the "
                                                    "audit trail."))
    token = forms.CharField(widget=forms.HiddenInput)


# --- the signed token of a reveal form ------------------------------------------------------------------------


def without_reveal(full_path: str) -> str:
    """The page's path and query without a ``reveal`` parameter."""
    parts = urlsplit(full_path)
    query = QueryDict(parts.query, mutable=True)
    query.pop(PARAM, None)
    return urlunsplit(("", "", parts.path, query.urlencode(), ""))


def object_token(user, obj, next_url: str) -> str:
    return signing.dumps({"u": user.pk, "m": obj._meta.label, "pk": str(obj.pk), "next": without_reveal(next_url)},
                         salt=SALT)


def export_token(user, kind: str, params: QueryDict) -> str:
    query = params.copy()
    for name in ("page", PARAM):
        query.pop(name, None)
    return signing.dumps({"u": user.pk, "x": kind, "q": query.urlencode()}, salt=SALT)


def read_token(user, token: str) -> dict:
    """What a reveal form was rendered for, or BadParameter (forged, expired, or another user's)."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise BadParameter("token", _("This page is out of date: open it again.")) from None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        raise BadParameter("token", _("This page is out of date: open it again."))
    return data


def token_object(data: dict):
    try:
        model = apps.get_model(data["m"])
        return model._default_manager.get(pk=data["pk"])
    except Exception:  # a model or object since removed
        raise NotFound(_("Not found.")) from None


def next_url(data: dict, reveal: Reveal) -> str:
    """The page of the revealed object, opened with the reveal."""
    url = data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None) or not url.startswith("/"):
        url = "/"
    parts = urlsplit(url)
    query = f"{parts.query}&" if parts.query else ""
    return urlunsplit(("", "", parts.path, query + urlencode({PARAM: reveal.pk}), ""))


# --- reading ----------------------------------------------------------------------------------------------------


def granted(user, obj, reveal_id) -> Reveal | None:
    """The user's own, recent reveal `reveal_id` of `obj`, if it is one."""
    if not reveal_id or not str(reveal_id).isdigit() or len(str(reveal_id)) > 18 or obj is None:
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    since = timezone.now() - timedelta(minutes=REVEAL_MINUTES)
    return Reveal.objects.filter(pk=int(reveal_id), user=user, kind=Reveal.Kind.OBJECT, model=obj._meta.label,
                                 object_id=str(obj.pk), created_at__gte=since).first()


def revealed(request, obj) -> bool:
    """Whether the page of `obj` is opened with a reveal that covers it (the `revealed` of the masking policy)."""
    return granted(request.user, obj, request.GET.get(PARAM)) is not None
