"""Medical and specialist referrals (section 4). A referral never replaces the safe first
steps (section 3 rule 4): the plan keeps them alongside."""

from __future__ import annotations

from careplans.rules.base import Draft, Hold, Rule
from careplans.rules.findings import Findings
from careplans.rules.phrases import (
    capitalised,
    findings_named,
    listed,
    num,
    sentences,
    triggers_named,
)
from careplans.rules.safety import hold_reason, strengthening_holds
from careplans.rules.strengthening import PROSTATECTOMY_REVIEW_WEEKS, PROSTATECTOMY_SOURCE
from clinic.i18n import gettext as _

VAGINAL_ESTROGEN = "medical_referral.vaginal_estrogen"
OAB_MEDICATION = "medical_referral.oab_medication"
GP_REVIEW = "medical_referral.gp_review"
SPECIALIST_ASSESSMENT = "specialist_referral.specialist_assessment"
REFRACTORY_OAB = "specialist_referral.refractory_oab"
SUI_PROCEDURES = "specialist_referral.sui_procedures"
OAB_MEDICATION_REVIEW_WEEKS = 4  # NICE NG123: review 4 weeks after starting
OAB_MEDICATION_AFTER_WEEKS = 6  # NICE NG123: after at least 6 weeks of bladder training
SUI_PROCEDURE_AFTER_MONTHS = 3  # NICE NG123: after at least 3 months of supervised PFMT
CANCER_FIELDS = ("hormone_sensitive_cancer", "aromatase_inhibitor")
SPECIALIST_HISTORY = ("neurological_condition", "continence_surgery", "pelvic_radiotherapy")
EMPTYING_SYMPTOMS = ("voiding_difficulty", "incomplete_emptying")
COMPLEX_BODY_FINDINGS = ("hypermobility", "scoliosis", "chronic_pain")


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
        % {"reasons": listed(_estrogen_reasons(f))}
    ]
    if f.get("hormonal", "vaginal_estrogen") is None:
        parts.append(_("Check whether vaginal estrogen is already used."))
    if any(f.yes("history", key) for key in CANCER_FIELDS):
        # NICE NG23: discuss with the oncology team for women with breast cancer.
        parts.append(
            _(
                "Hormone-sensitive cancer or an aromatase inhibitor: the cancer team decides "
                "on vaginal estrogen; non-hormonal vaginal moisturisers meanwhile."
            )
        )
        return Draft(
            _("Ask your cancer team about vaginal estrogen"),
            sentences(*parts),
            notes=({"code": "estrogen.cancer_team"},),
        )
    notes: tuple[dict[str, object], ...] = ()
    if any(f.get("history", key) is None for key in CANCER_FIELDS):
        parts.append(
            _(
                "Breast or womb cancer and aromatase inhibitors not asked: the patient is told "
                "to tell the doctor about any breast or womb cancer."
            )
        )
        notes = ({"code": "estrogen.ask_cancer_history"},)
    return Draft(
        _("Ask your GP (family doctor) about low-dose vaginal estrogen"),
        sentences(*parts),
        notes=notes,
    )


def _medication_check_applies(f: Findings) -> bool:
    return f.yes("history", "diuretics")


def _medication_check_make(f: Findings) -> Draft:
    rationale = _(
        "Takes diuretics: a GP review of their timing, so they worsen neither leaks nor nights."
    )
    return Draft(
        _("Ask your GP (family doctor) to review the timing of your water tablets"), rationale
    )


def _oab_medication_applies(f: Findings) -> bool:
    return f.urgency and not f.yes("history", "oab_medication_tried")


def _oab_medication_make(f: Findings) -> Draft:
    weeks = f.number("history", "bladder_training_weeks_tried")
    dosing = {"review_after_weeks": OAB_MEDICATION_REVIEW_WEEKS}
    if weeks is not None and weeks >= OAB_MEDICATION_AFTER_WEEKS:
        rationale = _(
            "Urgency persists after %(weeks)s weeks of bladder training: GP review of an "
            "antimuscarinic or beta-3 agonist, reviewed 4 weeks after starting."
        ) % {"weeks": num(weeks)}
        return Draft(_("Ask your GP (family doctor) about bladder medicine"), rationale, dosing)
    rationale = _(
        "Urgency: only if it still bothers after 6 weeks of bladder training. GP review of an "
        "antimuscarinic or beta-3 agonist, reviewed 4 weeks after starting."
    )
    hold = Hold(
        "hold.review_oab",
        _("At your review, if urgency persists after 6 weeks of bladder training"),
        safety=False,
    )
    return Draft(
        _("If urgency persists: ask your GP (family doctor) about bladder medicine"),
        rationale,
        dosing,
        holds=(hold,),
    )


def _gp_review_applies(f: Findings) -> bool:
    return f.yes("history", "diabetes") and (
        f.urgency_symptom or f.frequency or f.nocturia or f.diary_polyuria
    )


def _gp_review_make(f: Findings) -> Draft:
    found = []
    if f.urgency_symptom:
        found.append(_("urgency"))
    if f.frequency:
        found.append(_("frequency"))
    if f.nocturia:
        found.append(_("nocturia"))
    if f.diary_polyuria:
        found.append(_("polyuria on the diary"))
    rationale = _(
        "Diabetes with %(found)s: blood sugar control can drive urine output and urgency; "
        "ask the GP to check it."
    ) % {"found": listed(found)}
    return Draft(_("Ask your GP (family doctor) to check your blood sugar"), rationale)


# Specialist referral.


def _manual_therapy_applies(f: Findings) -> bool:
    return f.classification.overactive and f.yes("exam", "tenderness")


def _manual_therapy_make(f: Findings) -> Draft:
    rationale = _(
        "Overactive floor with tender points on examination: manual therapy or relaxation "
        "biofeedback in clinic; no strengthening while it is tender."
    )
    return Draft(_("Hands-on release and relaxation biofeedback in clinic"), rationale)


def _specialist_reasons(f: Findings) -> list[str]:
    reasons = [key for key in EMPTYING_SYMPTOMS if f.yes("symptoms", key)]
    if f.urinary_symptoms:
        reasons += [key for key in SPECIALIST_HISTORY if f.yes("history", key)]
    return reasons


def _specialist_assessment_applies(f: Findings) -> bool:
    return bool(_specialist_reasons(f))


def _specialist_assessment_make(f: Findings) -> Draft:
    reasons = _specialist_reasons(f)
    parts = [_("%(found)s.") % {"found": capitalised(findings_named(reasons))}]
    if any(key in EMPTYING_SYMPTOMS for key in reasons):
        parts.append(_("A post-void residual is needed."))
    if any(key in SPECIALIST_HISTORY for key in reasons):
        parts.append(_("With urinary symptoms: urology or urogynaecology assessment."))
    else:
        parts.append(_("Urology or urogynaecology assessment."))
    return Draft(_("See a specialist to check how your bladder works"), sentences(*parts))


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
        % {"triggers": triggers_named(f.triggers), "months": num(_pfmt_months(f))}
    ]
    squeeze_holds = strengthening_holds(f)
    if squeeze_holds:
        # The referral is due now (section 4); the therapist also learns why the earlier
        # training may not have suited this floor.
        parts.append(
            _("The earlier training may not have suited this floor (%(why)s).")
            % {"why": hold_reason(squeeze_holds)}
        )
    return Draft(
        _("Talk to a specialist about other treatments for stress leaks"),
        sentences(*parts),
    )


def _refractory_oab_applies(f: Findings) -> bool:
    return f.urgency and f.yes("history", "oab_medication_tried")


def _refractory_oab_make(f: Findings) -> Draft:
    rationale = _(
        "Urgency persists after bladder training and an OAB medicine: botulinum toxin A, "
        "percutaneous tibial or sacral nerve stimulation (urology or urogynaecology); bladder "
        "training continues alongside."
    )
    return Draft(_("See a specialist about other treatments for urgency"), rationale)


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
    ) % {"weeks": num(f.number("history", "prostatectomy_weeks_ago") or 0)}
    return Draft(_("Talk to a urologist about surgery for leaks"), rationale)


def _prolapse_applies(f: Findings) -> bool:
    return f.yes("symptoms", "prolapse_bulge")


def _prolapse_make(f: Findings) -> Draft:
    rationale = _(
        "Feels or sees a bulge: urogynaecology assessment; pelvic floor training for at least "
        "16 weeks for a mild prolapse."
    )
    return Draft(_("See a specialist about the bulge"), rationale)


def _complex_bodies_applies(f: Findings) -> bool:
    return any(f.yes("history", key) for key in COMPLEX_BODY_FINDINGS)


def _complex_bodies_make(f: Findings) -> Draft:
    found = findings_named([key for key in COMPLEX_BODY_FINDINGS if f.yes("history", key)])
    rationale = _("%(findings)s: a whole-body plan for hips, spine and posture.") % {
        "findings": capitalised(found)
    }
    return Draft(_("A whole-body plan: hips, spine and posture"), rationale)


RULES: tuple[Rule, ...] = (
    Rule(
        VAGINAL_ESTROGEN,
        "medical_referral",
        "NICE NG123; NICE NG23 (discuss with the oncology team for women with breast cancer)",
        _vaginal_estrogen_applies,
        _vaginal_estrogen_make,
        when=(
            "Section 4: postmenopausal, vaginal atrophy, urgency or recurrent UTI, not using it."
        ),
    ),
    Rule(
        "medical_referral.medication_check",
        "medical_referral",
        "Seed article",
        _medication_check_applies,
        _medication_check_make,
        when="Section 4: diuretics or other drugs that worsen leaks.",
    ),
    Rule(
        OAB_MEDICATION,
        "medical_referral",
        "NICE NG123; AUA/SUFU OAB guideline 2024",
        _oab_medication_applies,
        _oab_medication_make,
        dosing=f"Review {OAB_MEDICATION_REVIEW_WEEKS} weeks after starting.",
        when=(
            "Section 4: urgency persisting after at least 6 weeks of bladder training; "
            "not when a medicine was already tried (refractory OAB instead)."
        ),
    ),
    Rule(
        GP_REVIEW,
        "medical_referral",
        "NICE NG123 (assess for causes); standard practice",
        _gp_review_applies,
        _gp_review_make,
        when="Section 4: diabetes with urgency, frequency, nocturia or diary polyuria.",
    ),
    Rule(
        "specialist_referral.manual_therapy",
        "specialist_referral",
        "AUA IC/BPS guideline",
        _manual_therapy_applies,
        _manual_therapy_make,
        when=("Section 4: overactive with tenderness -- in clinic, never the reason on a letter."),
    ),
    Rule(
        SPECIALIST_ASSESSMENT,
        "specialist_referral",
        "NICE NG123 (refer: suspected neurological disease, voiding difficulty, previous "
        "continence surgery, previous pelvic radiation therapy)",
        _specialist_assessment_applies,
        _specialist_assessment_make,
        when=(
            "Section 4: voiding difficulty or incomplete emptying, or urinary symptoms "
            "with a neurological condition, previous continence surgery or pelvic "
            "radiotherapy."
        ),
    ),
    Rule(
        SUI_PROCEDURES,
        "specialist_referral",
        "NICE NG123",
        _sui_procedures_applies,
        _sui_procedures_make,
        when="Section 4: stress leaks after at least 3 months of supervised PFMT.",
    ),
    Rule(
        REFRACTORY_OAB,
        "specialist_referral",
        "NICE NG123; AUA/SUFU OAB guideline 2024",
        _refractory_oab_applies,
        _refractory_oab_make,
        when="Section 4: urgency persisting after OAB medication.",
    ),
    Rule(
        "specialist_referral.post_prostatectomy",
        "specialist_referral",
        PROSTATECTOMY_SOURCE,
        _post_prostatectomy_applies,
        _post_prostatectomy_make,
        when="Section 4: leaks not improving 6 months after prostatectomy.",
    ),
    Rule(
        "specialist_referral.prolapse",
        "specialist_referral",
        "NICE NG123 / NG210",
        _prolapse_applies,
        _prolapse_make,
        when="Section 4: a bulge at or below the introitus.",
    ),
    Rule(
        "specialist_referral.complex_bodies",
        "specialist_referral",
        "Seed article",
        _complex_bodies_applies,
        _complex_bodies_make,
        when="Section 4: hypermobility, scoliosis, chronic pain.",
    ),
)
