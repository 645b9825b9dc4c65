"""The red-flag banner on the patient's pages speaks at the flag's tier (clinical
reference, section 3 rule 1)."""

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AssessmentFactory

EMERGENCY = "Emergency: send to an emergency department now"
URGENT = "Urgent: the GP (family doctor) within days"
SOON = "See the GP within two weeks"


@dataclass
class Banner:
    classes: list[str]
    role: str
    text: str = ""
    headings: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


class _BannerParser(HTMLParser):
    """The red-flag banners of a page: each one's classes, role, words, heading, links."""

    def __init__(self) -> None:
        super().__init__()
        self.banners: list[Banner] = []
        self.depth = 0  # open divs inside the current banner
        self.in_heading = False
        self.in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.depth:
            if tag == "div":
                self.depth += 1
            elif tag == "h2":
                self.in_heading = True
                self.banners[-1].headings.append("")
            elif tag == "a":
                self.in_link = True
                self.banners[-1].links.append("")
        elif tag == "div" and "data-tier" in values:
            self.banners.append(Banner((values.get("class") or "").split(), values.get("role")))
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag == "div":
            self.depth -= 1
        elif tag == "h2":
            self.in_heading = False
        elif tag == "a":
            self.in_link = False

    def handle_data(self, data: str) -> None:
        if not self.depth:
            return
        banner = self.banners[-1]
        banner.text += data
        if self.in_heading:
            banner.headings[-1] += data.strip()
        if self.in_link:
            banner.links[-1] += data.strip()


def banners(client, url: str) -> list[Banner]:
    response = client.get(url)
    assert response.status_code == 200
    parser = _BannerParser()
    parser.feed(response.content.decode())
    for banner in parser.banners:
        banner.text = " ".join(banner.text.split())
    return parser.banners


def patient_page(patient) -> str:
    return reverse("patient_detail", args=[patient.pk])


def born_years_ago(years: int) -> date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@pytest.fixture
def flagged(patient, therapist):
    def make(*flags: str, age: int = 56):
        patient.date_of_birth = born_years_ago(age)
        patient.save()
        return AssessmentFactory(
            patient=patient, therapist=therapist, red_flags=list(flags), has_red_flags=True
        )

    return make


def test_saddle_anaesthesia_sends_to_the_emergency_department_now(
    therapist_client, patient, flagged
):
    flagged("saddle_anaesthesia")
    (banner,) = banners(therapist_client, patient_page(patient))

    assert banner.headings == [EMERGENCY]
    assert "Suspected cauda equina syndrome." in banner.text
    assert "Do not wait for an appointment." in banner.text
    assert "Saddle anaesthesia" in banner.text
    assert "safe to start meanwhile" not in banner.text  # nothing suggests waiting
    assert "alert-danger" in banner.classes and banner.role == "alert"
    assert "red-flag-banner" in banner.classes  # the strongest: a thick border of its own
    assert banner.links == ["Record the referral"]


@pytest.mark.parametrize(
    "flag", ["new_bowel_or_bladder_loss_with_back_pain", "new_leg_weakness_or_numbness"]
)
def test_every_cauda_equina_flag_names_cauda_equina(therapist_client, patient, flagged, flag):
    flagged(flag)
    (banner,) = banners(therapist_client, patient_page(patient))
    assert banner.headings == [EMERGENCY]
    assert "Suspected cauda equina syndrome." in banner.text


def test_sudden_severe_pelvic_pain_is_an_emergency_without_cauda_equina(
    therapist_client, patient, flagged
):
    flagged("sudden_severe_pelvic_pain")
    (banner,) = banners(therapist_client, patient_page(patient))
    assert banner.headings == [EMERGENCY]
    assert "Sudden severe pelvic pain" in banner.text
    assert "cauda equina" not in banner.text


def test_a_pelvic_mass_is_urgent_on_a_suspected_cancer_pathway(therapist_client, patient, flagged):
    flagged("pelvic_mass")
    (banner,) = banners(therapist_client, patient_page(patient))

    assert banner.headings == [URGENT]
    assert "suspected-cancer pathway" in banner.text
    assert "Suspected pelvic mass" in banner.text
    assert "The plan still lists what is safe to start meanwhile." in banner.text
    assert "alert-danger" in banner.classes and banner.role == "alert"
    assert "red-flag-banner" not in banner.classes  # below an emergency
    assert banner.links == ["Record the referral"]


def test_a_suspected_fistula_is_urgent_for_a_specialist_opinion(therapist_client, patient, flagged):
    flagged("suspected_fistula")
    (banner,) = banners(therapist_client, patient_page(patient))
    assert banner.headings == [URGENT]
    assert "urgent specialist opinion" in banner.text
    assert "suspected-cancer pathway" not in banner.text


def test_painful_urination_is_the_gp_within_two_weeks(therapist_client, patient, flagged):
    flagged("dysuria")
    (banner,) = banners(therapist_client, patient_page(patient))

    assert banner.headings == [SOON]
    assert "Painful urination" in banner.text
    assert "Emergency" not in banner.text and "Urgent" not in banner.text
    assert "alert-warning" in banner.classes and banner.role == "alert"
    assert banner.links == ["Record the referral"]


@pytest.mark.parametrize(("age", "heading"), [(44, SOON), (45, URGENT)])
def test_visible_haematuria_follows_the_patients_age(
    therapist_client, patient, flagged, age, heading
):
    # NICE NG12: visible haematuria is urgent at 45 and over.
    flagged("visible_haematuria", age=age)
    (banner,) = banners(therapist_client, patient_page(patient))
    assert banner.headings == [heading]
    assert "Visible haematuria" in banner.text


def test_the_highest_tier_leads_and_each_flag_says_its_own(therapist_client, patient, flagged):
    flagged("dysuria", "pelvic_mass", "saddle_anaesthesia")
    (banner,) = banners(therapist_client, patient_page(patient))

    assert banner.headings == [EMERGENCY]
    named = [
        "Saddle anaesthesia (emergency department now)",
        "Suspected pelvic mass (urgent: suspected-cancer pathway)",
        "Painful urination (GP within two weeks)",
    ]
    positions = [banner.text.index(flag) for flag in named]  # each named, most urgent first
    assert positions == sorted(positions)


def test_the_tier_shows_on_every_page_of_the_patient(therapist_client, patient, flagged):
    assessment = flagged("new_leg_weakness_or_numbness")
    pages = [
        patient_page(patient),
        reverse("assessment_detail", args=[assessment.pk]),
        reverse("assessment_edit", args=[assessment.pk]),
    ]
    for page in pages:
        assert [b.headings for b in banners(therapist_client, page)] == [[EMERGENCY]], page


def test_no_open_flag_no_banner(therapist_client, patient, flagged):
    assessment = flagged("saddle_anaesthesia")
    assessment.referral_recorded_at = timezone.now()
    assessment.save()
    assert banners(therapist_client, patient_page(patient)) == []
