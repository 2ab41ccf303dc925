"""Scoped reads of the matching app, and the bridge from the database to the Django-free engine.

Visibility (capability `matching.view`):
* resources: those serving a node inside the user's scope, serving an ancestor of it (a resource for the whole
  sub-district is on every area's market), of the user's own units, or given by party orgs in scope;
* needs: by place; a unit liaison also sees the needs of the sub-district(s) their unit belongs to (to claim them);
* projects: by the need's place and the provider unit.
"""

from __future__ import annotations

from collections import Counter
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, require_capability, scope_for, scoped
from gongzhi.core.errors import BadParameter, NotFound
from gongzhi.core.workbench import card
from gongzhi.demands.models import Demand
from gongzhi.matching import engine, labels, policies
from gongzhi.matching.models import (
    Attachment,
    Campaign,
    Initiator,
    Need,
    NeedStatus,
    Project,
    Resource,
    ResourceStatus,
)
from gongzhi.matching.policies import MANAGE, OFFER, VIEW
from gongzhi.matching.workflow import ACTIVE_STATES, DONE_STATES, LIVE_STATES, ProjectState
from gongzhi.registry.models import MemberUnit, Region, RegionKind


def _ancestor_ids(paths) -> set[int]:
    return {int(x) for p in paths for x in p.strip("/").split("/")[:-1] if x}


def _subdistrict_paths(unit_ids) -> set[str]:
    paths = MemberUnit.objects.filter(pk__in=unit_ids).values_list("region__path", flat=True)
    return {"/" + "/".join(p.strip("/").split("/")[:2]) + "/" for p in paths if p}


def regions_to_serve(user, resource: Resource | None = None):
    """The regions a resource form offers: those the user sees, the ones above them (to serve a whole area or
    sub-district), for a unit liaison their unit's sub-district, and the regions the resource serves already."""
    scope = scope_for(user, VIEW)
    qs = Region.objects.exclude(kind=RegionKind.DISTRICT).order_by("path")
    if scope.everything:
        return qs
    q = scope.q(Region) | Q(pk__in=_ancestor_ids(scope.region_paths))
    for p in _subdistrict_paths(scope.unit_ids):
        q |= Q(path__startswith=p)
    if resource is not None and resource.pk:
        q |= Q(pk__in=resource.regions.values("pk"))
    return qs.filter(q)


def resources_for(user, capability: str = VIEW):
    scope = scope_for(user, capability)
    qs = Resource.objects.select_related("provider_unit__region", "provider_org__region", "campaign")
    if scope.everything:
        return qs
    q = scope.q(Resource)
    if ancestors := _ancestor_ids(scope.region_paths):
        q |= Q(regions__in=ancestors)
    if scope.unit_ids:
        q |= reduce(or_, (Q(regions__path__startswith=p) for p in _subdistrict_paths(scope.unit_ids)), Q(pk__in=[]))
    return qs.filter(pk__in=Resource.objects.filter(q).values("pk"))


def needs_for(user, capability: str = VIEW):
    scope = scope_for(user, capability)
    qs = Need.objects.select_related("place", "campaign")
    if scope.everything:
        return qs
    q = scope.q(Need)
    for p in _subdistrict_paths(scope.unit_ids):
        q |= Q(place__path__startswith=p)
    return qs.filter(q)


def projects_for(user, capability: str = VIEW):
    qs = Project.objects.select_related("need__place", "resource__provider_unit", "resource__provider_org__region",
                                        "campaign")
    return scoped(user, qs, capability)


def _one(qs, pk, user):
    """One row of an already scoped queryset, or NotFound (missing and out of scope look the same)."""
    require_capability(user, VIEW)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Not found."))
    return obj


def resource(user, pk: int) -> Resource:
    return _one(resources_for(user), pk, user)


def need(user, pk: int) -> Need:
    return _one(needs_for(user), pk, user)


def project(user, pk: int) -> Project:
    return _one(projects_for(user), pk, user)


def attachment_for_file(user, name: str) -> Attachment | None:
    """The project attachment stored as `name` when the user sees its project, else None (read by
    gongzhi.core.media.serve)."""
    if not getattr(user, "is_authenticated", False) or not has_capability(user, VIEW):
        return None
    found = Attachment.objects.filter(file=name).first()
    if found is None or not projects_for(user).filter(pk=found.project_id).exists():
        return None
    return found


def filter_list(qs, params, fields, search=("title", "code")):
    """A list narrowed as on its page (and its export): ``q`` searches ``search``; each of ``fields`` filters by
    its value."""
    if q := (params.get("q") or "").strip():
        qs = qs.filter(reduce(or_, (Q(**{f"{name}__icontains": q}) for name in search)))
    for name in fields:
        if value := params.get(name):
            qs = qs.filter(**{name: _filter_value(qs.model, name, value)})
    return qs


def _filter_value(model, name: str, value: str):
    """`value` as the field `name` stores it; BadParameter (400, naming the field) when it cannot be one."""
    field = model._meta.get_field(name)
    target = getattr(field, "target_field", None) or field
    try:
        python = target.to_python(value)
        target.run_validators(python)
    except (DjangoValidationError, ValueError, TypeError, OverflowError):
        raise BadParameter(name)
    return python


def campaigns_for(user):
    """Campaigns of the sub-districts the user can see anything of (a campaign is a public round)."""
    scope = scope_for(user, VIEW)
    qs = Campaign.objects.select_related("subdistrict")
    if scope.everything:
        return qs
    if scope.is_empty:
        return qs.none()
    paths = set(scope.region_paths) | _subdistrict_paths(scope.unit_ids)
    ids = _ancestor_ids(paths) | {int(p.strip("/").split("/")[-1]) for p in paths}
    return qs.filter(subdistrict__in=ids)


def campaign(user, pk: int) -> Campaign:
    return _one(campaigns_for(user), pk, user)


def staff_subdistricts(user):
    """The sub-districts whose campaigns the user may run (matching.manage covering the whole sub-district)."""
    return Region.objects.filter(kind=RegionKind.SUBDISTRICT).filter(scope_for(user, MANAGE).q(Region))


def claimable_resources(user):
    """The resources the user may claim needs with: their side's own, open and taking claims."""
    offer = scope_for(user, OFFER)
    qs = Resource.objects.filter(policies.claimable_q(Resource))
    return qs if offer.everything else qs.filter(provider_unit__in=offer.unit_ids)


def claimable_needs(user):
    """The needs the user may claim resources for: their community's open needs of campaigns taking claims."""
    return needs_for(user, MANAGE).filter(policies.claimable_q(Need))


def log(subject):
    """The transition log of a project, campaign, need or resource (the caller has checked it may see it)."""
    return subject.transitions.select_related("actor")


def used_amounts(resource_ids=None) -> dict[int, int]:
    qs = Project.objects.filter(state__in=LIVE_STATES)
    if resource_ids is not None:
        qs = qs.filter(resource_id__in=resource_ids)
    return dict(qs.values("resource_id").annotate(n=Sum("amount")).values_list("resource_id", "n"))


def remaining(resource_: Resource) -> int:
    used = Project.objects.filter(resource=resource_, state__in=LIVE_STATES).aggregate(n=Sum("amount"))["n"]
    return max(0, resource_.capacity - (used or 0))


def suggested(user, found: dict[int, list], *, for_needs: bool) -> dict[int, list]:
    """The engine's suggestions (pk → suggestions) for needs (`for_needs`) or for resources as (counterpart,
    suggestion) pairs, cut to the counterparts the user may see."""
    qs, side = (resources_for(user), "resource_id") if for_needs else (needs_for(user), "need_id")
    visible = qs.in_bulk({getattr(s, side) for lst in found.values() for s in lst})
    return {pk: [(visible[getattr(s, side)], s) for s in lst if getattr(s, side) in visible]
            for pk, lst in found.items()}


def matches(user, obj: Need | Resource, k: int = 5) -> list:
    """The `k` best counterparts of a need or a resource in its campaign, as (counterpart, suggestion) pairs cut to
    what the user may see; none outside a campaign."""
    if obj.campaign_id is None:
        return []
    matcher, for_needs = build_matcher(obj.campaign), isinstance(obj, Need)
    if obj.pk not in (matcher.need_index if for_needs else matcher.resource_index):
        return []
    suggest = matcher.suggest_for_needs if for_needs else matcher.suggest_for_resources
    return suggested(user, suggest(k, [obj.pk]), for_needs=for_needs).get(obj.pk, [])


def build_matcher(campaign: Campaign | None, config: engine.MatchingConfig | None = None) -> engine.Matcher:
    """A matcher over the campaign's open needs and its open resources with capacity left, fed with each
    provider's current load (live projects), the past pairs (finished projects per provider and place) and each
    provider's experience (finished projects per need category)."""
    res_qs = Resource.objects.filter(status=ResourceStatus.OPEN, campaign=campaign).prefetch_related("regions")
    need_qs = Need.objects.filter(status=NeedStatus.OPEN, campaign=campaign).select_related("place")
    used = used_amounts()
    resources = [
        engine.Resource(r.pk, r.category, f"{r.title} {r.description}", r.capacity - used.get(r.pk, 0), r.unit,
                        r.starts_on, r.ends_on, tuple(x.path for x in r.regions.all()), r.provider_key,
                        title=r.title)
        for r in res_qs if r.capacity - used.get(r.pk, 0) > 0
    ]
    needs = [
        engine.Need(n.pk, n.category, f"{n.title} {n.description}", n.beneficiaries, n.quantity, n.starts_on,
                    n.ends_on, n.place.path, n.urgency, n.unit or None)
        for n in need_qs
    ]
    projects = Project.objects.values_list("resource__provider_unit_id", "resource__provider_org_id", "state",
                                           "need__place__path", "need__category")
    load: Counter = Counter()
    history: Counter = Counter()
    experience: Counter = Counter()  # (provider, need category) → completed projects: "对方曾完成同类项目"
    for unit_id, org_id, state, path, category in projects:
        key = f"u{unit_id}" if unit_id else f"o{org_id}"  # as Resource.provider_key
        if state in ACTIVE_STATES:
            load[key] += 1
        elif state in DONE_STATES:
            history[key, path] += 1
            experience[key, category] += 1
    return engine.Matcher(resources, needs, config, provider_load=load, history=history, experience=experience)


def results(user, campaign: Campaign | None = None, year: int | None = None) -> dict:
    """The numbers of the results page (within the user's scope): projects by resource type, by provider and
    by residential area, completion rate, beneficiaries served, unmet needs."""
    projects = projects_for(user).filter(state__in=LIVE_STATES)
    needs = needs_for(user)
    if campaign is not None:
        projects, needs = projects.filter(campaign=campaign), needs.filter(campaign=campaign)
    if year is not None:
        projects, needs = projects.filter(campaign__year=year), needs.filter(campaign__year=year)
    rows = list(projects.values_list("state", "resource__category", "resource__provider_unit__name",
                                     "resource__provider_org__name", "need__place__path", "beneficiaries_served",
                                     "hours"))
    area_ids = {int(p.strip("/").split("/")[2]) for *_, p, _b, _h in rows if p.count("/") >= 4}
    area_names = dict(Region.objects.filter(pk__in=area_ids).values_list("pk", "name"))
    by_type, by_unit, by_area = Counter(), Counter(), Counter()
    done = served = hours = 0
    for state, category, unit, org, path, benef, hrs in rows:
        by_type[labels.resource_category(category)] += 1
        by_unit[unit or org] += 1
        parts = path.strip("/").split("/")
        by_area[area_names.get(int(parts[2]), "—") if len(parts) >= 3 else "—"] += 1
        if state in DONE_STATES:
            done += 1
            served += benef or 0
            hours += hrs or 0
    met = projects.filter(state__in=DONE_STATES).values("need_id")
    unmet = needs.exclude(pk__in=met).exclude(status="closed").count()
    return {
        "projects": len(rows), "completed": done, "completion_rate": round(100 * done / len(rows), 1) if rows else 0.0,
        "beneficiaries": served, "hours": hours, "needs": needs.count(), "unmet_needs": unmet,
        "by_type": by_type.most_common(), "by_unit": by_unit.most_common(15), "by_area": by_area.most_common(),
    }


# --- Workbench cards (declared in the app's manifest; see gongzhi.core.modules.Card) -----------------------

def claims_on_my_resources(user):
    """Projects a community proposed on resources of the user's member unit(s): the provider's confirmation is
    awaited."""
    units = scope_for(user, OFFER).unit_ids
    return projects_for(user).filter(state=ProjectState.PROPOSED, initiated_by=Initiator.COMMUNITY,
                                     resource__provider_unit_id__in=units).order_by("created_at", "pk")


def proposals_to_confirm(user):
    """Projects a provider claimed (or the global matching proposed) for needs of places in the user's
    `matching.manage` scope: the community's confirmation is awaited."""
    needs = scope_for(user, MANAGE).filter(Need.objects.all())
    return projects_for(user).filter(state=ProjectState.PROPOSED, need__in=needs.values("pk"),
                                     initiated_by__in=(Initiator.PROVIDER, Initiator.MATCHER)
                                     ).order_by("created_at", "pk")


WAITING = {"provider": claims_on_my_resources, "community": proposals_to_confirm}


def _project_card(qs, waiting: str) -> dict:
    return card(qs, f"{reverse('matching:projects')}?waiting={waiting}", lambda p: {
        "text": f"{p.title} · {p.need.title}", "url": reverse("matching:project_detail", args=[p.pk])}, urgent=True)


def claims_card(user) -> dict | None:
    if not scope_for(user, OFFER).unit_ids:
        return None
    return _project_card(claims_on_my_resources(user), "provider")


def to_confirm_card(user) -> dict | None:
    if not has_capability(user, MANAGE):
        return None
    return _project_card(proposals_to_confirm(user), "community")


# --- The searchable picker (need lists and demand links of the forms) ----------------------------------------

PICKER_LIMIT = 20


def picker_queryset(user, kind: str):
    """What a picker of `kind` may offer the user: "needs" (their community's open needs, claimable now) or
    "demands" (resident demands in their view scope). NotFound for another kind."""
    if kind == "needs":
        return claimable_needs(user).select_related("place", "campaign")
    if kind == "demands":
        return scoped(user, Demand, Capability.VIEW_DEMANDS).select_related("grid", "region", "building")
    raise NotFound(_("Not found."))


def picker_label(obj) -> str:
    """One option as people tell them apart: its code, title, place (grid) and dates."""
    day = lambda d: date_format(d, "SHORT_DATE_FORMAT") if d else "…"  # noqa: E731
    if isinstance(obj, Need):
        return f"{obj.code} · {obj.title} · {obj.place.name} · {day(obj.starts_on)}–{day(obj.ends_on)}"
    place = obj.building.name if obj.building_id else (obj.grid or obj.region).name
    return f"{obj.tracking_code} · {obj.title} · {place} · {day(obj.created_at.date())}"


def picker_options(user, kind: str, q: str = "", selected=()) -> list[tuple[object, bool, str]]:
    """(object, chosen, label) for a picker: the chosen ones first (always kept), then up to PICKER_LIMIT others that
    match `q` in their code, title or place, newest first."""
    qs = picker_queryset(user, kind)
    ids = [int(x) for x in selected if str(x).isdigit()][:500]
    chosen = list(qs.filter(pk__in=ids)) if ids else []
    others = qs.exclude(pk__in=ids)
    q = (q or "").strip()[:50]
    if q and kind == "needs":
        others = others.filter(Q(code__icontains=q) | Q(title__icontains=q) | Q(place__name__icontains=q))
    elif q:
        others = others.filter(Q(tracking_code__icontains=q) | Q(title__icontains=q) | Q(address__icontains=q)
                               | Q(grid__name__icontains=q) | Q(building__name__icontains=q))
    rows = [(o, True) for o in chosen] + [(o, False) for o in others.order_by("-pk")[:PICKER_LIMIT]]
    return [(o, c, picker_label(o)) for o, c in rows]
