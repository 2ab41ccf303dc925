"""Registry pages: one generic set of list / detail / create / edit / delete views, parameterised per
model by a small `Page` config, plus the region tree and the 'teams and places' page. Views stay thin:
reads go through `selectors`, writes through `services`, scoping through `gongzhi.accounts.scope`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import models
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import Scope, scoped
from gongzhi.core.audit import history_rows
from gongzhi.core.errors import Conflict, Forbidden, NothingChanged
from gongzhi.core.forms import call_service
from gongzhi.core.masking import mask_value, personal_data_visible, personal_fields
from gongzhi.core.modules import resolve
from gongzhi.core.reveal import revealed
from gongzhi.registry import policies, selectors, services
from gongzhi.registry.forms import FORMS
from gongzhi.registry.models import (
    Building,
    BuildingKind,
    Estate,
    Household,
    MemberUnit,
    PartyMember,
    PartyOrg,
    ProfessionalTeam,
    Region,
    ServicePlace,
    VolunteerTeam,
)

VIEW = Capability.VIEW_REGISTRY
SECTION_ROWS = 20  # rows shown per related section on a detail page; the rest through "all" links


@dataclass(frozen=True)
class Section:
    """Related rows on a detail page: `rows(obj)` gives a queryset (scoped here), `more` a list filter."""

    title: str
    key: str
    rows: Callable
    more: str = ""  # query string for the full list, formatted with obj


@dataclass(frozen=True)
class Page:
    key: str
    slug: str
    columns: tuple[str, ...]
    sections: tuple[Section, ...] = field(default_factory=tuple)
    extra_props: tuple[str, ...] = ()
    # "module:function(request, obj) -> html or None": panels other apps add to the detail page (an estate's
    # owners' committee and council come from deliberation), rendered after the sections
    panels: tuple[str, ...] = ()

    @property
    def model(self):
        return selectors.SPECS[self.key].model

    @property
    def personal(self) -> tuple[str, ...]:
        return personal_fields(self.model)

    @property
    def props(self) -> tuple[str, ...]:
        return tuple(FORMS[self.key]._meta.fields) + self.extra_props


def _in_region(lookup="region"):
    return lambda obj: {f"{lookup}__path__startswith": obj.path}


PAGES: dict[str, Page] = {p.key: p for p in (
    Page("region", "regions", ("name", "code", "kind", "parent", "households", "population"), sections=(
        Section(gettext_lazy("Sub-regions"), "region", lambda o: Region.objects.filter(parent=o), "region={pk}"),
        Section(gettext_lazy("Estates"), "estate", lambda o: Estate.objects.filter(**_in_region("area")(o)),
                "area={pk}"),
        Section(gettext_lazy("Buildings"), "building", lambda o: Building.objects.filter(**_in_region()(o)),
                "region={pk}"),
        Section(gettext_lazy("Party organizations"), "partyorg",
                lambda o: PartyOrg.objects.filter(**_in_region()(o)), "region={pk}"),
        Section(gettext_lazy("Member units"), "memberunit", lambda o: MemberUnit.objects.filter(**_in_region()(o)),
                "region={pk}"),
        Section(gettext_lazy("Members registered here"), "partymember",
                lambda o: PartyMember.objects.filter(**_in_region("registered_area")(o)), "registered_area={pk}"),
        Section(gettext_lazy("Professional teams"), "professionalteam",
                lambda o: ProfessionalTeam.objects.filter(
                    models.Q(**_in_region()(o)) | models.Q(grids__path__startswith=o.path)).distinct(),
                "region={pk}"),
        Section(gettext_lazy("Volunteer teams"), "volunteerteam",
                lambda o: VolunteerTeam.objects.filter(**_in_region()(o)), "region={pk}"),
        Section(gettext_lazy("Service places"), "serviceplace",
                lambda o: ServicePlace.objects.filter(**_in_region()(o)), "region={pk}"),
    )),
    Page("building", "buildings", ("name", "code", "kind", "region", "estate", "floors", "households",
                                   "is_key_building"),
         sections=(
             Section(gettext_lazy("Households"), "household", lambda o: o.household_rows.all(), "building={pk}"),
             Section(gettext_lazy("Member units"), "memberunit", lambda o: o.member_units.all()),
             Section(gettext_lazy("Building liaisons"), "liaison", lambda o: o.liaisons.all()),
             Section(gettext_lazy("Service places"), "serviceplace", lambda o: o.service_places.all()),
         )),
    Page("memberunit", "units", ("name", "code", "kind", "region", "has_party_org", "in_joint_meeting",
                                 "contact_name", "contact_phone"), sections=(
        Section(gettext_lazy("Party organizations"), "partyorg", lambda o: o.party_orgs.all()),
        Section(gettext_lazy("Volunteer teams"), "volunteerteam", lambda o: o.volunteer_teams.all()),
    )),
    Page("partyorg", "party-orgs", ("name", "code", "kind", "parent", "region", "secretary"), sections=(
        Section(gettext_lazy("Subordinate organizations"), "partyorg", lambda o: o.children.all()),
        Section(gettext_lazy("Members"), "partymember", lambda o: o.members.all(), "organization={pk}"),
    )),
    Page("partymember", "members", ("name", "gender", "organization", "status", "phone", "is_mobile",
                                    "registered_area")),
    Page("liaison", "liaisons", ("name", "is_chief", "region", "chief", "phone"),
         sections=(Section(gettext_lazy("Liaisons in the team"), "liaison", lambda o: o.team.all()),)),
    Page("professionalteam", "professional-teams", ("name", "kind", "region", "leader_name", "leader_phone")),
    Page("volunteerteam", "volunteer-teams", ("name", "region", "member_unit", "speciality", "member_count",
                                              "leader_name", "leader_phone")),
    Page("estate", "estates", ("name", "code", "area", "property_company", "built_year"), sections=(
        Section(gettext_lazy("Buildings"), "building", lambda o: o.buildings.all(), "estate={pk}"),
        Section(gettext_lazy("Households"), "household",
                lambda o: Household.objects.filter(building__estate=o).select_related("building"), "estate={pk}"),
    ), panels=("gongzhi.deliberation.views.councils:estate_panel",)),
    Page("household", "households", ("room", "building", "size", "head_name", "phone", "elderly_living_alone",
                                     "hardship", "phone_verified_at"), extra_props=("phone_verified_at",)),
    Page("serviceplace", "service-places", ("name", "code", "kind", "region", "centre", "opening_hours", "phone"),
         sections=(Section(gettext_lazy("Stations"), "serviceplace", lambda o: o.stations.all()),)),
)}


# --- rendering cells ---------------------------------------------------------------------------------

def detail_url(obj) -> str:
    key = obj._meta.model_name
    return reverse(f"registry:{key}_detail", args=[obj.pk]) if key in PAGES else ""


def cell(obj, name: str, page: Page, personal_ok: bool) -> dict:
    """What to show for one field of one object: text, optional link, or a yes/no flag."""
    f = obj._meta.get_field(name)
    value = getattr(obj, name)
    out = {"text": "", "url": "", "bool": None}
    if f.many_to_many:
        out["text"] = "、".join(str(x) for x in value.all())
    elif isinstance(f, models.BooleanField):
        out["bool"] = value
    elif f.choices:
        out["text"] = getattr(obj, f"get_{name}_display")()
    elif f.is_relation:
        out.update(text=str(value) if value else "", url=detail_url(value) if value else "")
    elif isinstance(f, models.JSONField):
        out["text"] = "GeoJSON" if value else ""
    else:
        out["text"] = "" if value is None else value
    if name in page.personal and not personal_ok:
        out["text"] = mask_value(name, out["text"])
    return out


def table(page: Page, objects, personal_ok: bool) -> dict:
    headers = [page.model._meta.get_field(c).verbose_name for c in page.columns]
    rows = []
    for obj in objects:
        cells = [cell(obj, c, page, personal_ok) for c in page.columns]
        cells[0]["url"] = detail_url(obj)
        rows.append(cells)
    return {"headers": headers, "rows": rows}


def object_history(obj, personal_ok: bool) -> list:
    """The change history of one object the user may already see (access was checked by the caller)."""
    return history_rows(Scope(everything=True), model_label=obj._meta.label, object_id=obj.pk, masked=not personal_ok)


# --- generic views ---------------------------------------------------------------------------------

class RegistryMixin(LoginRequiredMixin):
    page: Page | None = None
    action = "list"  # what the user must be allowed to do to this kind (see gongzhi.registry.policies)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policies.can(request.user, self.page.model, self.action):
            raise Forbidden(_("You do not have permission to do this."))
        return super().dispatch(request, *args, **kwargs)

    def base_context(self) -> dict:
        model = self.page.model
        user = self.request.user
        return {"page_config": self.page, "verbose_name": model._meta.verbose_name,
                "verbose_name_plural": model._meta.verbose_name_plural,
                "list_url": reverse(f"registry:{self.page.key}_list"),
                "kind_actions": policies.actions(user, model)}


class ObjectList(RegistryMixin, ListView):
    template_name = "registry/list.html"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        return selectors.list_objects(self.request.user, self.page.key, self.request.GET)

    def get_template_names(self):
        return ["registry/_table.html"] if self.request.htmx else [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.base_context())
        ctx["table"] = table(self.page, ctx["page_obj"].object_list, personal_ok=False)  # lists never need them
        ctx["page"] = ctx["page_obj"]
        ctx["q"] = self.request.GET.get("q", "")
        ctx["filters"] = [self.filter_widget(f) for f in selectors.SPECS[self.page.key].filters]
        return ctx

    def filter_widget(self, f: selectors.Filter) -> dict:
        user = self.request.user
        if f.kind in ("bool", "present"):
            options = [("1", _("Yes")), ("0", _("No"))]
        elif f.kind == "ref":
            refs = scoped(user, f.ref, VIEW)
            if f.ref is Building and self.page.key == "household":
                refs = refs.filter(kind=BuildingKind.RESIDENTIAL)
            options = [(str(o.pk), str(o)) for o in refs.only("pk", "name")]
        elif f.kind == "region":
            options = [(str(r.pk), "\u3000" * r.depth + r.name) for r in scoped(user, Region, VIEW).exclude(
                kind="grid" if f.lookup == "parent" else "")]
        elif f.kind == "org":
            options = [(str(o.pk), o.name) for o in scoped(user, PartyOrg, VIEW).only("pk", "name")]
        else:
            options = [(str(k), v) for k, v in f.choices]
        return {"name": f.name, "label": f.label, "options": options, "value": self.request.GET.get(f.name, "")}


class ObjectDetail(RegistryMixin, DetailView):
    template_name = "registry/detail.html"
    context_object_name = "obj"

    def get_object(self, queryset=None):
        return selectors.get_object(self.request.user, self.page.key, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.base_context())
        obj, user = self.object, self.request.user
        # masked by default, for everyone; in full after a recorded reveal (gongzhi.core.reveal)
        personal_ok = ctx["personal_ok"] = personal_data_visible(user, obj, revealed=revealed(self.request, obj))
        ctx["props"] = [(obj._meta.get_field(n).verbose_name, cell(obj, n, self.page, personal_ok))
                        for n in self.page.props]
        sections = []
        for s in self.page.sections:
            qs = scoped(user, s.rows(obj), VIEW)
            total = qs.count()
            more = f"{reverse(f'registry:{s.key}_list')}?{s.more.format(pk=obj.pk)}" if s.more else ""
            sections.append({"title": s.title, "total": total, "more": more if total > SECTION_ROWS else "",
                             "table": table(PAGES[s.key], qs[:SECTION_ROWS], personal_ok=False)})
        ctx["sections"] = sections
        ctx["panels"] = [html for p in self.page.panels if (html := resolve(p)(self.request, obj))]
        ctx["history"] = object_history(obj, personal_ok)
        ctx["obj_actions"] = policies.actions(user, obj)
        ctx["edit_url"] = reverse(f"registry:{self.page.key}_edit", args=[obj.pk])
        ctx["delete_url"] = reverse(f"registry:{self.page.key}_delete", args=[obj.pk])
        if isinstance(obj, Region):
            visible = set(scoped(user, Region, VIEW).filter(pk__in=[a.pk for a in obj.ancestors()])
                          .values_list("pk", flat=True))
            ctx["ancestors"] = [(a, detail_url(a) if a.pk in visible else "") for a in obj.ancestors()]
            ctx["add_child_url"] = reverse("registry:region_create") + f"?parent={obj.pk}"
        return ctx


class ObjectForm(RegistryMixin, View):
    """Create (no pk) or edit (pk) one object; choices are limited to the user's edit scope."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = kwargs.get("pk")
        self.action = "create" if self.pk is None else "edit"

    def get_instance(self):
        if self.pk is None:
            return None
        return selectors.get_object(self.request.user, self.page.key, self.pk, "edit")

    def render_form(self, form, instance):
        ctx = self.base_context() | {"form": form, "obj": instance,
                                     "cancel_url": detail_url(instance) if instance else reverse(
                                         f"registry:{self.page.key}_list")}
        return render(self.request, "registry/form.html", ctx)

    def get(self, request, pk=None):
        instance = self.get_instance()
        form_class = FORMS[self.page.key]
        initial = {k: v for k, v in request.GET.items() if k in form_class._meta.fields} if instance is None else {}
        return self.render_form(form_class(instance=instance, initial=initial, user=request.user), instance)

    def post(self, request, pk=None):
        instance = self.get_instance()
        form = FORMS[self.page.key](request.POST, instance=instance, user=request.user)
        if form.is_valid():
            try:
                obj = call_service(form, services.save, self.page.key, actor=request.user, data=request.POST,
                                   pk=instance.pk if instance else None, unchanged_raises=True)
            except NothingChanged as e:
                messages.info(request, e.message)
                return redirect(detail_url(instance))
            if obj is not None:
                messages.success(request, _("Saved “%(obj)s”.") % {"obj": obj})
                return redirect(detail_url(obj))
        return self.render_form(form, instance)


class ObjectDelete(RegistryMixin, View):
    action = "delete"

    def get(self, request, pk):
        obj = selectors.get_object(request.user, self.page.key, pk, "delete")
        return render(request, "registry/confirm_delete.html",
                      self.base_context() | {"obj": obj, "cancel_url": detail_url(obj)})

    def post(self, request, pk):
        try:
            services.delete(self.page.key, pk, actor=request.user)
        except Conflict as e:
            messages.error(request, e.message)
            return redirect(reverse(f"registry:{self.page.key}_detail", args=[pk]))
        messages.success(request, _("Deleted."))
        return redirect(reverse(f"registry:{self.page.key}_list"))


def urls_for(page: Page) -> list:
    k, s = page.key, page.slug
    return [
        path(f"{s}/", ObjectList.as_view(page=page), name=f"{k}_list"),
        path(f"{s}/new/", ObjectForm.as_view(page=page), name=f"{k}_create"),
        path(f"{s}/<int:pk>/", ObjectDetail.as_view(page=page), name=f"{k}_detail"),
        path(f"{s}/<int:pk>/edit/", ObjectForm.as_view(page=page), name=f"{k}_edit"),
        path(f"{s}/<int:pk>/delete/", ObjectDelete.as_view(page=page), name=f"{k}_delete"),
    ]


# --- tree and overview pages -------------------------------------------------------------------------

@login_required
def tree(request):
    """A collapsible tree of the user's visible regions with counts per node."""
    roots = selectors.region_tree(request.user)
    return render(request, "registry/tree.html", {"roots": roots, "kind_actions": policies.actions(request.user, Region)})


@login_required
def more(request):
    """Links to the lists of liaisons, professional teams, volunteer teams and service places."""
    return render(request, "registry/more.html", {"counts": selectors.more_counts(request.user)})



# --- H5: a household proves its contact phone ------------------------------------------------------------

SESSION_HOUSEHOLD_TOKEN = "registry_household_phone_token"  # the signed hash of the SMS code sent


def household_phone(request):
    """A resident confirms the contact phone their household has on file: the number, then the six digits of the
    SMS (no account needed). A number on no household's file gets a neutral refusal and no SMS."""
    from gongzhi.demands.forms import CodeForm, PhoneForm
    from gongzhi.demands.services import rate_allows

    phone_form, code_form, done = PhoneForm(), None, 0
    if request.method == "POST" and request.POST.get("step") == "code":
        code_form = CodeForm(request.POST)
        token = request.session.get(SESSION_HOUSEHOLD_TOKEN, "")
        if code_form.is_valid() and (done := call_service(code_form, services.verify_household_phone, token,
                                                          code_form.cleaned_data["code"]) or 0):
            request.session.pop(SESSION_HOUSEHOLD_TOKEN, None)
            code_form = None
    elif request.method == "POST":
        phone_form = PhoneForm(request.POST)
        if phone_form.is_valid():
            if not rate_allows("household-phone", request.META.get("REMOTE_ADDR", ""), limit=HOUSEHOLD_PHONE_RATE,
                               seconds=3600):
                phone_form.add_error("phone", _("Too many attempts from here. Try again in an hour."))
            elif token := call_service(phone_form, services.send_household_phone_code,
                                       phone_form.cleaned_data["phone"]):
                request.session[SESSION_HOUSEHOLD_TOKEN] = token
                code_form = CodeForm()
    failed = bool(phone_form.errors or (code_form is not None and code_form.errors))
    return render(request, "registry/h5/household_phone.html",
                  {"phone_form": phone_form, "code_form": code_form, "done": done}, status=422 if failed else 200)


HOUSEHOLD_PHONE_RATE = 20  # numbers one address may try per hour
