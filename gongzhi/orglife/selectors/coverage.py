"""Organization life: the coverage part's selectors (reads, scoped by the user)."""
