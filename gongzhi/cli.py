"""The `gongzhi` console script.

gongzhi demo        migrate, seed the demo street when the database is empty, print the demo accounts, serve
gongzhi serve       serve with gunicorn (and the background worker unless --no-worker)
gongzhi migrate     apply database migrations
gongzhi import      import an Excel list:           gongzhi import KIND FILE.xlsx --user NAME
gongzhi export      export an Excel list:           gongzhi export KIND OUT.xlsx [--user NAME]
gongzhi rotate-keys re-encrypt / re-hash personal data under the current keys (see README, Production)
gongzhi manage ...  any Django management command
gongzhi triage ...  train / predict / evaluate the demand classifier (no Django needed)
gongzhi hot ...     mine hot issues from a CSV/XLSX file (no Django needed)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    _django()
    from django.core.management import CommandError, call_command

    try:
        call_command(*args)
    except CommandError as e:  # a clean message and a non-zero exit, not a traceback
        print(e, file=sys.stderr)
        raise SystemExit(e.returncode) from None


def cmd_migrate(args) -> int:
    from gongzhi.core.paths import ensure_var_dir

    ensure_var_dir()
    _manage("migrate", "--no-input", *(["-v", "0"] if not args.verbose else []))
    return 0


def cmd_demo(args) -> int:
    from gongzhi.core.paths import dev_secret_key, ensure_var_dir

    # The demo runs like production (DEBUG off) with a random key kept in the var folder unless one is given.
    os.environ.setdefault("SECRET_KEY", dev_secret_key(ensure_var_dir()))
    os.environ["PORT"] = str(args.port)  # the printed accounts table shows this address
    os.environ.setdefault("GONGZHI_DEV_KEYS", "1")  # the demo street may use the built-in development data keys
    _django()
    from django.core.management import call_command

    from gongzhi.core.fastschema import create_from_models

    # an empty SQLite database gets its tables from the models in one pass (seconds, not the migrations' minute
    # and a half); `migrate` then finds nothing to apply and only runs its post-migrate steps
    if create_from_models():
        print("已按模型建表 / built the empty database's tables from the models", flush=True)
    print("正在迁移数据库 / migrating the database …", flush=True)
    call_command("migrate", "--no-input", verbosity=0)
    call_command("seed_demo", "--if-empty")
    call_command("print_demo_accounts")
    if args.no_serve:
        return 0
    return _serve(args.port, worker=True, workers=args.workers)


def cmd_serve(args) -> int:
    return _serve(args.port, worker=not args.no_worker, workers=args.workers, host=args.host)


def _serve(port: int, worker: bool, workers: int = 2, host: str = "127.0.0.1") -> int:
    from gongzhi.core.paths import ensure_var_dir

    ensure_var_dir()
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    procs = []
    if worker:
        procs.append(
            subprocess.Popen([sys.executable, "-m", "gongzhi.cli", "manage", "db_worker", "--interval", "1"], env=env)
        )
    print(f"gongzhi 已启动 / serving at http://{host}:{port}/  (Ctrl+C 停止 / to stop)", flush=True)
    # gthread workers: threads overlap database waits; keep-alive spares a TCP handshake per request.
    # The access log costs a write per request: GONGZHI_ACCESS_LOG=0 turns it off; GONGZHI_THREADS sets the threads
    # per worker.
    access_log = [] if env.get("GONGZHI_ACCESS_LOG", "1") == "0" else ["--access-logfile", "-"]
    web = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "gongzhi.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--worker-class", "gthread",
            "--threads", env.get("GONGZHI_THREADS", "4"), "--keep-alive", "5", "--timeout", "120", *access_log,
        ],
        env=env,
    )
    procs.append(web)

    def stop(*_):
        for p in procs:
            if p.poll() is None:
                p.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def cmd_import(args) -> int:
    _manage("excel_import", args.kind, args.file, "--user", args.user)
    return 0


def cmd_export(args) -> int:
    call = ["excel_export", args.kind, args.out]
    if args.user:
        call += ["--user", args.user]
    _manage(*call)
    return 0


def cmd_rotate_keys(args) -> int:
    _manage("rotate_keys")
    return 0


def cmd_manage(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongzhi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongzhi manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongzhi", description="共治 community co-governance platform")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="seed the demo street and serve it")
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--no-serve", action="store_true", help="seed and print the accounts only")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="serve the platform with gunicorn")
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    p.add_argument("--no-worker", action="store_true", help="do not start the background-job worker")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("import", help="import a list from Excel (all or nothing)")
    p.add_argument("kind")
    p.add_argument("file")
    p.add_argument("--user", required=True, help="the account the import is made as (its scope applies)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export a list to Excel")
    p.add_argument("kind")
    p.add_argument("out")
    p.add_argument("--user", help="export only what this account may see")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("rotate-keys", help="re-encrypt and re-hash personal data under the current keys")
    p.set_defaults(func=cmd_rotate_keys)

    p = sub.add_parser("manage", help="run a Django management command", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)

    try:
        from gongzhi.insights import cli as insights_cli
    except ImportError:  # pragma: no cover - the insights library is part of the package
        insights_cli = None
    if insights_cli is not None and hasattr(insights_cli, "add_parsers"):
        insights_cli.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
