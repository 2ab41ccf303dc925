"""Forms of the topics part: each offers only what the user may choose (their scope, the topic's area) and hands
plain values to the services, whose field errors come back onto the form (gongzhi.core.forms)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scope_for, scoped
from gongzhi.core import media
from gongzhi.core.errors import MAX_ID
from gongzhi.deliberation.models import MeetingKind, Rsvp, SpeakerSide, Topic, TopicSource
from gongzhi.deliberation.policies.topics import MANAGE, meeting_kinds
from gongzhi.deliberation.selectors import topics as selectors
from gongzhi.deliberation.workflow import DecisionAction, MeetingAction, TopicAction
from gongzhi.demands.models import Demand
from gongzhi.registry.models import Estate, Household, Region, RegionKind, phone_validator

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class Picker(forms.Widget):
    """A searchable picker instead of a long <select>: a search box asking the server (htmx,
    `deliberation:topic_picker`) for the options matching the text, within what the user may pick; the chosen
    options stay in the list. The form sets `user` (and `area` for households)."""

    def __init__(self, kind: str, multiple: bool = True, attrs=None):
        super().__init__(attrs)
        self.kind, self.multiple, self.user, self.area = kind, multiple, None, None

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if self.multiple and hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False if self.multiple else name not in data

    def render(self, name, value, attrs=None, renderer=None):
        chosen = value if isinstance(value, (list, tuple)) else ([value] if value not in (None, "") else [])
        chosen = [getattr(v, "pk", v) for v in chosen]
        options = selectors.picker_options(self.user, self.kind, "", chosen, self.area) if self.user else []
        return render_to_string("deliberation/topics/_picker.html", {
            "name": name, "multiple": self.multiple, "area": self.area, "options": options,
            "url": reverse("deliberation:topic_picker", args=[self.kind])})


def managed_areas(user):
    """The residential areas where the user may raise topics (deliberation.manage covering them or a grid)."""
    scope = scope_for(user, MANAGE)
    areas = Region.objects.filter(kind=RegionKind.RESIDENTIAL_AREA)
    if scope.everything:
        return areas.order_by("path")
    grids = Region.objects.filter(kind=RegionKind.GRID).filter(scope.q(Region)).values("parent")
    return areas.filter(scope.q(Region) | Q(pk__in=grids)).order_by("path")


class TopicForm(forms.ModelForm):
    demands = forms.ModelMultipleChoiceField(Demand.objects.none(), label=_("Demands"), required=False,
                                             widget=Picker("demands"),
                                             help_text=_("The resident demands behind the topic: search by tracking "
                                                         "code, title or place."))
    proposer_household = forms.ModelChoiceField(Household.objects.none(), label=_("Proposing household"),
                                                required=False, widget=Picker("households", multiple=False))

    class Meta:
        model = Topic
        fields = ["title", "description", "source", "area", "estate", "grid", "hot_issue_key", "demands",
                  "proposer_household", "cosigns_needed"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = managed_areas(user)
        self.fields["area"].queryset = areas
        self.fields["grid"].queryset = Region.objects.filter(kind=RegionKind.GRID, parent__in=areas).order_by("path")
        self.fields["estate"].queryset = Estate.objects.filter(area__in=areas)
        self.fields["demands"].queryset = scoped(user, Demand, Capability.VIEW_DEMANDS)
        self.fields["demands"].widget.user = user
        self.fields["proposer_household"].queryset = scoped(user, Household, Capability.VIEW_DELIBERATION)
        self.fields["proposer_household"].widget.user = user
        self.fields["cosigns_needed"].required = False

    def clean_cosigns_needed(self):
        return self.cleaned_data.get("cosigns_needed") or 0

    @staticmethod
    def initial_from(params, user) -> dict:
        """Initial values of a topic raised from a hot issue or from demands (`?source=hot_issue&title=…
        &demands=1,2,3&area=ID`): only the demands and areas inside the user's scope are taken; a grid gives its
        area."""
        source = params.get("source", "")
        if source not in TopicSource.values:
            return {}
        ids = [int(x) for x in params.get("demands", "").split(",") if x.strip().isdigit()][:200]
        demands = list(scoped(user, Demand, Capability.VIEW_DEMANDS).filter(pk__in=ids).select_related("grid"))
        initial = {"source": source, "title": params.get("title", "")[:120],
                   "description": params.get("description", "")[:2000], "demands": demands,
                   "hot_issue_key": params.get("title", "")[:120] if source == TopicSource.HOT_ISSUE else ""}
        areas = managed_areas(user)
        region = params.get("area", "")
        node = Region.objects.filter(pk=int(region)).first() if region.isdigit() else None
        if node is None or node.kind not in (RegionKind.GRID, RegionKind.RESIDENTIAL_AREA):
            node = demands[0].grid if demands and demands[0].grid_id else None  # e.g. a sub-district's hot issue
        if node is not None and node.kind == RegionKind.GRID:
            if areas.filter(pk=node.parent_id).exists():
                initial.update(area=node.parent_id, grid=node.pk)
        elif node is not None and areas.filter(pk=node.pk).exists():
            initial["area"] = node.pk
        return initial


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("title"), max_length=120, required=False,
                            help_text=_("Leave blank for the topic's title and the kind of meeting."))
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DATETIME, input_formats=DATETIME_FORMATS,
                                  required=False)
    place = forms.ModelChoiceField(None, label=_("place"))
    place_note = forms.CharField(label=_("room or address"), max_length=120, required=False)
    convener = forms.ModelChoiceField(None, label=_("convener"))
    quorum = forms.IntegerField(label=_("quorum"), min_value=1, initial=5,
                                help_text=_("Attendees needed for the meeting to decide."))
    households = forms.ModelMultipleChoiceField(None, label=_("Households"), required=False,
                                                widget=Picker("households"))
    member_units = forms.ModelMultipleChoiceField(None, label=_("Member units"), required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    professional_teams = forms.ModelMultipleChoiceField(None, label=_("Professional teams"), required=False,
                                                        widget=forms.CheckboxSelectMultiple)
    volunteer_teams = forms.ModelMultipleChoiceField(None, label=_("Volunteer teams"), required=False,
                                                     widget=forms.CheckboxSelectMultiple)
    property_companies = forms.ModelMultipleChoiceField(None, label=_("Property company of the estate"),
                                                        required=False, widget=forms.CheckboxSelectMultiple)
    owners_committees = forms.ModelMultipleChoiceField(None, label=_("Owners' committee of the estate"),
                                                       required=False, widget=forms.CheckboxSelectMultiple)
    people = forms.ModelMultipleChoiceField(None, label=_("People"), required=False,
                                            help_text=_("Council members, party members and staff with an account."))

    INVITEES = ("households", "member_units", "professional_teams", "volunteer_teams", "property_companies",
                "owners_committees", "people")

    def __init__(self, *args, user, topic, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = selectors.invitable(topic)
        kinds = meeting_kinds(topic)
        self.fields["kind"].choices = [(k, label) for k, label in MeetingKind.choices if k in kinds]
        self.fields["place"].queryset = allowed["places"]
        self.fields["convener"].queryset = allowed["people"]
        self.fields["convener"].initial = user.pk
        for name in self.INVITEES:
            self.fields[name].queryset = allowed[name]
        self.fields["households"].widget.user = user
        self.fields["households"].widget.area = topic.area_id

    def invitees(self) -> dict:
        return {name: list(self.cleaned_data.get(name) or ()) for name in self.INVITEES}

    def values(self) -> dict:
        d = self.cleaned_data
        return {"kind": d["kind"], "title": d["title"], "starts_at": d["starts_at"], "ends_at": d.get("ends_at"),
                "place": d["place"], "place_note": d["place_note"], "convener": d["convener"], "quorum": d["quorum"],
                "invitees": self.invitees()}


class TopicEditForm(forms.Form):
    """A topic's wording, corrected while it is discussed."""

    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class TopicStepForm(forms.Form):
    action = forms.ChoiceField(choices=TopicAction.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.CharField(label=_("decision"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=_("outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MeetingStepForm(forms.Form):
    action = forms.ChoiceField(choices=MeetingAction.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class DecisionStepForm(forms.Form):
    action = forms.ChoiceField(choices=DecisionAction.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    outcome = forms.CharField(label=_("outcome"), required=False, max_length=500)


class CosignForm(forms.Form):
    household = forms.ModelChoiceField(Household.objects.none(), label=_("household"),
                                       widget=Picker("households", multiple=False))

    def __init__(self, *args, user, topic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = selectors.invitable(topic)["households"]
        self.fields["household"].widget.user = user
        self.fields["household"].widget.area = topic.area_id


class RsvpForm(forms.Form):
    invitation = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    answer = forms.ChoiceField(label=_("reply"), choices=[c for c in Rsvp.choices if c[0] != Rsvp.PENDING])


class MinuteEntryForm(forms.Form):
    speaker = forms.CharField(label=_("speaker"), max_length=60)
    side = forms.ChoiceField(label=_("side"), choices=SpeakerSide.choices)
    view = forms.CharField(label=_("view"), widget=forms.Textarea(attrs={"rows": 2}))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("decision"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(None, label=_("owner"))
    deadline = forms.DateField(label=_("deadline"), widget=DATE)

    def __init__(self, *args, topic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.invitable(topic)["people"]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), validators=[media.validate_attachment],
                           help_text=_("Photos, PDF, .xlsx or .docx; at most 10 MB."))


class DeskCheckInForm(forms.Form):
    """Staff at the desk: an invited household or unit, or a walk-in's name and phone."""

    household = forms.ModelChoiceField(None, label=_("household"), required=False)
    member_unit = forms.ModelChoiceField(None, label=_("member unit"), required=False)
    name = forms.CharField(label=_("name"), max_length=40, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = selectors.invited_households(meeting)
        self.fields["member_unit"].queryset = selectors.invited_units(meeting)

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class PublicCheckInForm(DeskCheckInForm):
    """The attendee's phone at the door (the QR code's page): the same choices, checked the same way."""

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        if phone:
            phone_validator(phone)
        return phone
