"""Pages of the cases part (thin: forms in, services and selectors out; login).

* Accept a case (一口受理) at a place whose counter I work, for any catalogue item (全岗通): the item's materials
  checklist loads with htmx once the item is chosen; a case missing required materials opens as "材料不全" and
  its notice (材料补正告知单) is printed for the applicant.
* A case's page: its materials, timeline and remote sessions, the applicant's phone and ID number masked (the
  audited reveal shows them), and the steps the policy allows me.
* The case list (filters, pagination, Excel export) and the back office's queue.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import Conflict, Forbidden, ValidationFailed, int_param
from gongzhi.core.forms import apply_error
from gongzhi.core.masking import mask_phone, shown
from gongzhi.core.reveal import revealed
from gongzhi.core.views import attempt, paginate
from gongzhi.services import forms_cases as forms
from gongzhi.services.policies import cases as policies
from gongzhi.services.selectors import cases as selectors
from gongzhi.services.services import cases as services
from gongzhi.services.workflow import CASE_FLOW, CaseAction, CaseState

# what each step's form asks for beyond a note
NEEDS = {CaseAction.SUPPLY: "provided", CaseAction.FORWARD: "back_office", CaseAction.COMPLETE: "result",
         CaseAction.MAKE_READY: "result"}


# --- Accepting a case -------------------------------------------------------------------------------------------

def _places(user):
    places = list(selectors.counter_places(user))
    mine = selectors.my_place_ids(user)
    return sorted(places, key=lambda p: (p.pk not in mine, p.kind, p.code))


@login_required
def open_case(request):
    require_capability(request.user, policies.ACCEPT)
    places = _places(request.user)
    items = list(selectors.acceptable_items(request.user))
    data = request.POST if request.method == "POST" else None
    item = selectors.item_checklist(request.user, int_param(data or request.GET, "item"))
    initial = {"place": int_param(request.GET, "place") or (places[0].pk if len(places) == 1 else None),
               "appointment": int_param(request.GET, "appointment"),
               "item": item.pk if item else None}
    form = forms.OpenCaseForm(data, places=places, items=items, materials=item.materials.all() if item else (),
                              initial=initial)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            case, missing = services.open_case(
                d["place"], actor=request.user, item=d["item"], applicant_name=d["applicant_name"],
                applicant_phone=d["applicant_phone"], applicant_id_number=d["applicant_id_number"],
                provided=d["provided"], note=d["note"], appointment=d["appointment"])
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            if missing:
                messages.warning(request, _("Materials are missing: the case is saved as incomplete. Print the "
                                            "notice for the applicant."))
                return redirect("services:cases_notice", case.pk)
            messages.success(request, _("Case %(code)s is accepted.") % {"code": case.code})
            return redirect("services:cases_detail", case.pk)
    return render(request, "services/cases/open.html", {"form": form, "item": item},
                  status=422 if form.errors else 200)


@login_required
def materials(request):
    """The htmx fragment of the accept form: the chosen item's checklist as checkboxes, with its time limit."""
    require_capability(request.user, policies.ACCEPT)
    item = selectors.item_checklist(request.user, int_param(request.GET, "item"))
    form = forms.OpenCaseForm(places=(), items=(), materials=item.materials.all() if item else ())
    return render(request, "services/cases/_materials.html", {"item": item, "form": form})


@login_required
def items(request):
    """The htmx fragment of the accept form: the items matching a search, as the options of the item list."""
    require_capability(request.user, policies.ACCEPT)
    found = list(selectors.acceptable_items(request.user, request.GET.get("q", ""))[:300])
    return render(request, "services/cases/_items.html", {"items": found})


# --- A case -----------------------------------------------------------------------------------------------------

def _action_forms(user, case) -> list[dict]:
    return [{"action": a, "label": CASE_FLOW.action_label(a), "needs": NEEDS.get(a, ""),
             "reason": a in CASE_FLOW.reason_required} for a in policies.actions(user, case)]


@login_required
def detail(request, pk):
    case = selectors.case_detail(request.user, pk)
    shows = revealed(request, case)
    context = {
        "case": case,
        "phone": shown(request.user, "phone", case.applicant_phone, case, revealed=shows),
        "id_number": shown(request.user, "id_number", case.applicant_id_number, case, revealed=shows),
        "actions": _action_forms(request.user, case),
        "remote_form": forms.RemoteSessionForm() if policies.may_log_remote(request.user, case) else None,
        "on_time": selectors.on_time(case),
        "overdue": case.state in (CaseState.FORWARDED, CaseState.PROCESSING, CaseState.ACCEPTED, CaseState.READY)
        and case.due_on is not None and case.due_on < timezone.localdate(),
    }
    return render(request, "services/cases/detail.html", context)


@login_required
def notice(request, pk):
    """材料补正告知单: the missing materials, printed for the applicant of an incomplete case."""
    case = selectors.case_detail(request.user, pk)
    return render(request, "services/cases/notice.html", {"case": case, "phone": mask_phone(case.applicant_phone)})


@require_POST
@login_required
def act(request, pk):
    case = selectors.case(request.user, pk)
    form = forms.CaseActionForm(request.POST, materials=[r.material for r in case.materials.select_related(
        "material")])
    if not form.is_valid():
        messages.error(request, _("Check the form."))
    else:
        d = form.cleaned_data
        attempt(request, services.act_on_case, case, d["action"], actor=request.user, note=d["note"],
                provided=d["provided"], back_office=d["back_office"], result=d["result"],
                done=_("Done: %(step)s.") % {"step": CASE_FLOW.action_label(d["action"])})
    return redirect("services:cases_detail", case.pk)


@require_POST
@login_required
def remote(request, pk):
    case = selectors.case(request.user, pk)
    if not policies.may_log_remote(request.user, case):
        raise Forbidden(_("You do not have permission to do this."))
    form = forms.RemoteSessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
    else:
        attempt(request, services.log_remote_session, case, actor=request.user, done=_("The session is recorded."),
                **form.cleaned_data)
    return redirect("services:cases_detail", case.pk)


# --- Lists ------------------------------------------------------------------------------------------------------

@login_required
def case_list(request):
    require_capability(request.user, policies.VIEW)
    qs = selectors.filter_cases(selectors.cases_for(request.user), request.GET)
    page = paginate(request, qs)
    for c in page:
        c.masked_phone = mask_phone(c.applicant_phone)
    context = {"page": page, "states": CASE_FLOW.states.choices, "places": selectors.cases_places(request.user),
               "can_open": policies.accepts_any(request.user), "today": timezone.localdate()}
    template = "services/cases/_table.html" if request.htmx else "services/cases/list.html"
    return render(request, template, context)


@login_required
def queue(request):
    """The back office's queue: forwarded cases to receive and those it handles, oldest first."""
    require_capability(request.user, policies.BACK_OFFICE)
    page = paginate(request, selectors.back_office_queue(request.user))
    return render(request, "services/cases/queue.html", {"page": page, "today": timezone.localdate()})


urlpatterns: list = [
    path("cases/", case_list, name="cases_list"),
    path("cases/new/", open_case, name="cases_open"),
    path("cases/new/materials/", materials, name="cases_materials"),
    path("cases/new/items/", items, name="cases_items"),
    path("cases/back-office/", queue, name="cases_queue"),
    path("cases/<int:pk>/", detail, name="cases_detail"),
    path("cases/<int:pk>/notice/", notice, name="cases_notice"),
    path("cases/<int:pk>/act/", act, name="cases_act"),
    path("cases/<int:pk>/remote/", remote, name="cases_remote"),
]
