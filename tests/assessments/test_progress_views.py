"""The progress page, its chart and the outcome history as CSV."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Status
from assessments.progress_store import csv_safe, patient_visits
from clinic.models import AccessLog
from tests.factories import AssessmentFactory, DiaryEntryFactory, PatientFactory

SVG = "{http://www.w3.org/2000/svg}"
START = date(2026, 1, 5)


def urls(patient) -> dict[str, str]:
    return {
        name: reverse(name, args=[patient.pk])
        for name in ("patient_progress", "patient_progress_chart", "patient_outcomes_csv")
    }


def add_visit(patient, therapist, n: int, *, status=Status.COMPLETE, **scores):
    values = {
        "iciq_ui_sf_total": max(0, 15 - 2 * n),
        "pfdi20_total": Decimal(str(max(0.0, 130.5 - 15 * n))),
        "pfiq7_total": Decimal("80.0"),
        "oxford_grade": 2 + n // 4,
        "day_voids": 11,
        "night_voids": 2,
    }
    values.update(scores)
    return AssessmentFactory(
        patient=patient,
        therapist=therapist,
        assessed_on=START + timedelta(weeks=3 * n),
        kind="intake" if n == 0 else "review",
        status=status,
        **values,
    )


def add_diary(assessment) -> None:
    """One recorded day: 3 voids and a leak by day, 1 void at night."""
    day = datetime.combine(assessment.assessed_on - timedelta(days=2), datetime.min.time())
    rows = [
        (7, 0, "rise", None),
        (7, 10, "void", 300),
        (11, 0, "void", 250),
        (12, 30, "leak", None),
        (18, 0, "void", 200),
        (22, 30, "bed", None),
        (27, 0, "void", 350),
        (31, 0, "rise", None),
    ]
    for h, m, event, volume in rows:
        DiaryEntryFactory(
            assessment=assessment,
            at=day + timedelta(hours=h, minutes=m),
            event=event,
            volume_ml=volume,
        )


@pytest.fixture
def visits(patient, therapist):
    made = [add_visit(patient, therapist, n) for n in range(5)]
    add_diary(made[0])
    add_diary(made[3])
    return made


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- Access -----------------------------------------------------------------------------


def test_it_checks_ownership(outsider_client, visits, patient):
    for url in urls(patient).values():
        assert outsider_client.get(url).status_code == 404


def test_another_clinics_patient_is_not_found_either(therapist_client, other_clinic_patient):
    for url in urls(other_clinic_patient).values():
        assert therapist_client.get(url).status_code == 404


def test_a_colleague_in_the_clinic_sees_the_progress(colleague_client, visits, patient):
    for url in urls(patient).values():
        assert colleague_client.get(url).status_code == 200


def test_it_needs_a_login(client, visits, patient):
    for url in urls(patient).values():
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_only_get_is_allowed(therapist_client, visits, patient):
    for url in urls(patient).values():
        assert therapist_client.post(url).status_code == 405


def test_the_page_the_chart_and_the_csv_are_logged(therapist_client, visits, patient):
    page, chart, export = urls(patient).values()
    therapist_client.get(page)
    therapist_client.get(chart)
    therapist_client.get(export)
    logged = AccessLog.objects.filter(patient=patient).order_by("pk")
    assert list(logged.values_list("what", flat=True)) == [
        "Opened the progress page",
        "Opened the progress chart",
        "Exported the outcome history as CSV",
    ]


# --- The page ---------------------------------------------------------------------------


def test_the_page_shows_the_chart_and_every_visit(therapist_client, visits, patient):
    response = therapist_client.get(urls(patient)["patient_progress"])
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("patient_progress_chart", args=[patient.pk]) in html
    assert reverse("patient_outcomes_csv", args=[patient.pk]) in html
    assert "Every completed visit, newest first." in html
    for visit in visits:
        assert reverse("assessment_detail", args=[visit.pk]) in html
    assert patient.display_name in html  # the patient header


def test_the_page_marks_the_mid_and_names_its_sources(therapist_client, visits, patient):
    html = therapist_client.get(urls(patient)["patient_progress"]).content.decode()
    # ICIQ 15, 13, 11, 9, 7: from the third visit on a fall of 4 or more reaches 2.52.
    assert html.count("(reaches the minimal important difference)") >= 3
    assert "ICIQ-UI SF 2.52 points (Nyström 2015)" in html
    assert "PFDI-20 24 points (Karjalainen 2021)" in html
    assert (
        "PFIQ-7, Modified Oxford grade, Daytime frequency, Nocturia, Leaks: no published "
        "minimal important difference." in html
    )
    assert "ICIQ-UI SF 15 (" in html  # the first values, with their dates


def test_the_page_without_a_completed_visit_says_so(therapist_client, patient, therapist):
    add_visit(patient, therapist, 0, status=Status.DRAFT)
    html = therapist_client.get(urls(patient)["patient_progress"]).content.decode()
    assert "No completed assessment yet." in html
    assert reverse("patient_progress_chart", args=[patient.pk]) not in html


def test_drafts_are_not_visits(therapist_client, visits, patient, therapist):
    draft = add_visit(patient, therapist, 9, status=Status.DRAFT, iciq_ui_sf_total=0)
    html = therapist_client.get(urls(patient)["patient_progress"]).content.decode()
    assert reverse("assessment_detail", args=[draft.pk]) not in html
    rows = read_csv(therapist_client.get(urls(patient)["patient_outcomes_csv"]))
    assert len(rows) == len(visits)


def test_the_page_shows_10_visits_a_page_and_points_to_the_csv(
    therapist_client, patient, therapist
):
    made = [add_visit(patient, therapist, n, iciq_ui_sf_total=10) for n in range(23)]
    page = urls(patient)["patient_progress"]
    html = therapist_client.get(page).content.decode()
    assert "Visits 1 to 10 of 23, newest first. The CSV download has every visit." in html
    assert reverse("assessment_detail", args=[made[-1].pk]) in html
    assert reverse("assessment_detail", args=[made[12].pk]) not in html
    assert "Older visits" in html and "Newer visits" not in html

    last = therapist_client.get(page, {"page": 3}).content.decode()
    assert "Visits 21 to 23 of 23" in last
    assert reverse("assessment_detail", args=[made[0].pk]) in last
    assert "Newer visits" in last and "Older visits" not in last
    assert "Visits 21 to 23" in therapist_client.get(page, {"page": 99}).content.decode()
    assert "Visits 1 to 10" in therapist_client.get(page, {"page": "x"}).content.decode()
    assert len(read_csv(therapist_client.get(urls(patient)["patient_outcomes_csv"]))) == 23


def test_the_page_is_safe_under_the_content_security_policy(therapist_client, visits, patient):
    html = therapist_client.get(urls(patient)["patient_progress"]).content.decode()
    assert "style=" not in html
    assert "<script>" not in html and "<svg" not in html  # the chart is an image


# --- The chart --------------------------------------------------------------------------


def test_the_chart_is_an_svg_with_a_panel_per_measure(therapist_client, visits, patient):
    response = therapist_client.get(urls(patient)["patient_progress_chart"])
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    # Revalidated by its ETag, and never stored: it holds patient data.
    assert response["Cache-Control"] == "private, no-cache, no-store"
    svg = response.content.decode()
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Progress over visits: Maria Santos"
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"ICIQ-UI SF", "PFDI-20", "PFIQ-7", "Modified Oxford grade"} <= texts
    assert {"Daytime frequency", "Nocturia", "Leaks"} <= texts
    assert "Improved by the MID or more since the first visit" in texts
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg


def test_the_chart_leaves_out_measures_never_recorded(therapist_client, patient, therapist):
    for n in range(3):
        add_visit(patient, therapist, n, pfdi20_total=None, pfiq7_total=None)
    texts = {
        t.text
        for t in ET.fromstring(
            therapist_client.get(urls(patient)["patient_progress_chart"]).content
        ).iter(f"{SVG}text")
    }
    assert "ICIQ-UI SF" in texts
    assert "PFDI-20" not in texts and "PFIQ-7" not in texts
    assert "Leaks" not in texts  # no diary, no leaks a day


def test_a_chart_without_visits_says_so(therapist_client, patient):
    response = therapist_client.get(urls(patient)["patient_progress_chart"])
    assert response.status_code == 200
    assert "No outcomes recorded yet." in response.content.decode()


# --- The CSV ----------------------------------------------------------------------------


def test_the_csv_has_every_visit_oldest_first_with_changes(therapist_client, visits, patient):
    response = therapist_client.get(urls(patient)["patient_outcomes_csv"])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="outcomes-R0001.csv"'
    assert response["Cache-Control"] == "private, no-store"
    rows = read_csv(response)
    assert [r["date"] for r in rows] == [str(v.assessed_on) for v in visits]
    assert [r["kind"] for r in rows] == ["intake", "review", "review", "review", "review"]
    assert [r["iciq_ui_sf"] for r in rows] == ["15", "13", "11", "9", "7"]
    assert [r["iciq_ui_sf_change_from_baseline"] for r in rows] == ["0", "-2", "-4", "-6", "-8"]
    assert [r["iciq_ui_sf_mid_reached"] for r in rows] == ["no", "no", "yes", "yes", "yes"]
    # PFDI-20 130.5, 115.5, 100.5, 85.5, 70.5: a fall of 24 from the third visit on.
    assert [r["pfdi20"] for r in rows] == ["130.5", "115.5", "100.5", "85.5", "70.5"]
    assert [r["pfdi20_mid_reached"] for r in rows] == ["no", "no", "yes", "yes", "yes"]
    assert rows[0]["pfiq7"] == "80" and rows[0]["oxford_grade"] == "2"


def test_diary_metrics_win_over_reported_voids(therapist_client, visits, patient):
    rows = read_csv(therapist_client.get(urls(patient)["patient_outcomes_csv"]))
    with_diary, without = rows[0], rows[1]
    assert (with_diary["daytime_frequency"], with_diary["nocturia"]) == ("3", "1")
    assert (with_diary["leaks_per_day"], with_diary["voids_source"]) == ("1", "diary")
    assert with_diary["diary_days"] == "1"
    assert (without["daytime_frequency"], without["nocturia"]) == ("11", "2")
    assert (without["leaks_per_day"], without["voids_source"]) == ("", "reported")
    assert without["diary_days"] == ""


def test_the_csv_filename_is_safe_whatever_the_record_number(therapist_client, clinic, therapist):
    patient = PatientFactory(clinic=clinic, record_number='A/7 "x";\r\nB')
    add_visit(patient, therapist, 0)
    response = therapist_client.get(urls(patient)["patient_outcomes_csv"])
    assert response["Content-Disposition"] == 'attachment; filename="outcomes-A_7_x_B.csv"'


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-4", "'-4"),  # text: a number the export computes is passed as a number
        (-4, "-4"),
        (-79.5, "-79.5"),
        (12, "12"),
        ("12", "12"),
        ("review", "review"),
        (None, ""),
    ],
)
def test_csv_cells_cannot_start_a_formula(cell, safe):
    assert csv_safe(cell) == safe


# --- Queries: fixed, whatever the number of visits --------------------------------------


@pytest.mark.parametrize("count", [5, 50])  # 50 visits: five pages of the table
def test_the_number_of_queries_is_fixed(
    therapist_client, patient, therapist, count, django_assert_num_queries
):
    made = [add_visit(patient, therapist, n) for n in range(count)]
    for visit in made[::3]:
        add_diary(visit)
    page, chart, export = urls(patient).values()
    # Session, user, memberships and patient (4), then each view's own work.
    with django_assert_num_queries(9):  # + access log, overview, visits, diary, red flags
        assert therapist_client.get(page).status_code == 200
    with django_assert_num_queries(7):  # + access log, visits, diary
        assert therapist_client.get(chart).status_code == 200
    with django_assert_num_queries(7):  # + access log, visits, diary
        assert therapist_client.get(export).status_code == 200


def test_patient_visits_reads_every_visit_in_two_queries(
    patient, therapist, django_assert_num_queries
):
    for n in range(12):
        add_diary(add_visit(patient, therapist, n))
    with django_assert_num_queries(2):
        visits = patient_visits(patient)
    assert len(visits) == 12 and all(v.voids_from_diary for v in visits)
    with django_assert_num_queries(2):
        assert len(patient_visits(patient, until=START + timedelta(weeks=3))) == 2
