import os
from pathlib import Path


def var_dir() -> Path:
    """GONGZHI_VAR_DIR (default ./var), read without Django settings."""
    return Path(os.environ.get("GONGZHI_VAR_DIR", Path.cwd() / "var")).resolve()


def ensure_var_dir():
    """Create the folder for the embedded database and uploads (GONGZHI_VAR_DIR, default ./var)."""
    VAR_DIR = var_dir()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "media").mkdir(exist_ok=True)
    (VAR_DIR / "static").mkdir(exist_ok=True)  # STATIC_ROOT (collectstatic target; WhiteNoise also serves finders)
    return VAR_DIR


def dev_secret_key(var_dir) -> str:
    """A random key kept in ``var_dir/dev-secret-key`` (created on first use): for development and the demo only,
    so that sessions survive restarts and every server process of one installation shares it."""
    import secrets

    path = Path(var_dir) / "dev-secret-key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".dev-secret-key.{os.getpid()}")
        tmp.write_text(secrets.token_urlsafe(50))
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)  # atomic: of two processes starting together, one key wins
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
