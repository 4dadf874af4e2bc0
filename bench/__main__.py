"""python -m bench: the performance benchmark of issue #7 (``make bench``).

    python -m bench                         regio on SQLite and PostgreSQL, then land on PostgreSQL
    python -m bench --scales regio          only regio (SQLite + PostgreSQL)
    python -m bench --scales land           only land (PostgreSQL)
    python -m bench --backends postgres     only PostgreSQL
    python -m bench --quick                 smoke run: the generator's mini size, few runs, output in var/bench/

For every (scale, backend): a fresh database (SQLite file in var/bench/, or a throw-away PostgreSQL
15 cluster from scripts/postgres.sh, stopped afterwards), ``migrate``, ``generate_load_data`` (timed),
then ``python -m bench.measure`` in its own process. Results are merged into docs/performance.json
(results of combinations not run this time are kept, marked with their date) and the table in
docs/performance.md is written from it (bench/report.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

COMBOS = {"regio": ("sqlite", "postgres"), "land": ("postgres",), "mini": ("sqlite", "postgres")}
RUNS = {  # pages, recompute, pdf, import
    "regio": (20, 5, 3, 3),
    "land": (10, 2, 2, 1),
    "mini": (5, 2, 1, 1),
}


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def run(cmd, env, timeout=None, capture=False):
    log("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, timeout=timeout, text=True,
                          stdout=subprocess.PIPE if capture else None)


def base_env(workdir: Path):
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "sroi_portal.settings",
        "SECRET_KEY": env.get("SECRET_KEY") or "bench-secret-key-not-for-production",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver,localhost",
        "STATIC_ROOT": str(workdir / "static"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DATABASE_CONN_MAX_AGE": "0",
    })
    env.pop("DATABASE_URL", None)
    return env


class Postgres:
    def __init__(self, scale):
        self.dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"sroi-bench-pg-{os.getuid()}-{scale}"

    def __enter__(self):
        out = subprocess.run(["bash", "scripts/postgres.sh", "start", str(self.dir)], cwd=ROOT, check=True,
                             text=True, stdout=subprocess.PIPE)
        self.url = out.stdout.strip().splitlines()[-1]
        log(f"PostgreSQL: {self.url}")
        return self.url

    def __exit__(self, *exc):
        subprocess.run(["bash", "scripts/postgres.sh", "stop", str(self.dir)], cwd=ROOT, check=False)


def postgres_version(env):
    try:
        out = subprocess.run([PY, "-c", "import django; django.setup(); from django.db import connection; "
                              "c = connection.cursor(); c.execute('SHOW server_version'); print(c.fetchone()[0])"],
                             cwd=ROOT, env=env, text=True, capture_output=True, timeout=60)
        return out.stdout.strip()
    except Exception:  # noqa: BLE001
        return ""


def one(scale, backend, workdir: Path, runs, seed, skip=""):
    env = base_env(workdir)
    result = {"scale": scale, "backend": backend, "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}

    def body(database_url):
        env["DATABASE_URL"] = database_url
        run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        t0 = time.perf_counter()
        out = run([PY, "manage.py", "generate_load_data", "--scale", scale, "--seed", str(seed), "--json"], env,
                  capture=True)
        generation_s = time.perf_counter() - t0
        generated = {}
        for line in out.stdout.splitlines():
            if line.startswith("{"):
                generated = json.loads(line)
        result["generation"] = {"wall_s": round(generation_s, 1), **generated}
        if backend == "postgres":
            result["server_version"] = postgres_version(env)
        pages, recompute, pdf, imports = runs
        target = workdir / f"measure-{scale}-{backend}.json"
        cmd = [PY, "-m", "bench.measure", "--scale", scale, "--runs", str(pages), "--recompute-runs", str(recompute),
               "--pdf-runs", str(pdf), "--import-runs", str(imports), "--out", str(target)]
        cmd.append("--worker-memory")  # the target is for land; measured everywhere for comparison
        if skip:
            cmd += ["--skip", skip]
        run(cmd, env)
        result.update(json.loads(target.read_text()))

    if backend == "sqlite":
        db = workdir / f"{scale}.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        body(f"sqlite:///{db}")
    else:
        with Postgres(scale) as url:
            body(url)
    result["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return result


def machine():
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) // 1024 // 1024} GiB"
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "platform": platform.platform(), "loadavg_at_start": load}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="regio,land", help="comma-separated: regio, land (default both)")
    parser.add_argument("--backends", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--quick", action="store_true", help="smoke run at mini size; writes var/bench/, not docs/")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip", default="", help="measurements to leave out, e.g. import,pdf (bench.measure --skip)")
    parser.add_argument("--out", default=None, help="directory for performance.json/.md (default docs/)")
    args = parser.parse_args(argv)

    scales = ["mini"] if args.quick else [s.strip() for s in args.scales.split(",") if s.strip()]
    backends = {b.strip() for b in args.backends.split(",") if b.strip()}
    workdir = ROOT / "var" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    out_dir = Path(args.out) if args.out else (workdir if args.quick else ROOT / "docs")
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "performance.json"

    env = base_env(workdir)
    env["DATABASE_URL"] = f"sqlite:///{workdir / 'static-check.sqlite3'}"
    run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    if "postgres" in backends and not shutil.which("bash"):
        raise SystemExit("bash is needed for scripts/postgres.sh")

    data = json.loads(json_path.read_text()) if json_path.exists() else {}
    data.setdefault("results", {})
    data["machine"] = machine()
    failures = []
    for scale in scales:
        for backend in COMBOS.get(scale, ()):
            if backend not in backends:
                continue
            key = f"{scale}/{backend}"
            log(f"=== {key} ===")
            try:
                data["results"][key] = one(scale, backend, workdir, RUNS[scale], args.seed, args.skip)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
                failures.append(key)
                data["results"][key] = {"scale": scale, "backend": backend, "error": str(error),
                                        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds")}
            json_path.write_text(json.dumps(data, indent=2, default=str) + "\n")
            from bench.report import write_markdown

            write_markdown(data, out_dir / "performance.md")
    log(f"klaar: {json_path} en {out_dir / 'performance.md'}")
    if failures:
        log("mislukt: " + ", ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
