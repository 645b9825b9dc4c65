import json
from io import StringIO

import pytest
from django.core.management import call_command

from careplans import rules
from tests.careplans.conftest import EXAMPLE, example_intake


def run(*args) -> str:
    out = StringIO()
    call_command("build_plan", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_prints_the_same_plan_as_the_builder():
    printed = json.loads(run(str(EXAMPLE)))
    assert printed == rules.build_plan(example_intake())
    assert printed["schema"] == "pelvic-careplan/1"


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


def test_it_writes_the_patient_pdf(tmp_path, db):
    out = tmp_path / "plan.pdf"
    run(str(EXAMPLE), "--pdf", str(out))
    assert out.read_bytes().startswith(b"%PDF")
