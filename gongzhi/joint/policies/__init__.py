"""Who may do what in joint building, one module per part."""
