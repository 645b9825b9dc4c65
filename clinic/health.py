"""Health checks for load balancers and process supervisors, and the worker's heartbeat.

``/healthz`` answers while the process serves requests (it touches no database);
``/readyz`` answers 200 only when this server can do its work: the database answers, every
migration is applied and a tasks worker was seen lately. Neither needs a sign-in nor says
anything about patients.

The tasks worker (``manage.py db_worker`` of django-tasks-db) keeps no record of itself,
only of the tasks it runs. So it runs a tiny task, ``worker_heartbeat``, that queues its
own next run HEARTBEAT_EVERY later: a heartbeat finished in the last WORKER_SEEN_WITHIN
proves a worker is polling this database's queue and running what it claims, end to end.
A worker busy with one long task (a large batch print) cannot run the heartbeat meanwhile,
so a task it started within WORKER_BUSY_WITHIN and still runs counts as seen too.
``/readyz`` queues the heartbeat when none is waiting (a fresh database, or a chain broken
by a worker killed mid-run), so nothing else has to start it.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_prometheus.exports import ExportToDjangoView
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from clinic.access import client_address

HEARTBEAT_EVERY = timedelta(seconds=20)
WORKER_SEEN_WITHIN = timedelta(minutes=1)
WORKER_BUSY_WITHIN = timedelta(minutes=30)
# Finished heartbeats older than this are deleted by the next one: the table keeps a few
# rows, not one every 20 seconds forever.
KEEP_HEARTBEATS = timedelta(minutes=2)


@task()
def worker_heartbeat() -> None:
    now = timezone.now()
    DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path).filter(
        Q(
            status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
            finished_at__lt=now - KEEP_HEARTBEATS,
        )
        # Left running by a worker killed in the middle of one.
        | Q(status=TaskResultStatus.RUNNING, started_at__lt=now - KEEP_HEARTBEATS)
    ).delete()
    schedule_heartbeat(run_after=now + HEARTBEAT_EVERY)


def schedule_heartbeat(*, run_after: datetime | None = None) -> bool:
    """Queue a heartbeat unless one is already waiting (two chains merge into one)."""
    waiting = DBTaskResult.objects.filter(
        task_path=worker_heartbeat.module_path, status=TaskResultStatus.READY
    ).exists()
    if waiting:
        return False
    (worker_heartbeat.using(run_after=run_after) if run_after else worker_heartbeat).enqueue()
    return True


def worker_seen(now: datetime | None = None) -> bool:
    now = now or timezone.now()
    tasks = DBTaskResult.objects.all()
    return tasks.filter(
        Q(
            task_path=worker_heartbeat.module_path,
            status=TaskResultStatus.SUCCESSFUL,
            finished_at__gte=now - WORKER_SEEN_WITHIN,
        )
        | Q(status=TaskResultStatus.RUNNING, started_at__gte=now - WORKER_BUSY_WITHIN)
    ).exists()


def _database_answers() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() is not None
    except DatabaseError:
        return False


def unapplied_migrations() -> int:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@login_not_required
@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@require_safe
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    checks = {"database": "ok", "migrations": "not checked", "worker": "not checked"}
    if not _database_answers():
        checks["database"] = "does not answer"
    else:
        try:
            unapplied = unapplied_migrations()
        except DatabaseError:
            unapplied = -1
        if unapplied:
            checks["migrations"] = f"{unapplied} not applied" if unapplied > 0 else "cannot be read"
        else:
            checks["migrations"] = "ok"
            try:
                seen = worker_seen()
                # Self-healing: a broken heartbeat chain is restarted by the next probe.
                schedule_heartbeat()
            except DatabaseError:
                seen = False
            within = int(WORKER_SEEN_WITHIN.total_seconds())
            checks["worker"] = "ok" if seen else f"not seen in the last {within} s"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)


def metrics_allowed(request: HttpRequest) -> bool:
    """Metrics name views and counts, never patients, but are still for the operators only:
    from this machine, or from the addresses in METRICS_ALLOWED_ADDRESSES."""
    address = client_address(request)
    if address is None:
        return False
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return parsed.is_loopback or address in settings.METRICS_ALLOWED_ADDRESSES


@login_not_required
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponseNotFound()
    response: HttpResponse = ExportToDjangoView(request)
    return response
