"""Writes go through the apps' services (issue 10: no `.save(`, `.create(`, `.update(` or `.delete(` on domain
models outside services, migrations and tests).

The check walks the syntax tree of every module of `gongzhi` except `services.py` files (and `services/` packages) and migrations, and
reports each call that writes rows:

* `.save(`, `.delete(`, `.create(`, `.bulk_create(`, `.bulk_update(`, `.get_or_create(`, `.update_or_create(` on
  anything, and simple-history's `bulk_create_with_history` / `bulk_update_with_history`;
* `.update(` on a queryset: a chain through `.objects` or `.history`, or a name assigned from one (a dict's
  `.update` is not a write);
* `.set(`, `.add(`, `.remove(`, `.clear(` on a many-to-many relation of a `gongzhi` model (`team.grids.set(…)`).

A model's own `save()` / `delete()` in its models.py (or models/ package) may write (it keeps its rows consistent, like a region's
path). Everything else that may write is listed below with the reason it is not a domain write.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

import gongzhi

ROOT = Path(gongzhi.__file__).parent
WRITES = {"save", "delete", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
WRITE_FUNCTIONS = {"bulk_create_with_history", "bulk_update_with_history"}
M2M_WRITES = {"set", "add", "remove", "clear"}

# Modules that write by their role, like a services.py.
WRITERS = {
    "core/workflow.py": "the shared transition writer (`transition`, `record_creation`) the services call",
    "demands/notify.py": "the demands services' after-commit side effect: the inbox rows of a notification",
}
# Calls that look like writes but write no domain model: (module, the call's receiver) -> why.
NOT_DOMAIN = {
    ("core/excel/books.py", "wb"): "openpyxl: saves a workbook into a stream",
    ("core/excel/jobs.py", "ImportJob.objects"): "the Excel engine's record of an upload's run (status, progress, "
    "error report); the rows it imports go through the app's import service",
    ("core/excel/jobs.py", "ImportJob.objects.filter(pk=job.pk)"): "as above",
    ("core/excel/jobs.py", "jobs"): "as above",
    ("core/excel/jobs.py", "job.file"): "the uploaded file in storage (deleted once imported)",
    ("demands/photos.py", "clean"): "Pillow: re-encodes an image into a buffer",
    ("demands/photos.py", "clean.convert('RGB')"): "as above",
    ("demands/views.py", "request.session"): "Django's session (a session key for the 'me too' count)",
    ("insights/cli.py", "clf"): "the trained classifier, saved to a file",
    ("funds/authz/delivery.py", "Call.objects"): "authorization-test fixtures: a granted proposal built row by row "
    "for the delivery pages (its states walked by core.workflow.transition); to move onto the calls services",
    ("funds/authz/delivery.py", "Proposal.objects"): "as above",
    ("funds/authz/delivery.py", "BudgetLine.objects"): "as above",
    ("orglife/authz/awards.py", "AwardScheme.objects"): "authorization-test fixtures: award rounds straight in the "
    "state the matrix opens (under review, a draft) with their criteria, tier, entry and evidence, built row by row",
    ("orglife/authz/awards.py", "AwardRound.objects"): "as above",
    ("orglife/authz/awards.py", "Criterion.objects"): "as above",
    ("orglife/authz/awards.py", "AwardTier.objects"): "as above",
    ("orglife/authz/awards.py", "AwardEntry.objects"): "as above",
    ("orglife/authz/awards.py", "Evidence.objects"): "as above",
    ("volunteering/authz/activities.py", "VolunteerTeam.objects"): "authorization-test fixtures: the teams, "
    "volunteers and sign-ups (in any state) of the activities part's targets, built row by row",
    ("volunteering/authz/activities.py", "Volunteer.objects"): "as above",
    ("volunteering/authz/activities.py", "SignUp.objects"): "as above",
    ("orglife/authz/records.py", "PartyMember.objects"): "authorization-test fixtures: a mobile party member of "
    "each zone's organization (the registry's builder makes one plain member per zone)",
    ("services/authz/appointments.py", "BookingRules.objects"): "authorization-test fixtures: a bookable item offered "
    "at the registry's places with a plan and rules, until the catalogue and offers parts' builders make them",
    ("services/authz/appointments.py", "WorkingPlan.objects"): "as above",
    ("services/authz/appointments.py", "Offer.objects"): "as above",
    ("services/authz/appointments.py", "ServiceCategory.objects"): "as above",
    ("services/authz/appointments.py", "ServiceItem.objects"): "as above",
}


def _m2m_names() -> set[str]:
    names = set()
    for model in apps.get_models():
        if not model.__module__.startswith("gongzhi."):
            continue
        for f in model._meta.get_fields():
            if f.many_to_many:
                names.add(f.name if f.concrete else f.get_accessor_name())
    return names


def _is_queryset(node: ast.expr, querysets: set[str]) -> bool:
    text = ast.unparse(node)
    return ".objects" in text or ".history" in text or (isinstance(node, ast.Name) and node.id in querysets)


class _Finder(ast.NodeVisitor):
    def __init__(self, module: str, m2m: set[str]):
        self.module, self.m2m = module, m2m
        self.found: list[str] = []
        self.querysets: set[str] = set()
        self.scope: list[str] = []  # enclosing class and function names

    def visit_ClassDef(self, node):
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    def visit_FunctionDef(self, node):
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node):
        if _is_queryset(node.value, self.querysets):
            self.querysets.update(t.id for t in node.targets if isinstance(t, ast.Name))
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Name) and func.id in WRITE_FUNCTIONS:
            self._report(node, func.id)
        elif isinstance(func, ast.Attribute):
            receiver = func.value
            if func.attr in WRITES or (func.attr == "update" and _is_queryset(receiver, self.querysets)) or (
                    func.attr in M2M_WRITES and isinstance(receiver, ast.Attribute) and receiver.attr in self.m2m):
                if not (self._own_persistence(func.attr) or ast.unparse(receiver).endswith("services")):
                    self._report(node, f"{ast.unparse(receiver)}.{func.attr}", ast.unparse(receiver))
        self.generic_visit(node)

    def _own_persistence(self, method: str) -> bool:
        """A model's save()/delete() in models.py or a models/ package (`super().save(…)` and the rows it keeps
        consistent)."""
        return (self.module.endswith("models.py") or "/models/" in self.module) and len(self.scope) >= 2 and self.scope[-1] in ("save", "delete")

    def _report(self, node, call: str, receiver: str = "") -> None:
        if (self.module, receiver) not in NOT_DOMAIN:
            self.found.append(f"{self.module}:{node.lineno}: {call}(")


def offenders_in(source: str, module: str, m2m: set[str]) -> list[str]:
    finder = _Finder(module, m2m)
    finder.visit(ast.parse(source))
    return finder.found


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        if path.name == "services.py" or "services" in path.parts or "migrations" in path.parts or module in WRITERS:
            continue
        yield module, path.read_text(encoding="utf-8")


def test_no_domain_model_is_written_outside_services():
    m2m = _m2m_names()
    offenders = [line for module, source in _modules() for line in offenders_in(source, module, m2m)]
    assert not offenders, "ORM writes outside services (write through the app's services):\n" + "\n".join(offenders)


def test_the_check_catches_an_orm_write_put_back_into_the_demo():
    m2m = _m2m_names()
    source = (ROOT / "demo" / "registry.py").read_text(encoding="utf-8")
    planted = source + (
        "\n\ndef _planted(ctx, person, user, team, grids):\n"
        "    person.user = user\n"
        "    person.save(update_fields=['user'])\n"
        "    Building.objects.bulk_create([])\n"
        "    bulk_create_with_history([], Building)\n"
        "    Region.objects.filter(pk=1).update(name='x')\n"
        "    team.grids.set(grids)\n"
        "    ctx.extra.update(done=True)\n"  # a dict: not a write
        "    services.delete('building', 1, actor=ctx.admin)\n"  # the service: fine
    )
    assert offenders_in(source, "demo/registry.py", m2m) == []
    found = offenders_in(planted, "demo/registry.py", m2m)
    assert [line.split(": ", 1)[1] for line in found] == [
        "person.save(", "Building.objects.bulk_create(", "bulk_create_with_history(",
        "Region.objects.filter(pk=1).update(", "team.grids.set(",
    ]
