"""Forms of the district part's pages (the service checks the platform covers the campaign's sub-district)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LinkForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("campaign"), queryset=None)
    platform = forms.ModelChoiceField(label=_("district platform"), queryset=None)

    def __init__(self, *args, campaigns=None, platforms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["platform"].queryset = platforms
