from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render

from gongzhi.core.errors import DomainError, NotFound


class DomainErrorMiddleware:
    """Maps the domain error hierarchy to HTTP for the server-rendered pages (the API has its own
    handler in gongzhi.api, built on the same `DomainError.status`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
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
