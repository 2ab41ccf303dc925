"""Pages of the platforms part (thin: forms in, services and selectors out): platforms with their members and
professional committees, the printable 1+11+103+X roster, party posts with their terms, and the composition of
joint party committees (联合党委)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import NothingChanged
from gongzhi.core.forms import call_service
from gongzhi.core.views import attempt, paginate
from gongzhi.joint import forms_platforms as forms
from gongzhi.joint.models import MemberRole, PartyPost, Platform, PlatformKind, PlatformLevel, PostKind
from gongzhi.joint.policies import platforms as policies
from gongzhi.joint.selectors import platforms as selectors
from gongzhi.joint.services import platforms as services
from gongzhi.registry.models import PartyOrgKind

VIEW, MANAGE = policies.VIEW, policies.MANAGE
T = "joint/platforms/"


def _view(request) -> None:
    require_capability(request.user, VIEW)


def _manage(request) -> None:
    require_capability(request.user, MANAGE)


def _list(request, template: str, context: dict):
    """A list page; an htmx request (the live filter form) gets only its table."""
    if request.htmx:
        template = template.replace(T, f"{T}_table_")
    return render(request, template, context)


def _form_page(request, form, title: str, back: str, obj=None, extra: dict | None = None):
    return render(request, f"{T}form.html", {"form": form, "title": title, "back": back, "obj": obj,
                                              **(extra or {})}, status=422 if form.errors else 200)


def _saved(request, obj, url: str):
    messages.success(request, _("Saved “%(obj)s”.") % {"obj": obj})
    return redirect(url)


def _edit(request, form, update, subject, back: str, title: str):
    """POST an edit form through its update service (a change of nothing says so and goes back)."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = call_service(form, update, subject.pk, actor=request.user, unchanged_raises=True,
                                 **form.cleaned_data)
        except NothingChanged as e:
            messages.info(request, e.message)
            return redirect(back)
        if saved:
            return _saved(request, saved, back)
    return _form_page(request, form, title, back, subject)


# --- platforms ----------------------------------------------------------------------------------------------------

@login_required
def platform_list(request):
    qs = selectors.platforms_for(request.user, request.GET)
    return _list(request, f"{T}platforms.html", {
        "page": paginate(request, qs), "q": request.GET.get("q", ""), "level": request.GET.get("level", ""),
        "kind": request.GET.get("kind", ""), "levels": PlatformLevel.choices, "kinds": PlatformKind.choices,
        "can_add": policies.can(request.user, Platform, "create")})


@login_required
def platform_create(request):
    _manage(request)
    form = forms.PlatformForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        p = call_service(form, services.create_platform, actor=request.user, **form.cleaned_data)
        if p:
            return _saved(request, p, reverse("joint:platforms_detail", args=[p.pk]))
    return _form_page(request, form, _("New platform"), reverse("joint:platforms_list"))


@login_required
def platform_detail(request, pk):
    _view(request)
    p = selectors.platform(request.user, pk)
    return render(request, f"{T}detail.html", {
        "platform": p, "roster": selectors.roster(p), "committees": selectors.committees_of(p),
        "conveners": selectors.members_of(p, {"role": MemberRole.CONVENER}),
        "children": selectors.platforms_for(request.user).filter(parent=p),
        "can_edit": policies.can(request.user, p, policies.EDIT)})


@login_required
def platform_edit(request, pk):
    _manage(request)
    p = selectors.platform(request.user, pk, MANAGE)
    form = forms.PlatformForm(request.POST or None, instance=p, user=request.user)
    return _edit(request, form, services.update_platform, p, reverse("joint:platforms_detail", args=[p.pk]),
                 _("Edit %(name)s") % {"name": p})


@login_required
def platform_roster(request, pk):
    _view(request)
    p = selectors.platform(request.user, pk)
    return render(request, f"{T}roster.html", {
        "platform": p, "roster": selectors.roster(p),
        "conveners": selectors.members_of(p, {"role": MemberRole.CONVENER}),
        "areas": selectors.members_of(p, {"kind": "area", "role": MemberRole.MEMBER}),
        "units": selectors.members_of(p, {"kind": "unit", "role": MemberRole.MEMBER}),
        "committees": selectors.committees_of(p).filter(is_active=True)})


# --- members ------------------------------------------------------------------------------------------------------

@login_required
def member_list(request, pk):
    _view(request)
    p = selectors.platform(request.user, pk)
    qs = selectors.members_of(p, request.GET)
    return _list(request, f"{T}members.html", {
        "platform": p, "page": paginate(request, qs), "q": request.GET.get("q", ""),
        "kind": request.GET.get("kind", ""), "role": request.GET.get("role", ""),
        "term": request.GET.get("term", "") or "current", "roles": MemberRole.choices,
        "can_edit": policies.can(request.user, p, policies.EDIT)})


@login_required
def member_add(request, pk):
    _manage(request)
    p = selectors.platform(request.user, pk, MANAGE)
    form = forms.MemberForm(request.POST or None, user=request.user, platform=p)
    back = reverse("joint:platforms_members", args=[p.pk])
    if request.method == "POST" and form.is_valid():
        m = call_service(form, services.add_member, p.pk, actor=request.user, **form.cleaned_data)
        if m:
            return _saved(request, m, back)
    return _form_page(request, form, _("Add a platform member to %(name)s") % {"name": p}, back, p)


@login_required
def member_edit(request, pk):
    _manage(request)
    m = selectors.member(request.user, pk, MANAGE)
    form = forms.MemberEditForm(request.POST or None, instance=m)
    return _edit(request, form, services.update_member, m, reverse("joint:platforms_members", args=[m.platform_id]),
                 _("Edit the membership of %(name)s") % {"name": m})


@login_required
def member_leave(request, pk):
    _manage(request)
    m = selectors.member(request.user, pk, MANAGE)
    form = forms.LeaveForm(request.POST or None)
    back = reverse("joint:platforms_members", args=[m.platform_id])
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.leave_platform, m.pk, actor=request.user, **form.cleaned_data):
            messages.success(request, _("%(name)s has left the platform.") % {"name": m})
            return redirect(back)
    return _form_page(request, form, _("%(name)s leaves the platform") % {"name": m}, back, m)


# --- professional committees --------------------------------------------------------------------------------------

@login_required
def committee_list(request, pk):
    _view(request)
    p = selectors.platform(request.user, pk)
    return render(request, f"{T}committees.html", {
        "platform": p, "committees": selectors.committees_of(p),
        "can_edit": policies.can(request.user, p, policies.EDIT)})


@login_required
def committee_create(request, pk):
    _manage(request)
    p = selectors.platform(request.user, pk, MANAGE)
    form = forms.CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = call_service(form, services.create_committee, p.pk, actor=request.user, **form.cleaned_data)
        if c:
            return _saved(request, c, reverse("joint:platforms_committee_detail", args=[c.pk]))
    return _form_page(request, form, _("New professional committee of %(name)s") % {"name": p},
                      reverse("joint:platforms_committees", args=[p.pk]), p)


@login_required
def committee_detail(request, pk):
    _view(request)
    c = selectors.committee(request.user, pk)
    return render(request, f"{T}committee_detail.html", {
        "committee": c, "platform": c.platform, "members": selectors.committee_members(c, {"term": "current"}),
        "past": selectors.committee_members(c, {"term": "past"}),
        "can_edit": policies.can(request.user, c, policies.EDIT)})


@login_required
def committee_edit(request, pk):
    _manage(request)
    c = selectors.committee(request.user, pk, MANAGE)
    form = forms.CommitteeForm(request.POST or None, instance=c)
    return _edit(request, form, services.update_committee, c,
                 reverse("joint:platforms_committee_detail", args=[c.pk]), _("Edit %(name)s") % {"name": c})


@login_required
def committee_member_add(request, pk):
    _manage(request)
    c = selectors.committee(request.user, pk, MANAGE)
    form = forms.CommitteeMemberForm(request.POST or None, user=request.user)
    back = reverse("joint:platforms_committee_detail", args=[c.pk])
    if request.method == "POST" and form.is_valid():
        m = call_service(form, services.add_committee_member, c.pk, actor=request.user, **form.cleaned_data)
        if m:
            return _saved(request, m, back)
    return _form_page(request, form, _("Add a committee member to %(name)s") % {"name": c}, back, c)


@require_POST
@login_required
def committee_member_leave(request, pk):
    m = selectors.committee_member(request.user, pk, MANAGE)
    attempt(request, services.leave_committee, m.pk, actor=request.user,
            done=_("%(name)s has left the professional committee.") % {"name": m})
    return redirect("joint:platforms_committee_detail", m.committee_id)


# --- party posts --------------------------------------------------------------------------------------------------

@login_required
def post_list(request):
    qs = selectors.posts_for(request.user, request.GET)
    return _list(request, f"{T}posts.html", {
        "page": paginate(request, qs), "q": request.GET.get("q", ""), "kind": request.GET.get("kind", ""),
        "org_kind": request.GET.get("org_kind", ""), "term": request.GET.get("term", "") or "current",
        "part_time": request.GET.get("part_time", ""), "kinds": PostKind.choices,
        "org_kinds": PartyOrgKind.choices, "can_add": policies.can(request.user, PartyPost, "create")})


@login_required
def post_create(request):
    _manage(request)
    initial = {"org": request.GET.get("org")} if (request.GET.get("org") or "").isdigit() else {}
    form = forms.PostForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("org")
        post = call_service(form, services.appoint, org.pk, actor=request.user, **data)
        if post:
            return _saved(request, post, reverse("joint:platforms_org_posts", args=[org.pk]))
    return _form_page(request, form, _("New post holder"), reverse("joint:platforms_posts"))


@login_required
def post_edit(request, pk):
    _manage(request)
    post = selectors.post(request.user, pk, MANAGE)
    form = forms.PostForm(request.POST or None, instance=post, user=request.user)
    return _edit(request, form, services.update_post, post, reverse("joint:platforms_org_posts", args=[post.org_id]),
                 _("Edit the post of %(name)s") % {"name": post.holder_name})


@login_required
def post_end(request, pk):
    _manage(request)
    post = selectors.post(request.user, pk, MANAGE)
    form = forms.EndPostForm(request.POST or None)
    back = reverse("joint:platforms_org_posts", args=[post.org_id])
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.end_post, post.pk, actor=request.user, **form.cleaned_data):
            messages.success(request, _("The term of %(name)s has ended.") % {"name": post.holder_name})
            return redirect(back)
    return _form_page(request, form, _("End the term of %(name)s") % {"name": post.holder_name}, back, post)


@login_required
def org_posts(request, pk):
    """An organization's composition (its posts now, each holder with their unit) and the history of holders."""
    _view(request)
    org = selectors.org(request.user, pk)
    return render(request, f"{T}org_posts.html", {
        "org": org, **selectors.posts_of(org), "can_edit": policies.can(request.user, org, policies.EDIT)})


@login_required
def joint_committees(request):
    rows = selectors.joint_committees_for(request.user, request.GET)
    return render(request, f"{T}joint_committees.html", {"page": paginate(request, rows),
                                                         "q": request.GET.get("q", "")})


urlpatterns = [
    path("platforms/", platform_list, name="platforms_list"),
    path("platforms/new/", platform_create, name="platforms_create"),
    path("platforms/<int:pk>/", platform_detail, name="platforms_detail"),
    path("platforms/<int:pk>/edit/", platform_edit, name="platforms_edit"),
    path("platforms/<int:pk>/roster/", platform_roster, name="platforms_roster"),
    path("platforms/<int:pk>/members/", member_list, name="platforms_members"),
    path("platforms/<int:pk>/members/add/", member_add, name="platforms_member_add"),
    path("platforms/members/<int:pk>/edit/", member_edit, name="platforms_member_edit"),
    path("platforms/members/<int:pk>/leave/", member_leave, name="platforms_member_leave"),
    path("platforms/<int:pk>/committees/", committee_list, name="platforms_committees"),
    path("platforms/<int:pk>/committees/new/", committee_create, name="platforms_committee_create"),
    path("platforms/committees/<int:pk>/", committee_detail, name="platforms_committee_detail"),
    path("platforms/committees/<int:pk>/edit/", committee_edit, name="platforms_committee_edit"),
    path("platforms/committees/<int:pk>/members/add/", committee_member_add,
         name="platforms_committee_member_add"),
    path("platforms/committee-members/<int:pk>/leave/", committee_member_leave,
         name="platforms_committee_member_leave"),
    path("platforms/posts/", post_list, name="platforms_posts"),
    path("platforms/posts/new/", post_create, name="platforms_post_create"),
    path("platforms/posts/<int:pk>/edit/", post_edit, name="platforms_post_edit"),
    path("platforms/posts/<int:pk>/end/", post_end, name="platforms_post_end"),
    path("platforms/orgs/<int:pk>/posts/", org_posts, name="platforms_org_posts"),
    path("platforms/joint-committees/", joint_committees, name="platforms_joint_committees"),
]
