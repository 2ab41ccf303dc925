"""Pages of the two-way matching: the resource market, the need board, suggestions, the project tracker,
a unit's own page, campaigns and results (the lists' Excel is core's, declared in `excel`). Thin: reads via
`selectors`, writes via `services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import access, require_capability, scope_for
from gongzhi.core.errors import Conflict, Forbidden, NotFound, NothingChanged, int_param
from gongzhi.core.excel.views import xlsx_response
from gongzhi.core.forms import call_service
from gongzhi.core.masking import shown
from gongzhi.core.reveal import revealed
from gongzhi.core.views import attempt, paginate
from gongzhi.matching import engine, excel, labels, policies, selectors, services
from gongzhi.matching.forms import (
    AttachmentForm,
    CampaignEditForm,
    CampaignForm,
    ClaimNeedForm,
    ClaimResourceForm,
    MilestoneForm,
    NeedForm,
    PlanForm,
    ResourceForm,
    StatusForm,
    TransitionForm,
)
from gongzhi.matching.models import Need, Project, ProjectState, Resource
from gongzhi.matching.policies import CLAIM, EDIT, OFFER, PROPOSE, VIEW
from gongzhi.matching.workflow import CampaignAction
from gongzhi.registry.models import MemberUnit

PER_PAGE = 25


def _campaign(request, user):
    campaigns = selectors.campaigns_for(user)
    pk = int_param(request.GET, "campaign") or int_param(request.POST, "campaign")
    return (campaigns.filter(pk=pk) if pk else campaigns).first(), campaigns


def _list(request, template, context):
    """A list page; an htmx request (the live filter form) gets only the table partial."""
    partial = template.replace("matching/", "matching/_table_") if request.htmx else template
    return render(request, partial, context)


# --- resources ------------------------------------------------------------------------------------------


@login_required
def picker(request, kind):
    """The options of a searchable picker (an htmx fragment): what matches `q` within what the user may pick,
    the chosen ones kept first."""
    require_capability(request.user, VIEW)
    name = request.GET.get("field") or kind
    if not name.isidentifier():
        raise NotFound(_("Not found."))
    return render(request, "matching/_picker_options.html", {
        "name": name, "multiple": request.GET.get("multiple") == "1",
        "options": selectors.picker_options(request.user, kind, request.GET.get("q", ""), request.GET.getlist(name)),
    })


@login_required
def resources(request):
    require_capability(request.user, VIEW)
    qs = selectors.filter_list(selectors.resources_for(request.user), request.GET, ("category", "status", "campaign"))
    return _list(request, "matching/resources.html", {
        "page": paginate(request, qs.order_by("-created_at", "code"), PER_PAGE),
        "categories": labels.RESOURCE_CATEGORY_LABELS, "campaigns": selectors.campaigns_for(request.user),
        "can_add": policies.can_add(request.user, Resource),
    })


@login_required
def resource_detail(request, pk):
    obj = selectors.resource(request.user, pk)
    own = policies.is_provider(request.user, obj)
    claim = ClaimResourceForm(user=request.user) if policies.can(request.user, obj, CLAIM) else None
    return render(request, "matching/resource_detail.html", {
        "obj": obj, "own": own, "claim": claim, "left": selectors.remaining(obj),
        "phone": shown(request.user, "phone", obj.contact_phone, obj, own=own, revealed=revealed(request, obj)),
        "matches": selectors.matches(request.user, obj),
        "can_edit": policies.can(request.user, obj, EDIT), **_status(request.user, obj, "matching:resource_transition"),
        "projects": selectors.projects_for(request.user).filter(resource=obj),
    })


def _status(user, obj, url_name) -> dict:
    """The status actions this user may take on a need or resource, and its status log."""
    flow = policies.FLOWS[type(obj)]
    return {"status_actions": [(a, flow.action_label(a)) for a in policies.actions(user, obj)],
            "status_url": reverse(url_name, args=[obj.pk]), "status_form": StatusForm(), "log": selectors.log(obj)}


def _edit(request, form_class, save, obj, detail_url, initial=None):
    """A create (`obj` None: `save(**data)`) or edit (`save(obj.pk, **data)`) page; the service's field errors go
    on the form."""
    form = form_class(request.POST or None, instance=obj, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        call = (save, obj.pk) if obj is not None else (save,)
        try:
            saved = call_service(form, *call, actor=request.user, unchanged_raises=True, **form.cleaned_data)
        except NothingChanged as e:
            messages.info(request, e.message)
            return redirect(detail_url, obj.pk)
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(detail_url, saved.pk)
    return render(request, "matching/form.html", {"form": form, "obj": obj})


@login_required
def resource_create(request):
    if not policies.can_add(request.user, Resource):
        require_capability(request.user, OFFER)
    return _edit(request, ResourceForm, services.create_resource, None, "matching:resource_detail")


@login_required
def resource_edit(request, pk):
    obj = selectors.resource(request.user, pk)
    if not policies.can(request.user, obj, EDIT):
        raise NotFound(_("Not found."))
    return _edit(request, ResourceForm, services.update_resource, obj, "matching:resource_detail")


@require_POST
@login_required
def resource_transition(request, pk):
    return _status_step(request, pk, services.transition_resource, "matching:resource_detail")


def _status_step(request, pk, step, detail_url: str):
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
    else:
        attempt(request, step, pk, form.cleaned_data["action"], actor=request.user, note=form.cleaned_data["note"],
                done=_("Done."))
    return redirect(detail_url, pk)


@require_POST
@login_required
def resource_claim(request, pk):
    """A community claims a resource with one of its needs; the provider confirms."""
    return _claim(request, pk, ClaimResourceForm, services.claim_resource, "matching:resource_detail",
                  _("Choose one of your needs."), _("Claimed. The provider will confirm."))


def _claim(request, pk, form_class, claim, detail_url: str, invalid: str, done: str):
    """The two claim directions differ only in which side picks the counterpart and who confirms."""
    form = form_class(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, invalid)
        return redirect(detail_url, pk)
    project = attempt(request, claim, pk, actor=request.user, done=done, **form.cleaned_data)
    return redirect("matching:project_detail", project.pk) if project else redirect(detail_url, pk)


# --- needs ----------------------------------------------------------------------------------------------


@login_required
def needs(request):
    require_capability(request.user, VIEW)
    qs = selectors.filter_list(selectors.needs_for(request.user), request.GET,
                               ("category", "status", "campaign", "urgency"))
    return _list(request, "matching/needs.html", {
        "page": paginate(request, qs.order_by("-urgency", "code"), PER_PAGE),
        "categories": labels.NEED_CATEGORY_LABELS, "campaigns": selectors.campaigns_for(request.user),
        "can_add": policies.can_add(request.user, Need),
    })


@login_required
def need_detail(request, pk):
    obj = selectors.need(request.user, pk)
    claim = ClaimNeedForm(user=request.user) if policies.can(request.user, obj, CLAIM) else None
    return render(request, "matching/need_detail.html", {
        "obj": obj, "claim": claim, "matches": selectors.matches(request.user, obj),
        "can_edit": policies.can(request.user, obj, EDIT), **_status(request.user, obj, "matching:need_transition"),
        "projects": selectors.projects_for(request.user).filter(need=obj),
        "demands": obj.demands.all()[:20],
    })


@login_required
def need_create(request):
    if not policies.can_add(request.user, Need):
        require_capability(request.user, policies.MANAGE)
    return _edit(request, NeedForm, services.create_need, None, "matching:need_detail",
                 initial=NeedForm.initial_from(request.GET, request.user))


@login_required
def need_edit(request, pk):
    obj = selectors.need(request.user, pk)
    if not policies.can(request.user, obj, EDIT):
        raise NotFound(_("Not found."))
    return _edit(request, NeedForm, services.update_need, obj, "matching:need_detail")


@require_POST
@login_required
def need_transition(request, pk):
    return _status_step(request, pk, services.transition_need, "matching:need_detail")


@require_POST
@login_required
def need_claim(request, pk):
    """A unit claims a need with one of its resources; the community confirms."""
    return _claim(request, pk, ClaimNeedForm, services.claim_need, "matching:need_detail",
                  _("Choose one of your resources."), _("Claimed. The community will confirm."))


# --- suggestions and campaigns --------------------------------------------------------------------------


@login_required
def suggestions(request):
    require_capability(request.user, VIEW)
    campaign, campaigns = _campaign(request, request.user)
    mode = "resources" if request.GET.get("mode") == "resources" else "needs"
    rows, page = [], None
    if campaign is not None:
        matcher, for_needs = selectors.build_matcher(campaign), mode == "needs"
        if for_needs:
            qs = selectors.needs_for(request.user).filter(campaign=campaign, pk__in=list(matcher.need_index))
            page = paginate(request, qs.order_by("-urgency", "code"), 10)
        else:
            qs = selectors.resources_for(request.user).filter(campaign=campaign, pk__in=list(matcher.resource_index))
            page = paginate(request, qs.order_by("code"), 10)
        suggest = matcher.suggest_for_needs if for_needs else matcher.suggest_for_resources
        found = selectors.suggested(request.user, suggest(5, [o.pk for o in page]), for_needs=for_needs)
        rows = [(o, found.get(o.pk, [])) for o in page]
    # Who may claim straight from here: the provider claims the need, the need's community claims the resource.
    rows = [(item, [(other, s, policies.claim_side(request.user, item if mode == "needs" else other,
                                                   other if mode == "needs" else item)) for other, s in found])
            for item, found in rows]
    return render(request, "matching/suggestions.html", {
        "campaign": campaign, "campaigns": campaigns, "mode": mode, "rows": rows, "page": page,
        "can_propose": campaign is not None and policies.can(request.user, campaign, PROPOSE),
    })


@require_POST
@login_required
def global_match(request, pk):
    campaign = selectors.campaign(request.user, pk)
    made = attempt(request, services.propose_global, campaign.pk, actor=request.user, catch=Conflict)
    if made is not None:
        messages.success(request, _("%(n)d matches proposed for confirmation.") % {"n": len(made)})
    return redirect(reverse("matching:projects") + f"?campaign={campaign.pk}&state=proposed")


@login_required
def campaigns(request):
    require_capability(request.user, VIEW)
    rows = [(c, policies.can(request.user, c, EDIT), policies.can(request.user, c, CampaignAction.ADVANCE))
            for c in selectors.campaigns_for(request.user)]
    return render(request, "matching/campaigns.html", {
        "rows": rows, "can_add": selectors.staff_subdistricts(request.user).exists()})


@login_required
def campaign_create(request):
    require_capability(request.user, policies.MANAGE)
    if not selectors.staff_subdistricts(request.user).exists():
        raise Forbidden(_("Only the sub-district's staff may do this."))
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.create_campaign(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("matching:campaigns")
    return render(request, "matching/form.html", {"form": form})


@login_required
def campaign_edit(request, pk):
    campaign = selectors.campaign(request.user, pk)
    if not policies.can(request.user, campaign, EDIT):
        raise Forbidden(_("Only the sub-district's staff may do this."))
    form = CampaignEditForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        attempt(request, services.update_campaign, pk, actor=request.user, done=_("Saved."), catch=(),
                **form.cleaned_data)
        return redirect("matching:campaigns")
    return render(request, "matching/form.html", {"form": form, "obj": campaign})


@require_POST
@login_required
def campaign_advance(request, pk):
    attempt(request, services.advance_campaign, pk, actor=request.user, catch=Conflict)
    return redirect("matching:campaigns")


# --- projects -------------------------------------------------------------------------------------------


@login_required
def projects(request):
    require_capability(request.user, VIEW)
    qs = selectors.filter_list(selectors.projects_for(request.user), request.GET, ("state", "campaign"), ("title",))
    waiting = request.GET.get("waiting", "")
    if waiting in selectors.WAITING:  # from the workbench: proposals waiting for this side's confirmation
        qs = qs.filter(pk__in=selectors.WAITING[waiting](request.user).values("pk"))
    return _list(request, "matching/projects.html", {
        "page": paginate(request, qs, PER_PAGE), "states": ProjectState.choices,
        "campaigns": selectors.campaigns_for(request.user), "waiting": waiting if waiting in selectors.WAITING else "",
    })


@login_required
def project_detail(request, pk, attachment_form=None):
    obj = selectors.project(request.user, pk)
    return render(request, "matching/project_detail.html", {
        "obj": obj, "actions": [(a, TransitionForm(initial={"action": a}, prefix=a))
                                for a in policies.actions(request.user, obj)],
        "plan_form": PlanForm(initial={"plan": obj.plan, "budget": obj.budget, "participants": obj.participants}),
        "milestone_form": MilestoneForm(), "editable": policies.can(request.user, obj, EDIT),
        "attachment_form": attachment_form or AttachmentForm(),
        "transitions": selectors.log(obj), "explain": _explain(obj),
    })


def _explain(project: Project):
    if project.need.campaign is None:
        return None
    resource = engine.Resource(project.resource_id, project.resource.category, project.resource.title,
                               project.amount, project.resource.unit, project.resource.starts_on,
                               project.resource.ends_on, tuple(r.path for r in project.resource.regions.all()), "p")
    need = engine.Need(project.need_id, project.need.category, project.need.title, project.need.beneficiaries,
                       project.need.quantity, project.need.starts_on, project.need.ends_on, project.need.place.path,
                       project.need.urgency, project.need.unit or None)
    return engine.Matcher([resource], [need]).explain(need.id, resource.id)


@require_POST
@login_required
def project_transition(request, pk):
    form = TransitionForm(request.POST, prefix=request.POST.get("action", ""))
    if not form.is_valid():
        messages.error(request, _("Check the form."))
    else:
        d = form.cleaned_data
        attempt(request, services.transition_project, pk, d.pop("action"), actor=request.user, done=_("Done."), **d)
    return redirect("matching:project_detail", pk)


@require_POST
@login_required
def project_plan(request, pk):
    form = PlanForm(request.POST)
    if form.is_valid():
        services.update_plan(pk, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Check the form."))
    return redirect("matching:project_detail", pk)


@require_POST
@login_required
def milestone_add(request, pk):
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.add_milestones(pk, actor=request.user, milestones=[form.cleaned_data])
    else:
        messages.error(request, _("Check the form."))
    return redirect("matching:project_detail", pk)


@require_POST
@login_required
def milestone_toggle(request, pk, milestone):
    services.toggle_milestone(pk, actor=request.user, milestone=milestone)
    return redirect("matching:project_detail", pk)


@require_POST
@login_required
def attachment_add(request, pk):
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        response = project_detail(request, pk, attachment_form=form)
        response.status_code = 400
        return response
    services.add_attachment(pk, actor=request.user, upload=form.cleaned_data["file"])
    messages.success(request, _("Uploaded."))
    return redirect("matching:project_detail", pk)


# --- a unit's own page ----------------------------------------------------------------------------------


@login_required
def unit_page(request, pk):
    require_capability(request.user, VIEW)
    unit = access(request.user, MemberUnit.objects.select_related("region"), VIEW, pk=pk)
    return render(request, "matching/unit.html", {
        "unit": unit, "resources": selectors.resources_for(request.user).filter(provider_unit=unit),
        "projects": selectors.projects_for(request.user).filter(resource__provider_unit=unit),
    })


@login_required
def my_unit(request):
    require_capability(request.user, VIEW)
    units = sorted(scope_for(request.user, OFFER).unit_ids)
    if not units:
        raise NotFound(_("Not found."))
    return redirect("matching:unit", units[0])


# --- results --------------------------------------------------------------------------------------------


def _results(request):
    require_capability(request.user, VIEW)
    campaigns_ = selectors.campaigns_for(request.user)
    year = int_param(request.GET, "year", minimum=1, maximum=9999)
    pk = int_param(request.GET, "campaign")
    if "campaign" not in request.GET:  # default: the latest campaign, unless a year is asked for
        campaign = None if year else campaigns_.first()
    else:
        campaign = campaigns_.filter(pk=pk).first() if pk else None
    return campaign, campaigns_, year, selectors.results(request.user, campaign, year)


@login_required
def results(request):
    campaign, campaigns_, year, data = _results(request)
    charts = []
    for title, key in ((_("Projects by resource type"), "by_type"), (_("Projects by unit"), "by_unit"),
                       (_("Projects by residential area"), "by_area")):
        top = max([n for _label, n in data[key]] + [1])
        charts.append((title, [(label, n, round(100 * n / top)) for label, n in data[key]]))
    years = sorted({c.year for c in campaigns_}, reverse=True)
    return render(request, "matching/results.html", {
        "campaign": campaign, "campaigns": campaigns_, "year": year, "years": years, "data": data, "charts": charts,
    })


@login_required
def results_export(request):
    with override("zh-hans"):  # the workbook is Chinese, whatever the page's language
        campaign, _c, year, data = _results(request)
    title = campaign.name if campaign else (str(year) if year else "all")
    name = f"认领成效-{campaign.name if campaign else year or '全部'}-{timezone.localdate().isoformat()}.xlsx"
    return xlsx_response(excel.results_workbook(data, title), name)

