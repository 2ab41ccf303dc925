import json

from django.conf import settings
from django.db import DataError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongzhi.core.errors import MAX_ID, BadParameter, DomainError, NotFound


def out_of_range_fields(request) -> dict[str, list[str]]:
    """The parameters (path, query, top-level JSON body) holding a number no database integer can store: what a
    database's OverflowError or DataError was about."""
    resolved = getattr(request, "resolver_match", None)
    items = list(resolved.kwargs.items() if resolved else []) + list(request.GET.items())
    try:
        body = json.loads(request.body or b"{}")
        items += list(body.items()) if isinstance(body, dict) else []
    except Exception:  # multipart, streamed or malformed bodies: nothing more to name
        pass
    message = _("The number is too large.")
    return {str(k): [message] for k, v in items
            if isinstance(v, int | str) and str(v).lstrip("-").isdigit() and abs(int(v)) > MAX_ID}


def nul_parameter(request) -> str | None:
    """The name of the first query or form parameter holding a NUL character, which no text column of PostgreSQL
    can store (a search with one would fail in the database): callers answer it as a bad parameter."""
    for params in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
        for key, values in params.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return key.replace("\x00", "")
    return None


class DomainErrorMiddleware:
    """Maps the domain error hierarchy to HTTP for the server-rendered pages (the API has its own
    handler in gongzhi.api, built on the same `DomainError.status`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A path id no database integer can hold (a 30-digit id) is a bad parameter: 400 naming it (the API's are
        checked by their own `Id` type)."""
        for name, value in view_kwargs.items():
            if isinstance(value, int) and abs(value) > MAX_ID and not request.path.startswith("/api/"):
                return self.process_exception(request, BadParameter(name))
        if not request.path.startswith(("/api/", "/open311/")) and (name := nul_parameter(request)) is not None:
            return self.process_exception(request, BadParameter(name or "?"))
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError | DataError) and (fields := out_of_range_fields(request)):
            exception = BadParameter(next(iter(fields)))  # a 30-digit id: 400 naming it
        if isinstance(exception, NotFound):
            raise Http404(exception.message)
        if not isinstance(exception, DomainError):
            return None
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse(exception.as_dict(), status=exception.status)
        if request.htmx:
            return HttpResponse(exception.message, status=exception.status)
        return render(request, "core/error.html", {"error": exception}, status=exception.status)


class SecurityHeadersMiddleware:
    """The Content-Security-Policy of every page (a view may set its own, as the uploads do), and
    ``Cache-Control: no-store`` on every answer that does not say otherwise: pages, API and Open311 answers may
    carry personal data, so no browser or proxy keeps a copy. (Static files are answered by WhiteNoise before
    this, with their own long-lived caching.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response
