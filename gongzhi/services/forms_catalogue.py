"""Forms of the catalogue part's pages: they check the shape of the input; the services check the rules and their
errors land on the same fields (gongzhi.core.forms)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.scope import scope_for
from gongzhi.registry.models import Region
from gongzhi.services.models import ServiceCategory, ServiceLevel
from gongzhi.services.policies.catalogue import MANAGE
from gongzhi.services.selectors.catalogue import materials_text
from gongzhi.services.services.catalogue import MAX_TIME_LIMIT

ITEM_FORM_FIELDS = ("code", "name", "category", "level", "region", "description", "legal_basis", "time_limit_days",
                    "fee", "remote", "bookable", "for_residents", "for_office_workers", "for_building_stations",
                    "keywords", "position")


class ItemForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=40)
    name = forms.CharField(label=_("name"), max_length=120)
    category = forms.ModelChoiceField(label=_("category"), queryset=ServiceCategory.objects.all())
    level = forms.ChoiceField(label=_("level"), choices=ServiceLevel.choices, initial=ServiceLevel.CITY)
    region = forms.ModelChoiceField(label=_("own item of"), queryset=Region.objects.none(), required=False,
                                    help_text=_("Empty for a city-wide item; else the region of the item's level."))
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=_("legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    time_limit_days = forms.IntegerField(label=_("time limit (working days)"), min_value=0, max_value=MAX_TIME_LIMIT,
                                         initial=0, help_text=_("0: handled on the spot."))
    fee = forms.DecimalField(label=_("fee (yuan)"), min_value=Decimal("0"), max_digits=10, decimal_places=2,
                             initial=Decimal("0"))
    remote = forms.BooleanField(label=_("can be handled remotely"), required=False)
    bookable = forms.BooleanField(label=_("can be booked online"), required=False)
    for_residents = forms.BooleanField(label=_("for residents"), required=False, initial=True)
    for_office_workers = forms.BooleanField(label=_("for office workers"), required=False)
    for_building_stations = forms.BooleanField(label=_("at building stations"), required=False)
    keywords = forms.CharField(label=_("keywords"), max_length=200, required=False)
    position = forms.IntegerField(label=_("position"), min_value=0, max_value=2147483647, initial=0)
    materials = forms.CharField(
        label=_("materials checklist"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One material a line; end a line with (可选) or * for an optional one."))

    def __init__(self, *args, user=None, item=None, **kwargs):
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(item, f) for f in ITEM_FORM_FIELDS} | {
                "materials": materials_text(item).replace("；", "\n")}
        super().__init__(*args, **kwargs)
        regions = scope_for(user, MANAGE).filter(
            Region.objects.filter(kind__in=("district", "subdistrict", "residential_area"))).order_by("path")
        if item is not None and item.region_id:
            regions = regions | Region.objects.filter(pk=item.region_id)
        self.fields["region"].queryset = regions

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {f: d[f] for f in ITEM_FORM_FIELDS} | {"materials": d["materials"]}


class CategoryForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=40)
    name = forms.CharField(label=_("name"), max_length=60)
    position = forms.IntegerField(label=_("position"), min_value=0, max_value=32767, initial=0)
