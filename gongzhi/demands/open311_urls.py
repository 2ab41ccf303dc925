"""Open311 GeoReport v2 endpoints (see gongzhi.demands.open311), each in JSON and XML; any other path or format
under /open311/v2/ answers with an Open311 error document."""

from django.urls import re_path

from gongzhi.demands import open311

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^services" + FMT, open311.service_list, name="services"),
    re_path(r"^services/(?P<code>[\w-]+)" + FMT, open311.service_definition, name="service_definition"),
    re_path(r"^requests" + FMT, open311.requests_view, name="requests"),
    re_path(r"^requests/(?P<request_id>[\w-]+)" + FMT, open311.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[\w-]+)" + FMT, open311.token_detail, name="token"),
    re_path(r"^servicerequestupdates" + FMT, open311.updates_view, name="updates"),
    re_path(r"^(?P<path>.*)$", open311.unknown, name="unknown"),
]
