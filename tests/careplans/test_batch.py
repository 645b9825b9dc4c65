"""Batch printing: enqueued through the database tasks backend, run by its worker."""

from __future__ import annotations

import io
import signal
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from assessments.services.intake_import import intake_import
from careplans import selectors, services
from careplans.models import BatchPrint, CarePlan
from careplans.services import batch as batches
from careplans.services import visit_complete
from clinic.models import AccessLog, AuditAction
from tests.careplans.conftest import example_intake
from tests.factories import (
    BatchPrintFactory,
    PatientFactory,
    ReviewFactory,
    SignedCarePlanFactory,
)


def run_worker() -> None:
    """The backend's own worker command, in-process: every queued task, then exit."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {s: signal.getsignal(s) for s in signals}
    try:
        call_command(
            "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
        )
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


def rendered_signed_plan_for(patient, therapist) -> CarePlan:
    """Built and signed for real: its stored PDF is WeasyPrint's, with its own bookmarks."""
    assessment = intake_import(patient=patient, intake=example_intake(), therapist=therapist)
    assessment = visit_complete(assessment=assessment, user=therapist)
    plan = services.careplan_build(assessment=assessment, user=therapist)
    return services.careplan_sign(plan=plan, user=therapist)


def stored_bytes(plan: CarePlan) -> bytes:
    with plan.pdf.storage.open(plan.pdf.name, "rb") as f:
        return f.read()


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def signed_plan_for(patient, therapist) -> CarePlan:
    return SignedCarePlanFactory(assessment__patient=patient, assessment__therapist=therapist)


@pytest.fixture
def signed(clinic, therapist):
    """Two patients with signed plans (stored sample PDFs), and one with none."""
    maria = PatientFactory(clinic=clinic, first_name="Maria", last_name="Santos")
    ines = PatientFactory(clinic=clinic, first_name="Ines", last_name="Almeida")
    nobody = PatientFactory(clinic=clinic, first_name="Nora", last_name="Blake")
    return {
        "plans": [signed_plan_for(maria, therapist), signed_plan_for(ines, therapist)],
        "patients": [maria, ines],
        "unsigned": nobody,
    }


def output_bytes(batch: BatchPrint) -> bytes:
    with batch.output.open("rb") as f:
        return f.read()


# --- Through the worker (committed transactions, as in production).


@pytest.mark.django_db(transaction=True)
def test_it_merges_the_signed_pdfs_through_the_worker(clinic, clinic_admin, signed):
    ids = [p.pk for p in signed["patients"]] + [signed["unsigned"].pk]
    batch = batches.batch_print_start(clinic=clinic, user=clinic_admin, patient_ids=ids, fmt="pdf")
    task = DBTaskResult.objects.get(pk=batch.task_result_id)
    assert task.status == "READY"
    assert task.args_kwargs == {"args": [batch.pk], "kwargs": {}}  # the batch id only

    run_worker()

    batch.refresh_from_db()
    assert batch.status == BatchPrint.Status.FINISHED
    assert (batch.done, batch.total) == (3, 3)
    assert batch.failures == [
        {
            "patient_id": signed["unsigned"].pk,
            "name": "Nora Blake",
            "reason": "no_signed_plan",
            "detail": "",
        }
    ]
    merged = output_bytes(batch)
    assert page_count(merged) == sum(page_count(stored_bytes(p)) for p in signed["plans"])
    # Print order is the clinic's list order: Almeida before Santos.
    # One bookmark per patient (a rendered plan's own bookmarks nest under it).
    outline = PdfReader(io.BytesIO(merged)).outline
    titles = [item.title.split(" (")[0] for item in outline if not isinstance(item, list)]
    assert titles == ["Ines Almeida", "Maria Santos"]
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_the_zip_holds_each_signed_file_byte_for_byte(clinic, clinic_admin, signed):
    ids = [p.pk for p in signed["patients"]]
    batch = batches.batch_print_start(clinic=clinic, user=clinic_admin, patient_ids=ids, fmt="zip")
    run_worker()

    batch.refresh_from_db()
    assert batch.status == BatchPrint.Status.FINISHED
    with zipfile.ZipFile(io.BytesIO(output_bytes(batch))) as archive:
        names = archive.namelist()
        assert len(names) == 2
        for plan in signed["plans"]:
            (name,) = [n for n in names if n.startswith(plan.patient.record_number + "-")]
            assert name.endswith(f"-v{plan.version}.pdf")
            assert archive.read(name) == stored_bytes(plan)


@pytest.mark.django_db(transaction=True)
def test_a_missing_or_altered_file_is_reported_and_the_others_print(
    clinic, clinic_admin, signed, library
):
    missing, altered = signed["plans"]
    missing.pdf.storage.delete(missing.pdf.name)
    with altered.pdf.storage.open(altered.pdf.name, "wb") as f:
        f.write(b"%PDF-1.7 not what was signed")
    # The one plan printed is a real signed rendering, read and merged as in production.
    third = rendered_signed_plan_for(PatientFactory(clinic=clinic), missing.created_by)
    ids = [p.pk for p in signed["patients"]] + [third.patient_id]
    batch = batches.batch_print_start(clinic=clinic, user=clinic_admin, patient_ids=ids, fmt="pdf")
    run_worker()

    batch.refresh_from_db()
    assert batch.status == BatchPrint.Status.FINISHED
    reasons = {f["patient_id"]: f["reason"] for f in batch.failures}
    assert reasons == {missing.patient_id: "file_missing", altered.patient_id: "file_altered"}
    assert page_count(output_bytes(batch)) == page_count(stored_bytes(third))


@pytest.mark.django_db(transaction=True)
def test_nothing_to_print_finishes_without_a_file(clinic, clinic_admin, patient):
    batch = batches.batch_print_start(
        clinic=clinic, user=clinic_admin, patient_ids=[patient.pk], fmt="zip"
    )
    run_worker()
    batch.refresh_from_db()
    assert batch.status == BatchPrint.Status.FINISHED
    assert not batch.output
    assert [f["reason"] for f in batch.failures] == ["no_signed_plan"]


@pytest.mark.django_db(transaction=True)
def test_a_crash_fails_the_batch_with_the_reason(clinic, clinic_admin, patient, monkeypatch):
    def crash(batch):
        raise RuntimeError("disk full")

    monkeypatch.setattr(batches, "_print", crash)
    batch = batches.batch_print_start(
        clinic=clinic, user=clinic_admin, patient_ids=[patient.pk], fmt="pdf"
    )
    run_worker()

    batch.refresh_from_db()
    assert batch.status == BatchPrint.Status.FAILED
    assert batch.error == "RuntimeError: disk full"
    assert DBTaskResult.objects.get(pk=batch.task_result_id).status == "FAILED"


# --- Starting, and the watch for dead workers.


def test_start_ignores_patients_of_another_clinic(
    clinic, clinic_admin, patient, other_clinic_patient
):
    stranger = other_clinic_patient
    batch = batches.batch_print_start(
        clinic=clinic, user=clinic_admin, patient_ids=[patient.pk, stranger.pk], fmt="pdf"
    )
    assert batch.patient_ids == [patient.pk]
    assert batch.total == 1
    assert batch.status == BatchPrint.Status.QUEUED
    with pytest.raises(ValidationError):
        batches.batch_print_start(
            clinic=clinic, user=clinic_admin, patient_ids=[stranger.pk], fmt="pdf"
        )
    with pytest.raises(ValidationError):
        batches.batch_print_start(
            clinic=clinic, user=clinic_admin, patient_ids=[patient.pk], fmt="docx"
        )


def test_a_batch_without_progress_is_failed_when_read(clinic, clinic_admin, patient):
    batch = batches.batch_print_start(
        clinic=clinic, user=clinic_admin, patient_ids=[patient.pk], fmt="pdf"
    )
    # The worker claimed it, then died without a word.
    BatchPrint.objects.filter(pk=batch.pk).update(
        status=BatchPrint.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=6)
    )
    batch = batches.batch_print_refresh(BatchPrint.objects.get(pk=batch.pk))
    assert batch.status == BatchPrint.Status.FAILED
    assert "the print worker stopped" in batch.error


def test_a_running_batch_with_a_recent_heartbeat_is_left_alone(clinic, clinic_admin, patient):
    batch = batches.batch_print_start(
        clinic=clinic, user=clinic_admin, patient_ids=[patient.pk], fmt="pdf"
    )
    BatchPrint.objects.filter(pk=batch.pk).update(
        status=BatchPrint.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(seconds=30)
    )
    batch.refresh_from_db()
    assert batches.batch_print_refresh(batch).status == BatchPrint.Status.RUNNING


def test_a_job_taken_by_a_worker_that_died_fails_the_batch(clinic, clinic_admin, patient):
    batch = batches.batch_print_start(
        clinic=clinic, user=clinic_admin, patient_ids=[patient.pk], fmt="pdf"
    )
    DBTaskResult.objects.filter(pk=batch.task_result_id).update(
        status="RUNNING", started_at=timezone.now() - timedelta(minutes=6)
    )
    batch = batches.batch_print_refresh(batch)
    assert batch.status == BatchPrint.Status.FAILED
    assert batch.error == "The print worker stopped before starting this batch."


def test_a_lost_task_fails_the_batch(clinic, clinic_admin, patient):
    batch = batches.batch_print_start(
        clinic=clinic, user=clinic_admin, patient_ids=[patient.pk], fmt="pdf"
    )
    DBTaskResult.objects.filter(pk=batch.task_result_id).delete()
    assert batches.batch_print_refresh(batch).status == BatchPrint.Status.FAILED


# --- Who may: clinic admins of the clinic only.


@pytest.fixture
def queued(clinic, clinic_admin, patient):
    return BatchPrintFactory(clinic=clinic, requested_by=clinic_admin, patient_ids=[patient.pk])


def urls_for(batch):
    return [
        f"/batch/{batch.pk}/",
        f"/batch/{batch.pk}/status.json",
        f"/batch/{batch.pk}/download/",
    ]


def test_therapists_get_403_in_their_own_clinic(therapist_client, clinic, queued):
    assert therapist_client.get(f"/batch/clinics/{clinic.pk}/new/").status_code == 403
    assert therapist_client.post(f"/batch/clinics/{clinic.pk}/new/").status_code == 403
    for url in urls_for(queued):
        assert therapist_client.get(url).status_code == 403, url


def test_another_clinic_is_404(client, clinic, other_clinic, other_clinic_admin, queued):
    client.force_login(other_clinic_admin)
    assert client.get(f"/batch/clinics/{clinic.pk}/new/").status_code == 404
    for url in urls_for(queued):
        assert client.get(url).status_code == 404, url
    # Their own clinic's page opens.
    assert client.get(f"/batch/clinics/{other_clinic.pk}/new/").status_code == 200


def test_the_status_json(admin_client_, queued, patient):
    data = admin_client_.get(f"/batch/{queued.pk}/status.json").json()
    assert data["status"] == "queued"
    assert (data["done"], data["total"], data["percent"]) == (0, 1, 0)
    assert data["is_over"] is False
    assert data["download_url"] is None
    BatchPrint.objects.filter(pk=queued.pk).update(
        status=BatchPrint.Status.FINISHED,
        done=1,
        failures=[{"patient_id": patient.pk, "name": "Maria Santos", "reason": "no_signed_plan"}],
    )
    data = admin_client_.get(f"/batch/{queued.pk}/status.json").json()
    assert data["percent"] == 100
    assert data["is_over"] is True
    assert data["nothing_printed"] is True
    assert data["failures"][0]["reason_display"] == "No signed care plan."
    assert "1 of 1 patient done, 0 printed." == data["summary"]


def test_the_status_json_logs_each_patient_it_names_once(admin_client_, queued, patient):
    url = f"/batch/{queued.pk}/status.json"
    admin_client_.get(url)
    assert not AccessLog.objects.filter(patient=patient).exists()
    BatchPrint.objects.filter(pk=queued.pk).update(
        failures=[{"patient_id": patient.pk, "name": "Maria Santos", "reason": "no_signed_plan"}]
    )
    admin_client_.get(url)
    admin_client_.get(url)  # polled again: not logged again
    assert AccessLog.objects.filter(patient=patient, action=AuditAction.LIST).count() == 1


def test_the_status_page_shows_the_progress_and_the_failures(admin_client_, queued, patient):
    BatchPrint.objects.filter(pk=queued.pk).update(
        status=BatchPrint.Status.RUNNING,
        heartbeat_at=timezone.now(),
        done=1,
        failures=[{"patient_id": patient.pk, "name": "Maria Santos", "reason": "file_missing"}],
    )
    html = admin_client_.get(f"/batch/{queued.pk}/").content.decode()
    assert 'aria-valuenow="100"' in html
    assert "The stored PDF of the signed plan is missing." in html
    assert "careplans/batch.js" in html
    assert "style=" not in html  # the Content-Security-Policy forbids style attributes


@pytest.mark.django_db(transaction=True)
def test_the_download_is_the_file_and_is_logged(admin_client_, clinic, clinic_admin, signed):
    ids = [p.pk for p in signed["patients"]] + [signed["unsigned"].pk]
    batch = batches.batch_print_start(clinic=clinic, user=clinic_admin, patient_ids=ids, fmt="zip")
    assert admin_client_.get(f"/batch/{batch.pk}/download/").status_code == 404  # not yet
    run_worker()
    response = admin_client_.get(f"/batch/{batch.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    batch.refresh_from_db()
    assert b"".join(response.streaming_content) == output_bytes(batch)
    logged = set(AccessLog.objects.filter(user=clinic_admin).values_list("patient_id", flat=True))
    assert logged == {p.pk for p in signed["patients"]}


# --- The selection page.


def review_due(patient, therapist, due_on) -> None:
    ReviewFactory(
        plan__assessment__patient=patient, plan__assessment__therapist=therapist, due_on=due_on
    )


def test_quick_picks_find_reviews_this_week_and_overdue(clinic, other_clinic, therapist):
    today = timezone.localdate()
    this_week = PatientFactory(clinic=clinic)
    late = PatientFactory(clinic=clinic)
    later = PatientFactory(clinic=clinic)
    elsewhere = PatientFactory(clinic=other_clinic)
    review_due(this_week, therapist, selectors.week_end(today))
    review_due(late, therapist, today - timedelta(days=3))
    review_due(later, therapist, selectors.week_end(today) + timedelta(days=1))
    review_due(elsewhere, therapist, today)
    assert list(selectors.patients_with_reviews(clinic, "week", today)) == [this_week]
    assert list(selectors.patients_with_reviews(clinic, "overdue", today)) == [late]


def test_the_selection_page_lists_one_page_of_patients(admin_client_, clinic, settings):
    settings.PATIENTS_PER_PAGE = 5
    PatientFactory.create_batch(12, clinic=clinic)
    html = admin_client_.get(f"/batch/clinics/{clinic.pk}/new/?pick=all").content.decode()
    assert html.count('name="tick"') == 5
    assert "12 patients listed" in html
    assert "Page 1 of 3" in html


def test_ticks_are_kept_across_pages_and_print_starts_a_batch(
    admin_client_, clinic, other_clinic_patient, settings
):
    settings.PATIENTS_PER_PAGE = 2
    a, b, c = (PatientFactory(clinic=clinic, last_name=n) for n in ("Adams", "Baker", "Clark"))
    stranger = other_clinic_patient
    url = f"/batch/clinics/{clinic.pk}/new/"
    response = admin_client_.post(
        url, {"shown": f"{a.pk},{b.pk}", "tick": [a.pk, stranger.pk], "go": "page=2"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}?page=2"
    html = admin_client_.get(f"{url}?page=2").content.decode()
    assert "Patients selected:" in html and 'data-testid="selected-count">1<' in html

    response = admin_client_.post(
        f"{url}?page=2", {"shown": f"{c.pk}", "tick": [c.pk], "action": "print", "format": "zip"}
    )
    batch = BatchPrint.objects.get()
    assert response["Location"] == f"/batch/{batch.pk}/"
    assert batch.patient_ids == [a.pk, c.pk]
    assert batch.format == "zip"
    # The selection is emptied once printed.
    assert 'data-testid="selected-count">0<' in admin_client_.get(url).content.decode()


def test_unticking_a_patient_on_the_page_removes_them(admin_client_, clinic):
    a, b = PatientFactory(clinic=clinic), PatientFactory(clinic=clinic)
    url = f"/batch/clinics/{clinic.pk}/new/"
    admin_client_.post(url, {"shown": f"{a.pk},{b.pk}", "tick": [a.pk, b.pk]})
    admin_client_.post(url, {"shown": f"{a.pk},{b.pk}", "tick": [b.pk], "action": "print"})
    assert BatchPrint.objects.get().patient_ids == [b.pk]


def test_select_all_takes_the_quick_pick(admin_client_, clinic, therapist):
    today = timezone.localdate()
    due = PatientFactory(clinic=clinic)
    PatientFactory(clinic=clinic)  # no review
    review_due(due, therapist, today - timedelta(days=1))
    url = f"/batch/clinics/{clinic.pk}/new/?pick=overdue"
    html = admin_client_.get(url).content.decode()
    assert "1 patient listed" in html
    admin_client_.post(url, {"shown": str(due.pk), "action": "add_all"})
    admin_client_.post(url, {"shown": str(due.pk), "tick": [due.pk], "action": "print"})
    assert BatchPrint.objects.get().patient_ids == [due.pk]


def test_printing_nothing_says_so(admin_client_, clinic):
    url = f"/batch/clinics/{clinic.pk}/new/"
    response = admin_client_.post(url, {"action": "print"}, follow=True)
    assert "Choose at least one patient." in response.content.decode()
    assert not BatchPrint.objects.exists()


def test_the_redirect_keeps_only_the_list_parameters(admin_client_, clinic):
    url = f"/batch/clinics/{clinic.pk}/new/"
    response = admin_client_.post(url, {"go": "page=2&next=//evil.example&q=ana"})
    assert response["Location"] == f"{url}?q=ana&page=2"
