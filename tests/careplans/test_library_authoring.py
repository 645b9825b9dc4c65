"""Library authoring for clinicians: a new entry's code is made from its title, the dosing
is typed as labelled numbers from the one vocabulary, a picture is chosen from the drawings,
the patient text is previewed for each anatomy as the printed plan fills it, and an edit
that reaches no patient is refused.

"Reference" is /work/shared/clinical-reference.md (section 8: the cues follow the anatomy,
`unspecified` patients get neutral cues only)."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from careplans.dosing import DOSING
from careplans.library import code_from_title, readers_of
from careplans.models import Intervention, InterventionText, WordingStatus
from careplans.services.library import intervention_create, library_install
from careplans.services.library_texts import intervention_text_save
from clinic.models import EnglishSpelling

from .test_library import dose_fields, entry_of, form_data, new_entry

TEXTS = ("patient_text", "patient_text_vulva", "patient_text_penis")


@pytest.fixture
def installed(clinic, other_clinic):
    library_install(clinic=clinic)
    library_install(clinic=other_clinic)
    return clinic


def edit_url(entry: Intervention) -> str:
    return reverse("library_edit", args=[entry.pk])


def new_url(clinic) -> str:
    return f"{reverse('library_new')}?clinic={clinic.pk}"


# --- The code, made from the title -------------------------------------------------------------


def test_the_code_is_the_category_and_the_title() -> None:
    assert code_from_title(category="lifestyle", title="Walking", taken=[]) == "lifestyle.walking"
    assert (
        code_from_title(category="relaxation", title="Child's pose, 2 minutes", taken=[])
        == "relaxation.childs_pose_2_minutes"
    )
    assert code_from_title(category="education", title="Ça va ?", taken=[]) == "education.ca_va"
    assert code_from_title(category="education", title="?!", taken=[]) == "education.entry"


def test_a_code_the_clinic_has_gets_a_number() -> None:
    taken = ["lifestyle.walking", "lifestyle.walking_2"]
    assert code_from_title(category="lifestyle", title="Walking", taken=taken) == (
        "lifestyle.walking_3"
    )


def test_a_new_entry_is_never_asked_for_a_code(admin_client_, installed) -> None:
    html = admin_client_.get(new_url(installed)).content.decode()
    assert 'name="code"' not in html
    assert "Made from the category and the title when you save" in html


def test_a_new_entry_gets_its_code_from_the_title_unique_in_the_clinic(
    admin_client_, installed, other_clinic
) -> None:
    for _ in range(2):
        response = admin_client_.post(new_url(installed), new_entry(title="Walking"))
        assert response.status_code == 302
    codes = Intervention.objects.filter(clinic=installed, title="Walking").values_list("code")
    assert sorted(code for (code,) in codes) == ["lifestyle.walking", "lifestyle.walking_2"]
    # Another clinic's codes are its own.
    assert not Intervention.objects.filter(clinic=other_clinic, title="Walking").exists()


def test_an_entrys_code_stays_when_its_title_changes(admin_client_, installed) -> None:
    entry = entry_of(installed)
    response = admin_client_.post(edit_url(entry), form_data(entry, title="Squeeze and lift"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.code) == ("Squeeze and lift", "strengthening.pfmt")


def test_the_code_shows_only_behind_details(admin_client_, installed) -> None:
    html = admin_client_.get(edit_url(entry_of(installed))).content.decode()
    details = html[html.index('<details class="library-details') :]
    details = details[: details.index("</details>")]
    assert "<summary>Details</summary>" in details and "strengthening.pfmt" in details
    assert html.count("strengthening.pfmt") == 1
    listing = admin_client_.get(reverse("library_list")).content.decode()
    assert "<summary>Details</summary>" in listing


# --- Dosing as labelled numbers --------------------------------------------------------------


def test_the_dosing_is_labelled_numbers_from_the_vocabulary(admin_client_, installed) -> None:
    entry = entry_of(installed)
    response = admin_client_.get(edit_url(entry))
    html = response.content.decode()
    form = response.context["form"]
    for key, value in entry.default_dosing.items():
        field = form[f"dose_{key}"]
        assert field.label == DOSING[key].clinician
        assert field.value() == value
        assert f'value="{value}"' in html
    assert 'name="default_dosing"' not in html
    assert "hold_s: " not in html and "name: number" not in html
    # One box for every key of the vocabulary, empty when unused.
    assert form["dose_max_drinks_per_day"].value() is None


def test_the_dosing_round_trips(admin_client_, installed) -> None:
    entry = entry_of(installed, "lifestyle.caffeine")
    data = form_data(entry, **dose_fields({"max_drinks_per_day": 0, "weeks": 6}))
    response = admin_client_.post(edit_url(entry), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    # 0 is a dose (no caffeine at all); an empty box is none.
    assert entry.default_dosing == {"max_drinks_per_day": 0, "weeks": 6}
    data = form_data(entry)
    del data["dose_weeks"]
    assert admin_client_.post(edit_url(entry), data).status_code == 302
    entry.refresh_from_db()
    assert entry.default_dosing == {"max_drinks_per_day": 0}


def test_a_clinics_own_dosing_key_is_kept_labelled_as_written(admin_client_, installed) -> None:
    entry = intervention_create(
        clinic=installed,
        code="lifestyle.stairs",
        category="lifestyle",
        title="Stairs",
        patient_text="Climb {minutes} minutes of stairs.",
        source="Clinic practice",
        default_dosing={"minutes": 5, "flights": 3},
    )
    response = admin_client_.get(edit_url(entry))
    assert str(response.context["form"]["dose_flights"].label).casefold() == "flights"
    assert "This clinic&#x27;s own" in response.content.decode()
    response = admin_client_.post(edit_url(entry), form_data(entry, dose_flights=4))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.default_dosing == {"minutes": 5, "flights": 4}


def test_a_placeholder_without_a_dose_names_the_text(admin_client_, installed) -> None:
    response = admin_client_.post(
        new_url(installed), new_entry(patient_text="Walk {minutes} minutes.", dose_minutes="")
    )
    assert response.status_code == 200
    assert "{minutes}" in " ".join(response.context["form"].errors["patient_text"])


# --- The picture -------------------------------------------------------------------------------


def test_the_picture_is_chosen_from_the_drawings(admin_client_, installed) -> None:
    entry = entry_of(installed, "lifestyle.alcohol")
    html = admin_client_.get(edit_url(entry)).content.decode()
    assert "No picture" in html and "Lying on the side" in html
    assert "/static/floorplan/drawings/side_lying.svg" in html
    response = admin_client_.post(edit_url(entry), form_data(entry, drawing="side_lying"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.drawing == "side_lying"
    assert admin_client_.post(edit_url(entry), form_data(entry, drawing="")).status_code == 302
    entry.refresh_from_db()
    assert entry.drawing == ""


def test_a_picture_without_its_drawing_shows_its_name(admin_client_, installed, monkeypatch):
    monkeypatch.setattr("careplans.forms_library.finders.find", lambda path: None)
    html = admin_client_.get(edit_url(entry_of(installed))).content.decode()
    assert "Happy baby" in html and "drawings/happy_baby.svg" not in html


def test_a_new_entry_keeps_its_picture(admin_client_, installed) -> None:
    response = admin_client_.post(new_url(installed), new_entry(drawing="standing"))
    assert response.status_code == 302
    assert Intervention.objects.get(clinic=installed, code="lifestyle.walking").drawing == (
        "standing"
    )


# --- Who reads which text, and edits that reach no patient -------------------------------


def test_readers_follow_text_for() -> None:
    both = {"patient_text": "M", "patient_text_vulva": "V", "patient_text_penis": "P"}
    assert readers_of(both) == {
        "patient_text": ["unspecified"],
        "patient_text_vulva": ["vulva"],
        "patient_text_penis": ["penis"],
    }
    assert readers_of({"patient_text": "M"})["patient_text"] == ["vulva", "penis", "unspecified"]
    for texts in (both, {"patient_text": "M", "patient_text_penis": "P"}):
        entry = Intervention(**texts)
        for name, anatomies in readers_of(texts).items():
            assert all(entry.text_for(a) == texts[name] for a in anatomies)


def test_each_text_says_who_it_is_printed_for(admin_client_, installed) -> None:
    html = admin_client_.get(edit_url(entry_of(installed))).content.decode()
    assert "Printed for: patients with a vulva." in html
    assert "Printed for: patients with a penis." in html
    assert (
        "Printed for: patients whose anatomy is unspecified (neutral cues only). Patients with "
        "a vulva or a penis read their own wording below" in html
    )
    html = admin_client_.get(edit_url(entry_of(installed, "lifestyle.alcohol"))).content.decode()
    assert "Printed for: every patient" in html
    assert "Empty: Patients with a vulva read the main text." in html


def test_a_main_text_edit_that_only_unspecified_patients_read_is_saved_and_said(
    admin_client_, installed
) -> None:
    # Reference, section 8: "unspecified" patients read the main text (neutral cues), so
    # the edit reaches them: saved, and the author told who reads it.
    entry = entry_of(installed)
    main = entry.patient_text + "\nBreathe out as you lift."
    response = admin_client_.post(edit_url(entry), form_data(entry, patient_text=main), follow=True)
    entry.refresh_from_db()
    assert entry.patient_text == main
    assert (
        "The new main text is printed for patients whose anatomy is unspecified (neutral cues "
        "only) only." in response.content.decode()
    )


def test_a_variant_that_changes_what_no_patient_reads_is_refused(admin_client_, installed):
    entry = entry_of(installed, "lifestyle.alcohol")  # no variant: everyone reads the main text
    data = form_data(entry, patient_text_vulva=entry.patient_text)
    response = admin_client_.post(edit_url(entry), data)
    assert response.status_code == 200
    html = response.content.decode()
    message = "This is the same as the main text (“What to do, in plain words”), so saving it "
    assert message + "reaches no patient" in html
    assert "Wording for a patient with a vulva</a>: " in html  # the summary names the field
    entry.refresh_from_db()
    assert entry.patient_text_vulva == ""
    # Worded for patients with a vulva, it reaches them: saved.
    data = form_data(entry, patient_text_vulva=entry.patient_text + "\nA vulva note.")
    assert admin_client_.post(edit_url(entry), data).status_code == 302


def test_emptying_a_variant_is_never_refused(admin_client_, installed) -> None:
    entry = entry_of(installed)
    response = admin_client_.post(edit_url(entry), form_data(entry, patient_text_penis=""))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.patient_text_penis == ""


def test_an_unchanged_save_from_a_browser_changes_nothing(admin_client_, installed, clinic_admin):
    # A browser sends a textarea's lines as CRLF; the stored text keeps its newlines, and a
    # reviewed translation stays reviewed.
    entry = entry_of(installed, "lifestyle.alcohol")
    text = InterventionText.objects.get(intervention=entry, language="es")
    wording = {name: getattr(text, name) for name in ("title", *TEXTS, "clinician_text")}
    intervention_text_save(
        intervention=entry, language="es", user=clinic_admin, reviewed=True, **wording
    )
    crlf = {name: getattr(entry, name).replace("\n", "\r\n") for name in TEXTS}
    assert admin_client_.post(edit_url(entry), form_data(entry, **crlf)).status_code == 302
    text.refresh_from_db()
    assert text.status == WordingStatus.REVIEWED
    entry.refresh_from_db()
    assert "\r" not in entry.patient_text


def test_changing_the_english_on_the_form_makes_the_spanish_a_draft(
    admin_client_, installed, clinic_admin
) -> None:
    entry = entry_of(installed, "lifestyle.alcohol")
    text = InterventionText.objects.get(intervention=entry, language="es")
    wording = {name: getattr(text, name) for name in ("title", *TEXTS, "clinician_text")}
    intervention_text_save(
        intervention=entry, language="es", user=clinic_admin, reviewed=True, **wording
    )
    data = form_data(entry, patient_text=entry.patient_text + "\nStop if it hurts.")
    assert admin_client_.post(edit_url(entry), data).status_code == 302
    text.refresh_from_db()
    assert text.status == WordingStatus.DRAFTED


# --- The preview -------------------------------------------------------------------------------


def preview(client, url: str, data: dict[str, Any]):
    response = client.post(url, data)
    return response, (json.loads(response.content) if response.status_code == 200 else None)


def test_the_preview_fills_the_dose_for_each_anatomy(admin_client_, installed) -> None:
    entry = entry_of(installed)
    data = form_data(
        entry,
        patient_text="Everyone: hold {hold_s} seconds.",
        patient_text_vulva="Vulva: hold {hold_s} seconds.",
        patient_text_penis="",
        dose_hold_s=7,
    )
    url = reverse("library_entry_preview", args=[entry.pk])
    response, body = preview(admin_client_, url, data)
    assert response.status_code == 200
    html = body["html"]
    assert "Vulva: hold 7 seconds." in html
    assert html.count("Everyone: hold 7 seconds.") == 2  # penis and unspecified
    assert body["notes"]["patient_text_penis"] == "Empty: Patients with a penis read the main text."
    assert body["code"] == "strengthening.pfmt"
    entry.refresh_from_db()
    assert entry.patient_text_vulva != "Vulva: hold {hold_s} seconds."  # nothing saved


def test_the_preview_of_a_new_entry_shows_its_code_to_be(admin_client_, installed) -> None:
    url = f"{reverse('library_preview')}?clinic={installed.pk}"
    response, body = preview(
        admin_client_, url, new_entry(title="Stairs", patient_text="Climb {minutes} minutes.")
    )
    assert response.status_code == 200
    assert "Climb 20 minutes." in body["html"]
    assert body["code"] == "lifestyle.stairs"


def test_the_preview_spells_as_the_clinic_prints(admin_client_, installed) -> None:
    installed.english_spelling = EnglishSpelling.US
    installed.save()
    entry = entry_of(installed, "lifestyle.alcohol")
    url = reverse("library_entry_preview", args=[entry.pk])
    _, body = preview(admin_client_, url, form_data(entry, patient_text="As if stopping wind."))
    assert "As if holding in gas." in body["html"]


def test_the_preview_is_scoped_to_the_clinic(
    admin_client_, therapist_client, installed, other_clinic
) -> None:
    theirs = entry_of(other_clinic)
    url = reverse("library_entry_preview", args=[theirs.pk])
    assert preview(admin_client_, url, form_data(theirs))[0].status_code == 404
    url = f"{reverse('library_preview')}?clinic={other_clinic.pk}"
    assert preview(admin_client_, url, new_entry())[0].status_code == 404
    mine = entry_of(installed)
    url = reverse("library_entry_preview", args=[mine.pk])
    assert admin_client_.get(url).status_code == 405
    assert preview(therapist_client, url, form_data(mine))[0].status_code == 403


def test_the_preview_needs_the_csrf_token(client, clinic_admin, installed) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clinic_admin)
    entry = entry_of(installed)
    url = reverse("library_entry_preview", args=[entry.pk])
    assert strict.post(url, form_data(entry)).status_code == 403


def test_the_preview_button_works_without_javascript(admin_client_, installed) -> None:
    entry = entry_of(installed, "lifestyle.alcohol")
    data = form_data(entry, patient_text="Try {weeks} weeks without.", dose_weeks=3, preview="1")
    response = admin_client_.post(edit_url(entry), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview only: nothing was saved yet." in html
    preview_html = html[html.index('id="library-preview"') :]
    assert "Try 3 weeks without." in preview_html
    assert 'value="Try {weeks} weeks without."' not in html  # typed text kept in its box
    assert "Try {weeks} weeks without.</textarea>" in html
    entry.refresh_from_db()
    assert entry.patient_text != "Try {weeks} weeks without."
    assert entry.default_dosing == {}


def test_the_page_previews_what_is_stored(admin_client_, installed) -> None:
    entry = entry_of(installed)
    html = admin_client_.get(edit_url(entry)).content.decode()
    preview_html = html[html.index('id="library-preview"') :]
    for anatomy in ("vulva", "penis", "unspecified"):
        printed = entry.text_for(anatomy).split("\n")[0].replace("{hold_s}", "3")
        assert printed.split("{")[0] in preview_html
    assert "{hold_s}" not in preview_html
