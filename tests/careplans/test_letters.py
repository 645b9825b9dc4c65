"""Referral letters (clinical reference, section 9, and section 3 rule 1 for their tier):
which letter is due, to whom, what it asks for, and what it never says."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from careplans import documents
from careplans.library import render_patient_text
from careplans.models import CarePlan, Intervention
from careplans.rules import phrases
from clinic.models import AccessLog
from tests.careplans.conftest import SAMPLES, example_intake, sample_intake
from tests.careplans.test_documents import DIARY, squashed, text_of
from tests.factories import RecipientFactory


def letter_url(plan: CarePlan, to: str | None = None, fmt: str = "pdf") -> str:
    url = reverse("plan_document", args=[plan.pk, "referral", fmt])
    return f"{url}?to={to}" if to else url


def letter(client, plan: CarePlan, to: str | None = None) -> str:
    """The words of the letter as the therapist downloads it."""
    response = client.get(letter_url(plan, to))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return text_of(response.content)


def letter_html(client, plan: CarePlan, to: str | None = None) -> str:
    return client.get(letter_url(plan, to, "html")).content.decode()


def due(plan: CarePlan) -> list[str]:
    return [kind for kind, _label in documents.letters_due(plan)]


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def diary_of(days: int) -> list[dict]:
    """A bladder diary of this many complete days (a next morning closes each one)."""
    rows = []
    for n in range(days + 1):
        day = f"{date(2026, 3, 2) + timedelta(days=n):%Y-%m-%d}"
        rows += [
            {"time": f"{day}T06:45", "event": "rise"},
            {"time": f"{day}T06:50", "event": "void", "volume_ml": 350, "urgency": 1},
        ]
        if n == days:
            break
        for hour in ("09:45", "12:45", "15:45", "18:45"):
            rows.append({"time": f"{day}T{hour}", "event": "void", "volume_ml": 220, "urgency": 2})
        rows.append({"time": f"{day}T21:45", "event": "bed"})
    return rows


# --- The emergency tier: the emergency department, never a GP appointment ------------------


def test_the_emergency_letter_goes_to_the_emergency_department(therapist_client, plan_from_intake):
    plan = plan_from_intake("emergency-saddle")
    assert plan.referral_urgency == "emergency"
    assert due(plan)[0] == "emergency_department"
    assert "gp" not in due(plan)

    text = letter(therapist_client, plan)  # no recipient asked: the most urgent letter due
    assert_in = [
        "To: Emergency department",
        "EMERGENCY",
        "Emergency referral: suspected cauda equina syndrome",
        "The findings below raise the suspicion of cauda equina syndrome.",
        "attend the emergency department immediately",
        "Findings behind the emergency referral",
        "Saddle anaesthesia",
        "New leg weakness or numbness",
        "Voiding difficulty",
    ]
    for phrase in assert_in:
        assert phrase in text, phrase
    behind = between(text, "Findings behind the emergency referral", "Relevant findings")
    assert "Voiding difficulty" in behind
    assert "on hold until the patient has been assessed" in text
    for waiting in ("To: GP", "appointment", "within the next two weeks", "within days"):
        assert waiting not in text


def test_the_emergency_letter_names_only_the_findings_present(therapist_client, plan_from_intake):
    intake = sample_intake("emergency-saddle")
    intake["symptoms"]["voiding_difficulty"] = False
    plan = plan_from_intake(intake)
    text = letter(therapist_client, plan, "emergency_department")
    behind = between(text, "Findings behind the emergency referral", "Relevant findings")
    assert "Saddle anaesthesia" in behind
    assert "Voiding difficulty" not in behind


def test_sudden_severe_pelvic_pain_is_an_emergency_but_not_cauda_equina(
    therapist_client, plan_from_intake
):
    intake = sample_intake("urgent-haematuria")
    intake["red_flags"] = ["sudden_severe_pelvic_pain"]
    plan = plan_from_intake(intake)
    text = letter(therapist_client, plan)
    assert "To: Emergency department" in text
    assert "Emergency referral: sudden severe pelvic pain" in text
    assert "cauda equina" not in text


def test_no_letter_of_an_emergency_plan_says_the_exercises_have_started(
    therapist_client, plan_from_intake
):
    plan = plan_from_intake("emergency-saddle")
    assert len(due(plan)) > 1  # the emergency department, and a specialist
    for kind in due(plan):
        text = letter(therapist_client, plan, kind)
        assert "The patient has started" not in text, kind
        assert "on hold until the patient has been assessed" in text, kind


# --- The urgent tier: the age, and the suspected-cancer pathway where it applies ------------


def test_the_urgent_haematuria_letter_states_the_age_and_asks_for_the_cancer_pathway(
    therapist_client, plan_from_intake
):
    plan = plan_from_intake("urgent-haematuria")
    assert plan.patient.age == 61 and plan.referral_urgency == "urgent"
    assert due(plan)[0] == "gp"
    text = letter(therapist_client, plan)
    for phrase in [
        "To: GP (family doctor)",
        "URGENT",
        "Urgent referral: suspected-cancer pathway requested",
        "The patient is 61 years old.",
        "suspected-cancer pathway (NICE NG12, 2-week wait)",
        "Visible haematuria — suspected-cancer criterion",
    ]:
        assert phrase in text, phrase
    assert "urgent specialist opinion" not in text


def test_a_fistula_asks_for_an_urgent_specialist_opinion_not_the_cancer_pathway(
    therapist_client, plan_from_intake
):
    intake = sample_intake("urgent-haematuria")
    intake["red_flags"] = ["suspected_fistula"]
    plan = plan_from_intake(intake)
    assert plan.referral_urgency == "urgent"
    text = letter(therapist_client, plan)
    assert "To: GP (family doctor)" in text
    assert "Urgent referral: urgent specialist opinion requested" in text
    assert "I would be grateful for an urgent specialist opinion" in text
    assert "The patient is 61 years old." in text
    assert "suspected-cancer" not in text
    assert not re.search(r"NG12\b", text)


def test_haematuria_below_the_age_is_seen_within_two_weeks(therapist_client, plan_from_intake):
    intake = sample_intake("urgent-haematuria")
    intake["patient"]["age"] = 38
    plan = plan_from_intake(intake)
    assert plan.referral_urgency == "soon"
    text = letter(therapist_client, plan)
    assert "To: GP (family doctor)" in text
    assert "Referral: please see within two weeks" in text
    assert "URGENT" not in text and "suspected-cancer" not in text


# --- When a letter is due ---------------------------------------------------------------------


def test_in_clinic_items_never_make_a_letter(therapist_client, plan_from_intake):
    plan = plan_from_intake("tense-and-weak")
    assert plan.items.filter(code="specialist_referral.manual_therapy", phase=1).exists()
    assert due(plan) == []
    page = therapist_client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Letter on request (none due)" in page
    assert "Letter to " not in page
    assert "Letters due now" not in text_of(documents.render_pdf(plan, "clinician"))
    # Asked for anyway, the letter is on request and never gives manual therapy as a reason.
    text = letter(therapist_client, plan)
    assert "I am writing at the patient's and my request" in text
    manual = Intervention.objects.get(
        clinic=plan.patient.clinic, code="specialist_referral.manual_therapy"
    )
    assert squashed(manual.clinician_text) not in squashed(text)
    assert "Reason for referral" not in text


@pytest.mark.parametrize("name", ["post-prostatectomy", "postpartum-penetration-pain"])
def test_plans_without_a_referral_have_no_letter_due(plan_from_intake, name):
    assert due(plan_from_intake(name)) == []


def test_the_plan_page_links_each_letter_due_most_urgent_first(therapist_client, plan_from_intake):
    plan = plan_from_intake("emergency-saddle")
    page = html.unescape(
        therapist_client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    )
    to_ed = page.index("Letter to Emergency department")
    to_specialist = page.index("Letter to Urogynaecology")
    assert to_ed < to_specialist
    assert f"{letter_url(plan)}?to=emergency_department" in page


def test_a_letter_on_request_to_another_recipient(therapist_client, plan_from_intake):
    plan = plan_from_intake("tense-and-weak")
    text = letter(therapist_client, plan, "pain_service")
    assert "To: Pain service" in text
    assert "I am writing at the patient's and my request for your opinion" in text
    assert "Relevant findings" in text


def test_an_unknown_recipient_gets_the_letter_due(therapist_client, plan_from_intake):
    plan = plan_from_intake("emergency-saddle")
    assert "To: Emergency department" in letter(therapist_client, plan, "nobody")


# --- What a letter says, and never says --------------------------------------------------------


def letter_plans(plan_from_intake) -> list[CarePlan]:
    plans = [plan_from_intake(name) for name in SAMPLES]
    return [*plans, plan_from_intake(example_intake())]


def test_letters_use_the_clinician_wording_never_the_patients_instructions(
    therapist_client, plan_from_intake
):
    checked = 0
    for plan in letter_plans(plan_from_intake):
        library = {i.code: i for i in Intervention.objects.filter(clinic=plan.patient.clinic)}
        for kind in due(plan):
            text = letter(therapist_client, plan, kind)
            flat = squashed(text)
            for phrase in ("Ask your GP", "Take this plan with you", "Your therapist"):
                assert phrase not in text, (plan.patient, kind, phrase)
            for item in plan.items.all():
                entry = library[item.code]
                patient_text = render_patient_text(
                    entry.text_for(plan.patient.anatomy), item.dosing
                )
                for line in patient_text.splitlines():
                    if len(line) > 25:
                        assert squashed(line) not in flat, (item.code, kind, line)
            checked += 1
    assert checked >= 4  # the emergency department, a specialist and two GPs


def test_a_gp_letter_quotes_the_clinician_wording_of_each_item_due(
    therapist_client, plan_from_intake
):
    plan = plan_from_intake("urgent-haematuria")
    text = squashed(letter(therapist_client, plan, "gp"))
    for code in ("medical_referral.vaginal_estrogen", "medical_referral.gp_review"):
        entry = Intervention.objects.get(clinic=plan.patient.clinic, code=code)
        assert squashed(entry.clinician_text) in text, code


def test_letters_never_list_the_patient_facing_titles(therapist_client, plan_from_intake):
    plan = plan_from_intake("urgent-haematuria")
    text = squashed(letter(therapist_client, plan, "gp"))
    for item in plan.items.filter(phase=1):
        assert squashed(item.title) not in text, item.code


def positive_findings(page: str) -> str:
    return between(page, '<table class="facts positive-findings">', "</table>")


def paragraph(page: str, label: str) -> list[str]:
    match = re.search(rf"<strong>{re.escape(label)}</strong>(.*?)</p>", page, re.S)
    assert match, label
    return [part.strip() for part in html.unescape(match.group(1)).strip(" .\n").split(";")]


def test_positive_findings_never_list_consent_or_none(therapist_client, plan_from_intake):
    # Consent and the internal examination are recorded; no effort leaks ("none").
    plan = plan_from_intake("urgent-haematuria")
    page = letter_html(therapist_client, plan, "gp")
    table = positive_findings(page).lower()
    assert "<th" in table and "urge leaks" in table
    assert "consent" not in table
    assert "internal examination" not in table
    assert not re.search(r"<td>\s*none\s*</td>", table)
    assert "leaks on" not in table
    assert "consent" not in page.lower()


def test_assessed_negative_findings_are_listed_apart_from_those_not_assessed(
    therapist_client, plan
):
    # The example intake: pelvic pain asked and absent, a neurological condition not asked.
    page = letter_html(therapist_client, plan, "gp")
    negative = paragraph(page, "Assessed and negative:")
    not_assessed = paragraph(page, "Not assessed:")
    assert "pelvic pain" in negative and "pelvic pain" not in not_assessed
    assert "neurological condition" in not_assessed
    assert "neurological condition" not in negative
    assert not set(negative) & set(not_assessed)
    table = positive_findings(page)
    assert "Pelvic pain" not in table and "Neurological condition" not in table
    assert "Painful penetration" in table


@pytest.mark.parametrize(("days", "provisional"), [(1, True), (3, False)])
def test_diary_metrics_from_fewer_than_3_days_are_provisional(
    therapist_client, plan_from_intake, days, provisional
):
    intake = example_intake()
    intake["diary"] = diary_of(days)
    plan = plan_from_intake(intake)
    text = letter(therapist_client, plan, "gp")
    assert "Bladder diary" in text
    marked = f"Provisional: from {days} complete day"
    assert (marked in text) is provisional
    assert ("at least 3 days are needed (NICE)" in text) is provisional


def test_the_example_diary_of_one_day_is_provisional(therapist_client, patient, therapist, library):
    from tests.careplans.test_documents import build

    intake = example_intake()
    intake["diary"] = DIARY
    plan = build(patient, therapist, intake)
    text = letter(therapist_client, plan, "gp")
    assert "Provisional: from 1 complete day; at least 3 days are needed (NICE)." in text


# --- The clinic's directory ----------------------------------------------------------------------


def test_the_recipients_name_and_address_come_from_the_clinic_directory(
    therapist_client, plan_from_intake, clinic, other_clinic
):
    RecipientFactory(
        clinic=clinic,
        kind="emergency_department",
        name="St Brigid's Hospital Emergency Department",
        address="14 Harbour Road\nRiverside RV2 8QL",
    )
    RecipientFactory(clinic=clinic, kind="emergency_department", name="Zeta ED", is_active=False)
    RecipientFactory(clinic=other_clinic, kind="emergency_department", name="Another ED")
    plan = plan_from_intake("emergency-saddle")
    text = letter(therapist_client, plan)
    assert_order = [
        "To: Emergency department",
        "St Brigid's Hospital Emergency Department",
        "14 Harbour Road",
        "Riverside RV2 8QL",
        "Dear colleague",
    ]
    at = -1
    for phrase in assert_order:
        assert text.find(phrase) > at, phrase
        at = text.find(phrase)
    assert "Another ED" not in text and "Zeta ED" not in text


def test_without_a_directory_entry_the_letter_names_the_kind_only(
    therapist_client, plan_from_intake
):
    plan = plan_from_intake("urgent-haematuria")
    text = letter(therapist_client, plan)
    assert "To: GP (family doctor) URGENT" in text


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_another_clinics_user_gets_404_for_a_letter(outsider_client, plan_from_intake, fmt):
    plan = plan_from_intake("urgent-haematuria")
    for to in (None, "gp", "emergency_department"):
        assert outsider_client.get(letter_url(plan, to, fmt)).status_code == 404
    assert not AccessLog.objects.filter(patient=plan.patient).exists()


def test_opening_a_letter_is_logged(therapist_client, therapist, plan_from_intake):
    plan = plan_from_intake("urgent-haematuria")
    letter(therapist_client, plan, "gp")
    entry = AccessLog.objects.get(patient=plan.patient)
    assert entry.user == therapist
    assert entry.what == "Opened the referral document of a care plan"
    assert entry.path == letter_url(plan, "gp")


def test_the_red_flags_are_named_as_in_the_plan(therapist_client, plan_from_intake):
    # Section 3 rule 6: the letter and the plan name the same flags.
    plan = plan_from_intake("urgent-haematuria")
    text = letter(therapist_client, plan)
    for flag in plan.red_flags:
        assert phrases.capitalised(phrases.red_flag_name(flag)) in text
