"""Forms of account management. They offer only what the manager may choose (roles up to their own rank, regions and
member units inside their scope); the services check again and answer with field errors."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts import policies, selectors
from gongzhi.accounts.roles import Role


class RegionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{'　' * obj.depth}{obj.name}（{obj.get_kind_display()}）"


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.code}）"


class RoleFields(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    region = RegionChoice(queryset=None, required=False, label=_("Region"),
                          help_text=_("Where the role applies; a member-unit liaison needs the member unit instead."))
    member_unit = UnitChoice(queryset=None, required=False, label=_("Member unit"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        grantable = set(policies.grantable_roles(actor))
        self.fields["role"].choices = [("", "---------")] + [
            (value, label) for value, label in Role.choices if value in grantable]
        self.fields["region"].queryset = selectors.role_regions(actor)
        self.fields["member_unit"].queryset = selectors.role_units(actor)


class UserCreateForm(RoleFields):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Initial password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to generate one. It is shown once; the user must change it at the first login."),
    )
    field_order = ["username", "display_name", "phone", "email", "role", "region", "member_unit", "password"]


class UserEditForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["display_name", "phone", "email"]


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("Temporary password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to generate one. It is shown once; the user must change it at the next login."),
    )
