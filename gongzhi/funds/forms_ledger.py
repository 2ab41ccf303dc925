"""Forms of the ledger part's pages: opening a fund, an allocation, a donation, a charity event, its lots and their
sale. Amounts are read as text and checked by the services (gongzhi.funds.services.ledger.to_amount), so a page
and the API refuse the same input with the same words."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.scope import scope_for
from gongzhi.core.forms import DATE_INPUT
from gongzhi.funds.models import DonorKind, FundKind
from gongzhi.funds.policies import ledger as policies
from gongzhi.funds.selectors import ledger as selectors
from gongzhi.registry.models import MemberUnit, Region, RegionKind

AMOUNT = {"inputmode": "decimal", "autocomplete": "off", "placeholder": "0.00"}


def _amount(label) -> forms.CharField:
    return forms.CharField(label=label, max_length=20, widget=forms.TextInput(attrs=AMOUNT),
                           help_text=_("Yuan, with at most two decimals, e.g. 1500.50."))


def _units(user):
    return scope_for(user, policies.LEDGER).filter(MemberUnit.objects.all()).order_by("name")


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=FundKind.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False,
                                    help_text=_("The residential area of an autonomy fund; the sub-district of a "
                                                "foundation. A special fund takes its foundation's."))
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100,
                              help_text=_("The budget year of an autonomy fund."))
    parent = forms.ModelChoiceField(label=_("Foundation"), queryset=None, required=False,
                                    help_text=_("The foundation a special fund belongs to."))
    purpose = forms.CharField(label=_("Purpose"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(kind__in=(RegionKind.RESIDENTIAL_AREA, RegionKind.SUBDISTRICT))
        self.fields["region"].queryset = scope_for(user, policies.LEDGER).filter(regions).order_by("path")
        self.fields["parent"].queryset = selectors.funds_for(user).filter(kind=FundKind.FOUNDATION)


class EntryForm(forms.Form):
    """An allocation from the sub-district budget."""

    amount = _amount(_("Amount (yuan)"))
    occurred_on = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)
    receipt_no = forms.CharField(label=_("Receipt number"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class DonationForm(forms.Form):
    donor_kind = forms.ChoiceField(label=_("Donor"), choices=DonorKind.choices)
    donor_unit = forms.ModelChoiceField(label=_("Member unit"), queryset=MemberUnit.objects.none(), required=False)
    donor_name = forms.CharField(label=_("Donor name"), max_length=40, required=False,
                                 help_text=_("A person's name is shown masked."))
    donor_phone = forms.CharField(label=_("Donor phone"), max_length=20, required=False)
    event = forms.ModelChoiceField(label=_("Charity event"), queryset=None, required=False)
    amount = _amount(_("Amount (yuan)"))
    donated_on = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    receipt_no = forms.CharField(label=_("Receipt number"), max_length=60, required=False)

    def __init__(self, *args, user, fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor_unit"].queryset = _units(user)
        self.fields["event"].queryset = fund.charity_events.all()


class EventForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class LotForm(forms.Form):
    title = forms.CharField(label=_("Lot"), max_length=120)
    donated_by = forms.CharField(label=_("Donated by"), max_length=120, required=False)


class SellForm(forms.Form):
    price = _amount(_("Price (yuan)"))
    buyer_unit = forms.ModelChoiceField(label=_("Bought by (unit)"), queryset=MemberUnit.objects.none(),
                                        required=False)
    buyer_name = forms.CharField(label=_("Bought by (person)"), max_length=40, required=False)
    sold_on = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)
    receipt_no = forms.CharField(label=_("Receipt number"), max_length=60, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer_unit"].queryset = _units(user)
