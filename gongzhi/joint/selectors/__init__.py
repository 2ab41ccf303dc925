"""Joint-building reads, one module per part; always scoped by the user."""
