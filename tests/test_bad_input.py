"""Issue 10, bad input: no id, date or string reaches a server error, and nothing is half
saved. The three defects the security test found, every address with an id past 64 bits,
and property tests on the pages that take free input."""

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Assessment, DiaryEntry
from clinic.ids import MAX_ID, IdRangeMiddleware
from clinic.models import Patient
from tests.factories import AssessmentFactory

EXAMPLE = Path(__file__).parent / "assessments" / "data" / "intake-example.json"
HUGE = "1" * 30
LONE_SURROGATE = "\ud800"
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def example_intake() -> dict:
    return json.loads(EXAMPLE.read_text())


@pytest.fixture
def draft(patient, therapist):
    return AssessmentFactory(patient=patient, therapist=therapist)


# --- The three defects of the report.


def test_a_batch_selection_with_a_30_digit_id_is_refused_cleanly(admin_client_, clinic):
    url = reverse("batch_print_new", args=[clinic.pk])
    response = admin_client_.post(url, {"tick": [HUGE], "shown": f"1,{HUGE}", "action": "keep"})
    assert response.status_code == 302
    follow = admin_client_.get(response["Location"])
    assert "The selection could not be read" in follow.content.decode()


@pytest.mark.parametrize("when", ["0001-01-01 00:10", "9999-12-31 23:50"])
def test_a_diary_row_dated_year_1_is_a_form_error(therapist_client, draft, when):
    url = reverse("assessment_diary", args=[draft.pk])
    response = therapist_client.post(url, {"time": when, "event": "void"})
    assert response.status_code == 200
    assert "at the edge of the calendar" in response.content.decode()
    assert not DiaryEntry.objects.filter(assessment=draft).exists()


def test_a_diary_file_with_a_row_dated_year_9999_is_refused(therapist_client, draft):
    csv = "time,event,volume_ml,urgency,note\n9999-12-31T23:10,void,200,1,\n"
    upload = SimpleUploadedFile("diary.csv", csv.encode(), "text/csv")
    url = reverse("assessment_diary_upload", args=[draft.pk])
    response = therapist_client.post(url, {"file": upload})
    assert response.status_code == 200
    assert not DiaryEntry.objects.filter(assessment=draft).exists()


def intake_with_surrogate_note(bad: str = LONE_SURROGATE) -> str:
    intake = example_intake()
    intake["diary"] = [{"time": "2026-03-02T06:50", "event": "void", "volume_ml": 300, "note": bad}]
    # json.dumps writes the lone surrogate as the escape "\ud800", as a file would carry it.
    return json.dumps(intake)


@pytest.mark.parametrize("bad", [LONE_SURROGATE, "\x00"], ids=["surrogate", "nul"])
def test_an_intake_file_with_a_lone_surrogate_or_nul_in_a_note_is_refused(
    therapist_client, patient, bad
):
    upload = SimpleUploadedFile("intake.json", intake_with_surrogate_note(bad).encode())
    url = reverse("assessment_import", args=[patient.pk])
    response = therapist_client.post(url, {"file": upload})
    assert response.status_code == 200
    assert "diary" in response.content.decode()
    assert not Assessment.objects.filter(patient=patient).exists()


def test_build_plan_reports_a_lone_surrogate_instead_of_crashing(tmp_path, capsys):
    path = tmp_path / "intake.json"
    path.write_text(intake_with_surrogate_note())
    with pytest.raises(SystemExit) as exit_:
        call_command("build_plan", str(path))
    assert exit_.value.code == 2
    assert (
        "diary[0].note: contains an escaped character that is not text" in capsys.readouterr().err
    )


# --- Ids past 64 bits in any address.


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _patterns(entry, route)
        elif isinstance(entry, URLPattern) and "<int:" in route:
            found.append((route, entry.name or ""))
    return found


ID_ROUTES = _patterns(get_resolver())


def test_every_address_with_an_id_is_covered():
    assert len(ID_ROUTES) > 30


@pytest.mark.parametrize(("route", "name"), ID_ROUTES, ids=[name for _r, name in ID_ROUTES])
def test_an_id_past_64_bits_is_not_found(therapist_client, clinic_admin, route, name):
    path = "/" + re.sub(r"<int:\w+>", HUGE, route).replace("^", "").replace("$", "")
    path = re.sub(r"<(?:str|slug):\w+>", "x", path)
    therapist_client.force_login(clinic_admin)
    for method in (therapist_client.get, therapist_client.post):
        assert method(path).status_code == 404, path


# --- Property tests on the views: arbitrary text, ids and dates.

id_text = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.text(alphabet="0123456789,² ٣-", max_size=45),
    st.text(max_size=20),
)
date_text = st.one_of(
    st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d} 07:05"),
    st.text(alphabet="0123456789-:T ", max_size=25),
    st.text(max_size=25),
)


@PROPERTY
@given(tick=st.lists(id_text, max_size=4), shown=id_text, action=st.text(max_size=10))
def test_the_batch_form_takes_anything(admin_client_, clinic, tick, shown, action):
    url = reverse("batch_print_new", args=[clinic.pk])
    response = admin_client_.post(url, {"tick": tick, "shown": shown, "action": action})
    assert response.status_code == 302


@PROPERTY
@given(time=date_text, volume=id_text, urgency=id_text, note=st.text(max_size=40))
def test_the_diary_row_takes_anything(therapist_client, draft, time, volume, urgency, note):
    url = reverse("assessment_diary", args=[draft.pk])
    before = DiaryEntry.objects.filter(assessment=draft).count()
    response = therapist_client.post(
        url, {"time": time, "event": "void", "volume_ml": volume, "urgency": urgency, "note": note}
    )
    assert response.status_code in (200, 302)
    after = DiaryEntry.objects.filter(assessment=draft).count()
    assert after == before + (response.status_code == 302)


@PROPERTY
@given(
    rows=st.lists(
        st.tuples(date_text, st.sampled_from(["void", "leak", "drink", "x"]), id_text, id_text),
        min_size=1,
        max_size=4,
    ),
    note=st.text(max_size=20),
)
def test_the_diary_upload_takes_anything(therapist_client, draft, rows, note):
    lines = ["time,event,volume_ml,urgency,note"]
    lines += [",".join(f'"{cell}"' for cell in (*row, note)) for row in rows]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    upload = SimpleUploadedFile("diary.csv", data, "text/csv")
    url = reverse("assessment_diary_upload", args=[draft.pk])
    response = therapist_client.post(url, {"file": upload})
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # refused: nothing of it was kept
        assert not DiaryEntry.objects.filter(assessment=draft).exists()
    else:
        DiaryEntry.objects.filter(assessment=draft).delete()


@PROPERTY
@given(
    note=st.text(max_size=20),
    time=date_text,
    age=st.integers(min_value=-(10**20), max_value=10**20),
    weight=st.one_of(st.integers(min_value=-(10**20), max_value=10**20), st.text(max_size=5)),
)
def test_the_intake_import_takes_anything(therapist_client, patient, note, time, age, weight):
    intake = example_intake()
    intake["patient"].update(age=age, weight_kg=weight)
    intake["diary"] = [{"time": time, "event": "void", "volume_ml": 200, "note": note}]
    upload = SimpleUploadedFile("intake.json", json.dumps(intake).encode())
    response = therapist_client.post(
        reverse("assessment_import", args=[patient.pk]), {"file": upload}
    )
    assert response.status_code in (200, 302)
    imported = Assessment.objects.filter(patient=patient)
    assert imported.count() == (response.status_code == 302)
    imported.delete()


@PROPERTY
@given(q=st.text(max_size=60), page=id_text, sort=st.text(max_size=10))
def test_the_patient_search_takes_anything(therapist_client, patient, q, page, sort):
    response = therapist_client.get(reverse("patient_list"), {"q": q, "page": page, "sort": sort})
    assert response.status_code == 200


def test_the_patient_search_takes_a_null_character(therapist_client, patient):
    response = therapist_client.get(reverse("patient_list"), {"q": "a\x00b", "page": HUGE})
    assert response.status_code == 200


# --- Uploads are capped before they are read.

SIX_MB = 6 * 1024 * 1024


def big_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"x" * SIX_MB, "text/csv")


def test_a_6_mb_patient_list_is_refused_with_the_limit(admin_client_, clinic):
    url = reverse("patient_import", args=[clinic.pk])
    response = admin_client_.post(url, {"file": big_upload("patients.csv")})
    assert response.status_code == 200
    assert "uploads are limited to 5.0\xa0MB" in response.content.decode()


def test_a_6_mb_patient_list_sent_by_the_page_script_gets_the_message(admin_client_, clinic):
    url = reverse("patient_import", args=[clinic.pk])
    response = admin_client_.post(
        url, {"file": big_upload("patients.csv")}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert "uploads are limited to" in response.json()["errors"][0]


def test_a_6_mb_intake_file_is_refused_with_the_limit(therapist_client, patient):
    url = reverse("assessment_import", args=[patient.pk])
    response = therapist_client.post(url, {"file": big_upload("intake.json")})
    assert response.status_code == 200
    assert "uploads are limited to 5.0\xa0MB" in response.content.decode()
    assert not Assessment.objects.filter(patient=patient).exists()


def test_a_6_mb_diary_is_refused_with_the_limit(therapist_client, draft):
    url = reverse("assessment_diary_upload", args=[draft.pk])
    response = therapist_client.post(url, {"file": big_upload("diary.csv")})
    assert response.status_code == 200
    assert "uploads are limited to 5.0\xa0MB" in response.content.decode()
    assert not DiaryEntry.objects.filter(assessment=draft).exists()


def test_the_file_of_a_refused_upload_is_never_read(admin_client_, clinic, monkeypatch):
    received = []
    monkeypatch.setattr(
        "django.core.files.uploadhandler.MemoryFileUploadHandler.receive_data_chunk",
        lambda self, data, start: received.append(len(data)),
    )
    url = reverse("patient_import", args=[clinic.pk])
    admin_client_.post(url, {"file": big_upload("patients.csv")})
    assert received == []


def test_the_limit_is_a_setting(admin_client_, clinic, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    url = reverse("patient_import", args=[clinic.pk])
    response = admin_client_.post(url, {"file": SimpleUploadedFile("p.csv", b"x" * 2000)})
    assert "uploads are limited to 1.0\xa0KB" in response.content.decode()
    assert not Patient.objects.filter(clinic=clinic).exists()


def test_the_id_guard_turns_any_huge_address_id_into_a_404(rf):
    guard = IdRangeMiddleware(lambda request: None)
    request = rf.get("/")
    assert guard.process_view(request, lambda r: None, (), {"plan_id": MAX_ID}) is None
    with pytest.raises(Http404):
        guard.process_view(request, lambda r: None, (), {"plan_id": MAX_ID + 1})
    with pytest.raises(Http404):
        guard.process_view(request, lambda r: None, (10**30,), {})
