"""The intervention library: the fixture, its loading and installing, and the admin screens.

What the texts say is tested in test_library_texts.py. "Reference" is
/work/shared/clinical-reference.md (section 4 = interventions, section 8 = how the printed
plan speaks to patients, section 9 = letters); "contract" is careplan-v1.md.
"""

import json
import re
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from careplans.dosing import DOSING
from careplans.library import (
    PLACEHOLDERS,
    LibraryError,
    load_library_entries,
    placeholder_problems,
    placeholders_in,
    render_patient_text,
)
from careplans.models import Category, Intervention
from careplans.rules import RULES, build_plan
from careplans.services.library import (
    LIBRARY_FIELDS,
    intervention_create,
    intervention_update,
    library_install,
)
from clinic.models import Role
from tests.factories import MembershipFactory, UserFactory

RULE_CATEGORIES = {rule.code: rule.category for rule in RULES}
RULE_SOURCES = {rule.code: rule.source for rule in RULES}


def entries_by_code() -> dict[str, dict[str, Any]]:
    return {entry["code"]: entry for entry in load_library_entries()}


def texts(entry: dict[str, Any]) -> dict[str, str]:
    names = ("patient_text", "patient_text_vulva", "patient_text_penis")
    return {name: entry[name] for name in names if entry.get(name)}


# --- The fixture -----------------------------------------------------------------------------


def test_fixture_has_one_entry_for_every_code_the_builder_emits() -> None:
    codes = [entry["code"] for entry in load_library_entries()]
    assert sorted(codes) == sorted(RULE_CATEGORIES)
    assert len(codes) == len(set(codes))


def test_fixture_categories_are_the_nine_and_match_the_rules() -> None:
    # Contract: the nine categories, and nothing else.
    assert len(Category.values) == 9
    for code, entry in entries_by_code().items():
        assert entry["category"] in Category.values
        assert entry["category"] == RULE_CATEGORIES[code], code


SOURCE_MAX_LENGTH = Intervention._meta.get_field("source").max_length


def cited_works(source: str) -> list[str]:
    """The works a citation names, without what is in brackets: "NICE NG12 (...); X" gives
    ["NICE NG12", "X"]."""
    return [part.strip() for part in re.sub(r"\([^()]*\)", "", source).split(";")]


def test_fixture_cites_the_same_source_as_the_rule() -> None:
    # Every rule's source fits the source column of a plan item and a library entry.
    for code, entry in entries_by_code().items():
        assert len(RULE_SOURCES[code]) <= SOURCE_MAX_LENGTH, code
        assert entry["source"] == RULE_SOURCES[code], code


def test_fixture_is_a_plain_json_list_not_a_django_fixture() -> None:
    from careplans.library import FIXTURE_PATH

    data = json.loads(FIXTURE_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    assert all("model" not in entry for entry in data)


def test_every_placeholder_is_allowed_and_has_a_default() -> None:
    for code, entry in entries_by_code().items():
        for name, text in texts(entry).items():
            for field in placeholders_in(text):
                assert field in PLACEHOLDERS, (code, name, field)
                assert field in entry["default_dosing"], (code, name, field)
            assert "{" not in render_patient_text(text, entry["default_dosing"]), (code, name)


# --- Placeholders against built plans --------------------------------------------------------

STRESS_AND_URGENCY = {
    "schema": "pelvic-intake/1",
    "patient": {"anatomy": "vulva", "age": 58, "weight_kg": 90},
    "symptoms": {
        "stress_leak_triggers": ["cough", "sneeze"],
        "urgency": True,
        "urge_leaks": True,
        "day_voids": 11,
        "night_voids": 2,
        "painful_penetration": True,
        "constipation": True,
        "prolapse_bulge": True,
    },
    "exam": {
        "consent_recorded": True,
        "internal_exam": True,
        "tone": "normal",
        "oxford_grade": 1,
        "endurance_s": 4,
        "repetitions": 9,
        "fast_contractions": 6,
        "relaxation": "complete",
        "accessory_muscles": True,
    },
    "hormonal": {"status": "postmenopausal", "vaginal_atrophy": True, "vaginal_estrogen": False},
    "history": {
        "high_stress": True,
        "hypermobility": True,
        "diuretics": True,
        "pfmt_months_tried": 4,
    },
    "lifestyle": {
        "caffeine_drinks_per_day": 4,
        "alcohol_units_per_week": 20,
        "fluid_intake_ml": 1100,
        "bmi": 33,
        "smoker": True,
        "chronic_cough": True,
    },
    "red_flags": ["visible_haematuria"],
}
AFTER_PROSTATECTOMY = {
    "schema": "pelvic-intake/1",
    "patient": {"anatomy": "penis", "age": 67},
    "symptoms": {"stress_leak_triggers": ["cough", "lift"], "urgency": False},
    "exam": {
        "consent_recorded": True,
        "internal_exam": True,
        "tone": "increased",
        "oxford_grade": 4,
        "relaxation": "partial",
        "tenderness": True,
    },
    "history": {"prostatectomy": True, "prostatectomy_weeks_ago": 30},
}
UNEXAMINED_STRESS = {
    "schema": "pelvic-intake/1",
    "patient": {"anatomy": "penis", "age": 40},
    "symptoms": {"stress_leak_triggers": ["sneeze"], "urgency": False},
}
URGENCY_AFTER_TREATMENT = {
    "schema": "pelvic-intake/1",
    "patient": {"anatomy": "unspecified", "age": 52},
    "symptoms": {
        "urgency": True,
        "urge_leaks": True,
        "day_voids": 12,
        "night_voids": 3,
        "incomplete_emptying": True,
    },
    "history": {
        "diabetes": True,
        "neurological_condition": True,
        "bladder_training_weeks_tried": 10,
        "oab_medication_tried": True,
    },
}
POSTPARTUM_WITH_PAIN = {
    "schema": "pelvic-intake/1",
    "patient": {"anatomy": "vulva", "age": 31},
    "symptoms": {
        "stress_leak_triggers": ["jump", "laugh"],
        "urgency": False,
        "painful_penetration": True,
    },
    "hormonal": {"status": "postpartum", "weeks_postpartum": 8, "breastfeeding": True},
}
INTAKES = [
    STRESS_AND_URGENCY,
    AFTER_PROSTATECTOMY,
    UNEXAMINED_STRESS,
    URGENCY_AFTER_TREATMENT,
    POSTPARTUM_WITH_PAIN,
]


def built_items() -> list[dict[str, Any]]:
    return [item for intake in INTAKES for item in build_plan(intake)["items"]]


def test_the_sample_intakes_reach_every_code() -> None:
    assert {item["code"] for item in built_items()} == set(RULE_CATEGORIES)


@pytest.mark.parametrize("anatomy", ["vulva", "penis", "unspecified", ""])
def test_every_built_item_renders_without_a_placeholder_left(anatomy: str) -> None:
    entries = entries_by_code()
    for item in built_items():
        entry = Intervention(**entries[item["code"]])
        text = render_patient_text(entry.text_for(anatomy), item["dosing"])
        assert "{" not in text and "}" not in text, (item["code"], text)
        for field in placeholders_in(entry.text_for(anatomy)):
            assert str(item["dosing"][field]) in text


def test_placeholders_use_only_the_dosing_keys_the_builder_gives() -> None:
    entries = entries_by_code()
    for item in built_items():
        for name, text in texts(entries[item["code"]]).items():
            assert set(placeholders_in(text)) <= set(item["dosing"]), (item["code"], name)


# --- render_patient_text ---------------------------------------------------------------------


def test_render_fills_known_placeholders() -> None:
    text = "Hold for {hold_s} seconds, {sets_per_day} times a day."
    assert render_patient_text(text, {"hold_s": 5, "sets_per_day": 3}) == (
        "Hold for 5 seconds, 3 times a day."
    )


def test_render_leaves_unknown_placeholders_and_stray_braces_visible() -> None:
    assert render_patient_text("{weeks} weeks, {oops}", {"weeks": 12}) == "12 weeks, {oops}"
    assert render_patient_text("a { b } c {", {}) == "a { b } c {"
    assert render_patient_text("{}", {}) == "{}"


def test_render_never_reaches_into_a_value() -> None:
    # A text is typed by a clinic admin: no attribute or index access, no format specs.
    dosing = {"hold_s": 5}
    assert render_patient_text("{hold_s.__class__}", dosing) == "{hold_s.__class__}"
    assert render_patient_text("{hold_s[0]}", dosing) == "{hold_s[0]}"
    assert render_patient_text("{hold_s:>9}", dosing) == "{hold_s:>9}"
    assert render_patient_text("{hold_s!r}", dosing) == "{hold_s!r}"


def test_placeholder_problems_name_the_placeholder() -> None:
    assert placeholder_problems("Hold {hold_s} s", dosing_keys=["hold_s"]) == []
    [unknown] = placeholder_problems("Hold {hold} s", dosing_keys=["hold_s"])
    assert "{hold}" in unknown
    [missing] = placeholder_problems("Hold {hold_s} s", dosing_keys=[])
    assert "{hold_s}" in missing
    assert placeholder_problems("Hold {hold_s s", dosing_keys=["hold_s"])


# --- load_library_entries on a bad fixture ---------------------------------------------------


def good_entry(**changes: Any) -> dict[str, Any]:
    entry = {
        "code": "lifestyle.walking",
        "category": "lifestyle",
        "title": "Walk every day",
        "patient_text": "Walk for {minutes} minutes.\nGo at an easy pace.",
        "clinician_text": "Daily walking programme.",
        "default_dosing": {"minutes": 20},
        "source": "Clinic practice",
    }
    return {**entry, **changes}


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([good_entry(category="exercise")], "exercise is not one of the nine"),
        ([good_entry(), good_entry()], "appears twice"),
        ([good_entry(patient_text="Walk {steps} steps.")], "{steps}"),
        ([good_entry(patient_text="Walk {minutes}.", default_dosing={})], "{minutes}"),
        ([good_entry(code="walking")], "code"),
        ([good_entry(extra=1)], "unknown ['extra']"),
        ([{k: v for k, v in good_entry().items() if k != "source"}], "missing ['source']"),
        (
            [{k: v for k, v in good_entry().items() if k != "clinician_text"}],
            "missing ['clinician_text']",
        ),
        ([good_entry(clinician_text=" ")], "clinician_text: This field is required."),
        ([good_entry(clinician_text="Walking {minutes}.")], "clinician_text: A letter prints"),
        ([good_entry(clinician_text=["Walking."])], "clinician_text: Must be text."),
    ],
)
def test_a_bad_fixture_names_the_entry(tmp_path, entries, message) -> None:
    bad = tmp_path / "interventions.json"
    bad.write_text(json.dumps(entries))
    with pytest.raises(LibraryError) as error:
        load_library_entries(bad)
    assert "lifestyle.walking" in str(error.value) or "walking" in str(error.value)
    assert message in str(error.value)


def test_a_fixture_that_is_not_a_list_is_refused(tmp_path) -> None:
    bad = tmp_path / "interventions.json"
    bad.write_text("{}")
    with pytest.raises(LibraryError, match="JSON list"):
        load_library_entries(bad)


# --- Installing ---------------------------------------------------------------------------------


def test_library_install_adds_every_entry_once(clinic) -> None:
    assert library_install(clinic=clinic) == len(RULES)
    assert library_install(clinic=clinic) == 0
    assert Intervention.objects.filter(clinic=clinic).count() == len(RULES)


def test_library_install_keeps_edits_unless_told_to_update(clinic) -> None:
    library_install(clinic=clinic)
    entry = Intervention.objects.get(clinic=clinic, code="lifestyle.weight")
    intervention_update(intervention=entry, title="Our own words", is_active=False)
    Intervention.objects.filter(clinic=clinic, code="lifestyle.alcohol").delete()

    assert library_install(clinic=clinic) == 1
    entry.refresh_from_db()
    assert entry.title == "Our own words"

    assert library_install(clinic=clinic, update=True) == 0
    entry.refresh_from_db()
    assert entry.title == entries_by_code()["lifestyle.weight"]["title"]
    assert entry.is_active is False  # whether it is offered stays the clinic's choice


def test_library_install_copies_the_clinician_wording(clinic) -> None:
    library_install(clinic=clinic)
    fixture = entries_by_code()
    for entry in Intervention.objects.filter(clinic=clinic):
        assert entry.clinician_text == fixture[entry.code]["clinician_text"], entry.code
        assert entry.clinician_text.strip(), entry.code


def test_library_install_fills_an_empty_clinician_wording_and_keeps_the_rest(clinic) -> None:
    # A library installed before letters had their own wording: every clinician_text empty,
    # and the clinic's edits to its wording must survive the next `load_library`.
    library_install(clinic=clinic)
    Intervention.objects.filter(clinic=clinic).update(clinician_text="")
    edited = Intervention.objects.get(clinic=clinic, code="lifestyle.weight")
    intervention_update(intervention=edited, title="Our own words", patient_text="Ours.\nAll ours.")
    Intervention.objects.filter(clinic=clinic, code="lifestyle.alcohol").delete()

    assert library_install(clinic=clinic) == 1  # the missing code is still added
    fixture = entries_by_code()
    for entry in Intervention.objects.filter(clinic=clinic):
        assert entry.clinician_text == fixture[entry.code]["clinician_text"], entry.code
    edited.refresh_from_db()
    assert (edited.title, edited.patient_text) == ("Our own words", "Ours.\nAll ours.")


def test_library_install_never_overwrites_a_clinicians_wording_the_clinic_wrote(clinic) -> None:
    library_install(clinic=clinic)
    entry = Intervention.objects.get(clinic=clinic, code="strengthening.pfmt")
    intervention_update(intervention=entry, clinician_text="PFMT as taught in our clinic.")
    library_install(clinic=clinic)
    entry.refresh_from_db()
    assert entry.clinician_text == "PFMT as taught in our clinic."

    library_install(clinic=clinic, update=True)  # only --update restores the standard one
    entry.refresh_from_db()
    assert entry.clinician_text == entries_by_code()["strengthening.pfmt"]["clinician_text"]


def test_library_install_leaves_the_clinics_own_entries_alone(clinic) -> None:
    own = Intervention.objects.create(clinic=clinic, **good_entry(clinician_text=""))
    library_install(clinic=clinic, update=True)
    library_install(clinic=clinic)
    own.refresh_from_db()
    assert own.title == "Walk every day"
    assert own.clinician_text == ""


def test_the_services_take_the_clinician_wording(clinic) -> None:
    entry = intervention_create(clinic=clinic, **good_entry())
    assert entry.clinician_text == "Daily walking programme."
    intervention_update(intervention=entry, clinician_text="Graded walking programme.")
    entry.refresh_from_db()
    assert entry.clinician_text == "Graded walking programme."
    with pytest.raises(ValidationError) as error:
        intervention_update(intervention=entry, clinician_text="Walking {minutes} a day.")
    assert "clinician_text" in error.value.message_dict


def test_load_library_command_installs_into_every_clinic_idempotently(clinic, other_clinic) -> None:
    out = StringIO()
    call_command("load_library", stdout=out)
    assert f"{clinic.name}: {len(RULES)} added." in out.getvalue()
    assert f"{other_clinic.name}: {len(RULES)} added." in out.getvalue()
    out = StringIO()
    call_command("load_library", stdout=out)
    assert "0 entries added in 2 clinic(s)." in out.getvalue()
    assert Intervention.objects.count() == 2 * len(RULES)


def test_load_library_command_fills_the_clinician_wording_of_existing_clinics(clinic) -> None:
    call_command("load_library", stdout=StringIO())
    Intervention.objects.filter(clinic=clinic).update(clinician_text="")
    call_command("load_library", stdout=StringIO())
    assert not Intervention.objects.filter(clinic=clinic, clinician_text="").exists()


def test_load_library_command_for_one_clinic(clinic, other_clinic) -> None:
    out = StringIO()
    call_command("load_library", "--clinic", str(other_clinic.pk), "--update", stdout=out)
    assert f"{other_clinic.name}: {len(RULES)} added, 0 refreshed." in out.getvalue()
    assert not Intervention.objects.filter(clinic=clinic).exists()


def test_load_library_command_refuses_an_unknown_clinic(db) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No clinic with id 999"):
        call_command("load_library", "--clinic", "999")


# --- The screens ------------------------------------------------------------------------------


@pytest.fixture
def installed(clinic, other_clinic):
    library_install(clinic=clinic)
    library_install(clinic=other_clinic)
    return clinic


def entry_of(clinic, code: str = "strengthening.pfmt") -> Intervention:
    return Intervention.objects.get(clinic=clinic, code=code)


def dose_fields(dosing: dict[str, int]) -> dict[str, Any]:
    """The form's dose boxes: one number a dosing key (a box left empty is not sent)."""
    return {f"dose_{key}": value for key, value in dosing.items()}


def form_data(entry: Intervention, **changes: Any) -> dict[str, Any]:
    data = {
        "title": entry.title,
        "patient_text": entry.patient_text,
        "patient_text_vulva": entry.patient_text_vulva,
        "patient_text_penis": entry.patient_text_penis,
        "clinician_text": entry.clinician_text,
        **dose_fields(entry.default_dosing),
        "drawing": entry.drawing,
        "source": entry.source,
        "is_active": "on" if entry.is_active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def new_entry(**changes: Any) -> dict[str, Any]:
    """What a clinic admin types for a new entry: no code (it is made from the title)."""
    data = {**good_entry(title="Walking"), "dose_minutes": 20, "is_active": "on", **changes}
    del data["code"], data["default_dosing"]
    return {key: value for key, value in data.items() if value != ""}


def test_admin_sees_the_library_grouped_by_category(admin_client_, installed) -> None:
    response = admin_client_.get(reverse("library_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Urgent referral") < html.index("Relaxation") < html.index("Education")
    assert "Close and lift the vaginal opening" in html  # the vulva wording, shown
    assert "Hold for 3 seconds" in html  # placeholders filled with the default dosing
    assert reverse("library_edit", args=[entry_of(installed).pk]) in html
    assert reverse("library_new") in html
    assert "In letters to other clinicians" in html
    assert "Supervised pelvic floor muscle training for at least 3 months" in html


def test_the_list_says_when_an_entry_has_no_clinician_wording(admin_client_, installed) -> None:
    Intervention.objects.filter(clinic=installed, code="lifestyle.weight").update(clinician_text="")
    html = admin_client_.get(reverse("library_list")).content.decode()
    assert html.count("No clinical wording yet") == 1


def test_admin_edits_the_clinician_wording(admin_client_, installed) -> None:
    entry = entry_of(installed, "medical_referral.vaginal_estrogen")
    url = reverse("library_edit", args=[entry.pk])
    html = admin_client_.get(url).content.decode()
    assert 'name="clinician_text"' in html
    assert "Please consider low-dose vaginal estrogen" in html
    wording = "Please consider vaginal estrogen (NICE NG123)."
    response = admin_client_.post(url, form_data(entry, clinician_text=wording))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.clinician_text == wording
    assert wording in admin_client_.get(reverse("library_list")).content.decode()


def test_admin_edits_an_entry(admin_client_, installed) -> None:
    entry = entry_of(installed)
    url = reverse("library_edit", args=[entry.pk])
    assert admin_client_.get(url).status_code == 200
    dosing = {**entry.default_dosing, "hold_s": 4, "rest_s": 4}
    data = form_data(
        entry,
        title="Squeeze, lift and let go",
        **dose_fields(dosing),
        patient_text="Hold for {hold_s} seconds.\nThen let go fully for {rest_s} seconds.",
    )
    response = admin_client_.post(url, data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Squeeze, lift and let go"
    assert entry.default_dosing == dosing
    assert entry.patient_text.startswith("Hold for {hold_s} seconds.")
    assert entry.code == "strengthening.pfmt"
    html = admin_client_.get(reverse("library_list")).content.decode()
    assert "Hold for 4 seconds." in html


def test_a_dosing_key_a_text_still_uses_cannot_be_removed(admin_client_, installed) -> None:
    entry = entry_of(installed)
    data = form_data(entry)
    for key in entry.default_dosing:
        del data[f"dose_{key}"]
    data["dose_hold_s"] = 4
    response = admin_client_.post(reverse("library_edit", args=[entry.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "{rest_s}" in " ".join(errors["patient_text"])
    assert "{contractions}" in " ".join(errors["patient_text_vulva"])


def test_admin_cannot_change_an_entrys_code(admin_client_, installed) -> None:
    entry = entry_of(installed)
    data = form_data(entry, code="strengthening.other", category="education")
    admin_client_.post(reverse("library_edit", args=[entry.pk]), data)
    entry.refresh_from_db()
    assert (entry.code, entry.category) == ("strengthening.pfmt", "strengthening")


def test_admin_deactivates_rather_than_deletes(admin_client_, installed) -> None:
    entry = entry_of(installed, "lifestyle.alcohol")
    data = form_data(entry, is_active="")
    response = admin_client_.post(reverse("library_edit", args=[entry.pk]), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.is_active is False
    assert "Not offered" in admin_client_.get(reverse("library_list")).content.decode()


def test_admin_adds_an_entry(admin_client_, installed) -> None:
    url = f"{reverse('library_new')}?clinic={installed.pk}"
    assert admin_client_.get(url).context["form"]["is_active"].value() is True
    response = admin_client_.post(url, new_entry())
    assert response.status_code == 302
    added = Intervention.objects.get(clinic=installed, code="lifestyle.walking")
    assert added.default_dosing == {"minutes": 20}
    assert added.is_active is True
    assert added.clinician_text == "Daily walking programme."


def test_a_clinics_own_entry_may_have_no_clinician_wording(admin_client_, installed) -> None:
    data = new_entry(clinician_text="")
    response = admin_client_.post(f"{reverse('library_new')}?clinic={installed.pk}", data)
    assert response.status_code == 302
    assert Intervention.objects.get(clinic=installed, code="lifestyle.walking").clinician_text == ""


def test_the_form_edits_every_library_field() -> None:
    from careplans.forms_library import InterventionForm

    form = InterventionForm(clinic=None)
    assert set(LIBRARY_FIELDS) - {"default_dosing"} <= set(InterventionForm.Meta.fields)
    # The dosing as one number a key of the vocabulary.
    assert {f"dose_{key}" for key in DOSING} <= set(form.fields)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"patient_text": "Hold for {hold} seconds."}, "patient_text", "{hold}"),
        ({"patient_text_penis": "Draw up for {minutes} s."}, "patient_text_penis", "{minutes}"),
        ({"clinician_text": "PFMT, {hold_s} s holds."}, "clinician_text", "as written"),
        ({"dose_hold_s": "five"}, "dose_hold_s", "whole number"),
        ({"dose_hold_s": "-2"}, "dose_hold_s", "greater than or equal to 0"),
        ({"title": ""}, "title", "required"),
    ],
)
def test_bad_input_names_the_field(admin_client_, installed, changes, field, words) -> None:
    entry = entry_of(installed)
    before = entry.patient_text
    data = form_data(entry, **changes)
    if changes.get(field) == "":
        data.pop(field, None)
    response = admin_client_.post(reverse("library_edit", args=[entry.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    label = str(response.context["form"].fields[field].label)
    assert f"{label}</a>: " in response.content.decode()  # the summary names the field
    entry.refresh_from_db()
    assert entry.patient_text == before


def test_therapist_views_the_library_read_only(therapist_client, installed) -> None:
    response = therapist_client.get(reverse("library_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Read only." in html
    assert reverse("library_edit", args=[entry_of(installed).pk]) not in html
    assert reverse("library_new") not in html


def test_therapist_cannot_edit_or_add(therapist_client, installed) -> None:
    entry = entry_of(installed)
    url = reverse("library_edit", args=[entry.pk])
    assert therapist_client.get(url).status_code == 403
    assert therapist_client.post(url, form_data(entry, title="Mine")).status_code == 403
    entry.refresh_from_db()
    assert entry.title != "Mine"
    assert therapist_client.get(reverse("library_new")).status_code == 403
    response = therapist_client.post(reverse("library_new"), new_entry())
    assert response.status_code == 403
    assert not Intervention.objects.filter(code="lifestyle.walking").exists()


def test_it_checks_the_clinic(outsider_client, installed, other_clinic) -> None:
    # Another clinic's entry is a 404, not a 403: a 403 would confirm that it exists.
    entry = entry_of(installed)
    url = reverse("library_edit", args=[entry.pk])
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, form_data(entry, title="Theirs")).status_code == 404
    for name in ("library_list", "library_new"):
        response = outsider_client.get(f"{reverse(name)}?clinic={installed.pk}")
        assert response.status_code == 404, name
    # Their own clinic's library they see, and only it.
    response = outsider_client.get(reverse("library_list"))
    assert response.status_code == 200
    assert response.context["clinic"] == other_clinic


def test_an_admin_of_two_clinics_switches_between_them(client, installed, other_clinic) -> None:
    user = UserFactory()
    MembershipFactory(user=user, clinic=installed, role=Role.CLINIC_ADMIN)
    MembershipFactory(user=user, clinic=other_clinic, role=Role.THERAPIST)
    client.force_login(user)
    response = client.get(f"{reverse('library_list')}?clinic={other_clinic.pk}")
    assert response.context["clinic"] == other_clinic and not response.context["can_edit"]
    assert client.get(reverse("library_new")).context["clinic"] == installed
    assert client.get(f"{reverse('library_new')}?clinic={other_clinic.pk}").status_code == 403


def test_an_empty_library_says_how_to_load_it(admin_client_) -> None:
    response = admin_client_.get(reverse("library_list"))
    assert "manage.py load_library" in response.content.decode()


def test_library_pages_need_a_login(client, installed) -> None:
    response = client.get(reverse("library_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]
