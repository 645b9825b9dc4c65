"""A patient's assessment, scores, diary and plan as a FHIR R4 ``Bundle`` (type
``collection``). Pure Python, no Django: the export service gathers the facts, this module
says where each one goes, and ``validate_bundle`` checks the result with fhir.resources (its
R4B models, the R4-compatible ones) before anything leaves the clinic.

What goes where is the profile table in the README. In short:

- ``Patient``: the record number under a clinic-scoped system, name and birth date: no more
  than a referral letter carries;
- ``CarePlan``: one ``activity`` per plan item, its FloorPlan code and title, the findings
  that chose it (``reasonCode`` the rationale, ``reasonReference`` the Observations), the
  dose in words (``description``) and as numbers (an extension), ``scheduled`` for phase 1
  and ``not-started`` with its hold reason (``statusReason``) for phase 2;
- ``Questionnaire`` (PFDI-20, PFIQ-7, 3IQ: freely usable wordings) and a
  ``QuestionnaireResponse`` per one answered; every score an ``Observation``; ICIQ-UI SF and
  OAB-V8 as score Observations only (their licences: no wording);
- the bladder diary: one ``Observation`` per event, voids LOINC 9187-6, drinks LOINC 8999-5,
  leaks SNOMED CT 162172004 with LOINC 28232-7, volumes in UCUM ``mL``; its metrics as
  Observations under a FloorPlan code system (no standard codes exist for them);
- red flags: a ``ServiceRequest`` at the plan's tier (``stat`` / ``urgent`` / ``routine``);
- the signed patient PDF: a ``DocumentReference`` (base64, its SHA-1 in ``attachment.hash``
  as FHIR asks, our SHA-256 as an identifier).

No LOINC code is confirmed for PFDI-20, PFIQ-7, ICIQ-UI SF, OAB-V8 or 3IQ: their scores use
the FloorPlan code system, never an invented LOINC code. Ids are name-based UUIDs, so the
same record exports the same ids every time.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from assessments import questionnaires as q
from assessments.diary import DiaryEvent
from assessments.findings import SECTIONS, finding_state
from assessments.red_flags import flag_tiers, suspected_cauda_equina
from careplans.rules.phrases import finding_name, red_flag_name
from clinic.i18n import gettext as _

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

# The diary's standard codes (what My Flow Check's FHIR export uses too).
URINE_OUTPUT = {"system": LOINC, "code": "9187-6", "display": "Urine output"}
FLUID_INTAKE = {"system": LOINC, "code": "8999-5", "display": "Fluid intake oral Estimated"}
LEAK_SNOMED = {"system": SNOMED, "code": "162172004", "display": "Urinary incontinence"}
LEAK_LOINC = {"system": LOINC, "code": "28232-7", "display": "Total urinary incontinence"}

# Red-flag tier -> ServiceRequest.priority (clinical reference, section 3 rule 1).
PRIORITY_OF_TIER = {"emergency": "stat", "urgent": "urgent", "soon": "routine"}
QUESTIONNAIRES_WITH_WORDING = ("pfdi20", "pfiq7", "iqq3")

# Units of the diary metrics (diary-v1 Output), as UCUM (unit shown, code).
_METRIC_UNITS: dict[str, tuple[str, str]] = {
    "daytime_frequency": ("/d", "/d"),
    "nocturia": ("/night", "/{night}"),
    "voided_volume_24h_ml": ("mL", "mL"),
    "nocturnal_urine_volume_ml": ("mL", "mL"),
    "npi": ("ratio", "1"),
    "max_voided_volume_ml": ("mL", "mL"),
    "mean_voided_volume_ml": ("mL", "mL"),
    "incontinence_episodes_per_day": ("/d", "/d"),
    "urgency_episodes_per_day": ("/d", "/d"),
    "fluid_intake_ml_per_day": ("mL/d", "mL/d"),
}
_FINDING_UNITS: dict[str, tuple[str, str]] = {
    "fluid_intake_ml": ("mL/d", "mL/d"),
    "bmi": ("kg/m2", "kg/m2"),
    "endurance_s": ("s", "s"),
    "weeks_postpartum": ("wk", "wk"),
    "prostatectomy_weeks_ago": ("wk", "wk"),
    "alcohol_units_per_week": ("/wk", "/wk"),
}

# Which findings chose an item (its reasonReference), besides the assessment's conclusions
# (incontinence type, tone profile), which every item rests on. Only findings recorded as
# present are referenced. Category first, then the item's own code.
_CATEGORY_FINDINGS: dict[str, tuple[str, ...]] = {
    "strengthening": (
        "exam.oxford_grade",
        "exam.endurance_s",
        "exam.repetitions",
        "exam.fast_contractions",
        "symptoms.stress_leak_triggers",
        "history.pfmt_months_tried",
    ),
    "coordination": (
        "exam.accessory_muscles",
        "exam.breath_holding",
        "exam.bearing_down",
        "exam.oxford_grade",
        "exam.knack",
        "symptoms.stress_leak_triggers",
    ),
    "bladder_training": (
        "symptoms.urgency",
        "symptoms.urge_leaks",
        "symptoms.day_voids",
        "symptoms.night_voids",
        "diary.daytime_frequency",
        "diary.urgency_episodes_per_day",
        "diary.nocturia",
    ),
    "relaxation": (
        "exam.tone",
        "exam.relaxation",
        "exam.tenderness",
        "symptoms.pelvic_pain",
        "symptoms.painful_penetration",
        "symptoms.painful_orgasm",
        "symptoms.constant_tension",
    ),
}
_ITEM_FINDINGS: dict[str, tuple[str, ...]] = {
    "relaxation.down_training": (
        "symptoms.constipation",
        "symptoms.straining_to_defecate",
        "symptoms.voiding_difficulty",
        "symptoms.incomplete_emptying",
    ),
    "strengthening.pfmt": ("history.prostatectomy", "history.prostatectomy_weeks_ago"),
    "education.prostatectomy_recovery": (
        "history.prostatectomy",
        "history.prostatectomy_weeks_ago",
    ),
    "specialist_referral.post_prostatectomy": (
        "history.prostatectomy",
        "history.prostatectomy_weeks_ago",
        "symptoms.stress_leak_triggers",
    ),
    "specialist_referral.prolapse": ("symptoms.prolapse_bulge",),
    "specialist_referral.manual_therapy": ("exam.tone", "exam.tenderness"),
    "specialist_referral.complex_bodies": (
        "history.hypermobility",
        "history.scoliosis",
        "history.chronic_pain",
    ),
    "relaxation.stress_care": ("history.high_stress", "history.poor_sleep"),
    "medical_referral.medication_check": ("history.diuretics",),
    "coordination.biofeedback": ("exam.bearing_down", "exam.oxford_grade"),
    "lifestyle.caffeine": ("lifestyle.caffeine_drinks_per_day", "symptoms.urgency"),
    "lifestyle.fluids": (
        "lifestyle.fluid_intake_ml",
        "diary.fluid_intake_ml_per_day",
        "diary.voided_volume_24h_ml",
        "diary.polyuria_24h",
        "diary.nocturnal_polyuria",
    ),
    "lifestyle.weight": ("lifestyle.bmi",),
    "lifestyle.smoking_cough": ("lifestyle.smoker", "lifestyle.chronic_cough"),
    "lifestyle.bowel": ("symptoms.constipation", "symptoms.straining_to_defecate"),
    "lifestyle.alcohol": ("lifestyle.alcohol_units_per_week",),
    "lifestyle.voiding_habits": (
        "symptoms.voiding_difficulty",
        "symptoms.incomplete_emptying",
        "symptoms.constant_tension",
        "symptoms.urgency",
        "symptoms.day_voids",
    ),
    "medical_referral.vaginal_estrogen": (
        "hormonal.status",
        "hormonal.vaginal_atrophy",
        "symptoms.urgency",
        "red_flags.recurrent_uti",
    ),
    "medical_referral.gp_review": (
        "history.diabetes",
        "symptoms.urgency",
        "symptoms.night_voids",
        "diary.polyuria_24h",
    ),
    "medical_referral.oab_medication": (
        "symptoms.urgency",
        "history.bladder_training_weeks_tried",
    ),
    "specialist_referral.sui_procedures": (
        "symptoms.stress_leak_triggers",
        "history.pfmt_months_tried",
    ),
    "specialist_referral.refractory_oab": (
        "symptoms.urgency",
        "history.bladder_training_weeks_tried",
        "history.oab_medication_tried",
    ),
    "specialist_referral.specialist_assessment": (
        "symptoms.voiding_difficulty",
        "symptoms.incomplete_emptying",
        "history.neurological_condition",
        "history.continence_surgery",
        "history.pelvic_radiotherapy",
    ),
    "education.sexual_health": ("symptoms.painful_penetration", "symptoms.painful_orgasm"),
    "education.return_to_impact": ("hormonal.status", "hormonal.weeks_postpartum"),
}


# A held item (phase 2) also rests on what holds it (clinical reference, section 3 rule 2):
# pain findings, tight-floor signs, a contraction not yet a lift.
_HOLD_FINDINGS: tuple[str, ...] = (
    "exam.tone",
    "exam.relaxation",
    "exam.tenderness",
    "exam.bearing_down",
    "exam.oxford_grade",
    "symptoms.pelvic_pain",
    "symptoms.painful_penetration",
    "symptoms.painful_orgasm",
    "symptoms.constant_tension",
    "symptoms.constipation",
    "symptoms.straining_to_defecate",
    "symptoms.voiding_difficulty",
    "symptoms.incomplete_emptying",
)
# The diary-v1 metrics need 3 complete days (NICE; clinical reference, section 9).
COMPLETE_DAYS_NEEDED = 3


class BundleInvalid(ValueError):
    """The bundle does not validate as FHIR R4: a fault here, never sent out."""


@dataclass(frozen=True)
class PatientFacts:
    pk: int
    clinic_id: int
    clinic_name: str
    record_number: str
    family_name: str
    given_name: str
    birth_date: date


@dataclass(frozen=True)
class ItemFacts:
    code: str
    category: str
    phase: int
    title: str
    rationale: str
    dosing: Mapping[str, int | float]
    dose_words: str  # the dose for a clinician, in the export's language
    source: str
    hold_reason: str


@dataclass(frozen=True)
class PlanFacts:
    pk: int
    version: int
    signed: bool
    created_at: datetime
    signed_at: datetime | None
    author_name: str
    items: Sequence[ItemFacts]  # as they stand: removed items are not in the plan
    red_flags: Sequence[str]
    referral_urgency: str | None
    language: str
    pdf: bytes | None = None  # the signed patient plan, as stored
    pdf_sha256: str = ""
    superseded_by_version: int | None = None  # a later signed version replaced this one


@dataclass(frozen=True)
class AssessmentFacts:
    pk: int
    assessed_on: date
    intake: Mapping[str, Any]  # intake-v1, without its diary
    classification: Mapping[str, Any]  # careplan-v1 ``classification``
    events: Sequence[DiaryEvent] = ()
    metrics: Mapping[str, object] | None = None  # diary-v1 Output


@dataclass(frozen=True)
class ExportFacts:
    base: str  # FloorPlan's canonical URL, e.g. "https://floorplan.example/fhir"
    time_zone: (
        str  # the server's TIME_ZONE, the clinics' local time: diary times are its wall clock
    )
    exported_at: datetime
    patient: PatientFacts
    assessment: AssessmentFacts | None = None
    plan: PlanFacts | None = None


def code_system(base: str, name: str) -> str:
    return f"{base}/CodeSystem/{name}"


def questionnaire_url(base: str, name: str) -> str:
    return f"{base}/Questionnaire/{name}"


def extension_url(base: str, name: str) -> str:
    return f"{base}/StructureDefinition/{name}"


def record_number_system(base: str, clinic_id: int) -> str:
    """The clinic's own record numbers: unique within one clinic only."""
    return f"{base}/clinic/{clinic_id}/record-number"


def ml(value: int | float) -> dict[str, Any]:
    """A volume as FHIR asks for UCUM: value, unit, system and code."""
    return {"value": value, "unit": "mL", "system": UCUM, "code": "mL"}


def _quantity(value: int | float, unit: tuple[str, str] | None) -> dict[str, Any]:
    if unit is None:
        return {"value": value}
    return {"value": value, "unit": unit[0], "system": UCUM, "code": unit[1]}


def _wall_clock(moment: datetime, zone: ZoneInfo) -> str:
    """A diary time (naive, the clinic's wall clock) with the offset FHIR requires; the
    wall clock is kept as written, so a reader gets the same time back."""
    return moment.replace(tzinfo=zone).isoformat(timespec="seconds")


def _emergency_wait() -> str:
    return _("The exercises wait until a doctor has seen the patient.")


@dataclass
class _Builder:
    facts: ExportFacts
    entries: list[dict[str, Any]] = field(default_factory=list)
    finding_refs: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def emergency(self) -> bool:
        return self.facts.plan is not None and self.facts.plan.referral_urgency == "emergency"

    @property
    def age(self) -> int | None:
        person = self.facts.assessment.intake.get("patient") if self.facts.assessment else None
        age = person.get("age") if isinstance(person, Mapping) else None
        return age if isinstance(age, int) else None

    # --- ids and references -------------------------------------------------------------

    def uuid(self, kind: str, key: object = "") -> str:
        p = self.facts.patient
        name = f"{self.facts.base}/clinic/{p.clinic_id}/patient/{p.pk}/{kind}/{key}"
        return str(uuid.uuid5(uuid.NAMESPACE_URL, name))

    def add(self, resource: dict[str, Any], kind: str, key: object = "") -> dict[str, str]:
        ident = self.uuid(kind, key)
        # FHIR JSON has no empty lists and no nulls: an element with nothing is left out.
        kept = {name: value for name, value in resource.items() if value not in (None, [])}
        self.entries.append({"fullUrl": f"urn:uuid:{ident}", "resource": {**kept, "id": ident}})
        return {"reference": f"urn:uuid:{ident}"}

    def code(self, system: str, code: str, display: str = "") -> dict[str, Any]:
        coding = {"system": code_system(self.facts.base, system), "code": code}
        if display:
            coding["display"] = display
        return {"coding": [coding], "text": display or code}

    # --- the resources ------------------------------------------------------------------

    def patient(self) -> dict[str, str]:
        p = self.facts.patient
        return self.add(
            {
                "resourceType": "Patient",
                "identifier": [
                    {
                        "use": "usual",
                        "type": {
                            "coding": [
                                {
                                    "system": IDENTIFIER_TYPE,
                                    "code": "MR",
                                    "display": "Medical record number",
                                }
                            ]
                        },
                        "system": record_number_system(self.facts.base, p.clinic_id),
                        "value": p.record_number,
                        "assigner": {"display": p.clinic_name},
                    }
                ],
                "name": [{"family": p.family_name, "given": [p.given_name]}],
                "birthDate": p.birth_date.isoformat(),
            },
            "Patient",
        )

    def observation(
        self,
        subject: dict[str, str],
        kind: str,
        key: object,
        code: dict[str, Any],
        *,
        category: str,
        effective: str,
        **values: Any,
    ) -> dict[str, str]:
        resource: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category}]}],
            "code": code,
            "subject": subject,
            "effectiveDateTime": effective,
        }
        resource.update({name: value for name, value in values.items() if value is not None})
        return self.add(resource, kind, key)

    def findings(self, subject: dict[str, str], assessment: AssessmentFacts) -> None:
        """Every finding recorded (not the process fields), as the assessment holds it.
        Those recorded as present are what an item's reasonReference may point to."""
        when = assessment.assessed_on.isoformat()
        for section, keys in SECTIONS.items():
            content = assessment.intake.get(section)
            if not isinstance(content, Mapping):
                continue
            for key in keys:
                value = content.get(key)
                state = finding_state(key, value)
                if value is None or state == "process":
                    continue
                path = f"{section}.{key}"
                values: dict[str, Any] = {}
                if isinstance(value, bool):
                    values["valueBoolean"] = value
                elif isinstance(value, int):
                    unit = _FINDING_UNITS.get(key)
                    if unit:
                        values["valueQuantity"] = _quantity(value, unit)
                    else:
                        values["valueInteger"] = value
                elif isinstance(value, float):
                    values["valueQuantity"] = _quantity(value, _FINDING_UNITS.get(key))
                elif isinstance(value, list):
                    values["valueString"] = ", ".join(str(v) for v in value) or "-"
                else:
                    values["valueCodeableConcept"] = self.code("finding-value", str(value))
                ref = self.observation(
                    subject,
                    "finding",
                    path,
                    self.code("finding", path, finding_name(key)),
                    category="exam" if section == "exam" else "survey",
                    effective=when,
                    **values,
                )
                if state == "positive":
                    self.finding_refs[path] = ref

    def conclusions(self, subject: dict[str, str], assessment: AssessmentFacts) -> None:
        """The assessment's conclusions, which every plan item rests on."""
        c = assessment.classification
        notes = [{"text": reason} for reason in c.get("reasons") or ()] or None
        when = assessment.assessed_on.isoformat()
        for name in ("incontinence_type", "predominant", "tone_profile"):
            value = c.get(name)
            if not value:
                continue
            self.finding_refs[f"conclusion.{name}"] = self.observation(
                subject,
                "conclusion",
                name,
                self.code("conclusion", name),
                category="exam",
                effective=when,
                valueCodeableConcept=self.code(name.replace("_", "-"), str(value)),
                note=notes,
            )

    def red_flags(self, subject: dict[str, str], flags: Sequence[str], when: str) -> None:
        for flag in flags:
            self.finding_refs[f"red_flags.{flag}"] = self.observation(
                subject,
                "red-flag",
                flag,
                self.code("red-flag", flag, red_flag_name(flag)),
                category="exam",
                effective=when,
                valueBoolean=True,
            )

    def diary(self, subject: dict[str, str], assessment: AssessmentFacts) -> None:
        zone = ZoneInfo(self.facts.time_zone)
        for n, event in enumerate(assessment.events, start=1):
            values: dict[str, Any] = {}
            if event.event == "void":
                code = {"coding": [URINE_OUTPUT], "text": _("Void")}
            elif event.event == "drink":
                code = {"coding": [FLUID_INTAKE], "text": _("Drink")}
            elif event.event == "leak":
                code = {"coding": [LEAK_SNOMED, LEAK_LOINC], "text": _("Leak")}
            else:  # rise, bed: no standard code; they mark the day for the metrics
                code = self.code("diary-event", event.event)
            if event.event in ("void", "drink", "leak"):
                if event.volume_ml is not None:
                    values["valueQuantity"] = ml(event.volume_ml)
                else:
                    values["dataAbsentReason"] = {
                        "coding": [{"system": DATA_ABSENT, "code": "not-performed"}],
                        "text": _("not measured"),
                    }
            if event.urgency is not None:
                values["component"] = [
                    {
                        "code": self.code("diary-event", "urgency"),
                        "valueInteger": event.urgency,
                    }
                ]
            # The patient's own notes stay in the clinic (a letter carries none either).
            self.observation(
                subject,
                "diary-event",
                n,
                code,
                category="survey",
                effective=_wall_clock(event.time, zone),
                **values,
            )
        if assessment.metrics is None:
            return
        when = assessment.assessed_on.isoformat()
        complete = assessment.metrics.get("complete_days")
        provisional = not isinstance(complete, int) or complete < COMPLETE_DAYS_NEEDED
        metric_note = (
            [
                {
                    "text": _(
                        "Provisional: from %(days)s complete days; at least %(needed)s are "
                        "needed (NICE)."
                    )
                    % {"days": complete or 0, "needed": COMPLETE_DAYS_NEEDED}
                }
            ]
            if provisional
            else None
        )
        for key, value in assessment.metrics.items():
            if value is None:
                continue  # not computable from this diary: nothing to say
            path = f"diary.{key}"
            if isinstance(value, bool):
                values = {"valueBoolean": value}
            elif key in ("days_recorded", "complete_days"):
                values = {"valueInteger": value}
            else:
                assert isinstance(value, int | float)
                values = {"valueQuantity": _quantity(value, _METRIC_UNITS.get(key))}
            ref = self.observation(
                subject,
                "diary-metric",
                key,
                self.code("diary-metric", key),
                category="survey",
                effective=when,
                note=metric_note,
                **values,
            )
            if provisional:
                self.entries[-1]["resource"]["status"] = "preliminary"
            if value is not False:
                self.finding_refs[path] = ref

    def questionnaires(self, subject: dict[str, str], assessment: AssessmentFacts) -> None:
        answers = assessment.intake.get("questionnaires") or {}
        if not isinstance(answers, Mapping) or not answers:
            return
        scores = q.score_all(dict(answers))
        when = assessment.assessed_on.isoformat()
        for name in ("pfdi20", "pfiq7", "iciq_ui_sf", "oab_v8", "iqq3"):
            if name not in answers:
                continue
            derived = None
            if name in QUESTIONNAIRES_WITH_WORDING:
                self.add(questionnaire_definition(self.facts.base, name), "Questionnaire", name)
                response = self.add(
                    {
                        "resourceType": "QuestionnaireResponse",
                        "questionnaire": questionnaire_url(self.facts.base, name),
                        "status": "completed",
                        "subject": subject,
                        "authored": when,
                        "item": response_items(self.facts.base, name, answers[name]),
                    },
                    "QuestionnaireResponse",
                    name,
                )
                derived = [response]
            for part, value in score_parts(name, scores[name]):
                if value is None:
                    continue
                if isinstance(value, bool):
                    values: dict[str, Any] = {"valueBoolean": value}
                elif isinstance(value, str):
                    values = {"valueCodeableConcept": self.code("incontinence-type", value)}
                elif isinstance(value, int):
                    values = {"valueInteger": value}
                else:
                    values = {"valueQuantity": {"value": value}}
                self.observation(
                    subject,
                    "score",
                    f"{name}.{part}",
                    self.code("score", f"{name}.{part}"),
                    category="survey",
                    effective=when,
                    derivedFrom=derived,
                    **values,
                )

    def reasons_for(self, item: ItemFacts) -> list[dict[str, str]]:
        if item.category == "urgent_referral":
            paths = [p for p in self.finding_refs if p.startswith("red_flags.")]
        else:
            paths = [
                *_CATEGORY_FINDINGS.get(item.category, ()),
                *_ITEM_FINDINGS.get(item.code, ()),
                *(_HOLD_FINDINGS if item.phase != 1 else ()),
            ]
        paths += ["conclusion.incontinence_type", "conclusion.tone_profile"]
        chosen = dict.fromkeys(p for p in paths if p in self.finding_refs)
        return [self.finding_refs[p] for p in chosen]

    def activity(self, item: ItemFacts) -> dict[str, Any]:
        base = self.facts.base
        detail: dict[str, Any] = {
            "extension": [
                {"url": extension_url(base, "plan-item-category"), "valueCode": item.category},
                {"url": extension_url(base, "plan-item-source"), "valueString": item.source},
            ],
            "code": self.code("plan-item", item.code, item.title),
            "reasonCode": [{"text": item.rationale}],
            "status": "scheduled" if item.phase == 1 else "not-started",
        }
        if item.category == "urgent_referral":
            detail["reasonCode"] += [
                self.code("red-flag", flag, red_flag_name(flag))
                for flag in (self.facts.plan.red_flags if self.facts.plan else ())
            ]
        reasons = self.reasons_for(item)
        if reasons:
            detail["reasonReference"] = reasons
        if item.phase != 1:
            detail["statusReason"] = {"text": item.hold_reason or _("at review")}
        elif self.emergency and item.category != "urgent_referral":
            # Safety rule 4: at the emergency tier everything else waits for a doctor; the
            # phases are kept (as in careplan-v1), the wait is said on each activity.
            detail["statusReason"] = {"text": _emergency_wait()}
        if item.dosing:
            detail["extension"].append(
                {
                    "url": extension_url(base, "dosing"),
                    "extension": [
                        {
                            "url": key,
                            **(
                                {"valueInteger": value}
                                if isinstance(value, int)
                                else {"valueDecimal": value}
                            ),
                        }
                        for key, value in item.dosing.items()
                    ],
                }
            )
            per_day = item.dosing.get("sets_per_day") or item.dosing.get("times_per_day")
            if per_day:
                detail["scheduledTiming"] = {
                    "repeat": {"frequency": per_day, "period": 1, "periodUnit": "d"}
                }
        if item.dose_words:
            detail["description"] = item.dose_words
        return {"detail": detail}

    def care_plan(
        self, subject: dict[str, str], plan: PlanFacts
    ) -> tuple[dict[str, str], dict[str, str]]:
        author = self.add(
            {"resourceType": "Practitioner", "name": [{"text": plan.author_name}]},
            "Practitioner",
            plan.author_name,
        )
        moment = plan.signed_at if plan.signed and plan.signed_at else plan.created_at
        resource: dict[str, Any] = {
            "resourceType": "CarePlan",
            "identifier": [
                {
                    "system": f"{self.facts.base}/clinic/{self.facts.patient.clinic_id}/care-plan",
                    "value": f"{plan.pk}",
                }
            ],
            "status": _care_plan_status(plan),
            "intent": "plan",
            "title": _("Pelvic floor care plan, version %(version)s") % {"version": plan.version},
            "subject": subject,
            "created": moment.isoformat(timespec="seconds"),
            "author": {**author, "display": plan.author_name},
            "activity": [self.activity(item) for item in plan.items],
        }
        notes = []
        if plan.superseded_by_version is not None:
            notes.append(
                _("Replaced by version %(version)s of this plan.")
                % {"version": plan.superseded_by_version}
            )
        supporting = list(dict.fromkeys(r["reference"] for r in self.finding_refs.values()))
        if supporting:
            resource["supportingInfo"] = [{"reference": r} for r in supporting]
        if plan.referral_urgency == "emergency":
            # Safety rule 4: at the emergency tier the exercises wait for a doctor.
            notes.append(
                _("Emergency: the patient was told to go to an emergency department now.")
                + " "
                + _emergency_wait()
            )
        if notes:
            resource["note"] = [{"text": note} for note in notes]
        return self.add(resource, "CarePlan", plan.pk), author

    def service_request(
        self,
        subject: dict[str, str],
        plan: PlanFacts,
        care_plan: dict[str, str],
        author: dict[str, str],
    ) -> None:
        tier = plan.referral_urgency
        if not plan.red_flags or tier is None:
            return
        destination = {
            "emergency": _("Emergency department, now"),
            "urgent": _("GP (family doctor) within days"),
            "soon": _("GP (family doctor) within two weeks"),
        }[tier]
        moment = plan.signed_at if plan.signed and plan.signed_at else plan.created_at
        self.add(
            {
                "resourceType": "ServiceRequest",
                "status": _care_plan_status(plan),  # the same three values here
                "intent": "order",
                "priority": PRIORITY_OF_TIER[tier],
                "code": self.code("referral-tier", tier, destination),
                "subject": subject,
                "basedOn": [care_plan],
                "authoredOn": moment.isoformat(timespec="seconds"),
                "requester": author,
                "reasonCode": [
                    {
                        **self.code("red-flag", t.flag, red_flag_name(t.flag)),
                        "text": _flag_words(t.flag, t.tier, t.cancer_pathway),
                    }
                    for t in flag_tiers(plan.red_flags, self.age)
                ],
                "note": [{"text": line} for line in _referral_asks(plan.red_flags, self.age)],
                "reasonReference": [
                    self.finding_refs[f"red_flags.{flag}"]
                    for flag in plan.red_flags
                    if f"red_flags.{flag}" in self.finding_refs
                ],
            },
            "ServiceRequest",
            plan.pk,
        )

    def document(
        self,
        subject: dict[str, str],
        plan: PlanFacts,
        care_plan: dict[str, str],
        author: dict[str, str],
    ) -> None:
        if not plan.signed or plan.pdf is None or plan.signed_at is None:
            return
        self.add(
            {
                "resourceType": "DocumentReference",
                "identifier": [
                    {"system": f"{self.facts.base}/sid/sha256", "value": plan.pdf_sha256}
                ],
                "status": "superseded" if plan.superseded_by_version else "current",
                "docStatus": "final",
                "type": {"text": _("Care plan for the patient (signed)")},
                "subject": subject,
                "date": plan.signed_at.isoformat(timespec="seconds"),
                "author": [author],
                "content": [
                    {
                        "attachment": {
                            "contentType": "application/pdf",
                            "language": plan.language,
                            "data": base64.b64encode(plan.pdf).decode("ascii"),
                            "size": len(plan.pdf),
                            # FHIR: the SHA-1 of the data, base64-encoded.
                            "hash": base64.b64encode(hashlib.sha1(plan.pdf).digest()).decode(),
                            "title": _("Care plan, version %(version)s")
                            % {"version": plan.version},
                            "creation": plan.signed_at.isoformat(timespec="seconds"),
                        }
                    }
                ],
                "context": {"related": [care_plan]},
            },
            "DocumentReference",
            plan.pk,
        )


def _flag_words(flag: str, tier: str, cancer_pathway: bool) -> str:
    words = {
        "emergency": _("emergency"),
        "urgent": _("urgent"),
        "soon": _("within two weeks"),
    }[tier]
    text = f"{red_flag_name(flag)} ({words})"
    if cancer_pathway:
        text += " - " + _("suspected-cancer criterion (NICE NG12)")
    return text


def _referral_asks(flags: Sequence[str], age: int | None) -> list[str]:
    """What the referral asks for, as the letter says it (clinical reference, section 9)."""
    tiers = flag_tiers(flags, age)
    asks = []
    if suspected_cauda_equina(flags):
        asks.append(_("Suspected cauda equina syndrome: immediate emergency assessment."))
    if any(t.cancer_pathway for t in tiers):
        asks.append(_("Please refer on a suspected-cancer pathway (NICE NG12, 2-week wait)."))
    if any(t.tier == "urgent" and not t.cancer_pathway for t in tiers):
        asks.append(_("Please arrange an urgent specialist opinion."))
    if age is not None:
        asks.append(_("Patient aged %(age)s.") % {"age": age})
    return asks


def _care_plan_status(plan: PlanFacts) -> str:
    """A signed plan is in force until a later signed version replaces it."""
    if not plan.signed:
        return "draft"
    return "revoked" if plan.superseded_by_version is not None else "active"


def build_bundle(facts: ExportFacts) -> dict[str, Any]:
    """The bundle, as JSON-ready dicts in a fixed order: Patient, findings and conclusions,
    questionnaires and scores, diary, CarePlan, ServiceRequest, DocumentReference."""
    b = _Builder(facts)
    subject = b.patient()
    assessment = facts.assessment
    if assessment is not None:
        b.findings(subject, assessment)
        b.conclusions(subject, assessment)
        flags = facts.plan.red_flags if facts.plan else assessment.intake.get("red_flags") or ()
        b.red_flags(subject, flags, assessment.assessed_on.isoformat())
        b.questionnaires(subject, assessment)
        b.diary(subject, assessment)
    if facts.plan is not None:
        care_plan, author = b.care_plan(subject, facts.plan)
        b.service_request(subject, facts.plan, care_plan, author)
        b.document(subject, facts.plan, care_plan, author)
    return {
        "resourceType": "Bundle",
        "id": b.uuid("Bundle", facts.exported_at.isoformat()),
        "type": "collection",
        "timestamp": facts.exported_at.isoformat(timespec="seconds"),
        "entry": b.entries,
    }


def validate_bundle(bundle: Mapping[str, Any]) -> None:
    """Raise BundleInvalid unless fhir.resources reads the bundle as valid R4."""
    try:
        Bundle.model_validate(bundle)
    except (ValidationError, KeyError, TypeError, ValueError) as error:
        # An unknown resourceType escapes pydantic as a KeyError.
        raise BundleInvalid(str(error)) from error


# --- Questionnaires ------------------------------------------------------------------------


def score_parts(name: str, score: object) -> list[tuple[str, object]]:
    """A questionnaire's scores as (part, value), the total first (the fields of its score
    in assessments.questionnaires, so a new subscale is exported without a change here)."""
    if name == "iqq3":
        return [("type", score)]
    assert is_dataclass(score) and not isinstance(score, type)
    values = {part.name: getattr(score, part.name) for part in fields(score)}
    total = values.pop("total")
    return [("total", total), *values.items()]


def _options(base: str, name: str, answers: Sequence[tuple[object, str]]) -> list[dict[str, Any]]:
    system = code_system(base, f"{name}-answer")
    return [
        {"valueCoding": {"system": system, "code": str(code), "display": text}}
        for code, text in answers
    ]


def questionnaire_definition(base: str, name: str) -> dict[str, Any]:
    """PFDI-20, PFIQ-7 or 3IQ under FloorPlan's canonical URL, in their published English
    wording (freely usable: Barber 2005, Brown 2006)."""
    titles = {
        "pfdi20": "Pelvic Floor Distress Inventory, short form (PFDI-20)",
        "pfiq7": "Pelvic Floor Impact Questionnaire, short form (PFIQ-7)",
        "iqq3": "The 3 Incontinence Questions (3IQ)",
    }
    items: list[dict[str, Any]]
    if name == "pfdi20":
        items = [
            {
                "linkId": str(n),
                "text": text,
                "type": "choice",
                "required": True,
                "answerOption": _options(base, name, q.PFDI20_ANSWERS),
            }
            for n, text in enumerate(q.PFDI20_ITEMS, start=1)
        ]
    elif name == "pfiq7":
        items = [
            {
                "linkId": scale,
                "text": label,
                "type": "group",
                "item": [
                    {
                        "linkId": f"{scale}.{n}",
                        "text": text,
                        "type": "choice",
                        "required": True,
                        "answerOption": _options(base, name, q.PFIQ7_ANSWERS),
                    }
                    for n, text in enumerate(q.PFIQ7_ITEMS, start=1)
                ],
            }
            for scale, label in q.PFIQ7_SCALES
        ]
    else:
        leaked = {"question": "any_leak_3_months", "operator": "=", "answerBoolean": True}
        items = [
            {"linkId": "any_leak_3_months", "text": q.IQQ3_QUESTIONS[0], "type": "boolean"},
            {
                "linkId": "when",
                "text": q.IQQ3_QUESTIONS[1],
                "type": "choice",
                "repeats": True,
                "enableWhen": [leaked],
                "answerOption": _options(base, name, q.IQQ3_WHEN_CHOICES),
            },
            {
                "linkId": "most_often",
                "text": q.IQQ3_QUESTIONS[2],
                "type": "choice",
                "enableWhen": [leaked],
                "answerOption": _options(base, name, q.IQQ3_MOST_OFTEN_CHOICES),
            },
        ]
    return {
        "resourceType": "Questionnaire",
        "url": questionnaire_url(base, name),
        "name": name.upper(),
        "title": titles[name],
        "status": "active",
        "subjectType": ["Patient"],
        "item": items,
    }


def _coded(
    base: str, name: str, answers: Sequence[tuple[object, str]], code: object
) -> dict[str, Any]:
    text = dict((str(c), t) for c, t in answers).get(str(code), str(code))
    return {
        "valueCoding": {
            "system": code_system(base, f"{name}-answer"),
            "code": str(code),
            "display": text,
        }
    }


def response_items(base: str, name: str, answers: Any) -> list[dict[str, Any]]:
    """The answers to one questionnaire as QuestionnaireResponse items (linkIds as in
    ``questionnaire_definition``)."""
    if name == "pfdi20":
        return [
            {"linkId": str(n), "answer": [_coded(base, name, q.PFDI20_ANSWERS, value)]}
            for n, value in enumerate(answers, start=1)
        ]
    if name == "pfiq7":
        return [
            {
                "linkId": scale,
                "item": [
                    {
                        "linkId": f"{scale}.{n}",
                        "answer": [_coded(base, name, q.PFIQ7_ANSWERS, value)],
                    }
                    for n, value in enumerate(answers[scale], start=1)
                ],
            }
            for scale, _label in q.PFIQ7_SCALES
        ]
    items: list[dict[str, Any]] = []
    if answers.get("any_leak_3_months") is not None:
        items.append(
            {
                "linkId": "any_leak_3_months",
                "answer": [{"valueBoolean": answers["any_leak_3_months"]}],
            }
        )
    if answers.get("any_leak_3_months") is False:
        return items  # "no" ends the 3IQ: the other two questions are not asked
    if answers.get("when"):
        items.append(
            {
                "linkId": "when",
                "answer": [_coded(base, name, q.IQQ3_WHEN_CHOICES, c) for c in answers["when"]],
            }
        )
    if answers.get("most_often"):
        items.append(
            {
                "linkId": "most_often",
                "answer": [_coded(base, name, q.IQQ3_MOST_OFTEN_CHOICES, answers["most_often"])],
            }
        )
    return items
