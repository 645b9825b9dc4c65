"""Issue 11, "Done when": the whole home-tasks round trip in a browser.

A therapist sends PFDI-20 and a 3-day bladder diary from the patient's page and reads the
link off the handover page. On the patient's phone (a browser of its own, no staff
cookies, 390 x 844) the patient opens the link, gives a wrong birth date and then the right
one, answers PFDI-20 by tapping answers, logs three days of diary over several page loads
and sends it all in. The therapist accepts it into a new intake: the assessment shows the
PFDI-20 score of the answers tapped, and the same diary metrics as another new intake of
the same patient into which the same diary was uploaded as a diary-v1 CSV.
"""

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments import questionnaires, wallclock
from assessments.models import Assessment, HomeTasks
from tests.conftest import browser_tab, load_next_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/home-flow-shots")
BIRTH_DATE = "1970-05-17"  # PatientFactory's
WRONG_BIRTH_DATE = "1971-05-17"
PHONE = {"width": 390, "height": 844}

# The patient's PFDI-20 answers, item by item (0 "No" to 4 "Yes, quite a bit").
PFDI20 = [0, 1, 0, 2, 0, 0] + [1, 0, 0, 2, 0, 0, 3, 0] + [3, 2, 1, 0, 2, 0]
PFDI20_LABELS = dict(questionnaires.PFDI20_ANSWERS)

BUTTONS = {
    "void": "I went to the toilet",
    "drink": "I had a drink",
    "leak": "I leaked",
    "bed": "I’m going to bed",
    "rise": "I got up",
}
SAID = {
    "void": "toilet",
    "drink": "drink",
    "leak": "leak",
    "bed": "going to bed",
    "rise": "getting up",
}


@dataclass(frozen=True)
class Entry:
    time: datetime  # wall clock
    event: str
    volume_ml: int | None = None
    urgency: int | None = None


def at(day: date, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock))


def the_diary(first: date) -> list[list[Entry]]:
    """Three days, each from getting up to the night after going to bed, and the fourth
    morning that closes the third day. Every void measured (complete days), a leak on
    day 2, urgency on most voids, nights with and without a void."""
    days = []
    for number in range(3):
        day = first + timedelta(days=number)
        entries = [
            Entry(at(day, "07:00"), "rise"),
            Entry(at(day, "07:10"), "void", 360 + 20 * number, 1),
            Entry(at(day, "08:00"), "drink", 300),
            Entry(at(day, "11:45"), "void", 240, 2 + (number == 1)),
            Entry(at(day, "13:00"), "drink", 400 - 50 * number),
            Entry(at(day, "17:30"), "void", 210 + 30 * number, 3 if number == 2 else 1),
            Entry(at(day, "22:05"), "void", 180, 0),
            Entry(at(day, "22:30"), "bed"),
        ]
        if number == 1:
            entries.insert(5, Entry(at(day, "15:20"), "leak", None, 3))
        if number != 1:  # a void in the night, after midnight
            entries.append(Entry(at(day + timedelta(days=1), "03:15"), "void", 290, 2))
        days.append(entries)
    fourth = first + timedelta(days=3)
    days[-1] += [Entry(at(fourth, "06:50"), "rise"), Entry(at(fourth, "06:55"), "void", 410, 2)]
    return days


def write_csv(path: Path, entries: list[Entry]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["time", "event", "volume_ml", "urgency", "note"])
        for e in entries:
            writer.writerow(
                [
                    e.time.strftime("%Y-%m-%dT%H:%M"),
                    e.event,
                    "" if e.volume_ml is None else e.volume_ml,
                    "" if e.urgency is None else e.urgency,
                    "",
                ]
            )
    return path


def rows_of(entries) -> list[tuple[datetime, str, int | None, int | None]]:
    return [
        (wallclock.from_db(e.time), e.event, e.volume_ml, e.urgency)
        for e in entries.order_by("time", "id")
    ]


def diary_numbers(page: Page) -> dict[str, list[str]]:
    """The diary metrics as the page shows them: each metric's row, and each day's row."""
    summary = page.locator("section.diary-summary")
    expect(summary).to_be_visible()
    numbers: dict[str, list[str]] = {}
    for row in summary.locator("table.diary-metrics tr").all():
        numbers[row.locator("th").inner_text().strip()] = [row.locator("td").inner_text().strip()]
    for row in summary.locator("table.diary-days tbody tr").all():
        numbers[row.locator("th").inner_text().strip()] = [
            cell.strip() for cell in row.locator("td").all_inner_texts()
        ]
    return numbers


@pytest.fixture
def phone(browser, live_server):
    """The patient's phone: a browser context of its own, no staff cookie in it."""
    with browser_tab(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        yield page


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_entry(phone: Page, entry: Entry) -> None:
    """One diary entry as the patient makes it: the time, the details if any, the button."""
    phone.get_by_label("When").fill(entry.time.strftime("%Y-%m-%dT%H:%M"))
    if entry.volume_ml is not None or entry.urgency is not None:
        details = phone.locator("details.home-details")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        if entry.volume_ml is not None:
            phone.get_by_label("Amount in mL").fill(str(entry.volume_ml))
        if entry.urgency is not None:
            phone.locator(
                "label.home-choice",
                has=phone.locator(f"input[name=urgency][value='{entry.urgency}']"),
            ).click()
    phone.get_by_role("button", name=BUTTONS[entry.event], exact=True).click()
    expect(phone.get_by_role("status")).to_have_text(
        f"Saved: {SAID[entry.event]} at {entry.time:%H:%M}."
    )


def test_home_tasks_from_sending_to_the_assessment(page, phone, patient, tmp_path):
    today = timezone.localdate()
    first_day = today - timedelta(days=4)
    days = the_diary(first_day)
    entries = [entry for day in days for entry in day]
    assert all(e.time < timezone.localtime().replace(tzinfo=None) for e in entries)

    # --- 1. The therapist sends the tasks and reads the link off the handover page -------
    log_in(page, "tess")
    page.goto(f"/patients/{patient.pk}/")
    page.locator("#home-tasks").get_by_role("link", name="Send home tasks").click()
    page.wait_for_url(f"**/patients/{patient.pk}/home-tasks/")
    page.get_by_role("checkbox", name=re.compile("^PFDI-20")).check()
    expect(page.get_by_label("Bladder diary (days)")).to_have_value("3")
    page.get_by_role("button", name="Send the tasks").click()
    expect(page.get_by_role("heading", name="Hand over the patient's link")).to_be_visible()
    link = page.get_by_test_id("handover-url").input_value()
    assert link.startswith(f"{page.url.split('/patients/')[0]}/p/")
    shot(page, "01-handover")

    # --- 2. The patient's phone: the link, a wrong birth date, then the right one --------
    assert phone.context.cookies() == []
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Welcome")).to_be_visible()
    expect(phone.get_by_text("Maria")).to_have_count(0)  # nothing of her before the check
    phone.get_by_label("Your date of birth").fill(WRONG_BIRTH_DATE)
    phone.get_by_role("button", name="Continue").click()
    expect(
        phone.get_by_text("That date does not match our records. Tries left: 4.")
    ).to_be_visible()
    expect(phone.get_by_text("Hello Maria")).to_have_count(0)
    shot(phone, "02-wrong-birth-date")
    # The refused answer comes back as a 400 (a form with errors), which Chromium logs.
    assert phone.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    phone.console_errors.clear()
    phone.get_by_label("Your date of birth").fill(BIRTH_DATE)
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_role("heading", name="Hello Maria")).to_be_visible()
    tasks_url = phone.url

    # --- 3a. PFDI-20, a part at a time, by tapping the answers ----------------------------
    phone.get_by_role("link", name=re.compile("Your pelvic floor symptoms")).click()
    for part, scale in enumerate(questionnaires.PFDI20_SCALES.values(), start=1):
        expect(phone.get_by_text(f"Part {part} of 3")).to_be_visible()
        for number in range(scale.start + 1, scale.stop + 1):
            question = phone.locator(f"#q{number}")
            question.get_by_text(PFDI20_LABELS[PFDI20[number - 1]], exact=True).click()
            expect(question.locator(f"input[value='{PFDI20[number - 1]}']")).to_be_checked()
        if part == 1:
            shot(phone, "03-pfdi20-part1")
        button = "Save and next" if part < 3 else "Save and finish"
        phone.get_by_role("button", name=button).click()
    expect(phone.get_by_role("status")).to_have_text("Saved. Thank you.")
    expect(phone.locator(".home-task", has_text="Your pelvic floor symptoms")).to_contain_text(
        "Done"
    )

    # --- 3b. The diary, a day at a time, over several page loads --------------------------
    phone.get_by_role("link", name=re.compile("Your bladder diary")).click()
    for number, day in enumerate(days, start=1):
        for entry in day:
            log_entry(phone, entry)
        so_far = sum(len(d) for d in days[:number])
        expect(phone.locator(".home-entries li")).to_have_count(so_far)
        if number == 1:
            shot(phone, "04-diary-day1")
            # Away to the list and back, as a patient would the next day.
            phone.get_by_role("link", name="Back to your list").click()
            expect(phone.locator(".home-task", has_text="Your bladder diary")).to_contain_text(
                f"{len(day)} entries"
            )
            phone.get_by_role("link", name=re.compile("Your bladder diary")).click()
        elif number == 2:
            phone.reload()
        else:
            # The link again, from the message it came in: straight to the list.
            phone.goto(link)
            phone.wait_for_url(tasks_url)
    phone.get_by_role("link", name=re.compile("Your bladder diary")).click()
    expect(phone.locator(".home-day")).to_have_text("Your 3 days are done.")
    expect(phone.locator(".home-entries li")).to_have_count(len(entries))
    shot(phone, "05-diary-done")

    # --- 4. Sending it in ------------------------------------------------------------------
    phone.get_by_role("link", name="Back to your list").click()
    phone.get_by_role("link", name="Send to the clinic").click()
    expect(phone.locator(".home-summary")).to_contain_text(f"{len(entries)} entries, on 4 days")
    phone.get_by_role("button", name="Send to the clinic now").click()
    expect(phone.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(phone.get_by_text("Thank you, the clinic has what you sent.")).to_be_visible()
    shot(phone, "06-done")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.console_errors == []
    assert not Assessment.objects.filter(patient=patient).exists()  # nothing until accepted

    # --- 5. The therapist reviews it and accepts it into a new intake ----------------------
    page.goto("/")
    expect(page.get_by_test_id("sent-in")).to_contain_text("Maria")
    page.goto(f"/patients/{patient.pk}/")
    to_review = page.get_by_test_id("home-to-review")
    to_review.get_by_role("link", name="PFDI-20, 3-day bladder diary").click()
    page.wait_for_url("**/home-tasks/*/")
    expect(page.get_by_test_id("source")).to_have_text("Entered by the patient")
    page.get_by_label("Put it into").select_option(label="A new intake")
    shot(page, "07-review")
    page.get_by_role("button", name="Accept", exact=True).click()
    page.wait_for_url(re.compile(r"/assessments/\d+/$"))
    expect(
        page.get_by_text("What Maria Santos sent in is now part of this assessment.")
    ).to_be_visible()
    accepted = Assessment.objects.get(pk=int(page.url.rstrip("/").split("/")[-1]))
    shot(page, "08-assessment")

    expected = questionnaires.score_pfdi20(PFDI20)
    expect(page.get_by_test_id("pfdi20-total")).to_have_text(f"{expected.total:.1f}")
    expect(page.get_by_test_id("pfdi20-udi6")).to_have_text(f"{expected.udi6:.1f}")
    from_home = diary_numbers(page)

    # --- 6. The same diary uploaded as a diary-v1 CSV into another new intake --------------
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("button", name="New intake").click()
    page.wait_for_url("**/edit/")
    uploaded = Assessment.objects.exclude(pk=accepted.pk).get(patient=patient)
    page.get_by_role("navigation", name="Intake steps").get_by_role(
        "link", name=re.compile("Bladder diary")
    ).click()
    page.wait_for_url(f"**/assessments/{uploaded.pk}/diary/")
    upload = page.locator("#diary-upload")
    upload.locator("input[type=file]").set_input_files(write_csv(tmp_path / "diary.csv", entries))
    load_next_page(page, upload.get_by_role("button", name="Upload"))
    expect(
        page.get_by_text(f"Diary uploaded: {len(entries)} rows now make up the diary.")
    ).to_be_visible()
    shot(page, "09-uploaded-csv")
    from_csv = diary_numbers(page)

    assert from_home == from_csv
    # Numbers worth comparing: three complete days (every void measured), worked out by
    # hand: 4 voids each day; night voids 1, 0, 1; one leak; 24-hour volumes 1,300, 1,060
    # and 1,390 mL (the night's volume includes the first void after getting up).
    assert from_home["Daytime frequency"] == ["4.0 voids a day"]
    assert from_home["Nocturia (voids after going to bed)"] == ["0.7 a night"]
    assert from_home["Leaks"] == ["0.3 a day"]
    assert from_home["24-hour voided volume"] == ["1,250 mL"]
    assert from_home["Nocturnal polyuria index (night share of 24-hour volume)"] == ["0.465"]

    # And in the record: the accepted diary is the CSV's, row for row.
    assert rows_of(accepted.diary_entries) == rows_of(uploaded.diary_entries)
    assert rows_of(accepted.diary_entries) == [
        (e.time, e.event, e.volume_ml, e.urgency) for e in entries
    ]
    tasks = HomeTasks.objects.get(patient=patient)
    assert tasks.accepted_into == accepted
    assert page.console_errors == []
