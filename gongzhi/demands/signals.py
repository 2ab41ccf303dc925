"""Signals of the demands app."""

from django.dispatch import Signal

# Sent once per newly created demand, after its transaction has committed (never for idempotent repeats), by the
# after-transition job of its submission (`gongzhi.demands.notify.after_transition`: the background worker).
# Keyword argument: demand. Receivers: gongzhi.triage (classification and duplicate suggestions).
demand_submitted = Signal()
