"""Organization life: the records part's services."""
