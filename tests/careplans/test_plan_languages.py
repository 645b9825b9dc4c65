"""The plan in the patient's language (issue 9, reference section 10): Spanish end to end,
the clinic's language with an interpreter notice otherwise, drafted translations named to
the therapist, and the PDF's language."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from careplans import documents, services
from careplans.models import CarePlan, InterventionText, WordingStatus
from tests.careplans.conftest import DATA, SAMPLES

PERSONAL_NOTE = "Bring your diary to the next visit, and the shoes you walk in."


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_language(pdf: bytes) -> str:
    return str(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"])


def english_sentences(text: str, *, own_words: list[str]) -> list[str]:
    """The sentences of an English plan (longer than 25 characters), without the
    patient's and the clinic's own words, which no translation changes."""
    for words in own_words:
        text = text.replace(words, " ")
    pieces = re.split(r"(?<=[.:!?])\s+|\s+·\s+|\s*•\s*", text)
    return [piece.strip() for piece in pieces if len(piece.strip()) > 25]


@pytest.fixture
def bilingual(clinic):
    clinic.printed_languages = ["en", "es"]
    clinic.address = "12 Riverside Walk\nOldtown OT1 2AB"
    clinic.phone = "01234 567890"
    clinic.save()
    return clinic


def signed(plan: CarePlan, therapist) -> CarePlan:
    plan = services.careplan_sign(plan=plan, user=therapist, reason="Checked with the patient.")
    return CarePlan.objects.get(pk=plan.pk)


@pytest.mark.parametrize("name", [*SAMPLES, "busy-urgent-mixed"])
def test_a_spanish_speakers_signed_plan_has_no_english_sentence(
    plan_from_intake, bilingual, therapist, name
):
    plan = plan_from_intake(name, first_name="María", preferred_language="es")
    services.careplan_update_note(
        plan=plan, personal_note=PERSONAL_NOTE, next_review_on=plan.next_review_on
    )
    patient = plan.patient
    patient.preferred_language = "en"
    patient.save()
    english = pdf_text(documents.render_pdf(plan, "patient"))
    patient.preferred_language = "es"
    patient.save()
    spanish_pdf = signed(plan, therapist).pdf.read()
    spanish = pdf_text(spanish_pdf)

    own_words = [
        PERSONAL_NOTE,
        patient.display_name,
        patient.record_number,
        bilingual.name,
        bilingual.phone,
        *bilingual.address.splitlines(),
    ]
    sentences = english_sentences(english, own_words=own_words)
    assert len(sentences) > 20  # the split found the plan's sentences
    assert "Warning signs: when to get help" in english
    assert [sentence for sentence in sentences if sentence in spanish] == []
    assert "Señales de alarma" in spanish
    assert pdf_language(spanish_pdf) == "es"


def test_build_plan_follows_the_intakes_language(tmp_path, capsys):
    intake = json.loads((DATA / "tense-and-weak.json").read_text())
    intake["patient"]["language"] = "es"
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(intake))
    spanish, english = tmp_path / "plan-es.pdf", tmp_path / "plan-en.pdf"
    call_command("build_plan", str(path), "--pdf", str(spanish))
    intake["patient"]["language"] = "en"
    path.write_text(json.dumps(intake))
    call_command("build_plan", str(path), "--pdf", str(english))

    text = pdf_text(spanish.read_bytes())
    assert "Su plan de suelo pélvico" in text
    assert "Señales de alarma" in text
    assert pdf_language(spanish.read_bytes()) == "es"
    assert pdf_language(english.read_bytes()) == "en"
    sentences = english_sentences(pdf_text(english.read_bytes()), own_words=[])
    assert [sentence for sentence in sentences if sentence in text] == []


def test_a_language_the_clinic_does_not_print_gets_the_clinics_and_an_interpreter_notice(
    plan_from_intake, therapist_client
):
    plan = plan_from_intake("tense-and-weak", first_name="Maria", preferred_language="pt")
    html = documents.render_html(plan, "patient")
    assert 'lang="en"' in html
    assert "Your pelvic floor plan" in html

    page = therapist_client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "This plan prints in English: arrange an interpreter (Maria prefers Portuguese)." in page
    assert 'id="drafted-notice"' not in page


def test_other_with_the_language_named_prints_in_the_clinics_language(
    plan_from_intake, therapist_client, clinic
):
    clinic.language = "es"
    clinic.printed_languages = ["es"]
    clinic.save()
    plan = plan_from_intake(
        "tense-and-weak", first_name="Ana", preferred_language="other", other_language="Quechua"
    )
    assert 'lang="es"' in documents.render_html(plan, "patient")
    # The clinician summary and letters are in the clinic's language too.
    assert 'lang="es"' in documents.render_html(plan, "clinician")
    page = therapist_client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "(Ana prefers Quechua)" in page


def test_a_patient_who_reads_the_printed_language_needs_no_interpreter(
    plan_from_intake, bilingual, therapist_client
):
    plan = plan_from_intake("tense-and-weak", preferred_language="es")
    page = therapist_client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'id="interpreter-notice"' not in page
    # The clinician summary stays in the clinic's language.
    assert 'lang="en"' in documents.render_html(plan, "clinician")


def test_a_us_clinics_english_reader_needs_no_interpreter_and_no_translation(
    plan_from_intake, clinic, therapist_client
):
    # US spelling prints in "en-us": still English, for an English reader.
    clinic.english_spelling = "us"
    clinic.save()
    plan = plan_from_intake("tense-and-weak", preferred_language="en")
    page = therapist_client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'id="interpreter-notice"' not in page
    assert "The library has no" not in page
    assert 'lang="en-us"' in documents.render_html(plan, "patient")


def test_the_therapist_sees_which_items_print_from_a_drafted_translation(
    plan_from_intake, bilingual, therapist_client
):
    plan = plan_from_intake("tense-and-weak", preferred_language="es")
    url = reverse("plan_detail", args=[plan.pk])
    page = therapist_client.get(url).content.decode()
    assert "Parts of this plan print from a drafted Spanish translation" in page
    relax = plan.items.get(code="relaxation.diaphragmatic_breathing")
    spanish = InterventionText.objects.get(
        intervention__clinic=bilingual, intervention__code=relax.code, language="es"
    )
    assert spanish.title in page

    # Once every text is reviewed, the notice goes.
    InterventionText.objects.filter(intervention__clinic=bilingual).update(
        status=WordingStatus.REVIEWED
    )
    page = therapist_client.get(url).content.decode()
    assert 'id="drafted-notice"' not in page
    # Signing is not blocked by the notice.
    assert "Sign" in page


def test_the_spanish_plan_hyphenates_and_says_its_language(plan_from_intake, bilingual):
    plan = plan_from_intake("busy-urgent-mixed", preferred_language="es")
    html = documents.render_html(plan, "patient")
    assert '<html lang="es">' in html
    assert pdf_language(documents.render_pdf(plan, "patient")) == "es"


def test_spanish_words_break_at_syllables_in_narrow_columns():
    # WeasyPrint hyphenates with pyphen in the language of <html lang>; the print CSS asks
    # for it in the narrow boxes of a Spanish plan, and leaves English words whole.
    def narrow_box(lang: str) -> str:
        html = (
            f'<html lang="{lang}"><head><link rel="stylesheet" '
            f'href="{documents.PRINT_BASE_URL}static/careplans/print.css"></head><body>'
            '<div class="warning-box" style="width: 24mm"><p>uroginecología incontinence'
            "</p></div></body></html>"
        )
        return pdf_text(documents.pdf_from_html(html))

    assert "urogineco\u2010 logía" in narrow_box("es")  # U+2010, the hyphen
    assert "\u2010" not in narrow_box("en")


def test_a_plan_built_from_a_spanish_screen_is_recorded_like_one_built_in_english(
    plan_from_intake, bilingual
):
    # The therapist may use the application in Spanish: the plan's record (its item
    # titles, its care-plan JSON) is the same as from an English screen, and each document
    # translates as it prints.
    english = plan_from_intake("busy-urgent-mixed")
    with translation.override("es"):
        spanish_screen = plan_from_intake("busy-urgent-mixed")

    def record(plan):
        return [(i.code, i.title, i.phase) for i in plan.items.order_by("phase", "position")]

    assert record(spanish_screen) == record(english)
    assert spanish_screen.built["items"] == english.built["items"]
