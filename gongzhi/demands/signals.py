"""Signals of the demands app."""

from django.dispatch import Signal

# Sent once per newly created demand, after its transaction has committed (never for idempotent repeats).
# Keyword argument: demand. Receivers: gongzhi.triage (classification and duplicate suggestions).
demand_submitted = Signal()
