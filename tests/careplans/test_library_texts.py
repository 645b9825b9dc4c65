"""What the standard library's texts say: to the patient (reference, sections 4 and 8) and
to another clinician (section 9). No database: the fixture is read with the loader, which
also checks every placeholder against PLACEHOLDERS and the default dosing.

"Reference" is /work/shared/clinical-reference.md (2026-12-01).
"""

import math
import re
from typing import Any

import pytest

from careplans.library import TEXT_FIELDS, load_library_entries, render_patient_text
from careplans.rules import bladder_training_dosing

ENTRIES = load_library_entries()
BY_CODE = {entry["code"]: entry for entry in ENTRIES}
CODES = sorted(BY_CODE)
ANATOMY_WORDS = re.compile(r"vagin|vulva|penis|testic", re.I)
ADDRESSES_THE_PATIENT = re.compile(r"\byou(r|rs|rself)?\b", re.I)


def texts(entry: dict[str, Any]) -> dict[str, str]:
    """The patient texts an entry has: the generic one and the anatomy variants."""
    return {name: entry[name] for name in TEXT_FIELDS if entry.get(name)}


def all_texts() -> list[tuple[str, str, str]]:
    return [(e["code"], name, text) for e in ENTRIES for name, text in texts(e).items()]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n", text) if s.strip()]


# --- Every entry ------------------------------------------------------------------------------

NEW_CODES = {
    "lifestyle.voiding_habits": "lifestyle",
    "medical_referral.gp_review": "medical_referral",
    "specialist_referral.refractory_oab": "specialist_referral",
    "specialist_referral.specialist_assessment": "specialist_referral",
    "education.sexual_health": "education",
    "education.return_to_impact": "education",
    "education.prostatectomy_recovery": "education",
}


@pytest.mark.parametrize(("code", "category"), sorted(NEW_CODES.items()))
def test_the_2026_codes_are_in_the_library(code: str, category: str) -> None:
    assert BY_CODE[code]["category"] == category
    assert code.startswith(f"{category}.")


@pytest.mark.parametrize("code", CODES)
def test_every_entry_has_a_clinical_wording_for_letters(code: str) -> None:
    # Reference §9: clinical language, never the patient's instructions.
    wording = BY_CODE[code]["clinician_text"]
    assert wording.strip()
    assert not ADDRESSES_THE_PATIENT.search(wording), wording
    assert wording not in texts(BY_CODE[code]).values()
    assert "\n" not in wording  # one paragraph, as a letter quotes it


@pytest.mark.parametrize(
    "code",
    ["specialist_referral.manual_therapy", "coordination.biofeedback"],
)
def test_in_clinic_items_tell_the_doctor_they_are_provided_in_clinic(code: str) -> None:
    # Reference §4: manual therapy is "never the reason on a letter to a doctor".
    wording = BY_CODE[code]["clinician_text"]
    assert "provided in clinic" in wording
    assert not wording.lower().startswith("please")


def test_the_letter_wording_of_vaginal_estrogen_asks_and_names_the_cancer_caveat() -> None:
    wording = BY_CODE["medical_referral.vaginal_estrogen"]["clinician_text"]
    assert wording.startswith("Please consider low-dose vaginal estrogen")
    assert "NICE NG123" in wording and "oncology" in wording


@pytest.mark.parametrize("code", CODES)
def test_the_generic_text_uses_neutral_words_only(code: str) -> None:
    # Reference §8: anatomy "unspecified" gets the generic text, with neutral cues only.
    assert not ANATOMY_WORDS.search(BY_CODE[code]["patient_text"])


@pytest.mark.parametrize("code", CODES)
def test_each_anatomy_variant_speaks_of_that_anatomy_only(code: str) -> None:
    entry = BY_CODE[code]
    assert not re.search(r"penis|testic", entry["patient_text_vulva"], re.I)
    assert not re.search(r"vagin|vulva", entry["patient_text_penis"], re.I)


@pytest.mark.parametrize(("code", "name", "text"), all_texts())
def test_texts_are_plain_short_and_never_shaming(code: str, name: str, text: str) -> None:
    # Reference §8: plain words, short sentences; no "tighter is better", no promise of
    # "better sex"; no jargon.
    lines = text.split("\n")
    paragraphs = [line for line in lines if not line.startswith("- ")]
    assert 2 <= len(lines) <= 14 and len(paragraphs) <= 10
    for sentence in sentences(text):
        assert len(sentence.split()) <= 22, sentence
    lowered = text.lower()
    for phrase in ("better sex", "tighter is better", "kegel", "pfmt", "you must", "failed"):
        assert phrase not in lowered
    # What the builder decides is not the library's to hedge (the builder adds notes).
    assert "if your therapist has included" not in lowered
    assert "{" not in render_patient_text(text, BY_CODE[code]["default_dosing"])


@pytest.mark.parametrize(("code", "name", "text"), all_texts())
def test_a_gp_is_a_family_doctor_at_first_mention(code: str, name: str, text: str) -> None:
    first = text.find("GP")
    if first >= 0:
        assert text[first:].startswith("GP (family doctor)"), text


@pytest.mark.parametrize(("code", "name", "text"), all_texts())
def test_every_position_is_described_not_only_named(code: str, name: str, text: str) -> None:
    lowered = text.lower()
    if "child's pose" in lowered:
        assert "kneel" in lowered and "heels" in lowered and "fold forward" in lowered
    if "happy baby" in lowered:
        assert "on your back" in lowered and "knees" in lowered
    if "supported squat" in lowered:
        assert "wall" in lowered or "chair" in lowered


def test_every_entry_has_a_title_a_patient_can_read() -> None:
    for entry in ENTRIES:
        assert 0 < len(entry["title"]) <= 80
        first = entry["title"].find("GP")
        if first >= 0:
            assert entry["title"][first:].startswith("GP (family doctor)"), entry["title"]


# --- Squeezes: the cues, the release, never the urine stream ----------------------------------

SQUEEZES = ("strengthening.pfmt", "coordination.cueing", "coordination.knack")


@pytest.mark.parametrize("code", SQUEEZES)
def test_the_cues_follow_the_anatomy(code: str) -> None:
    # Reference §4, correct contraction cueing; §8 "cues follow the patient's anatomy".
    entry = BY_CODE[code]
    assert "vaginal opening" in entry["patient_text_vulva"]
    assert "penis up and in" in entry["patient_text_penis"]
    assert "back passage" in entry["patient_text"]
    for text in texts(entry).values():
        assert "stopping wind" in text
        assert "let go fully" in text  # reference §3 rule 3: the full release


def test_pfmt_lifts_the_testicles_and_shows_the_dose() -> None:
    pfmt = BY_CODE["strengthening.pfmt"]
    assert "testicles" in pfmt["patient_text_penis"]
    for text in texts(pfmt).values():
        for field in ("{hold_s}", "{rest_s}", "{contractions}", "{sets_per_day}", "{weeks}"):
            assert field in text


def test_pfmt_progresses_and_keeps_a_maintenance_set() -> None:
    # Reference §4: lying -> sitting -> standing -> daily tasks; after 3 months a daily set.
    for text in texts(BY_CODE["strengthening.pfmt"]).values():
        lowered = text.lower()
        positions = [lowered.index(word) for word in ("lying", "sitting", "standing", "daily")]
        assert positions == sorted(positions)
        assert "after 3 months" in lowered and "every day" in lowered
        assert "6 to 12 weeks" in lowered


def test_never_practise_by_stopping_the_urine_stream() -> None:
    # Reference §4: never practise by stopping the urine stream.
    for code in ("strengthening.pfmt", "coordination.cueing"):
        for text in texts(BY_CODE[code]).values():
            assert re.search(r"(never|do not) practise by stopping your flow of urine", text, re.I)
    for code, _name, text in all_texts():
        for sentence in sentences(text):
            if "stopping your flow" in sentence or "stop the flow" in sentence:
                assert re.search(r"\b(never|not)\b", sentence, re.I), (code, sentence)


def test_cueing_asks_for_a_lift_not_a_push() -> None:
    for text in texts(BY_CODE["coordination.cueing"]).values():
        assert "a lift, not a push down" in text


def test_the_knack_is_about_the_patients_own_moments() -> None:
    # The builder names the patient's triggers in a note; the text speaks of "the effort".
    for text in texts(BY_CODE["coordination.knack"]).values():
        assert "the effort that makes you leak" in text
        assert not text.startswith("Just before you cough or sneeze")


# --- Bladder training -------------------------------------------------------------------------


def test_bladder_training_never_mentions_squeezes() -> None:
    # Section 3 rule 2: the squeeze is a note the builder adds only when PFMT does not wait.
    for text in texts(BY_CODE["bladder_training.schedule"]).values():
        assert "squeez" not in text.lower()


def test_urge_suppression_follows_the_protocol_in_order() -> None:
    # Reference §4: stop, stand or sit still, slow breathing, distraction (counting
    # backwards), firm pressure on the perineum (a firm edge), wait for the urge to fade,
    # then walk calmly.
    text = BY_CODE["bladder_training.schedule"]["patient_text"]
    lowered = text.lower()
    steps = [
        "stop",
        "stand still",
        "breathe slowly",
        "count backwards",
        "firm edge",
        "the area between your legs",
        "urge to fade",
        "walk calmly",
    ]
    positions = [lowered.index(step, lowered.index("when an urge comes")) for step in steps]
    assert positions == sorted(positions)
    assert "perineum" not in lowered  # plain words


def test_bladder_training_says_wait_at_least_and_how_long() -> None:
    text = BY_CODE["bladder_training.schedule"]["patient_text"]
    assert "wait at least {start_interval_min} minutes between toilet visits" in text
    assert "{target_interval_min} minutes" in text and "{increase_min}" in text
    assert "at least {weeks} weeks" in text


def test_bladder_training_default_dosing_reaches_the_target_in_the_last_week() -> None:
    dosing = BY_CODE["bladder_training.schedule"]["default_dosing"]
    assert dosing == {
        "start_interval_min": 60,
        "increase_min": 15,
        "every_days": 7,
        "target_interval_min": 180,
        "weeks": 9,
    }
    steps = math.ceil((dosing["target_interval_min"] - dosing["start_interval_min"]) / 15)
    assert dosing["weeks"] == max(6, 1 + steps)
    assert dosing == bladder_training_dosing(60)  # the builder's own default agrees


# --- Education, referrals and warnings --------------------------------------------------------


def test_pelvic_floor_education_sets_realistic_expectations() -> None:
    text = BY_CODE["education.pelvic_floor"]["patient_text"].lower()
    for phrase in (
        "tighter is not better",
        "tense and weak",
        "relax fully",
        "6 to 12 weeks",
        "at least 3 months",
    ):
        assert phrase in text


WARNING_TIERS = (
    "Go to an emergency department now if you have:",
    "See your GP (family doctor) within a few days if you have:",
    "Contact your therapist if:",
)


def test_warning_signs_come_in_three_tiers_in_order() -> None:
    entry = BY_CODE["education.warning_signs"]
    assert entry["title"] == "Warning signs: when to get help"
    lines = entry["patient_text"].split("\n")
    leads = [line for line in lines if not line.startswith("- ")]
    assert leads == list(WARNING_TIERS)
    signs = {
        WARNING_TIERS[0]: [
            "numbness between your legs or in your buttocks",
            "loss of bladder or bowel control",
            "unable to pass urine",
            "weakness in your legs",
        ],
        WARNING_TIERS[1]: [
            "blood in your urine",
            "burning or pain passing urine with a fever",
            "repeated urine infections",
            "weight loss you cannot explain",
        ],
        WARNING_TIERS[2]: ["pain gets worse", "leaks are new or worse"],
    }
    for lead, expected in signs.items():
        start = lines.index(lead) + 1
        bullets = []
        for line in lines[start:]:
            if not line.startswith("- "):
                break
            bullets.append(line)
        assert len(bullets) == len(expected)
        for bullet, sign in zip(bullets, expected, strict=True):
            assert sign in bullet


def test_the_urgent_item_points_to_page_one_and_claims_no_timing() -> None:
    # Section 3 rule 1: the urgent section is printed from the red-flag tier; nothing here
    # may suggest waiting or a time.
    entry = BY_CODE["urgent_referral.red_flags"]
    assert entry["title"] == "See a doctor about the signs you told us about"
    text = entry["patient_text"].lower()
    assert "first page of your plan says how soon" in text
    claims = text.replace("how soon", "")
    assert not re.search(r"\b(today|soon|hours?|days?|weeks?|may be|wait)\b", claims)


def test_vaginal_estrogen_never_claims_it_is_safe_for_everyone() -> None:
    for text in texts(BY_CODE["medical_referral.vaginal_estrogen"]).values():
        assert "safe" not in text.lower()
        assert "right for you" in text
    assert "vagina" in BY_CODE["medical_referral.vaginal_estrogen"]["patient_text_vulva"]


def test_oab_medication_is_worded_for_either_phase() -> None:
    text = BY_CODE["medical_referral.oab_medication"]["patient_text"]
    assert text.startswith("Ask your GP (family doctor) about medicine for an overactive bladder")
    assert "Still bothered" not in text and "after 6 weeks" not in text
    assert "{review_after_weeks}" in text


@pytest.mark.parametrize(
    ("code", "phrases"),
    [
        (
            "lifestyle.voiding_habits",
            ["sit fully", "hover", "feet", "lean forward", "breathe out", "do not push"],
        ),
        ("medical_referral.gp_review", ["blood sugar", "diabetes", "gp (family doctor)"]),
        (
            "specialist_referral.refractory_oab",
            ["botulinum toxin", "nerve", "ankle", "keep up your bladder training"],
        ),
        (
            "specialist_referral.specialist_assessment",
            ["urology", "how well your bladder empties", "scan", "after you pass urine"],
        ),
        (
            "education.sexual_health",
            [
                "signal",
                "not something to push through",
                "lubricant",
                "water-based",
                "silicone-based",
                "own pace",
                "stop at any time",
                "only after your therapist shows you how",
                "relationship",
                "psychosexual",
            ],
        ),
        (
            "education.return_to_impact",
            ["12 weeks", "running, jumping", "leaks, heaviness, pain or bulge", "step by step"],
        ),
        (
            "education.prostatectomy_recovery",
            ["first months", "pads", "6 months", "1 year", "urologist"],
        ),
    ],
)
def test_the_new_items_say_what_the_reference_asks(code: str, phrases: list[str]) -> None:
    for name, text in texts(BY_CODE[code]).items():
        lowered = text.lower()
        for phrase in phrases:
            assert phrase in lowered, (name, phrase)


def test_sexual_health_mentions_breastfeeding_and_menopause_where_they_apply() -> None:
    entry = BY_CODE["education.sexual_health"]
    for name in ("patient_text", "patient_text_vulva"):
        assert "breastfeeding or after menopause" in entry[name]
    assert "breastfeeding" not in entry["patient_text_penis"]


def test_return_to_impact_waits_for_the_therapists_check() -> None:
    text = BY_CODE["education.return_to_impact"]["patient_text"]
    assert "Your therapist will check your pelvic floor before you start." in text


def test_items_that_may_wait_are_not_contradicted_by_other_texts() -> None:
    # PFMT may be held (section 3 rule 2): no other item tells the patient to keep doing it.
    for code, name, text in all_texts():
        if code == "strengthening.pfmt":
            continue
        assert "keep doing your exercises" not in text.lower(), (code, name)
        assert "keep doing your pelvic floor exercises" not in text.lower(), (code, name)


def test_no_text_sends_a_patient_who_cannot_pass_urine_anywhere_but_emergency() -> None:
    # Warning signs: being unable to pass urine is an emergency, never "see your GP soon".
    for code, name, text in all_texts():
        for line in text.split("\n"):
            if "stops you passing urine" in line or "cannot pass urine" in line:
                assert "emergency department" in line, (code, name, line)
