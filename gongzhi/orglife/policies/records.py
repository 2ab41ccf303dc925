"""Organization life: the records part's policies."""
