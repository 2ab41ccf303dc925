"""Read paths of the registry, always scoped by the user.

`SPECS` describes, per model, how a list is searched and filtered; the web pages and the JSON API
both read through `list_objects` / `get_object`, so they see exactly the same rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import access, scope_for, scoped
from gongzhi.core import crypto
from gongzhi.core.errors import Forbidden, int_param
from gongzhi.core.masking import may_see_personal_data
from gongzhi.registry import policies
from gongzhi.registry.models import (
    Building,
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

VIEW = Capability.VIEW_REGISTRY
EDIT = Capability.EDIT_REGISTRY
PHONE_LIKE = re.compile(r"[\d-]{7,20}")


@dataclass(frozen=True)
class Filter:
    """One list filter: `choice` (a field with choices), `bool` (1/0), `present` (1: the field is set, 0: empty),
    `region` (the subtree of a region id), `org` / `ref` (the id of a party organization / of a `ref` row the user
    may see: the estate or building of a household)."""

    name: str
    label: str
    lookup: str
    kind: str = "choice"
    choices: tuple = ()
    ref: type[Model] | None = None

    def apply(self, qs: QuerySet, value: str, user) -> QuerySet:
        if value in ("", None):
            return qs
        if self.kind == "bool":
            return qs.filter(**{self.lookup: value in ("1", "true", "True", "on", "yes")})
        if self.kind == "present":
            return qs.filter(**{f"{self.lookup}__isnull": value not in ("1", "true", "True", "on", "yes")})
        if self.kind in ("region", "org", "ref"):
            pk = int_param({self.name: value}, self.name)  # a word or an id too large: 400 naming the filter
        if self.kind == "region":
            region = scoped(user, Region, VIEW).filter(pk=pk).first()
            return qs.filter(**{f"{self.lookup}__path__startswith": region.path}) if region else qs.none()
        if self.kind == "org":
            return qs.filter(**{self.lookup: pk})
        if self.kind == "ref":
            return qs.filter(**{self.lookup: pk}) if scoped(user, self.ref, VIEW).filter(pk=pk).exists() else qs.none()
        if value not in dict(self.choices):
            return qs.none()
        return qs.filter(**{self.lookup: value})


@dataclass(frozen=True)
class Spec:
    """How one registry model is listed: search fields, filters, related rows to load."""

    key: str
    model: type[Model]
    search: tuple[str, ...] = ("name", "code")
    filters: tuple[Filter, ...] = ()
    related: tuple[str, ...] = ()
    order: tuple[str, ...] = field(default_factory=tuple)
    # lookup-hash fields a search text that looks like a phone number is matched against (for viewers of personal
    # data only: the others see the numbers masked, and a search must not confirm a number for them)
    hash_search: tuple[str, ...] = ()

    def base(self) -> QuerySet:
        qs = self.model._default_manager.select_related(*self.related)
        return qs.order_by(*self.order) if self.order else qs


def _choice(name, model, label=None):
    f = model._meta.get_field(name)
    return Filter(name, label or f.verbose_name, name, "choice", tuple(f.choices))


def _bool(name, model):
    return Filter(name, model._meta.get_field(name).verbose_name, name, "bool")


def _region(lookup="region", label=None, name="region"):
    return Filter(name, label or gettext_lazy("region"), lookup, "region")


def _ref(name, model, lookup=None, label=None):
    return Filter(name, label or model._meta.verbose_name, lookup or f"{name}_id", "ref", ref=model)


SPECS: dict[str, Spec] = {s.key: s for s in (
    Spec("region", Region, filters=(_choice("kind", Region), _region("parent", gettext_lazy("under")))),
    Spec("building", Building, filters=(_choice("kind", Building), _region(), _ref("estate", Estate),
                                        _bool("is_key_building", Building)),
         related=("region", "estate")),
    Spec("estate", Estate, search=("name", "code", "address", "property_company"),
         filters=(_region("area", gettext_lazy("residential area"), "area"),), related=("area", "property_unit")),
    Spec("household", Household, search=("room", "head_name", "building__name", "building__code"),
         filters=(_region("building__region"), _ref("estate", Estate, "building__estate_id"),
                  _ref("building", Building),
                  _bool("elderly_living_alone", Household), _bool("hardship", Household),
                  _bool("is_owner_occupied", Household),
                  Filter("verified", gettext_lazy("phone verified"), "phone_verified_at", "present")),
         related=("building", "building__estate"), hash_search=("phone_hash", "other_phone_hash")),
    Spec("memberunit", MemberUnit,
         filters=(_choice("kind", MemberUnit), _region(), _bool("has_party_org", MemberUnit),
                  _bool("is_two_new", MemberUnit), _bool("in_joint_meeting", MemberUnit)),
         related=("region", "building")),
    Spec("partyorg", PartyOrg, filters=(_choice("kind", PartyOrg), _region()),
         related=("region", "parent", "secretary")),
    Spec("partymember", PartyMember, search=("name", "organization__name"),
         filters=(_choice("status", PartyMember), _region("organization__region"),
                  Filter("organization", gettext_lazy("party organization"), "organization_id", "org"),
                  _bool("is_mobile", PartyMember), _region("registered_area", gettext_lazy("registered at"), "registered_area")),
         related=("organization", "registered_area", "grid")),
    Spec("liaison", Liaison, search=("name",), filters=(_region(), _bool("is_chief", Liaison)),
         related=("region", "chief")),
    Spec("professionalteam", ProfessionalTeam, search=("name", "leader_name"),
         filters=(_choice("kind", ProfessionalTeam), _region()), related=("region",)),
    Spec("volunteerteam", VolunteerTeam, search=("name", "speciality", "leader_name"), filters=(_region(),),
         related=("region", "member_unit")),
    Spec("serviceplace", ServicePlace, filters=(_choice("kind", ServicePlace), _region()),
         related=("region", "centre")),
)}


def spec_for(model_or_key) -> Spec:
    if isinstance(model_or_key, str):
        return SPECS[model_or_key]
    return SPECS[model_or_key._meta.model_name]


def _require(user, model, action: str) -> None:
    if not policies.can(user, model, action):
        raise Forbidden(_("You do not have permission to do this."))


def list_objects(user, key: str, params) -> QuerySet:
    """The rows of one registry model that the user may see, searched (`q`) and filtered by `params`."""
    spec = SPECS[key]
    _require(user, spec.model, "list")
    qs = scoped(user, spec.base(), VIEW)
    text = (params.get("q") or "").strip()
    if text:
        q = reduce(or_, (Q(**{f"{f}__icontains": text}) for f in spec.search))
        if spec.hash_search and PHONE_LIKE.fullmatch(text) and may_see_personal_data(user):
            hashes = crypto.lookup_hashes(text)
            q |= reduce(or_, (Q(**{f"{f}__in": hashes}) for f in spec.hash_search))
        qs = qs.filter(q)
    for f in spec.filters:
        qs = f.apply(qs, params.get(f.name), user)
    return qs


def get_object(user, key: str, pk, action: str = "view"):
    """One row the user may `action` ("view", "edit" or "delete": see `policies`): Forbidden without the right to
    do that to any row of this kind, `NotFound` for a row outside the user's scope."""
    spec = SPECS[key]
    _require(user, spec.model, "list" if action == "view" else action)
    return access(user, spec.base(), policies.OBJECT_ACTIONS[action], pk=pk)


def estate_buildings(user, estate: Estate) -> list[Building]:
    """The buildings of an estate the user may see (an estate's page and its API record list them)."""
    return list(scoped(user, estate.buildings.all(), VIEW))


def region_tree(user) -> list[dict]:
    """The visible subtree(s) as nested dicts {region, children, counts}, roots first."""
    _require(user, Region, "list")
    scope = scope_for(user, VIEW)
    regions = list(scope.filter(Region.objects.all()).order_by("path"))
    ids = [r.pk for r in regions]

    def per_region(model, lookup="region"):
        rows = scope.filter(model.objects.filter(**{f"{lookup}__in": ids}))
        return dict(rows.values_list(lookup).annotate(n=Count("pk", distinct=True)).order_by())

    counts = {
        "buildings": per_region(Building), "units": per_region(MemberUnit), "orgs": per_region(PartyOrg),
        "members": per_region(PartyMember, "organization__region"),
    }
    nodes = {r.pk: {"region": r, "children": [],
                    "counts": {k: v.get(r.pk, 0) for k, v in counts.items()}} for r in regions}
    roots = []
    for r in regions:
        (nodes[r.parent_id]["children"] if r.parent_id in nodes else roots).append(nodes[r.pk])
    return roots


def more_counts(user) -> list[dict]:
    """Counts and links for the lists on the 'teams and places' page."""
    _require(user, Region, "list")
    return [
        {"label": SPECS[k].model._meta.verbose_name_plural, "value": scoped(user, SPECS[k].model, VIEW).count(),
         "url": reverse(f"registry:{k}_list")}
        for k in ("liaison", "professionalteam", "volunteerteam", "serviceplace")
    ]


def dashboard_counts(user) -> list[dict]:
    scope = scope_for(user, Capability.VIEW_REGISTRY)
    if scope.is_empty:
        return []
    regions = scope.filter(Region.objects.all())
    return [
        {"label": _("Residential areas"), "value": regions.filter(kind=RegionKind.RESIDENTIAL_AREA).count(),
         "url": reverse("registry:tree")},
        {"label": _("Micro-grids"), "value": regions.filter(kind=RegionKind.GRID).count(), "url": reverse("registry:tree")},
        {"label": _("Party organizations"), "value": scope.filter(PartyOrg.objects.all()).count(),
         "url": reverse("registry:partyorg_list")},
        {"label": _("Party members"), "value": scope.filter(PartyMember.objects.all()).count(),
         "url": reverse("registry:partymember_list")},
        {"label": _("Member units"), "value": scope.filter(MemberUnit.objects.all()).count(),
         "url": reverse("registry:memberunit_list")},
        {"label": _("Buildings"), "value": scope.filter(Building.objects.all()).count(),
         "url": reverse("registry:building_list")},
    ]


def registry_card(user) -> dict | None:
    """Workbench card: the registry in the user's scope, as a small card of counts."""
    rows = dashboard_counts(user)
    if not rows:
        return None
    return {"count": None, "url": reverse("registry:tree"), "tone": "quiet",
            "items": [{"text": r["label"], "value": r["value"], "url": r["url"]} for r in rows]}
