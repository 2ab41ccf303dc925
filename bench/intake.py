"""Benchmark demand intake over HTTP: gunicorn serving the app, 20 concurrent keep-alive clients on loopback.

For SQLite (a fresh temporary GONGZHI_VAR_DIR) and PostgreSQL (`bash scripts/pg-start.sh`; the bench uses its own
database `gongzhi_bench`, dropped and re-created): migrate, create a sub-district with grids and buildings, an API
token and an Open311 client, then drive for a fixed time each
  * GET /healthz                 the framework's ceiling (the same middleware stack and one SELECT),
  * POST /api/v1/demands/        JSON intake with a bearer token and a fresh Idempotency-Key,
  * POST /open311/v2/requests.json   Open311 intake (form-encoded, lat/long → the nearest building),
and print req/s, p50/p95/p99 and the ratio to /healthz. Targets: ratio >= 0.5 and p95 <= 100 ms. Each backend
runs once more as a diagnostic (`floor`, bench/floor.py): on the same server, /healthz, a django-ninja endpoint that
parses the same JSON with the same token auth and writes nothing (`noop`), and one that adds a single ORM INSERT
(`insert`): the best ratio any ORM write could reach here. The server is started as `gongzhi serve` starts it
(gunicorn gthread, `--config python:gongzhi.gunicorn_conf`: one SO_REUSEPORT socket per worker).

Run: .venv/bin/python bench/intake.py [--seconds 10] [--clients 20] [--workers 2] [--threads 4] [--skip-pg] [--skip-floor]
The last printed line is one JSON object: {"sqlite": {...}, "postgresql": {...}}.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from statistics import quantiles
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MAX_REQUESTS_PER_PHASE = 50_000  # a bound besides the time
CATEGORIES = ["street_lights", "stairwell_clutter", "parking", "cleaning", "property_service", "pipes"]
PROBLEMS = ["楼道灯不亮，晚上很黑", "楼道里堆满杂物，消防通道被堵", "小区停车位不够，车辆乱停", "垃圾箱房很久没人清理",
            "物业服务态度差，报修没人来", "下水管道堵塞，污水外溢", "电瓶车在楼道里充电", "路灯坏了一个多星期"]


# --- Setup (runs in a child process with the bench environment) -------------------------------------------

def setup_data() -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from gongzhi.accounts.models import ApiToken, RoleAssignment, User
    from gongzhi.accounts.roles import Role
    from gongzhi.demands.models import Open311Client
    from gongzhi.registry.models import Building, Region, RegionKind

    call_command("migrate", verbosity=0)
    district = Region.objects.create(kind=RegionKind.DISTRICT, code="BD", name="压测区")
    sub = Region.objects.create(kind=RegionKind.SUBDISTRICT, code="BS", name="压测街道", parent=district)
    buildings = []
    for a in range(2):
        area = Region.objects.create(kind=RegionKind.RESIDENTIAL_AREA, code=f"BA{a}", name=f"压测居民区{a}",
                                     parent=sub)
        for g in range(3):
            grid = Region.objects.create(kind=RegionKind.GRID, code=f"BG{a}{g}", name=f"压测网格{a}-{g}", parent=area)
            for b in range(4):
                buildings.append(Building.objects.create(
                    region=grid, code=f"BB{a}{g}{b}", name=f"{a}{g}{b}号楼", address=f"压测路{a}{g}{b}号",
                    latitude=31.2 + 0.002 * (a * 12 + g * 4 + b), longitude=121.45))
    staff = User.objects.create_user("bench-staff", display_name="压测管理员")
    RoleAssignment.objects.create(user=staff, role=Role.SUBDISTRICT_ADMIN, region=sub)
    _token, key = ApiToken.issue(staff, "bench")
    service = User.objects.create_user("bench-open311")
    _client, api_key = Open311Client.issue("bench", service, subdistrict=sub)
    return {"token": key, "api_key": api_key,
            "buildings": [(b.pk, float(b.latitude), float(b.longitude)) for b in buildings]}


# --- Load ---------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drive(port: int, make_request, clients: int, seconds: float) -> dict:
    """`clients` threads, each on its own keep-alive connection, for `seconds`; latencies of 2xx answers."""
    stop_at = time.perf_counter() + seconds
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    counter = iter(range(MAX_REQUESTS_PER_PHASE))

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.perf_counter() < stop_at:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            method, path, body, headers = make_request(i)
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                status = type(exc).__name__
            if isinstance(status, int) and 200 <= status < 300:
                mine.append(time.perf_counter() - started)
            else:
                with lock:
                    errors[str(status)] = errors.get(str(status), 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    cuts = quantiles(latencies, n=100) if len(latencies) >= 2 else [0.0] * 99
    return {"req_per_s": round(len(latencies) / elapsed, 1), "p50_ms": round(cuts[49] * 1000, 1),
            "p95_ms": round(cuts[94] * 1000, 1), "p99_ms": round(cuts[98] * 1000, 1), "requests": len(latencies),
            "errors": errors, "seconds": round(elapsed, 1)}


def requests_for(data: dict):
    buildings = data["buildings"]
    run = uuid.uuid4().hex[:8]

    def healthz(i):
        return "GET", "/healthz", None, {}

    def api(i):
        pk, _lat, _lon = buildings[i % len(buildings)]
        body = json.dumps({"title": PROBLEMS[i % len(PROBLEMS)][:8], "description": f"{i % 20 + 1}楼{PROBLEMS[i % len(PROBLEMS)]}。#{i}", "channel": "phone",
                           "building_id": pk, "category_code": CATEGORIES[i % len(CATEGORIES)],
                           "submitter_name": "王阿姨", "submitter_phone": f"139{i % 100_000_000:08d}"},
                          ensure_ascii=False).encode()
        return "POST", "/api/v1/demands/", body, {
            "Content-Type": "application/json", "Authorization": f"Bearer {data['token']}",
            "Idempotency-Key": f"{run}-{i}"}

    def open311(i):
        _pk, lat, lon = buildings[i % len(buildings)]
        body = urlencode({"api_key": data["api_key"], "service_code": CATEGORIES[i % len(CATEGORIES)],
                          "lat": f"{lat + 0.0001:.6f}", "long": f"{lon:.6f}", "description": f"{PROBLEMS[(i + 3) % len(PROBLEMS)]} {run}-{i}",
                          "phone": "13800001111"})
        return "POST", "/open311/v2/requests.json", body, {"Content-Type": "application/x-www-form-urlencoded"}

    def floor(path):
        def make(i):
            method, _path, body, headers = api(i)
            return method, path, body, headers
        return make

    return healthz, api, open311, floor("/bench/noop"), floor("/bench/insert")


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited early")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not become ready")


def bench_backend(name: str, env: dict, args, floor: bool = False) -> dict:
    out = subprocess.run([PYTHON, __file__, "--setup"], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    data = json.loads(out.stdout.strip().splitlines()[-1])
    port = free_port()
    log = open(Path(env["GONGZHI_VAR_DIR"]) / "gunicorn.log", "w")  # a file: an undrained pipe would block it
    workers, threads = server_config(name, args)
    server = subprocess.Popen(  # no access log (gunicorn's default; `gongzhi serve` writes one unless told not to)
        [PYTHON, "-m", "gunicorn", "gongzhi.wsgi:application", "--config", "python:gongzhi.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
         "--keep-alive", "5", "--backlog", "256", "--timeout", "120", "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, text=True)
    try:
        wait_ready(port, server)
        healthz, api, open311, noop, insert = requests_for(data)
        result = {}
        phases = (("healthz", healthz), ("noop", noop), ("insert", insert)) if floor else (
            ("healthz", healthz), ("api", api), ("open311", open311))
        for phase, make in phases:
            drive(port, make, args.clients, 1.0)  # warm-up
            result[phase] = drive(port, make, args.clients, args.seconds)
            label = f"{name}-floor" if floor else name
            print(f"{label:19s} {phase:8s} {json.dumps(result[phase])}", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    server_errors = (Path(env["GONGZHI_VAR_DIR"]) / "gunicorn.log").read_text().count("Traceback")
    base = result["healthz"]["req_per_s"] or 1
    if floor:
        return {phase: {"ratio": round(result[phase]["req_per_s"] / base, 2), "p95_ms": result[phase]["p95_ms"],
                        "req_per_s": result[phase]["req_per_s"]} for phase in ("noop", "insert")} | {
            "healthz_req_per_s": base}

    def summary(r: dict) -> dict:
        return {"ratio": round(r["req_per_s"] / base, 2), "p95_ms": r["p95_ms"], "req_per_s": r["req_per_s"],
                "p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"], "errors": r["errors"]}

    api_summary, o311 = summary(result["api"]), summary(result["open311"])
    return {**api_summary, "healthz_req_per_s": base, "open311": o311, "server_tracebacks": server_errors,
            "targets_met": all(s["ratio"] >= 0.5 and s["p95_ms"] <= 100 for s in (api_summary, o311))}


# gunicorn gthread (workers, threads) per backend for 2 cores, as `gongzhi serve` runs it (gongzhi.cli._serve).
SERVER = {"sqlite": (2, 4), "postgresql": (2, 4)}


def server_config(name: str, args) -> tuple[int, int]:
    workers, threads = SERVER[name]
    return args.workers or workers, args.threads or threads


def base_env(var_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GONGZHI_TASKS"}}
    env.update({"DJANGO_SETTINGS_MODULE": "gongzhi.settings", "GONGZHI_VAR_DIR": var_dir, "DEBUG": "0",
                "SECRET_KEY": "bench-" + uuid.uuid4().hex, "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "LOG_LEVEL": "ERROR", "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
                "AXES_ENABLED": "0", "PYTHONPATH": str(ROOT)})
    return env


def postgres_url() -> str:
    out = subprocess.run(["bash", str(ROOT / "scripts" / "pg-start.sh")], capture_output=True, text=True, check=True)
    url = urlsplit(out.stdout.strip().splitlines()[-1])
    import psycopg

    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS gongzhi_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE gongzhi_bench")
    return urlunsplit(url._replace(path="/gongzhi_bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: per backend, see SERVER)")
    parser.add_argument("--threads", type=int, help="threads per gthread worker (default: per backend)")
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-floor", action="store_true", help="skip the diagnostic floor run")
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup_data()))
        return

    results = {}
    var_dir = tempfile.mkdtemp(prefix="gongzhi-bench-")
    try:
        backends = ([] if args.skip_sqlite else [("sqlite", None)]) + ([] if args.skip_pg else [("postgresql", "pg")])
        for name, pg in backends:
            for floor in (False,) if args.skip_floor else (False, True):
                env = base_env(tempfile.mkdtemp(dir=var_dir))
                if pg:
                    env["DATABASE_URL"] = postgres_url()
                if floor:
                    env["DJANGO_SETTINGS_MODULE"] = "bench.floor_settings"
                outcome = bench_backend(name, env, args, floor=floor)
                if floor:
                    results[name]["floor"] = outcome
                else:
                    results[name] = outcome
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    servers = ", ".join(f"{n} %d workers x %d threads" % server_config(n, args) for n in results)
    print(f"config: {args.clients} clients, gunicorn gthread ({servers}), no access log, "
          f"{args.seconds:g} s per phase, {os.cpu_count()} CPUs")
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
