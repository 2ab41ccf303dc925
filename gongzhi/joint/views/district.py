"""Pages of the district part (thin): the district platforms with their sub-districts' campaigns (linking and
unlinking a campaign), and a district platform's matching results broken down by sub-district, with its Excel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import NotFound, int_param
from gongzhi.core.excel.views import xlsx_response
from gongzhi.core.views import attempt
from gongzhi.joint import excel_district as excel
from gongzhi.joint import forms_district as forms
from gongzhi.joint.models import DistrictCampaign, Platform, PlatformLevel
from gongzhi.joint.policies import district as policies
from gongzhi.joint.selectors import district as selectors
from gongzhi.joint.services import district as services
from gongzhi.matching.workflow import PROJECT_FLOW


def _link_form(request, data=None):
    return forms.LinkForm(data, campaigns=selectors.linkable_campaigns(request.user),
                          platforms=Platform.objects.filter(level=PlatformLevel.DISTRICT, is_active=True)
                          .filter(pk__in=selectors.platforms_for(request.user).values("pk")))


@login_required
def index(request):
    platforms = list(selectors.platforms_for(request.user))
    for p in platforms:
        p.links = [(link, policies.may_link(request.user, link.campaign)) for link in selectors.links(request.user, p)]
    form = _link_form(request)
    return render(request, "joint/district/index.html", {
        "platforms": platforms, "form": form, "can_link": form.fields["campaign"].queryset.exists() and platforms})


@require_POST
@login_required
def link(request):
    require_capability(request.user, policies.MANAGE)
    form = _link_form(request, request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
    else:
        attempt(request, services.link_campaign, form.cleaned_data["campaign"], actor=request.user,
                platform_id=form.cleaned_data["platform"].pk, done=_("The campaign is under the district platform."))
    return redirect("joint:district_index")


@require_POST
@login_required
def unlink(request, pk):
    require_capability(request.user, policies.VIEW)
    found = DistrictCampaign.objects.filter(pk=pk, campaign__in=selectors.visible_campaigns(request.user)
                                            .values("pk")).first()
    if found is None:
        raise NotFound(_("Not found."))
    attempt(request, services.unlink_campaign, found, actor=request.user,
            done=_("The campaign is off the district platform."))
    return redirect("joint:district_index")


def _results(request, pk):
    platform = selectors.platform(request.user, pk)
    year = int_param(request.GET, "year", minimum=1, maximum=9999)
    return platform, year, selectors.results(request.user, platform, year)


@login_required
def results(request, pk):
    platform, year, data = _results(request, pk)
    top = max([r["projects"] for r in data["rows"]] + [1])
    bars = [(r["subdistrict"].name, r["projects"], round(100 * r["projects"] / top)) for r in data["rows"]]
    return render(request, "joint/district/results.html", {
        "platform": platform, "year": year, "years": selectors.years(request.user, platform), "data": data,
        "state_labels": [PROJECT_FLOW.state_label(s) for s in data["states"]], "bars": bars})


@login_required
def results_export(request, pk):
    with override("zh-hans"):
        platform, year, data = _results(request, pk)
    name = f"区级双向认领成效-{platform.name}-{year or '全部'}-{timezone.localdate().isoformat()}.xlsx"
    return xlsx_response(excel.results_workbook(data, platform.name), name)


urlpatterns = [
    path("district/", index, name="district_index"),
    path("district/link/", link, name="district_link"),
    path("district/links/<int:pk>/unlink/", unlink, name="district_unlink"),
    path("district/<int:pk>/results/", results, name="district_results"),
    path("district/<int:pk>/results/export/", results_export, name="district_results_export"),
]
