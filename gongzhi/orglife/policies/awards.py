"""Organization life: the awards part's policies."""
