from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Pages a user with a temporary password may still open (besides static files): the password change itself,
# logging out, the language switch, and the machine interfaces (API tokens, Open311), which have no password form.
OPEN_PREFIXES = ("/static/", "/api/", "/open311/", "/i18n/")


class PasswordChangeRequiredMiddleware:
    """After an administrator set a temporary password, the user's pages lead to the password change until they
    have chosen their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "must_change_password", False)
                and not request.path.startswith(OPEN_PREFIXES)
                and request.path not in (reverse("password_change"), reverse("logout"))):
            messages.info(request, _("Please choose your own password before you continue."))
            return redirect("password_change")
        return self.get_response(request)
