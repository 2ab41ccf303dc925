"""Benchmark demand intake over HTTP: an open-loop offered load of 50 intakes/s, then the peak throughput.

For each database (SQLite in a fresh temporary GONGZHI_VAR_DIR, WAL; PostgreSQL when there is one, see below):
migrate, create a sub-district with grids and buildings, an API token and an Open311 client, and start the server
exactly as `gongzhi serve --workers 2` runs it (gunicorn gthread, 2 workers x GONGZHI_THREADS=4, with the
background-job worker beside it; no access log). Then:

* **offered load**: `--rate` intakes per second (default 50, about 170x the average of Shanghai's whole 12345
  hotline) for `--seconds`, alternating POST /api/v1/demands/ (JSON, bearer token, fresh Idempotency-Key) and
  POST /open311/v2/requests.json (form-encoded, lat/long -> the nearest building). Requests go out on a fixed
  schedule whatever the answers do (open loop), from a pool of connections large enough never to hold one back;
  latency is measured from each request's *scheduled* send time, so a slow server's queue shows in the figures
  instead of quietly lowering the load (coordinated omission). Target: p95 <= 150 ms, no errors.
* **peak**: `--clients` closed-loop clients on keep-alive connections, each sending its next intake when the last
  one is answered, for `--peak-seconds`: requests per second.

PostgreSQL: DATABASE_URL (a postgres:// URL) is used when set; else `--pg` starts the local throw-away server with
scripts/pg-start.sh (and stops it afterwards with scripts/pg-stop.sh if it was not running before); else the
PostgreSQL run is skipped and the reason printed. The bench uses its own database `gongzhi_bench` on that server,
dropped and re-created.

Run: .venv/bin/python bench/intake.py [--rate 50] [--seconds 12] [--clients 20] [--peak-seconds 8] [--pg]
The last printed line is one JSON object: {"sqlite": {"p95_ms_at_50": ..., "peak_req_per_s": ..., ...},
"postgresql": {...}}.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
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
P95_TARGET_MS = 150
OPEN_LOOP_CONNECTIONS = 64  # at 50/s, more than enough unless answers take over a second
CATEGORIES = ["street_lights", "stairwell_clutter", "parking", "cleaning", "property_service", "pipes"]
PROBLEMS = ["楼道灯不亮，晚上很黑", "楼道里堆满杂物，消防通道被堵", "小区停车位不够，车辆乱停", "垃圾箱房很久没人清理",
            "物业服务态度差，报修没人来", "下水管道堵塞，污水外溢", "电瓶车在楼道里充电", "路灯坏了一个多星期"]


# --- Setup (runs in a child process with the bench environment) -------------------------------------------

def setup_data() -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from gongzhi.accounts import services as account_services
    from gongzhi.accounts.models import RoleAssignment, User
    from gongzhi.accounts.roles import Role
    from gongzhi.core.workflow import SYSTEM
    from gongzhi.demands import services as demand_services
    from gongzhi.registry.models import Building, Region, RegionKind

    call_command("migrate", verbosity=0)
    district = Region.objects.create(kind=RegionKind.DISTRICT, code="BD", name="压测区")
    sub = Region.objects.create(kind=RegionKind.SUBDISTRICT, code="BS", name="压测街道", parent=district)
    buildings = []
    for a in range(4):
        area = Region.objects.create(kind=RegionKind.RESIDENTIAL_AREA, code=f"BA{a}", name=f"压测居民区{a}",
                                     parent=sub)
        for g in range(5):
            grid = Region.objects.create(kind=RegionKind.GRID, code=f"BG{a}{g}", name=f"压测网格{a}-{g}", parent=area)
            for b in range(20):  # 400 buildings about 40 m apart
                n = (a * 5 + g) * 20 + b
                buildings.append(Building.objects.create(
                    region=grid, code=f"BB{a}{g}{b:02d}", name=f"{a}{g}{b:02d}号楼", address=f"压测路{n}号",
                    latitude=31.2 + 0.00036 * (n // 20), longitude=121.45 + 0.00042 * (n % 20)))
    staff = User.objects.create_user("bench-staff", display_name="压测管理员")
    RoleAssignment.objects.create(user=staff, role=Role.SUBDISTRICT_ADMIN, region=sub)
    _token, key = account_services.issue_token(staff, actor=SYSTEM, name="bench")
    service = User.objects.create_user("bench-open311")
    _client, api_key = demand_services.register_open311_client("bench", actor=SYSTEM, user=service, subdistrict=sub)
    return {"token": key, "api_key": api_key,
            "buildings": [(b.pk, float(b.latitude), float(b.longitude)) for b in buildings]}


# --- Requests -----------------------------------------------------------------------------------------------

def intake_requests(data: dict):
    """request(i) -> (endpoint, method, path, body, headers): even i the JSON API, odd i Open311."""
    buildings, run = data["buildings"], uuid.uuid4().hex[:8]

    def request(i: int):
        pk, lat, lon = buildings[(i * 7) % len(buildings)]
        problem = PROBLEMS[i % len(PROBLEMS)]
        if i % 2 == 0:
            body = json.dumps({"title": problem[:8], "description": f"{i % 20 + 1}楼{problem}。#{i}",
                               "channel": "phone", "building_id": pk, "category_code": CATEGORIES[i % len(CATEGORIES)],
                               "submitter_name": "王阿姨", "submitter_phone": f"139{i % 100_000_000:08d}"},
                              ensure_ascii=False).encode()
            return "api", "POST", "/api/v1/demands/", body, {
                "Content-Type": "application/json", "Authorization": f"Bearer {data['token']}",
                "Idempotency-Key": f"{run}-{i}"}
        body = urlencode({"api_key": data["api_key"], "service_code": CATEGORIES[i % len(CATEGORIES)],
                          "lat": f"{lat + 0.00005:.6f}", "long": f"{lon:.6f}", "description": f"{problem} {run}-{i}",
                          "phone": "13800001111"})
        return "open311", "POST", "/open311/v2/requests.json", body, {
            "Content-Type": "application/x-www-form-urlencoded"}

    return request


class Client:
    """One keep-alive connection; `send` answers the status, or the exception's name."""

    def __init__(self, port: int):
        self.port, self.conn = port, None

    def send(self, method: str, path: str, body, headers) -> int | str:
        for attempt in range(2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected) as exc:
                self.close()  # the server closed an idle kept-alive connection: send again on a new one
                if not reused or attempt:
                    return type(exc).__name__
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                return type(exc).__name__
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def summary(latencies: list[float], errors: dict, seconds: float) -> dict:
    cuts = quantiles(latencies, n=100, method="inclusive") if len(latencies) >= 2 else [float("nan")] * 99
    return {"requests": len(latencies), "req_per_s": round(len(latencies) / seconds, 1),
            "p50_ms": round(cuts[49] * 1000, 1), "p95_ms": round(cuts[94] * 1000, 1),
            "p99_ms": round(cuts[98] * 1000, 1), "max_ms": round(max(latencies, default=0) * 1000, 1),
            "errors": sum(errors.values()), "error_kinds": errors}


def open_loop(port: int, request, rate: float, seconds: float, first: int = 0) -> dict:
    """Send request(first + k) at start + k / rate, for `seconds`; latency from the scheduled time."""
    jobs: queue.Queue = queue.Queue()
    results: list[tuple[str, int | str, float]] = []
    lock = threading.Lock()

    def worker() -> None:
        client = Client(port)
        while (job := jobs.get()) is not None:
            i, scheduled = job
            endpoint, method, path, body, headers = request(i)
            status = client.send(method, path, body, headers)
            with lock:
                results.append((endpoint, status, time.perf_counter() - scheduled))
        client.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(OPEN_LOOP_CONNECTIONS)]
    for t in threads:
        t.start()
    total = int(rate * seconds)
    start = time.perf_counter() + 0.05
    late = 0.0
    for k in range(total):
        scheduled = start + k / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        else:
            late = max(late, -delay)
        jobs.put((first + k, scheduled))
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    out = {}
    for endpoint in ("all", "api", "open311"):
        rows = [r for r in results if endpoint in ("all", r[0])]
        errors: dict[str, int] = {}
        for _e, status, _s in rows:
            if not (isinstance(status, int) and 200 <= status < 300):
                errors[str(status)] = errors.get(str(status), 0) + 1
        ok = [s for _e, status, s in rows if isinstance(status, int) and 200 <= status < 300]
        out[endpoint] = summary(ok, errors, elapsed)
    out["all"]["offered_per_s"] = rate
    out["all"]["dispatch_late_ms"] = round(late * 1000, 1)  # how far the load generator itself fell behind
    return out


def closed_loop(port: int, request, clients: int, seconds: float, first: int) -> dict:
    """`clients` keep-alive clients, each sending its next request when the last is answered."""
    counter = iter(range(first, first + 10_000_000))
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        client, mine = Client(port), []
        while time.perf_counter() < stop_at:
            with lock:
                i = next(counter)
            _endpoint, method, path, body, headers = request(i)
            started = time.perf_counter()
            status = client.send(method, path, body, headers)
            if isinstance(status, int) and 200 <= status < 300:
                mine.append(time.perf_counter() - started)
            else:
                with lock:
                    errors[str(status)] = errors.get(str(status), 0) + 1
        client.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summary(latencies, errors, time.perf_counter() - started) | {"clients": clients}


# --- Server -------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited early")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not become ready")


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) of the live processes in a process group (the server: gunicorn's master and
    workers, the job worker), from /proc; 0 where there is no /proc."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the command: state, ppid, pgrp, ..., utime (12), stime (13)
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def bench_database(name: str, env: dict, args) -> dict:
    out = subprocess.run([PYTHON, __file__, "--setup"], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    data = json.loads(out.stdout.strip().splitlines()[-1])
    port = free_port()
    log_path = Path(env["GONGZHI_VAR_DIR"]) / "server.log"
    serve = [PYTHON, "-m", "gongzhi.cli", "serve", "--port", str(port), "--workers", str(args.workers)]
    with open(log_path, "w") as log:  # a file: an undrained pipe would block the server
        server = subprocess.Popen(serve + (["--no-worker"] if args.no_worker else []), env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        try:
            wait_ready(port, server)
            request = intake_requests(data)
            open_loop(port, request, args.rate, 2.0, first=10_000_000)  # warm-up: connections, imports, caches
            load, cpu = os.getloadavg()[0], group_cpu_seconds(server.pid)
            at_rate = open_loop(port, request, args.rate, args.seconds)
            cpu_ms = (group_cpu_seconds(server.pid) - cpu) * 1000 / max(at_rate["all"]["requests"], 1)
            at_rate["all"]["server_cpu_ms_per_intake"] = round(cpu_ms, 1)
            for endpoint, figures in at_rate.items():
                print(f"{name:10s} {args.rate:g}/s {endpoint:8s} {json.dumps(figures, ensure_ascii=False)}",
                      flush=True)
            peak = closed_loop(port, request, args.clients, args.peak_seconds, first=20_000_000)
            print(f"{name:10s} peak     {json.dumps(peak, ensure_ascii=False)}", flush=True)
        finally:
            server.terminate()  # `gongzhi serve` stops gunicorn and the job worker
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, 9)
    log_text = log_path.read_text()
    tracebacks = log_text.count("Traceback")
    if tracebacks:
        first = log_text.index("Traceback")
        print(f"{name}: {tracebacks} server tracebacks; the first:\n{log_text[first:first + 3000]}", flush=True)
    figures = at_rate["all"]
    return {"p95_ms_at_50" if args.rate == 50 else f"p95_ms_at_{args.rate:g}": figures["p95_ms"],
            "peak_req_per_s": peak["req_per_s"], "p50_ms": figures["p50_ms"], "p99_ms": figures["p99_ms"],
            "errors": figures["errors"], "offered_per_s": args.rate, "answered_per_s": figures["req_per_s"],
            "api_p95_ms": at_rate["api"]["p95_ms"], "open311_p95_ms": at_rate["open311"]["p95_ms"],
            "peak_p95_ms": peak["p95_ms"], "peak_errors": peak["errors"], "server_tracebacks": tracebacks,
            "server_cpu_ms_per_intake": figures["server_cpu_ms_per_intake"],
            "load_average_before": round(load, 2),
            "target_met": figures["p95_ms"] <= P95_TARGET_MS and figures["errors"] == 0}


def base_env(var_dir: str, threads: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GONGZHI_TASKS"}}
    env.update({"DJANGO_SETTINGS_MODULE": "gongzhi.settings", "GONGZHI_VAR_DIR": var_dir, "DEBUG": "0",
                "SECRET_KEY": "bench-" + uuid.uuid4().hex,
                "GONGZHI_DATA_KEYS": "bench:" + uuid.uuid4().hex, "GONGZHI_LOOKUP_KEYS": "bench:" + uuid.uuid4().hex,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "LOG_LEVEL": "ERROR", "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
                "GONGZHI_ACCESS_LOG": "0", "GONGZHI_THREADS": str(threads), "PYTHONPATH": str(ROOT)})
    return env


# --- PostgreSQL ---------------------------------------------------------------------------------------------

def postgres(args) -> tuple[str | None, str, bool]:
    """(URL of a fresh bench database or None, why not / where from, whether the bench started the server)."""
    given = os.environ.get("DATABASE_URL", "")
    started = False
    if given.startswith(("postgres://", "postgresql://")):
        url, origin = given, "DATABASE_URL"
    elif args.pg:
        was_running = _accepts(55432)
        out = subprocess.run(["bash", str(ROOT / "scripts" / "pg-start.sh")], capture_output=True, text=True,
                             check=False)
        if out.returncode != 0:
            return None, f"scripts/pg-start.sh failed: {out.stderr.strip()[-300:]}", False
        url, origin, started = out.stdout.strip().splitlines()[-1], "scripts/pg-start.sh", not was_running
    else:
        return None, "no DATABASE_URL set; pass --pg to start one with scripts/pg-start.sh", False
    import psycopg

    parts = urlsplit(url)
    try:
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS gongzhi_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE gongzhi_bench")
    except psycopg.Error as exc:
        return None, f"cannot create the bench database ({origin}): {exc}", started
    return urlunsplit(parts._replace(path="/gongzhi_bench")), origin, started


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rate", type=float, default=50, help="offered intakes per second (open loop)")
    parser.add_argument("--seconds", type=float, default=12, help="length of the offered-load phase")
    parser.add_argument("--clients", type=int, default=20, help="closed-loop clients of the peak phase")
    parser.add_argument("--peak-seconds", type=float, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--no-worker", action="store_true", help="without the background-job worker")
    parser.add_argument("--pg", action="store_true", help="start PostgreSQL with scripts/pg-start.sh if needed")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup_data()))
        return

    print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"server: gongzhi serve, gunicorn gthread {args.workers} workers x {args.threads} threads, "
          f"{'no ' if args.no_worker else ''}job worker; {args.rate:g}/s for {args.seconds:g} s, "
          f"peak {args.clients} clients for {args.peak_seconds:g} s", flush=True)
    results: dict = {}
    var_dir = tempfile.mkdtemp(prefix="gongzhi-bench-")
    stop_pg = False
    try:
        if not args.skip_sqlite:
            results["sqlite"] = bench_database("sqlite", base_env(tempfile.mkdtemp(dir=var_dir), args.threads), args)
        url, origin, stop_pg = postgres(args)
        if url is None:
            print(f"postgresql skipped: {origin}", flush=True)
            results["postgresql"] = {"skipped": origin}
        else:
            env = base_env(tempfile.mkdtemp(dir=var_dir), args.threads) | {"DATABASE_URL": url}
            results["postgresql"] = bench_database("postgresql", env, args) | {"server": origin}
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        if stop_pg:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg-stop.sh")], capture_output=True, check=False)
    print(f"target: p95 <= {P95_TARGET_MS} ms at {args.rate:g}/s with no errors; "
          f"load average now {os.getloadavg()[0]:.2f}")
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
