"""Who may do what in funds, one module per part."""
