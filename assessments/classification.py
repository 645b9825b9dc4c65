"""Classify an intake's findings: incontinence type, predominant type, tone profile.

Input is a validated intake-v1 dict (contracts/intake-v1.md). A missing key means "not
assessed", which is never read as false: missing or empty symptoms give an unknown
incontinence type, and an exam without tone, relaxation or Oxford grade gives an unknown
tone profile. Each rule below cites its source in the clinical reference (section 2).

Pure Python, no Django: messages go through ``clinic.i18n.gettext``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessments.questionnaires import iqq3_type
from clinic.i18n import gettext as _


def gettext_noop(message: str) -> str:
    """Mark a string for makemessages; it is translated where it is shown."""
    return message


# Clinical reference, section 2 ("Pain findings"): these point toward overactivity.
PAIN_FINDINGS: tuple[str, ...] = (
    "pelvic_pain",
    "painful_penetration",
    "painful_orgasm",
    "constant_tension",
    "tenderness",  # the only one found on examination; the rest are symptoms
)
# Clinical reference, section 1 (common technique errors) and section 2 (tone rule 4).
COORDINATION_FINDINGS: tuple[str, ...] = ("accessory_muscles", "breath_holding", "bearing_down")

INCONTINENCE_TYPES: tuple[str, ...] = ("stress", "urgency", "mixed", "none", "unknown")
TONE_PROFILES: tuple[str, ...] = (
    "underactive",
    "overactive",
    "tense_and_weak",
    "normal",
    "uncoordinated",
    "unknown",
)

# Oxford grade at or below this is weak (clinical reference, section 2, tone rules 1 and 3).
WEAK_OXFORD_GRADE = 2
OVERACTIVE_RELAXATION: tuple[str, ...] = ("partial", "absent", "delayed")

_LABELS: dict[str, str] = {
    # stress_leak_triggers
    "cough": gettext_noop("cough"),
    "sneeze": gettext_noop("sneeze"),
    "laugh": gettext_noop("laugh"),
    "lift": gettext_noop("lifting"),
    "exercise": gettext_noop("exercise"),
    "jump": gettext_noop("jumping"),
    "walk": gettext_noop("walking"),
    "stand_up": gettext_noop("standing up"),
    # pain findings
    "pelvic_pain": gettext_noop("pelvic pain"),
    "painful_penetration": gettext_noop("painful penetration"),
    "painful_orgasm": gettext_noop("painful orgasm"),
    "constant_tension": gettext_noop("a constant feeling of tension"),
    "tenderness": gettext_noop("tenderness on palpation"),
    # coordination findings
    "accessory_muscles": gettext_noop("accessory muscles substitute for the pelvic floor"),
    "breath_holding": gettext_noop("holds the breath"),
    "bearing_down": gettext_noop("bears down instead of lifting"),
    # urgency symptoms
    "urgency": gettext_noop("urgency"),
    "urge_leaks": gettext_noop("urge leaks"),
    # exam fields
    "tone": gettext_noop("tone"),
    "relaxation": gettext_noop("relaxation"),
    "oxford_grade": gettext_noop("Oxford grade"),
    # relaxation values that point to overactivity
    "partial": gettext_noop("relaxation only partial"),
    "absent": gettext_noop("no relaxation"),
    "delayed": gettext_noop("delayed relaxation"),
    "normal": gettext_noop("normal"),
    "complete": gettext_noop("complete"),
    # incontinence types, as used in sentences
    "stress": gettext_noop("stress"),
    "mixed": gettext_noop("mixed"),
    # anatomy and hormonal status, for notices
    "vulva": gettext_noop("vulva"),
    "penis": gettext_noop("penis"),
    "unspecified": gettext_noop("unspecified"),
    "premenopausal": gettext_noop("premenopausal"),
    "perimenopausal": gettext_noop("perimenopausal"),
    "postmenopausal": gettext_noop("postmenopausal"),
    "pregnant": gettext_noop("pregnant"),
    "postpartum": gettext_noop("postpartum"),
}


def _label(code: str) -> str:
    return _(_LABELS.get(code, code.replace("_", " ")))


def _labels(codes: list[str] | tuple[str, ...]) -> str:
    return ", ".join(_label(code) for code in codes)


@dataclass(frozen=True)
class Classification:
    incontinence_type: str  # stress | urgency | mixed | none | unknown
    predominant: str | None  # stress | urgency for those types and mixed; else None
    tone_profile: str  # one of TONE_PROFILES
    reasons: tuple[str, ...]  # therapist-language reasons, each naming its findings
    pain_findings: tuple[str, ...]  # codes from PAIN_FINDINGS that are present
    coordination_findings: tuple[str, ...]  # codes from COORDINATION_FINDINGS present
    notices: tuple[str, ...]  # for the therapist to confirm: unusual combinations, gaps
    # Tone profile unknown (floor not examined) with a pain finding or straining to
    # defecate: no strengthening in phase 1 until examined (clinical reference, section 2).
    needs_exam_before_strengthening: bool = False

    @property
    def overactive(self) -> bool:
        # Everything said of an overactive floor applies to tense-and-weak too (section 2).
        return self.tone_profile in ("overactive", "tense_and_weak")

    def to_contract(self) -> dict[str, Any]:
        """The ``classification`` object of careplan-v1."""
        return {
            "incontinence_type": self.incontinence_type,
            "predominant": self.predominant,
            "tone_profile": self.tone_profile,
            "reasons": list(self.reasons),
        }


def classify(intake: Mapping[str, Any]) -> Classification:
    patient = intake.get("patient") or {}
    symptoms = intake.get("symptoms") or {}
    exam = intake.get("exam") or {}
    iqq3 = (intake.get("questionnaires") or {}).get("iqq3")
    reasons: list[str] = []
    notices: list[str] = []

    incontinence_type = _incontinence_type(symptoms, reasons, notices)
    predominant = _predominant(incontinence_type, symptoms, iqq3, reasons, notices)
    _compare_with_iqq3(incontinence_type, iqq3, notices)

    coordination = tuple(code for code in COORDINATION_FINDINGS if exam.get(code) is True)
    tone_profile = _tone_profile(exam, coordination, reasons, notices)
    if coordination and tone_profile != "uncoordinated":
        # Coordination findings add coordination items whatever the tone (section 2).
        reasons.append(_("Coordination: %(findings)s.") % {"findings": _labels(coordination)})

    pain = tuple(
        code
        for code in PAIN_FINDINGS
        if (exam if code == "tenderness" else symptoms).get(code) is True
    )
    if pain:
        reasons.append(
            _("Pain findings: %(findings)s; pain points toward an overactive pelvic floor.")
            % {"findings": _labels(pain)}
        )
    needs_exam = _needs_exam_before_strengthening(tone_profile, pain, symptoms, reasons, notices)

    _consent_notice(exam, notices)
    _anatomy_notices(patient, intake.get("history") or {}, intake.get("hormonal") or {}, notices)

    return Classification(
        incontinence_type=incontinence_type,
        predominant=predominant,
        tone_profile=tone_profile,
        reasons=tuple(reasons),
        pain_findings=pain,
        coordination_findings=coordination,
        notices=tuple(notices),
        needs_exam_before_strengthening=needs_exam,
    )


def _incontinence_type(symptoms: Mapping[str, Any], reasons: list[str], notices: list[str]) -> str:
    # NICE NG123: classify as stress, urgency (OAB) or mixed. Only the symptoms section
    # drives the type; the 3IQ answers never set it (they only pick the predominant type
    # of mixed incontinence, and disagreements become notices).
    if not symptoms:
        reasons.append(_("Incontinence type unknown: symptoms were not assessed."))
        notices.append(_("Symptoms were not assessed: the incontinence type is unknown."))
        return "unknown"

    triggers = list(symptoms.get("stress_leak_triggers") or [])
    effort_assessed = "stress_leak_triggers" in symptoms
    # intake-v1: urge_leaks true implies urgency; so urgency false also rules out urge leaks.
    urgency_found = [code for code in ("urgency", "urge_leaks") if symptoms.get(code) is True]
    urgency_assessed = "urgency" in symptoms or bool(urgency_found)
    if symptoms.get("urge_leaks") is True and symptoms.get("urgency") is False:
        notices.append(
            _(
                "Urge leaks are recorded but urgency is not: "
                "urge leaks imply urgency; please confirm."
            )
        )
    values = {"triggers": _labels(triggers), "urgency": _labels(urgency_found)}

    if triggers and urgency_found:
        reasons.append(
            _("Mixed incontinence: leaks on effort (%(triggers)s) together with %(urgency)s.")
            % values
        )
        return "mixed"
    if triggers:
        if urgency_assessed:
            reason = _("Stress incontinence: leaks on effort (%(triggers)s), no urgency.")
        else:
            reason = _("Stress incontinence: leaks on effort (%(triggers)s); urgency not recorded.")
            notices.append(
                _("Urgency was not recorded: ask about it to rule out mixed incontinence.")
            )
        reasons.append(reason % values)
        return "stress"
    if urgency_found:
        if effort_assessed:
            reason = _("Urgency incontinence: %(urgency)s, no leaks on effort.")
        else:
            reason = _("Urgency incontinence: %(urgency)s; leaks on effort not recorded.")
            notices.append(
                _(
                    "Leaks on effort were not recorded: "
                    "ask about them to rule out mixed incontinence."
                )
            )
        reasons.append(reason % values)
        return "urgency"
    if effort_assessed and urgency_assessed:
        reasons.append(_("No incontinence: no leaks on effort and no urgency."))
        return "none"
    # A symptoms section that records neither leaks on effort nor urgency has not
    # assessed incontinence: absence is only "none" when both were asked.
    reasons.append(_("Incontinence type unknown: leaks on effort and urgency were not recorded."))
    notices.append(
        _("Leaks on effort and urgency were not recorded: the incontinence type is unknown.")
    )
    return "unknown"


def _predominant(
    incontinence_type: str,
    symptoms: Mapping[str, Any],
    iqq3: Mapping[str, Any] | None,
    reasons: list[str],
    notices: list[str],
) -> str | None:
    if incontinence_type in ("stress", "urgency"):
        return incontinence_type
    if incontinence_type != "mixed":
        return None
    # NICE NG123: treat the predominant type of mixed incontinence first. Clinical
    # reference, section 2: the 3IQ "most often" answer first, then most_bothersome.
    by_iqq3 = iqq3_type(iqq3) if iqq3 else None
    bothersome = symptoms.get("most_bothersome")
    if by_iqq3 in ("stress", "urgency"):
        if by_iqq3 == "stress":
            reasons.append(
                _(
                    "Stress incontinence treated first: "
                    "on the 3IQ, leaks happen most often on physical activity."
                )
            )
        else:
            reasons.append(
                _(
                    "Urgency incontinence treated first: "
                    "on the 3IQ, leaks happen most often with the urge."
                )
            )
        if bothersome in ("stress", "urgency") and bothersome != by_iqq3:
            notices.append(
                _(
                    "The 3IQ says %(iqq3)s leaks happen most often, but %(bothersome)s leaks "
                    "bother the patient most: %(iqq3)s is treated first; please confirm."
                )
                % {"iqq3": _label(by_iqq3), "bothersome": _label(bothersome)}
            )
        return by_iqq3
    if bothersome == "stress":
        reasons.append(
            _("Stress incontinence treated first: leaks on effort bother the patient most.")
        )
        return "stress"
    if bothersome == "urgency":
        reasons.append(
            _("Urgency incontinence treated first: urgency leaks bother the patient most.")
        )
        return "urgency"
    # Clinical reference, section 2: else stress, as PFMT is first-line for both stress and
    # mixed incontinence (NICE NG123).
    reasons.append(
        _(
            "Stress incontinence treated first: neither the 3IQ nor the most bothersome leak "
            "says which type predominates, and pelvic floor muscle training is first-line "
            "for mixed incontinence."
        )
    )
    return "stress"


def _compare_with_iqq3(
    incontinence_type: str, iqq3: Mapping[str, Any] | None, notices: list[str]
) -> None:
    # The 3IQ (Brown 2006) is a screening test; where it disagrees with the symptoms the
    # therapist recorded, the symptoms stand and the therapist is asked to confirm.
    if not iqq3:
        return
    by_iqq3 = iqq3_type(iqq3)
    if incontinence_type == "unknown" and by_iqq3 is not None:
        notices.append(
            _(
                "The 3IQ points to %(iqq3)s incontinence, but the symptoms record neither "
                "leaks on effort nor urgency: the type stays unknown until they do."
            )
            % {"iqq3": _label(by_iqq3)}
        )
    elif incontinence_type == "none" and iqq3.get("any_leak_3_months") is True:
        notices.append(
            _(
                "The 3IQ reports leaks in the last 3 months, "
                "but no incontinence symptoms are recorded."
            )
        )
    elif incontinence_type in ("stress", "urgency") and by_iqq3 in ("stress", "urgency", "mixed"):
        if by_iqq3 != incontinence_type:
            notices.append(
                _(
                    "The 3IQ points to %(iqq3)s incontinence, but the recorded symptoms show "
                    "%(type)s incontinence: please confirm."
                )
                % {"iqq3": _label(by_iqq3), "type": _label(incontinence_type)}
            )


def _tone_profile(
    exam: Mapping[str, Any],
    coordination: tuple[str, ...],
    reasons: list[str],
    notices: list[str],
) -> str:
    # Clinical reference, section 2 ("Tone profile"): first match wins.
    tone, relaxation, oxford = exam.get("tone"), exam.get("relaxation"), exam.get("oxford_grade")
    if tone is None and relaxation is None and oxford is None:
        reasons.append(_("Tone profile unknown: no tone, relaxation or Oxford grade recorded."))
        notices.append(
            _(
                "No tone, relaxation or Oxford grade recorded: the tone profile is unknown "
                "(an unexamined floor is not a normal floor)."
            )
        )
        return "unknown"
    missing = [code for code in ("tone", "relaxation", "oxford_grade") if exam.get(code) is None]
    if missing:
        notices.append(
            _("Not recorded at examination: %(missing)s. The tone profile uses what was recorded.")
            % {"missing": _labels(missing)}
        )

    overactive_signs = []
    if tone == "increased":
        overactive_signs.append(_("increased tone"))
    if relaxation in OVERACTIVE_RELAXATION:
        overactive_signs.append(_label(relaxation))
    weak = oxford is not None and oxford <= WEAK_OXFORD_GRADE
    weak_sign = _("Oxford grade %(grade)d (2 or less is weak)") % {"grade": oxford} if weak else ""

    # 1. Muscles held short have no range left to contract, so they test weak: relaxation
    #    first, strengthening later (clinical reference, sections 1 and 2).
    if overactive_signs and weak:
        reasons.append(
            _("Tense and weak: %(signs)s with %(weak)s.")
            % {"signs": ", ".join(overactive_signs), "weak": weak_sign}
        )
        return "tense_and_weak"
    # 2. Overactive: tone increased, or relaxation partial, absent or delayed.
    if overactive_signs:
        reasons.append(_("Overactive: %(signs)s.") % {"signs": ", ".join(overactive_signs)})
        return "overactive"
    # 3. Underactive: tone decreased, or Oxford grade 2 or less (relaxation is complete or
    #    not recorded here, since rule 2 did not match).
    underactive_signs = []
    if tone == "decreased":
        underactive_signs.append(_("decreased tone"))
    if weak:
        underactive_signs.append(weak_sign)
    if underactive_signs:
        if relaxation == "complete":
            reason = _("Underactive: %(signs)s; relaxes fully.")
        else:
            reason = _("Underactive: %(signs)s.")
        reasons.append(reason % {"signs": ", ".join(underactive_signs)})
        return "underactive"
    # 4. Uncoordinated: technique errors with neither over- nor underactivity.
    if coordination:
        reasons.append(_("Uncoordinated: %(findings)s.") % {"findings": _labels(coordination)})
        return "uncoordinated"
    # 5. Normal.
    recorded = []
    if tone is not None:
        recorded.append(_("tone %(tone)s") % {"tone": _label(tone)})
    if relaxation is not None:
        recorded.append(_("relaxation %(relaxation)s") % {"relaxation": _label(relaxation)})
    if oxford is not None:
        recorded.append(_("Oxford grade %(grade)d") % {"grade": oxford})
    reasons.append(_("Normal tone profile: %(findings)s.") % {"findings": ", ".join(recorded)})
    return "normal"


def _needs_exam_before_strengthening(
    tone_profile: str,
    pain: tuple[str, ...],
    symptoms: Mapping[str, Any],
    reasons: list[str],
    notices: list[str],
) -> bool:
    # Clinical reference, section 2 and section 3 rule 2: with no examination recorded,
    # pain findings and the other tight-floor signs (straining to defecate, voiding
    # difficulty, incomplete emptying, constant tension) are a reason not to start
    # strengthening in phase 1 until the therapist has examined; say so in reasons and
    # notices. Straining alone counts, with or without constipation.
    if tone_profile != "unknown":
        return False
    findings = [_label(code) for code in pain]
    if symptoms.get("straining_to_defecate") is True:
        if symptoms.get("constipation") is True:
            findings.append(_("constipation with straining"))
        else:
            findings.append(_("straining to defecate"))
    if symptoms.get("voiding_difficulty") is True:
        findings.append(_("voiding difficulty"))
    if symptoms.get("incomplete_emptying") is True:
        findings.append(_("incomplete emptying"))
    if not findings:
        return False
    message = _(
        "Pelvic floor not yet examined, and %(findings)s: "
        "no strengthening in phase 1 until examined."
    ) % {"findings": ", ".join(findings)}
    reasons.append(message)
    notices.append(message)
    return True


def _consent_notice(exam: Mapping[str, Any], notices: list[str]) -> None:
    # intake-v1: no internal examination is recorded without recorded consent.
    findings = [key for key in exam if key not in ("consent_recorded", "internal_exam")]
    if findings and exam.get("consent_recorded") is not True:
        notices.append(
            _(
                "Examination findings are recorded without recorded consent for internal "
                "examination: record the consent, or confirm the findings came from an "
                "external examination."
            )
        )


def _anatomy_notices(
    patient: Mapping[str, Any],
    history: Mapping[str, Any],
    hormonal: Mapping[str, Any],
    notices: list[str],
) -> None:
    # intake-v1: anatomy never blocks a finding (bodies, histories and genders vary);
    # unusual combinations are shown to the therapist to confirm. Anatomy "unspecified"
    # (neutral cues only) says nothing of the body, so no combination is unusual with it.
    anatomy = patient.get("anatomy")
    unusual: list[str] = []
    if anatomy == "vulva" and history.get("prostatectomy") is True:
        unusual.append(_("a prostatectomy"))
    if anatomy == "penis":
        status = hormonal.get("status")
        if status not in (None, "not_applicable"):
            unusual.append(_("hormonal status %(status)s") % {"status": _label(status)})
        if (history.get("vaginal_births") or 0) > 0 or history.get("instrumental_birth") is True:
            unusual.append(_("vaginal births"))
        if hormonal.get("vaginal_atrophy") is True or hormonal.get("vaginal_estrogen") is True:
            unusual.append(_("vaginal atrophy or vaginal estrogen"))
    for finding in unusual:
        notices.append(
            _("Recorded with anatomy %(anatomy)s: %(finding)s. Please confirm; nothing is blocked.")
            % {"anatomy": _label(anatomy or "not_recorded"), "finding": finding}
        )
    # Whatever the anatomy: a gap between two history fields, not an unusual body.
    if "prostatectomy_weeks_ago" in history and history.get("prostatectomy") is not True:
        notices.append(
            _(
                "Weeks since a prostatectomy are recorded without a prostatectomy. "
                "Please confirm; nothing is blocked."
            )
        )
