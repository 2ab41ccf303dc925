"""Organization life: the coverage part's services."""
