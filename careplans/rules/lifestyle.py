"""Lifestyle: caffeine, fluids, toilet habits, weight, smoking and cough, bowels, alcohol
(section 4)."""

from __future__ import annotations

from careplans.rules.base import Draft, Rule
from careplans.rules.findings import Findings
from careplans.rules.phrases import capitalised, findings_named, listed, num, sentences
from clinic.i18n import gettext as _

VOIDING_HABITS = "lifestyle.voiding_habits"
STRONG_CAFFEINE_DRINKS = 3  # section 4: stronger wording at 3 or more a day
BMI_ABOVE = 30


def _caffeine(f: Findings) -> int | float:
    return f.number("lifestyle", "caffeine_drinks_per_day") or 0


def _caffeine_applies(f: Findings) -> bool:
    return f.urgency and _caffeine(f) >= 1


def _caffeine_make(f: Findings) -> Draft:
    drinks = _caffeine(f)
    values = {"drinks": num(drinks)}
    if drinks < 2:
        # The goal is fewer than now, never "no more than 0" (section 4).
        rationale = _(
            "Urgency with %(drinks)s caffeinated drink a day: try swapping it gradually to "
            "decaffeinated."
        )
        return Draft(
            _("Try swapping to decaf"), rationale % values, notes=({"code": "caffeine.swap"},)
        )
    goal = int(min(f.settings.caffeine_max_drinks_per_day, drinks - 1))
    goal = max(goal, 1)
    values["goal"] = str(goal)
    if drinks >= STRONG_CAFFEINE_DRINKS:
        title = _("Cut down on caffeine, step by step")
        rationale = _(
            "Urgency with %(drinks)s caffeinated drinks a day: caffeine makes urgency worse. "
            "Swap gradually to decaffeinated, to at most %(goal)s a day."
        )
    else:
        title = _("Try swapping to decaf")
        rationale = _(
            "Urgency with %(drinks)s caffeinated drinks a day. Try swapping gradually to "
            "decaffeinated, to at most %(goal)s a day."
        )
    return Draft(title, rationale % values, {"max_drinks_per_day": goal})


def _fluid_problems(f: Findings) -> list[str]:
    problems = []
    intake, from_diary = f.fluid_intake()
    low, high = f.settings.fluid_low_ml, f.settings.fluid_high_ml
    if intake is not None:
        values = {"ml": num(intake), "low": low, "high": high}
        if intake < low:
            if from_diary:
                message = _("Drinks %(ml)s mL a day on the diary, below %(low)s mL.")
            else:
                message = _("Drinks about %(ml)s mL a day, below %(low)s mL.")
            problems.append(message % values)
        elif intake > high:
            if from_diary:
                message = _("Drinks %(ml)s mL a day on the diary, above %(high)s mL.")
            else:
                message = _("Drinks about %(ml)s mL a day, above %(high)s mL.")
            problems.append(message % values)
    if f.metric("polyuria_24h") is True:
        problems.append(_("The diary shows 24-hour polyuria."))
    if f.metric("nocturnal_polyuria") is True:
        problems.append(_("The diary shows nocturnal polyuria."))
    if f.nocturia:
        problems.append(_("Voids %(times)s times a night.") % {"times": num(f.night_voids() or 0)})
    return problems


def _fluids_applies(f: Findings) -> bool:
    return bool(_fluid_problems(f))


def _fluid_target(f: Findings) -> int:
    low, high = f.settings.fluid_low_ml, f.settings.fluid_high_ml
    middle = (low + high) // 2
    intake, _from_diary = f.fluid_intake()
    if intake is None:
        return middle
    if intake < low:
        return low
    if intake > high or f.metric("polyuria_24h") is True:
        return min(middle, max(low, int(intake)))
    return int(intake)  # nocturia or nocturnal polyuria alone: same amount, less before bed


def _fluids_make(f: Findings) -> Draft:
    target = _fluid_target(f)
    parts = _fluid_problems(f)
    parts.append(_("Aim for about %(ml)s mL a day, spread through the day.") % {"ml": target})
    if f.nocturia or f.metric("nocturnal_polyuria") is True:
        parts.append(_("Drink less in the 2 hours before bed."))
    return Draft(
        _("Drink a steady, normal amount"), sentences(*parts), {"target_ml_per_day": target}
    )


_VOIDING_FINDINGS = ("voiding_difficulty", "incomplete_emptying", "constant_tension")


def _voiding_habits_applies(f: Findings) -> bool:
    return (
        any(f.yes("symptoms", key) for key in _VOIDING_FINDINGS)
        or f.classification.overactive
        or f.urgency_symptom
        or f.frequency
    )


def _voiding_habits_make(f: Findings) -> Draft:
    found = [findings_named([key]) for key in _VOIDING_FINDINGS if f.yes("symptoms", key)]
    if f.classification.overactive:
        found.append(_("an overactive floor"))
    if f.urgency_symptom:
        found.append(_("urgency"))
    if f.frequency:
        found.append(_("frequency"))
    notes: list[dict[str, object]] = []
    parts = [
        _("%(found)s.") % {"found": capitalised(listed(found))},
        _(
            "Sit fully on the seat, feet supported, lean forward, breathe out and let the floor "
            "relax; no pushing."
        ),
    ]
    if f.yes("symptoms", "incomplete_emptying"):
        parts.append(_("Double voiding for incomplete emptying."))
        notes.append({"code": "voiding.double_void"})
    if f.urgency_symptom or f.frequency:
        parts.append(_('No "just in case" visits.'))
        notes.append({"code": "voiding.no_just_in_case"})
    return Draft(
        _("Toilet habits that help your bladder empty"), sentences(*parts), notes=tuple(notes)
    )


def _bmi(f: Findings) -> int | float | None:
    return f.number("lifestyle", "bmi")


def _weight_applies(f: Findings) -> bool:
    bmi = _bmi(f)
    return bmi is not None and bmi > BMI_ABOVE


def _weight_make(f: Findings) -> Draft:
    rationale = _(
        "BMI %(bmi)s: extra weight presses on the pelvic floor; losing weight reduces leaks."
    ) % {"bmi": num(_bmi(f) or 0)}
    return Draft(_("Support to lose weight"), rationale)


def _smoking_cough_applies(f: Findings) -> bool:
    return f.yes("lifestyle", "smoker") or f.yes("lifestyle", "chronic_cough")


def _smoking_cough_make(f: Findings) -> Draft:
    smoker, cough = f.yes("lifestyle", "smoker"), f.yes("lifestyle", "chronic_cough")
    if smoker and cough:
        title, found = _("Stop smoking and get the cough treated"), _("Smoker with a chronic cough")
    elif smoker:
        title, found = _("Support to stop smoking"), _("Smoker")
    else:
        title, found = _("Get the cough treated"), _("Chronic cough")
    rationale = _("%(found)s: coughing strains the pelvic floor and worsens leaks.") % {
        "found": found
    }
    return Draft(title, rationale)


def _bowel_applies(f: Findings) -> bool:
    return f.yes("symptoms", "constipation") or f.straining


def _bowel_make(f: Findings) -> Draft:
    found = []
    if f.yes("symptoms", "constipation"):
        found.append(_("constipation"))
    if f.straining:
        found.append(_("straining to open the bowels"))
    rationale = _(
        "%(found)s. Fibre and fluids, feet on a footstool with knees above hips, relaxed "
        "breathing, no straining."
    ) % {"found": capitalised(", ".join(found))}
    return Draft(_("Easier bowel movements: footstool, breathing, no straining"), rationale)


def _alcohol(f: Findings) -> int | float:
    return f.number("lifestyle", "alcohol_units_per_week") or 0


def _alcohol_applies(f: Findings) -> bool:
    units = _alcohol(f)
    return units > f.settings.alcohol_units_per_week or (f.urgency and units >= 1)


def _alcohol_make(f: Findings) -> Draft:
    units, limit = _alcohol(f), f.settings.alcohol_units_per_week
    values = {"units": num(units), "limit": limit}
    if units > limit:
        rationale = _("%(units)s units of alcohol a week, above the %(limit)s-unit guide.")
        return Draft(
            _("Cut down on alcohol"), rationale % values, notes=({"code": "alcohol.cut_down"},)
        )
    # Section 4: the wording matches the amount.
    rationale = _(
        "Urgency with %(units)s units of alcohol a week: alcohol can set off urgency; notice "
        "whether it does."
    )
    return Draft(
        _("Notice whether alcohol sets off urgency"),
        rationale % values,
        notes=({"code": "alcohol.notice"},),
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "lifestyle.caffeine",
        "lifestyle",
        "NICE NG123",
        _caffeine_applies,
        _caffeine_make,
        when="Section 4: urgency and caffeine at least 1 drink a day (NICE NG123).",
        dosing="At most the clinic's goal (1) a day, and fewer than now; never 0 as a goal.",
    ),
    Rule(
        "lifestyle.fluids",
        "lifestyle",
        "NICE NG123 (modify high or low fluid intake); the mL bounds are a clinic convention",
        _fluids_applies,
        _fluids_make,
        dosing="The low bound when below it, the middle of the bounds when above; spread out.",
        when="Section 4: intake outside the clinic bounds, diary polyuria, or nocturia.",
    ),
    Rule(
        VOIDING_HABITS,
        "lifestyle",
        "Seed articles; continence nursing practice",
        _voiding_habits_applies,
        _voiding_habits_make,
        when=(
            "Section 4: voiding difficulty, incomplete emptying, constant tension, an "
            "overactive floor, or urgency/frequency."
        ),
    ),
    Rule(
        "lifestyle.weight",
        "lifestyle",
        "NICE NG123",
        _weight_applies,
        _weight_make,
        when="Section 4: BMI over 30 (NICE NG123).",
    ),
    Rule(
        "lifestyle.smoking_cough",
        "lifestyle",
        "Seed article",
        _smoking_cough_applies,
        _smoking_cough_make,
        when="Section 4: smoker or chronic cough.",
    ),
    Rule(
        "lifestyle.bowel",
        "lifestyle",
        "Seed articles",
        _bowel_applies,
        _bowel_make,
        when="Section 4: constipation or straining.",
    ),
    Rule(
        "lifestyle.alcohol",
        "lifestyle",
        "Seed article (the weekly-unit threshold is a clinic convention)",
        _alcohol_applies,
        _alcohol_make,
        when="Section 4: above the clinic's weekly units, or urgency with any alcohol.",
    ),
)
