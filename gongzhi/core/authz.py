"""Shared parts of the authorization tests each app declares in its manifest (``authz``, ``authz_fixtures``).

Personas, in the order of an `AuthzCase`'s statuses: anonymous, resident (an account with no staff role, in grid
A1), outsider (area B's secretary), insider (area A's secretary), colleague (grid A1's leader), admin (the
sub-district administrator). The matrix's targets are in area A (tests/test_authz_matrix.py).

An app's fixture builder ``build(world) -> dict`` creates, in app order:

* the in-scope targets its matrix rows name (``"demand_a1"``), unmarked;
* for each zone, an out-of-scope counterpart of each target named ``"<target>@<zone>"`` (``"demand_a1@b"``),
  with ``world.mark(zone, …)`` in every text field a page, export or API response could show
  (tests/test_authz_markers.py asserts that no persona sees the mark of a zone outside their scope).
  Fields that no public page may show whoever the object belongs to (a person's name or address, a timeline note,
  a reason) get ``world.mark(zone, …, private=True)``: the public pages (those the anonymous may open, e.g. the
  Open311 requests, which publish every demand's public projection) must never show a private mark.

Zones (the regions are made by the registry's builder):

* ``a``: area A outside grid A1 (grid ``grid_a1@a``, area ``area_a``): outside the grid leader's scope;
* ``b``: area B (grid ``grid_a1@b``, area ``area_b``): outside area A's scope;
* ``x``: another sub-district (``subdistrict@x``, ``area@x``, ``grid_a1@x``): outside everyone's scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PERSONAS = ("anonymous", "resident", "outsider", "insider", "colleague", "admin")
ZONES = ("a", "b", "x")
# The zones whose marks each persona must never see.
FORBIDDEN = {
    "anonymous": ("a", "b", "x"),
    "resident": ("a", "b", "x"),
    "outsider": ("a", "x"),
    "insider": ("b", "x"),
    "colleague": ("a", "b", "x"),
    "admin": ("x",),
}
# A word in every marked text (and in no unmarked one), for the marker test's searches (?q=…).
KEYWORD = "标记"

# Rows shared by several apps. Login page → 302 for the anonymous; 401 from the JSON API without credentials.
PAGE = "302 403 200 200 200 200"  # a page any registry viewer may open
CREATE = "302 403 200 200 403 200"  # needs the edit capability; the form only offers the user's own scope
IN_A = "302 403 404 200 200 200"  # object in grid A1: visible to the grid leader too
IN_A_EDIT = "302 403 404 200 403 200"
AREA_A = "302 403 404 200 404 200"  # object at area A level: the grid A1 leader does not see it
ADMIN_ONLY = "302 403 403 403 403 200"
API_LIST = "401 403 200 200 200 200"
API_IN_A = "401 403 404 200 200 200"
API_AREA_A = "401 403 404 200 404 200"
POST_ONLY = "405 405 405 405 405 405"
PUBLIC = "200 200 200 200 200 200"


@dataclass
class AuthzWorld:
    """The data set of the authorization tests, built once per test module.

    ``objects`` starts with the factories' street (``subdistrict``, ``area_a``, ``grid_a1``, ``unit_a``, …) and
    grows with each app builder's result; ``people`` holds the personas' users (tests/factories.py)."""

    marker: str
    people: object
    objects: dict[str, object] = field(default_factory=dict)

    def mark(self, zone: str, label: str = "", private: bool = False) -> str:
        """A text of an out-of-scope object in ``zone``: ``label`` followed by the zone's mark (its private mark
        for a field no public page may show)."""
        return f"{label}{KEYWORD}{self.private_mark(zone) if private else self.zone_mark(zone)}"

    def zone_mark(self, zone: str) -> str:
        return f"{self.marker}-{zone}"

    def private_mark(self, zone: str) -> str:
        """Begins with the zone's mark, so that it counts as one wherever that is looked for."""
        return f"{self.zone_mark(zone)}-private"

    def code(self, zone: str, suffix: str) -> str:
        """A code (letters, digits, '-') carrying the zone's mark."""
        return f"{self.zone_mark(zone)}-{suffix}"

    def __getitem__(self, name: str):
        return self.objects[name]

    def grid(self, zone: str):
        return self.objects[f"grid_a1@{zone}"]

    def area(self, zone: str):
        return self.objects[{"a": "area_a", "b": "area_b", "x": "area@x"}[zone]]

    def subdistrict(self, zone: str):
        return self.objects["subdistrict@x" if zone == "x" else "subdistrict"]


def excel_kinds() -> tuple[dict, ...]:
    """URL kwargs of every module's Excel list (the variants of the Excel pages in core's manifest)."""
    from gongzhi.core.modules import excel_lists

    return tuple({"kind": kind} for kind in excel_lists())
