"""The FHIR R4 export (issue 15) from the database: `manage.py export_fhir` and the patient
and plan pages' downloads, read back as a receiving system would read the bundle."""

from __future__ import annotations

import base64
import hashlib
import json
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from assessments import wallclock
from assessments.models import DiaryEntry
from assessments.services.intake_import import intake_import
from careplans import rules, services
from careplans.models import CarePlan, PlanStatus
from careplans.services import visit_complete
from careplans.services.library import library_install
from clinic.models import AccessLog, AuditAction, Patient
from tests.careplans.conftest import example_intake
from tests.factories import AssessmentFactory, PatientFactory, SignedCarePlanFactory

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
BASE = settings.FLOORPLAN_FHIR_BASE
PLAN_ITEM = f"{BASE}/CodeSystem/plan-item"
DIARY_EVENT = f"{BASE}/CodeSystem/diary-event"


# --- Reading a bundle, as a receiving system would ------------------------------------


def export(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("export_fhir", *args, stdout=out)
    return json.loads(out.getvalue())


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def the(bundle: dict[str, Any], kind: str) -> dict[str, Any]:
    (resource,) = resources(bundle, kind)
    return resource


def resolve(bundle: dict[str, Any], reference: dict[str, str]) -> dict[str, Any]:
    found = [e["resource"] for e in bundle["entry"] if e["fullUrl"] == reference["reference"]]
    assert len(found) == 1, reference
    return found[0]


def codings(concept: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


def item_code(activity: dict[str, Any]) -> str:
    (coding,) = activity["detail"]["code"]["coding"]
    assert coding["system"] == PLAN_ITEM
    return coding["code"]


def activity_of(bundle: dict[str, Any], code: str) -> dict[str, Any]:
    (found,) = [a for a in the(bundle, "CarePlan")["activity"] if item_code(a) == code]
    return found["detail"]


def dosing_of(detail: dict[str, Any]) -> dict[str, int | float]:
    (dosing,) = [e for e in detail["extension"] if e["url"].endswith("/dosing")]
    return {e["url"]: e.get("valueInteger", e.get("valueDecimal")) for e in dosing["extension"]}


def is_diary_event(observation: dict[str, Any]) -> bool:
    code = codings(observation["code"])
    standard = {(LOINC, "9187-6"), (LOINC, "8999-5"), (SNOMED, "162172004")}
    return bool(code & standard) or any(system == DIARY_EVENT for system, _ in code)


def exports() -> list[AccessLog]:
    return list(AccessLog.objects.filter(action=AuditAction.EXPORT).order_by("pk"))


def stored_bytes(plan: CarePlan) -> bytes:
    with plan.pdf.storage.open(plan.pdf.name, "rb") as f:
        return f.read()


def alter_stored_pdf(plan: CarePlan) -> None:
    with plan.pdf.storage.open(plan.pdf.name, "wb") as f:
        f.write(stored_bytes(plan) + b"\n% changed after signing\n")


# --- The demo clinic ------------------------------------------------------------------


@pytest.fixture
def demo_plan(db, media_root) -> CarePlan:
    """The demo clinic as `make run` serves it (tests/practice/test_demo.py): its signed
    plan, rendered and stored for real."""
    call_command("loaddata", "fixtures/demo_clinic.json", verbosity=0)
    call_command("load_library", stdout=StringIO())
    call_command("load_demo_story", stdout=StringIO())
    return CarePlan.objects.get(status=PlanStatus.SIGNED)


def test_every_demo_patient_exports_a_valid_bundle(demo_plan):
    patients = list(Patient.objects.order_by("pk"))
    assert len(patients) > 10
    for patient in patients:
        bundle = export(str(patient.pk))
        Bundle.model_validate(bundle)
        assert bundle["type"] == "collection"
        (identifier,) = the(bundle, "Patient")["identifier"]
        assert identifier["value"] == patient.record_number


def test_every_item_of_the_signed_demo_plan_is_an_activity_with_its_reasons(demo_plan):
    bundle = export(str(demo_plan.patient_id))
    items = list(demo_plan.items.filter(removed=False).order_by("position"))
    care_plan = the(bundle, "CarePlan")
    assert care_plan["status"] == "active" and care_plan["intent"] == "plan"
    activities = care_plan["activity"]
    assert [item_code(a) for a in activities] == [item.code for item in items]
    for item, activity in zip(items, activities, strict=True):
        detail = activity["detail"]
        assert detail["code"]["coding"][0]["display"] == item.title
        assert detail["status"] == ("scheduled" if item.phase == 1 else "not-started")
        assert detail["reasonReference"], item.code
        for reference in detail["reasonReference"]:
            observation = resolve(bundle, reference)
            assert observation["resourceType"] == "Observation"
            assert resolve(bundle, observation["subject"])["resourceType"] == "Patient"


def test_the_document_reference_carries_the_stored_pdf_and_its_hashes(demo_plan):
    bundle = export(str(demo_plan.patient_id))
    stored = stored_bytes(demo_plan)
    assert hashlib.sha256(stored).hexdigest() == demo_plan.pdf_sha256
    document = the(bundle, "DocumentReference")
    (content,) = document["content"]
    attachment = content["attachment"]
    assert attachment["contentType"] == "application/pdf"
    assert base64.b64decode(attachment["data"]) == stored
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(stored).digest()).decode()
    assert [i["value"] for i in document["identifier"]] == [demo_plan.pdf_sha256]
    (related,) = document["context"]["related"]
    assert resolve(bundle, related) == the(bundle, "CarePlan")


def test_every_diary_entry_is_an_observation_with_the_standard_codes(demo_plan):
    bundle = export(str(demo_plan.patient_id))
    entries = list(demo_plan.assessment.diary_entries.order_by("time", "pk"))
    observations = [o for o in resources(bundle, "Observation") if is_diary_event(o)]
    assert len(observations) == len(entries) == 17
    kinds = {entry.event for entry in entries}
    assert {"void", "drink", "leak"} <= kinds
    for entry, observation in zip(entries, observations, strict=True):
        # Diary times are the clinic's wall clock: kept as written, with an offset.
        at = wallclock.from_db(entry.time).isoformat(timespec="seconds")
        assert observation["effectiveDateTime"][:19] == at
        code = codings(observation["code"])
        if entry.event == DiaryEntry.Event.VOID:
            assert (LOINC, "9187-6") in code
        elif entry.event == DiaryEntry.Event.DRINK:
            assert (LOINC, "8999-5") in code
        elif entry.event == DiaryEntry.Event.LEAK:
            assert {(SNOMED, "162172004"), (LOINC, "28232-7")} <= code
        else:
            assert code == {(DIARY_EVENT, entry.event)}
        if entry.volume_ml is not None:
            assert observation["valueQuantity"] == {
                "value": entry.volume_ml,
                "unit": "mL",
                "system": UCUM,
                "code": "mL",
            }
        else:
            assert "valueQuantity" not in observation


# --- The plan as it stands ------------------------------------------------------------


@pytest.fixture
def edited_and_signed(db, media_root, clinic, patient, therapist) -> CarePlan:
    """The example intake's plan, with the caffeine advice removed and the breathing's
    dose changed by the therapist, then signed (rendered for real)."""
    library_install(clinic=clinic)
    assessment = intake_import(patient=patient, intake=example_intake(), therapist=therapist)
    assessment = visit_complete(assessment=assessment, user=therapist)
    plan = services.careplan_build(assessment=assessment, user=therapist)
    services.careplan_item_remove(item=plan.items.get(code="lifestyle.caffeine"))
    services.careplan_item_update(
        item=plan.items.get(code="relaxation.diaphragmatic_breathing"),
        phase=1,
        dosing={"minutes": 10, "times_per_day": 3},
    )
    return services.careplan_sign(plan=plan, user=therapist)


def test_a_removed_item_is_not_exported(edited_and_signed):
    bundle = export(str(edited_and_signed.patient_id))
    codes = [item_code(a) for a in the(bundle, "CarePlan")["activity"]]
    assert "lifestyle.caffeine" in [i["code"] for i in edited_and_signed.built["items"]]
    assert "lifestyle.caffeine" not in codes
    standing = edited_and_signed.items.filter(removed=False).order_by("position")
    assert codes == [item.code for item in standing]


def test_a_phase_two_item_is_not_started_with_its_hold_reason(edited_and_signed):
    bundle = export(str(edited_and_signed.patient_id))
    held = edited_and_signed.items.get(code="strengthening.pfmt")
    assert held.phase == 2 and held.hold_reason
    detail = activity_of(bundle, "strengthening.pfmt")
    assert detail["status"] == "not-started"
    assert detail["statusReason"]["text"] == held.hold_reason
    assert activity_of(bundle, "relaxation.down_training")["status"] == "scheduled"


def test_the_therapists_dose_is_exported_not_the_builders(edited_and_signed):
    bundle = export(str(edited_and_signed.patient_id))
    (built,) = [
        i
        for i in edited_and_signed.built["items"]
        if i["code"] == "relaxation.diaphragmatic_breathing"
    ]
    assert built["dosing"] == {"minutes": 5, "times_per_day": 2}
    detail = activity_of(bundle, "relaxation.diaphragmatic_breathing")
    assert dosing_of(detail) == {"minutes": 10, "times_per_day": 3}
    assert "10 minutes" in detail["description"]
    assert "3 times a day" in detail["description"]
    assert detail["scheduledTiming"]["repeat"]["frequency"] == 3


# --- Scoping and audit ----------------------------------------------------------------


@pytest.fixture
def signed_plan(media_root, patient, therapist) -> CarePlan:
    """A signed plan of `patient` whose stored PDF is the factories' sample."""
    return SignedCarePlanFactory(
        assessment__patient=patient, assessment__therapist=therapist, with_items=True
    )


def test_the_command_refuses_a_patient_of_another_clinic(signed_plan, outsider):
    out = StringIO()
    with pytest.raises(CommandError, match="PATIENT_ID"):
        call_command("export_fhir", str(signed_plan.patient_id), "--user", "omar", stdout=out)
    assert out.getvalue() == ""
    assert exports() == []


def test_the_command_refuses_an_assessment_of_another_patient(signed_plan, clinic):
    someone_else = AssessmentFactory(patient=PatientFactory(clinic=clinic), complete=True)
    out = StringIO()
    with pytest.raises(CommandError, match="--assessment"):
        call_command(
            "export_fhir",
            str(signed_plan.patient_id),
            "--assessment",
            str(someone_else.pk),
            stdout=out,
        )
    assert out.getvalue() == ""
    assert exports() == []


def test_each_command_export_is_logged(signed_plan, patient, therapist):
    export(str(patient.pk), "--user", "tess")
    (row,) = exports()
    assert (row.user, row.username, row.patient) == (therapist, "tess", patient)
    assert row.clinic_id == patient.clinic_id

    export(str(patient.pk))
    first, second = exports()
    assert first == row
    assert (second.user, second.username, second.patient) == (None, "manage.py", patient)


def test_the_therapist_downloads_the_bundle_from_both_pages(therapist_client, signed_plan, patient):
    urls = [
        reverse("patient_fhir_export", args=[patient.pk]),
        reverse("plan_fhir_export", args=[signed_plan.pk]),
    ]
    for n, url in enumerate(urls, start=1):
        response = therapist_client.post(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/fhir+json"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert f'filename="floorplan-{patient.record_number}-fhir.json"' in disposition
        bundle = json.loads(response.content)
        Bundle.model_validate(bundle)
        assert the(bundle, "CarePlan")["identifier"][0]["value"] == str(signed_plan.pk)
        assert len(exports()) == n
        assert exports()[-1].patient == patient


def test_a_get_exports_nothing(therapist_client, signed_plan, patient):
    # A link from elsewhere must not download a record (and write its audit row).
    for url in (
        reverse("patient_fhir_export", args=[patient.pk]),
        reverse("plan_fhir_export", args=[signed_plan.pk]),
    ):
        assert therapist_client.get(url).status_code == 405
    assert exports() == []


def test_an_outsider_gets_404_for_both_exports(outsider_client, signed_plan, patient):
    for url in (
        reverse("patient_fhir_export", args=[patient.pk]),
        reverse("plan_fhir_export", args=[signed_plan.pk]),
    ):
        assert outsider_client.post(url).status_code == 404
    assert exports() == []


def test_the_patient_and_plan_pages_offer_the_export(therapist_client, signed_plan, patient):
    pages = {
        reverse("patient_detail", args=[patient.pk]): reverse(
            "patient_fhir_export", args=[patient.pk]
        ),
        reverse("plan_detail", args=[signed_plan.pk]): reverse(
            "plan_fhir_export", args=[signed_plan.pk]
        ),
    }
    for page, export_url in pages.items():
        html = therapist_client.get(page).content.decode()
        assert f'action="{export_url}"' in html
        assert "FHIR export" in html


# --- An altered stored PDF ------------------------------------------------------------


def test_the_command_refuses_an_altered_stored_pdf(signed_plan, patient):
    alter_stored_pdf(signed_plan)
    out = StringIO()
    with pytest.raises(CommandError, match="stored PDF"):
        call_command("export_fhir", str(patient.pk), stdout=out)
    assert out.getvalue() == ""
    assert exports() == []


def test_the_pages_send_an_altered_stored_pdf_back_with_the_reason(
    therapist_client, signed_plan, patient
):
    alter_stored_pdf(signed_plan)
    pages = {
        reverse("patient_fhir_export", args=[patient.pk]): reverse(
            "patient_detail", args=[patient.pk]
        ),
        reverse("plan_fhir_export", args=[signed_plan.pk]): reverse(
            "plan_detail", args=[signed_plan.pk]
        ),
    }
    for url, back in pages.items():
        response = therapist_client.post(url, follow=True)
        assert response.redirect_chain == [(back, 302)]
        assert "stored PDF no longer matches" in response.content.decode()
    assert exports() == []


# --- Which plan a bundle carries -------------------------------------------------------


def test_the_patient_export_carries_the_signed_plan_and_the_plan_page_its_draft(
    therapist_client, signed_plan, patient, therapist
):
    draft = services.careplan_new_version(plan=signed_plan, user=therapist)
    dropped = draft.items.exclude(code__in=rules.SAFETY_CODES).order_by("position").first()
    services.careplan_item_remove(item=dropped)
    assert draft.version == 2 and draft.status == PlanStatus.DRAFT

    for bundle in (
        export(str(patient.pk)),
        json.loads(
            therapist_client.post(reverse("patient_fhir_export", args=[patient.pk])).content
        ),
    ):
        care_plan = the(bundle, "CarePlan")
        assert care_plan["identifier"][0]["value"] == str(signed_plan.pk)
        assert care_plan["status"] == "active"
        assert dropped.code in [item_code(a) for a in care_plan["activity"]]
        assert len(resources(bundle, "DocumentReference")) == 1

    response = therapist_client.post(reverse("plan_fhir_export", args=[draft.pk]))
    bundle = json.loads(response.content)
    Bundle.model_validate(bundle)
    care_plan = the(bundle, "CarePlan")
    assert care_plan["identifier"][0]["value"] == str(draft.pk)
    assert care_plan["status"] == "draft"
    assert dropped.code not in [item_code(a) for a in care_plan["activity"]]
    assert resources(bundle, "DocumentReference") == []
