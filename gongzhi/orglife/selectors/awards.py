"""Organization life: the awards part's selectors (reads, scoped by the user)."""
