"""Forms of the calls part's pages: they check the shape of the input (Chinese field errors come from Django and
our catalogue); the services check the rules and their errors land on the same fields (gongzhi.core.forms)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.scope import scoped
from gongzhi.core.forms import DATE_INPUT
from gongzhi.deliberation.models import Meeting, Topic
from gongzhi.funds.models import ProposalOrigin, SelectionMethod
from gongzhi.funds.workflow import CallAction
from gongzhi.registry.models import Building, Household, VolunteerTeam

MONEY = {"max_digits": 14, "decimal_places": 2}
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CallForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("fund"), queryset=None)
    title = forms.CharField(label=_("title"), max_length=120)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    budget = forms.DecimalField(label=_("budget (yuan)"), min_value=Decimal("0.01"), **MONEY)
    max_per_proposal = forms.DecimalField(label=_("most per proposal (yuan)"), required=False,
                                          min_value=Decimal("0.01"), **MONEY)
    cosigns_needed = forms.IntegerField(label=_("co-signing households needed"), min_value=0, max_value=500,
                                        initial=0, help_text=_("A residents' proposal is submitted once this many "
                                                               "households have co-signed it."))
    selection = forms.ChoiceField(label=_("selection"), choices=SelectionMethod.choices)
    accepting_until = forms.DateField(label=_("proposals accepted until"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, funds=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        if editing:
            self.fields["fund"].disabled = True
            self.fields["fund"].required = False

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in ("title", "description", "budget", "max_per_proposal", "cosigns_needed",
                                  "selection", "accepting_until")}


class CallTransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in CallAction.values if a != CallAction.ANNOUNCE])
    note = forms.CharField(required=False, max_length=2000)


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("item"), max_length=120, required=False)
    quantity = forms.DecimalField(label=_("quantity"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"),
                                  required=False)
    unit_price = forms.DecimalField(label=_("unit price (yuan)"), min_value=Decimal("0.01"), required=False,
                                    max_digits=12, decimal_places=2)

    def clean(self):
        d = super().clean()
        filled = [d.get("item"), d.get("quantity"), d.get("unit_price")]
        if any(v not in (None, "") for v in filled):
            for name, value in zip(("item", "quantity", "unit_price"), filled, strict=True):
                if value in (None, "") and name not in self.errors:
                    self.add_error(name, _("This field is required."))
        return d


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=0, min_num=3, max_num=30, absolute_max=30)


def budget_lines(data=None, *, initial=None) -> forms.BaseFormSet:
    return BudgetLineFormSet(data, prefix="lines", initial=initial)


def lines_of(formset) -> list[dict]:
    return [{"item": f.cleaned_data.get("item"), "quantity": f.cleaned_data.get("quantity"),
             "unit_price": f.cleaned_data.get("unit_price")} for f in formset.forms if f.cleaned_data]


class ProposalForm(forms.Form):
    """Staff enter a proposal for a resident or volunteer team, or from a deliberation topic."""

    title = forms.CharField(label=_("title"), max_length=120)
    summary = forms.CharField(label=_("what and why"), widget=forms.Textarea(attrs={"rows": 4}))
    origin = forms.ChoiceField(label=_("proposed by"), choices=ProposalOrigin.choices)
    team_name = forms.CharField(label=_("team"), max_length=80, required=False)
    volunteer_team = forms.ModelChoiceField(label=_("volunteer team"), queryset=None, required=False)
    topic = forms.ModelChoiceField(label=_("deliberation topic"), queryset=None, required=False)
    contact_name = forms.CharField(label=_("contact person"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=20, required=False)
    beneficiaries = forms.CharField(label=_("beneficiaries"), max_length=200, required=False)
    beneficiary_count = forms.IntegerField(label=_("expected beneficiaries"), min_value=0, initial=0, required=False)
    starts_on = forms.DateField(label=_("project starts"), required=False, widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("project ends"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, call=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        path = call.fund.region.path
        from django.db.models import Q

        teams = VolunteerTeam.objects.select_related("region").filter(
            Q(region__path__startswith=path) | Q(region__path__in=_ancestors(path)))
        self.fields["volunteer_team"].queryset = teams
        self.fields["topic"].queryset = Topic.objects.filter(area__path__startswith=path).order_by("-created_at")

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["beneficiary_count"] = d.get("beneficiary_count") or 0
        return d


def _ancestors(path: str) -> list[str]:
    """The paths of the regions above `path` ("/1/4/9/" → "/1/", "/1/4/")."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


class H5ProposalForm(forms.Form):
    """A resident's proposal on H5 (the contact phone is the one they proved)."""

    title = forms.CharField(label=_("title"), max_length=120)
    summary = forms.CharField(label=_("what and why"), widget=forms.Textarea(attrs={"rows": 4}))
    team_name = forms.CharField(label=_("team"), max_length=80, required=False,
                                help_text=_("e.g. the residents of building 3"))
    contact_name = forms.CharField(label=_("contact person"), max_length=40)
    household = forms.TypedChoiceField(label=_("proposing household"), coerce=int, required=False, empty_value=None)
    beneficiaries = forms.CharField(label=_("beneficiaries"), max_length=200, required=False)

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", "—")] + [(h.pk, f"{h.building.name} {h.room}") for h in households]


class ReviewForm(forms.Form):
    """One amount per budget line (at most what it asks), and the reason."""

    note = forms.CharField(label=_("review"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Feasibility and price: why it is funded this way."))

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=f"{line.item}（{line.quantity} × {line.unit_price}）", min_value=Decimal("0"),
                initial=line.approved if line.approved is not None else line.amount, **MONEY)

    def approved_lines(self) -> dict:
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}


class PaperCosignForm(forms.Form):
    """Staff record a household's co-signature given on paper: the building and the room, as the paper sheet has
    them (the household must be registered there)."""

    building = forms.ModelChoiceField(label=_("building"), queryset=None)
    room = forms.CharField(label=_("room"), max_length=20)

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = (Building.objects.filter(region__path__startswith=call.fund.region.path)
                                            .order_by("name", "pk"))

    def clean(self):
        d = super().clean()
        if d.get("building") is not None and d.get("room"):
            home = Household.objects.filter(building=d["building"], room=d["room"].strip()).order_by("pk").first()
            if home is None:
                self.add_error("room", _("No household is registered at this room of the building."))
            else:
                d["household"] = home
        return d


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class VoteForm(forms.Form):
    opens_at = forms.DateTimeField(label=_("opens at"), widget=DATETIME_INPUT)
    closes_at = forms.DateTimeField(label=_("closes at"), widget=DATETIME_INPUT)
    participation_threshold = forms.IntegerField(label=_("participation threshold (%)"), min_value=1,
                                                 max_value=100, required=False)
    approval_threshold = forms.IntegerField(label=_("approval threshold (%)"), min_value=0, max_value=99,
                                            required=False)

    def __init__(self, *args, **kwargs):
        now = timezone.localtime().replace(second=0, microsecond=0)
        kwargs.setdefault("initial", {"opens_at": now, "closes_at": now + timezone.timedelta(days=7)})
        super().__init__(*args, **kwargs)


class DecideForm(forms.Form):
    selected = forms.TypedChoiceField(label=_("decision"), coerce=lambda v: v == "yes",
                                      choices=[("yes", _("Selected")), ("no", _("Not selected"))])
    meeting = forms.ModelChoiceField(label=_("council meeting"), queryset=None, required=False)
    note = forms.CharField(label=_("selection"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("A reason is needed when the proposal is not selected."))

    def __init__(self, *args, user=None, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        from gongzhi.accounts.roles import Capability

        self.fields["meeting"].queryset = (scoped(user, Meeting, Capability.VIEW_DELIBERATION)
                                           .filter(topic__area__path__startswith=call.fund.region.path)
                                           .order_by("-starts_at")) if user is not None else Meeting.objects.none()


class GrantForm(forms.Form):
    occurred_on = forms.DateField(label=_("date"), required=False, widget=DATE_INPUT)
