"""Organization life: the records part's selectors (reads, scoped by the user)."""
