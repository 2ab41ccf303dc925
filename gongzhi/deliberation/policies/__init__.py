"""Deliberation policies, one module per part (like Zulip's zerver/actions/): import from the part's module."""
