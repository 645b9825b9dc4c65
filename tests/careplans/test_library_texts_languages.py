"""Intervention texts per language (issue 9, item 2): the model, the shipped Spanish drafts,
installing them without overwriting a clinic's work, and the admin's review page.

"Reference" is /work/shared/clinical-reference.md, section 10: each text has a version per
language with a status (drafted / reviewed by a clinician fluent in the language).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careplans.library import (
    LibraryError,
    drafted_codes,
    fixture_library,
    load_library_entries,
    load_library_texts,
    render_patient_text,
    texts_path,
)
from careplans.models import Intervention, InterventionText, WordingStatus
from careplans.services.library import intervention_update, library_install
from careplans.services.library_texts import intervention_text_save, intervention_texts_install
from clinic.models import Clinic
from tests.conftest import two_factor_verified
from tests.factories import UserFactory

WORDING = ("title", "patient_text", "patient_text_vulva", "patient_text_penis", "clinician_text")


@pytest.fixture
def installed(clinic: Clinic) -> Clinic:
    library_install(clinic=clinic)
    return clinic


def spanish(clinic: Clinic, code: str) -> InterventionText:
    return InterventionText.objects.get(intervention__clinic=clinic, intervention__code=code)


def form_data(text: InterventionText, *, reviewed: bool = False, **changes: str) -> dict:
    data = {name: getattr(text, name) for name in WORDING}
    data.update(changes)
    if reviewed:
        data["reviewed"] = "on"
    return data


def edit_url(text: InterventionText) -> str:
    return reverse("library_text_edit", args=[text.intervention_id, text.language])


# --- The shipped Spanish drafts ---------------------------------------------------------------


def test_every_built_in_entry_has_a_spanish_draft() -> None:
    english = {entry["code"]: entry for entry in load_library_entries()}
    texts = load_library_texts("es")
    assert sorted(texts) == sorted(english)
    for code, text in texts.items():
        assert text["title"] != english[code]["title"], code
        assert text["patient_text"] != english[code]["patient_text"], code
        assert text["clinician_text"].strip(), code


@pytest.mark.parametrize("field", WORDING)
def test_spanish_drafts_keep_every_number_of_the_english(field: str) -> None:
    # Doses, ages, weeks and guideline numbers (NICE NG123) are the same digits in both.
    english = {entry["code"]: entry for entry in load_library_entries()}
    for code, text in load_library_texts("es").items():
        digits_en = Counter(re.findall(r"\d", english[code][field]))
        digits_es = Counter(re.findall(r"\d", text[field]))
        assert digits_es == digits_en, f"{code} {field}"


def test_spanish_drafts_keep_placeholders_lines_and_anatomy_variants() -> None:
    english = {entry["code"]: entry for entry in load_library_entries()}
    for code, text in load_library_texts("es").items():
        for field in ("patient_text", "patient_text_vulva", "patient_text_penis"):
            en, es = english[code][field], text[field]
            assert bool(es) == bool(en), f"{code} {field}"
            assert Counter(re.findall(r"\{\w+\}", es)) == Counter(re.findall(r"\{\w+\}", en))
            # One line per instruction, as in the English ("stop if..." lines included).
            assert es.count("\n") == en.count("\n"), f"{code} {field}"


def test_spanish_drafts_speak_to_the_patient_as_usted() -> None:
    texts = load_library_texts("es")
    for code, text in texts.items():
        patient = text["patient_text"]
        assert not re.search(r"\b(tú|tu|te|contigo)\b", patient, re.IGNORECASE), code
    pfmt = texts["strengthening.pfmt"]["patient_text"]
    assert "Respire con normalidad. No aguante la respiración." in pfmt
    assert "Nunca practique cortando el chorro de la orina." in pfmt


def test_spanish_warning_signs_keep_the_emergency_line() -> None:
    warning = load_library_texts("es")["education.warning_signs"]["patient_text"]
    assert warning.startswith("Vaya ahora mismo a urgencias si tiene:")
    assert "- no puede orinar" in warning


def test_a_spanish_text_with_other_placeholders_is_refused(tmp_path: Path) -> None:
    texts = json.loads(texts_path("es").read_text(encoding="utf-8"))
    pfmt = next(t for t in texts if t["code"] == "strengthening.pfmt")
    pfmt["patient_text"] = pfmt["patient_text"].replace("{hold_s}", "5")
    bad = tmp_path / "interventions_es.json"
    bad.write_text(json.dumps(texts), encoding="utf-8")
    with pytest.raises(LibraryError, match="strengthening.pfmt.*same placeholders"):
        load_library_texts("es", bad)


def test_a_spanish_variant_the_english_lacks_is_refused(tmp_path: Path) -> None:
    texts = json.loads(texts_path("es").read_text(encoding="utf-8"))
    texts[0]["patient_text_vulva"] = "Otra cosa."
    bad = tmp_path / "interventions_es.json"
    bad.write_text(json.dumps(texts), encoding="utf-8")
    with pytest.raises(LibraryError, match="patient_text_vulva must be given exactly"):
        load_library_texts("es", bad)


# --- The model and Intervention.in_language ----------------------------------------------------


def test_in_language_gives_the_translation_or_the_english(installed: Clinic) -> None:
    pfmt = Intervention.objects.get(clinic=installed, code="strengthening.pfmt")
    wording = pfmt.in_language("es")
    assert wording.language == "es"
    assert wording.status == WordingStatus.DRAFTED
    assert wording.title.startswith("Ejercicios de suelo pélvico")
    assert "entrada de la vagina" in wording.text_for("vulva")
    assert "pene" in wording.text_for("penis")
    assert wording.text_for("other") == wording.patient_text
    english = pfmt.in_language("en")
    assert (english.language, english.status) == ("en", WordingStatus.REVIEWED)
    assert english.text_for("vulva") == pfmt.text_for("vulva")
    # A language without a text falls back to the English, and says so.
    spanish(installed, "strengthening.pfmt").delete()
    assert pfmt.in_language("es").language == "en"
    assert pfmt.in_language("es").title == pfmt.title


def test_one_text_per_entry_and_language(installed: Clinic) -> None:
    text = spanish(installed, "lifestyle.alcohol")
    with pytest.raises(IntegrityError), transaction.atomic():
        InterventionText.objects.create(
            intervention=text.intervention, language="es", title="x", patient_text="y"
        )


def test_english_is_not_a_translated_language(installed: Clinic) -> None:
    entry = Intervention.objects.get(clinic=installed, code="lifestyle.alcohol")
    text = InterventionText(intervention=entry, language="en", title="x", patient_text="y")
    with pytest.raises(ValidationError):
        text.full_clean()


def test_a_prefetched_library_reads_every_language_in_two_queries(installed: Clinic) -> None:
    library = Intervention.objects.filter(clinic=installed).prefetch_related("texts")
    with CaptureQueriesContext(connection) as queries:
        by_code = {entry.code: entry for entry in library}
        assert len(drafted_codes(by_code, "es")) == len(by_code) == 32
    assert len(queries) == 2


def test_drafted_codes_leave_out_reviewed_and_untranslated(installed: Clinic, clinic_admin) -> None:
    text = spanish(installed, "lifestyle.alcohol")
    intervention_text_save(
        intervention=text.intervention,
        language="es",
        user=clinic_admin,
        reviewed=True,
        **{name: getattr(text, name) for name in WORDING},
    )
    spanish(installed, "lifestyle.caffeine").delete()
    library = {e.code: e for e in Intervention.objects.filter(clinic=installed)}
    codes = drafted_codes(library, "es")
    assert "lifestyle.alcohol" not in codes
    assert "lifestyle.caffeine" not in codes
    assert "strengthening.pfmt" in codes
    assert drafted_codes(library, "en") == []


def test_a_library_from_the_fixtures_has_the_spanish_without_a_database() -> None:
    library = fixture_library(Clinic(name=""))
    wording = library["bladder_training.schedule"].in_language("es")
    assert wording.status == WordingStatus.DRAFTED
    text = render_patient_text(wording.patient_text, {"start_interval_min": 60})
    assert "espere al menos 60 minutos" in text


# --- Installing: load_library and new clinics ----------------------------------------------------


def test_library_install_adds_the_spanish_drafts(installed: Clinic) -> None:
    texts = InterventionText.objects.filter(intervention__clinic=installed)
    assert texts.count() == 32
    assert set(texts.values_list("status", flat=True)) == {WordingStatus.DRAFTED}
    assert set(texts.values_list("language", flat=True)) == {"es"}


def test_load_library_is_idempotent_and_keeps_a_clinics_work(installed: Clinic, clinic_admin):
    edited = spanish(installed, "lifestyle.alcohol")
    intervention_text_save(
        intervention=edited.intervention,
        language="es",
        user=clinic_admin,
        reviewed=False,
        **form_data(edited, title="Beba menos alcohol"),
    )
    reviewed = spanish(installed, "lifestyle.caffeine")
    intervention_text_save(
        intervention=reviewed.intervention,
        language="es",
        user=clinic_admin,
        reviewed=True,
        **{name: getattr(reviewed, name) for name in WORDING},
    )
    untouched = spanish(installed, "lifestyle.fluids")
    InterventionText.objects.filter(pk=untouched.pk).update(title="Viejo borrador")
    spanish(installed, "lifestyle.weight").delete()

    call_command("load_library", stdout=StringIO())
    assert InterventionText.objects.filter(intervention__clinic=installed).count() == 32
    assert spanish(installed, "lifestyle.alcohol").title == "Beba menos alcohol"
    assert spanish(installed, "lifestyle.caffeine").status == WordingStatus.REVIEWED
    assert spanish(installed, "lifestyle.fluids").title == "Viejo borrador"

    # --update refreshes only the drafts nobody at the clinic touched.
    call_command("load_library", "--update", stdout=StringIO())
    assert spanish(installed, "lifestyle.fluids").title == "Beba una cantidad normal y regular"
    assert spanish(installed, "lifestyle.alcohol").title == "Beba menos alcohol"
    caffeine = spanish(installed, "lifestyle.caffeine")
    assert (caffeine.status, caffeine.reviewed_by) == (WordingStatus.REVIEWED, clinic_admin)
    assert intervention_texts_install(clinic=installed) == 0


def test_a_clinics_own_entry_gets_no_spanish(installed: Clinic) -> None:
    own = Intervention.objects.create(
        clinic=installed,
        code="lifestyle.walking",
        category="lifestyle",
        title="Walk",
        patient_text="Walk daily.",
        source="Clinic",
    )
    call_command("load_library", stdout=StringIO())
    assert not own.texts.exists()
    assert own.in_language("es").language == "en"


def test_a_clinic_created_in_the_admin_gets_the_spanish_drafts(client, db) -> None:
    superuser = UserFactory(is_staff=True, is_superuser=True)
    two_factor_verified(client, superuser)
    settings_form = {
        "name": "New Town Pelvic Health",
        "paper_size": "A4",
        "daytime_frequency_threshold": 8,
        "fluid_low_ml": 1500,
        "fluid_high_ml": 3000,
        "alcohol_units_per_week": 14,
        "phase_one_limit": 5,
        "bladder_training_target_min": 180,
        "nocturia_min_voids": 2,
        "down_training_minutes": 5,
        "idle_timeout_minutes": 30,
        "import_date_order": "iso_only",
        "language": "en",
        "english_spelling": "uk",
        "record_number_pattern": "R{number:04}",
        "home_link_days": 14,
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:clinic_clinic_add"), settings_form)
    assert response.status_code == 302
    clinic = Clinic.objects.get(name="New Town Pelvic Health")
    texts = InterventionText.objects.filter(intervention__clinic=clinic)
    assert texts.count() == 32
    assert set(texts.values_list("status", flat=True)) == {WordingStatus.DRAFTED}


# --- The admin's review page ---------------------------------------------------------------------


def test_the_library_shows_each_entrys_languages_and_status(admin_client_, installed) -> None:
    text = spanish(installed, "strengthening.pfmt")
    html = admin_client_.get(reverse("library_list")).content.decode()
    assert "Spanish" in html
    assert "Drafted" in html
    assert edit_url(text) in html
    # Spanish wording as printed with the default dosing.
    assert "Aguante 3 segundos" in html


def test_the_admin_edits_the_spanish_beside_the_english(admin_client_, installed) -> None:
    text = spanish(installed, "strengthening.pfmt")
    response = admin_client_.get(edit_url(text))
    assert response.status_code == 200
    html = response.content.decode()
    assert text.intervention.patient_text.split("\n")[0] in html  # the English
    assert 'lang="es"' in html and 'lang="en"' in html
    assert "Respire con normalidad." in html


def test_the_admin_marks_a_text_reviewed(admin_client_, installed, clinic_admin) -> None:
    text = spanish(installed, "lifestyle.alcohol")
    response = admin_client_.post(edit_url(text), form_data(text, reviewed=True))
    assert response.status_code == 302
    text.refresh_from_db()
    assert text.status == WordingStatus.REVIEWED
    assert text.reviewed_by == clinic_admin
    assert text.reviewed_at is not None
    html = admin_client_.get(reverse("library_list")).content.decode()
    assert "Reviewed" in html and "by Adele Brooks on" in html


def test_editing_a_reviewed_text_makes_it_a_draft_again(admin_client_, installed) -> None:
    text = spanish(installed, "lifestyle.alcohol")
    admin_client_.post(edit_url(text), form_data(text, reviewed=True))
    admin_client_.post(edit_url(text), form_data(text, title="Beba menos alcohol"))
    text.refresh_from_db()
    assert text.title == "Beba menos alcohol"
    assert (text.status, text.reviewed_by, text.reviewed_at) == (WordingStatus.DRAFTED, None, None)
    # Unless it is marked reviewed again with the change.
    admin_client_.post(edit_url(text), form_data(text, title="Tome menos alcohol", reviewed=True))
    text.refresh_from_db()
    assert (text.title, text.status) == ("Tome menos alcohol", WordingStatus.REVIEWED)


def test_changing_the_english_makes_its_reviewed_translations_drafts_again(
    admin_client_, installed
) -> None:
    text = spanish(installed, "lifestyle.alcohol")
    admin_client_.post(edit_url(text), form_data(text, reviewed=True))
    entry = text.intervention
    # Marking it offered or not changes no wording: the review stands.
    intervention_update(intervention=entry, is_active=False)
    text.refresh_from_db()
    assert text.status == WordingStatus.REVIEWED
    intervention_update(intervention=entry, patient_text=entry.patient_text + "\nStop if it hurts.")
    text.refresh_from_db()
    assert (text.status, text.reviewed_by, text.reviewed_at) == (WordingStatus.DRAFTED, None, None)


def test_saving_a_reviewed_text_unchanged_keeps_its_review(installed, clinic_admin, colleague):
    text = spanish(installed, "lifestyle.alcohol")
    wording = {name: getattr(text, name) for name in WORDING}
    first = intervention_text_save(
        intervention=text.intervention, language="es", user=clinic_admin, reviewed=True, **wording
    )
    again = intervention_text_save(
        intervention=text.intervention, language="es", user=colleague, reviewed=True, **wording
    )
    assert (again.reviewed_by, again.reviewed_at) == (clinic_admin, first.reviewed_at)


def test_the_form_keeps_the_english_placeholders(admin_client_, installed) -> None:
    text = spanish(installed, "strengthening.pfmt")
    changed = text.patient_text.replace("{hold_s}", "5")
    response = admin_client_.post(edit_url(text), form_data(text, patient_text=changed))
    assert response.status_code == 200
    assert "Use the same placeholders as the English" in response.content.decode()
    text.refresh_from_db()
    assert "{hold_s}" in text.patient_text


def test_the_admin_writes_a_text_an_entry_lacks(admin_client_, installed) -> None:
    entry = Intervention.objects.get(clinic=installed, code="lifestyle.weight")
    entry.texts.all().delete()
    url = reverse("library_text_edit", args=[entry.pk, "es"])
    assert "No wording yet" in admin_client_.get(url).content.decode()
    data = {"title": "Ayuda para bajar de peso", "patient_text": "Poco a poco.", "reviewed": "on"}
    assert admin_client_.post(url, data).status_code == 302
    assert entry.in_language("es").title == "Ayuda para bajar de peso"
    assert entry.in_language("es").status == WordingStatus.REVIEWED


def test_an_unknown_language_is_a_404(admin_client_, installed) -> None:
    entry = Intervention.objects.get(clinic=installed, code="lifestyle.weight")
    for language in ("en", "fr"):
        url = reverse("library_text_edit", args=[entry.pk, language])
        assert admin_client_.get(url).status_code == 404


def test_a_therapist_reads_but_cannot_edit(therapist_client, installed) -> None:
    text = spanish(installed, "lifestyle.alcohol")
    html = therapist_client.get(reverse("library_list")).content.decode()
    assert "Drafted" in html
    assert edit_url(text) not in html
    assert therapist_client.get(edit_url(text)).status_code == 403
    response = therapist_client.post(edit_url(text), form_data(text, title="Mío", reviewed=True))
    assert response.status_code == 403
    text.refresh_from_db()
    assert (text.title, text.status) != ("Mío", WordingStatus.REVIEWED)


def test_another_clinics_admin_gets_a_404(client, other_clinic_admin, installed) -> None:
    client.force_login(other_clinic_admin)
    text = spanish(installed, "lifestyle.alcohol")
    assert client.get(edit_url(text)).status_code == 404
    assert client.post(edit_url(text), form_data(text, title="Suyo")).status_code == 404
    text.refresh_from_db()
    assert text.title != "Suyo"
