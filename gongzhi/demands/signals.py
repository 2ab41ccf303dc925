"""Signals of the demands app."""

from django.dispatch import Signal

# Sent once per newly created demand, after its transaction has committed (never for idempotent repeats), by the
# after-transition job of its submission (`gongzhi.demands.notify.after_transition`: the background worker).
# Keyword argument: demand. Receivers: gongzhi.triage (classification and duplicate suggestions).
demand_submitted = Signal()

# Sent for every timeline entry, after its transaction has committed, by the same after-transition job. Keyword
# arguments: demand, entry (the DemandTransition). Receivers: gongzhi.joint (a resolved demand completes the joint
# meeting's decisions that handed it to a unit).
demand_transitioned = Signal()
