"""What joint building does when something happens elsewhere: a resolved demand completes the joint meeting's
decisions that handed it to a unit (run after the demand's transaction has committed)."""

from django.dispatch import receiver

from gongzhi.demands.signals import demand_transitioned
from gongzhi.demands.workflow import State


@receiver(demand_transitioned, dispatch_uid="joint.complete_decisions_of_resolved_demand")
def complete_decisions_of_resolved_demand(sender, demand, entry, **kwargs) -> None:
    if entry.to_state != State.RESOLVED or entry.from_state == State.RESOLVED:
        return
    from gongzhi.joint.services.sessions import complete_decisions_for_demand

    complete_decisions_for_demand(demand, note=entry.note)
