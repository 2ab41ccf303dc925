"""Who may do what in the registry. Services ask `can` before they write; views and templates ask `actions`.

Subjects and their actions:
- a registry model (the list of one kind): "list" (`registry.view`), "create", "edit", "delete" (`registry.edit`:
  may the actor create, change or delete objects of this kind at all) and "import" (`registry.import`);
- a registry object: "view" (`registry.view` with the object in the actor's scope), "edit" and "delete"
  (`registry.edit` with the object in the actor's edit scope).

A missing object and one outside the actor's scope look the same (the selectors answer 404); `editable` is the
edit scope as a queryset. The system (`SYSTEM`: the demo street, migrations) may do everything.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scoped
from gongzhi.core.workflow import SYSTEM

VIEW, EDIT, IMPORT = Capability.VIEW_REGISTRY, Capability.EDIT_REGISTRY, Capability.IMPORT_REGISTRY
KIND_ACTIONS = {"list": VIEW, "create": EDIT, "edit": EDIT, "delete": EDIT, "import": IMPORT}
OBJECT_ACTIONS = {"view": VIEW, "edit": EDIT, "delete": EDIT}


def editable(actor, model: type[Model]) -> QuerySet:
    """The objects of `model` the actor may change."""
    return model._default_manager.all() if actor is SYSTEM else scoped(actor, model, EDIT)


def can(actor, subject, action: str) -> bool:
    if actor is SYSTEM:
        return True
    if isinstance(subject, type):
        return action in KIND_ACTIONS and has_capability(actor, KIND_ACTIONS[action])
    capability = OBJECT_ACTIONS.get(action)
    return (capability is not None and has_capability(actor, capability)
            and scoped(actor, type(subject), capability).filter(pk=subject.pk).exists())


def actions(actor, subject) -> set[str]:
    return {a for a in (KIND_ACTIONS if isinstance(subject, type) else OBJECT_ACTIONS) if can(actor, subject, a)}
