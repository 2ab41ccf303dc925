from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gongzhi.accounts import policies, selectors, services
from gongzhi.accounts.forms import PasswordResetForm, RoleFields, UserCreateForm, UserEditForm
from gongzhi.accounts.models import ApiToken
from gongzhi.accounts.roles import Role
from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import Forbidden
from gongzhi.core.forms import call_service
from gongzhi.core.masking import mask_value, personal_data_visible
from gongzhi.core.reveal import revealed


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        services.change_own_password(self.request.user, actor=self.request.user,
                                     password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Your password was changed."))
        return redirect(self.get_success_url())


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            if str(request.POST.get("revoke")).isdigit():
                services.revoke_token(int(request.POST["revoke"]), actor=request.user)
            messages.success(request, _("The token was revoked."))
            return redirect("api_tokens")
        _token, new_key = services.issue_token(request.user, actor=request.user, name=request.POST.get("name", ""))
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/api_tokens.html", {"tokens": tokens, "new_key": new_key})


# --- account management (sub-district administrators; see `policies` for who manages whom) -------------------------


def _submit(form, call):
    """Call a service with the valid form's data; its errors land on the form (None is returned then)."""
    return call_service(form, call, **form.cleaned_data) if form.is_valid() else None


def _require(actor, subject, action: str) -> None:
    """The form page of an action the actor may not take answers as the action would: refused."""
    if not policies.can(actor, subject, action):
        raise Forbidden(_("You do not have permission to do this."))


def _phone(actor, phone: str, subject=None, *, revealed: bool = False) -> str:
    return phone if personal_data_visible(actor, subject, revealed=revealed) else mask_value("phone", phone)


def _detail_url(user) -> str:
    return reverse("accounts:user_detail", args=[user.pk])


@login_required
def user_list(request):
    require_capability(request.user, policies.MANAGE)
    q, role, active = (request.GET.get(k, "").strip() for k in ("q", "role", "active"))
    users = selectors.managed_users(request.user, q=q, role=role, active=active)
    page = Paginator(users, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for user in page.object_list:
        user.shown_phone = _phone(request.user, user.phone)
    return render(request, "accounts/user_list.html", {
        "page": page, "q": q, "role": role, "active": active, "roles": Role.choices,
        "can_create": policies.can(request.user, None, "create"),
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def user_create(request):
    require_capability(request.user, policies.MANAGE)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST":
        created = _submit(form, lambda username, **values: services.create_user(username, actor=request.user,
                                                                                **values))
        if created:
            user, password = created
            return render(request, "accounts/password_shown.html", {"subject": user, "password": password,
                                                                    "created": True})
    return render(request, "accounts/user_form.html", {"form": form, "title": _("New user")})


@login_required
def user_detail(request, pk):
    require_capability(request.user, policies.MANAGE)
    user = selectors.managed_user(request.user, pk)
    roles = [(a, policies.can(request.user, a, "remove")) for a in user.role_assignments.all()]
    shown = revealed(request, user)
    return render(request, "accounts/user_detail.html", {
        "subject": user, "phone": _phone(request.user, user.phone, user, revealed=shown), "roles": roles,
        "actions": policies.actions(request.user, user),
        "history": selectors.account_history(request.user, user, revealed=shown),
    })


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    require_capability(request.user, policies.MANAGE)
    user = selectors.managed_user(request.user, pk)
    _require(request.user, user, "edit")
    form = UserEditForm(request.POST or None, instance=user)
    if request.method == "POST" and _submit(form, lambda **v: services.update_user(user, actor=request.user, **v)):
        messages.success(request, _("The account was saved."))
        return redirect(_detail_url(user))
    return render(request, "accounts/user_form.html", {"form": form, "subject": user, "title": _("Edit account")})


@login_required
@require_http_methods(["GET", "POST"])
def role_grant(request, pk):
    require_capability(request.user, policies.MANAGE)
    user = selectors.managed_user(request.user, pk)
    _require(request.user, user, "grant_role")
    form = RoleFields(request.POST or None, actor=request.user)
    if request.method == "POST" and _submit(form, lambda **v: services.grant_role(user, actor=request.user, **v)):
        messages.success(request, _("The role was granted."))
        return redirect(_detail_url(user))
    return render(request, "accounts/user_form.html", {"form": form, "subject": user, "title": _("Grant a role")})


@login_required
@require_http_methods(["GET", "POST"])
def role_remove(request, pk):
    require_capability(request.user, policies.MANAGE)
    assignment = selectors.managed_assignment(request.user, pk)
    if request.method == "POST":
        services.remove_role(assignment, actor=request.user)
        messages.success(request, _("The role was removed."))
        return redirect(_detail_url(assignment.user))
    _require(request.user, assignment, "remove")
    return render(request, "accounts/confirm.html", {
        "subject": assignment.user, "title": _("Remove a role"), "button": _("Remove"),
        "question": _("Remove the role “%(role)s” from %(user)s?") % {"role": assignment, "user": assignment.user},
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def user_password(request, pk):
    require_capability(request.user, policies.MANAGE)
    user = selectors.managed_user(request.user, pk)
    _require(request.user, user, "reset_password")
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST":
        password = _submit(form, lambda **v: services.reset_password(user, actor=request.user, **v))
        if password:
            return render(request, "accounts/password_shown.html", {"subject": user, "password": password})
    return render(request, "accounts/user_form.html", {"form": form, "subject": user, "title": _("Reset password")})


def _set_active(request, pk, action: str):
    require_capability(request.user, policies.MANAGE)
    user = selectors.managed_user(request.user, pk)
    if request.method == "POST":
        if action == "deactivate":
            services.deactivate_user(user, actor=request.user)
            messages.success(request, _("The account was deactivated."))
        else:
            services.reactivate_user(user, actor=request.user)
            messages.success(request, _("The account was reactivated."))
        return redirect(_detail_url(user))
    _require(request.user, user, action)
    if action == "deactivate":
        title, button = _("Deactivate account"), _("Deactivate")
        question = _("Deactivate %(user)s? They can no longer log in, and their sessions and API tokens stop "
                     "working. Their records and history stay.") % {"user": user}
    else:
        title, button = _("Reactivate account"), _("Reactivate")
        question = _("Reactivate %(user)s? They can log in again.") % {"user": user}
    return render(request, "accounts/confirm.html", {"subject": user, "title": title, "button": button,
                                                     "question": question})


@login_required
@require_http_methods(["GET", "POST"])
def user_deactivate(request, pk):
    return _set_active(request, pk, "deactivate")


@login_required
@require_http_methods(["GET", "POST"])
def user_reactivate(request, pk):
    return _set_active(request, pk, "reactivate")
