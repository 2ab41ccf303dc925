"""Forms of the delivery pages. They only carry the input: the services check it (amounts, dates against the
project's period, budget lines, uploads) and their field errors land on these forms (gongzhi.core.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT
from gongzhi.funds.models import PhotoStage

UPLOAD_HELP = _("An image or a PDF, at most 10 MB.")


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("milestone"), max_length=120)
    due_on = forms.DateField(label=_("due"), widget=DATE_INPUT)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class SpendingForm(forms.Form):
    budget_line = forms.ChoiceField(label=_("budget line"))
    amount = forms.CharField(label=_("amount (yuan)"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    spent_on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    payee = forms.CharField(label=_("payee"), max_length=120)
    receipt_no = forms.CharField(label=_("receipt number"), max_length=60, required=False)
    receipt = forms.FileField(label=_("receipt scan"), required=False, help_text=UPLOAD_HELP)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].choices = [
            ("", "—"), *((str(b.line.pk), f"{b.line.item} · ¥{b.remaining}") for b in lines if b.approved)]


class ReceiptForm(forms.Form):
    receipt = forms.FileField(label=_("receipt scan"), help_text=UPLOAD_HELP)


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("progress (%)"), min_value=0, max_value=100)
    beneficiaries_reached = forms.IntegerField(label=_("beneficiaries reached"), min_value=0)


class PhotoForm(forms.Form):
    stage = forms.ChoiceField(label=_("stage"), choices=PhotoStage.choices)
    image = forms.FileField(label=_("photo"), help_text=_("An image, at most 10 MB."))
    caption = forms.CharField(label=_("caption"), max_length=120, required=False)


class CompleteForm(forms.Form):
    closing_meeting = forms.ChoiceField(label=_("closing review meeting"))
    result = forms.CharField(label=_("result"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closing_meeting"].choices = [
            ("", "—"), *((str(m.pk), f"{m.title} · {m.starts_at:%Y-%m-%d}") for m in meetings)]
