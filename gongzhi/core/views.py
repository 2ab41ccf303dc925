from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.roles import Capability, Role
from gongzhi.accounts.scope import require_capability, roles_of, scope_for
from gongzhi.core import reveal as reveals
from gongzhi.core import services
from gongzhi.core.audit import audited_models, history_rows, reveal_rows
from gongzhi.core.errors import Conflict, NothingChanged, ValidationFailed
from gongzhi.core.excel.books import export_workbook, file_name
from gongzhi.core.excel.spec import get_spec
from gongzhi.core.excel.views import xlsx_response
from gongzhi.core.forms import apply_error, error_text
from gongzhi.core.masking import personal_data_visible
from gongzhi.core.models import Reveal
from gongzhi.core.workbench import cards_for


def paginate(request, qs, per_page: int | None = None):
    """The page of `qs` the request asks for (``?page=``), `per_page` rows a page (default PAGE_SIZE)."""
    return Paginator(qs, per_page or settings.PAGE_SIZE).get_page(request.GET.get("page"))


def attempt(request, call, *args, done: str = "", catch=(Conflict, ValidationFailed), **kwargs):
    """Run a page's write `call(*args, **kwargs)` and tell the next page how it went: `done` when it worked, a
    NothingChanged as a note, a refusal of the kinds in `catch` as an error (anything else goes on to the error
    middleware). Returns what the call returned, or None when it did not run through."""
    try:
        result = call(*args, **kwargs)
    except NothingChanged as e:
        messages.info(request, e.message)
    except catch as e:
        messages.error(request, error_text(e))
    else:
        if done:
            messages.success(request, done)
        return result
    return None


@login_required
def home(request):
    """The workbench: what needs this person now, from every module's cards."""
    roles = [str(Role(r).label) for r in sorted(roles_of(request.user)) if r in Role.values]
    return render(request, "core/home.html", {"cards": cards_for(request.user), "roles": roles})


def healthz(request):
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def audit_log(request):
    """Inspectors search every change to audited data in their scope: who, when, what (old → new), by kind, by
    name, code or tracking code, and by who made it; and every reveal of personal data by the users in their scope
    (who, when, what, which fields, why). Personal data is masked by the one policy (no reveal here)."""
    require_capability(request.user, Capability.VIEW_AUDIT)
    scope = scope_for(request.user, Capability.VIEW_AUDIT)
    model_label = request.GET.get("model", "")
    q = request.GET.get("q", "").strip()
    user_q = request.GET.get("user", "").strip()
    rows = history_rows(scope, model_label=model_label or None, text=q or None, username=user_q or None,
                        masked=not personal_data_visible(request.user))
    if model_label in ("", Reveal._meta.label):
        rows = sorted(rows + reveal_rows(scope, text=q or None, username=user_q or None),
                      key=lambda r: r.when, reverse=True)
    page = paginate(request, rows, 30)
    models = [(m._meta.label, m._meta.verbose_name) for m in audited_models()]
    models.append((Reveal._meta.label, Reveal._meta.verbose_name_plural))
    return render(request, "core/audit_log.html",
                  {"page": page, "models": models, "model_label": model_label, "q": q, "user_q": user_q})


@require_POST
@login_required
def reveal(request):
    """Reveal personal data with a reason (gongzhi.core.reveal): record it, then show the object's page unmasked,
    or answer the list's export with its personal columns in full. Without a reason the form comes back."""
    data = reveals.read_token(request.user, request.POST.get("token", ""))
    form = reveals.RevealForm(request.POST)
    if form.is_valid():
        try:
            if "x" in data:
                spec = get_spec(data["x"])
                params = QueryDict(data["q"])
                services.reveal_export(spec, actor=request.user, reason=form.cleaned_data["reason"], params=params)
                return xlsx_response(export_workbook(spec, request.user, params, revealed=True), file_name(spec))
            obj = reveals.token_object(data)
            record = services.reveal_object(obj, actor=request.user, reason=form.cleaned_data["reason"])
            return redirect(reveals.next_url(data, record))
        except ValidationFailed as error:
            apply_error(form, error)
    back = data.get("next") or ""
    return render(request, "core/reveal.html", {"form": form, "back": back})


def not_found(request, exception=None):
    if request.path.startswith("/api/"):  # the API answers in its own JSON shape (ErrorOut), even off its routes
        return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
    return render(request, "core/error.html", {"error": {"message": _("Not found.")}}, status=404)

