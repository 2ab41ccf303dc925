"""Organization life: the meetings part's policies."""
