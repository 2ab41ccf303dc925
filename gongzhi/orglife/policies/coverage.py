"""Organization life: the coverage part's policies."""
