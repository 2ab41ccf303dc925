"""Forms of the meetings pages: a meeting (the attendance checklist is read from the request by
`attendance_from`), the photos, a requirement row and a study record. Forms check the input's shape; the services
decide (a date in the future, a lesson without a speaker, someone who is not a member are their field errors)."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT
from gongzhi.orglife.models import AttendanceStatus, Frequency, LessonForm, MeetingKind

ATT_PREFIX = "att-"
REASON_PREFIX = "reason-"


class MeetingForm(forms.Form):
    org = forms.TypedChoiceField(label=_("Party organization"), coerce=int)
    kind = forms.ChoiceField(label=_("Meeting kind"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DATE_INPUT)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    speaker = forms.CharField(label=_("Speaker"), max_length=60, required=False,
                              help_text=_("Required for a party lesson (micro and walking lessons too)."))
    lesson_form = forms.ChoiceField(label=_("Lesson form"), required=False,
                                    choices=[("", "—"), *LessonForm.choices])
    minutes = forms.CharField(label=_("Minutes"), max_length=20000, required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, orgs=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["org"]
        else:
            self.fields["org"].choices = [(o.pk, o.name) for o in orgs]
            self.fields["org"].widget.attrs.update({"hx-get": reverse("orglife:meeting_new"), "hx-target": "#attendance",
                                                    "hx-select": "#attendance", "hx-swap": "outerHTML"})


def attendance_from(data, members) -> list[dict]:
    """The checklist's lines as posted: ``att-<member>`` (present / leave / absent) and ``reason-<member>``. Every
    posted ``att-`` key counts, also one for someone outside the checklist (the service refuses it)."""
    lines = []
    for key, status in data.items():
        if not key.startswith(ATT_PREFIX):
            continue
        raw = key[len(ATT_PREFIX):]
        lines.append({"member": int(raw) if raw.isdigit() else raw, "status": status,
                      "leave_reason": data.get(REASON_PREFIX + raw, "")})
    return lines


def checklist(members, data=None, current=None) -> list[dict]:
    """Rows of the checklist: each member with the chosen status and reason (posted, else recorded, else
    present)."""
    current = current or {}
    rows = []
    for m in members:
        status, reason = current.get(m.pk, (AttendanceStatus.PRESENT, ""))
        if data is not None and data.get(f"{ATT_PREFIX}{m.pk}"):
            status, reason = data.get(f"{ATT_PREFIX}{m.pk}"), data.get(f"{REASON_PREFIX}{m.pk}", "")
        rows.append({"member": m, "status": status, "reason": reason})
    return rows


class PhotosForm(forms.Form):
    def __init__(self, *args, **kwargs):
        from gongzhi.demands.forms import MultipleImageField

        super().__init__(*args, **kwargs)
        self.fields["photos"] = MultipleImageField(label=_("Photos"))


class RequirementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Meeting kind"), choices=MeetingKind.choices, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(label=_("Required frequency"), choices=Frequency.choices)
    remind_days = forms.IntegerField(label=_("Remind days before due"), min_value=0, max_value=90)


class StudyForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Party member"), coerce=int)
    subject = forms.CharField(label=_("Subject"), max_length=60, initial="四史",
                              help_text=_("e.g. 四史, 党章, 二十大精神"))
    title = forms.CharField(label=_("Title"), max_length=200)
    studied_on = forms.DateField(label=_("Studied on"), widget=DATE_INPUT)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, f"{m.name} · {m.organization.name}") for m in members]
