"""`manage.py analyze_diary`: the diary-v1 metrics of a CSV file as JSON."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.assessments.diary_contract import OUTPUT_KEYS

EXAMPLE = Path(__file__).parent / "data" / "diary-example.csv"


def analyze(*args: str) -> dict:
    out = io.StringIO()
    call_command("analyze_diary", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_contract_example_gives_every_key_in_order():
    result = analyze(str(EXAMPLE))
    assert list(result) == OUTPUT_KEYS
    # Worked by hand from the file: day 1 rises 06:45, goes to bed 22:30, rises 06:40.
    assert result == {
        "days_recorded": 1,  # day 2 has a rise and its first void, but no bed
        "complete_days": 1,
        "daytime_frequency": 7.0,
        "nocturia": 1.0,
        "voided_volume_24h_ml": 1950,  # 210+180+240+200+260+150+310, and day 2's FMV 400
        "nocturnal_urine_volume_ml": 710,  # 310 + 400
        "npi": 0.364,  # 710 / 1950
        "nocturnal_polyuria": None,  # no age given
        "max_voided_volume_ml": 400,
        "mean_voided_volume_ml": 259,  # 2330 / 9
        "polyuria_24h": None,  # no weight given
        "incontinence_episodes_per_day": 1.0,
        "urgency_episodes_per_day": 2.0,  # the 11:20 void and the 12:40 leak, urgency 3
        "fluid_intake_ml_per_day": 1300,
        "increased_daytime_frequency": False,  # 7 is not above 8
    }


@pytest.mark.parametrize("age", ["40", "70"])
def test_age_decides_nocturnal_polyuria(age):
    # NPi 0.364 is above both cut-offs: 0.20 under 65 and 0.33 from 65.
    assert analyze(str(EXAMPLE), "--age", age)["nocturnal_polyuria"] is True


def test_weight_decides_24_hour_polyuria():
    assert analyze(str(EXAMPLE), "--weight-kg", "60")["polyuria_24h"] is False  # 1950 < 2400
    assert analyze(str(EXAMPLE), "--weight-kg", "45")["polyuria_24h"] is True  # 1950 > 1800
    assert analyze(str(EXAMPLE), "--weight-kg", "48.75")["polyuria_24h"] is False  # = 1950


def test_the_threshold_can_be_set():
    result = analyze(str(EXAMPLE), "--daytime-frequency-threshold", "6")
    assert result["increased_daytime_frequency"] is True


def test_a_bad_file_exits_2_naming_each_bad_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "time,event,volume_ml,urgency,note\n"
        "2026-03-02T06:45,rise,,,\n"
        "2026-03-02T06:50,void,lots,1,\n"
        "2026-03-02T07:10,drink,250,,\n"
        "2026-03-02T25:00,void,200,,\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("analyze_diary", str(bad), stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 2
    message = err.getvalue()
    assert "Line 3:" in message and "volume_ml" in message
    assert "Line 5:" in message and "time" in message
    assert "Line 4" not in message


def test_a_missing_file_exits_2(tmp_path):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("analyze_diary", str(tmp_path / "nope.csv"), stderr=err)
    assert exit_info.value.code == 2
    assert "cannot read" in err.getvalue()


def test_the_command_line_exit_status(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("time,event,volume_ml,urgency,note\n2026-03-02T06:45,wake,,,\n")
    command = [sys.executable, "manage.py", "analyze_diary"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings"}
    cwd = settings.BASE_DIR

    ok = subprocess.run(
        [*command, str(EXAMPLE), "--age", "51"], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["npi"] == 0.364

    failed = subprocess.run([*command, str(bad)], cwd=cwd, env=env, capture_output=True, text=True)
    assert failed.returncode == 2
    assert "Line 2:" in failed.stderr and "wake" in failed.stderr
    assert failed.stdout == ""


def test_a_file_too_large_is_refused_not_cut(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("assessments.diary.MAX_FILE_BYTES", 60)
    path = tmp_path / "big.csv"
    path.write_text("time,event,volume_ml,urgency,note\n" + "2026-03-02T06:45,rise,,,\n" * 5)
    with pytest.raises(SystemExit) as exit_:
        call_command("analyze_diary", str(path))
    assert exit_.value.code == 2
    assert "larger than" in capsys.readouterr().err
