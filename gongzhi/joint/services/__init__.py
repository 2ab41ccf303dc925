"""Joint-building writes, one module per part: one transaction per call, (subject, *, actor, ...)."""
