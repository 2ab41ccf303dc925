"""The state machine of a co-building agreement (共建协议), an explicit table {(from_state, action): to_state}
written by `gongzhi.core.workflow.transition` into its own append-only log (`joint.AgreementTransition`). Who may
take which action is `gongzhi.joint.policies.agreements`.

Co-building agreement::

    draft ─sign→ in_force ─expire→ expired
    in_force / expired ─renew→ renewed   (the renewal creates the next agreement, a draft for a new term, linked to
                                          this one and carrying copies of its commitments)
    draft ─cancel→ cancelled (reason)

An agreement in force whose term has ended is expired by the system (`expire_due_agreements`) or by hand.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongzhi.core.workflow import Workflow


class AgreementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In effect")
    EXPIRED = "expired", _("Expired")
    RENEWED = "renewed", _("Renewed")
    CANCELLED = "cancelled", _("Cancelled")


class AgreementAction(models.TextChoices):
    CREATE = "create", _("Draw up")  # the first row of its log
    SIGN = "sign", _("Sign")
    EXPIRE = "expire", _("Expire")
    RENEW = "renew", _("Renew")
    CANCEL = "cancel", _("Cancel")


AGREEMENT_TRANSITIONS: dict[tuple[str, str], str] = {
    (AgreementState.DRAFT, AgreementAction.SIGN): AgreementState.IN_FORCE,
    (AgreementState.DRAFT, AgreementAction.CANCEL): AgreementState.CANCELLED,
    (AgreementState.IN_FORCE, AgreementAction.EXPIRE): AgreementState.EXPIRED,
    (AgreementState.IN_FORCE, AgreementAction.RENEW): AgreementState.RENEWED,
    (AgreementState.EXPIRED, AgreementAction.RENEW): AgreementState.RENEWED,
}
# states whose agreements take progress reports (an expired agreement may still receive its last period's report)
REPORTING_STATES = frozenset({AgreementState.IN_FORCE, AgreementState.EXPIRED})

AGREEMENT_FLOW = Workflow(
    name="joint_agreement",
    model="joint.Agreement",
    log_model="joint.AgreementTransition",
    log_fk="agreement",
    transitions=AGREEMENT_TRANSITIONS,
    states=AgreementState,
    actions=AgreementAction,
    reason_required=frozenset({AgreementAction.CANCEL}),
)
