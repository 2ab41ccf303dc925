"""Floor endpoints for bench/intake.py (never part of the shipped app): the bench serves them with
DJANGO_SETTINGS_MODULE=bench.floor_settings, i.e. the app's settings with a URLconf that adds, under /bench/:

* POST /bench/noop    the intake's JSON schema parsed by django-ninja with the same bearer-token auth; no query;
* POST /bench/insert  the same, plus one ORM INSERT of a small row (an inbox notification) in a transaction.

They show what the framework alone costs on a write: the ratio of /bench/insert to /healthz is the best any intake
that writes with the ORM could reach on this machine.
"""

from django.db import transaction
from django.urls import include, path
from ninja import NinjaAPI

from gongzhi.api import BearerToken
from gongzhi.demands.api import SubmitIn
from gongzhi.demands.models import Notification

api = NinjaAPI(urls_namespace="bench-floor", docs_url=None)


@api.post("/noop", auth=BearerToken())
def noop(request, payload: SubmitIn):
    return {"ok": True, "title": payload.title}


@api.post("/insert", auth=BearerToken())
def insert(request, payload: SubmitIn):
    with transaction.atomic():
        row = Notification.objects.create(user=request.auth, text=payload.title[:300])
    return {"ok": True, "id": row.pk}


urlpatterns = [path("bench/", api.urls), path("", include("gongzhi.urls"))]
