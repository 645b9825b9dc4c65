"""/healthz and /readyz for load balancers: no sign-in, no patient data, and /readyz says
which check failed."""

import signal
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from clinic import health


def run_worker() -> None:
    """The backend's own worker command, in-process: every task due, then exit. It closes
    the database connection after each task, so the tests calling it run outside a test
    transaction (transaction=True), as the real worker does."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {s: signal.getsignal(s) for s in signals}
    try:
        call_command(
            "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
        )
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


def heartbeats():
    return DBTaskResult.objects.filter(task_path=health.worker_heartbeat.module_path)


def test_healthz_answers_without_a_sign_in_or_the_database(client):
    # No database fixture: any query would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db(transaction=True)
def test_readyz_is_ready_once_a_worker_ran_the_heartbeat(client):
    first = client.get("/readyz")
    # A fresh database: no worker seen yet, but the probe queued the heartbeat.
    assert first.status_code == 503
    assert first.json() == {
        "ready": False,
        "checks": {"database": "ok", "migrations": "ok", "worker": "not seen in the last 60 s"},
    }
    assert heartbeats().filter(status=TaskResultStatus.READY).count() == 1

    run_worker()

    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "checks": {"database": "ok", "migrations": "ok", "worker": "ok"},
    }
    # The heartbeat queued its next run (one, however often it is probed).
    client.get("/readyz")
    waiting = heartbeats().filter(status=TaskResultStatus.READY)
    assert waiting.count() == 1
    assert waiting.get().run_after > timezone.now() + timedelta(seconds=10)


@pytest.mark.django_db(transaction=True)
def test_readyz_is_not_ready_when_the_last_heartbeat_is_old(client):
    health.schedule_heartbeat()
    run_worker()
    heartbeats().update(finished_at=timezone.now() - timedelta(minutes=2))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "not seen in the last 60 s"


@pytest.mark.django_db
def test_a_worker_busy_with_a_long_task_counts_as_seen(client):
    health.schedule_heartbeat()
    heartbeats().update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5)
    )
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_old_heartbeats_are_deleted_by_the_next(client):
    health.schedule_heartbeat()
    run_worker()
    heartbeats().filter(status=TaskResultStatus.SUCCESSFUL).update(
        finished_at=timezone.now() - timedelta(minutes=10)
    )
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
    run_worker()
    # The old one deleted, the one just run kept (the proof), the next one waiting.
    assert sorted(heartbeats().values_list("status", flat=True)) == ["READY", "SUCCESSFUL"]


@pytest.mark.django_db
def test_readyz_names_unapplied_migrations(client):
    with mock.patch.object(health, "unapplied_migrations", return_value=3):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "migrations": "3 not applied",
        "worker": "not checked",
    }


@pytest.mark.django_db
def test_readyz_names_a_database_that_does_not_answer(client):
    with mock.patch.object(health, "_database_answers", return_value=False):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "does not answer"


@pytest.mark.django_db
def test_the_checks_are_not_redirected_to_https_nor_to_the_sign_in(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code in (200, 503)
        # Everything else still is.
        assert client.get("/login/").status_code == 301


@pytest.mark.django_db
def test_the_prometheus_endpoint_is_off_by_default(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_only_from_this_machine_or_listed_addresses(rf):
    assert health.metrics_allowed(rf.get("/metrics", REMOTE_ADDR="127.0.0.1"))
    assert health.metrics_allowed(rf.get("/metrics", REMOTE_ADDR="::1"))
    assert not health.metrics_allowed(rf.get("/metrics", REMOTE_ADDR="203.0.113.9"))
    with override_settings(METRICS_ALLOWED_ADDRESSES=["203.0.113.9"]):
        assert health.metrics_allowed(rf.get("/metrics", REMOTE_ADDR="203.0.113.9"))
