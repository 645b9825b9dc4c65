"""The patient's link (issue 11) keeps the record safe: a link that no longer works, or
belongs to someone else, shows nothing of the patient; a link never reaches another
clinic; guessing the birth date locks it; the token is never kept in clear; the pages are
never stored or indexed; and nothing the patient enters changes the record before a
therapist accepts it."""

import datetime
import logging
import re
import string
from urllib.parse import quote

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import questionnaires as q
from assessments.home_tokens import grouped, new_token
from assessments.models import Assessment, DiaryEntry, HomeDiaryEntry, HomeLink, HomeTasks
from assessments.services.home import (
    home_link_create,
    home_link_revoke,
    home_tasks_accept,
    home_tasks_send,
)
from assessments.services.questionnaires import assessment_questionnaires_save
from clinic.models import AccessLog, AuditAction
from tests.factories import AssessmentFactory, DiaryEntryFactory, PatientFactory

BORN = datetime.date(1958, 11, 23)
# The ways a page could show that birth date.
BORN_WRITTEN = ["1958-11-23", "23/11/1958", "11/23/1958", "23.11.1958", "Nov. 23, 1958", "1958"]
WRONG_DATES = ["1958-11-24", "1959-11-23", "1985-01-02", "1958-12-23", "2001-07-07"]
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def home_patient(clinic, therapist):
    """A patient with names no page would show by chance."""
    return PatientFactory(
        clinic=clinic,
        first_name="Rosalind",
        last_name="Okonkwo-Varga",
        preferred_name="Rosie",
        record_number="HX-4471",
        date_of_birth=BORN,
        assigned_therapist=therapist,
    )


def send_tasks(patient, user) -> HomeTasks:
    return home_tasks_send(
        patient=patient,
        user=user,
        questionnaires=["pfdi20", "pfiq7", "iqq3"],
        diary_days=3,
        due_on=None,
    )


def make_link(patient, user) -> tuple[HomeTasks, str]:
    tasks = send_tasks(patient, user)
    _link, token = home_link_create(patient=patient, user=user)
    return tasks, token


def check(client: Client, token: str, answer: str):
    return client.post(reverse("home_check", args=[token]), {"date_of_birth": answer})


def verified_client(token: str, born: datetime.date = BORN) -> Client:
    client = Client()
    response = check(client, token, born.isoformat())
    assert response.status_code == 302, response.status_code
    assert response["Location"] == reverse("home_tasks", args=[token])
    return client


def yesterday_at(hour: int, minute: int = 0) -> str:
    day = timezone.localdate() - datetime.timedelta(days=1)
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def add_entry(client: Client, token: str, **fields):
    data = {"event": "void", "time": yesterday_at(8), **fields}
    return client.post(reverse("home_diary", args=[token]), data)


def page_urls(token: str, entry_id: int) -> list[str]:
    return [
        reverse("home_check", args=[token]),
        reverse("home_tasks", args=[token]),
        reverse("home_diary", args=[token]),
        reverse("home_questionnaire", args=[token, "pfdi20", 1]),
        reverse("home_diary_entry", args=[token, entry_id]),
        reverse("home_submit", args=[token]),
        reverse("home_done", args=[token]),
    ]


def text_of(response) -> str:
    # A CSRF token is random letters: it could hold any short name by chance.
    return CSRF_VALUE.sub("", response.content.decode())


def assert_shows_nothing_of(response, *patients, typed: str = "") -> None:
    """Not the patients' names, record numbers or birth dates (except a date the visitor
    typed in, shown back to them)."""
    content = text_of(response).replace(f'value="{typed}"', "") if typed else text_of(response)
    for patient in patients:
        for shown in (
            patient.first_name,
            patient.last_name,
            patient.preferred_name,
            patient.record_number,
            patient.date_of_birth.isoformat(),
        ):
            if shown:
                assert shown not in content, shown
    for written in BORN_WRITTEN:
        assert written not in content, written


def pfdi20_section(section: int, answer: int) -> dict[str, int]:
    part = list(q.PFDI20_SCALES.values())[section - 1]
    return {f"item_{n}": answer for n in range(part.start + 1, part.stop + 1)}


# --- A link that no longer works -------------------------------------------------------------


def expire(link: HomeLink, token: str, user) -> None:
    HomeLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def revoke(link: HomeLink, token: str, user) -> None:
    home_link_revoke(link=link, user=user)


def lock(link: HomeLink, token: str, user) -> None:
    stranger = Client()
    for answer in WRONG_DATES:
        check(stranger, token, answer)


@pytest.mark.parametrize(
    ("close", "status"),
    [(expire, 410), (revoke, 410), (lock, 403)],
    ids=["expired", "revoked", "locked"],
)
def test_a_link_that_no_longer_works_shows_nothing_of_the_patient(
    home_patient, therapist, clinic, close, status
):
    tasks, token = make_link(home_patient, therapist)
    client = verified_client(token)
    assert add_entry(client, token).status_code == 302
    entry = HomeDiaryEntry.objects.get(tasks=tasks)
    # While the link works, the patient's page greets them by name: the checks below see
    # a page that would show it.
    assert "Rosie" in text_of(client.get(reverse("home_tasks", args=[token])))

    close(HomeLink.objects.get(patient=home_patient), token, therapist)

    for browser in (client, Client()):  # the patient's own browser, and any other
        for url in page_urls(token, entry.pk):
            response = browser.get(url)
            assert response.status_code == status, url
            assert_shows_nothing_of(response, home_patient)
            assert clinic.name in text_of(response)
    # Nothing can be written through it either.
    assert add_entry(client, token, time=yesterday_at(9)).status_code == status
    response = client.post(reverse("home_diary_entry", args=[token, entry.pk]), {"delete": "1"})
    assert response.status_code == status
    assert HomeDiaryEntry.objects.filter(tasks=tasks).count() == 1
    assert check(Client(), token, BORN.isoformat()).status_code == status


def test_an_unknown_token_is_a_404_that_names_no_one(home_patient, therapist, clinic):
    tasks, token = make_link(home_patient, therapist)
    client = verified_client(token)
    add_entry(client, token)
    entry = HomeDiaryEntry.objects.get(tasks=tasks)
    for unknown in (new_token(), token[:-1] + ("a" if token[-1] != "a" else "b")):
        for url in page_urls(unknown, entry.pk):
            response = client.get(url)
            assert response.status_code == 404, url
            assert_shows_nothing_of(response, home_patient)
            assert clinic.name not in text_of(response)


def test_the_token_as_printed_on_the_slip_opens_the_same_link(home_patient, therapist):
    _tasks, token = make_link(home_patient, therapist)
    client = verified_client(token)
    printed = grouped(token).upper()
    # The same link (this browser passed its check), not a new door to anything else.
    assert client.get(reverse("home_tasks", args=[printed])).status_code == 200


# --- Another patient's link ------------------------------------------------------------------


def test_a_browser_checked_for_one_patient_is_asked_again_for_another(
    home_patient, therapist, clinic
):
    other = PatientFactory(
        clinic=clinic,
        first_name="Gwendolyn",
        last_name="Pradhan-Ilves",
        preferred_name="Gwen",
        record_number="HX-9902",
        date_of_birth=datetime.date(1990, 2, 14),
    )
    tasks_a, token_a = make_link(home_patient, therapist)
    tasks_b, token_b = make_link(other, therapist)
    browser = verified_client(token_a)
    assert add_entry(browser, token_a).status_code == 302
    entry_a = HomeDiaryEntry.objects.get(tasks=tasks_a)

    for url in page_urls(token_b, entry_a.pk)[1:]:
        response = browser.get(url, follow=True)
        assert response.redirect_chain[-1][0] == reverse("home_check", args=[token_b]), url
        assert "date of birth" in text_of(response)
        assert_shows_nothing_of(response, home_patient, other)
        assert clinic.name in text_of(response)
    # A's birth date does not open B's link.
    response = check(browser, token_b, BORN.isoformat())
    assert response.status_code == 400
    assert_shows_nothing_of(response, home_patient, other, typed=BORN.isoformat())
    assert browser.get(reverse("home_tasks", args=[token_b])).status_code == 302

    # Once past B's check, A's diary entry is not reachable under B's link.
    assert check(browser, token_b, "1990-02-14").status_code == 302
    url = reverse("home_diary_entry", args=[token_b, entry_a.pk])
    assert browser.get(url).status_code == 404
    assert browser.post(url, {"delete": "1"}).status_code == 404
    assert browser.post(url, {"event": "leak", "time": yesterday_at(7)}).status_code == 404
    entry_a.refresh_from_db()
    assert entry_a.event == "void"
    assert HomeDiaryEntry.objects.filter(tasks=tasks_b).count() == 0


# --- Another clinic --------------------------------------------------------------------------


def test_a_link_of_one_clinic_never_reaches_another_clinics_data(
    home_patient, therapist, clinic, other_clinic, outsider
):
    theirs = PatientFactory(
        clinic=other_clinic,
        first_name="Theodora",
        last_name="Bjornsdottir",
        record_number="HB-0007",
        date_of_birth=datetime.date(1977, 6, 30),
    )
    their_tasks = send_tasks(theirs, outsider)
    tasks, token = make_link(home_patient, therapist)

    browser = Client()
    response = check(browser, token, "1977-06-30")
    assert response.status_code == 400
    assert_shows_nothing_of(response, theirs, home_patient, typed="1977-06-30")
    assert other_clinic.name not in text_of(response)
    assert browser.get(reverse("home_tasks", args=[token])).status_code == 302

    assert check(browser, token, BORN.isoformat()).status_code == 302
    for hour in (7, 9, 11):
        assert add_entry(browser, token, time=yesterday_at(hour)).status_code == 302
    response = browser.post(
        reverse("home_questionnaire", args=[token, "pfdi20", 1]), pfdi20_section(1, 2)
    )
    assert response.status_code == 302
    for page in page_urls(token, HomeDiaryEntry.objects.filter(tasks=tasks).first().pk):
        response = browser.get(page, follow=True)
        assert response.status_code == 200
        assert theirs.last_name not in text_of(response)
        assert other_clinic.name not in text_of(response)

    assert HomeDiaryEntry.objects.filter(tasks=tasks).count() == 3
    assert not HomeDiaryEntry.objects.filter(tasks__patient__clinic=other_clinic).exists()
    their_tasks.refresh_from_db()
    assert their_tasks.answers == {}
    tasks.refresh_from_db()
    assert tasks.answers["pfdi20"][:6] == [2] * 6
    rows = AccessLog.objects.filter(patient__in=[home_patient, theirs])
    assert set(rows.values_list("clinic_id", flat=True)) == {clinic.pk}


# --- Guessing the birth date -----------------------------------------------------------------


def test_five_wrong_birth_dates_lock_the_link_and_tell_the_clinic(
    home_patient, therapist, clinic, django_capture_on_commit_callbacks
):
    clinic.email = "front-desk@riverside.example"
    clinic.save()
    _tasks, token = make_link(home_patient, therapist)
    browser = Client()
    for n, answer in enumerate(WRONG_DATES[:4], start=1):
        response = check(browser, token, answer)
        assert response.status_code == 400
        assert f"Tries left: {5 - n}" in text_of(response)
    with django_capture_on_commit_callbacks(execute=True):
        fifth = check(browser, token, WRONG_DATES[4])
    assert fifth.status_code == 403
    assert "locked" in text_of(fifth)
    assert_shows_nothing_of(fifth, home_patient)

    # The sixth answer, even the right one, is refused; so is a fresh browser.
    sixth = check(browser, token, BORN.isoformat())
    assert sixth.status_code == 403
    assert browser.get(reverse("home_tasks", args=[token])).status_code == 403
    fresh = Client()
    assert fresh.get(reverse("home_check", args=[token])).status_code == 403
    assert check(fresh, token, BORN.isoformat()).status_code == 403
    assert fresh.get(reverse("home_tasks", args=[token])).status_code == 403

    link = HomeLink.objects.get(patient=home_patient)
    assert link.locked_at is not None
    assert link.wrong_birth_dates == 5
    locked_rows = AccessLog.objects.filter(
        patient=home_patient, action=AuditAction.HOME_LINK, what__icontains="locked"
    )
    assert locked_rows.count() == 1
    assert AuditAction.HOME_LINK == "home_link"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["front-desk@riverside.example"]
    assert clinic.name in mail.outbox[0].body
    # The email names no patient: the dashboard does, behind the clinic's sign-in.
    sent = mail.outbox[0].subject + mail.outbox[0].body
    for shown in (home_patient.first_name, home_patient.last_name, home_patient.record_number):
        assert shown not in sent
    assert token not in sent


def test_a_clinic_without_an_email_still_locks_without_sending(
    home_patient, therapist, clinic, django_capture_on_commit_callbacks
):
    assert not clinic.email
    _tasks, token = make_link(home_patient, therapist)
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        for answer in WRONG_DATES:
            check(browser, token, answer)
    assert HomeLink.objects.get(patient=home_patient).locked_at is not None
    assert mail.outbox == []


def test_four_wrong_birth_dates_then_the_right_one_open_the_link(home_patient, therapist):
    _tasks, token = make_link(home_patient, therapist)
    browser = Client()
    for answer in WRONG_DATES[:4]:
        assert check(browser, token, answer).status_code == 400
    assert check(browser, token, BORN.isoformat()).status_code == 302
    response = browser.get(reverse("home_tasks", args=[token]))
    assert response.status_code == 200
    assert "Rosie" in text_of(response)
    assert HomeLink.objects.get(patient=home_patient).locked_at is None


def test_guesses_from_two_browsers_at_once_all_count(home_patient, therapist):
    _tasks, token = make_link(home_patient, therapist)
    first, second = Client(), Client()
    assert "Tries left: 4" in text_of(check(first, token, WRONG_DATES[0]))
    assert "Tries left: 3" in text_of(check(second, token, WRONG_DATES[1]))
    assert "Tries left: 2" in text_of(check(first, token, WRONG_DATES[2]))
    assert "Tries left: 1" in text_of(check(second, token, WRONG_DATES[3]))
    assert check(first, token, WRONG_DATES[4]).status_code == 403
    assert check(second, token, BORN.isoformat()).status_code == 403
    link = HomeLink.objects.get(patient=home_patient)
    assert (link.wrong_birth_dates, link.locked_at is not None) == (5, True)


def test_a_date_that_is_not_a_date_is_not_counted_as_a_guess(home_patient, therapist):
    _tasks, token = make_link(home_patient, therapist)
    browser = Client()
    for typed in ("", "yesterday", "1958-13-45"):
        assert check(browser, token, typed).status_code == 400
    assert HomeLink.objects.get(patient=home_patient).wrong_birth_dates == 0


# --- The token is never kept -----------------------------------------------------------------


def use_the_link(patient, therapist, capture_on_commit) -> str:
    """Make a link and use it as a patient would (a typo, the check, the diary, a
    questionnaire), then let someone else guess until it locks. Returns the token."""
    tasks, token = make_link(patient, therapist)
    browser = Client()
    check(browser, token, WRONG_DATES[0])
    browser = verified_client(token)
    browser.get(reverse("home_tasks", args=[token]))
    assert add_entry(browser, token).status_code == 302
    entry = HomeDiaryEntry.objects.get(tasks=tasks)
    browser.get(reverse("home_diary_entry", args=[token, entry.pk]))
    browser.post(
        reverse("home_diary_entry", args=[token, entry.pk]),
        {"event": "void", "time": yesterday_at(8, 5), "volume_ml": "300"},
    )
    browser.post(reverse("home_questionnaire", args=[token, "pfdi20", 1]), pfdi20_section(1, 1))
    browser.get(reverse("home_submit", args=[token]))
    # Someone else guessing until the link locks: those rows too.
    with capture_on_commit(execute=True):
        for answer in WRONG_DATES[1:]:
            check(Client(), token, answer)
    return token


def test_the_token_is_never_stored_in_clear(
    home_patient, therapist, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="floorplan.requests")
    token = use_the_link(home_patient, therapist, django_capture_on_commit_callbacks)

    forms_of_token = {token, token.upper(), grouped(token)}
    rows = list(AccessLog.objects.filter(patient=home_patient))
    assert len(rows) >= 8
    for row in rows:
        for value in (row.path, row.what, row.query, row.username):
            assert not any(t in value for t in forms_of_token), value
    for link in HomeLink.objects.filter(patient=home_patient).values():
        assert not any(t in str(value) for value in link.values() for t in forms_of_token)
    for tasks_row in HomeTasks.objects.filter(patient=home_patient).values():
        assert not any(t in str(value) for value in tasks_row.values() for t in forms_of_token)
    for session in Session.objects.all():
        assert token not in str(session.get_decoded())
    lines = [r.getMessage() for r in caplog.records if r.name == "floorplan.requests"]
    assert len(lines) >= 8
    assert not any(t in line for line in lines for t in forms_of_token)


def test_no_log_line_holds_the_token(
    home_patient, therapist, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO)
    token = use_the_link(home_patient, therapist, django_capture_on_commit_callbacks)
    assert caplog.records
    assert [r.getMessage() for r in caplog.records if token in r.getMessage()] == []


# --- Never stored by a browser, never indexed ------------------------------------------------


# Policies under which a browser sends no address (so no token) to any other site.
# ("no-referrer" would also make it post forms with "Origin: null", which CSRF refuses.)
TOKEN_KEEPING_POLICIES = {"same-origin", "no-referrer"}


def assert_private(response, url: str) -> None:
    assert "no-store" in response["Cache-Control"], url
    assert "noindex" in response["X-Robots-Tag"], url
    assert response["Referrer-Policy"] in TOKEN_KEEPING_POLICIES, url
    content = text_of(response)
    assert re.search(r'<meta name="robots" content="noindex', content), url
    policy = re.search(r'<meta name="referrer" content="([^"]+)"', content)
    assert policy is not None and policy.group(1) in TOKEN_KEEPING_POLICIES, url


def test_every_page_under_the_link_is_private(home_patient, therapist):
    tasks, token = make_link(home_patient, therapist)
    stranger = Client()
    response = stranger.get(reverse("home_check", args=[token]))
    assert response.status_code == 200
    assert_private(response, "check")
    response = check(stranger, token, WRONG_DATES[0])
    assert response.status_code == 400
    assert_private(response, "wrong birth date")
    # Before the check, a page sends the browser to it, naming no one.
    response = stranger.get(reverse("home_diary", args=[token]))
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]

    browser = verified_client(token)
    add_entry(browser, token)
    entry = HomeDiaryEntry.objects.get(tasks=tasks)
    for url in page_urls(token, entry.pk):
        response = browser.get(url, follow=True)
        assert response.status_code == 200, url
        assert_private(response, url)
    response = add_entry(browser, token, time=yesterday_at(10))
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] in TOKEN_KEEPING_POLICIES
    response = add_entry(browser, token, event="")
    assert response.status_code == 400
    assert_private(response, "diary with an error")

    home_link_revoke(link=HomeLink.objects.get(patient=home_patient), user=therapist)
    response = browser.get(reverse("home_tasks", args=[token]))
    assert response.status_code == 410
    assert_private(response, "stopped link")


# --- Nothing changes in the record before acceptance -----------------------------------------


def record_of(assessment: Assessment) -> dict:
    assessment.refresh_from_db()
    return {
        "questionnaires": assessment.questionnaires,
        "pfdi20_total": assessment.pfdi20_total,
        "pfiq7_total": assessment.pfiq7_total,
        "version": getattr(assessment, "version", None),
        "updated_at": assessment.updated_at,
        "diary": list(
            DiaryEntry.objects.filter(assessment=assessment).values_list(
                "time", "event", "volume_ml", "urgency", "note"
            )
        ),
    }


def test_nothing_changes_in_the_record_until_a_therapist_accepts(home_patient, therapist, clinic):
    draft = AssessmentFactory(patient=home_patient, therapist=therapist)
    draft = assessment_questionnaires_save(
        assessment=draft, answers={"pfdi20": [1] * 20}, user=therapist
    )
    day = datetime.date(2026, 11, 1)
    for hour, volume in ((8, 200), (12, 250)):
        at = datetime.datetime.combine(day, datetime.time(hour))  # wall clock, no zone
        DiaryEntryFactory(assessment=draft, at=at, volume_ml=volume)
    before = record_of(draft)
    assert before["pfdi20_total"] is not None
    assessments_before = Assessment.objects.count()

    tasks, token = make_link(home_patient, therapist)
    browser = verified_client(token)
    for section in (1, 2, 3):
        response = browser.post(
            reverse("home_questionnaire", args=[token, "pfdi20", section]),
            pfdi20_section(section, 3),
        )
        assert response.status_code == 302
    for hour, event, volume in ((7, "rise", ""), (8, "void", "320"), (9, "drink", "250")):
        response = add_entry(browser, token, event=event, time=yesterday_at(hour), volume_ml=volume)
        assert response.status_code == 302
    assert record_of(draft) == before
    assert browser.post(reverse("home_submit", args=[token])).status_code == 302

    tasks.refresh_from_db()
    assert tasks.submitted_at is not None
    assert tasks.answers["pfdi20"] == [3] * 20
    assert HomeDiaryEntry.objects.filter(tasks=tasks).count() == 3
    assert record_of(draft) == before
    assert Assessment.objects.count() == assessments_before
    assert not Assessment.objects.exclude(pk=draft.pk).filter(patient=home_patient).exists()

    # The therapist accepts into the draft: only now does the record change.
    home_tasks_accept(tasks=tasks, user=therapist, assessment=draft)
    after = record_of(draft)
    assert after["questionnaires"]["pfdi20"] == [3] * 20
    assert after["pfdi20_total"] != before["pfdi20_total"]
    assert [event for _t, event, *_ in after["diary"]] == ["rise", "void", "drink"]
    assert Assessment.objects.count() == assessments_before


# --- Any input: never a server error ---------------------------------------------------------

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=string.printable, max_size=40),
    st.sampled_from(
        [
            "",
            "1958-11-23",
            "1958-11-23T08:00",
            "23/11/1958",
            "0000-00-00",
            "9999-12-31",
            "-1",
            "1e999",
            "NaN",
            "\x00",
            "<script>alert(1)</script>",
            "١٩٥٨-١١-٢٣",
            "' OR 1=1 --",
        ]
    ),
)
DIARY_FIELDS = ["event", "time", "volume_ml", "urgency", "note", "delete", "later"]


FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FAST
@given(answer=hostile_text, extra=st.dictionaries(st.text(max_size=10), hostile_text, max_size=3))
def test_the_birth_date_check_takes_anything_without_a_server_error(
    clinic, therapist, answer, extra
):
    # A patient and link of its own for each example: no example locks the next one out.
    patient = PatientFactory(clinic=clinic, date_of_birth=BORN)
    _link, token = home_link_create(patient=patient, user=therapist)
    browser = Client()
    response = browser.post(reverse("home_check", args=[token]), {**extra, "date_of_birth": answer})
    assert response.status_code in (302, 400)
    opened = browser.get(reverse("home_tasks", args=[token]))
    assert opened.status_code == (200 if response.status_code == 302 else 302)


@FAST
@given(token=st.text(max_size=70))
def test_any_address_under_the_link_is_a_404_not_an_error(db, token):
    response = Client().get("/p/" + quote(token, safe="") + "/")
    assert response.status_code in (404, 301, 302, 400)


@pytest.fixture
def diary_visit(home_patient, therapist):
    """One patient's open diary and a browser past the check, shared by the examples."""
    tasks, token = make_link(home_patient, therapist)
    return tasks, token, verified_client(token)


@FAST
@given(data=st.dictionaries(st.sampled_from(DIARY_FIELDS), hostile_text, max_size=7))
def test_the_diary_takes_anything_without_a_server_error(diary_visit, data):
    tasks, token, browser = diary_visit
    before = HomeDiaryEntry.objects.filter(tasks=tasks).count()
    response = browser.post(reverse("home_diary", args=[token]), data)
    assert response.status_code in (302, 400)
    after = HomeDiaryEntry.objects.filter(tasks=tasks).count()
    assert after == before + (1 if response.status_code == 302 else 0)
    entry = HomeDiaryEntry.objects.filter(tasks=tasks).first()
    if entry is not None:
        response = browser.post(reverse("home_diary_entry", args=[token, entry.pk]), data)
        assert response.status_code in (302, 400)
