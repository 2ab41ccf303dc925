"""Organization life: the awards part's services."""
