def ensure_var_dir():
    """Create the folder for the embedded database and uploads (GONGZHI_VAR_DIR, default ./var)."""
    from gongzhi.settings import VAR_DIR

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "media").mkdir(exist_ok=True)
    (VAR_DIR / "static").mkdir(exist_ok=True)  # STATIC_ROOT (collectstatic target; WhiteNoise also serves finders)
    return VAR_DIR
