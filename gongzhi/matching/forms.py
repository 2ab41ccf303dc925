from __future__ import annotations

import secrets

from django import forms
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scope_for, scoped
from gongzhi.core import media
from gongzhi.core.forms import DATE_INPUT as DATE
from gongzhi.demands.models import Demand
from gongzhi.matching import selectors
from gongzhi.matching.models import Campaign, Need, NeedSource, Resource
from gongzhi.matching.policies import MANAGE, OFFER
from gongzhi.matching.workflow import NEED_FLOW, PROJECT_FLOW, RESOURCE_FLOW
from gongzhi.registry.models import MemberUnit, PartyOrg, Region


class Picker(forms.Widget):
    """A searchable picker instead of a long <select>: a search box that asks the server (htmx,
    `matching:picker`) for the options matching the text, within what the user may pick; each option shows its
    code, place and dates. The chosen options stay in the list. The form sets `user`."""

    def __init__(self, kind: str, multiple: bool = False, attrs=None):
        super().__init__(attrs)
        self.kind, self.multiple, self.user = kind, multiple, None

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if self.multiple and hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False if self.multiple else name not in data

    def render(self, name, value, attrs=None, renderer=None):
        chosen = value if isinstance(value, (list, tuple)) else ([value] if value not in (None, "") else [])
        chosen = [getattr(v, "pk", v) for v in chosen]
        return render_to_string("matching/_picker.html", {
            "name": name, "multiple": self.multiple, "url": reverse("matching:picker", args=[self.kind]),
            "options": selectors.picker_options(self.user, self.kind, "", chosen) if self.user else [],
        })


def _code(prefix: str) -> str:
    return f"{prefix}{timezone.now():%Y%m%d}-{secrets.token_hex(3).upper()}"


class _DatesMixin:
    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end lies before the start."))
        return data


class CampaignForm(_DatesMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "year", "season", "subdistrict", "starts_on", "ends_on", "description"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = selectors.staff_subdistricts(user)


class CampaignEditForm(_DatesMixin, forms.ModelForm):
    """What staff may change on a running campaign: its name, season, dates and description."""

    class Meta(CampaignForm.Meta):
        fields = ["name", "season", "starts_on", "ends_on", "description"]






class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), validators=[media.validate_attachment],
                           help_text=_("Images, PDF, .xlsx or .docx; at most 10 MB."))


class ResourceForm(_DatesMixin, forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["campaign", "code", "title", "description", "category", "provider_unit", "provider_org",
                  "capacity", "unit", "starts_on", "ends_on", "regions", "contact_name", "contact_phone"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["campaign"].queryset = selectors.campaigns_for(user)
        offer, manage = scope_for(user, OFFER), scope_for(user, MANAGE)
        units = MemberUnit.objects.filter(pk__in=offer.unit_ids) | MemberUnit.objects.filter(manage.q(MemberUnit))
        self.fields["provider_unit"].queryset = MemberUnit.objects.all() if offer.everything else units.distinct()
        self.fields["provider_org"].queryset = PartyOrg.objects.filter(manage.q(PartyOrg))
        self.fields["regions"].queryset = selectors.regions_to_serve(user, self.instance)

    def clean_code(self):
        return self.cleaned_data.get("code") or self.instance.code or _code("R")


class NeedForm(_DatesMixin, forms.ModelForm):
    class Meta:
        model = Need
        fields = ["campaign", "code", "title", "description", "category", "source", "place", "beneficiaries",
                  "quantity", "unit", "starts_on", "ends_on", "urgency", "demands"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["campaign"].queryset = selectors.campaigns_for(user)
        self.fields["place"].queryset = Region.objects.filter(scope_for(user, MANAGE).q(Region)).order_by("path")
        # linked demands stay valid even when they left the user's scope since
        linked = list(self.instance.demands.values_list("pk", flat=True)) if self.instance.pk else []
        visible = scoped(user, Demand, Capability.VIEW_DEMANDS)
        self.fields["demands"].queryset = Demand.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=linked))
        self.fields["demands"].widget = Picker("demands", multiple=True)
        self.fields["demands"].widget.user = user
        self.fields["demands"].help_text = _("The resident demands behind this need (hot issues, top concerns): "
                                             "search by tracking code, title or place.")

    def clean_code(self):
        return self.cleaned_data.get("code") or self.instance.code or _code("N")

    @staticmethod
    def initial_from(params, user) -> dict:
        """Initial values for a need raised from a hot issue (`?source=hot_issue&title=…&demands=1,2,3&place=ID`):
        only demands and places inside the user's scope are taken."""
        if params.get("source") != NeedSource.HOT_ISSUE:
            return {}
        ids = [int(x) for x in params.get("demands", "").split(",") if x.strip().isdigit()][:200]
        demands = list(scoped(user, Demand, Capability.VIEW_DEMANDS).filter(pk__in=ids))
        initial = {"source": NeedSource.HOT_ISSUE, "title": params.get("title", "")[:120], "demands": demands,
                   "beneficiaries": len(demands),
                   "description": params.get("description", "")[:2000]}
        place = params.get("place", "")
        if place.isdigit() and Region.objects.filter(scope_for(user, MANAGE).q(Region), pk=int(place)).exists():
            initial["place"] = int(place)
        return initial


class ClaimNeedForm(forms.Form):
    resource = forms.ModelChoiceField(Resource.objects.none(), label=_("With our resource"))
    amount = forms.IntegerField(label=_("Amount"), min_value=1, required=False)
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = selectors.claimable_resources(user)


class ClaimResourceForm(forms.Form):
    need = forms.ModelChoiceField(Need.objects.none(), label=_("For our need"), widget=Picker("needs"))
    amount = forms.IntegerField(label=_("Amount"), min_value=1, required=False)
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = selectors.claimable_needs(user)
        self.fields["need"].widget.user = user


def _choices(flow) -> list[tuple[str, str]]:
    actions = {a for (_s, a) in flow.transitions}
    return [(a, label) for a, label in flow.actions.choices if a in actions]


class StatusForm(forms.Form):
    """One step of a need's or a resource's status, with an optional note."""

    action = forms.ChoiceField(choices=_choices(NEED_FLOW) + _choices(RESOURCE_FLOW), widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=_choices(PROJECT_FLOW), widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    beneficiaries_served = forms.IntegerField(label=_("Beneficiaries served"), min_value=0, required=False)
    hours = forms.IntegerField(label=_("Service hours"), min_value=0, required=False)
    satisfaction = forms.IntegerField(label=_("Satisfaction (1-5)"), min_value=1, max_value=5, required=False)


class PlanForm(forms.Form):
    plan = forms.CharField(label=_("Plan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    budget = forms.DecimalField(label=_("Budget (yuan)"), min_value=0, decimal_places=2, max_digits=12)
    participants = forms.CharField(label=_("Participants"), required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=120)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)
