"""Demand pages. Public (no account): the H5 intake, tracking, me too and the resident's review. Staff: the work
queue with bulk assignment (its Excel export is declared in `excel`), the demand page with its action forms, the
claim board, overdue demands, the joint-meeting agenda, extension approvals and the inbox. Views stay thin: reads
through `selectors` (scoped), writes through `services`; domain errors become messages on the page."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts import services as account_services
from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, require_capability
from gongzhi.core.errors import (
    DomainError,
    Forbidden,
    NotFound,
    NothingChanged,
    TrackingLocked,
    ValidationFailed,
)
from gongzhi.core.forms import call_service, error_text, labelled
from gongzhi.core.masking import personal_data_visible
from gongzhi.core.reveal import revealed
from gongzhi.core.views import attempt, paginate
from gongzhi.demands import forms, policies, public, selectors, services
from gongzhi.demands.models import Channel, Demand, PhotoKind
from gongzhi.demands.workflow import FINAL_STATES, Action, State

C = Capability
WEB_SOURCE = "h5"
SESSION_SUBMITTED = "demands_submitted"
SESSION_TRACKED = "demands_tracked"  # {tracking code: last four digits} the visitor proved
SESSION_PHONE_TOKEN = "demands_phone_token"  # the signed hash of the SMS code sent (services.send_phone_code)
SESSION_PHONE = "demands_verified_phone"  # the phone number the visitor proved with an SMS code


# --- Rate limits (per client address and hour, in Django's cache) -------------------------------------------

def _rate_key(request, kind: str) -> str:
    return f"demands:{kind}:{request.META.get('REMOTE_ADDR', '')}:{int(time.time() // 3600)}"


def _limited(request, kind: str, setting: str, default: int) -> bool:
    return cache.get(_rate_key(request, kind), 0) >= getattr(settings, setting, default)


def _count(request, kind: str) -> None:
    key = _rate_key(request, kind)
    cache.add(key, 0, 3600)
    try:
        cache.incr(key)
    except ValueError:  # expired in between
        cache.set(key, 1, 3600)


def _too_many(request):
    return render(request, "demands/public/rate_limited.html", status=429)


# --- Public: intake -----------------------------------------------------------------------------------------

def submit(request):
    """The resident's H5 form. A double submit or a refresh reuses the hidden idempotency key: one demand."""
    subdistrict = selectors.sole_subdistrict()
    categories = selectors.categories_for(subdistrict)
    if request.method != "POST":
        return render(request, "demands/public/submit.html", {"form": forms.IntakeForm(categories=categories)})
    form = forms.IntakeForm(request.POST, request.FILES, categories=categories)
    key = (request.POST.get("idempotency_key") or "").strip()[:80]
    existing = Demand.objects.filter(source=WEB_SOURCE, idempotency_key=key).first() if key else None
    if existing is not None:
        return _submitted(request, existing)
    if _limited(request, "intake", "GONGZHI_INTAKE_RATE_LIMIT", 10):
        return _too_many(request)
    if form.is_valid():
        d = form.cleaned_data
        result = call_service(
            form, services.submit_demand, aliases={"image": "photos", "key": None},
            title=d["title"], description=d["description"], channel=Channel.WEB,
                category=form.chosen_category(), address=d["address"], submitter_name=d["submitter_name"],
                submitter_phone=d["submitter_phone"], photos=d["photos"], subdistrict=subdistrict,
                submitter_user=request.user if request.user.is_authenticated else None,
            idempotency_key=d["idempotency_key"], source_client=WEB_SOURCE,
        )
        if result is not None:
            _count(request, "intake")
            return _submitted(request, result[0])
    return render(request, "demands/public/submit.html", {"form": form}, status=422)


def _submitted(request, demand: Demand):
    request.session[SESSION_SUBMITTED] = demand.tracking_code
    _grant(request, demand)
    return redirect("demands:submitted")


def submitted(request):
    code = request.session.get(SESSION_SUBMITTED)
    if not code:
        return redirect("demands:submit")
    return render(request, "demands/public/submitted.html", {"code": code})


def category_children(request):
    """The <option>s of a category's children (htmx, for the two-level select)."""
    parent = request.GET.get("category", "")
    children = []
    if parent.isdigit():
        children = [c for top in selectors.categories_for(selectors.sole_subdistrict()) if str(top.pk) == parent
                    for c in top.children.all()]
    return render(request, "demands/public/_category_options.html", {"children": children})


# --- Public: tracking, me too, review -----------------------------------------------------------------------

def _grant(request, demand: Demand) -> None:
    tracked = dict(request.session.get(SESSION_TRACKED, {}))
    tracked[demand.tracking_code] = demand.submitter_phone_last4
    request.session[SESSION_TRACKED] = tracked


def track(request):
    """Tracking code + last four digits of the phone → the public status page. Wrong digits count against the
    code (whoever tries: see `services.access_by_tracking`); a locked code says how to get it back."""
    form = forms.TrackForm(request.POST or None, initial={"tracking_code": request.GET.get("code", "")})
    locked = None
    if request.method == "POST":
        if _limited(request, "track", "GONGZHI_TRACK_RATE_LIMIT", 30):
            return _too_many(request)
        if form.is_valid():
            try:
                demand = services.access_by_tracking(form.cleaned_data["tracking_code"], form.cleaned_data["last4"])
            except NotFound:
                _count(request, "track")  # failed guesses count against the limit
                form.add_error(None, _("No demand matches this tracking code and phone number."))
            except TrackingLocked as e:
                _count(request, "track")
                locked = e
            else:
                _grant(request, demand)
                return redirect("demands:track_status", code=demand.tracking_code)
    return render(request, "demands/public/track.html", {"form": form, "locked": locked},
                  status=429 if locked else 200)


@require_POST
def track_resend(request, code):
    """Send the tracking code again by SMS to the phone on file (throttled per code); the answer never says
    whether the code exists or was sent."""
    services.resend_tracking_code(code)
    messages.success(request, _("If this tracking code exists, we have sent it by SMS to the phone number given "
                                "with it, with a link to open it again."))
    return redirect(reverse("demands:track") + f"?code={code.strip().upper()}")


def track_recover(request, token):
    """The link of the re-sent SMS: lifts the lock and opens the demand."""
    demand = services.recover_tracking_code(token)
    _grant(request, demand)
    return redirect("demands:track_status", code=demand.tracking_code)


def track_status(request, code):
    """The public page of one demand the visitor proved (status, public timeline, photos, me too, review).
    A resident logged in to the account they filed it with (or whose verified phone filed it) needs no proof."""
    if code not in request.session.get(SESSION_TRACKED, {}):
        if own := selectors.my_demands(request.user).filter(tracking_code=code).first():
            _grant(request, own)
    last4 = request.session.get(SESSION_TRACKED, {}).get(code)
    demand = selectors.granted_demand(code, last4) if last4 is not None else None
    if demand is None:
        return redirect(reverse("demands:track") + f"?code={code}")
    review_form = forms.ReviewForm()
    if request.method == "POST":
        review_form = forms.ReviewForm(request.POST)
        if review_form.is_valid():
            attempt(request, services.review_demand, code, last4, **review_form.cleaned_data,
                    done=_("Thank you for your review."), catch=DomainError)
            return redirect("demands:track_status", code=code)
    demand.refresh_from_db()
    return render(request, "demands/public/status.html", {
        "demand": public.project(demand), "review_form": review_form,
        "can_review": demand.state == State.RESOLVED,
        "before": [p for p in demand.photos.all() if p.kind == PhotoKind.BEFORE],
        "after": [p for p in demand.photos.all() if p.kind == PhotoKind.AFTER],
    })


# --- Public: proving a phone, me too, similar demands -------------------------------------------------------

def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def verify_phone(request):
    """Prove a phone number with an SMS code: the visitor may then say "me too"; a logged-in resident's account
    gets it as its verified number (and sees every demand filed with it under 我的诉求)."""
    back = _next_url(request, reverse("demands:mine") if request.user.is_authenticated else reverse("demands:submit"))
    phone_form, code_form = forms.PhoneForm(), None
    if request.method == "POST" and request.POST.get("step") == "code":
        code_form = forms.CodeForm(request.POST)
        token = request.session.get(SESSION_PHONE_TOKEN, "")
        if code_form.is_valid() and (phone := call_service(code_form, services.check_phone_code, token,
                                                           code_form.cleaned_data["code"])):
            request.session[SESSION_PHONE] = phone
            request.session.pop(SESSION_PHONE_TOKEN, None)
            done = _("Your phone number is confirmed.")
            if request.user.is_authenticated:  # the account's verified number from now on
                attempt(request, account_services.verify_phone, request.user, actor=request.user, phone=phone,
                        done=done, catch=DomainError)
            else:
                messages.success(request, done)
            return redirect(back)
    elif request.method == "POST":
        phone_form = forms.PhoneForm(request.POST)
        if phone_form.is_valid() and (token := call_service(phone_form, services.send_phone_code,
                                                            phone_form.cleaned_data["phone"])):
            request.session[SESSION_PHONE_TOKEN] = token
            code_form = forms.CodeForm()
    elif request.user.is_authenticated and request.user.phone:
        phone_form = forms.PhoneForm(initial={"phone": request.user.phone})
    return render(request, "demands/public/verify_phone.html", {
        "phone_form": phone_form, "code_form": code_form, "next": back,
        "verified": request.session.get(SESSION_PHONE, ""),
    }, status=422 if phone_form.errors or (code_form is not None and code_form.errors) else 200)


def _support_button(request, demand: Demand, message: str = "", error: str = ""):
    return render(request, "demands/public/_support.html", {
        "code": demand.tracking_code, "count": demand.support_count, "message": message, "error": error,
        "next": _next_url(request, reverse("demands:submit")),
    })


@require_POST
def support(request, code):
    """我也遇到 on a demand, by tracking code: needs a verified contact (a logged-in account, or a phone proven
    with an SMS code); anonymous visitors are limited per address with an atomic counter."""
    demand = selectors.by_tracking_code(code)
    user = request.user if request.user.is_authenticated else None
    phone = request.session.get(SESSION_PHONE, "")
    back = _next_url(request, reverse("demands:submit"))
    if not services.supporter_key(user=user, verified_phone=phone):
        verify = reverse("demands:verify_phone") + "?" + urlencode({"next": back})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = verify
            return response
        return redirect(verify)
    if user is None and not services.rate_allows(
            "support", request.META.get("REMOTE_ADDR", ""), limit=getattr(settings, "GONGZHI_SUPPORT_RATE", 10),
            seconds=60):
        return _too_many(request)
    try:
        demand.support_count = services.add_support(demand, user=user, verified_phone=phone)
    except DomainError as e:
        message, error = "", error_text(e)
    else:
        message, error = _("Thank you: your “me too” was counted."), ""
    if request.headers.get("HX-Request"):
        return _support_button(request, demand, message=message, error=error)
    messages.add_message(request, messages.ERROR if error else messages.SUCCESS, error or message)
    return redirect(back)


def similar(request):
    """htmx, on the H5 form: open demands near and like the one being typed, each with a "me too" button."""
    found = selectors.similar_open_demands(
        selectors.sole_subdistrict(), title=request.GET.get("title", "")[:120],
        description=request.GET.get("description", "")[:2000], address=request.GET.get("address", "")[:200])
    return render(request, "demands/public/_similar.html", {
        "similar": [public.project(d, with_timeline=False) for d in found], "next": reverse("demands:submit"),
    })


# --- Staff: queue, export, bulk assignment ------------------------------------------------------------------

@login_required
def queue(request):
    require_capability(request.user, C.VIEW_DEMANDS)
    form, qs = forms.filtered_queue(request.user, request.GET)
    can_assign = has_capability(request.user, C.ASSIGN_DEMANDS)
    return render(request, "demands/queue.html", {
        "filter_form": form, "page": paginate(request, qs), "can_assign": can_assign,
        "assign_form": forms.AssignForm(user=request.user) if can_assign else None,
        "query": request.GET.urlencode(),
    })


@require_POST
@login_required
def bulk_assign(request):
    require_capability(request.user, C.ASSIGN_DEMANDS)
    back = reverse("demands:queue") + (f"?{request.POST['query']}" if request.POST.get("query") else "")
    form = forms.AssignForm(request.POST, user=request.user)
    ids = [i for i in request.POST.getlist("ids") if i.isdigit()]
    if not ids:
        messages.error(request, _("Select at least one demand."))
        return redirect(back)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    done, failed, unchanged = 0, [], []
    for demand in selectors.demands_for(request.user).filter(pk__in=ids):
        try:
            services.assign_demand(demand, actor=request.user, assignee_id=_pk(form.cleaned_data["assignee"]),
                                   team_id=_pk(form.cleaned_data["team"]), note=form.cleaned_data["note"])
            done += 1
        except NothingChanged:
            unchanged.append(demand.tracking_code)
        except DomainError as e:
            failed.append(labelled(demand.tracking_code, e.message))
    if done:
        messages.success(request, _("%(n)s demand(s) assigned.") % {"n": done})
    if unchanged:
        messages.info(request, " ".join([_("Nothing changed."), "、".join(unchanged)]))
    for text in failed:
        messages.error(request, text)
    return redirect(back)


# --- Staff: the demand page and its actions -----------------------------------------------------------------

def _pk(obj) -> int | None:
    return obj.pk if obj is not None else None


ACTION_FORMS = {
    "route": (forms.RouteForm, _("Route to a grid")),
    "assign": (forms.AssignForm, _("Assign")),
    "claim": (forms.ClaimForm, _("Claim")),
    "start": (forms.NoteForm, _("Start work")),
    "resolve": (forms.ResolveForm, _("Resolve")),
    "return": (forms.ReasonForm, _("Return (wrong routing)")),
    "reject": (forms.ReasonForm, _("Reject")),
    "escalate": (forms.NoteForm, _("Escalate one tier up")),
    "merge": (forms.MergeForm, _("Merge into another demand")),
    "close": (forms.NoteForm, _("Close")),
    "extend": (forms.ExtensionForm, _("Request a deadline extension")),
}
_NEEDS_USER = {"route", "assign"}


def _action_form(name, user, data=None, files=None, demand=None):
    form_class = ACTION_FORMS[name][0]
    kwargs = {"user": user} if name in _NEEDS_USER else {}
    if name == "assign":
        kwargs["demand"] = demand
    return form_class(data, files, **kwargs)  # unbound without data


def _perform(name: str, demand: Demand, user, d: dict) -> None:
    s = services
    if name == "route":
        s.route_demand(demand, actor=user, grid_id=_pk(d["grid"]))
    elif name == "assign":
        s.assign_demand(demand, actor=user, assignee_id=_pk(d["assignee"]), team_id=_pk(d["team"]), note=d["note"])
    elif name == "claim":
        s.claim_demand(demand, actor=user, promise=d["promise"])
    elif name == "start":
        s.start_demand(demand, actor=user, note=d["note"])
    elif name == "resolve":
        for photo in d["photos"]:  # photos first: a bad image stops before the state changes
            s.add_photo(demand, photo, kind=PhotoKind.AFTER, uploaded_by=user)
        s.resolve_demand(demand, actor=user, resolution=d["resolution"])
    elif name == "return":
        s.return_demand(demand, actor=user, reason=d["note"])
    elif name == "reject":
        s.reject_demand(demand, actor=user, reason=d["note"])
    elif name == "escalate":
        s.escalate_demand(demand, actor=user, note=d["note"])
    elif name == "merge":
        s.merge_demand(demand, actor=user, into_id=_merge_target(user, d["tracking_code"]).pk, note=d["note"])
    elif name == "close":
        s.close_demand(demand, actor=user, note=d["note"])
    elif name == "extend":
        s.request_extension(demand, actor=user, days=d["days"], reason=d["reason"])


def _merge_target(user, code: str) -> Demand:
    into = selectors.demands_for(user).filter(tracking_code=(code or "").strip().upper()).first()
    if into is None:
        raise NotFound(_("No demand with this tracking code in your scope."))
    return into


def _confirm_merge(request, demand: Demand, d: dict):
    """The page that asks before a merge: both demands side by side and what the merge will do."""
    into = _merge_target(request.user, d["tracking_code"])
    if into.pk == demand.pk:
        raise ValidationFailed(_("A demand cannot be merged into itself."))
    return render(request, "demands/merge_confirm.html", {
        "demand": demand, "into": into, "note": d["note"],
        "pair": [(_("Merge"), demand), (_("Into"), into)],
        "followers": demand.followers.count(), "supports": demand.supports.count(),
    })


def _demand_for_action(user, pk) -> Demand:
    """A demand the user sees, or one on their claim board."""
    demand = selectors.visible_demands(user).filter(pk=pk).first() or selectors.claim_board(user).filter(pk=pk).first()
    if demand is None:
        raise NotFound(_("Not found."))
    return demand


@login_required
def detail(request, pk):
    info = selectors.demand_detail(request.user, pk)
    demand, user = info.demand, request.user
    info.show_personal = personal_data_visible(user, demand, revealed=revealed(request, demand))  # masked until revealed
    can_approve = policies.can(user, demand, policies.DECIDE_EXTENSION)
    extensions = list(demand.extensions.select_related("requested_by", "decided_by"))
    return render(request, "demands/detail.html", {
        "info": info, "demand": demand,
        "timeline": [(t, t.actor_name) for t in info.timeline],
        "actions": [{"name": n, "title": ACTION_FORMS[n][1], "form": _action_form(n, user, demand=demand)}
                    for n in info.actions],
        "before": [p for p in info.photos if p.kind == PhotoKind.BEFORE],
        "after": [p for p in info.photos if p.kind == PhotoKind.AFTER],
        "extensions": extensions, "can_approve": can_approve, "decision_form": forms.DecisionForm(),
        "can_refer": policies.can(user, demand, Action.REFER),  # to a joint meeting (gongzhi.joint)
    })


@require_POST
@login_required
def act(request, pk, action):
    if action not in ACTION_FORMS:
        raise Http404
    user = request.user
    demand = _demand_for_action(user, pk)
    if action not in policies.actions(user, demand):
        messages.error(request, _("This action is not possible on this demand now."))
        return _after_action(user, demand)
    form = _action_form(action, user, request.POST, request.FILES, demand=demand)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _after_action(user, demand)
    if action == "merge" and request.POST.get("confirmed") != "1":  # ask first
        page = attempt(request, _confirm_merge, request, demand, form.cleaned_data, catch=DomainError)
        if page is not None:
            return page
    else:
        attempt(request, _perform, action, demand, user, form.cleaned_data, catch=DomainError,
                done=_("Done: %(action)s.") % {"action": ACTION_FORMS[action][1]})
    return _after_action(user, demand)


def _form_errors(form) -> str:
    return " ".join(labelled(form.fields[name].label, e) if name in form.fields else str(e)
                    for name, errs in form.errors.items() for e in errs)


def _after_action(user, demand: Demand):
    if selectors.visible_demands(user).filter(pk=demand.pk).exists():
        return redirect("demands:detail", pk=demand.pk)
    if has_capability(user, C.VIEW_DEMANDS):
        return redirect("demands:queue")
    return redirect("demands:claim_board")


# --- Staff: claim board, overdue, agenda, extensions, inbox -------------------------------------------------

@login_required
def claim_board(request):
    """Party members: the new items of their grid to claim with a public promise, and who claimed what."""
    user = request.user
    if not (has_capability(user, C.CLAIM_DEMANDS) or has_capability(user, C.VIEW_DEMANDS)):
        raise Forbidden(_("You do not have permission to do this."))
    member = getattr(user, "party_member", None)
    if member is not None and member.grid_id:
        open_items = selectors.claim_board(user)
        claimed = Demand.objects.filter(grid_id=member.grid_id)
    else:  # staff see the board of the grids in their scope
        open_items = selectors.visible_demands(user).filter(
            state=State.SUBMITTED, grid__isnull=False, escalation_level=0, member_unit__isnull=True)
        claimed = selectors.visible_demands(user)
    claimed = (claimed.filter(claimed_by__party_member__isnull=False).exclude(state__in=FINAL_STATES)
               .select_related("claimed_by__party_member", "grid").order_by("-updated_at")[:50])
    return render(request, "demands/claim_board.html", {
        "member": member, "open_items": open_items, "claimed": claimed, "claim_form": forms.ClaimForm(),
        "can_claim": member is not None and bool(member.grid_id),
    })


@login_required
def overdue(request):
    require_capability(request.user, C.VIEW_DEMANDS)
    return render(request, "demands/list.html", {
        "title": _("Overdue demands"), "page": paginate(request, selectors.overdue_demands(request.user)),
        "empty": _("Nothing is overdue."),
    })


@login_required
def agenda(request):
    require_capability(request.user, C.VIEW_DEMANDS)
    return render(request, "demands/list.html", {
        "title": _("Referred to joint meetings"),
        "page": paginate(request, selectors.joint_meeting_agenda(request.user)),
        "intro": _("Open demands a sub-district leader referred to a joint meeting: each is an agenda item of the "
                   "platform's next session until a decision hands it to a unit."),
        "empty": _("No demand is referred to a joint meeting."),
    })


@login_required
def extensions(request):
    require_capability(request.user, C.APPROVE_DEMANDS)
    return render(request, "demands/extensions.html", {
        "page": paginate(request, selectors.pending_extensions(request.user)), "decision_form": forms.DecisionForm(),
    })


@require_POST
@login_required
def decide_extension(request, pk):
    require_capability(request.user, C.APPROVE_DEMANDS)
    ext = selectors.pending_extensions(request.user).filter(pk=pk).first()
    if ext is None:
        raise NotFound(_("Not found."))
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        approve = form.cleaned_data["approve"]
        attempt(request, services.decide_extension, ext, actor=request.user, approve=approve,
                note=form.cleaned_data["note"], done=_("Approved.") if approve else _("Refused."), catch=DomainError)
    return redirect(request.POST.get("next") if request.POST.get("next") == reverse("demands:detail", args=[
        ext.demand_id]) else "demands:extensions")


@login_required
def mine(request):
    """我的诉求: a resident's own demands (filed with their account or their verified phone), through the public
    projection, each linking to its public status page."""
    page = paginate(request, selectors.my_demands(request.user))
    page.object_list = [public.project(d, with_timeline=False) for d in page.object_list]
    return render(request, "demands/mine.html", {
        "page": page, "phone_verified": bool(request.user.phone_verified_at), "phone": request.user.phone,
    })


@login_required
def my_items(request):
    """我的事项: the open demands handed to the user and the demands they claimed, each linking to its page."""
    return render(request, "demands/my_items.html", {
        "assigned": selectors.assigned_to(request.user)[:200],
        "claims": selectors.claims_of(request.user)[:200],
    })


@login_required
def inbox(request):
    return render(request, "demands/inbox.html", {
        "page": paginate(request, selectors.inbox(request.user)),
        "unread": selectors.inbox(request.user, unread_only=True).count(),
    })


@require_POST
@login_required
def inbox_read(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()] or None
    n = services.mark_read(request.user, ids)
    messages.success(request, _("%(n)s marked as read.") % {"n": n})
    return redirect("demands:inbox")

