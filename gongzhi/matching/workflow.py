"""The four state machines of two-way matching, each an explicit table {(from_state, action): to_state} written by
`gongzhi.core.workflow.transition` into its own append-only log.

Project::

    proposed ─agree→ agreed ─start→ in_progress ─complete→ completed ─evaluate→ evaluated
        └decline→ declined        agreed / in_progress ─cancel→ cancelled

A claim creates a `proposed` project (a unit claims a need, a community claims a resource, or the global mode
proposes a pair); `agree` is the other side's confirmation.

Campaign: published → claiming → confirming → delivering → evaluating → closed, one `advance` at a time.

Need: open ─meet→ met (the system, when one of its projects completes); open ─close→ closed; met / closed
─reopen→ open.

Resource: open ─exhaust→ exhausted ─replenish→ open (the system, as capacity is used up or freed);
open / exhausted ─withdraw→ withdrawn ─reopen→ open.

Who may take which action is `gongzhi.matching.policies`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class ProjectState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    EVALUATED = "evaluated", _("Evaluated")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class ProjectAction(models.TextChoices):
    AGREE = "agree", _("Confirm")
    DECLINE = "decline", _("Decline")
    START = "start", _("Start")
    COMPLETE = "complete", _("Complete")
    EVALUATE = "evaluate", _("Evaluate")
    CANCEL = "cancel", _("Cancel")
    # how a project came to be: the first row of its log (from no state)
    CLAIM = "claim", _("Claim")
    PROPOSE = "propose", _("Proposed by the global matching")
    IMPORT = "import", _("Excel import")


S, A = ProjectState, ProjectAction

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PROPOSED, A.AGREE): S.AGREED,
    (S.PROPOSED, A.DECLINE): S.DECLINED,
    (S.AGREED, A.START): S.IN_PROGRESS,
    (S.AGREED, A.CANCEL): S.CANCELLED,
    (S.IN_PROGRESS, A.COMPLETE): S.COMPLETED,
    (S.IN_PROGRESS, A.CANCEL): S.CANCELLED,
    (S.COMPLETED, A.EVALUATE): S.EVALUATED,
}

# States holding a resource's capacity and counting towards a provider's load.
ACTIVE_STATES = frozenset({S.PROPOSED, S.AGREED, S.IN_PROGRESS})
# States in which a need counts as met.
DONE_STATES = frozenset({S.COMPLETED, S.EVALUATED})
LIVE_STATES = ACTIVE_STATES | DONE_STATES  # everything but declined / cancelled

PROJECT_FLOW = Workflow(
    name="project", model="matching.Project", log_model="matching.ProjectTransition", log_fk="project",
    transitions=TRANSITIONS, states=ProjectState, actions=ProjectAction,
    reason_required=frozenset({A.DECLINE}),
)


class CampaignState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    CLAIMING = "claiming", _("Claim window")
    CONFIRMING = "confirming", _("Confirming")
    DELIVERING = "delivering", _("Delivering")
    EVALUATING = "evaluating", _("Evaluating")
    CLOSED = "closed", _("Closed")


class CampaignAction(models.TextChoices):
    ADVANCE = "advance", _("Next stage")


CAMPAIGN_FLOW = Workflow(
    name="campaign", model="matching.Campaign", log_model="matching.CampaignTransition", log_fk="campaign",
    transitions={
        (CampaignState.PUBLISHED, CampaignAction.ADVANCE): CampaignState.CLAIMING,
        (CampaignState.CLAIMING, CampaignAction.ADVANCE): CampaignState.CONFIRMING,
        (CampaignState.CONFIRMING, CampaignAction.ADVANCE): CampaignState.DELIVERING,
        (CampaignState.DELIVERING, CampaignAction.ADVANCE): CampaignState.EVALUATING,
        (CampaignState.EVALUATING, CampaignAction.ADVANCE): CampaignState.CLOSED,
    },
    states=CampaignState, actions=CampaignAction,
)
# The stages in which a campaign takes claims (its needs and resources may be claimed, the global mode proposes).
CLAIM_STAGES = frozenset({CampaignState.PUBLISHED, CampaignState.CLAIMING, CampaignState.CONFIRMING})


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    CLOSED = "closed", _("Closed")


class NeedAction(models.TextChoices):
    MEET = "meet", _("Met by a completed project")
    CLOSE = "close", _("Close the need")
    REOPEN = "reopen", _("Reopen")


NEED_FLOW = Workflow(
    name="need", model="matching.Need", log_model="matching.NeedTransition", log_fk="need", state_field="status",
    transitions={
        (NeedStatus.OPEN, NeedAction.MEET): NeedStatus.MET,
        (NeedStatus.OPEN, NeedAction.CLOSE): NeedStatus.CLOSED,
        (NeedStatus.MET, NeedAction.REOPEN): NeedStatus.OPEN,
        (NeedStatus.CLOSED, NeedAction.REOPEN): NeedStatus.OPEN,
    },
    states=NeedStatus, actions=NeedAction,
)


class ResourceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    EXHAUSTED = "exhausted", _("Used up")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ResourceAction(models.TextChoices):
    EXHAUST = "exhaust", _("Capacity used up")
    REPLENISH = "replenish", _("Capacity freed")
    WITHDRAW = "withdraw", _("Withdraw")
    REOPEN = "reopen", _("Reopen")


RESOURCE_FLOW = Workflow(
    name="resource", model="matching.Resource", log_model="matching.ResourceTransition", log_fk="resource",
    state_field="status",
    transitions={
        (ResourceStatus.OPEN, ResourceAction.EXHAUST): ResourceStatus.EXHAUSTED,
        (ResourceStatus.EXHAUSTED, ResourceAction.REPLENISH): ResourceStatus.OPEN,
        (ResourceStatus.OPEN, ResourceAction.WITHDRAW): ResourceStatus.WITHDRAWN,
        (ResourceStatus.EXHAUSTED, ResourceAction.WITHDRAW): ResourceStatus.WITHDRAWN,
        (ResourceStatus.WITHDRAWN, ResourceAction.REOPEN): ResourceStatus.OPEN,
    },
    states=ResourceStatus, actions=ResourceAction,
)
# Actions only the platform takes (capacity and completion follow from the projects), never offered to a user.
SYSTEM_ACTIONS = frozenset({NeedAction.MEET, ResourceAction.EXHAUST, ResourceAction.REPLENISH})
