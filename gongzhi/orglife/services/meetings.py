"""Organization life: the meetings part's services."""
