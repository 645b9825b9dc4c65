"""The care-plan builder: intake findings (intake-v1) -> a draft plan (careplan-v1).

Pure Python, no Django imports, deterministic: the same intake, diary and settings always
give the same plan, byte for byte once dumped as JSON. The clinical facts and their
sources are in clinical-reference.md: classification (section 2) comes from
``assessments.classification``, the safety rules (section 3) are enforced here and checked
again on edited plans by ``safety_violations``, and every item of section 4's table that an
intake can trigger is one ``Rule`` in ``RULES``, with its source next to it.

Order of the items: by phase (1 = start now, then 2 = start at review), and within a phase
by the category order of ``CATEGORIES`` (urgent referral, relaxation, coordination,
strengthening, bladder training, lifestyle, medical referral, specialist referral,
education), then by the order of ``RULES``. So an urgent referral is always first,
diaphragmatic breathing comes straight after it (or first without red flags), and the
printed plan reads as "start now" followed by "at your review".

Judgment calls, where the reference leaves room:
- Strengthening waits for phase 2 ("once the muscles can fully relax") for an overactive or
  tense-and-weak floor, for any pain finding, and, with no examination recorded, for
  straining to open the bowels. The Knack and biofeedback for contraction follow the same
  phase as strengthening: both train a contraction.
- Pelvic floor muscle training is also offered after a prostatectomy (AUA: straight after
  surgery) and for a prolapse bulge (NICE: at least 16 weeks); both are folded into
  ``strengthening.pfmt``'s rationale and ``weeks``. A separate referral,
  ``specialist_referral.post_prostatectomy``, appears once leaks persist 26 weeks after
  surgery.
- ``strengthening.pfmt`` dosing adds ``rest_s`` (= ``hold_s``): the full release after
  each contraction (safety rule 3), in a form scripts and ``safety_violations`` can check.
- The intake cannot say whether bladder training was already tried, so the OAB
  medication review is a phase-2 item: "if urgency persists after 6 weeks of bladder
  training". Refractory-OAB treatments (after medication) are left to the therapist.
- Caffeine and alcohol advice for urgency is given only when the patient takes some.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assessments.classification import Classification, classify
from assessments.diary import diary_metrics, mean_daytime_interval_min
from assessments.findings import RED_FLAGS
from clinic.i18n import gettext as _

SCHEMA = "pelvic-careplan/1"

CATEGORIES: tuple[str, ...] = (
    "urgent_referral",
    "relaxation",
    "coordination",
    "strengthening",
    "bladder_training",
    "lifestyle",
    "medical_referral",
    "specialist_referral",
    "education",
)

URGENT_REFERRAL = "urgent_referral.red_flags"
BREATHING = "relaxation.diaphragmatic_breathing"
DOWN_TRAINING = "relaxation.down_training"
PFMT = "strengthening.pfmt"

# Items whose removal by a therapist needs a stated reason (safety rules 1-2).
SAFETY_CODES: frozenset[str] = frozenset({URGENT_REFERRAL, DOWN_TRAINING, BREATHING})

# Red flags that may mean cauda equina compression: hospital the same day.
CAUDA_EQUINA_FLAGS = (
    "saddle_anaesthesia",
    "new_leg_weakness_or_numbness",
    "new_bowel_or_bladder_loss_with_back_pain",
)

# PERFECT dosing (Laycock & Jerwood 2001) within NICE NG123's minimum programme.
PFMT_MIN_CONTRACTIONS = 8
PFMT_MAX_CONTRACTIONS = 10
PFMT_MIN_HOLD_S = 1
PFMT_MAX_HOLD_S = 10
PFMT_UNMEASURED_HOLD_S = 3
PFMT_MAX_FAST = 10
PFMT_UNMEASURED_FAST = 5
PFMT_SETS_PER_DAY = 3
PFMT_WEEKS = 12
PROLAPSE_PFMT_WEEKS = 16
PROSTATECTOMY_SOURCE = "AUA/GURS/SUFU incontinence after prostate treatment (2019, amended 2024)"
PROLAPSE_PFMT_SOURCE = "NICE NG123 / NG210 (prolapse: PFMT ≥ 4 months)"
PROSTATECTOMY_REVIEW_WEEKS = 26  # AUA: not improving by 6 months -> discuss surgery
SUI_PROCEDURE_AFTER_MONTHS = 3
CANNOT_CONTRACT_MAX_OXFORD = 1

BLADDER_TRAINING_MIN_WEEKS = 6
BLADDER_TRAINING_STEP_MIN = 15
BLADDER_TRAINING_STEP_DAYS = 7
BLADDER_TRAINING_TARGETS_MIN = (180, 240)  # 3 to 4 hours by day

BREATHING_MINUTES = 5
BREATHING_TIMES_PER_DAY = 2
OAB_MEDICATION_REVIEW_WEEKS = 4


@dataclass(frozen=True)
class PlanSettings:
    """Clinic settings. The defaults are the conventions of the clinical reference."""

    fluid_low_ml: int = 1500
    fluid_high_ml: int = 3000
    alcohol_units_per_week: int = 14
    daytime_frequency_threshold: float = 8
    bladder_training_default_start_min: int = 60  # when there is no diary
    caffeine_max_drinks_per_day: int = 1  # the goal of a gradual caffeine reduction


@dataclass(frozen=True)
class DiaryFindings:
    metrics: Mapping[str, object]  # the diary-v1 output
    mean_daytime_interval_min: int | None


def diary_findings(
    events: Sequence[Any],
    *,
    age: int | None,
    weight_kg: float | None,
    settings: PlanSettings = PlanSettings(),
) -> DiaryFindings:
    """What the builder needs from a diary's events (assessments.diary computes it)."""
    metrics = diary_metrics(
        events,
        age=age,
        weight_kg=weight_kg,
        daytime_frequency_threshold=settings.daytime_frequency_threshold,
    )
    return DiaryFindings(
        metrics=metrics, mean_daytime_interval_min=mean_daytime_interval_min(events)
    )


# --- The findings, read once ---------------------------------------------------------------


def _section(intake: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = intake.get(name)
    return value if isinstance(value, Mapping) else {}


def _red_flags(intake: Mapping[str, Any]) -> tuple[str, ...]:
    """The intake's red flags in the contract's order (unknown codes after, as given)."""
    given = intake.get("red_flags") or ()
    known = tuple(flag for flag in RED_FLAGS if flag in given)
    unknown = tuple(dict.fromkeys(flag for flag in given if flag not in RED_FLAGS))
    return known + unknown


def strengthening_holds(classification: Classification) -> tuple[str, ...]:
    """Why strengthening must wait for phase 2 (safety rule 2); empty when it need not."""
    holds: list[str] = []
    if classification.tone_profile == "tense_and_weak":
        holds.append(_("a tense and weak pelvic floor"))
    elif classification.tone_profile == "overactive":
        holds.append(_("an overactive pelvic floor"))
    if classification.pain_findings:
        holds.append(_findings(classification.pain_findings))
    if classification.needs_exam_before_strengthening:
        # No examination yet, with pain or straining to defecate (classification, section 2).
        holds.append(_("no examination yet"))
    return tuple(holds)


def needs_down_training(classification: Classification) -> bool:
    """Overactive or tense-and-weak floor, or any pain finding (reference, section 4)."""
    return classification.overactive or bool(classification.pain_findings)


@dataclass(frozen=True)
class Findings:
    """One intake, its classification and diary, and the settings: what rules read."""

    intake: Mapping[str, Any]
    classification: Classification
    diary: DiaryFindings | None
    settings: PlanSettings
    red_flags: tuple[str, ...] = field(init=False)
    holds: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "red_flags", _red_flags(self.intake))
        object.__setattr__(self, "holds", strengthening_holds(self.classification))

    def get(self, section: str, key: str) -> Any:
        return _section(self.intake, section).get(key)

    def yes(self, section: str, key: str) -> bool:
        """True only when the finding was assessed and present."""
        return self.get(section, key) is True

    def number(self, section: str, key: str) -> int | float | None:
        value = self.get(section, key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return value

    def metric(self, key: str) -> Any:
        return None if self.diary is None else self.diary.metrics.get(key)

    @property
    def anatomy(self) -> str:
        return str(self.get("patient", "anatomy") or "")

    @property
    def stress_leaks(self) -> bool:
        return self.classification.incontinence_type in ("stress", "mixed")

    @property
    def urgency(self) -> bool:
        return self.classification.incontinence_type in ("urgency", "mixed")

    @property
    def strengthening_phase(self) -> int:
        return 2 if self.holds else 1

    @property
    def triggers(self) -> str:
        given = self.get("symptoms", "stress_leak_triggers") or ()
        return ", ".join(_trigger_name(trigger) for trigger in given)

    def day_voids(self) -> tuple[float | None, bool]:
        """Voids a day and whether they come from the diary (the diary wins)."""
        from_diary = self.metric("daytime_frequency")
        if isinstance(from_diary, int | float) and not isinstance(from_diary, bool):
            return from_diary, True
        return self.number("symptoms", "day_voids"), False

    def fluid_intake(self) -> tuple[int | float | None, bool]:
        """Fluid intake in mL a day and whether it comes from the diary (the diary wins)."""
        from_diary = self.metric("fluid_intake_ml_per_day")
        if isinstance(from_diary, int | float) and not isinstance(from_diary, bool):
            return from_diary, True
        return self.number("lifestyle", "fluid_intake_ml"), False


# --- Words ---------------------------------------------------------------------------------


def _trigger_name(code: str) -> str:
    names = {
        "cough": _("cough"),
        "sneeze": _("sneeze"),
        "laugh": _("laugh"),
        "lift": _("lifting"),
        "exercise": _("exercise"),
        "jump": _("jumping"),
        "walk": _("walking"),
        "stand_up": _("standing up"),
    }
    return names.get(code, code.replace("_", " "))


def _finding_name(code: str) -> str:
    names = {
        "pelvic_pain": _("pelvic pain"),
        "painful_penetration": _("painful penetration"),
        "painful_orgasm": _("painful orgasm"),
        "constant_tension": _("constant tension"),
        "tenderness": _("tenderness on palpation"),
        "accessory_muscles": _("abdominals, buttocks or thighs take over"),
        "breath_holding": _("holds the breath"),
        "bearing_down": _("bears down instead of lifting"),
        "high_stress": _("chronic stress"),
        "poor_sleep": _("poor sleep"),
        "chronic_pain": _("chronic pain"),
        "hypermobility": _("hypermobility"),
        "scoliosis": _("scoliosis"),
    }
    return names.get(code, code.replace("_", " "))


def _findings(codes: Sequence[str]) -> str:
    return ", ".join(_finding_name(code) for code in codes)


def _history_found(f: Findings, keys: Sequence[str]) -> str:
    """The history findings present among `keys`, named, starting a sentence."""
    found = _findings([key for key in keys if f.yes("history", key)])
    return found[:1].upper() + found[1:]


def _red_flag_name(code: str) -> str:
    names = {
        "visible_haematuria": _("visible blood in the urine"),
        "non_visible_haematuria": _("non-visible blood in the urine"),
        "dysuria": _("painful urination"),
        "recurrent_uti": _("recurrent urinary infections"),
        "sudden_severe_pelvic_pain": _("sudden severe pelvic pain"),
        "saddle_anaesthesia": _("saddle numbness"),
        "new_leg_weakness_or_numbness": _("new leg weakness or numbness"),
        "new_bowel_or_bladder_loss_with_back_pain": _(
            "new loss of bladder or bowel control with back pain"
        ),
        "unexplained_weight_loss": _("unexplained weight loss"),
        "pelvic_mass": _("possible pelvic mass"),
        "suspected_fistula": _("suspected fistula"),
        "palpable_bladder_after_voiding": _("bladder palpable after voiding"),
        "persistent_bloating": _("persistent bloating"),
    }
    return names.get(code, code.replace("_", " "))


def _num(value: float) -> str:
    """A number as a person writes it: 31.2, 9.3, 1400 (never 1400.0)."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def _sentences(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _strength_summary(f: Findings) -> str:
    """The measured PERFECT findings, e.g. "Modified Oxford 2/5, holds 4 s, 4 repetitions"."""
    parts = []
    grade = f.number("exam", "oxford_grade")
    if grade is not None:
        parts.append(_("Modified Oxford %(grade)s/5") % {"grade": _num(grade)})
    endurance = f.number("exam", "endurance_s")
    if endurance is not None:
        parts.append(_("holds %(seconds)s s") % {"seconds": _num(endurance)})
    repetitions = f.number("exam", "repetitions")
    if repetitions is not None:
        parts.append(_("%(count)s repetitions") % {"count": _num(repetitions)})
    fast = f.number("exam", "fast_contractions")
    if fast is not None:
        parts.append(_("%(count)s fast contractions") % {"count": _num(fast)})
    return ", ".join(parts)


def _waits_for_release(f: Findings) -> str:
    return _("Phase 2, because of %(why)s: starts only once the muscles can fully relax.") % {
        "why": "; ".join(f.holds)
    }


# --- The rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """What a rule makes; ``build_plan`` adds the rule's code, category and source."""

    phase: int
    title: str
    rationale: str
    dosing: Mapping[str, int] = field(default_factory=dict)
    more_sources: tuple[str, ...] = ()  # sources of the findings that shaped this item


@dataclass(frozen=True)
class Rule:
    code: str
    category: str
    source: str
    applies: Callable[[Findings], bool]
    make: Callable[[Findings], Draft]


# Urgent referral -- safety rule 1.


def _red_flags_apply(f: Findings) -> bool:
    return bool(f.red_flags)


def _red_flags_make(f: Findings) -> Draft:
    flags = ", ".join(_red_flag_name(flag) for flag in f.red_flags)
    cauda = [flag for flag in f.red_flags if flag in CAUDA_EQUINA_FLAGS]
    if cauda:
        title = _("Go to hospital today")
        first = _(
            "Red flags: %(flags)s. Possible cauda equina compression: hospital assessment "
            "the same day."
        )
    else:
        title = _("See a doctor promptly")
        first = _("Red flags: %(flags)s. Urgent medical assessment comes first.")
    meanwhile = _("The safe first steps below can start meanwhile.")
    return Draft(1, title, _sentences(first % {"flags": flags}, meanwhile))


# Relaxation.


def _always(f: Findings) -> bool:
    return True


def _breathing_make(f: Findings) -> Draft:
    parts = [
        _(
            "Every plan starts here: the pelvic floor moves with the diaphragm, softening and "
            "lowering as the ribs widen on the in-breath and gently returning on the out-breath."
        )
    ]
    if f.yes("exam", "breath_holding"):
        parts.append(_("Holds the breath when contracting."))
    if f.classification.overactive:
        parts.append(_("The first step in letting an overactive floor release."))
    dosing = {"minutes": BREATHING_MINUTES, "times_per_day": BREATHING_TIMES_PER_DAY}
    return Draft(1, _("Belly breathing: let your pelvic floor soften"), _sentences(*parts), dosing)


def _down_training_applies(f: Findings) -> bool:
    return needs_down_training(f.classification)


def _down_training_make(f: Findings) -> Draft:
    parts = []
    profile = f.classification.tone_profile
    if profile == "tense_and_weak":
        summary = _strength_summary(f)
        parts.append(
            _("Tense and weak floor: held short, it has no range left to contract (%(exam)s).")
            % {"exam": summary or _("strength not measured")}
        )
    elif profile == "overactive":
        parts.append(_("Overactive floor: it cannot lengthen and let go fully."))
    if f.classification.pain_findings:
        parts.append(
            _("Pain findings: %(findings)s.")
            % {"findings": _findings(f.classification.pain_findings)}
        )
    parts.append(
        _(
            "Conscious release in positions of ease (child's pose, happy baby, supported "
            "squat); the therapist sets the dose."
        )
    )
    return Draft(1, _("Learn to let your pelvic floor go"), _sentences(*parts))


_STRESS_CARE_FINDINGS = ("high_stress", "poor_sleep", "chronic_pain")


def _stress_care_applies(f: Findings) -> bool:
    return any(f.yes("history", key) for key in _STRESS_CARE_FINDINGS)


def _stress_care_make(f: Findings) -> Draft:
    rationale = _(
        "%(findings)s: a nervous system on alert keeps the pelvic floor tight. Breathing, "
        "sleep, and referral to psychology if wanted."
    ) % {"findings": _history_found(f, _STRESS_CARE_FINDINGS)}
    return Draft(1, _("Calm your nervous system: breathing, sleep, support"), rationale)


# Coordination.


def _cueing_applies(f: Findings) -> bool:
    return bool(f.classification.coordination_findings)


def _cue(anatomy: str) -> str:
    if anatomy == "penis":
        return _('"draw the penis up and in" or "lift the testicles"')
    if anatomy == "vulva":
        return _('"close and lift the vaginal opening"')
    return _('"lift as if stopping wind"')


def _cueing_make(f: Findings) -> Draft:
    found = _findings(f.classification.coordination_findings)
    rationale = _(
        'On examination: %(findings)s. Cue: %(cue)s, or "as if stopping wind"; breathe out '
        "while lifting, then let go fully. Never practise by stopping the urine stream."
    ) % {"findings": found, "cue": _cue(f.anatomy)}
    return Draft(1, _("Find the right muscles"), rationale)


def _knack_applies(f: Findings) -> bool:
    given = f.get("symptoms", "stress_leak_triggers") or ()
    return "cough" in given or "sneeze" in given


def _knack_make(f: Findings) -> Draft:
    given = f.get("symptoms", "stress_leak_triggers") or ()
    if "cough" in given and "sneeze" in given:
        leaks = _("Leaks on coughing and sneezing.")
    elif "cough" in given:
        leaks = _("Leaks on coughing.")
    else:
        leaks = _("Leaks on sneezing.")
    parts = [
        leaks,
        _("Contract just before and during the cough or sneeze, then let go fully."),
    ]
    if f.yes("exam", "knack"):
        parts.append(_("Already pre-contracts before a cough on examination: keep it up."))
    if f.holds:
        parts.append(_waits_for_release(f))
    return Draft(
        f.strengthening_phase, _("The Knack: lift before you cough or sneeze"), _sentences(*parts)
    )


def _biofeedback_applies(f: Findings) -> bool:
    grade = f.number("exam", "oxford_grade")
    return _pfmt_applies(f) and grade is not None and grade <= CANNOT_CONTRACT_MAX_OXFORD


def _biofeedback_make(f: Findings) -> Draft:
    parts = [
        _(
            "Modified Oxford %(grade)s/5: no effective contraction yet. Consider biofeedback or "
            "electrical stimulation to find the muscles."
        )
        % {"grade": _num(f.number("exam", "oxford_grade") or 0)}
    ]
    if f.holds:
        parts.append(_waits_for_release(f))
    return Draft(f.strengthening_phase, _("Biofeedback to feel the squeeze"), _sentences(*parts))


# Strengthening -- safety rules 2 and 3.


def _pfmt_applies(f: Findings) -> bool:
    return (
        f.stress_leaks or f.yes("history", "prostatectomy") or f.yes("symptoms", "prolapse_bulge")
    )


def pfmt_dosing(exam: Mapping[str, Any], *, weeks: int = PFMT_WEEKS) -> dict[str, int]:
    """PERFECT-based dosing (Laycock & Jerwood 2001) within NICE NG123's minimum."""

    def measured(key: str) -> int | None:
        value = exam.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    repetitions = measured("repetitions") or 0
    contractions = min(PFMT_MAX_CONTRACTIONS, max(PFMT_MIN_CONTRACTIONS, repetitions))
    endurance = measured("endurance_s")
    if endurance is None:
        hold = PFMT_UNMEASURED_HOLD_S
    else:
        hold = min(PFMT_MAX_HOLD_S, max(PFMT_MIN_HOLD_S, endurance))
    fast = measured("fast_contractions")
    fast = PFMT_UNMEASURED_FAST if fast is None else min(PFMT_MAX_FAST, max(1, fast))
    return {
        "contractions": contractions,
        "hold_s": hold,
        "rest_s": hold,  # the full release: rest at least as long as the hold
        "sets_per_day": PFMT_SETS_PER_DAY,
        "fast_contractions": fast,
        "weeks": max(PFMT_WEEKS, weeks),
    }


def _pfmt_weeks(f: Findings) -> int:
    weeks = PFMT_WEEKS
    if f.yes("symptoms", "prolapse_bulge"):
        weeks = max(weeks, PROLAPSE_PFMT_WEEKS)
    if f.yes("history", "prostatectomy"):
        since = f.number("history", "prostatectomy_weeks_ago") or 0
        weeks = max(weeks, PROSTATECTOMY_REVIEW_WEEKS - int(since))
    return weeks


def _leak_sentence(f: Findings) -> str:
    kind = f.classification.incontinence_type
    if kind == "stress":
        return _("Stress leaks (%(triggers)s).") % {"triggers": f.triggers}
    if kind == "mixed":
        first = _("urgency") if f.classification.predominant == "urgency" else _("stress")
        return _(
            "Mixed leaks: stress (%(triggers)s) with urgency; %(first)s leaks treated first."
        ) % {
            "triggers": f.triggers,
            "first": first,
        }
    return ""


def _pfmt_make(f: Findings) -> Draft:
    dosing = pfmt_dosing(_section(f.intake, "exam"), weeks=_pfmt_weeks(f))
    parts = [_leak_sentence(f)]
    sources: list[str] = []
    if f.yes("history", "prostatectomy"):
        sources.append(PROSTATECTOMY_SOURCE)
        since = f.number("history", "prostatectomy_weeks_ago")
        if since is None:
            parts.append(_("After prostatectomy: training from straight after surgery."))
        else:
            parts.append(
                _("Prostatectomy %(weeks)s weeks ago: training from straight after surgery.")
                % {"weeks": _num(since)}
            )
    if f.yes("symptoms", "prolapse_bulge"):
        sources.append(PROLAPSE_PFMT_SOURCE)
        parts.append(_("Prolapse bulge: training for at least 16 weeks."))
    summary = _strength_summary(f)
    if summary and f.get("exam", "relaxation") == "complete" and not f.holds:
        parts.append(_("The floor relaxes fully (%(exam)s).") % {"exam": summary})
    elif summary:
        parts.append(_("On examination: %(exam)s.") % {"exam": summary})
    else:
        parts.append(_("Strength not measured yet."))
    parts.append(
        _(
            "Start at %(contractions)s × %(hold_s)s s, %(sets_per_day)s times a day, building "
            "toward 10 s × 10; let go fully for %(rest_s)s s after every squeeze."
        )
        % dosing
    )
    if f.holds:
        parts.append(_waits_for_release(f))
    title = _("Pelvic floor exercises: squeeze, lift, let go fully")
    return Draft(f.strengthening_phase, title, _sentences(*parts), dosing, tuple(sources))


# Bladder training.


def _bladder_training_applies(f: Findings) -> bool:
    return f.urgency


def bladder_training_dosing(start_min: int) -> dict[str, int]:
    """Lengthen by 15 minutes a week toward 3-4 hours, for at least 6 weeks (NICE NG123)."""
    low, high = BLADDER_TRAINING_TARGETS_MIN
    target = low if start_min < low else high if start_min < high else start_min
    steps = math.ceil((target - start_min) / BLADDER_TRAINING_STEP_MIN)
    return {
        "start_interval_min": start_min,
        "increase_min": BLADDER_TRAINING_STEP_MIN,
        "every_days": BLADDER_TRAINING_STEP_DAYS,
        "target_interval_min": target,
        "weeks": max(BLADDER_TRAINING_MIN_WEEKS, steps),
    }


def _bladder_start(f: Findings) -> tuple[int, bool]:
    if f.diary is not None and f.diary.mean_daytime_interval_min:
        return f.diary.mean_daytime_interval_min, True
    return f.settings.bladder_training_default_start_min, False


def _bladder_training_make(f: Findings) -> Draft:
    start, from_diary = _bladder_start(f)
    dosing = bladder_training_dosing(start)
    parts = [_("Urgency with urge leaks.") if f.yes("symptoms", "urge_leaks") else _("Urgency.")]
    voids, voids_from_diary = f.day_voids()
    if voids is not None:
        if voids_from_diary:
            parts.append(_("%(voids)s voids a day on the diary.") % {"voids": _num(voids)})
        else:
            parts.append(_("%(voids)s voids a day reported.") % {"voids": _num(voids)})
    if from_diary:
        parts.append(
            _("Starts at the diary's mean daytime interval, %(minutes)s minutes.")
            % {"minutes": start}
        )
    else:
        parts.append(
            _("No diary interval: starts at the clinic default, %(minutes)s minutes.")
            % {"minutes": start}
        )
    if f.holds:
        parts.append(
            _(
                "Urge suppression: stop, stand still, slow breathing, wait for the urge to pass, "
                "then walk calmly (no quick squeezes until the floor relaxes fully)."
            )
        )
    else:
        parts.append(
            _(
                "Urge suppression: stop, stand still, a few quick pelvic floor squeezes, slow "
                "breathing, wait for the urge to pass, then walk calmly."
            )
        )
    title = _("Bladder training: stretch the time between toilet visits")
    return Draft(1, title, _sentences(*parts), dosing)


# Lifestyle.


def _caffeine(f: Findings) -> int | float:
    return f.number("lifestyle", "caffeine_drinks_per_day") or 0


def _caffeine_applies(f: Findings) -> bool:
    return f.urgency and _caffeine(f) >= 1


def _caffeine_make(f: Findings) -> Draft:
    drinks = _caffeine(f)
    goal = f.settings.caffeine_max_drinks_per_day
    goal = goal if drinks > goal else 0
    values = {"drinks": _num(drinks), "goal": goal}
    if drinks >= 3:
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
    return Draft(1, title, rationale % values, {"max_drinks_per_day": goal})


def _fluid_problems(f: Findings) -> list[str]:
    problems = []
    intake, from_diary = f.fluid_intake()
    if intake is not None:
        values = {
            "ml": _num(intake),
            "low": f.settings.fluid_low_ml,
            "high": f.settings.fluid_high_ml,
        }
        if intake < f.settings.fluid_low_ml:
            if from_diary:
                message = _("Drinks %(ml)s mL a day on the diary, below %(low)s mL.")
            else:
                message = _("Drinks about %(ml)s mL a day, below %(low)s mL.")
            problems.append(message % values)
        elif intake > f.settings.fluid_high_ml:
            if from_diary:
                message = _("Drinks %(ml)s mL a day on the diary, above %(high)s mL.")
            else:
                message = _("Drinks about %(ml)s mL a day, above %(high)s mL.")
            problems.append(message % values)
    if f.metric("polyuria_24h") is True:
        problems.append(_("The diary shows 24-hour polyuria."))
    if f.metric("nocturnal_polyuria") is True:
        problems.append(_("The diary shows nocturnal polyuria."))
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
    return int(intake)  # nocturnal polyuria alone: same amount, less before bed


def _nocturia(f: Findings) -> float | None:
    from_diary = f.metric("nocturia")
    if isinstance(from_diary, int | float) and not isinstance(from_diary, bool):
        return from_diary
    return f.number("symptoms", "night_voids")


def _fluids_make(f: Findings) -> Draft:
    target = _fluid_target(f)
    parts = _fluid_problems(f)
    parts.append(_("Aim for about %(ml)s mL a day, spread through the day.") % {"ml": target})
    nocturia = _nocturia(f)
    if nocturia or f.metric("nocturnal_polyuria") is True:
        if nocturia:
            parts.append(
                _("Night voids: %(times)s; drink less in the 2 hours before bed.")
                % {"times": _num(nocturia)}
            )
        else:
            parts.append(_("Drink less in the 2 hours before bed."))
    return Draft(
        1, _("Drink a steady, normal amount"), _sentences(*parts), {"target_ml_per_day": target}
    )


def _bmi(f: Findings) -> int | float | None:
    return f.number("lifestyle", "bmi")


def _weight_applies(f: Findings) -> bool:
    bmi = _bmi(f)
    return bmi is not None and bmi > 30


def _weight_make(f: Findings) -> Draft:
    rationale = _(
        "BMI %(bmi)s: extra weight presses on the pelvic floor; losing weight reduces leaks."
    ) % {"bmi": _num(_bmi(f) or 0)}
    return Draft(1, _("Support to lose weight"), rationale)


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
    return Draft(1, title, rationale)


def _bowel_applies(f: Findings) -> bool:
    return f.yes("symptoms", "constipation") or f.yes("symptoms", "straining_to_defecate")


def _bowel_make(f: Findings) -> Draft:
    found = []
    if f.yes("symptoms", "constipation"):
        found.append(_("constipation"))
    if f.yes("symptoms", "straining_to_defecate"):
        found.append(_("straining to open the bowels"))
    text = ", ".join(found)
    rationale = _(
        "%(found)s. Fibre and fluids, feet on a footstool with knees above hips, relaxed "
        "breathing, no straining."
    ) % {"found": text[:1].upper() + text[1:]}
    return Draft(1, _("Easier bowel movements: footstool, breathing, no straining"), rationale)


def _alcohol(f: Findings) -> int | float:
    return f.number("lifestyle", "alcohol_units_per_week") or 0


def _alcohol_applies(f: Findings) -> bool:
    units = _alcohol(f)
    return units > f.settings.alcohol_units_per_week or (f.urgency and units >= 1)


def _alcohol_make(f: Findings) -> Draft:
    units, limit = _alcohol(f), f.settings.alcohol_units_per_week
    values = {"units": _num(units), "limit": limit}
    if units > limit:
        rationale = _("%(units)s units of alcohol a week, above the %(limit)s-unit guide.")
    else:
        rationale = _(
            "Urgency with %(units)s units of alcohol a week: alcohol irritates the bladder."
        )
    return Draft(1, _("Cut down on alcohol"), rationale % values)


# Medical referral.


def _estrogen_reasons(f: Findings) -> list[str]:
    reasons = []
    if f.urgency:
        reasons.append(_("urgency"))
    if "recurrent_uti" in f.red_flags:
        reasons.append(_("recurrent urinary infections"))
    return reasons


def _vaginal_estrogen_applies(f: Findings) -> bool:
    return (
        f.get("hormonal", "status") == "postmenopausal"
        and f.yes("hormonal", "vaginal_atrophy")
        and not f.yes("hormonal", "vaginal_estrogen")
        and bool(_estrogen_reasons(f))
    )


def _vaginal_estrogen_make(f: Findings) -> Draft:
    parts = [
        _("Postmenopausal, with vaginal atrophy and %(reasons)s.")
        % {"reasons": _(" and ").join(_estrogen_reasons(f))}
    ]
    if f.get("hormonal", "vaginal_estrogen") is None:
        parts.append(_("Check whether vaginal estrogen is already used."))
    else:
        parts.append(_("Not using vaginal estrogen."))
    return Draft(1, _("Ask your GP about low-dose vaginal estrogen"), _sentences(*parts))


def _oab_medication_make(f: Findings) -> Draft:
    rationale = _(
        "Urgency: only if it still bothers after 6 weeks of bladder training. GP review of an "
        "antimuscarinic or beta-3 agonist, reviewed 4 weeks after starting."
    )
    return Draft(
        2,
        _("If urgency persists: ask your GP about bladder medicine"),
        rationale,
        {"review_after_weeks": OAB_MEDICATION_REVIEW_WEEKS},
    )


def _medication_check_applies(f: Findings) -> bool:
    return f.yes("history", "diuretics")


def _medication_check_make(f: Findings) -> Draft:
    rationale = _(
        "Takes diuretics: a GP review of their timing, so they worsen neither leaks nor nights."
    )
    return Draft(1, _("Ask your GP to review the timing of your water tablets"), rationale)


# Specialist referral.


def _manual_therapy_applies(f: Findings) -> bool:
    return f.classification.overactive and f.yes("exam", "tenderness")


def _manual_therapy_make(f: Findings) -> Draft:
    rationale = _(
        "Overactive floor with tender points on examination: manual therapy or relaxation "
        "biofeedback in clinic; no strengthening while it is tender."
    )
    return Draft(1, _("Hands-on release and relaxation biofeedback in clinic"), rationale)


def _pfmt_months(f: Findings) -> int | float:
    return f.number("history", "pfmt_months_tried") or 0


def _sui_procedures_applies(f: Findings) -> bool:
    return (
        f.stress_leaks
        and not f.yes("history", "prostatectomy")
        and _pfmt_months(f) >= SUI_PROCEDURE_AFTER_MONTHS
    )


def _sui_procedures_make(f: Findings) -> Draft:
    parts = [
        _(
            "Stress leaks (%(triggers)s) persist after %(months)s months of pelvic floor "
            "training: pessary or other devices, urethral bulking, sling or colposuspension "
            "(urogynaecology or urology)."
        )
        % {"triggers": f.triggers, "months": _num(_pfmt_months(f))}
    ]
    if f.holds:
        parts.append(
            _(
                "Phase 2, because of %(why)s: the earlier training may not have suited this "
                "floor; refer if the leaks persist once it relaxes fully."
            )
            % {"why": "; ".join(f.holds)}
        )
    return Draft(
        f.strengthening_phase,
        _("Talk to a specialist about other treatments for stress leaks"),
        _sentences(*parts),
    )


def _post_prostatectomy_applies(f: Findings) -> bool:
    since = f.number("history", "prostatectomy_weeks_ago")
    return (
        f.stress_leaks
        and f.yes("history", "prostatectomy")
        and since is not None
        and since >= PROSTATECTOMY_REVIEW_WEEKS
    )


def _post_prostatectomy_make(f: Findings) -> Draft:
    rationale = _(
        "Leaks %(weeks)s weeks after prostatectomy, past the 6-month mark: discuss surgery "
        "(offered at 1 year) with urology."
    ) % {"weeks": _num(f.number("history", "prostatectomy_weeks_ago") or 0)}
    return Draft(1, _("Talk to a urologist about surgery for leaks"), rationale)


def _prolapse_applies(f: Findings) -> bool:
    return f.yes("symptoms", "prolapse_bulge")


def _prolapse_make(f: Findings) -> Draft:
    rationale = _(
        "Feels or sees a bulge: urogynaecology assessment; pelvic floor training for at least "
        "16 weeks for a mild prolapse."
    )
    return Draft(1, _("See a specialist about the bulge"), rationale)


_COMPLEX_BODY_FINDINGS = ("hypermobility", "scoliosis", "chronic_pain")


def _complex_bodies_applies(f: Findings) -> bool:
    return any(f.yes("history", key) for key in _COMPLEX_BODY_FINDINGS)


def _complex_bodies_make(f: Findings) -> Draft:
    rationale = _("%(findings)s: a whole-body plan for hips, spine and posture.") % {
        "findings": _history_found(f, _COMPLEX_BODY_FINDINGS)
    }
    return Draft(1, _("A whole-body plan: hips, spine and posture"), rationale)


# Education.


def _education_make(f: Findings) -> Draft:
    parts = [
        _(
            "Every plan: what the pelvic floor does and what to expect, in plain words; the goal "
            "is a floor that can relax fully, not a tighter one."
        )
    ]
    if f.classification.overactive:
        parts.append(_("Overactive floor: more squeezing would make it worse."))
    return Draft(1, _("How your pelvic floor works: tighter is not better"), _sentences(*parts))


def _warning_signs_make(f: Findings) -> Draft:
    rationale = _(
        "Every plan: stop and get checked for pain that worsens, new leaks, blood in the urine, "
        "painful urination, sudden severe pelvic pain, new numbness or leg weakness."
    )
    return Draft(1, _("Warning signs: stop and get checked"), rationale)


# The table of section 4, in category order (see CATEGORIES); sources next to each rule.
RULES: tuple[Rule, ...] = (
    Rule(
        URGENT_REFERRAL,
        "urgent_referral",
        "NICE NG123 (urgent referral: visible haematuria; microscopic haematuria at ≥ 50; "
        "recurrent/persisting UTI with haematuria at ≥ 40; suspected pelvic mass); NICE NG12 "
        "(visible haematuria at ≥ 45: suspected-cancer pathway); cauda equina guidance "
        "(same-day hospital assessment)",
        _red_flags_apply,
        _red_flags_make,
    ),
    Rule(BREATHING, "relaxation", "Seed articles; standard practice", _always, _breathing_make),
    Rule(
        DOWN_TRAINING,
        "relaxation",
        "Seed articles; Mayo Clin Proc review of non-relaxing pelvic floor dysfunction",
        _down_training_applies,
        _down_training_make,
    ),
    Rule(
        "relaxation.stress_care",
        "relaxation",
        "Seed articles",
        _stress_care_applies,
        _stress_care_make,
    ),
    Rule("coordination.cueing", "coordination", "Seed articles", _cueing_applies, _cueing_make),
    Rule(
        "coordination.biofeedback",
        "coordination",
        "NICE NG210; NICE NG123 (biofeedback or electrical stimulation when unable to contract)",
        _biofeedback_applies,
        _biofeedback_make,
    ),
    Rule("coordination.knack", "coordination", "Miller 1998, 2008", _knack_applies, _knack_make),
    Rule(
        PFMT,
        "strengthening",
        "NICE NG123 (PFMT ≥ 3 months, ≥ 8 contractions × 3/day); Laycock & Jerwood 2001 (PERFECT)",
        _pfmt_applies,
        _pfmt_make,
    ),
    Rule(
        "bladder_training.schedule",
        "bladder_training",
        "NICE NG123 (bladder training ≥ 6 weeks, first-line for urgency or mixed); "
        "urge-suppression protocols in the continence literature",
        _bladder_training_applies,
        _bladder_training_make,
    ),
    Rule("lifestyle.caffeine", "lifestyle", "NICE NG123", _caffeine_applies, _caffeine_make),
    Rule(
        "lifestyle.fluids",
        "lifestyle",
        "NICE NG123 (modify high or low fluid intake); the mL bounds are a clinic convention",
        _fluids_applies,
        _fluids_make,
    ),
    Rule("lifestyle.weight", "lifestyle", "NICE NG123", _weight_applies, _weight_make),
    Rule(
        "lifestyle.smoking_cough",
        "lifestyle",
        "Seed article",
        _smoking_cough_applies,
        _smoking_cough_make,
    ),
    Rule("lifestyle.bowel", "lifestyle", "Seed articles", _bowel_applies, _bowel_make),
    Rule(
        "lifestyle.alcohol",
        "lifestyle",
        "Seed article (the weekly-unit threshold is a clinic convention)",
        _alcohol_applies,
        _alcohol_make,
    ),
    Rule(
        "medical_referral.vaginal_estrogen",
        "medical_referral",
        "NICE NG123; NICE NG23",
        _vaginal_estrogen_applies,
        _vaginal_estrogen_make,
    ),
    Rule(
        "medical_referral.medication_check",
        "medical_referral",
        "Seed article",
        _medication_check_applies,
        _medication_check_make,
    ),
    Rule(
        "medical_referral.oab_medication",
        "medical_referral",
        "NICE NG123; AUA/SUFU OAB guideline 2024",
        _bladder_training_applies,
        _oab_medication_make,
    ),
    Rule(
        "specialist_referral.manual_therapy",
        "specialist_referral",
        "AUA IC/BPS guideline",
        _manual_therapy_applies,
        _manual_therapy_make,
    ),
    Rule(
        "specialist_referral.sui_procedures",
        "specialist_referral",
        "NICE NG123",
        _sui_procedures_applies,
        _sui_procedures_make,
    ),
    Rule(
        "specialist_referral.post_prostatectomy",
        "specialist_referral",
        PROSTATECTOMY_SOURCE,
        _post_prostatectomy_applies,
        _post_prostatectomy_make,
    ),
    Rule(
        "specialist_referral.prolapse",
        "specialist_referral",
        "NICE NG123 / NG210",
        _prolapse_applies,
        _prolapse_make,
    ),
    Rule(
        "specialist_referral.complex_bodies",
        "specialist_referral",
        "Seed article",
        _complex_bodies_applies,
        _complex_bodies_make,
    ),
    Rule("education.pelvic_floor", "education", "Seed articles", _always, _education_make),
    Rule(
        "education.warning_signs",
        "education",
        "Seed articles; NICE NG123",
        _always,
        _warning_signs_make,
    ),
)


# --- Notices for the therapist ---------------------------------------------------------------


def _plan_notices(f: Findings, items: Sequence[Mapping[str, Any]]) -> list[str]:
    notices = []
    codes = {item["code"]: item for item in items}
    profile = f.classification.tone_profile
    # No examination but pain or straining: the classification's notice says so already.
    if profile == "unknown" and PFMT in codes and not f.holds:
        notices.append(
            _(
                "The pelvic floor has not been examined: confirm a correct contraction and a "
                "full release before starting pelvic floor exercises."
            )
        )
    voids, from_diary = f.day_voids()
    if voids is not None and voids > f.settings.daytime_frequency_threshold and not f.urgency:
        message = (
            _(
                "The diary shows %(voids)s voids a day without urgency recorded: check fluids, "
                "polyuria and habit voiding."
            )
            if from_diary
            else _(
                "%(voids)s voids a day reported without urgency: check fluids, polyuria and "
                "habit voiding; a 3-day bladder diary would help."
            )
        )
        notices.append(message % {"voids": _num(voids)})
    urgency_episodes = f.metric("urgency_episodes_per_day")
    if isinstance(urgency_episodes, int | float) and urgency_episodes > 0 and not f.urgency:
        notices.append(
            _(
                "The diary records %(count)s urgency episodes a day but the symptoms record no "
                "urgency: confirm with the patient."
            )
            % {"count": _num(urgency_episodes)}
        )
    if f.metric("polyuria_24h") is True:
        notices.append(_("The diary shows 24-hour polyuria: consider a GP check for its cause."))
    if "bladder_training.schedule" in codes and not _bladder_start(f)[1]:
        if f.diary is None:
            message = _(
                "No bladder diary: bladder training starts at the clinic default of %(minutes)s "
                "minutes; a 3-day diary would set it."
            )
        else:
            message = _(
                "The diary gives no interval between daytime voids: bladder training starts at "
                "the clinic default of %(minutes)s minutes."
            )
        notices.append(message % {"minutes": f.settings.bladder_training_default_start_min})
    if f.yes("symptoms", "voiding_difficulty") or f.yes("symptoms", "incomplete_emptying"):
        notices.append(
            _(
                "Voiding difficulty or incomplete emptying: consider checking the post-void "
                "residual."
            )
        )
    return notices


# --- Building --------------------------------------------------------------------------------


def _item(rule: Rule, draft: Draft) -> dict[str, Any]:
    return {
        "code": rule.code,
        "category": rule.category,
        "phase": draft.phase,
        "title": draft.title,
        "rationale": draft.rationale,
        "dosing": dict(draft.dosing),
        "source": "; ".join((rule.source, *draft.more_sources)),
    }


def _unique(texts: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(text for text in texts if text))


def build_plan(
    intake: Mapping[str, Any],
    *,
    diary: DiaryFindings | None = None,
    settings: PlanSettings = PlanSettings(),
) -> dict[str, Any]:
    """A draft care plan (careplan-v1) for a valid intake (intake-v1)."""
    classification = classify(intake)
    f = Findings(intake=intake, classification=classification, diary=diary, settings=settings)
    items = [_item(rule, rule.make(f)) for rule in RULES if rule.applies(f)]
    # Phase 1 before phase 2; RULES order (category order) within a phase. Stable sort.
    items.sort(key=lambda item: item["phase"])

    contract = classification.to_contract()
    notices = _unique([*classification.notices, *_plan_notices(f, items)])
    return {
        "schema": SCHEMA,
        "classification": contract,
        "red_flags": list(f.red_flags),
        "urgent_referral": bool(f.red_flags),
        "notices": notices,
        "items": items,
    }


# --- Checking an edited plan -----------------------------------------------------------------


def safety_violations(
    plan: Mapping[str, Any], *, intake: Mapping[str, Any] | None = None
) -> list[str]:
    """Where a (possibly edited) plan breaks safety rules 1-3; empty when it breaks none.

    Without the intake, "pain findings" cannot be seen in the plan, so rule 2 is checked
    from the plan's tone profile alone; with it, exactly as the builder applies it.
    """
    problems: list[str] = []
    items = [item for item in plan.get("items") or () if isinstance(item, Mapping)]
    codes = [item.get("code") for item in items]

    red_flags = list(plan.get("red_flags") or ())
    if intake is not None:
        red_flags += [flag for flag in _red_flags(intake) if flag not in red_flags]
    if red_flags or plan.get("urgent_referral"):
        if URGENT_REFERRAL not in codes:
            problems.append(
                _("Red flags are present but the plan has no urgent referral (safety rule 1).")
            )
        elif codes[0] != URGENT_REFERRAL:
            problems.append(_("The urgent referral must be the first item (safety rule 1)."))
    if BREATHING not in codes:
        problems.append(
            _("The plan has no diaphragmatic breathing; every plan starts with it (safety rule 3).")
        )
    else:
        expected = 1 if codes and codes[0] == URGENT_REFERRAL else 0
        if codes.index(BREATHING) != expected:
            problems.append(
                _(
                    "Diaphragmatic breathing must come first, straight after any urgent "
                    "referral (safety rule 3)."
                )
            )

    classification = plan.get("classification") or {}
    if intake is not None:
        found = classify(intake)
        holds, down_training = strengthening_holds(found), needs_down_training(found)
    else:
        # Pain findings are not in the plan: rule 2 from the tone profile alone.
        profile = classification.get("tone_profile")
        holds = ()
        if profile == "tense_and_weak":
            holds = (_("a tense and weak pelvic floor"),)
        elif profile == "overactive":
            holds = (_("an overactive pelvic floor"),)
        down_training = bool(holds)
    why = "; ".join(holds)
    for item in items:
        if holds and item.get("category") == "strengthening" and item.get("phase") == 1:
            problems.append(
                _(
                    "%(code)s is strengthening in phase 1 despite %(why)s: it may start only "
                    "in phase 2, once the muscles can fully relax (safety rule 2)."
                )
                % {"code": item.get("code"), "why": why}
            )
    if down_training and DOWN_TRAINING not in codes:
        problems.append(
            _("The plan has no pelvic floor down-training despite %(why)s (safety rule 2).")
            % {"why": why}
        )
    for item in items:
        if item.get("category") != "strengthening":
            continue
        dosing = item.get("dosing") or {}
        rest = dosing.get("rest_s") if isinstance(dosing, Mapping) else None
        if not isinstance(rest, int) or isinstance(rest, bool) or rest < 1:
            problems.append(
                _(
                    "%(code)s does not teach the full release after each contraction: set "
                    "rest_s in its dosing (safety rule 3)."
                )
                % {"code": item.get("code")}
            )
    return problems
