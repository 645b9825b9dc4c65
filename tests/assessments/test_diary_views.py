"""The bladder-diary pages: quick entry, upload, delete, metrics and day charts."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments import wallclock
from assessments.models import DiaryEntry
from assessments.services import assessment_complete
from clinic.models import AccessLog
from tests.conftest import log_in
from tests.factories import AssessmentFactory

EXAMPLE = Path(__file__).parent / "data" / "diary-example.csv"
HEADER = "time,event,volume_ml,urgency,note\n"


def page_url(assessment) -> str:
    return reverse("assessment_diary", args=[assessment.pk])


def upload_url(assessment) -> str:
    return reverse("assessment_diary_upload", args=[assessment.pk])


def delete_url(assessment, entry) -> str:
    return reverse("assessment_diary_entry_delete", args=[assessment.pk, entry.pk])


def chart_url(assessment, day: int) -> str:
    return reverse("assessment_diary_chart", args=[assessment.pk, day])


def csv_file(text: str, name: str = "diary.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def add_entry(assessment, when: str, event: str, volume=None, urgency=None) -> DiaryEntry:
    time = wallclock.to_db(datetime.fromisoformat(when))
    return DiaryEntry.objects.create(
        assessment=assessment, time=time, event=event, volume_ml=volume, urgency=urgency
    )


def row(**values) -> dict:
    data = {"time": "", "event": "", "volume_ml": "", "urgency": "", "note": ""}
    data.update(values)
    return data


@pytest.fixture
def with_diary(therapist_client, assessment):
    response = therapist_client.post(
        upload_url(assessment), {"file": csv_file(EXAMPLE.read_text())}
    )
    assert response.status_code == 302
    return assessment


@pytest.fixture
def completed(with_diary):
    with_diary = assessment_complete(assessment=with_diary, user=with_diary.therapist)
    return with_diary


# --- Access -------------------------------------------------------------------------------


def test_it_checks_ownership(with_diary, outsider):
    outsider_client = Client()  # the "client" fixture is logged in as the therapist
    outsider_client.force_login(outsider)
    entry = with_diary.diary_entries.first()
    count = with_diary.diary_entries.count()
    assert outsider_client.get(page_url(with_diary)).status_code == 404
    assert (
        outsider_client.post(page_url(with_diary), row(time="2026-03-04 08:00")).status_code == 404
    )
    response = outsider_client.post(upload_url(with_diary), {"file": csv_file(HEADER)})
    assert response.status_code == 404
    assert outsider_client.post(delete_url(with_diary, entry)).status_code == 404
    assert outsider_client.get(chart_url(with_diary, 1)).status_code == 404
    assert with_diary.diary_entries.count() == count
    assert not AccessLog.objects.filter(user__username="omar").exists()


def test_a_colleague_in_the_clinic_sees_the_diary(colleague, with_diary):
    client = Client()
    client.force_login(colleague)
    assert client.get(page_url(with_diary)).status_code == 200
    assert client.get(chart_url(with_diary, 1)).status_code == 200


def test_every_page_and_chart_logs_the_access_once(therapist_client, with_diary):
    entry = with_diary.diary_entries.last()
    before = AccessLog.objects.count()
    therapist_client.get(page_url(with_diary))
    therapist_client.get(chart_url(with_diary, 1))
    therapist_client.post(page_url(with_diary), row(time="2026-03-03 07:30", event="drink"))
    therapist_client.post(delete_url(with_diary, entry))
    therapist_client.post(upload_url(with_diary), {"file": csv_file(HEADER)})
    logged = AccessLog.objects.filter(patient=with_diary.patient)
    # A chart can be opened on its own: it has a row like any page; adding a row is a read
    # of the page and an edit.
    assert logged.count() - before == 6
    assert {log.user.username for log in logged} == {"tess"}


def test_an_entry_of_another_assessment_is_not_found(therapist_client, with_diary, patient):
    other = AssessmentFactory(patient=patient, therapist=with_diary.therapist)
    entry = add_entry(other, "2026-03-02T07:00", "rise")
    assert therapist_client.post(delete_url(with_diary, entry)).status_code == 404
    assert DiaryEntry.objects.filter(pk=entry.pk).exists()


def test_a_chart_needs_an_existing_day(therapist_client, with_diary, assessment):
    assert therapist_client.get(chart_url(with_diary, 3)).status_code == 404  # two days
    assert therapist_client.get(chart_url(with_diary, 0)).status_code == 404


def test_a_chart_of_an_empty_diary_is_not_found(therapist_client, assessment):
    assert therapist_client.get(chart_url(assessment, 1)).status_code == 404


# --- The page -------------------------------------------------------------------------------


def test_the_page_lists_the_rows_with_their_wall_clock_times(therapist_client, with_diary):
    response = therapist_client.get(page_url(with_diary))
    content = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["entries"]) == 17
    assert "06:45" in content and "03:20" in content  # as written, whatever the time zone
    assert content.count(">Delete</button>") == 17
    assert 'name="time"' in content
    assert "the 17 rows above will be deleted" in content  # said before an upload replaces them


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Pacific/Auckland"])
def test_times_read_back_unchanged_in_any_time_zone(therapist_client, with_diary, settings, zone):
    settings.TIME_ZONE = zone
    times = [row["time"] for row in therapist_client.get(page_url(with_diary)).context["entries"]]
    assert times[0] == datetime(2026, 3, 2, 6, 45)  # noqa: DTZ001 (wall-clock)


def test_an_empty_diary_shows_the_form_and_no_metrics(therapist_client, assessment):
    content = therapist_client.get(page_url(assessment)).content.decode()
    assert "No rows yet." in content
    assert "once the diary has rows" in content
    assert "will be deleted" not in content


# --- Quick entry ---------------------------------------------------------------------------


def test_a_row_is_added_and_the_next_keeps_its_date(therapist_client, assessment):
    response = therapist_client.post(
        page_url(assessment),
        row(time="2026-03-02 09:05", event="void", volume_ml="210", urgency="3", note="rushed"),
    )
    entry = assessment.diary_entries.get()
    assert response.status_code == 302
    assert response.url == f"{page_url(assessment)}?date=2026-03-02&added={entry.pk}"
    assert (entry.event, entry.volume_ml, entry.urgency, entry.note) == ("void", 210, 3, "rushed")
    assert entry.time == datetime(2026, 3, 2, 9, 5, tzinfo=UTC)

    follow = therapist_client.get(response.url)
    form = follow.context["form"]
    assert form["time"].value() == "2026-03-02 "
    assert form.fields["time"].widget.attrs.get("autofocus") is True
    content = follow.content.decode()
    assert 'value="2026-03-02 "' in content and "autofocus" in content
    assert 'class="table-success"' in content  # the row just added stands out
    assert "Row added" in content


def test_the_next_date_defaults_to_the_latest_row(therapist_client, with_diary):
    form = therapist_client.get(page_url(with_diary)).context["form"]
    assert form["time"].value() == "2026-03-03 "
    # Issue 13: opening the diary puts the cursor in the entry form's first field too.
    assert form.fields["time"].widget.attrs.get("autofocus") is True


def test_a_bad_row_keeps_what_was_typed_and_names_each_field(therapist_client, assessment):
    response = therapist_client.post(
        page_url(assessment),
        row(time="2026-03-02 25:99", event="drink", volume_ml="12.5", urgency="9", note="tea"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"time", "volume_ml", "urgency"}
    assert "25:99" in errors["time"][0]
    assert not errors["time"][0].startswith("Line")  # a form has no lines
    assert "whole number" in errors["volume_ml"][0]
    assert "from 0 to 4" in errors["urgency"][0]
    content = response.content.decode()
    assert 'value="2026-03-02 25:99"' in content and 'value="12.5"' in content
    assert 'value="tea"' in content
    assert not assessment.diary_entries.exists()


def test_an_event_must_be_chosen(therapist_client, assessment):
    response = therapist_client.post(page_url(assessment), row(time="2026-03-02 09:05"))
    assert response.context["form"].errors["event"] == ["Choose the event."]
    assert response.context["form"].fields["event"].widget.attrs.get("autofocus") is True
    assert not assessment.diary_entries.exists()


def test_a_row_is_deleted(therapist_client, with_diary):
    entry = with_diary.diary_entries.get(event="leak")
    response = therapist_client.post(delete_url(with_diary, entry))
    assert response.status_code == 302
    assert not DiaryEntry.objects.filter(pk=entry.pk).exists()
    assert with_diary.diary_entries.count() == 16


def test_delete_needs_a_post(therapist_client, with_diary):
    entry = with_diary.diary_entries.first()
    assert therapist_client.get(delete_url(with_diary, entry)).status_code == 405
    assert DiaryEntry.objects.filter(pk=entry.pk).exists()


# --- Upload --------------------------------------------------------------------------------


def test_an_upload_replaces_the_diary(therapist_client, assessment):
    old = add_entry(assessment, "2026-01-01T07:00", "rise")
    response = therapist_client.post(
        upload_url(assessment), {"file": csv_file(EXAMPLE.read_text())}
    )
    assert response.status_code == 302
    assert not DiaryEntry.objects.filter(pk=old.pk).exists()
    entries = list(assessment.diary_entries.all())
    assert len(entries) == 17
    assert (entries[2].event, entries[2].volume_ml, entries[2].note) == ("drink", 250, "coffee")


def test_a_bad_file_names_every_bad_line_and_saves_nothing(therapist_client, assessment):
    kept = add_entry(assessment, "2026-01-01T07:00", "rise")
    text = (
        HEADER + "2026-03-02T06:45,rise,,,\n"
        "2026-03-02T06:50,void,abc,1,\n"
        "2026-03-02T07:10,drink,250,,\n"
        "2026-03-02T07:20,dirnk,250,,\n"
        "2026-03-02 09:05+01:00,void,210,9,\n"
    )
    response = therapist_client.post(upload_url(assessment), {"file": csv_file(text)})
    assert response.status_code == 200
    lines = [error.line for error in response.context["upload_errors"]]
    assert lines == [3, 5, 6, 6]
    content = response.content.decode()
    for line in (3, 5, 6):
        assert f"Line {line}:" in content
    assert "Line 4:" not in content
    assert "nothing was changed" in content
    assert list(assessment.diary_entries.all()) == [kept]


def test_a_file_that_is_not_utf8_is_refused(therapist_client, assessment):
    data = (HEADER + "2026-03-02T07:10,drink,250,,café\n").encode("latin-1")
    upload = SimpleUploadedFile("diary.csv", data, content_type="text/csv")
    response = therapist_client.post(upload_url(assessment), {"file": upload})
    assert "not UTF-8" in response.content.decode()
    assert not assessment.diary_entries.exists()


def test_a_file_too_large_is_refused_not_cut(therapist_client, assessment, monkeypatch):
    monkeypatch.setattr("assessments.diary.MAX_FILE_BYTES", 60)
    text = HEADER + "2026-03-02T06:45,rise,,,\n2026-03-02T06:50,void,100,,\n"
    response = therapist_client.post(upload_url(assessment), {"file": csv_file(text)})
    assert "larger than" in response.content.decode()
    assert not assessment.diary_entries.exists()


def test_an_upload_needs_a_file(therapist_client, assessment):
    response = therapist_client.post(upload_url(assessment), {})
    assert response.status_code == 200
    assert response.context["upload_form"].errors["file"]


def test_a_byte_order_mark_is_fine(therapist_client, assessment):
    upload = SimpleUploadedFile(
        "diary.csv", ("\ufeff" + EXAMPLE.read_text()).encode("utf-8"), content_type="text/csv"
    )
    therapist_client.post(upload_url(assessment), {"file": upload})
    assert assessment.diary_entries.count() == 17


# --- A completed assessment is read-only -----------------------------------------------------


def test_a_completed_diary_shows_no_controls(therapist_client, completed):
    response = therapist_client.get(page_url(completed))
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"] is None and response.context["upload_form"] is None
    assert ">Delete</button>" not in content
    assert 'type="file"' not in content
    assert "read-only" in content
    assert "06:45" in content


def test_a_completed_diary_refuses_changes_politely(therapist_client, completed):
    entry = completed.diary_entries.first()
    posts = [
        (page_url(completed), row(time="2026-03-03 08:00", event="void", volume_ml="100")),
        (upload_url(completed), {"file": csv_file(HEADER)}),
        (delete_url(completed, entry), {}),
    ]
    for url, data in posts:
        response = therapist_client.post(url, data, follow=True)
        assert response.redirect_chain == [(page_url(completed), 302)]
        assert "can no longer be changed" in response.content.decode()
    assert completed.diary_entries.count() == 17


# --- Metrics and charts ---------------------------------------------------------------------


def test_the_chart_is_svg_with_a_title(therapist_client, with_diary):
    response = therapist_client.get(chart_url(with_diary, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-cache" in response["Cache-Control"]
    svg = response.content.decode()
    assert svg.startswith("<svg")
    title = ET.fromstring(svg).find("{http://www.w3.org/2000/svg}title").text
    assert title == "Day 1: Monday 2 March 2026"


def test_the_diary_page_shows_metrics_and_a_chart_per_day(therapist_client, with_diary):
    content = therapist_client.get(page_url(with_diary)).content.decode()
    assert "1,950 mL" in content and "0.364" in content and "710 mL" in content
    assert chart_url(with_diary, 1) in content and chart_url(with_diary, 2) in content
    assert 'alt="Chart of diary day 1' in content
    assert "Open the diary" not in content  # already on it


def test_the_assessment_page_shows_the_diary_with_the_clinic_threshold(
    therapist_client, with_diary
):
    clinic = with_diary.patient.clinic
    clinic.daytime_frequency_threshold = 6
    clinic.save()
    response = therapist_client.get(reverse("assessment_detail", args=[with_diary.pk]))
    content = response.content.decode()
    assert "more than 6 voids a day" in content
    assert "7.0 voids a day" in content
    assert 'data-testid="increased-daytime-frequency"><span class="badge' in content  # yes
    assert 'data-testid="nocturnal-polyuria"><span class="badge' in content  # NPi 0.364
    assert chart_url(with_diary, 1) in content
    assert page_url(with_diary) in content


def test_the_default_threshold_is_not_exceeded(therapist_client, with_diary):
    response = therapist_client.get(reverse("assessment_detail", args=[with_diary.pk]))
    content = response.content.decode()
    assert "more than 8 voids a day" in content
    assert 'data-testid="increased-daytime-frequency">no<' in content


def test_no_diary_no_diary_section_on_the_assessment(therapist_client, assessment):
    content = therapist_client.get(reverse("assessment_detail", args=[assessment.pk])).content
    assert b'id="diary"' not in content


# --- In a browser: typing rows with the keyboard ----------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_rows_are_typed_with_the_keyboard(page, therapist, patient):
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    log_in(page, "tess")
    page.goto(page_url(assessment))
    time = page.get_by_label("Time")
    time.fill("2026-03-02 06:45")
    page.get_by_label("Event").select_option("rise")
    with page.expect_navigation():
        time.press("Enter")

    # Back with the cursor after the kept date: type the clock time and go on.
    assert page.evaluate("document.activeElement.name") == "time"
    assert page.evaluate("document.activeElement.selectionStart") == len("2026-03-02 ")
    page.keyboard.type("06:50")
    page.keyboard.press("Tab")
    page.keyboard.type("v")
    page.keyboard.press("Tab")
    page.keyboard.type("380")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.name") == "time"
    page.wait_for_load_state("networkidle")  # the charts, before the database closes
    events = list(assessment.diary_entries.values_list("event", "volume_ml"))
    assert events == [("rise", None), ("void", 380)]
    assert page.console_errors == []  # the Content-Security-Policy blocks nothing we serve
