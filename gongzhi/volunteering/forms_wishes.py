"""Forms of the micro-wish pages: posting a wish, a staff step with a note or reason, a claim with a public
promise, fulfilment with photos and the beneficiary's thanks. Forms check the input's shape; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.forms import DATE_INPUT
from gongzhi.volunteering.models import HardshipKind
from gongzhi.volunteering.workflow import WishAction

STAFF_STEPS = (WishAction.APPROVE, WishAction.REJECT, WishAction.WITHDRAW, WishAction.RELEASE)


class WishForm(forms.Form):
    region = forms.TypedChoiceField(label=_("Residential area"), coerce=int)
    title = forms.CharField(label=_("Wish"), max_length=120,
                            help_text=_("Something small and concrete: a school bag, a rice cooker, a winter quilt."))
    description = forms.CharField(label=_("Description"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    hardship = forms.ChoiceField(label=_("Hardship"), choices=HardshipKind.choices)
    value = forms.DecimalField(label=_("Estimated value (yuan)"), min_value=0, max_digits=10, decimal_places=2)
    wanted_by = forms.DateField(label=_("Wanted by"), widget=DATE_INPUT)
    beneficiary_name = forms.CharField(label=_("Beneficiary"), max_length=40,
                                       help_text=_("Shown masked on the board (张**)."))
    beneficiary_phone = forms.CharField(label=_("Beneficiary's phone"), max_length=20, required=False)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(a.pk, a.name) for a in areas]


class StepForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, WishAction(a).label) for a in STAFF_STEPS], widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note or reason"), max_length=5000, required=False)


class ClaimForm(forms.Form):
    promise = forms.CharField(label=_("Public promise"), max_length=200,
                              help_text=_("What you promise to do, and by when. Everyone sees it on the board."),
                              widget=forms.Textarea(attrs={"rows": 2}))
    promised_on = forms.DateField(label=_("Fulfilled by"), widget=DATE_INPUT)
    unit = forms.TypedChoiceField(label=_("Claim for"), coerce=int, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(units) > 1:
            self.fields["unit"].choices = [(u.pk, u.name) for u in units]
            self.fields["unit"].required = True
        else:
            del self.fields["unit"]


class FulfilForm(forms.Form):
    note = forms.CharField(label=_("How it was fulfilled"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from gongzhi.demands.forms import MultipleImageField

        super().__init__(*args, **kwargs)
        self.fields["photos"] = MultipleImageField(label=_("Photos (one to three)"))


class ThanksForm(forms.Form):
    thanks = forms.CharField(label=_("The beneficiary's thanks"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
