"""No page, PDF, letter or export of the demo clinic prints a numeric day/month date
("12/01/2026" is 1 December in the US and 12 January elsewhere; reference §10).

The test follows every link a therapist and a clinic admin can reach from the dashboard
(a few of each kind of page), so a page added later is checked without listing it here.
"""

import io
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from careplans.models import BatchPrint
from clinic.models import Clinic, Patient
from tests.factories import BatchPrintFactory

NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
# Pages that sign out, change the language, or build whole-clinic archives.
SKIPPED = re.compile(r"^/(logout|i18n|admin|static)/|^/clinics/\d+/export/$|/download/$")
# Attributes holding addresses or drawing coordinates rather than words.
NOT_WORDS = {"href", "src", "action", "d", "points", "viewbox", "transform", "srcset"}
PER_SHAPE = 2  # pages of each URL pattern (patient 1, patient 2...)
MAX_PAGES = 400


class _Words(HTMLParser):
    """The words a reader meets: text, and attributes such as aria-label and title."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name == "href" and value:
                self.links.append(value)
            elif value and name.lower() not in NOT_WORDS:
                self.words.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.words.append(data)


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(client, starts: list[str]) -> dict[str, str]:
    """Every page reachable from the starts: its words (HTML, SVG, CSV, PDF text) by address."""
    seen: dict[str, str] = {}
    queue = list(starts)
    shapes: Counter[str] = Counter()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code != 200:
            seen[url] = ""
            continue
        kind = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if kind.startswith("application/pdf"):
            seen[url] = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
            continue
        text = body.decode("utf-8-sig", errors="replace")
        if not kind.startswith(("text/html", "image/svg")):
            seen[url] = text  # CSV and JSON: every cell
            continue
        parser = _Words()
        parser.feed(text)
        seen[url] = " ".join(parser.words)
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or target in queue or SKIPPED.search(parts.path):
                continue
            keys = sorted(pair.split("=")[0] for pair in parts.query.split("&") if pair)
            shape = _shape(parts.path) + "?" + "&".join(keys)
            if shapes[shape] < PER_SHAPE:
                shapes[shape] += 1
                queue.append(target)
    return seen


def numeric_dates(pages: dict[str, str]) -> list[str]:
    return [
        f"{url}: …{text[max(0, m.start() - 40) : m.end() + 20]}…"
        for url, text in pages.items()
        for m in NUMERIC_DATE.finditer(text)
    ]


@pytest.fixture
def demo_clinic(db):
    call_command("loaddata", "fixtures/demo_clinic.json", verbosity=0)
    call_command("load_library", verbosity=0)
    call_command("load_demo_story", verbosity=0)
    clinic = Clinic.objects.get(name="Riverside Pelvic Health")
    # A batch in progress and one finished, so the batch pages show their dates.
    adele = User.objects.get(username="adele")
    patient = Patient.objects.filter(clinic=clinic).order_by("pk").first()
    now = timezone.now()
    BatchPrintFactory(clinic=clinic, requested_by=adele, patient_ids=[patient.pk], heartbeat_at=now)
    BatchPrintFactory(
        clinic=clinic,
        requested_by=adele,
        patient_ids=[patient.pk],
        status=BatchPrint.Status.FINISHED,
        finished_at=now,
    )
    return clinic


@pytest.mark.parametrize("username", ["tess", "adele"])
def test_no_reachable_page_prints_a_numeric_date(client, demo_clinic, username):
    client.force_login(User.objects.get(username=username))

    # The story's patients first: theirs are the pages with assessments, plans and letters.
    story = Patient.objects.filter(clinic=demo_clinic, assessments__isnull=False).distinct()
    pages = crawl(client, ["/", *(f"/patients/{pk}/" for pk in story.values_list("pk", flat=True))])

    assert numeric_dates(pages) == []
    # The crawl reached the pages it is meant to check.
    reached = {_shape(urlsplit(url).path) for url, text in pages.items() if text}
    expected = {"/", "/patients/", "/patients/N/", "/assessments/N/", "/plans/N/"}
    expected |= {"/plans/N/patient.pdf", "/plans/N/clinician.pdf", "/plans/N/referral.pdf"}
    expected |= {"/patients/N/progress/", "/patients/N/outcomes.csv", "/assessments/N/diary/"}
    if username == "adele":
        expected |= {"/clinics/N/staff/", "/clinics/N/audit/", "/clinics/N/settings/"}
        expected |= {"/batch/N/", "/library/", "/clinics/N/recipients/"}
        expected |= {"/clinics/N/audit/export.csv", "/patients/export/"}
    assert expected <= reached, sorted(reached)


def test_the_crawl_finds_a_numeric_date_when_one_is_printed():
    (found,) = numeric_dates({"/": "Next review 01/12/2027, signed 1 December 2026"})
    assert found.startswith("/: …Next review 01/12/2027")
