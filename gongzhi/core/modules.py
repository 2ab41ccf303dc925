"""Module manifests: what each domain app contributes to the platform, declared once in its AppConfig.

An app opts in by setting ``manifest = Manifest(...)`` on its AppConfig. Core discovers the manifests of the
installed apps and builds from them the grouped navigation, the workbench cards, the list of Excel lists, the
authorization-test matrix, the audited models and the demo seeding order. Adding a module changes no core file:
the app is found by `discover_apps()` (every ``gongzhi.<name>`` package with an ``apps.py``) and declares the rest.

Everything in a manifest is lazy (dotted paths, ``gettext_lazy`` labels), so a manifest may be built at import
time of ``apps.py``, before models are ready.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Apps other apps build on come first (the order of INSTALLED_APPS decides template and static overrides only).
FIRST = ("core", "accounts", "registry", "demands")


def discover_apps() -> list[str]:
    """The dotted names of the platform's Django apps: every subpackage of ``gongzhi`` with an ``apps.py``."""
    names = sorted(p.parent.name for p in PACKAGE_DIR.glob("*/apps.py"))
    ordered = [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]
    return [f"gongzhi.{n}" for n in ordered]


def resolve(path: str):
    """``"package.module:attribute"`` → the attribute (imported on first use)."""
    module, _, attr = path.partition(":")
    obj = import_module(module)
    for part in attr.split(".") if attr else ():
        obj = getattr(obj, part)
    return obj


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    capability: str | None = None
    # "module:function(user) -> int": a count shown as a badge (e.g. unread messages)
    badge: str | None = None
    # "module:function(user) -> bool": a policy that decides who sees the entry, where a capability does not say it
    # (a grid leader posts micro-wishes without volunteering.view)
    when: str | None = None


@dataclass(frozen=True)
class NavGroup:
    label: str
    entries: tuple[NavEntry, ...]
    order: int = 50


@dataclass(frozen=True)
class Card:
    """A workbench card. ``build`` is ``"module:function"`` called as ``function(user)``; it returns None when the
    card has nothing to say to this user, else a dict: ``{"count": int | None, "url": str, "items": [{"text",
    "url", "value"?}], "note": str, "tone": "urgent" | "normal" | "quiet", "display": str, "links": [{"text",
    "url"}]}`` (all keys but count optional; ``display`` replaces the count on screen, e.g. "92%"; ``links`` are
    further lists). Counts and items are always within the user's scope (gongzhi.accounts.scope)."""

    key: str
    title: str
    build: str
    order: int = 50


@dataclass(frozen=True)
class AuthzCase:
    """One row of the authorization matrix: the expected GET status per persona
    (anonymous resident outsider insider colleague admin) and the target object (None, a fixture name, or a dict
    of URL kwargs). ``variants``: further URL kwargs the marker test opens too, or ``"module:function"`` returning
    them (e.g. every Excel list's kind). See gongzhi.core.authz, tests/test_authz_matrix.py and
    tests/test_authz_markers.py."""

    statuses: str
    target: object = None
    variants: tuple[dict, ...] | str = ()

    def all_variants(self) -> tuple[dict, ...]:
        return tuple(resolve(self.variants)()) if isinstance(self.variants, str) else self.variants


@dataclass(frozen=True)
class Manifest:
    # (prefix, "urls module") pairs mounted at the site root, e.g. ("demands/", "gongzhi.demands.urls")
    urls: tuple[tuple[str, str], ...] = ()
    # (prefix, "module:router") pairs of django-ninja routers mounted under /api/v1/
    api_routers: tuple[tuple[str, str], ...] = ()
    nav: NavGroup | None = None
    # entries of the user menu (under the user's name in the header)
    user_menu: tuple[NavEntry, ...] = ()
    cards: tuple[Card, ...] = ()
    # "module:attribute" of each Excel list spec the app offers (gongzhi.core.excel.ListSpec)
    excel_lists: tuple[str, ...] = ()
    # url name → AuthzCase; every named URL of the app must be here (or in authz_excluded)
    authz: dict[str, AuthzCase] = field(default_factory=dict)
    # URL names (or namespaces, ending in ":") left out of the matrix, each with a comment saying why
    authz_excluded: tuple[str, ...] = ()
    # "module:function(world) -> dict": builds the app's objects for the authorization tests: in-scope targets
    # named for the matrix, and out-of-scope objects carrying the world's marker (see gongzhi.core.authz)
    authz_fixtures: str | None = None
    # "app_label.ModelName" of every model whose changes the audit page shows
    audited: tuple[str, ...] = ()
    # "module:Workflow" of every state machine of the app (gongzhi.core.workflow.Workflow)
    workflows: tuple[str, ...] = ()
    # "module:function(ctx)" seeding the app's demo data, run in ascending demo_order
    demo_seeder: str | None = None
    demo_order: int = 50
    # (folder prefix, "module:function(user, name) -> row | None") of every folder of uploads the app owns: the
    # row owning the stored file `name` within the user's scope, None when the user may not see it (404); the
    # row's `download_name`, if any, names the download (see gongzhi.core.media)
    media: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Module:
    label: str
    verbose_name: str
    manifest: Manifest


@cache
def modules() -> tuple[Module, ...]:
    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        manifest = getattr(config, "manifest", None)
        if isinstance(manifest, Manifest):
            found.append(Module(config.label, str(config.verbose_name), manifest))
    return tuple(found)


def manifests() -> list[tuple[str, Manifest]]:
    return [(m.label, m.manifest) for m in modules()]


def url_includes() -> list[tuple[str, str]]:
    return [pair for m in modules() for pair in m.manifest.urls]


def api_routers() -> list[tuple[str, object]]:
    return [(prefix, resolve(path)) for m in modules() for prefix, path in m.manifest.api_routers]


def nav_groups() -> list[NavGroup]:
    groups = [m.manifest.nav for m in modules() if m.manifest.nav is not None]
    return sorted(groups, key=lambda g: g.order)


def user_menu_entries() -> list[NavEntry]:
    return [e for m in modules() for e in m.manifest.user_menu]


def cards() -> list[Card]:
    return sorted((c for m in modules() for c in m.manifest.cards), key=lambda c: (c.order, c.key))


def excel_lists() -> dict[str, object]:
    """kind → spec, over every module."""
    specs = {}
    for m in modules():
        for path in m.manifest.excel_lists:
            spec = resolve(path)
            specs[spec.kind] = spec
    return specs


def audited_models() -> list[type]:
    from django.apps import apps

    return [apps.get_model(label) for m in modules() for label in m.manifest.audited]


def workflows() -> list:
    return [resolve(path) for m in modules() for path in m.manifest.workflows]


def authz_matrix() -> dict[str, AuthzCase]:
    matrix: dict[str, AuthzCase] = {}
    for m in modules():
        matrix.update(m.manifest.authz)
    return matrix


def authz_excluded() -> set[str]:
    return {name for m in modules() for name in m.manifest.authz_excluded}


def authz_fixtures() -> list[Callable]:
    """The apps' fixture builders for the authorization tests, in app order."""
    return [resolve(m.manifest.authz_fixtures) for m in modules() if m.manifest.authz_fixtures]


def media_owners() -> list[tuple[str, Callable]]:
    return [(prefix, resolve(path)) for m in modules() for prefix, path in m.manifest.media]


def demo_seeders() -> list[tuple[str, Callable]]:
    rows = sorted((m.manifest.demo_order, m.label, m.manifest.demo_seeder) for m in modules() if m.manifest.demo_seeder)
    return [(label, resolve(path)) for _order, label, path in rows]


class Parts:
    """The manifest of an app built in parts (deliberation, funds, joint, services): each module
    `<package>.manifest.<part>` declares its share (NAV, USER_MENU, CARDS, EXCEL_LISTS, AUTHZ, AUTHZ_EXCLUDED,
    AUDITED, WORKFLOWS, MEDIA); tuples are joined in part order and the AUTHZ tables merged."""

    def __init__(self, package: str, parts: tuple[str, ...]):
        self.package, self.parts = package, parts
        self.modules = [import_module(f"{package}.manifest.{part}") for part in parts]

    def collect(self, name: str) -> tuple:
        return tuple(item for module in self.modules for item in getattr(module, name, ()))

    def authz(self) -> dict:
        merged: dict = {}
        for module in self.modules:
            merged.update(getattr(module, "AUTHZ", {}))
        return merged

    # The app's modules that join its parts' modules, in part order (each a one-liner calling one of these).

    def urlpatterns(self) -> list:
        """The app's pages: each part's ``<package>.views.<part>.urlpatterns``."""
        from django.urls import include, path

        return [path("", include(import_module(f"{self.package}.views.{part}").urlpatterns)) for part in self.parts]

    def router(self, tag: str):
        """The app's API router: each part's ``<package>.api.<part>.router`` under one tag."""
        from ninja import Router

        router = Router(tags=[tag])
        for part in self.parts:
            router.add_router("", import_module(f"{self.package}.api.{part}").router)
        return router

    def build_authz(self, world) -> dict:
        """Authorization-test fixtures: each part's ``<package>.authz.<part>.build(world)``, in order; what an
        earlier part made is in ``world.objects`` for the later ones."""
        made: dict = {}
        for part in self.parts:
            result = import_module(f"{self.package}.authz.{part}").build(world)
            for name, obj in result.items():  # for the parts after this one
                world.objects[name] = obj
            made.update(result)
        return made

    def seed(self, ctx) -> None:
        """The demo: each part's ``gongzhi.demo.<app>.<part>.seed(ctx)``, in part order."""
        app = self.package.rsplit(".", 1)[1]
        for part in self.parts:
            import_module(f"gongzhi.demo.{app}.{part}").seed(ctx)
