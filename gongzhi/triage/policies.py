"""Who may do what in triage. Services ask `can` before they write; views and templates ask `can` / `actions`.

Subjects and their actions:
- `None` (triage as a whole): "queue" (the triage queue and its decisions: `demands.assign`), "insights" (hot
  issues and top concerns: `demands.view`);
- a `Demand`: "decide" (confirm or correct its category) and "merge" (into a suggested duplicate): the demands'
  categorize and merge rights, i.e. `demands.assign` in the demand's scope (whether its state allows a merge is
  for the writer to explain).

The system (`SYSTEM`, the classifier's auto-accept) may do all of it.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability as C
from gongzhi.accounts.scope import has_capability
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import policies as demand_policies
from gongzhi.demands.workflow import Action

GENERAL = {"queue": C.ASSIGN_DEMANDS, "insights": C.VIEW_DEMANDS}
ON_DEMAND = {"decide": Action.CATEGORIZE, "merge": Action.MERGE}


def can(actor, subject, action: str) -> bool:
    if actor is SYSTEM:
        return True
    if subject is None:
        return action in GENERAL and has_capability(actor, GENERAL[action])
    # the right only: whether the demand's state allows a merge is the writer's to explain
    return action in ON_DEMAND and demand_policies.has_right(actor, subject, ON_DEMAND[action])


def actions(actor, subject) -> set[str]:
    return {a for a in (GENERAL if subject is None else ON_DEMAND) if can(actor, subject, a)}
