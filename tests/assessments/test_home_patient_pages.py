"""The patient's own pages (issue 11), opened by their link after the birth-date check:
the list of tasks, the questionnaires a screen at a time, the diary's big buttons, sending
it in, and the thank-you. Plain forms: every test posts as a browser without JavaScript."""

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import wallclock
from assessments.diary import DiaryEvent
from assessments.models import HomeDiaryEntry, HomeTasks
from assessments.services.home import (
    complete_answers,
    home_diary_add,
    home_link_create,
    home_tasks_send,
)
from tests.conftest import load_next_page
from tests.factories import PatientFactory
from tests.practice.test_browser_accessibility import serious_violations

BIRTH_DATE = "1970-05-17"  # PatientFactory's


def today() -> date:
    return timezone.localtime().date()


def at(day: date, clock: str) -> str:
    return f"{day.isoformat()}T{clock}"


@pytest.fixture
def tasks(patient, therapist):
    return home_tasks_send(
        patient=patient,
        user=therapist,
        questionnaires=["pfdi20", "pfiq7", "iqq3"],
        diary_days=3,
        due_on=date(2026, 3, 20),
    )


@pytest.fixture
def token(patient, therapist, tasks):
    _link, token = home_link_create(patient=patient, user=therapist)
    return token


@pytest.fixture
def visitor(client, token):
    """A browser that has opened the link and given the right birth date."""
    response = client.post(
        reverse("home_check", kwargs={"token": token}), {"date_of_birth": BIRTH_DATE}
    )
    assert response.status_code == 302
    return client


def url(view, token, **kwargs):
    return reverse(view, kwargs={"token": token, **kwargs})


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def checked(html: str, name: str, value: str) -> bool:
    return bool(re.search(rf'name="{name}" value="{value}"[^>]*\bchecked\b', html))


# --- The door ------------------------------------------------------------------------------


def test_every_page_without_the_birth_date_check_goes_to_it(client, token, tasks):
    entry = home_diary_add(
        tasks=tasks,
        event=DiaryEvent(0, datetime(2026, 3, 2, 7, 40), "void", 300, 1, ""),  # noqa: DTZ001
    )
    pages = [
        url("home_tasks", token),
        url("home_questionnaire", token, name="pfdi20", section=1),
        url("home_diary", token),
        url("home_diary_entry", token, entry_id=entry.pk),
        url("home_submit", token),
        url("home_done", token),
    ]
    for page in pages:
        for method in (client.get, client.post):
            response = method(page)
            assert response.status_code == 302, page
            assert response["Location"] == url("home_check", token)
    assert HomeDiaryEntry.objects.count() == 1
    assert HomeTasks.objects.get().submitted_at is None


def test_pages_are_never_indexed_nor_kept(visitor, token):
    response = visitor.get(url("home_tasks", token))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # Nothing (no address, no token) is sent to another site; our own forms keep their
    # Origin, which the CSRF check needs ("no-referrer" would make it "null").
    assert response["Referrer-Policy"] == "same-origin"


# --- The list of tasks ---------------------------------------------------------------------


def test_the_list_greets_the_patient_and_shows_each_task(visitor, token, patient):
    patient.preferred_name = "Mari"
    patient.save()
    response = visitor.get(url("home_tasks", token))
    html = text(response)
    assert response.status_code == 200
    assert "Hello Mari" in html
    assert "Santos" not in html  # a first name is enough; nothing more of the record
    assert "20 March 2026" in html
    assert "Your pelvic floor symptoms" in html and "PFDI-20" in html
    assert "How symptoms affect your daily life" in html
    assert "Leaking urine" in html
    assert html.count("Not started") == 4
    assert "Send to the clinic" not in html  # nothing entered yet


# --- Questionnaires ------------------------------------------------------------------------


def answer(visitor, token, name, section, values, **extra):
    data = {f"item_{number}": value for number, value in values.items()}
    return visitor.post(
        url("home_questionnaire", token, name=name, section=section), {**data, **extra}
    )


def test_each_pfdi20_section_saves_and_resumes(visitor, token, tasks):
    response = answer(visitor, token, "pfdi20", 1, {n: 1 for n in range(1, 7)}, next="")
    assert response["Location"] == url("home_questionnaire", token, name="pfdi20", section=2)
    tasks.refresh_from_db()
    assert tasks.answers["pfdi20"] == [1] * 6 + [None] * 14

    # Coming back shows what was saved, and where the patient is.
    again = visitor.get(url("home_questionnaire", token, name="pfdi20", section=1))
    assert checked(text(again), "item_1", "1") and checked(text(again), "item_6", "1")
    assert "Part 1 of 3" in text(again)
    assert "Part 2 of 3" in text(visitor.get(response["Location"]))
    listing = text(visitor.get(url("home_tasks", token)))
    assert "1 of 3 parts done" in listing
    assert url("home_questionnaire", token, name="pfdi20", section=2) in listing  # resumes there
    assert "Send to the clinic" in listing

    answer(visitor, token, "pfdi20", 2, {n: 2 for n in range(7, 15)}, next="")
    done = answer(visitor, token, "pfdi20", 3, {n: 0 for n in range(15, 21)}, next="")
    assert done["Location"] == url("home_tasks", token)
    tasks.refresh_from_db()
    assert tasks.answers["pfdi20"] == [1] * 6 + [2] * 8 + [0] * 6
    assert "pfdi20" in complete_answers(tasks)
    assert "Done" in text(visitor.get(url("home_tasks", token)))


def test_a_question_left_is_kept_for_later_and_not_scored(visitor, token, tasks):
    response = answer(visitor, token, "pfdi20", 1, {1: 0, 2: 4, 3: 0, 4: 0, 5: 1}, next="")
    assert response.status_code == 302
    page = visitor.get(response["Location"])
    assert "Questions left unanswered on that page: 1" in " ".join(messages_of(page))
    tasks.refresh_from_db()
    assert tasks.answers["pfdi20"][:6] == [0, 4, 0, 0, 1, None]
    assert complete_answers(tasks) == {}
    assert "Not finished" in text(visitor.get(url("home_submit", token)))


def test_going_back_saves_and_opens_the_previous_part(visitor, token, tasks):
    response = answer(visitor, token, "pfiq7", 2, {n: 3 for n in range(1, 8)}, back="")
    assert response["Location"] == url("home_questionnaire", token, name="pfiq7", section=1)
    tasks.refresh_from_db()
    assert tasks.answers["pfiq7"] == {
        "bladder": [None] * 7,
        "bowel": [3] * 7,
        "prolapse": [None] * 7,
    }


def test_an_answer_not_offered_is_named_and_nothing_saved(visitor, token, tasks):
    response = answer(visitor, token, "pfdi20", 1, {1: 9, 2: 1}, next="")
    assert response.status_code == 400
    assert "Nothing was saved" in text(response)
    assert "Question 1" in text(response) and "Please choose one of the answers shown." in text(
        response
    )
    tasks.refresh_from_db()
    assert "pfdi20" not in tasks.answers


def test_the_3iq_on_one_screen(visitor, token, tasks):
    page = url("home_questionnaire", token, name="iqq3", section=1)
    mismatch = visitor.post(page, {"any_leak": "yes", "when": ["urge"], "most_often": "activity"})
    assert mismatch.status_code == 400
    assert "Question 3 does not match question 2" in text(mismatch)
    tasks.refresh_from_db()
    assert "iqq3" not in tasks.answers

    visitor.post(page, {"any_leak": "yes", "when": ["urge", "activity"], "most_often": "urge"})
    tasks.refresh_from_db()
    assert complete_answers(tasks)["iqq3"] == {
        "any_leak_3_months": True,
        "when": ["urge", "activity"],
        "most_often": "urge",
    }
    assert checked(text(visitor.get(page)), "most_often", "urge")

    # Half answered is kept, but not given to the clinic as an answer.
    visitor.post(page, {"any_leak": "yes"})
    tasks.refresh_from_db()
    assert tasks.answers["iqq3"] == {"any_leak_3_months": True}
    assert "iqq3" not in complete_answers(tasks)

    visitor.post(page, {"any_leak": "no", "when": ["urge"]})
    tasks.refresh_from_db()
    assert complete_answers(tasks)["iqq3"] == {"any_leak_3_months": False}


def test_a_questionnaire_not_asked_for_is_not_there(visitor, token, patient, therapist):
    home_tasks_send(
        patient=patient, user=therapist, questionnaires=["iqq3"], diary_days=0, due_on=None
    )
    assert (
        visitor.get(url("home_questionnaire", token, name="pfdi20", section=1)).status_code == 404
    )
    assert visitor.get(url("home_questionnaire", token, name="iqq3", section=2)).status_code == 404
    assert (
        visitor.get(url("home_questionnaire", token, name="oab_v8", section=1)).status_code == 404
    )
    assert visitor.get(url("home_diary", token)).status_code == 404


# --- The diary -----------------------------------------------------------------------------


def log(visitor, token, event, time, **details):
    return visitor.post(url("home_diary", token), {"event": event, "time": time, **details})


def test_the_diary_buttons_save_each_entry_at_the_time_given(visitor, token, tasks):
    day = today()
    page = text(visitor.get(url("home_diary", token)))
    assert "Day 1 of 3" in page
    for label in (
        "I went to the toilet",
        "I had a drink",
        "I leaked",
        "I’m going to bed",
        "I got up",
    ):
        assert label in page
    # The time waits at now, in the clinic's local time.
    now = timezone.localtime().replace(tzinfo=None)
    assert f'value="{now:%Y-%m-%dT%H:}' in page

    response = log(visitor, token, "void", at(day, "07:40"), volume_ml="300", urgency="2")
    assert response["Location"] == url("home_diary", token)
    follow = visitor.get(response["Location"])
    assert "Saved: toilet at 07:40." in messages_of(follow)
    log(visitor, token, "drink", at(day, "08:05"), volume_ml="250")
    # The details are shared by the buttons: a leak has no amount, a drink no urge.
    log(visitor, token, "leak", at(day, "09:10"), volume_ml="80", urgency="4", note="sneezed")
    log(visitor, token, "rise", at(day, "06:55"), urgency="3")

    entries = {e.event: e for e in HomeDiaryEntry.objects.filter(tasks=tasks)}
    assert wallclock.from_db(entries["void"].time) == datetime.fromisoformat(at(day, "07:40"))
    assert (entries["void"].volume_ml, entries["void"].urgency) == (300, 2)
    assert (entries["drink"].volume_ml, entries["drink"].urgency) == (250, None)
    assert (entries["leak"].volume_ml, entries["leak"].urgency, entries["leak"].note) == (
        None,
        4,
        "sneezed",
    )
    assert entries["rise"].urgency is None

    page = text(visitor.get(url("home_diary", token)))
    listing = page[page.index("What you have entered") :]
    assert listing.index("06:55") < listing.index("07:40") < listing.index("09:10")
    assert "sneezed" in listing
    assert "4 entries" in text(visitor.get(url("home_tasks", token)))


def test_yesterday_is_listed_after_today_and_counts_as_day_one(visitor, token, tasks):
    yesterday = today() - timedelta(days=1)
    log(visitor, token, "bed", at(yesterday, "22:30"))
    log(visitor, token, "rise", at(today(), "06:30"))
    page = text(visitor.get(url("home_diary", token)))
    assert "Day 2 of 3" in page
    assert page.index("Today") < page.index("Yesterday")


def test_a_diary_copied_in_from_paper_is_not_done_until_every_day_has_entries(
    visitor, token, tasks
):
    # Two days kept on paper and typed in days later: the calendar is past day 3, but only
    # two days have entries, so the diary is not "done" and the patient is told so. The
    # voids after midnight belong to the night before; the third morning's getting up and
    # first void only close day 2; an entry dated tomorrow (a slip) counts for nothing yet.
    one, two, three = (today() - timedelta(days=n) for n in (5, 4, 3))
    for event, when, volume in (
        ("rise", at(one, "07:00"), ""),
        ("void", at(one, "07:10"), "300"),
        ("drink", at(one, "08:00"), "250"),
        ("bed", at(one, "22:30"), ""),
        ("void", at(two, "03:15"), "200"),
        ("rise", at(two, "07:00"), ""),
        ("void", at(two, "07:05"), "280"),
        ("bed", at(two, "23:00"), ""),
        ("void", at(three, "02:00"), "150"),
        ("rise", at(three, "06:45"), ""),
        ("void", at(three, "06:50"), "310"),
        ("void", at(today() + timedelta(days=1), "00:00"), "200"),  # within the day ahead
    ):
        log(visitor, token, event, when, volume_ml=volume)
    assert HomeDiaryEntry.objects.filter(tasks=tasks).count() == 12
    page = text(visitor.get(url("home_diary", token)))
    assert "You have entries on 2 days; the clinic asked for 3." in page
    assert "Add the days you kept on paper" in page
    assert "are done" not in page
    listing = text(visitor.get(url("home_tasks", token)))
    assert "Entries on 2 of 3 days" in listing and "days done" not in listing

    log(visitor, token, "void", at(three, "11:30"), volume_ml="250")
    page = text(visitor.get(url("home_diary", token)))
    assert "Your 3 days are done." in page
    assert "All 3 days done" in text(visitor.get(url("home_tasks", token)))


def test_an_entry_can_be_changed_then_deleted(visitor, token, tasks):
    yesterday = today() - timedelta(days=1)
    log(visitor, token, "void", at(yesterday, "21:15"), volume_ml="200")
    entry = HomeDiaryEntry.objects.get()
    edit = url("home_diary_entry", token, entry_id=entry.pk)
    form = text(visitor.get(edit))
    assert f'value="{yesterday.isoformat()}T21:15"' in form and 'value="200"' in form

    response = visitor.post(
        edit, {"event": "void", "time": at(yesterday, "21:45"), "volume_ml": "350", "urgency": "1"}
    )
    assert response["Location"] == url("home_diary", token)
    entry.refresh_from_db()
    assert wallclock.from_db(entry.time) == datetime.fromisoformat(at(yesterday, "21:45"))
    assert (entry.volume_ml, entry.urgency) == (350, 1)

    response = visitor.post(edit, {"delete": ""})
    assert "Deleted: toilet at 21:45." in messages_of(visitor.get(response["Location"]))
    assert not HomeDiaryEntry.objects.exists()


def test_another_patients_entry_is_not_found(visitor, token, therapist, clinic):
    other = PatientFactory(clinic=clinic)
    other_tasks = home_tasks_send(
        patient=other, user=therapist, questionnaires=[], diary_days=3, due_on=None
    )
    entry = home_diary_add(
        tasks=other_tasks,
        event=DiaryEvent(0, datetime(2026, 3, 2, 7, 40), "void", 300, 1, ""),  # noqa: DTZ001
    )
    assert visitor.get(url("home_diary_entry", token, entry_id=entry.pk)).status_code == 404
    assert (
        visitor.post(url("home_diary_entry", token, entry_id=entry.pk), {"delete": ""}).status_code
        == 404
    )
    assert HomeDiaryEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    ("details", "said"),
    [
        ({"time": "yesterday-ish"}, "When: this is not a date and time."),
        ({"time": ""}, "When: please give the date and time."),
        ({"time": "2026-02-30T07:00"}, "When: this is not a date and time."),
        ({"time": "1999-03-02T07:00"}, "When: this date is too long ago."),
        ({"volume_ml": "2500"}, "Amount: write a whole number of mL from 0 to 2000."),
        ({"volume_ml": "-5"}, "Amount: write a whole number of mL from 0 to 2000."),
        ({"volume_ml": "a cup"}, "Amount: write a whole number of mL from 0 to 2000."),
        ({"urgency": "7"}, "Urge: choose one of the answers 0 to 4."),
        ({"event": "sleep"}, "Tap one of the big buttons to say what happened."),
        ({"event": ""}, "Tap one of the big buttons to say what happened."),
        ({"note": "x" * 1001}, "Note: please keep it under 1000 characters."),
        ({"note": "a\x00b"}, "Note: it contains a character we cannot keep."),
    ],
)
def test_bad_input_is_named_and_nothing_saved(visitor, token, tasks, details, said):
    entry = home_diary_add(
        tasks=tasks,
        event=DiaryEvent(0, datetime.fromisoformat(at(today(), "06:00")), "rise", None, None, ""),
    )
    data = {"event": "void", "time": at(today(), "07:40"), **details}
    response = visitor.post(url("home_diary", token), data)
    assert response.status_code == 400
    assert said in text(response) and "Nothing was saved." in text(response)
    assert HomeDiaryEntry.objects.count() == 1

    edited = visitor.post(url("home_diary_entry", token, entry_id=entry.pk), data)
    assert edited.status_code == 400 and said in text(edited)
    entry.refresh_from_db()
    assert entry.event == "rise"


def test_pressing_enter_in_a_field_does_not_log_a_toilet_visit(visitor, token):
    # The form's first submit button is disabled: a browser's Enter submits nothing.
    page = text(visitor.get(url("home_diary", token)))
    form = page[page.index('class="home-diary-form"') :]
    first_button = re.search(r"<button[^>]*>", form).group(0)
    assert "disabled" in first_button and "name=" not in first_button


# --- Sending it in -------------------------------------------------------------------------


def test_sending_closes_the_tasks_and_later_changes_are_refused(visitor, token, tasks):
    log(visitor, token, "void", at(today(), "07:40"), volume_ml="300")
    answer(visitor, token, "pfdi20", 1, {n: 1 for n in range(1, 7)}, next="")
    entry = HomeDiaryEntry.objects.get()

    confirm = text(visitor.get(url("home_submit", token)))
    assert "1 entry, on 1 day (the clinic asked for 3)" in confirm
    assert "Not finished" in confirm and "Not started." in confirm
    response = visitor.post(url("home_submit", token))
    assert response["Location"] == url("home_done", token)
    done = text(visitor.get(response["Location"]))
    assert "Thank you, the clinic has what you sent." in done
    assert "Your therapist will look at it before your next visit." in done
    assert "Nothing changes in your care until they do." in done
    tasks.refresh_from_db()
    assert tasks.submitted_at is not None
    answers_sent = tasks.answers

    entry_page = url("home_diary_entry", token, entry_id=entry.pk)
    attempts = [
        lambda: log(visitor, token, "drink", at(today(), "08:00")),
        lambda: answer(visitor, token, "pfdi20", 2, {n: 1 for n in range(7, 15)}, next=""),
        lambda: visitor.post(entry_page, {"delete": ""}),
        lambda: visitor.post(entry_page, {"event": "leak", "time": at(today(), "07:00")}),
        lambda: visitor.post(url("home_submit", token)),
    ]
    for attempt in attempts:
        response = attempt()
        assert response["Location"] == url("home_tasks", token)
        said = messages_of(visitor.get(response["Location"]))
        assert said == ["What you sent is already with the clinic: nothing was changed."]
    tasks.refresh_from_db()
    assert tasks.answers == answers_sent
    assert list(HomeDiaryEntry.objects.values_list("event", "volume_ml")) == [("void", 300)]
    # Every page now says thank you instead of showing a form.
    for page in (url("home_tasks", token), url("home_diary", token), url("home_submit", token)):
        html = text(visitor.get(page))
        assert "Thank you, the clinic has what you sent." in html and "<form" not in html


def test_nothing_entered_cannot_be_sent(visitor, token, tasks):
    assert "There is nothing to send yet." in text(visitor.get(url("home_submit", token)))
    response = visitor.post(url("home_submit", token))
    assert response["Location"] == url("home_tasks", token)
    tasks.refresh_from_db()
    assert tasks.submitted_at is None


def test_the_done_page_waits_until_something_was_sent(visitor, token):
    assert visitor.get(url("home_done", token))["Location"] == url("home_tasks", token)


# --- The patient's language ----------------------------------------------------------------


def test_the_pages_are_in_the_patients_language(visitor, token, patient):
    clinic = patient.clinic
    clinic.printed_languages = ["en", "es"]
    clinic.save()
    patient.preferred_language = "es"
    patient.save()
    response = visitor.get(url("home_tasks", token))
    html = text(response)
    assert response["Content-Language"] == "es"
    assert '<html lang="es">' in html
    assert "Ir al contenido" in html  # "Skip to content", long translated
    assert "20 de marzo de 2026" in html  # the due date, spelled out in Spanish
    diary = text(visitor.get(url("home_diary", token)))
    assert "Ir al contenido" in diary


# --- In a phone's browser: axe, 390 px, 200% zoom --------------------------------------------

SHOTS = Path("/tmp/home-patient-shots")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_patient_page_on_a_phone(page, live_server, patient, therapist):
    patient.clinic.phone = "555 0100"
    patient.clinic.save()
    tasks = home_tasks_send(
        patient=patient,
        user=therapist,
        questionnaires=["pfdi20", "pfiq7", "iqq3"],
        diary_days=3,
        due_on=date(2026, 3, 20),
    )
    _link, token = home_link_create(patient=patient, user=therapist)
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    found: list[str] = []

    def look(name: str) -> None:
        found.extend(serious_violations(page, name))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            found.append(f"{name}: {width} px wide at 390 px")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        # 200% zoom on a 390 px phone: a 195 px wide page, still nothing off the side.
        page.set_viewport_size({"width": 195, "height": 422})
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 195:
            found.append(f"{name}: {width} px wide at 200% zoom")
        page.screenshot(path=str(SHOTS / f"{name}-zoom200.png"))
        page.set_viewport_size({"width": 390, "height": 844})

    page.goto(url("home_check", token))
    look("0-check")
    page.get_by_label("Your date of birth").fill(BIRTH_DATE)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{url('home_tasks', token)}")
    look("1-tasks")
    load_next_page(page, page.get_by_role("link", name=re.compile("Your pelvic floor symptoms")))
    look("2-questionnaire")
    page.get_by_text("Yes, somewhat").first.click()
    page.get_by_role("button", name="Save and next").click()
    page.wait_for_url(f"**{url('home_questionnaire', token, name='pfdi20', section=2)}")
    page.goto(url("home_questionnaire", token, name="iqq3", section=1))
    look("3-questionnaire-3iq")
    page.goto(url("home_diary", token))
    look("4-diary")
    page.locator("summary").click()
    page.get_by_label("Amount in mL").fill("300")
    page.get_by_text("3 – Strong").click()
    load_next_page(page, page.get_by_role("button", name="I went to the toilet"))
    assert page.get_by_text(re.compile(r"Saved: toilet at \d\d:\d\d\.")).is_visible()
    look("5-diary-saved")
    page.locator("summary").click()
    page.get_by_label("Amount in mL").fill("99999")
    load_next_page(page, page.get_by_role("button", name="I had a drink"))
    look("6-diary-error")
    load_next_page(page, page.get_by_role("link", name=re.compile("Change")).first)
    look("7-diary-entry")
    page.goto(url("home_submit", token))
    look("8-submit")
    page.get_by_role("button", name="Send to the clinic now").click()
    page.wait_for_url(f"**{url('home_done', token)}")
    look("9-done")
    assert found == []
    tasks.refresh_from_db()
    assert tasks.submitted_at is not None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_in_spanish_on_a_phone(page, live_server, patient, therapist):
    patient.clinic.printed_languages = ["en", "es"]
    patient.clinic.save()
    patient.preferred_language = "es"
    patient.save()
    home_tasks_send(
        patient=patient, user=therapist, questionnaires=["pfiq7"], diary_days=3, due_on=None
    )
    _link, token = home_link_create(patient=patient, user=therapist)
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url("home_check", token))
    page.locator("input[type=date]").fill(BIRTH_DATE)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"**{url('home_tasks', token)}")
    found: list[str] = []
    for name, path in (
        ("es-1-tasks", url("home_tasks", token)),
        ("es-2-questionnaire", url("home_questionnaire", token, name="pfiq7", section=1)),
        ("es-3-diary", url("home_diary", token)),
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "es"
        found.extend(serious_violations(page, name))
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert found == []
