"""A clinic's worth of people at once, against the production server (gunicorn, DEBUG
off, the tasks worker beside it) on 127.0.0.1 only, measured in one run.

1. ``load_p95_20_users_vs_1``: the p95 page time with 20 simulated staff (1-3 s between
   pages; locust, headless, bounded in time) over the p95 with one; limit 2, and a single
   failed request fails it.
2. ``load_save_during_signing_<db>``: an intake save's median time while plans are being
   signed (one therapist signing plan after plan back to back; each signature renders its
   PDF) over its median alone, in alternating blocks so machine noise falls on both;
   limit 2, on SQLite and on PostgreSQL. A PostgreSQL that cannot be reached is a FAIL
   with the reason. One signer, not more: on this 2-core machine two signers rendering
   PDFs back to back take both cores, and the figure would measure the save starved of
   CPU rather than waiting for the signing's write lock, which is what it is about.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import requests

from bench.harness import Result
from bench.load.forms import csrf_token, form_fields

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
SEED_PATIENTS = 1000
WORKERS = 2 * (os.cpu_count() or 1) + 1  # gunicorn's advice: 2 per core, plus one
LOAD_SECONDS = 40
WARMUP_SECONDS = 15
STAFF = (20, 2)  # therapists and admins with their own logins (and patients)
# What the p95 page time is over: the pages and form posts a person waits on, the plan
# signature among them (a form post that renders the PDF). Left out: the sign-in (once a
# day, and first of all), and documents, the stored signed PDF and the clinic's patient
# CSV export, which are files a person downloads, not pages; their p95 is printed beside.
NOT_PAGES = {"login form", "sign in"}
DOCUMENTS = {"plan PDF", "export download"}
SIGNING = "plan sign"
PG_ADMIN = os.environ.get(
    "BENCH_PG_ADMIN_URL", "postgres://floorplan:floorplan@127.0.0.1:5432/postgres"
)
PG_DATABASE = "floorplan_bench_load"


def run() -> list[Result]:
    results: list[Result] = []
    with clinic_server(None) as (url, plan):
        # Unmeasured: every gunicorn worker's first pages (templates, caches) and sign-ins.
        locust_run(url, plan, users=WORKERS, admins=1, seconds=WARMUP_SECONDS)
        baseline = locust_run(url, plan, users=1, admins=0, seconds=2 * LOAD_SECONDS)
        busy = locust_run(url, plan, users=20, admins=2, seconds=LOAD_SECONDS)
        failures = baseline["failures"] + busy["failures"]
        print(
            f"  load: page p95 {baseline['p95']:.0f} ms with 1, {busy['p95']:.0f} ms with 20 "
            f"({busy['pages']} pages, {busy['requests']} requests, {failures} failed); "
            f"signing p95 {baseline['sign']:.0f} / {busy['sign']:.0f} ms, "
            f"documents p95 {baseline['documents']:.0f} / {busy['documents']:.0f} ms",
            flush=True,
        )
        ratio = busy["p95"] / baseline["p95"] if not failures else float("inf")
        results.append(Result("load_p95_20_users_vs_1", ratio, 2))
        results.append(save_during_signing(url, plan, "sqlite"))
    try:
        database = postgres_database()
    except psycopg.Error as error:
        print(f"  load: PostgreSQL unreachable ({str(error).strip()[:120]})", flush=True)
        results.append(Result("load_save_during_signing_postgres", float("inf"), 2))
        return results
    try:
        with clinic_server(database) as (url, plan):
            results.append(save_during_signing(url, plan, "postgres"))
    finally:
        postgres_drop()
    return results


# --- The server.


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def clinic_server(database_url: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
    """The demo clinic (and SEED_PATIENTS synthetic ones, for a realistic list) served by
    gunicorn on a free loopback port from a throwaway folder; stopped and deleted after."""
    var = Path(tempfile.mkdtemp(prefix="floorplan-load-"))
    env = {
        **os.environ,
        "FLOORPLAN_VAR_DIR": str(var),
        "DEBUG": "0",
        "SECURE_HTTPS": "0",  # plain http on loopback: no secure cookies, no redirect
        "MANIFEST_STATIC": "0",
        "ALLOWED_HOSTS": HOST,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "-v0"],
        ["loaddata", "-v0", "fixtures/demo_clinic.json"],
        ["load_library", "-v0"],
        ["seed_demo", "-v0", "--patients", str(SEED_PATIENTS)],
    ):
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, timeout=300)
    plan_file = var / "load-plan.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench/load/prepare.py"),
            str(plan_file),
            *map(str, STAFF),
            "1",
        ],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    port = free_port()
    log = (var / "server.log").open("w")
    processes = []
    try:
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "clinic.wsgi",
                    "--bind",
                    f"{HOST}:{port}",
                    "--workers",
                    str(WORKERS),
                    "--timeout",
                    "60",
                ],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        processes.append(
            subprocess.Popen(
                [*manage, "db_worker", "--no-reload"],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        url = f"http://{HOST}:{port}"
        wait_until_up(url)
        yield url, {**json.loads(plan_file.read_text()), "file": str(plan_file), "env": env}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
        shutil.rmtree(var, ignore_errors=True)


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        # Workers still importing answer late: a timeout is "not yet", like a refusal.
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/login/", timeout=10).status_code == 200:
                return
        time.sleep(0.3)
    raise RuntimeError("the bench's gunicorn did not answer within a minute")


def postgres_database() -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_DATABASE


def postgres_drop() -> None:
    with (
        contextlib.suppress(psycopg.Error),
        psycopg.connect(PG_ADMIN, autocommit=True) as connection,
    ):
        connection.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


# --- 1. Many staff at once (locust).


def locust_run(
    url: str, plan: dict[str, Any], *, users: int, admins: int, seconds: int
) -> dict[str, float]:
    """Locust, headless, in its own process (its gevent patches stay out of the other
    benchmarks), stopping by itself after ``seconds``; its failures, and the p95 of the
    requests once everyone has signed in (the locustfile's SETTLE)."""
    prefix = Path(plan["file"]).with_name(f"locust-{users}")
    times_file = prefix.with_suffix(".times.json")
    classes = ["Therapist", "Admin"] if admins else ["Therapist"]
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench/load/locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(users / 5, 1)),
        "--run-time",
        # The sign-ins and each therapist's catch-up to a random point of a visit come
        # first, unmeasured: about a second of the machine's time each.
        f"{seconds + users}s",
        "--stop-timeout",
        "10",
        "--host",
        url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
        *classes,
    ]
    env = {
        **plan["env"],
        "FLOORPLAN_LOAD_PLAN": plan["file"],
        "FLOORPLAN_LOAD_ADMINS": str(admins),
        "FLOORPLAN_LOAD_TIMES": str(times_file),
    }
    subprocess.run(
        command,
        env=env,
        cwd=ROOT,
        check=True,
        timeout=seconds + users + 60,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with Path(f"{prefix}_stats.csv").open() as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    times: dict[str, list[float]] = json.loads(times_file.read_text())
    pages = [t for name, ts in times.items() if name not in NOT_PAGES | DOCUMENTS for t in ts]
    documents = [t for name in DOCUMENTS for t in times.get(name, [])]
    return {
        "p95": p95(pages),
        "sign": p95(times.get(SIGNING, [])),
        "documents": p95(documents),
        "pages": len(pages),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
    }


def p95(times: list[float]) -> float:
    if len(times) < 2:
        return times[0] if times else float("nan")
    return statistics.quantiles(times, n=20, method="inclusive")[18]


# --- 2. An intake save while plans are signed.


def signed_in(url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{url}/login/", timeout=30)
    done = session.post(
        f"{url}/login/",
        data={
            "csrfmiddlewaretoken": csrf_token(page.text),
            "username": username,
            "password": password,
        },
        timeout=30,
    )
    if "/login/" in done.url:
        raise RuntimeError(f"{username} could not sign in")
    return session


def save_during_signing(url: str, plan: dict[str, Any], database: str) -> Result:
    password = plan["password"]
    saver = signed_in(url, plan["saver"]["username"], password)
    step = f"{url}/assessments/{plan['saver']['assessment']}/edit/symptoms/"
    form = form_fields(saver.get(step, timeout=30).text, form_id="assessment-form")
    version = re.compile(r'name="version" value="(\d+)"')

    def save() -> float:
        # The page's version moves on with each save (the edit-conflict check).
        start = time.perf_counter()
        answer = saver.post(step, data=form, timeout=60)
        took = time.perf_counter() - start
        if answer.status_code != 200 or "/login/" in answer.url:
            raise RuntimeError(f"intake save answered {answer.status_code} at {answer.url}")
        found = version.search(answer.text)
        if found:
            form[:] = [(k, found.group(1) if k == "version" else v) for k, v in form]
        return took

    signing = threading.Event()
    stop = threading.Event()
    signed = [0]
    errors: list[str] = []

    def signer(username: str, plan_id: int) -> None:
        session = signed_in(url, username, password)
        while not stop.is_set():
            if not signing.wait(0.1):
                continue
            # The sign form is its token and an empty reason; no parsing of the plan page
            # here, whose Python work would hold the lock the saver's timing needs too.
            done = session.post(
                f"{url}/plans/{plan_id}/sign/",
                data={"csrfmiddlewaretoken": session.cookies.get("csrftoken", ""), "reason": ""},
                timeout=60,
            )
            fresh = session.post(
                f"{url}/plans/{plan_id}/new-version/",
                data={"csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
                timeout=60,
            )
            found = re.search(r"/plans/(\d+)/", fresh.url)
            if done.status_code != 200 or not found or int(found.group(1)) == plan_id:
                errors.append(f"signing answered {done.status_code}, then {fresh.url}")
                return
            plan_id = int(found.group(1))
            signed[0] += 1

    threads = [
        threading.Thread(target=signer, args=(s["username"], s["plan"]), daemon=True)
        for s in plan["signers"]
    ]
    for thread in threads:
        thread.start()
    alone: list[float] = []
    during: list[float] = []
    try:
        for _ in range(3):
            signing.clear()
            time.sleep(1.0)  # the signatures in flight finish
            alone.extend(save() for _ in range(8))
            signing.set()
            time.sleep(1.0)  # the signers are at work
            for _ in range(8):
                during.append(save())
                time.sleep(0.1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    ratio = statistics.median(during) / statistics.median(alone)
    print(
        f"  load ({database}): intake save median {statistics.median(alone) * 1000:.0f} ms alone, "
        f"{statistics.median(during) * 1000:.0f} ms while signing ({signed[0]} plans signed)",
        flush=True,
    )
    if errors or not signed[0]:
        print(f"  load ({database}): the signers failed: {errors[:1]}", flush=True)
        ratio = float("inf")
    return Result(f"load_save_during_signing_{database}", ratio, 2)
