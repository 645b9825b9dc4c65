import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from assessments.intake import intake_errors
from assessments.models import Assessment, DiaryEntry
from assessments.selectors import assessment_to_intake

DATA = Path(__file__).parent / "data"


def example() -> dict:
    return json.loads((DATA / "intake-example.json").read_text())


def upload(client, patient, content: bytes):
    return client.post(
        reverse("assessment_import", args=[patient.pk]),
        {"file": SimpleUploadedFile("intake.json", content, "application/json")},
    )


def test_import_then_export_gives_the_same_findings(therapist_client, patient):
    patient.anatomy = "vulva"
    patient.save()
    intake = example()
    intake["diary"] = [
        {"time": "2026-03-02T06:45", "event": "rise"},
        {"time": "2026-03-02T06:50", "event": "void", "volume_ml": 380, "urgency": 1},
        {"time": "2026-03-02T22:30", "event": "bed"},
    ]
    response = upload(therapist_client, patient, json.dumps(intake).encode())
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessment_detail", args=[assessment.pk])
    exported = therapist_client.get(reverse("assessment_export", args=[assessment.pk])).json()
    for section in ("symptoms", "exam", "hormonal", "history", "lifestyle", "questionnaires"):
        assert exported[section] == intake[section], section
    assert exported["red_flags"] == intake["red_flags"]
    assert exported["diary"] == intake["diary"]
    assert exported["patient"]["weight_kg"] == intake["patient"]["weight_kg"]
    assert assessment.iciq_ui_sf_total == 11


def test_a_bad_file_names_each_field_and_saves_nothing(therapist_client, patient):
    intake = example()
    intake["exam"]["oxford_grade"] = 9
    intake["exam"]["oxford"] = 3
    intake["diary"] = [{"time": "yesterday", "event": "void"}]
    response = upload(therapist_client, patient, json.dumps(intake).encode())
    assert response.status_code == 200
    fields = [e.field for e in response.context["errors"]]
    assert "exam.oxford_grade" in fields and "exam.oxford" in fields
    assert not Assessment.objects.exists()


def test_a_bad_diary_row_is_named_and_nothing_is_saved(therapist_client, patient):
    intake = example()
    intake["diary"] = [
        {"time": "2026-03-02T06:45", "event": "rise"},
        {"time": "x", "event": "void"},
    ]
    response = upload(therapist_client, patient, json.dumps(intake).encode())
    messages = " ".join(e.message for e in response.context["errors"])
    assert "Line 3" in messages
    assert not Assessment.objects.exists() and not DiaryEntry.objects.exists()


@pytest.mark.parametrize("content", [b"", b"{", b"\xff\xfe", b"[]", b'{"schema": 1}', b"null"])
def test_garbage_is_refused_without_a_server_error(therapist_client, patient, content):
    response = upload(therapist_client, patient, content)
    assert response.status_code == 200
    assert response.context["errors"] or response.context["form"].errors
    assert not Assessment.objects.exists()


def test_import_checks_clinic_membership(outsider_client, patient):
    response = upload(outsider_client, patient, json.dumps(example()).encode())
    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_export_checks_clinic_membership(outsider_client, assessment):
    assert (
        outsider_client.get(reverse("assessment_export", args=[assessment.pk])).status_code == 404
    )


def test_export_is_a_valid_intake(assessment):
    assessment.urgency = True
    assessment.weight_kg = 70
    assessment.save()
    assert intake_errors(assessment_to_intake(assessment)) == []


def test_import_intake_command(tmp_path, patient, therapist, clinic):
    intake = example()
    intake["diary"] = "diary.csv"
    (tmp_path / "intake.json").write_text(json.dumps(intake))
    (tmp_path / "diary.csv").write_text(
        "time,event,volume_ml,urgency,note\n2026-03-02T06:45,rise,,,\n2026-03-02T06:50,void,380,1,\n"
    )
    call_command(
        "import_intake",
        str(tmp_path / "intake.json"),
        patient=patient.record_number,
        clinic=clinic.pk,
        therapist=therapist.username,
    )
    assessment = Assessment.objects.get()
    assert assessment.diary_entries.count() == 2
    assert assessment.stress_leak_triggers == ["cough", "sneeze", "lift"]


def test_import_intake_command_exits_2_naming_the_field(
    tmp_path, patient, therapist, clinic, capsys
):
    intake = example()
    intake["patient"]["age"] = 7
    (tmp_path / "intake.json").write_text(json.dumps(intake))
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "import_intake",
            str(tmp_path / "intake.json"),
            patient=patient.record_number,
            clinic=clinic.pk,
            therapist=therapist.username,
        )
    assert exit_.value.code == 2
    assert "patient.age" in capsys.readouterr().err
    assert not Assessment.objects.exists()


# --- intake-v1 additions (2026-12-01): treatment and cancer history, anatomy unspecified ---

NEW_HISTORY = {
    "bladder_training_weeks_tried": 6,
    "oab_medication_tried": False,
    "hormone_sensitive_cancer": True,
    "aromatase_inhibitor": True,
}


def selected(html: str, name: str) -> str:
    """The value selected in the form's <select name=...>."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, name
    option = re.search(r'<option value="([^"]*)" selected', select.group(0))
    return option.group(1) if option else ""


def test_the_new_history_fields_round_trip(therapist_client, patient):
    intake = example()
    intake["history"].update(NEW_HISTORY)
    upload(therapist_client, patient, json.dumps(intake).encode())
    assessment = Assessment.objects.get()

    exported = therapist_client.get(reverse("assessment_export", args=[assessment.pk])).json()
    assert exported["history"] == intake["history"]
    # The therapist sees them on the intake page: a "no" is a no, not "not assessed".
    html = therapist_client.get(reverse("assessment_edit", args=[assessment.pk])).content.decode()
    assert selected(html, "oab_medication_tried") == "false"
    assert selected(html, "hormone_sensitive_cancer") == "true"
    assert selected(html, "aromatase_inhibitor") == "true"
    assert re.search(r'name="bladder_training_weeks_tried" value="6"', html)


def test_an_older_intake_file_still_imports_and_means_not_assessed(therapist_client, patient):
    intake = example()  # the contract's example predates the additions
    assert not set(NEW_HISTORY) & set(intake["history"])
    assert intake_errors(intake) == []

    response = upload(therapist_client, patient, json.dumps(intake).encode())
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessment_detail", args=[assessment.pk])
    assert {name: getattr(assessment, name) for name in NEW_HISTORY} == dict.fromkeys(NEW_HISTORY)

    exported = therapist_client.get(reverse("assessment_export", args=[assessment.pk])).json()
    assert exported["history"] == intake["history"]  # nothing read as "no" on the way
    html = therapist_client.get(reverse("assessment_edit", args=[assessment.pk])).content.decode()
    for name in ("oab_medication_tried", "hormone_sensitive_cancer", "aromatase_inhibitor"):
        assert selected(html, name) == "unknown", name  # "Not assessed"


def test_an_unspecified_anatomy_exports_as_a_valid_intake(therapist_client, patient):
    patient.anatomy = "unspecified"
    patient.save()
    upload(therapist_client, patient, json.dumps(example()).encode())
    assessment = Assessment.objects.get()

    exported = therapist_client.get(reverse("assessment_export", args=[assessment.pk])).json()
    assert exported["patient"]["anatomy"] == "unspecified"
    assert intake_errors(exported) == []
