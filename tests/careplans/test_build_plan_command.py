import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from careplans import rules
from tests.careplans.conftest import DATA, EXAMPLE, example_intake
from tests.careplans.test_documents import text_of

EMERGENCY = DATA / "emergency-saddle.json"
URGENT = DATA / "urgent-haematuria.json"
NO_REFERRAL = DATA / "postpartum-penetration-pain.json"


def run(*args) -> str:
    out = StringIO()
    call_command("build_plan", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_with_stderr(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("build_plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_the_same_plan_as_the_builder():
    printed = json.loads(run(str(EXAMPLE)))
    assert printed == rules.build_plan(example_intake())
    assert printed == rules.build(example_intake()).plan
    assert printed["schema"] == "pelvic-careplan/1"
    assert printed["referral_urgency"] is None


def test_it_is_deterministic():
    assert run(str(EXAMPLE)) == run(str(EXAMPLE))


def test_it_reads_the_diary_next_to_the_intake(tmp_path):
    intake = example_intake()
    intake["diary"] = "diary.csv"
    (tmp_path / "intake.json").write_text(json.dumps(intake))
    (tmp_path / "diary.csv").write_text(
        "time,event,volume_ml,urgency,note\n"
        "2026-03-02T06:45,rise,,,\n2026-03-02T06:50,void,380,1,\n"
        "2026-03-02T08:20,void,200,2,\n2026-03-02T22:30,bed,,,\n"
    )
    plan = json.loads(run(str(tmp_path / "intake.json")))
    training = next(i for i in plan["items"] if i["code"] == "bladder_training.schedule")
    assert training["dosing"]["start_interval_min"] == 90


@pytest.mark.parametrize(
    "change,field",
    [
        (lambda i: i["exam"].update(oxford_grade=9), "exam.oxford_grade"),
        (lambda i: i["exam"].update(consent_recorded=False), "exam.consent_recorded"),
        (lambda i: i.update(symptom={}), "symptom"),
    ],
)
def test_an_invalid_file_exits_2_naming_the_field(tmp_path, capsys, change, field):
    intake = example_intake()
    change(intake)
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(intake))
    with pytest.raises(SystemExit) as exit_:
        call_command("build_plan", str(path))
    assert exit_.value.code == 2
    assert field in capsys.readouterr().err


def test_an_invalid_sample_exits_2_naming_the_field(tmp_path, capsys):
    intake = json.loads(URGENT.read_text())
    intake["patient"]["anatomy"] = "other"
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(intake))
    with pytest.raises(SystemExit) as exit_:
        call_command("build_plan", str(path), "--pdf", str(tmp_path / "plan.pdf"))
    assert exit_.value.code == 2
    assert "patient.anatomy" in capsys.readouterr().err
    assert not (tmp_path / "plan.pdf").exists()


def test_it_writes_the_patient_pdf(tmp_path, db):
    out = tmp_path / "plan.pdf"
    run(str(EXAMPLE), "--pdf", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    text = text_of(out.read_bytes())
    assert "Your pelvic floor plan" in text and "Warning signs: when to get help" in text


def test_the_patient_pdf_speaks_at_the_emergency_tier(tmp_path, db):
    out = tmp_path / "plan.pdf"
    run(str(EMERGENCY), "--pdf", str(out))
    text = text_of(out.read_bytes())
    assert "Go to an emergency department now. Do not wait for an appointment." in text
    assert "Your plan at a glance" not in text


def test_summary_writes_the_clinician_summary(tmp_path, db):
    out = tmp_path / "summary.pdf"
    _stdout, stderr = run_with_stderr(str(URGENT), "--summary", str(out))
    text = text_of(out.read_bytes())
    assert "Clinician summary" in text
    assert "Built from an intake file: patient aged 61." in text
    assert "Red flags: URGENT" in text
    assert "Letters due now: GP (family doctor)" in text
    assert str(out) in stderr


def test_letter_writes_the_most_urgent_letter_due(tmp_path, db):
    out = tmp_path / "letter.pdf"
    _stdout, stderr = run_with_stderr(str(EMERGENCY), "--letter", str(out))
    text = text_of(out.read_bytes())
    assert "To: Emergency department" in text
    assert "Emergency referral: suspected cauda equina syndrome" in text
    assert "Re: patient aged 47" in text
    assert "Voiding difficulty" in text
    assert str(out) in stderr


def test_the_urgent_letter_states_the_age_and_the_cancer_pathway(tmp_path, db):
    out = tmp_path / "letter.pdf"
    run(str(URGENT), "--letter", str(out))
    text = text_of(out.read_bytes())
    assert "To: GP (family doctor)" in text
    assert "The patient is 61 years old." in text
    assert "suspected-cancer pathway (NICE NG12, 2-week wait)" in text


def test_letter_with_nothing_due_writes_no_file_and_says_so(tmp_path, db):
    out = tmp_path / "letter.pdf"
    stdout, stderr = run_with_stderr(str(NO_REFERRAL), "--letter", str(out))  # exits 0
    assert not out.exists()
    assert "No referral is due now" in stderr and str(out) in stderr
    assert json.loads(stdout)["schema"] == "pelvic-careplan/1"


def test_the_json_is_the_same_with_the_documents_options(tmp_path, db):
    for intake in (EMERGENCY, NO_REFERRAL):
        plain = run(str(intake))
        with_documents = run(
            str(intake),
            "--pdf",
            str(tmp_path / "plan.pdf"),
            "--summary",
            str(tmp_path / "summary.pdf"),
            "--letter",
            str(tmp_path / "letter.pdf"),
        )
        assert with_documents == plain


def test_the_command_line_exit_status(tmp_path):
    command = [sys.executable, "manage.py", "build_plan"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings"}
    letter = tmp_path / "letter.pdf"

    nothing_due = subprocess.run(
        [*command, str(NO_REFERRAL), "--letter", str(letter)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert nothing_due.returncode == 0, nothing_due.stderr
    assert "No referral is due now" in nothing_due.stderr
    assert not letter.exists()
    assert json.loads(nothing_due.stdout) == json.loads(run(str(NO_REFERRAL)))

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**json.loads(URGENT.read_text()), "red_flags": ["sore_toe"]}))
    invalid = subprocess.run(
        [*command, str(bad), "--letter", str(letter)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert invalid.returncode == 2
    assert "red_flags" in invalid.stderr
    assert invalid.stdout == "" and not letter.exists()
