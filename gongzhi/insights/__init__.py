"""Text insights for citizen messages, free of Django: triage classifier, near-duplicate finder,
hot-issue miner and concern indices (see the modules)."""
