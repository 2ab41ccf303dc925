"""Pages of micro-wishes (thin: forms in, services and selectors out): the workbench board (every state, filters,
search, overdue), its printable list, posting a wish, a wish's page with its timeline and the staff's steps; the
H5 board every account sees (the beneficiary masked) and a wish's H5 page with the claim (a public promise) and
the fulfilment (photos)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongzhi.core import media, reveal
from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.forms import apply_error, error_text
from gongzhi.core.masking import mask_phone, personal_data_visible
from gongzhi.volunteering.forms_wishes import ClaimForm, FulfilForm, StepForm, ThanksForm, WishForm
from gongzhi.volunteering.models import HardshipKind
from gongzhi.volunteering.policies import wishes as policies
from gongzhi.volunteering.selectors import wishes as selectors
from gongzhi.volunteering.services import wishes as services
from gongzhi.volunteering.workflow import WISH_FLOW, WishAction, WishState

PER_PAGE = 25
H5_PER_PAGE = 20
STATES = [*WishState.choices, (selectors.OVERDUE, gettext_lazy("Overdue"))]
STEP_SERVICES = {
    WishAction.APPROVE: lambda pk, actor, note: services.approve_wish(pk, actor=actor, note=note),
    WishAction.REJECT: lambda pk, actor, note: services.reject_wish(pk, actor=actor, reason=note),
    WishAction.WITHDRAW: lambda pk, actor, note: services.withdraw_wish(pk, actor=actor, reason=note),
    WishAction.RELEASE: lambda pk, actor, note: services.release_wish(pk, actor=actor, reason=note),
}


def _page(request, qs, per_page=PER_PAGE):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _photo_urls(wish) -> list[str]:
    return [media.signed_url(p.image) for p in wish.photos.all()]


# --- the workbench --------------------------------------------------------------------------------------------

def _board_context(request) -> dict:
    qs = selectors.board(request.user, request.GET)
    return {"states": STATES, "hardships": HardshipKind.choices, "areas": selectors.area_choices(request.user),
            "years": selectors.years_for(request.user), "today": timezone.localdate(),
            "can_post": policies.may_post(request.user), "qs": qs}


@login_required
def wish_list(request):
    """The workbench board: every wish of the areas in scope, in every state."""
    context = _board_context(request)
    context["page"] = _page(request, context.pop("qs"))
    template = "volunteering/wishes/_table.html" if request.htmx else "volunteering/wishes/list.html"
    return render(request, template, context)


@login_required
def wish_print(request):
    """The board as a printable list (the filters of the board; at most 500 rows)."""
    context = _board_context(request)
    context["wishes"] = list(context.pop("qs")[:500])
    return render(request, "volunteering/wishes/print.html", context)


@login_required
def wish_new(request):
    user = request.user
    if not policies.may_post(user):
        raise Forbidden(_("You do not have permission to do this."))
    areas = selectors.postable_areas(user)
    form = WishForm(request.POST or None, areas=areas)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                made = services.post_wish(actor=user, **form.cleaned_data)
            except ValidationFailed as e:
                apply_error(form, e)
            else:
                messages.success(request, _("The wish is posted: it waits for approval."))
                if policies.sees(user, made) and selectors.wishes_for(user).filter(pk=made.pk).exists():
                    return redirect("volunteering:wish_detail", made.pk)
                return redirect("volunteering:wish_h5_board")
        status = 422
    return render(request, "volunteering/wishes/form.html", {"form": form}, status=status)


def _wish_context(request, wish) -> dict:
    user = request.user
    revealed = reveal.revealed(request, wish)
    visible = personal_data_visible(user, wish, revealed=revealed)
    return {
        "obj": wish, "beneficiary": selectors.beneficiary(user, wish, revealed=revealed),
        "phone": wish.beneficiary_phone if visible else mask_phone(wish.beneficiary_phone),
        "photos": _photo_urls(wish), "today": timezone.localdate(),
    }


@login_required
def wish_detail(request, pk, forms=None, status=200):
    user = request.user
    wish = selectors.wish(user, pk)
    forms = forms or {}
    steps = [(a, WISH_FLOW.action_label(a)) for a in policies.actions(user, wish) if a in STEP_SERVICES]
    context = _wish_context(request, wish)
    context.update({
        "steps": steps, "log": selectors.log(wish), "step_form": forms.get("step") or StepForm(),
        "thanks_form": forms.get("thanks") or (ThanksForm(initial={"thanks": wish.thanks})
                                               if policies.can(user, wish, WishAction.THANK) else None),
        "fulfil_form": forms.get("fulfil") or (FulfilForm() if policies.can(user, wish, WishAction.FULFIL) else None),
    })
    return render(request, "volunteering/wishes/detail.html", context, status=status)


@require_POST
@login_required
def wish_step(request, pk):
    selectors.any_wish(request.user, pk)  # 404 before anything else
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
        return redirect("volunteering:wish_detail", pk)
    try:
        STEP_SERVICES[form.cleaned_data["action"]](pk, request.user, form.cleaned_data["note"])
    except (Conflict, ValidationFailed) as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("Done."))
    return redirect(_back(request, pk))


@require_POST
@login_required
def wish_thanks(request, pk):
    form = ThanksForm(request.POST)
    if form.is_valid():
        try:
            services.record_thanks(pk, actor=request.user, thanks=form.cleaned_data["thanks"])
        except ValidationFailed as e:
            apply_error(form, e)
        except Conflict as e:
            messages.error(request, error_text(e))
            return redirect("volunteering:wish_detail", pk)
        else:
            messages.success(request, _("The thanks are recorded."))
            return redirect("volunteering:wish_detail", pk)
    return wish_detail(request, pk, forms={"thanks": form}, status=422)


# --- H5: the board every account sees ----------------------------------------------------------------------

def _claim_form(user, wish, data=None):
    if not policies.can(user, wish, WishAction.CLAIM):
        return None
    return ClaimForm(data, units=policies.units_of(user) if policies.member_of(user) is None else ())


@login_required
def wish_h5_board(request):
    """微心愿 board: the open wishes waiting for a claimer, those claimed with their promise, those fulfilled with
    the photo and the thanks. The beneficiary is masked and no address is shown beyond the residential area."""
    user = request.user
    page = _page(request, selectors.public_board(user, request.GET), H5_PER_PAGE)
    rows = [{"wish": w, "beneficiary": selectors.beneficiary(user, w), "photos": _photo_urls(w)
             if w.state == WishState.FULFILLED else [], "mine": policies.is_claimer(user, w),
             "can_claim": policies.can(user, w, WishAction.CLAIM)} for w in page]
    return render(request, "volunteering/wishes/h5_board.html", {
        "page": page, "rows": rows, "state": request.GET.get("state", ""),
        "states": [(WishState.OPEN, WishState.OPEN.label), (WishState.CLAIMED, WishState.CLAIMED.label),
                   (WishState.FULFILLED, WishState.FULFILLED.label)],
    })


@login_required
def wish_h5_detail(request, pk, forms=None, status=200):
    user = request.user
    wish = selectors.any_wish(user, pk)
    forms = forms or {}
    return render(request, "volunteering/wishes/h5_detail.html", {
        "obj": wish, "beneficiary": selectors.beneficiary(user, wish), "photos": _photo_urls(wish),
        "claim_form": forms.get("claim") or _claim_form(user, wish),
        "fulfil_form": forms.get("fulfil") or (FulfilForm() if policies.can(user, wish, WishAction.FULFIL) else None),
        "release_form": StepForm(initial={"action": WishAction.RELEASE})
        if policies.can(user, wish, WishAction.RELEASE) else None,
        "mine": policies.is_claimer(user, wish),
        "staff": selectors.wishes_for(user).filter(pk=wish.pk).exists(),
    }, status=status)


def _back(request, pk) -> str:
    if request.POST.get("where") == "h5":
        return reverse("volunteering:wish_h5_detail", args=[pk])
    return reverse("volunteering:wish_detail", args=[pk])


@require_POST
@login_required
def wish_claim(request, pk):
    user = request.user
    wish = selectors.any_wish(user, pk)
    form = _claim_form(user, wish, request.POST)
    if form is None:
        messages.error(request, _("This wish cannot be claimed now.") if policies.may_claim(user)
                       else _("Only a party member or a member unit's liaison can claim a wish."))
        return redirect("volunteering:wish_h5_detail", pk)
    if form.is_valid():
        try:
            services.claim_wish(pk, actor=user, promise=form.cleaned_data["promise"],
                                promised_on=form.cleaned_data["promised_on"], unit=form.cleaned_data.get("unit"))
        except ValidationFailed as e:
            apply_error(form, e)
        except (Conflict, Forbidden) as e:
            messages.error(request, e.message)
            return redirect("volunteering:wish_h5_detail", pk)
        else:
            messages.success(request, _("Claimed. Your promise is on the wish board."))
            return redirect("volunteering:wish_h5_detail", pk)
    return wish_h5_detail(request, pk, forms={"claim": form}, status=422)


@require_POST
@login_required
def wish_fulfil(request, pk):
    user = request.user
    selectors.any_wish(user, pk)
    form = FulfilForm(request.POST, request.FILES)
    h5 = request.POST.get("where") == "h5"
    if form.is_valid():
        try:
            services.fulfil_wish(pk, actor=user, note=form.cleaned_data["note"], photos=form.cleaned_data["photos"])
        except ValidationFailed as e:
            apply_error(form, e, aliases={"photos": "photos"})
        except (Conflict, Forbidden) as e:
            messages.error(request, e.message)
            return redirect(_back(request, pk))
        else:
            messages.success(request, _("Fulfilled: the photo is on the wish board."))
            return redirect(_back(request, pk))
    if h5:
        return wish_h5_detail(request, pk, forms={"fulfil": form}, status=422)
    try:
        return wish_detail(request, pk, forms={"fulfil": form}, status=422)
    except (NotFound, Forbidden):
        return wish_h5_detail(request, pk, forms={"fulfil": form}, status=422)


urlpatterns = [
    path("wishes/", wish_list, name="wish_list"),
    path("wishes/print/", wish_print, name="wish_print"),
    path("wishes/new/", wish_new, name="wish_new"),
    path("wishes/<int:pk>/", wish_detail, name="wish_detail"),
    path("wishes/<int:pk>/step/", wish_step, name="wish_step"),
    path("wishes/<int:pk>/thanks/", wish_thanks, name="wish_thanks"),
    path("wishes/<int:pk>/claim/", wish_claim, name="wish_claim"),
    path("wishes/<int:pk>/fulfil/", wish_fulfil, name="wish_fulfil"),
    path("h5/wishes/", wish_h5_board, name="wish_h5_board"),
    path("h5/wishes/<int:pk>/", wish_h5_detail, name="wish_h5_detail"),
]
