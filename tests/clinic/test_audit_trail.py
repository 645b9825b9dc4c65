"""Every read of patient data and every clinical action leaves an audit row: who, in which
role, what, on which patient of which clinic, with the search typed."""

import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import DiaryEntry
from careplans.models import BatchPrint
from clinic.access import log_access
from clinic.models import AccessLog, AuditAction, Membership, Patient, Role
from tests.factories import (
    AssessmentFactory,
    BatchPrintFactory,
    CarePlanFactory,
    DiaryEntryFactory,
    PatientFactory,
    ReviewFactory,
)

# The sample plan breaks a safety rule: it is signed with a reason.
SIGNING_REASON = "Discussed with the patient"
INTAKE = Path(__file__).parent.parent / "assessments" / "data" / "intake-example.json"


@pytest.fixture(autouse=True)
def file_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


def new_rows(action, *, status=(200, 302)) -> list[AccessLog]:
    """The audit rows the request made by ``action()`` wrote."""
    last = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = action()
    assert response.status_code in status, response.status_code
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return list(AccessLog.objects.filter(pk__gt=last).order_by("pk"))


def one_row(action) -> AccessLog:
    rows = new_rows(action)
    assert len(rows) == 1, [r.what for r in rows]
    return rows[0]


@pytest.fixture
def visit(patient, therapist):
    assessment = AssessmentFactory(patient=patient, therapist=therapist, complete=True)
    DiaryEntryFactory(assessment=assessment, event=DiaryEntry.Event.RISE)
    DiaryEntryFactory(assessment=assessment)
    return assessment


@pytest.fixture
def draft(patient, therapist):
    return AssessmentFactory(patient=patient, therapist=therapist)


@pytest.fixture
def plan(visit, therapist):
    return CarePlanFactory(assessment=visit, with_items=True)


# --- Reads of one patient's record ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "action"),
    [
        ("patient_detail", "patient", AuditAction.VIEW),
        ("patient_edit", "patient", AuditAction.VIEW),
        ("patient_progress", "patient", AuditAction.VIEW),
        ("patient_progress_chart", "patient", AuditAction.VIEW),
        ("patient_outcomes_csv", "patient", AuditAction.EXPORT),
        ("assessment_import", "patient", AuditAction.VIEW),
        ("assessment_detail", "visit", AuditAction.VIEW),
        ("assessment_export", "visit", AuditAction.EXPORT),
        ("assessment_questionnaires", "visit", AuditAction.VIEW),
        ("assessment_diary", "visit", AuditAction.VIEW),
        ("assessment_edit", "draft", AuditAction.VIEW),
        ("plan_detail", "plan", AuditAction.VIEW),
    ],
)
def test_each_page_of_a_record_writes_one_row(
    therapist_client, therapist, clinic, patient, visit, draft, plan, name, args, action
):
    target = {"patient": patient, "visit": visit, "draft": draft, "plan": plan}[args]
    row = one_row(lambda: therapist_client.get(reverse(name, args=[target.pk])))
    assert (row.user, row.patient, row.clinic, row.role, row.action) == (
        therapist,
        patient,
        clinic,
        Role.THERAPIST,
        action,
    )
    assert row.path == reverse(name, args=[target.pk])


def test_a_diary_chart_writes_a_row(therapist_client, patient, visit):
    url = reverse("assessment_diary_chart", args=[visit.pk, 1])
    row = one_row(lambda: therapist_client.get(url))
    assert (row.patient, row.action, row.what) == (
        patient,
        AuditAction.VIEW,
        "Opened a bladder diary chart",
    )


@pytest.mark.parametrize(
    ("kind", "fmt", "action"),
    [
        ("patient", "html", AuditAction.VIEW),
        ("clinician", "pdf", AuditAction.PRINT),
        ("referral", "html", AuditAction.REFERRAL),
    ],
)
def test_plan_documents_write_a_row(therapist_client, patient, plan, kind, fmt, action):
    url = reverse("plan_document", args=[plan.pk, kind, fmt])
    row = one_row(lambda: therapist_client.get(url))
    assert (row.patient, row.action) == (patient, action)


def test_a_404_writes_nothing(outsider_client, patient):
    url = reverse("patient_detail", args=[patient.pk])
    assert not new_rows(lambda: outsider_client.get(url), status=(404,))


# --- Lists and searches ---------------------------------------------------------------------


def test_a_search_writes_a_row_per_patient_shown_with_the_query(
    therapist_client, therapist, clinic, patient
):
    other = PatientFactory(clinic=clinic, last_name="Santana")
    PatientFactory(clinic=clinic, last_name="Jones")
    rows = new_rows(lambda: therapist_client.get(reverse("patient_list"), {"q": "sant"}))
    assert {r.patient for r in rows} == {patient, other}
    assert {(r.action, r.query, r.role, r.clinic) for r in rows} == {
        (AuditAction.LIST, "sant", Role.THERAPIST, clinic)
    }


def test_a_search_finding_nobody_writes_one_clinic_row(therapist_client, clinic, patient):
    row = one_row(lambda: therapist_client.get(reverse("patient_list"), {"q": "nobody"}))
    assert (row.patient, row.clinic, row.action, row.query) == (
        None,
        clinic,
        AuditAction.LIST,
        "nobody",
    )


def test_the_dashboard_writes_a_row_per_patient_named(admin_client_, clinic, therapist):
    overdue = PatientFactory(clinic=clinic, assigned_therapist=therapist)
    ReviewFactory(
        patient=overdue, plan__assessment__patient=overdue, plan__assessment__therapist=therapist
    )
    PatientFactory(clinic=clinic)  # named nowhere on the page
    rows = new_rows(lambda: admin_client_.get(reverse("home")))
    assert {(r.patient, r.action, r.role) for r in rows} == {
        (overdue, AuditAction.LIST, Role.CLINIC_ADMIN)
    }


def test_the_export_writes_one_row_per_exported_patient(admin_client_, clinic, patient):
    others = PatientFactory.create_batch(3, clinic=clinic, last_name="Santos")
    PatientFactory(clinic=clinic, last_name="Jones")
    rows = new_rows(lambda: admin_client_.get(reverse("patient_export"), {"q": "santos"}))
    assert sorted(r.patient_id for r in rows) == sorted(p.pk for p in [patient, *others])
    assert {(r.action, r.query, r.role, r.what) for r in rows} == {
        (AuditAction.EXPORT, "santos", Role.CLINIC_ADMIN, "Exported the patient list as CSV")
    }


def test_an_empty_export_writes_one_clinic_row(admin_client_, clinic):
    row = one_row(lambda: admin_client_.get(reverse("patient_export"), {"q": "nobody"}))
    assert (row.patient, row.clinic, row.action) == (None, clinic, AuditAction.EXPORT)


def test_the_batch_page_writes_a_row_per_patient_listed(admin_client_, clinic, patient):
    url = reverse("batch_print_new", args=[clinic.pk])
    rows = new_rows(lambda: admin_client_.get(url, {"pick": "all", "q": "santos"}))
    assert [(r.patient, r.action, r.query) for r in rows] == [(patient, AuditAction.LIST, "santos")]


def test_starting_a_batch_print_writes_a_row_per_patient(admin_client_, clinic, patient):
    other = PatientFactory(clinic=clinic)
    url = reverse("batch_print_new", args=[clinic.pk])
    rows = new_rows(
        lambda: admin_client_.post(
            url, {"tick": f"{patient.pk},{other.pk}", "action": "print", "format": "pdf"}
        )
    )
    printed = [r for r in rows if r.action == AuditAction.BATCH_PRINT]
    assert {r.patient for r in printed} == {patient, other}


def test_the_batch_status_page_and_download_write_rows(
    admin_client_, clinic, clinic_admin, patient
):
    left_out = PatientFactory(clinic=clinic)
    batch = BatchPrintFactory(
        clinic=clinic,
        requested_by=clinic_admin,
        patient_ids=[patient.pk, left_out.pk],
        status=BatchPrint.Status.FINISHED,
        failures=[{"patient_id": left_out.pk, "name": "", "reason": "no_signed_plan"}],
        output=ContentFile(b"%PDF-1.7", name="batch.pdf"),
    )
    status = new_rows(lambda: admin_client_.get(reverse("batch_print_status", args=[batch.pk])))
    assert [(r.patient, r.action) for r in status] == [(left_out, AuditAction.LIST)]
    download = new_rows(lambda: admin_client_.get(reverse("batch_print_download", args=[batch.pk])))
    assert [(r.patient, r.action) for r in download] == [(patient, AuditAction.PRINT)]


# --- Clinical actions -----------------------------------------------------------------------


def test_signing_records_the_signers_role(therapist_client, therapist, patient, plan):
    url = reverse("plan_sign", args=[plan.pk])
    rows = new_rows(lambda: therapist_client.post(url, {"reason": SIGNING_REASON}))
    plan.refresh_from_db()
    assert plan.is_signed
    signed = [r for r in rows if r.action == AuditAction.SIGN]
    assert [(r.user, r.patient, r.role) for r in signed] == [(therapist, patient, Role.THERAPIST)]


def test_a_clinic_admin_who_also_treats_signs_as_therapist(
    admin_client_, clinic_admin, patient, plan
):
    Membership.objects.filter(user=clinic_admin).update(also_therapist=True)
    url = reverse("plan_sign", args=[plan.pk])
    rows = new_rows(lambda: admin_client_.post(url, {"reason": SIGNING_REASON}))
    signed = [r for r in rows if r.action == AuditAction.SIGN]
    assert [(r.user, r.role) for r in signed] == [(clinic_admin, Role.THERAPIST)]
    # Their other rows keep the role they hold: clinic admin.
    assert {r.role for r in rows if r.action != AuditAction.SIGN} <= {Role.CLINIC_ADMIN}


def test_a_new_version_writes_a_row(therapist_client, patient, visit):
    signed = CarePlanFactory(assessment=visit, with_items=True, status="signed")
    rows = new_rows(lambda: therapist_client.post(reverse("plan_new_version", args=[signed.pk])))
    assert [(r.patient, r.action) for r in rows] == [(patient, AuditAction.NEW_VERSION)]


def test_editing_a_plan_writes_an_edit_row(therapist_client, patient, plan):
    url = reverse("plan_note", args=[plan.pk])
    rows = new_rows(lambda: therapist_client.post(url, {"personal_note": "Walk daily"}))
    assert [(r.patient, r.action) for r in rows] == [(patient, AuditAction.EDIT)]


def test_recording_a_referral_writes_a_row(therapist_client, patient, visit):
    url = reverse("assessment_referral", args=[visit.pk])
    rows = new_rows(lambda: therapist_client.post(url, {"note": "GP letter sent today"}))
    assert [(r.patient, r.action) for r in rows] == [(patient, AuditAction.REFERRAL)]


def test_editing_patient_details_writes_an_edit_row(therapist_client, clinic, patient):
    url = reverse("patient_edit", args=[patient.pk])
    data = {
        "clinic": clinic.pk,
        "record_number": patient.record_number,
        "first_name": "Maria",
        "last_name": "Santos-Lee",
        "date_of_birth": "1970-05-17",
        "anatomy": patient.anatomy,
        "preferred_language": "en",
    }
    rows = new_rows(lambda: therapist_client.post(url, data))
    assert Patient.objects.get(pk=patient.pk).last_name == "Santos-Lee"
    assert [r.action for r in rows] == [AuditAction.VIEW, AuditAction.EDIT]


@pytest.mark.parametrize(
    ("name", "action"),
    [("patient_archive", AuditAction.ARCHIVE), ("patient_restore", AuditAction.RESTORE)],
)
def test_archive_and_restore_write_a_row(admin_client_, clinic_admin, patient, name, action):
    row = one_row(lambda: admin_client_.post(reverse(name, args=[patient.pk])))
    assert (row.user, row.patient, row.action, row.role) == (
        clinic_admin,
        patient,
        action,
        Role.CLINIC_ADMIN,
    )


def test_importing_an_intake_writes_an_import_row(therapist_client, patient):
    upload = SimpleUploadedFile("intake.json", INTAKE.read_bytes(), content_type="application/json")
    url = reverse("assessment_import", args=[patient.pk])
    rows = new_rows(lambda: therapist_client.post(url, {"file": upload}))
    assert [(r.patient, r.action) for r in rows] == [(patient, AuditAction.IMPORT)]


def test_importing_patients_writes_an_import_row(admin_client_, clinic):
    data = b"record_number,first_name,last_name,date_of_birth,anatomy,therapist\n"
    data += b"N1,Ana,Lopez,1984-06-30,vulva,\n"
    file = SimpleUploadedFile("patients.csv", data, content_type="text/csv")
    preview = admin_client_.post(reverse("patient_import", args=[clinic.pk]), {"file": file})
    token = admin_client_.get(preview["Location"]).context["token"]
    url = reverse("patient_import_confirm", args=[clinic.pk, token])
    row = one_row(lambda: admin_client_.post(url))
    assert (row.patient, row.clinic, row.action, row.role) == (
        None,
        clinic,
        AuditAction.IMPORT,
        Role.CLINIC_ADMIN,
    )
    assert json.dumps(row.what) and "1" in row.what


def test_diary_changes_write_edit_rows(therapist_client, patient, draft):
    url = reverse("assessment_diary", args=[draft.pk])
    rows = new_rows(
        lambda: therapist_client.post(
            url, {"time": "2026-03-03 07:30", "event": "drink", "volume_ml": 200}
        )
    )
    assert DiaryEntry.objects.filter(assessment=draft).exists()
    assert [r.action for r in rows] == [AuditAction.VIEW, AuditAction.EDIT]


# --- The helper -----------------------------------------------------------------------------


def test_many_patients_are_logged_in_one_insert(
    rf, therapist, clinic, other_clinic, other_clinic_patient, django_assert_num_queries
):
    patients = PatientFactory.create_batch(30, clinic=clinic)
    request = rf.get("/patients/?q=x")
    request.user = therapist
    del request.META["REMOTE_ADDR"]  # no address known: stored as none
    ids = [p.pk for p in patients] + [other_clinic_patient.pk]
    with django_assert_num_queries(2):  # the user's memberships, the INSERT ... SELECT
        log_access(request, None, "Listed", patient_ids=ids, action=AuditAction.LIST)
    rows = AccessLog.objects.all()
    assert rows.count() == 31
    assert {(r.clinic_id, r.role, r.ip_address) for r in rows if r.patient_id != ids[-1]} == {
        (clinic.pk, Role.THERAPIST, None)
    }
    # A patient of a clinic the user has no role in gets a row with no role, never another's.
    assert rows.get(patient_id=ids[-1]).role == ""
