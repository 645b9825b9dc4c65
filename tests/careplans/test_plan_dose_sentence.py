"""careplans.restate: the builder's sentence of the dose follows a changed dose. No
database."""

from careplans.restate import restate_dose
from careplans.rules import PFMT
from careplans.rules.bladder import BLADDER_TRAINING, bladder_dose_sentence
from careplans.rules.strengthening import pfmt_dose_sentence

PFMT_DOSE = {"contractions": 8, "hold_s": 5, "rest_s": 5, "sets_per_day": 3, "weeks": 12}
BLADDER_DOSE = {
    "start_interval_min": 60,
    "increase_min": 15,
    "every_days": 7,
    "target_interval_min": 180,
    "weeks": 6,
}


def test_the_pfmt_sentence_is_worded_for_the_new_hold():
    text = "Stress leaks. " + pfmt_dose_sentence(PFMT_DOSE)
    after = restate_dose(PFMT, text, before=PFMT_DOSE, after={**PFMT_DOSE, "hold_s": 6})
    assert after.startswith("Stress leaks. Start at 8 × 6 s, 3 times a day")
    assert "let go fully for 5 s" in after  # the rest did not change


def test_the_bladder_sentence_is_worded_for_the_new_step():
    text = bladder_dose_sentence(BLADDER_DOSE)
    after = restate_dose(
        BLADDER_TRAINING, text, before=BLADDER_DOSE, after={**BLADDER_DOSE, "every_days": 5}
    )
    assert "every 5 days to 180 minutes" in after


def test_a_rewritten_text_or_another_item_is_left_as_it_is():
    changed = {**PFMT_DOSE, "hold_s": 6}
    assert restate_dose(PFMT, "My own words.", before=PFMT_DOSE, after=changed) == "My own words."
    text = pfmt_dose_sentence(PFMT_DOSE)
    assert restate_dose("education.pelvic_floor", text, before=PFMT_DOSE, after=changed) == text
    # A dose without one of the sentence's keys: nothing to word again.
    partial = {"hold_s": 5}
    assert restate_dose(PFMT, text, before=partial, after={"hold_s": 6}) == text
