"""Forms of the votes part: preparing a vote, recording a ballot, drafting, revising, amending and adopting a
resident convention. The forms read what a user may pick (scoped); the services check the rest and their field
errors come back onto these forms (gongzhi.core.forms.call_service)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.scope import scoped
from gongzhi.deliberation.models import (
    DEFAULT_APPROVAL,
    DEFAULT_PARTICIPATION,
    ConventionVersion,
    Meeting,
    ResidentConvention,
    Topic,
    VoteKind,
    VoteScope,
)
from gongzhi.deliberation.policies.votes import MANAGE
from gongzhi.deliberation.workflow import OPEN_TOPIC_STATES
from gongzhi.registry.models import Estate, Region, RegionKind

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type=datetime-local> sends and reads
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime(label):
    return forms.DateTimeField(label=label, widget=DATETIME, input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"])


class VoteForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none())
    title = forms.CharField(label=_("Motion"), max_length=200,
                            help_text=_("What is put to the vote, as one question or proposal."))
    description = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(), required=False,
                                     help_text=_("The meeting the motion is put to; leave empty for an online vote."))
    convention_version = forms.ModelChoiceField(label=_("Convention version"), required=False,
                                                queryset=ConventionVersion.objects.none(), widget=forms.HiddenInput)
    scope = forms.ChoiceField(label=_("Who votes"), choices=VoteScope.choices, initial=VoteScope.ESTATE,
                              help_text=_("One ballot per household of the estate, grid or residential area, or one "
                                          "per council seat."))
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.none(), required=False)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Region.objects.none(), required=False)
    eligible_seats = forms.CharField(label=_("Eligible seats"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("For a vote of council seats: one seat holder per line."))
    kind = forms.ChoiceField(label=_("Options"), choices=VoteKind.choices, initial=VoteKind.YES_NO)
    alternatives = forms.CharField(label=_("Alternatives"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("For a choice among alternatives: one per line."))
    participation_threshold = forms.IntegerField(label=_("Participation threshold (%)"), initial=DEFAULT_PARTICIPATION,
                                                 min_value=1, max_value=100)
    approval_threshold = forms.IntegerField(label=_("Approval threshold (%)"), initial=DEFAULT_APPROVAL, min_value=0,
                                            max_value=99)
    is_secret = forms.BooleanField(label=_("Secret ballot"), required=False,
                                   help_text=_("Who voted is kept apart from what they chose."))
    opens_at = _datetime(_("Opens at"))
    closes_at = _datetime(_("Closes at"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participation_threshold"].help_text = gettext(
            "Default %(n)s: the vote counts when at least this share of the eligible households (or seats) voted."
        ) % {"n": f"{DEFAULT_PARTICIPATION}%"}
        self.fields["approval_threshold"].help_text = gettext(
            "Default %(n)s: the motion passes when more than this share of the ballots cast approve it (abstentions "
            "count as ballots cast).") % {"n": f"{DEFAULT_APPROVAL}%"}
        topics = scoped(user, Topic, MANAGE).filter(state__in=OPEN_TOPIC_STATES).select_related("area")
        self.fields["topic"].queryset = topics
        self.fields["meeting"].queryset = scoped(user, Meeting, MANAGE).select_related("topic")
        self.fields["convention_version"].queryset = ConventionVersion.objects.filter(
            convention__in=scoped(user, ResidentConvention, MANAGE))
        self.fields["estate"].queryset = scoped(user, Estate, MANAGE)
        self.fields["grid"].queryset = scoped(user, Region, MANAGE).filter(kind=RegionKind.GRID)
        if not self.is_bound and "opens_at" not in self.initial:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("opens_at", now)
            self.initial.setdefault("closes_at", now + timezone.timedelta(days=7))

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["alternatives"] = [line for line in (d.pop("alternatives") or "").splitlines() if line.strip()]
        d.pop("topic")
        return d


class VoteTransitionForm(forms.Form):
    action = forms.CharField(max_length=30)
    note = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class StaffBallotForm(forms.Form):
    """A ballot cast on paper or at the meeting, recorded by staff: for a household (by its building and room) or
    a council seat."""

    option = forms.CharField(label=_("Choice"), max_length=20)
    household = forms.IntegerField(label=_("Household"), required=False, widget=forms.HiddenInput)
    building = forms.CharField(label=_("Building"), required=False, max_length=80)
    room = forms.CharField(label=_("Room"), required=False, max_length=20)
    seat = forms.CharField(label=_("Seat"), required=False, max_length=80)


class ConventionForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(),
                                   help_text=_("The topic the convention was deliberated in."))
    title = forms.CharField(label=_("Title"), max_length=120)
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.none(), required=False,
                                    help_text=_("Leave empty for a convention of the whole residential area."))
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = scoped(user, Topic, MANAGE).select_related("area")
        self.fields["estate"].queryset = scoped(user, Estate, MANAGE)


class ReviseForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    note = forms.CharField(label=_("What changed"), max_length=200, required=False)


class ConventionTransitionForm(forms.Form):
    action = forms.CharField(max_length=30)
    note = forms.CharField(label=_("Reason"), required=False, max_length=2000)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 10}))


class AdoptForm(forms.Form):
    vote = forms.IntegerField(label=_("Adopted by the vote"))
    effective_on = forms.DateField(label=_("In force from"), widget=DATE)


class StaffSignForm(forms.Form):
    building = forms.CharField(label=_("Building"), max_length=80)
    room = forms.CharField(label=_("Room"), max_length=20)


class HouseholdChoiceForm(forms.Form):
    """H5: the household a resident acts for, and (for a ballot) its choice."""

    household = forms.IntegerField(widget=forms.HiddenInput)
    option = forms.CharField(max_length=20, required=False)
