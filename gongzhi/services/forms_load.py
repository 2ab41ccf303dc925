"""Forms of the load part: a day's health-cabin tallies (one field per indicator; blank: not recorded) and the
upload of a tallies sheet."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT
from gongzhi.services.models import HealthIndicator
from gongzhi.services.services.load import MAX_COUNT


class TallyForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()
        for value, label in HealthIndicator.choices:
            self.fields[value] = forms.IntegerField(label=label, required=False, min_value=0, max_value=MAX_COUNT,
                                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def indicator_fields(self):
        return [self[value] for value in HealthIndicator.values]

    def counts(self) -> dict[str, int]:
        return {v: self.cleaned_data[v] for v in HealthIndicator.values if self.cleaned_data.get(v) is not None}

    def clean(self):
        data = super().clean()
        if not self.errors and not self.counts():
            raise forms.ValidationError(_("Enter at least one count."))
        return data


class TallyImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f
