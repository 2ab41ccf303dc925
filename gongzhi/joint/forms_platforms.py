"""Forms of the platforms part. Every choice of a region, unit, organization or person is limited to what the user
may manage or see (the services check again); validation beyond the fields is the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability
from gongzhi.core.forms import DATE_INPUT
from gongzhi.joint.models import (
    PartyPost,
    Platform,
    PlatformMember,
    ProfessionalCommittee,
    ProfessionalCommitteeMember,
)
from gongzhi.joint.selectors import platforms as selectors
from gongzhi.registry.models import PartyOrg, Region, RegionKind


def _dates(form) -> None:
    for f in form.fields.values():
        if isinstance(f, forms.DateField):
            f.widget = DATE_INPUT


class _ServiceValidated(forms.ModelForm):
    def _post_clean(self):  # the service validates the object as a whole (scope, overlaps, one of three)
        pass


class PlatformForm(_ServiceValidated):
    class Meta:
        model = Platform
        fields = ["name", "brand", "level", "kind", "region", "parent", "convener_org", "convener_unit", "remit",
                  "founded_on", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["region"].queryset = selectors.regions_for(user)
        self.fields["parent"].queryset = selectors.district_platforms_for(user)
        self.fields["parent"].help_text = _("A sub-district platform may hang from its district's platform.")
        self.fields["convener_unit"].queryset = selectors.units_for(user)
        self.fields["convener_org"].queryset = selectors.orgs_for(user, Capability.VIEW_REGISTRY)


class MemberForm(_ServiceValidated):
    class Meta:
        model = PlatformMember
        fields = ["member_unit", "party_org", "area", "role", "joined_on", "note"]

    def __init__(self, *args, user, platform, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["member_unit"].queryset = selectors.units_for(user)
        self.fields["party_org"].queryset = selectors.orgs_for(user, Capability.VIEW_REGISTRY)
        self.fields["area"].queryset = Region.objects.filter(kind=RegionKind.RESIDENTIAL_AREA,
                                                             path__startswith=platform.region.path)
        self.fields["member_unit"].help_text = _("Choose one: a unit, a party organization or a residential area.")


class MemberEditForm(_ServiceValidated):
    class Meta:
        model = PlatformMember
        fields = ["role", "joined_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("left on"), required=False, widget=DATE_INPUT, help_text=_("Left empty: today."))


class CommitteeForm(_ServiceValidated):
    class Meta:
        model = ProfessionalCommittee
        fields = ["name", "remit", "founded_on", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)


class CommitteeMemberForm(_ServiceValidated):
    class Meta:
        model = ProfessionalCommitteeMember
        fields = ["member_unit", "party_org", "person_name", "person_unit", "title", "joined_on"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["member_unit"].queryset = selectors.units_for(user)
        self.fields["person_unit"].queryset = selectors.units_for(user)
        self.fields["party_org"].queryset = selectors.orgs_for(user, Capability.VIEW_REGISTRY)


class PostForm(_ServiceValidated):
    org = forms.ModelChoiceField(queryset=PartyOrg.objects.none(), label=_("party organization"))

    class Meta:
        model = PartyPost
        fields = ["org", "kind", "is_part_time", "party_member", "person_name", "unit", "starts_on", "ends_on", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["org"].queryset = selectors.orgs_for(user)
        self.fields["party_member"].queryset = selectors.party_members_for(user)
        self.fields["unit"].queryset = selectors.units_for(user)
        if self.instance.pk:
            del self.fields["org"]


class EndPostForm(forms.Form):
    ends_on = forms.DateField(label=_("term to"), required=False, widget=DATE_INPUT, help_text=_("Left empty: today."))
