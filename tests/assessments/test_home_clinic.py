"""The staff side of home tasks (issue 11): sending tasks, handing over the link, the
review queue and acceptance into an assessment."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assessments import diary, home_tokens
from assessments.models import Assessment, HomeDiaryEntry, HomeLink, HomeTasks, Kind, Status
from assessments.questionnaires import score_all
from assessments.selectors import diary_events
from assessments.services import home as home_services
from assessments.services.diary import diary_replace
from clinic.models import AccessLog, AuditAction
from tests.clinic.test_clinic_settings import data as settings_data
from tests.clinic.test_clinic_settings import url as settings_url
from tests.conftest import load_next_page, log_in
from tests.factories import AssessmentFactory, PatientFactory
from tests.practice.test_browser_accessibility import check_here

EXAMPLE = Path(__file__).parent / "data" / "diary-example.csv"
PFDI20 = [1, 2, 0, 3, 1, 0, 2, 2, 1, 0, 0, 1, 4, 2, 3, 1, 0, 2, 1, 1]
IQQ3 = {"any_leak_3_months": True, "when": ["activity", "urge"], "most_often": "activity"}


def send_url(patient) -> str:
    return reverse("home_tasks_send", args=[patient.pk])


def send(client, patient, **overrides):
    data = {"questionnaires": ["pfdi20", "iqq3"], "diary_days": 3, "due_on": ""}
    data.update(overrides)
    return client.post(send_url(patient), data)


def link_url(content: str) -> str:
    found = re.search(r'value="(http://testserver/p/[a-z2-7]{26}/)"', content)
    assert found, "the handover page shows the link"
    return found.group(1)


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def sent_in(patient, therapist, *, answers=True) -> HomeTasks:
    """Tasks the patient filled in and sent: PFDI-20, the 3IQ, the example diary."""
    tasks = home_services.home_tasks_send(
        patient=patient,
        user=therapist,
        questionnaires=["pfdi20", "pfiq7", "iqq3"],
        diary_days=3,
        due_on=None,
    )
    if answers:
        home_services.home_answers_save(tasks=tasks, name="pfdi20", answers=PFDI20)
        home_services.home_answers_save(tasks=tasks, name="iqq3", answers=IQQ3)
        # Half of PFIQ-7: left out when accepted.
        home_services.home_answers_save(tasks=tasks, name="pfiq7", answers={"bladder": [1] * 7})
    for event in diary.parse_diary_csv(EXAMPLE.read_text()):
        home_services.home_diary_add(tasks=tasks, event=event)
    return home_services.home_tasks_submit(tasks=tasks)


def review_url(tasks) -> str:
    return reverse("home_tasks_review", args=[tasks.pk])


# --- Sending tasks and the handover ---------------------------------------------------------


def test_the_form_offers_only_the_freely_usable_questionnaires(therapist_client, patient):
    page = therapist_client.get(send_url(patient)).content.decode()
    assert 'value="pfdi20"' in page and 'value="pfiq7"' in page and 'value="iqq3"' in page
    assert 'value="iciq_ui_sf"' not in page and 'value="oab_v8"' not in page
    assert "their licences allow clinician entry only" in page
    due = timezone.localdate() + datetime.timedelta(days=patient.clinic.home_link_days)
    assert f'value="{due.isoformat()}"' in page
    assert 'name="diary_days" value="3"' in page


def test_sending_tasks_makes_one_link_and_the_handover_opens_the_check(
    therapist_client, client, patient
):
    response = send(therapist_client, patient)
    assert response.status_code == 200
    content = response.content.decode()
    assert "This link is shown only now." in content
    assert "no-store" in response["Cache-Control"]
    assert "You will be asked for your date of birth" in content
    assert "<svg" in content  # the QR code
    url = link_url(content)
    token = token_of(url)
    assert home_tokens.grouped(token) in content
    link = HomeLink.objects.get()
    assert link.patient == patient and link.token_hash == home_tokens.token_hash(token)
    assert token not in link.token_hash
    tasks = HomeTasks.objects.get()
    assert (tasks.questionnaires, tasks.diary_days) == (["pfdi20", "iqq3"], 3)

    therapist_client.logout()
    check = client.get(url.removeprefix("http://testserver"))
    assert check.status_code == 200
    assert b"date of birth" in check.content
    # The token is never written to the audit trail.
    assert not AccessLog.objects.filter(path__contains=token).exists()
    assert AccessLog.objects.filter(action=AuditAction.HOME_LINK, patient=patient).exists()


def test_sending_again_keeps_the_link_and_changes_the_tasks(therapist_client, patient):
    first = link_url(send(therapist_client, patient).content.decode())
    response = send(therapist_client, patient, questionnaires=["pfiq7"], diary_days=5)
    assert response.status_code == 302 and response["Location"] == reverse(
        "patient_detail", args=[patient.pk]
    )
    page = therapist_client.get(response["Location"]).content.decode()
    assert "Tasks updated: the patient&#x27;s link stays the same." in page
    assert HomeLink.objects.count() == 1
    assert home_services.home_link_usable(patient).token_hash == home_tokens.token_hash(
        token_of(first)
    )
    tasks = HomeTasks.objects.get()
    assert (tasks.questionnaires, tasks.diary_days) == (["pfiq7"], 5)
    assert "PFIQ-7" in page and "5-day bladder diary" in page


def test_nothing_to_do_is_refused(therapist_client, patient):
    response = send(therapist_client, patient, questionnaires=[], diary_days=0)
    assert response.status_code == 400
    assert not HomeTasks.objects.exists() and not HomeLink.objects.exists()


def test_a_new_link_stops_the_old_one(therapist_client, client, patient):
    old = link_url(send(therapist_client, patient).content.decode())
    response = therapist_client.post(reverse("home_link_new", args=[patient.pk]))
    new = link_url(response.content.decode())
    assert new != old
    assert HomeLink.objects.filter(revoked_at=None).count() == 1
    therapist_client.logout()
    closed = client.get(old.removeprefix("http://testserver"))
    assert b"date of birth" not in closed.content
    assert patient.last_name.encode() not in closed.content
    assert b"date of birth" in client.get(new.removeprefix("http://testserver")).content


def test_stop_the_link(therapist_client, client, patient):
    url = link_url(send(therapist_client, patient).content.decode())
    link = HomeLink.objects.get()
    response = therapist_client.post(reverse("home_link_stop", args=[link.pk]))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    page = therapist_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "stopped on" in page
    therapist_client.logout()
    assert b"date of birth" not in client.get(url.removeprefix("http://testserver")).content


def test_the_email_refuses_a_wrong_token_and_sends_with_the_right_one(therapist_client, patient):
    url = link_url(send(therapist_client, patient).content.decode())
    email_url = reverse("home_link_email", args=[patient.pk])
    wrong = home_tokens.new_token()
    response = therapist_client.post(email_url, {"token": wrong, "email": "maria@example.org"})
    assert response.status_code == 302 and mail.outbox == []

    response = therapist_client.post(
        email_url, {"token": token_of(url), "email": "maria@example.org"}
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]
    body = mail.outbox[0].body
    assert url in body and patient.clinic.name in body
    assert patient.last_name not in body and patient.first_name not in body
    assert patient.record_number not in body
    page = therapist_client.get(response["Location"]).content.decode()
    assert "Sent to maria@example.org." in page


def test_a_stopped_link_is_not_emailed(therapist_client, patient):
    url = link_url(send(therapist_client, patient).content.decode())
    home_services.home_link_revoke(link=HomeLink.objects.get(), user=patient.assigned_therapist)
    therapist_client.post(
        reverse("home_link_email", args=[patient.pk]),
        {"token": token_of(url), "email": "maria@example.org"},
    )
    assert mail.outbox == []


def test_the_patient_page_shows_the_tasks_and_the_link(therapist_client, patient, therapist):
    tasks = home_services.home_tasks_send(
        patient=patient, user=therapist, questionnaires=["pfdi20"], diary_days=3, due_on=None
    )
    home_services.home_diary_add(
        tasks=tasks,
        event=diary.DiaryEvent(
            2, datetime.datetime.fromisoformat("2026-03-02T07:00"), "void", 300, 1, ""
        ),
    )
    page = therapist_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Home tasks" in page and "PFDI-20, 3-day bladder diary" in page
    assert "1 diary entry" in page and "0 of 1 questionnaire answered" in page
    assert "none yet" in page
    link, _token = home_services.home_link_create(patient=patient, user=therapist)
    page = therapist_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "works until" in page and "Stop the link" in page
    HomeLink.objects.filter(pk=link.pk).update(locked_at=timezone.now(), wrong_birth_dates=5)
    page = therapist_client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "locked after 5 wrong birth dates" in page


def test_the_patient_page_query_count_does_not_grow(
    therapist_client, patient, therapist, django_assert_num_queries
):
    url = reverse("patient_detail", args=[patient.pk])
    sent_in(patient, therapist)
    home_services.home_link_create(patient=patient, user=therapist)
    with django_assert_num_queries(11):
        therapist_client.get(url)
    for _ in range(3):
        sent_in(patient, therapist)
    home_services.home_tasks_send(
        patient=patient, user=therapist, questionnaires=["pfdi20"], diary_days=3, due_on=None
    )
    with django_assert_num_queries(11):
        therapist_client.get(url)


# --- Another clinic -------------------------------------------------------------------------


def test_another_clinic_gets_404_on_every_staff_url(
    outsider_client, patient, therapist, other_clinic_patient
):
    tasks = sent_in(patient, therapist)
    link, token = home_services.home_link_create(patient=patient, user=therapist)
    for method, url, data in [
        ("get", send_url(patient), {}),
        ("post", send_url(patient), {"questionnaires": ["pfdi20"], "diary_days": 3}),
        ("post", reverse("home_link_new", args=[patient.pk]), {}),
        ("post", reverse("home_link_stop", args=[link.pk]), {}),
        (
            "post",
            reverse("home_link_email", args=[patient.pk]),
            {"token": token, "email": "x@example.org"},
        ),
        ("get", review_url(tasks), {}),
        ("post", review_url(tasks), {"accept": "1", "target": "new"}),
        ("post", review_url(tasks), {"set_aside": "1"}),
    ]:
        assert getattr(outsider_client, method)(url, data).status_code == 404, url
    link.refresh_from_db()
    tasks.refresh_from_db()
    assert link.revoked_at is None and HomeLink.objects.count() == 1
    assert tasks.accepted_at is None and tasks.set_aside_at is None
    assert mail.outbox == []


# --- Review and acceptance ----------------------------------------------------------------


def test_the_review_shows_scores_metrics_and_entries(therapist_client, patient, therapist):
    tasks = sent_in(patient, therapist)
    response = therapist_client.get(review_url(tasks))
    page = response.content.decode()
    scores = score_all({"pfdi20": PFDI20})["pfdi20"]
    assert f'data-testid="pfdi20-total">{scores.total}<' in page
    assert "Stress incontinence" in page  # the 3IQ type
    assert "Not answered in full (left out when accepted): PFIQ-7." in page
    metrics = response.context["summary"]["diary_metrics"]
    expected = diary.diary_metrics(
        diary.parse_diary_csv(EXAMPLE.read_text()),
        age=patient.age,
        daytime_frequency_threshold=patient.clinic.daytime_frequency_threshold,
    )
    assert metrics == expected
    assert "Entered by the patient" in page
    assert 'data-testid="entries"' in page and "sneezed" in page
    assert AccessLog.objects.filter(patient=patient, what="Opened what a patient sent in").exists()


def test_a_row_the_parser_refuses_is_named_by_line(therapist_client, patient, therapist):
    tasks = sent_in(patient, therapist, answers=False)
    bad = tasks.diary_entries.order_by("time", "id")[2]
    # A row the patient's form could not have made (its event is checked there), as a
    # database edit could: the parser still names it. (Not a NUL: PostgreSQL refuses those.)
    HomeDiaryEntry.objects.filter(pk=bad.pk).update(event="nap")
    page = therapist_client.get(review_url(tasks)).content.decode()
    assert "Line 4: event must be one of" in page
    assert "not &#x27;nap&#x27;" in page or "not 'nap'" in page
    response = therapist_client.post(review_url(tasks), {"accept": "1", "target": "new"})
    assert response.status_code == 302
    assert not Assessment.objects.filter(patient=patient).exists()


def test_nothing_changes_before_accept(therapist_client, patient, therapist):
    draft = AssessmentFactory(patient=patient, therapist=therapist, weight_kg=70)
    diary_replace(assessment=draft, events=diary.parse_diary_csv(EXAMPLE.read_text())[:3])
    before = (list(diary_events(draft)), draft.questionnaires)
    tasks = sent_in(patient, therapist)
    therapist_client.get(review_url(tasks))
    therapist_client.get(reverse("patient_detail", args=[patient.pk]))
    draft.refresh_from_db()
    assert (list(diary_events(draft)), draft.questionnaires) == before
    assert Assessment.objects.filter(patient=patient).count() == 1


def test_accept_into_new_equals_the_same_diary_uploaded_as_csv(
    therapist_client, patient, therapist
):
    tasks = sent_in(patient, therapist)
    response = therapist_client.post(review_url(tasks), {"accept": "1", "target": "new"})
    intake = Assessment.objects.get(patient=patient)
    assert response["Location"] == reverse("assessment_detail", args=[intake.pk])
    assert (intake.kind, intake.status) == (Kind.INTAKE, Status.DRAFT)
    assert intake.questionnaires == {"pfdi20": PFDI20, "iqq3": IQQ3}

    uploaded = AssessmentFactory(patient=PatientFactory(clinic=patient.clinic))
    diary_replace(assessment=uploaded, events=diary.parse_diary_csv(EXAMPLE.read_text()))

    def metrics(a):
        return diary.diary_metrics(diary_events(a), age=60)

    assert metrics(intake) == metrics(uploaded)
    assert [(e.time, e.event, e.volume_ml, e.urgency, e.note) for e in diary_events(intake)] == [
        (e.time, e.event, e.volume_ml, e.urgency, e.note) for e in diary_events(uploaded)
    ]
    tasks.refresh_from_db()
    assert tasks.accepted_into == intake and tasks.accepted_by == therapist
    page = therapist_client.get(response["Location"]).content.decode()
    assert "is now part of this assessment" in page
    # Accepted: out of the queue, and the review page says where it went.
    assert not HomeTasks.objects.to_review().exists()
    assert 'data-testid="accepted"' in therapist_client.get(review_url(tasks)).content.decode()
    assert AccessLog.objects.filter(patient=patient, action=AuditAction.EDIT).exists()


def test_accept_into_a_draft_keeps_its_other_findings(therapist_client, patient, therapist):
    draft = AssessmentFactory(
        patient=patient,
        therapist=therapist,
        weight_kg=70,
        questionnaires={"iciq_ui_sf": {"frequency": 2, "amount": 2, "interference": 5}},
    )
    tasks = sent_in(patient, therapist)
    page = therapist_client.get(review_url(tasks)).content.decode()
    assert f'<option value="{draft.pk}" selected>' in page
    response = therapist_client.post(review_url(tasks), {"accept": "1", "target": str(draft.pk)})
    assert response["Location"] == reverse("assessment_detail", args=[draft.pk])
    draft.refresh_from_db()
    assert float(draft.weight_kg) == 70
    assert draft.questionnaires == {
        "iciq_ui_sf": {"frequency": 2, "amount": 2, "interference": 5},
        "pfdi20": PFDI20,
        "iqq3": IQQ3,
    }
    assert len(diary_events(draft)) == len(diary.parse_diary_csv(EXAMPLE.read_text()))
    assert Assessment.objects.filter(patient=patient).count() == 1


def test_a_complete_assessment_or_another_patients_draft_is_not_offered(
    therapist_client, patient, therapist
):
    done = AssessmentFactory(patient=patient, therapist=therapist, complete=True)
    elsewhere = AssessmentFactory(patient=PatientFactory(clinic=patient.clinic))
    tasks = sent_in(patient, therapist)
    for target in (done.pk, elsewhere.pk):
        response = therapist_client.post(review_url(tasks), {"accept": "1", "target": target})
        assert response.status_code == 400
    tasks.refresh_from_db()
    assert tasks.accepted_at is None


def test_set_aside(therapist_client, patient, therapist):
    tasks = sent_in(patient, therapist)
    response = therapist_client.post(review_url(tasks), {"set_aside": "1"})
    assert response["Location"] == reverse("patient_detail", args=[patient.pk])
    tasks.refresh_from_db()
    assert tasks.set_aside_by == therapist and tasks.accepted_at is None
    assert not Assessment.objects.filter(patient=patient).exists()
    page = therapist_client.get(response["Location"]).content.decode()
    assert "to review" not in page
    assert 'data-testid="set-aside"' in therapist_client.get(review_url(tasks)).content.decode()


# --- The dashboard ----------------------------------------------------------------------------


def test_the_dashboard_lists_what_patients_sent_in_and_locked_links(
    therapist_client, patient, therapist, colleague
):
    tasks = sent_in(patient, therapist)
    link, _token = home_services.home_link_create(patient=patient, user=therapist)
    HomeLink.objects.filter(pk=link.pk).update(locked_at=timezone.now())
    theirs = PatientFactory(clinic=patient.clinic, assigned_therapist=colleague)
    sent_in(theirs, colleague)
    page = therapist_client.get(reverse("home")).content.decode()
    assert "Sent in by patients" in page
    assert review_url(tasks) in page
    assert theirs.last_name not in page  # a colleague's patient
    assert "locked after 5 wrong birth dates" in page


def test_a_lock_older_than_two_weeks_is_not_listed(therapist_client, patient, therapist):
    link, _token = home_services.home_link_create(patient=patient, user=therapist)
    HomeLink.objects.filter(pk=link.pk).update(
        locked_at=timezone.now() - datetime.timedelta(days=15)
    )
    assert b"locked after 5" not in therapist_client.get(reverse("home")).content


def test_the_dashboard_section_does_not_grow_the_query_count(
    admin_client_, patient, therapist, django_assert_num_queries
):
    sent_in(patient, therapist)
    with django_assert_num_queries(17):
        admin_client_.get(reverse("home"))
    for _ in range(4):
        other = PatientFactory(clinic=patient.clinic, assigned_therapist=therapist)
        sent_in(other, therapist)
        link, _token = home_services.home_link_create(patient=other, user=therapist)
        HomeLink.objects.filter(pk=link.pk).update(locked_at=timezone.now())
    with django_assert_num_queries(17):
        response = admin_client_.get(reverse("home"))
    assert len(response.context["sent_in"]) == 5 and len(response.context["locked_links"]) == 4


@pytest.mark.parametrize("days", [14, 30])
def test_the_clinic_sets_how_long_a_link_lasts(admin_client_, clinic, patient, days):
    response = admin_client_.post(settings_url(clinic), settings_data(clinic, home_link_days=days))
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.home_link_days == days
    send(admin_client_, patient)
    link = HomeLink.objects.get()
    assert (link.expires_at - link.created_at).days in (days - 1, days)


# --- In the browser ---------------------------------------------------------------------------

SHOTS = Path(os.environ.get("FLOORPLAN_SCREENSHOTS", "/tmp/floorplan-screenshots")) / "home-clinic"


def shoot(page, name: str, selector: str | None = None) -> None:
    """Screenshots at 1280 and 390 px (looked at while building; cheap to keep)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        target = page.locator(selector) if selector else page
        target.screenshot(
            path=str(SHOTS / f"{name}-{width}.png"), **({} if selector else {"full_page": True})
        )
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_therapist_sends_tasks_hands_over_the_link_and_reviews(page, patient, therapist):
    patient.email = "maria@example.org"
    patient.save()
    log_in(page, "tess")
    page.goto(reverse("patient_detail", args=[patient.pk]))
    assert check_here(page, "patient page") == []
    load_next_page(page, page.get_by_role("link", name="Send home tasks"))
    assert check_here(page, "send form") == []
    page.get_by_label("PFDI-20: pelvic floor distress (20 questions)").check()
    page.get_by_label("3IQ: which type of leaking (3 questions)").check()
    load_next_page(page, page.get_by_role("button", name="Send the tasks"))

    page.get_by_role("heading", name="Hand over the patient's link").wait_for()
    url = page.get_by_test_id("handover-url").input_value()
    assert url.startswith(page.url.split("/patients/")[0] + "/p/")
    # The script shows these buttons once it runs; wait for it rather than read too early.
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    expect(page.get_by_role("button", name="Print slip")).to_be_visible()
    assert page.get_by_label("Patient's email address").input_value() == "maria@example.org"
    assert check_here(page, "handover") == []
    shoot(page, "handover")
    page.emulate_media(media="print")
    assert not page.get_by_test_id("shown-once").is_visible()
    assert page.get_by_test_id("slip").is_visible()
    page.screenshot(path=str(SHOTS / "handover-print.png"), full_page=True)
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Send the email").click()
    page.get_by_text("Sent to maria@example.org.").wait_for()
    assert url in mail.outbox[0].body

    sent_in(patient, therapist)
    page.goto(reverse("patient_detail", args=[patient.pk]))
    shoot(page, "patient-card", "#home-tasks")
    page.get_by_test_id("home-to-review").get_by_role("link").first.click()
    page.get_by_role("heading", name="Sent in by the patient").wait_for()
    assert check_here(page, "review") == []
    shoot(page, "review")
    page.goto(reverse("home"))
    assert check_here(page, "dashboard") == []
    shoot(page, "dashboard", "[data-testid=sent-in]")
    page.goto(reverse("home_tasks_review", args=[HomeTasks.objects.to_review().get().pk]))
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("is now part of this assessment").wait_for()
    assert page.console_errors == []
