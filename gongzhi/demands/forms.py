"""Forms of the demand pages: the public H5 intake, tracking and review, the staff queue filters and the
action forms on the demand page. Forms validate input; writes go through `gongzhi.demands.services`."""

from __future__ import annotations

import uuid

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleAssignment, User
from gongzhi.accounts.roles import ROLE_CAPABILITIES, Capability
from gongzhi.accounts.scope import scope_for, scoped
from gongzhi.core.forms import DATE_INPUT
from gongzhi.demands import selectors
from gongzhi.demands.models import Category, Channel, Priority
from gongzhi.demands.workflow import State
from gongzhi.registry.models import ProfessionalTeam, Region, RegionKind, phone_validator

MAX_INTAKE_PHOTOS = 3


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input (the images are checked by content in the service)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_INTAKE_PHOTOS:
            raise forms.ValidationError(_("At most %(n)s photos.") % {"n": MAX_INTAKE_PHOTOS})
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


def _category_choices(categories) -> list:
    return [("", _("Choose…"))] + [(str(c.pk), c.name) for c in categories]


class IntakeForm(forms.Form):
    """The resident's H5 form. `categories` are the top-level categories (children prefetched)."""

    title = forms.CharField(label=_("Subject"), max_length=120)
    description = forms.CharField(label=_("What happened?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=_("Category"), required=False)
    subcategory = forms.ChoiceField(label=_("Sub-category"), required=False)
    address = forms.CharField(label=_("Address or building"), max_length=200, required=False,
                              help_text=_("For example: building 1, lane 100, Wutong Road."))
    submitter_name = forms.CharField(label=_("Your name"), max_length=40, required=False)
    submitter_phone = forms.CharField(label=_("Mobile phone"), max_length=20, validators=[phone_validator],
                                      help_text=_("Used to follow up and to track your demand."))
    photos = MultipleImageField(label=_("Photos (at most 3)"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {str(c.pk): c for c in categories}
        self.fields["category"].choices = _category_choices(categories)
        parent = self.categories.get(str(self.data.get("category") or self.initial.get("category") or ""))
        self.fields["subcategory"].choices = _category_choices(parent.children.all() if parent else [])
        self.fields["submitter_phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = uuid.uuid4().hex

    def clean_submitter_phone(self):
        return self.cleaned_data["submitter_phone"].replace(" ", "")

    def chosen_category(self) -> Category | None:
        parent = self.categories.get(self.cleaned_data.get("category") or "")
        if parent is None:
            return None
        child = next((c for c in parent.children.all() if str(c.pk) == self.cleaned_data.get("subcategory")), None)
        return child or parent


class TrackForm(forms.Form):
    tracking_code = forms.CharField(label=_("Tracking code"), max_length=20)
    last4 = forms.RegexField(label=_("Last four digits of your phone"), regex=r"^\d{4}$", max_length=4,
                             error_messages={"invalid": _("Enter four digits.")})

    def clean_tracking_code(self):
        return self.cleaned_data["tracking_code"].strip().upper()


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, validators=[phone_validator])

    def clean_phone(self):
        return self.cleaned_data["phone"].replace(" ", "")


class CodeForm(forms.Form):
    code = forms.RegexField(label=_("Code from the SMS"), regex=r"^\d{6}$", max_length=6,
                            error_messages={"invalid": _("Enter the six digits of the SMS.")})


class ReviewForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you?"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 · Satisfied")), (4, _("4 · Mostly satisfied")), (3, _("3 · So-so")),
                 (2, _("2 · Not satisfied")), (1, _("1 · Very unsatisfied"))])
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


# --- Staff ---------------------------------------------------------------------------------------------

class QueueFilterForm(forms.Form):
    QUEUES = [("", _("All in my scope")), ("grid", _("My grids' open queue")), ("mine", _("Assigned to or claimed by me"))]
    queue = forms.ChoiceField(label=_("Queue"), choices=QUEUES, required=False)
    q = forms.CharField(label=_("Code, title or address"), required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All"))] + State.choices, required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    grid = forms.ChoiceField(label=_("Grid"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("All"))] + Channel.choices, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=[("", _("All"))] + Priority.choices, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    open = forms.BooleanField(label=_("Open only"), required=False)
    reopened = forms.BooleanField(label=_("Reopened by a review"), required=False)
    date_from = forms.DateField(label=_("Submitted from"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("Submitted until"), required=False, widget=DATE_INPUT)
    resolved_from = forms.DateField(label=_("Resolved from"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        cats = selectors.categories_in_scope(user)
        self.fields["category"].choices = [("", _("All"))] + [(str(c.pk), c.name) for c in cats]
        grids = scoped(user, Region.objects.filter(kind=RegionKind.GRID), Capability.VIEW_REGISTRY)
        self.fields["grid"].choices = [("", _("All"))] + [(str(g.pk), g.name) for g in grids]


def filtered_queue(user, params):
    """The user's queue narrowed by the filters in ``params`` (the queue page's and its export's), and the bound
    filter form."""
    form = QueueFilterForm(params or None, user=user)
    f = form.cleaned_data if form.is_valid() else {}
    names = ("state", "category", "grid", "channel", "priority", "overdue", "open", "reopened", "resolved_from", "q")
    qs = selectors.demands_for(user, {k: f.get(k) for k in names} | {"mine": f.get("queue") == "mine"})
    if f.get("queue") == "grid":
        qs = qs.filter(pk__in=selectors.grid_queue(user).values("pk"))
    if f.get("date_from"):
        qs = qs.filter(created_at__date__gte=f["date_from"])
    if f.get("date_to"):
        qs = qs.filter(created_at__date__lte=f["date_to"])
    return form, qs


def handlers_in_scope(user):
    """People the user may assign demands to: holders of a role that handles demands inside the user's
    assignment scope (or above the user's regions: the area secretary of a grid leader)."""
    roles = [r for r, caps in ROLE_CAPABILITIES.items() if Capability.HANDLE_DEMANDS in caps]
    scope = scope_for(user, Capability.ASSIGN_DEMANDS)
    assignments = RoleAssignment.objects.filter(role__in=roles)
    if not scope.everything:
        q = Q(pk__in=[])
        for path in scope.region_paths:
            q |= Q(region__path__startswith=path)
        assignments = assignments.filter(q)
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id"))  # ordered by the form


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        member = getattr(obj, "party_member", None)
        if member is not None and member.grid_id:
            return _("%(name)s (party member, %(grid)s)") % {"name": obj, "grid": member.grid.name}
        return str(obj)


def grid_members_of(demand) -> QuerySet:
    """Party members with an account who serve the demand's grid (a resident's demand): a grid leader may hand
    it to one of them (`policies.may_take_on`)."""
    if demand is None or not demand.grid_id or demand.is_enterprise:
        return User.objects.none()
    return User.objects.filter(is_active=True, party_member__grid_id=demand.grid_id)


class AssignForm(forms.Form):
    assignee = AssigneeField(label=_("Person"), queryset=User.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Professional team"), queryset=ProfessionalTeam.objects.none(),
                                  required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, user=None, demand=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = handlers_in_scope(user)
        if demand is not None:  # the demand page also offers the party members serving its grid
            people = User.objects.filter(Q(pk__in=people.values("pk")) | Q(pk__in=grid_members_of(demand)))
        self.fields["assignee"].queryset = people.select_related("party_member__grid").order_by(
            "display_name", "username")
        self.fields["team"].queryset = scoped(user, ProfessionalTeam, Capability.VIEW_REGISTRY).distinct()

    def clean(self):
        data = super().clean()
        if bool(data.get("assignee")) == bool(data.get("team")):
            raise forms.ValidationError(_("Choose a person or a team."))
        return data


class RouteForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Region.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = scoped(user, Region.objects.filter(kind=RegionKind.GRID),
                                              Capability.VIEW_REGISTRY)


class ClaimForm(forms.Form):
    promise = forms.CharField(label=_("Public promise"), max_length=200, required=False,
                              help_text=_("What you promise to do, and by when."))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("How was it resolved?"), max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleImageField(label=_("Photos after (at most 3)"), required=False)


class MergeForm(forms.Form):
    tracking_code = forms.CharField(label=_("Merge into (tracking code)"), max_length=20)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=15)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", _("Approve")), ("0", _("Refuse"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
