"""Forms of the councils part. Every choice of a place, person, unit or organization is limited to what the user
may manage or see (the services check again); validation beyond the fields is the services'."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scoped
from gongzhi.deliberation.models.councils import (
    Candidate,
    CommitteeMember,
    CommitteeRole,
    Council,
    CouncilSeat,
    OwnersCommittee,
    OwnersElection,
)
from gongzhi.deliberation.selectors import councils as selectors
from gongzhi.registry.models import Household, MemberUnit, PartyMember, PartyOrg

MANAGE = Capability.MANAGE_DELIBERATION
VIEW_REGISTRY = Capability.VIEW_REGISTRY


def _dates(form) -> None:
    for f in form.fields.values():
        if isinstance(f, forms.DateField):
            f.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def households_near(user, area):
    """The households of a residential area the user may see (a person's household on a seat or a committee)."""
    qs = scoped(user, Household.objects.select_related("building"), VIEW_REGISTRY)
    return qs.filter(building__region__path__startswith=area.path) if area is not None else qs.none()


def party_members_near(user, area):
    """Party members of an area (its organizations, or registered or serving there) the user may see."""
    qs = scoped(user, PartyMember.objects.select_related("organization"), VIEW_REGISTRY)
    if area is None:
        return qs.none()
    return qs.filter(Q(organization__region__path__startswith=area.path) | Q(registered_area=area)
                     | Q(grid__path__startswith=area.path)).distinct()


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = ["name", "area", "estate", "shape", "purpose", "founded_on", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["area"].queryset = selectors.areas_for(user, MANAGE)
        self.fields["estate"].queryset = selectors.estates_for(user, MANAGE)
        self.fields["shape"].widget.attrs["placeholder"] = "1+4+16"


class SeatForm(forms.ModelForm):
    class Meta:
        model = CouncilSeat
        fields = ["kind", "tier", "title", "person_name", "party_member", "household", "member_unit", "party_org",
                  "note", "order"]

    def __init__(self, *args, user, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].required = False
        self.fields["tier"].help_text = _("Left empty, it follows from the kind of seat.")
        self.fields["order"].required = False
        self.fields["household"].queryset = households_near(user, council.area)
        self.fields["party_member"].queryset = party_members_near(user, council.area)
        self.fields["member_unit"].queryset = scoped(user, MemberUnit, VIEW_REGISTRY)
        self.fields["party_org"].queryset = scoped(user, PartyOrg, VIEW_REGISTRY)

    def _post_clean(self):  # the service validates the seat as a whole (holder, shape, scope)
        pass


class RulesForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=80)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 14}))
    change_note = forms.CharField(label=_("what changed"), max_length=200, required=False)
    effective_on = forms.DateField(label=_("in force from"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                   help_text=_("Left empty: today."))


class CommitteeForm(forms.ModelForm):
    estate = forms.ModelChoiceField(queryset=None, label=_("estate"))

    class Meta:
        model = OwnersCommittee
        fields = ["estate", "name", "term_number", "term_start", "term_end", "party_work_group",
                  "party_work_group_note", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["estate"].queryset = selectors.estates_for(user, MANAGE)
        self.fields["term_number"].required = False
        area = self.instance.estate.area if self.instance.pk else None
        members = party_members_near(user, area) if area else scoped(user, PartyMember, VIEW_REGISTRY)
        self.fields["party_work_group"].queryset = members
        if self.instance.pk:
            del self.fields["estate"]

    def _post_clean(self):
        pass


class CommitteeMemberForm(forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["role", "name", "party_member", "household", "is_party_member", "skills"]

    def __init__(self, *args, user, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Left empty, the party member's name.")
        self.fields["household"].queryset = households_near(user, committee.estate.area).filter(
            building__estate=committee.estate)
        self.fields["party_member"].queryset = party_members_near(user, committee.estate.area)

    def _post_clean(self):
        pass


class ElectionForm(forms.ModelForm):
    estate = forms.ModelChoiceField(queryset=None, label=_("estate"))

    class Meta:
        model = OwnersElection
        fields = ["estate", "title", "term_number", "seats"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = selectors.estates_for(user, MANAGE)
        self.fields["term_number"].required = False
        self.fields["term_number"].help_text = _("Left empty: the term after the estate's latest committee.")

    def _post_clean(self):
        pass


class CandidateForm(forms.ModelForm):
    keeps_hallway_clear = forms.NullBooleanField(
        label=_("keeps the hallway clear"), required=False, widget=forms.NullBooleanSelect,
        help_text=_("No clutter of their own in the stairwell (checked on site)."))

    class Meta:
        model = Candidate
        fields = ["name", "gender", "birth_year", "party_member", "household", "political_status", "occupation",
                  "skills", "building_leader_opinion", "building_leader_note", "residents_opinion",
                  "keeps_hallway_clear", "neighbour_relations"]

    def __init__(self, *args, user, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Left empty, the party member's name.")
        area = election.estate.area
        self.fields["household"].queryset = households_near(user, area).filter(building__estate=election.estate)
        self.fields["party_member"].queryset = party_members_near(user, area)
        self.fields["party_member"].help_text = _("A party member's political status comes from the roll.")
        self.fields["keeps_hallway_clear"].widget.choices = [
            ("unknown", _("Not checked yet")), ("true", _("Yes")), ("false", _("No"))]

    def _post_clean(self):
        pass


class StepForm(forms.Form):
    action = forms.CharField(max_length=30, widget=forms.HiddenInput)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HoldForm(forms.Form):
    held_on = forms.DateField(label=_("held on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("place"), max_length=120, required=False)
    notary_present = forms.BooleanField(label=_("notary present"), required=False)
    notary = forms.CharField(label=_("notary office"), max_length=80, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


NOT_ELECTED = ""


class ResultForm(forms.Form):
    """Who was elected to which role (one row per approved candidate) and the owners' vote's outcome."""

    owners_outcome = forms.CharField(label=_("outcome of the owners' vote"), widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("The formal vote by area share, held outside the platform."))
    turnout_share = forms.DecimalField(label=_("turnout (percent of owners)"), required=False, min_value=0, max_value=100,
                                       decimal_places=2)
    approval_share = forms.DecimalField(label=_("approval (percent of area share)"), required=False, min_value=0,
                                        max_value=100, decimal_places=2)
    committee_name = forms.CharField(label=_("name of the committee"), max_length=80, required=False)
    term_start = forms.DateField(label=_("term starts"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=_("Left empty: the day of the election."))
    term_end = forms.DateField(label=_("term ends"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    result_note = forms.CharField(label=_("about the result"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        roles = [(NOT_ELECTED, _("Not elected")), *CommitteeRole.choices]
        for c in candidates:
            self.fields[f"role_{c.pk}"] = forms.ChoiceField(label=c.name, choices=roles, required=False)
            self.fields[f"votes_{c.pk}"] = forms.IntegerField(label=_("votes received"), min_value=0, required=False)

    OUTCOME = ("owners_outcome", "turnout_share", "approval_share", "committee_name", "term_start", "term_end",
               "result_note")

    def outcome_fields(self):
        return [self[name] for name in self.OUTCOME]

    def rows(self):
        return [(c, self[f"role_{c.pk}"], self[f"votes_{c.pk}"]) for c in self.candidates]

    def result(self) -> dict:
        data = self.cleaned_data
        return {
            "elected": {c.pk: data[f"role_{c.pk}"] for c in self.candidates if data.get(f"role_{c.pk}")},
            "votes": {c.pk: data[f"votes_{c.pk}"] for c in self.candidates if data.get(f"votes_{c.pk}") is not None},
            **{k: data[k] for k in self.OUTCOME},
        }
