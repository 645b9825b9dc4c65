"""Defects a review of issue 13 found: the dose sentence follows the dose whatever the
screen's language, and odd numbers typed in the library preview are refused, not a crash."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from careplans import documents
from careplans.models import PlanStatus
from careplans.rules import PFMT
from careplans.services import plans as plan_services
from careplans.services.library import library_install

from .test_library import entry_of, form_data


def test_the_dose_sentence_follows_the_dose_on_a_spanish_screen(plan) -> None:
    item = plan.items.get(code=PFMT)
    assert "8 × 4 s" in item.rationale
    with translation.override("es"):
        plan_services.careplan_item_update(
            item=item, phase=item.phase, dosing={**item.dosing, "hold_s": 6}, reason=""
        )
    item.refresh_from_db()
    assert item.dosing["hold_s"] == 6
    assert "8 × 6 s" in item.rationale and "8 × 4 s" not in item.rationale


@pytest.fixture
def installed(clinic, other_clinic):
    library_install(clinic=clinic)
    return clinic


@pytest.mark.parametrize("typed", ["²", "٣", "9" * 5000, "1e3", "-4"])
def test_an_odd_number_in_the_preview_is_left_out_not_a_server_error(
    admin_client_, installed, typed
) -> None:
    entry = entry_of(installed)
    data = form_data(entry, patient_text="Hold {hold_s} seconds.", dose_hold_s=typed)
    response = admin_client_.post(reverse("library_entry_preview", args=[entry.pk]), data)
    assert response.status_code == 200
    assert "Hold" in json.loads(response.content)["html"]


def test_an_odd_number_in_a_new_entry_is_named_not_a_server_error(admin_client_, installed):
    entry = entry_of(installed)
    data = form_data(entry, title="Stairs", dose_hold_s="9" * 5000)
    response = admin_client_.post(f"{reverse('library_new')}?clinic={installed.pk}", data)
    assert response.status_code in (200, 422)
    assert "Nothing was saved" in response.content.decode() or "is-invalid" in (
        response.content.decode()
    )


def test_the_plan_page_words_the_classification_and_the_library_choices(
    therapist_client, plan
) -> None:
    html = therapist_client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    why = html.split("Why this plan", 1)[1].split("</section>", 1)[0]
    tone = plan.classification["tone_profile"]
    assert tone not in why.replace("-", " ")  # no code such as tense_and_weak
    options = html.split('name="intervention"', 1)[1].split("</select>", 1)[0]
    assert "<option" in options
    assert "strengthening." not in options and "lifestyle." not in options


def test_a_plan_whose_page_one_cannot_hold_the_warning_signs_is_not_signed(
    plan, therapist, monkeypatch
) -> None:
    # As if no layout of page 1 held the warning signs and the contact: a draft still
    # prints (marked as a draft), but the plan the patient keeps is not signed.
    monkeypatch.setattr(documents, "page_one_stands_alone", lambda *args, **kwargs: False)
    assert documents.render_pdf(plan, "patient").startswith(b"%PDF")
    with pytest.raises(ValidationError, match="cannot hold the warning signs"):
        plan_services.careplan_sign(plan=plan, user=therapist, reason="Checked with the patient.")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not plan.pdf


def test_a_patient_plan_without_its_page_one_is_never_signed() -> None:
    with pytest.raises(documents.PageOneDoesNotFit):
        documents.pdf_from_html("<html><body><p>No page one</p></body></html>", signing=True)


def test_a_plan_without_a_name_opens_with_the_date_alone(tmp_path) -> None:
    # build_plan prints from a file with no patient's name or pronouns: no stray "·".
    pdf = tmp_path / "plan.pdf"
    intake = Path(__file__).parent / "data" / "emergency-saddle.json"
    call_command("build_plan", str(intake), "--pdf", str(pdf), stdout=StringIO(), stderr=StringIO())
    page_one = PdfReader(pdf).pages[0].extract_text()
    heading_line = page_one.split("Your pelvic floor plan", 1)[1].strip().splitlines()[0]
    assert not heading_line.startswith("·")
