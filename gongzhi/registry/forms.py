"""Registry forms: ModelForms whose region / organization / unit choices are limited to the user's
edit scope, so nobody can place an object outside it. Validation comes from the models' `clean`."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scope_for, scoped
from gongzhi.registry.models import (
    REGION_CHILD_KIND,
    Building,
    BuildingKind,
    Estate,
    Household,
    Liaison,
    MemberUnit,
    PartyMember,
    PartyOrg,
    ProfessionalTeam,
    Region,
    RegionKind,
    ServicePlace,
    VolunteerTeam,
)

EDIT = Capability.EDIT_REGISTRY


class ScopedForm(forms.ModelForm):
    """Every choice of a scoped model (regions, organizations, units, members …) is limited to the
    user's edit scope; a value the object already has stays selectable so editing never drops it."""

    # field name -> allowed region kinds (for fields pointing at Region)
    region_kinds: dict[str, tuple[str, ...]] = {}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, f in self.fields.items():
            if isinstance(f, forms.DateField):
                f.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            if not isinstance(f, forms.ModelChoiceField):
                continue
            model = f.queryset.model
            if not hasattr(model, "scope_region_lookups"):
                continue
            allowed = Q(pk__in=scoped(user, f.queryset, EDIT).values("pk"))
            current = self._current(name)
            if current:
                allowed |= Q(pk__in=current)
            qs = f.queryset.filter(allowed)
            if name in self.region_kinds:
                qs = qs.filter(kind__in=self.region_kinds[name])
            f.queryset = qs

    def _current(self, name) -> list:
        if not self.instance.pk:
            return []
        field = self.instance._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(self.instance, name).values_list("pk", flat=True))
        value = getattr(self.instance, field.attname)
        return [value] if value else []


class RegionForm(ScopedForm):
    class Meta:
        model = Region
        fields = ["parent", "kind", "code", "name", "residents_committee", "households", "population", "address",
                  "boundary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False
        self.fields["kind"].help_text = _("Left empty, it follows from the parent.")
        self.fields["parent"].required = not scope_for(self.user, EDIT).everything
        # Micro-grids are leaves of the tree (REGION_CHILD_KIND has no kind under them).
        self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(kind=RegionKind.GRID)
        if self.instance.pk:  # a region cannot move under its own subtree
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(
                path__startswith=self.instance.path
            )
        parent = self.initial.get("parent")
        if parent and not self.initial.get("kind"):
            parent = Region.objects.filter(pk=getattr(parent, "pk", parent)).first()
            if parent:
                self.initial["kind"] = REGION_CHILD_KIND.get(parent.kind, "")

    def clean(self):
        data = super().clean()
        if not data.get("kind"):
            parent = data.get("parent")
            data["kind"] = REGION_CHILD_KIND.get(parent.kind if parent else None, "") or ""
            if not data["kind"]:
                self.add_error("kind", forms.Field.default_error_messages["required"])
        return data


def _form(model, fields, kinds=None, base=ScopedForm):
    meta = type("Meta", (), {"model": model, "fields": fields})
    return type(f"{model.__name__}Form", (base,), {"Meta": meta, "region_kinds": kinds or {}})


class PartyOrgForm(ScopedForm):
    class Meta:
        model = PartyOrg
        fields = ["code", "name", "kind", "parent", "region", "member_unit", "secretary", "committee_members",
                  "founded_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the secretary and committee come from the organization's own members
            for name in ("secretary", "committee_members"):
                f = self.fields[name]
                f.queryset = f.queryset.filter(Q(organization=self.instance) | Q(pk__in=self._current(name)))
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=self.instance.pk)
        else:
            self.fields["secretary"].queryset = self.fields["secretary"].queryset.none()
            self.fields["committee_members"].queryset = self.fields["committee_members"].queryset.none()
            self.fields["secretary"].help_text = _("Choose the secretary after adding the members.")


class HouseholdForm(ScopedForm):
    """A household of a residential building. A changed contact phone is no longer proven: its
    `phone_verified_at` is cleared until the household confirms the new number by SMS."""

    class Meta:
        model = Household
        fields = ["building", "room", "size", "head_name", "phone", "other_phone", "is_owner_occupied",
                  "elderly_living_alone", "hardship", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields["building"]
        f.queryset = f.queryset.filter(Q(kind=BuildingKind.RESIDENTIAL) | Q(pk__in=self._current("building")))
        self.fields["size"].required = False
        self.fields["size"].help_text = _("Left empty: 1.")

    def clean_room(self):
        return self.cleaned_data["room"].strip()

    def clean_size(self):
        size = self.cleaned_data.get("size")
        return 1 if size is None else size

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "phone" in self.changed_data:  # a new number is not proven yet
            self.instance.phone_verified_at = None
        return cleaned


AREA, GRID = RegionKind.RESIDENTIAL_AREA, RegionKind.GRID
FORMS: dict[str, type[ScopedForm]] = {
    "region": RegionForm,
    "building": _form(Building, ["kind", "code", "name", "region", "estate", "address", "floors", "households",
                                 "is_key_building", "latitude", "longitude"], {"region": (GRID, AREA)}),
    "estate": _form(Estate, ["code", "name", "area", "address", "property_company", "property_unit",
                             "property_contact", "property_phone", "built_year"], {"area": (AREA,)}),
    "household": HouseholdForm,
    "memberunit": _form(MemberUnit, ["code", "name", "kind", "region", "building", "address", "headcount",
                                     "has_party_org", "is_two_new", "in_joint_meeting", "contact_name",
                                     "contact_phone", "joined_on"]),
    "partyorg": PartyOrgForm,
    "partymember": _form(PartyMember, ["name", "gender", "organization", "status", "joined_on", "phone",
                                       "id_number", "address", "is_mobile", "registered_area", "registered_on",
                                       "grid"], {"registered_area": (AREA,), "grid": (GRID,)}),
    "liaison": _form(Liaison, ["name", "phone", "region", "is_chief", "chief", "buildings"]),
    "professionalteam": _form(ProfessionalTeam, ["name", "kind", "region", "grids", "leader_name",
                                                 "leader_phone"], {"grids": (GRID,)}),
    "volunteerteam": _form(VolunteerTeam, ["name", "region", "member_unit", "speciality", "leader_name",
                                           "leader_phone", "member_count"]),
    "serviceplace": _form(ServicePlace, ["code", "name", "kind", "centre", "region", "building", "address",
                                         "opening_hours", "phone"]),
}
