"""Pages of the grid part of deliberation (thin: forms in, services and selectors out): the grid topics list, the
batch page creating the year's topics from the top-10 concerns, a topic's page with its micro-items (claim with a
promise, release, mark done with photos, raise to the council), the claims board and the claimant's promises."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import Conflict, ValidationFailed
from gongzhi.core.forms import apply_error, error_text
from gongzhi.deliberation.forms_grid import (
    BatchFormSet,
    BatchSettingsForm,
    ClaimForm,
    CompleteForm,
    MicroItemForm,
    ReleaseForm,
    TopicStepForm,
)
from gongzhi.deliberation.policies import grid as policies
from gongzhi.deliberation.selectors import grid as selectors
from gongzhi.deliberation.services import grid as services
from gongzhi.deliberation.workflows_grid import (
    GRID_TOPIC_FLOW,
    GridTopicState,
    MicroItemAction,
    MicroItemState,
)

PER_PAGE = 25
BOARD_PER_PAGE = 50


def _page(request, qs, per_page=PER_PAGE):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _list(request, template: str, partial: str, context: dict):
    """A list page; an htmx request (the live filter form) gets only the results partial."""
    return render(request, partial if request.htmx else template, context)


@login_required
def grid_topics(request):
    require_capability(request.user, policies.VIEW)
    qs = selectors.filter_topics(selectors.grid_topics_for(request.user), request.GET)
    return _list(request, "deliberation/grid/topics.html", "deliberation/grid/_topics_table.html", {
        "page": _page(request, qs.order_by("-year", "grid__path", "title")),
        "years": selectors.years_for(request.user), "states": GridTopicState.choices,
        "grids": selectors.grid_choices(request.user), "can_create": policies.may_create_topics(request.user),
    })


# --- the batch page ---------------------------------------------------------------------------------------------

def _batch_rows(formset, grids: dict, basis) -> list[tuple]:
    """(row form, grid, suggestion row or None) for the template."""
    suggestions = {row.grid.pk: row for row in basis.rows} if basis else {}
    out = []
    for form in formset.forms:
        raw = form["grid"].value()
        pk = int(raw) if str(raw or "").isdigit() else None
        out.append((form, grids.get(pk), suggestions.get(pk)))
    return out


@login_required
def grid_topic_batch(request):
    """One row per grid of the user's scope, prefilled from the grid's (or its area's) top concerns; the included
    rows are created at once, all or nothing."""
    user = request.user
    require_capability(user, policies.MANAGE)
    grids = list(selectors.grid_choices(user, policies.MANAGE))
    by_pk = {g.pk: g for g in grids}
    if request.method == "POST":
        settings_form = BatchSettingsForm(request.POST)
        formset = BatchFormSet(request.POST, prefix="rows")
        if settings_form.is_valid() and formset.is_valid():
            s = settings_form.cleaned_data
            chosen = [(i, f.cleaned_data) for i, f in enumerate(formset.forms) if f.cleaned_data.get("include")]
            rows = [{**data, "items": data.get("items", "")} for _i, data in chosen]
            try:
                made = services.create_grid_topics(s["year"], actor=user, rows=rows, publish=s["publish"],
                                                   due_on=s["due_on"])
            except (ValidationFailed, Conflict) as e:
                for key, errs in e.field_errors.items():
                    index, _dot, name = key.partition(".")
                    if name and index.isdigit() and int(index) < len(chosen):
                        form = formset.forms[chosen[int(index)][0]]
                        for err in errs:
                            form.add_error(name if name in form.fields else None, err)
                    else:
                        for err in errs:
                            settings_form.add_error(key if key in settings_form.fields else None, err)
                if not e.field_errors:
                    settings_form.add_error(None, e.message)
                else:
                    messages.error(request, e.message)
            else:
                messages.success(request, _("%(n)s grid topics created.") % {"n": len(made)})
                return redirect(reverse("deliberation:grid_topics") + f"?year={s['year']}")
        year = settings_form.cleaned_data.get("year") if settings_form.is_valid() else None
        existing: dict = {}
        for t in selectors.grid_topics_for(user, policies.MANAGE).filter(year=year) if year else ():
            existing.setdefault(t.grid_id, []).append(t)
        rows = [(f, g, existing.get(g.pk, []) if g else []) for f, g, _s in _batch_rows(formset, by_pk, None)]
        basis = None
    else:
        initial = BatchSettingsForm.defaults(request.GET)
        settings_form = BatchSettingsForm(initial=initial)
        basis = selectors.concern_basis(user, grids, initial["basis"], topic_year=initial["year"])
        formset = BatchFormSet(prefix="rows", initial=[{
            "include": not row.existing, "grid": row.grid.pk, "concern": row.concern.category if row.concern else "",
            "concern_rank": row.concern.rank if row.concern else None,
            "title": selectors.suggested_title(row.concern),
            "description": selectors.suggested_description(row, initial["basis"]),
        } for row in basis.rows])
        rows = [(f, g, s.existing if s else []) for f, g, s in _batch_rows(formset, by_pk, basis)]
    return render(request, "deliberation/grid/batch.html", {
        "settings_form": settings_form, "formset": formset, "rows": rows, "basis": basis,
    })


# --- a topic and its micro-items ------------------------------------------------------------------------------

def _item_rows(user, topic, bound: dict) -> list[dict]:
    rows = []
    for item in selectors.topic_items(topic):
        forms = bound.get(item.pk, {})
        rows.append({
            "item": item,
            "claim": forms.get("claim") or ClaimForm(prefix=f"claim-{item.pk}")
            if policies.can(user, item, MicroItemAction.CLAIM) else None,
            "release": ReleaseForm(prefix=f"release-{item.pk}")
            if policies.can(user, item, MicroItemAction.RELEASE) else None,
            "complete": forms.get("complete") or CompleteForm(prefix=f"complete-{item.pk}")
            if policies.can(user, item, MicroItemAction.COMPLETE) else None,
            "mine": item.claimed_by_id == user.pk,
        })
    return rows


@login_required
def grid_topic_detail(request, pk, add_form=None, bound=None, status=200):
    user = request.user
    topic = selectors.grid_topic(user, pk)
    steps = [(a, GRID_TOPIC_FLOW.action_label(a)) for a in policies.actions(user, topic)]
    return render(request, "deliberation/grid/topic_detail.html", {
        "obj": topic, "items": _item_rows(user, topic, bound or {}), "steps": steps, "step_form": TopicStepForm(),
        "add_form": add_form or (MicroItemForm() if policies.can(user, topic, policies.ADD_ITEM) else None),
        "can_raise": policies.can(user, topic, policies.RAISE), "log": selectors.log(topic),
        "manages": policies.manages(user, topic.grid),
    }, status=status)


def _to_topic(item_or_topic, anchor: str = ""):
    return redirect(reverse("deliberation:grid_topic_detail", args=[item_or_topic]) + anchor)


@require_POST
@login_required
def grid_topic_transition(request, pk):
    form = TopicStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
        return _to_topic(pk)
    try:
        services.transition_grid_topic(pk, form.cleaned_data["action"], actor=request.user,
                                       note=form.cleaned_data["note"])
    except (Conflict, ValidationFailed) as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("Done."))
    return _to_topic(pk)


@require_POST
@login_required
def grid_topic_raise(request, pk):
    try:
        topic = services.raise_topic(pk, actor=request.user)
    except Conflict as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Raised as the deliberation topic “%(title)s”: it waits to be accepted.")
                         % {"title": topic.title})
    return _to_topic(pk)


@require_POST
@login_required
def grid_item_add(request, pk):
    form = MicroItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.add_micro_item(pk, actor=request.user, **form.cleaned_data)
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("Micro-item added."))
            return _to_topic(pk, f"#item-{item.pk}")
    return grid_topic_detail(request, pk, add_form=form, status=422)


def _topic_of_item(request, pk) -> int:
    return selectors.item(request.user, pk).grid_topic_id


@require_POST
@login_required
def grid_item_claim(request, pk):
    topic_pk = _topic_of_item(request, pk)
    form = ClaimForm(request.POST, prefix=f"claim-{pk}")
    if form.is_valid():
        try:
            services.claim_micro_item(pk, actor=request.user, promise=form.cleaned_data["promise"])
        except ValidationFailed as e:
            apply_error(form, e)
        except Conflict as e:
            messages.error(request, e.message)
            return _to_topic(topic_pk, f"#item-{pk}")
        else:
            messages.success(request, _("Claimed. Your promise is on the grid's claims board."))
            return _to_topic(topic_pk, f"#item-{pk}")
    return grid_topic_detail(request, topic_pk, bound={pk: {"claim": form}}, status=422)


@require_POST
@login_required
def grid_item_release(request, pk):
    topic_pk = _topic_of_item(request, pk)
    form = ReleaseForm(request.POST, prefix=f"release-{pk}")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.release_micro_item(pk, actor=request.user, note=note)
    except (Conflict, ValidationFailed) as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("Released: the micro-item is open to claims again."))
    return _to_topic(topic_pk, f"#item-{pk}")


@require_POST
@login_required
def grid_item_done(request, pk):
    topic_pk = _topic_of_item(request, pk)
    form = CompleteForm(request.POST, request.FILES, prefix=f"complete-{pk}")
    if form.is_valid():
        try:
            services.complete_micro_item(pk, actor=request.user, outcome=form.cleaned_data["outcome"],
                                         photos=form.cleaned_data["photos"])
        except ValidationFailed as e:
            apply_error(form, e)
        except Conflict as e:
            messages.error(request, e.message)
            return _to_topic(topic_pk, f"#item-{pk}")
        else:
            messages.success(request, _("Done: the outcome is recorded."))
            return _to_topic(topic_pk, f"#item-{pk}")
    return grid_topic_detail(request, topic_pk, bound={pk: {"complete": form}}, status=422)


# --- the claims board and my promises -----------------------------------------------------------------------

ITEM_STATES = [*MicroItemState.choices, ("overdue", gettext_lazy("Overdue"))]


@login_required
def grid_board(request):
    """微事项认领榜: who claimed which micro-item of each grid, and what they promised (staff and party members of
    the grid see it)."""
    qs = selectors.board(request.user, request.GET)
    return _list(request, "deliberation/grid/board.html", "deliberation/grid/_board_table.html", {
        "page": _page(request, qs, BOARD_PER_PAGE), "years": selectors.years_for(request.user),
        "grids": selectors.grid_choices(request.user), "states": ITEM_STATES,
    })


@login_required
def grid_my_promises(request):
    require_capability(request.user, policies.CLAIM)
    items = selectors.my_promises(request.user)
    pending = [i for i in items if i.state == MicroItemState.CLAIMED]
    done = [i for i in items if i.state == MicroItemState.DONE]
    return render(request, "deliberation/grid/my_promises.html", {"pending": pending, "done": done})


urlpatterns = [
    path("grid/topics/", grid_topics, name="grid_topics"),
    path("grid/topics/batch/", grid_topic_batch, name="grid_topic_batch"),
    path("grid/topics/<int:pk>/", grid_topic_detail, name="grid_topic_detail"),
    path("grid/topics/<int:pk>/step/", grid_topic_transition, name="grid_topic_transition"),
    path("grid/topics/<int:pk>/raise/", grid_topic_raise, name="grid_topic_raise"),
    path("grid/topics/<int:pk>/items/", grid_item_add, name="grid_item_add"),
    path("grid/items/<int:pk>/claim/", grid_item_claim, name="grid_item_claim"),
    path("grid/items/<int:pk>/release/", grid_item_release, name="grid_item_release"),
    path("grid/items/<int:pk>/done/", grid_item_done, name="grid_item_done"),
    path("grid/board/", grid_board, name="grid_board"),
    path("grid/promises/", grid_my_promises, name="grid_my_promises"),
]
