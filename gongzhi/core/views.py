from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability, Role
from gongzhi.accounts.scope import require_capability, roles_of, scope_for
from gongzhi.core.audit import audited_models, history_rows
from gongzhi.core.masking import personal_data_visible
from gongzhi.core.workbench import cards_for


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
    name, code or tracking code, and by who made it. Personal data is masked as on the viewer's screens."""
    require_capability(request.user, Capability.VIEW_AUDIT)
    scope = scope_for(request.user, Capability.VIEW_AUDIT)
    model_label = request.GET.get("model", "")
    q = request.GET.get("q", "").strip()
    user_q = request.GET.get("user", "").strip()
    rows = history_rows(scope, model_label=model_label or None, text=q or None, username=user_q or None,
                        masked=not personal_data_visible(request.user))
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    models = [(m._meta.label, m._meta.verbose_name) for m in audited_models()]
    return render(request, "core/audit_log.html",
                  {"page": page, "models": models, "model_label": model_label, "q": q, "user_q": user_q})


def not_found(request, exception=None):
    if request.path.startswith("/api/"):  # the API answers in its own JSON shape (ErrorOut), even off its routes
        return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
    return render(request, "core/error.html", {"error": {"message": _("Not found.")}}, status=404)

