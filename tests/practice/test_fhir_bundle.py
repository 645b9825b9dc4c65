"""The FHIR R4 bundle of practice.fhir, built from facts made by hand (no database): what a
receiving system finds in it (issue 15). The plan comes from the care-plan builder on the
contract's example intake, the diary from the contract's example CSV."""

import base64
import copy
import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fhir.resources.R4B.bundle import Bundle

from assessments import red_flags
from assessments.diary import DiaryEvent, diary_metrics, parse_diary_csv
from careplans import rules
from practice import fhir
from tests.practice.fhir_reader import (
    LOINC,
    SNOMED,
    codings,
    diary_event,
    floorplan_code,
    read_diary,
    read_metrics,
    read_plan,
    read_scores,
    resolve,
    resources,
)

EXAMPLES = Path("/work/shared/contracts/examples")
if not EXAMPLES.is_dir():  # CI: shared/ sits beside the clone
    EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "contracts" / "examples"
BASE = "https://floorplan.example/fhir"
UCUM = "http://unitsofmeasure.org"
ZONE = "Europe/London"
PDF = b"%PDF-1.7\n% the signed patient plan\n%%EOF\n"


def local(*parts: int) -> datetime:
    """A diary time: the clinic's wall clock, with no offset (diary-v1)."""
    return datetime(*parts)  # noqa: DTZ001 (local wall clock)


INTAKE: dict[str, Any] = json.loads((EXAMPLES / "intake-example.json").read_text())
EVENTS: list[DiaryEvent] = parse_diary_csv((EXAMPLES / "diary-example.csv").read_text())

# Published-wording questionnaires, answered (intake-v1 shapes).
PFDI20 = [0, 1, 2, 3, 4] * 4
PFIQ7 = {"bladder": [1, 2, 3, 0, 1, 2, 3], "bowel": [0] * 7, "prolapse": [3, 2, 1, 0, 0, 0, 1]}
OAB_V8 = [1, 2, 3, 4, 5, 0, 1, 2]


# --- Facts, as the export service gathers them ----------------------------------------------


def item_facts(plan: dict[str, Any]) -> list[fhir.ItemFacts]:
    """careplan-v1 items as the export's ItemFacts (the dose in words left to the DB layer:
    here a plain join)."""
    return [
        fhir.ItemFacts(
            code=item["code"],
            category=item["category"],
            phase=item["phase"],
            title=item["title"],
            rationale=item["rationale"],
            dosing=item["dosing"],
            dose_words=", ".join(f"{key} {value}" for key, value in item["dosing"].items()),
            source=item["source"],
            hold_reason=item.get("hold_reason") or "",
        )
        for item in plan["items"]
    ]


def plan_facts(
    plan: dict[str, Any], *, signed: bool = True, pdf: bytes | None = PDF, pk: int = 31
) -> fhir.PlanFacts:
    return fhir.PlanFacts(
        pk=pk,
        version=2,
        signed=signed,
        created_at=datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
        signed_at=datetime(2026, 3, 5, 9, 40, tzinfo=UTC) if signed else None,
        author_name="Tess Morgan",
        items=item_facts(plan),
        red_flags=plan["red_flags"],
        referral_urgency=plan["referral_urgency"],
        language="en",
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest() if pdf else "",
    )


def patient_facts(pk: int = 11, clinic_id: int = 3) -> fhir.PatientFacts:
    return fhir.PatientFacts(
        pk=pk,
        clinic_id=clinic_id,
        clinic_name="Riverside Pelvic Health",
        record_number="RPH-0042",
        family_name="Okafor",
        given_name="Ada",
        birth_date=date(1972, 5, 17),
    )


def built(intake: dict[str, Any], events: list[DiaryEvent]) -> rules.BuiltPlan:
    person = intake["patient"]
    diary = (
        rules.diary_findings(events, age=person["age"], weight_kg=person.get("weight_kg"))
        if events
        else None
    )
    return rules.build(intake, diary=diary)


def export_facts(
    intake: dict[str, Any] | None = None,
    events: list[DiaryEvent] | None = None,
    *,
    signed: bool = True,
    pdf: bytes | None = PDF,
    patient: fhir.PatientFacts | None = None,
    time_zone: str = ZONE,
) -> fhir.ExportFacts:
    intake = copy.deepcopy(INTAKE) if intake is None else intake
    events = EVENTS if events is None else events
    person = intake["patient"]
    plan = built(intake, events).plan
    return fhir.ExportFacts(
        base=BASE,
        time_zone=time_zone,
        exported_at=datetime(2026, 3, 6, 12, 0, tzinfo=UTC),
        patient=patient or patient_facts(),
        assessment=fhir.AssessmentFacts(
            pk=21,
            assessed_on=date(2026, 3, 4),
            intake=intake,
            classification=plan["classification"],
            events=events,
            metrics=diary_metrics(events, age=person["age"], weight_kg=person.get("weight_kg")),
        ),
        plan=plan_facts(plan, signed=signed, pdf=pdf),
    )


def export(facts: fhir.ExportFacts) -> dict[str, Any]:
    """The bundle as a receiver gets it: validated, then through JSON."""
    bundle = fhir.build_bundle(facts)
    fhir.validate_bundle(bundle)
    return dict(json.loads(json.dumps(bundle)))


def with_questionnaires(**answers: Any) -> dict[str, Any]:
    intake = copy.deepcopy(INTAKE)
    intake["questionnaires"] = {**intake["questionnaires"], **answers}
    return intake


def with_red_flags(*flags: str) -> dict[str, Any]:
    intake = copy.deepcopy(INTAKE)
    intake["red_flags"] = list(flags)
    return intake


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return export(export_facts())


# --- The bundle ---------------------------------------------------------------------------


def test_the_example_bundle_is_valid_fhir_r4_of_type_collection(example: dict[str, Any]) -> None:
    fhir.validate_bundle(example)
    parsed = Bundle.model_validate(example)
    assert parsed.type == "collection"
    assert len(parsed.entry or ()) == len(example["entry"])
    kinds = {r["resourceType"] for r in resources(example)}
    assert {"Patient", "Observation", "CarePlan", "DocumentReference"} <= kinds


def test_every_entry_has_its_own_full_url_matching_its_id(example: dict[str, Any]) -> None:
    urls = [entry["fullUrl"] for entry in example["entry"]]
    assert len(urls) == len(set(urls))
    for entry in example["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"


def test_the_same_facts_give_byte_identical_json() -> None:
    first = json.dumps(fhir.build_bundle(export_facts()))
    second = json.dumps(fhir.build_bundle(export_facts()))
    assert first == second


def test_another_patient_gets_other_ids(example: dict[str, Any]) -> None:
    other = export(export_facts(patient=patient_facts(pk=12)))
    assert not {e["fullUrl"] for e in example["entry"]} & {e["fullUrl"] for e in other["entry"]}


def test_a_bundle_that_is_not_fhir_is_refused() -> None:
    # A diary time without its offset is no FHIR dateTime: the check must catch it.
    bundle = fhir.build_bundle(export_facts())
    observation = next(o for o in resources(bundle, "Observation") if diary_event(o))
    observation["effectiveDateTime"] = observation["effectiveDateTime"][:19]
    with pytest.raises(fhir.BundleInvalid):
        fhir.validate_bundle(bundle)


# FHIR R4's required value sets for the codes the bundle sets (fhir.resources does not
# check codes against them: a Bundle of type "heap" passes validate_bundle).
REQUIRED_CODES: dict[tuple[str, str], set[str]] = {
    ("Observation", "status"): {"registered", "preliminary", "final", "amended"},
    ("CarePlan", "status"): {"draft", "active", "on-hold", "revoked", "completed"},
    ("CarePlan", "intent"): {"proposal", "plan", "order", "option"},
    ("ServiceRequest", "status"): {"draft", "active", "on-hold", "revoked", "completed"},
    ("ServiceRequest", "intent"): {"proposal", "plan", "directive", "order"},
    ("ServiceRequest", "priority"): {"routine", "urgent", "asap", "stat"},
    ("DocumentReference", "status"): {"current", "superseded", "entered-in-error"},
    ("DocumentReference", "docStatus"): {"preliminary", "final", "amended"},
    ("Questionnaire", "status"): {"draft", "active", "retired", "unknown"},
    ("QuestionnaireResponse", "status"): {"in-progress", "completed", "amended", "stopped"},
}
ACTIVITY_STATUSES = {
    "not-started",
    "scheduled",
    "in-progress",
    "on-hold",
    "completed",
    "cancelled",
    "stopped",
    "unknown",
    "entered-in-error",
}
ITEM_TYPES = {"group", "display", "boolean", "choice", "string", "integer", "decimal"}


@pytest.mark.parametrize("flag", ["", "saddle_anaesthesia", "pelvic_mass", "dysuria"])
def test_every_code_of_a_required_value_set_is_one_of_it(flag: str) -> None:
    intake = with_questionnaires(pfdi20=PFDI20, pfiq7=PFIQ7, oab_v8=OAB_V8)
    intake["red_flags"] = [flag] if flag else []
    bundle = export(export_facts(intake))
    assert bundle["type"] == "collection"
    seen = set()
    for resource in resources(bundle):
        for (kind, element), allowed in REQUIRED_CODES.items():
            if resource["resourceType"] == kind:
                assert resource[element] in allowed, (kind, element, resource[element])
                seen.add((kind, element))
        for activity in resource.get("activity", ()):
            assert activity["detail"]["status"] in ACTIVITY_STATUSES
        stack = list(resource["item"]) if resource["resourceType"] == "Questionnaire" else []
        while stack:
            item = stack.pop()
            assert item["type"] in ITEM_TYPES
            stack += item.get("item", [])
    assert len(seen) == len(REQUIRED_CODES) - (0 if flag else 3)


# --- Patient -------------------------------------------------------------------------------


def test_the_patient_carries_only_the_record_number_name_and_birth_date(
    example: dict[str, Any],
) -> None:
    (patient,) = resources(example, "Patient")
    assert set(patient) == {"resourceType", "id", "identifier", "name", "birthDate"}
    (identifier,) = patient["identifier"]
    assert identifier["value"] == "RPH-0042"
    assert identifier["system"] == f"{BASE}/clinic/3/record-number"
    assert patient["name"] == [{"family": "Okafor", "given": ["Ada"]}]
    assert patient["birthDate"] == "1972-05-17"
    # Everything else is about this patient.
    subject = {"reference": f"urn:uuid:{patient['id']}"}
    for resource in resources(example):
        if "subject" in resource:
            assert resource["subject"] == subject


def test_record_numbers_are_scoped_to_their_clinic() -> None:
    here = export(export_facts(patient=patient_facts(clinic_id=3)))
    there = export(export_facts(patient=patient_facts(clinic_id=4)))
    (a,) = resources(here, "Patient")[0]["identifier"]
    (b,) = resources(there, "Patient")[0]["identifier"]
    assert a["value"] == b["value"]
    assert a["system"] != b["system"]


# --- CarePlan -----------------------------------------------------------------------------


def test_every_plan_item_is_an_activity_with_its_code_and_reasons(
    example: dict[str, Any],
) -> None:
    plan = built(copy.deepcopy(INTAKE), EVENTS).plan
    (care_plan,) = resources(example, "CarePlan")
    activities = care_plan["activity"]
    assert len(activities) == len(plan["items"])
    for item, activity in zip(plan["items"], activities, strict=True):
        detail = activity["detail"]
        assert floorplan_code(detail["code"], "plan-item") == item["code"]
        assert {c["system"] for c in detail["code"]["coding"]} == {f"{BASE}/CodeSystem/plan-item"}
        assert detail["code"]["coding"][0]["display"] == item["title"]
        assert detail["reasonCode"][0]["text"] == item["rationale"]
        assert detail["reasonReference"], item["code"]
        for reference in detail["reasonReference"]:
            assert resolve(example, reference)["resourceType"] == "Observation"


def test_the_reader_gets_the_plan_items_back(example: dict[str, Any]) -> None:
    facts = export_facts().plan
    assert facts is not None
    assert read_plan(example) == [
        {
            "code": item.code,
            "category": item.category,
            "phase": item.phase,
            "title": item.title,
            "rationale": item.rationale,
            "dosing": dict(item.dosing),
            "dose_words": item.dose_words,
            "source": item.source,
            "hold_reason": item.hold_reason if item.phase == 2 else "",
        }
        for item in facts.items
    ]


def test_phase_2_waits_with_its_hold_reason_and_phase_1_is_scheduled(
    example: dict[str, Any],
) -> None:
    plan = built(copy.deepcopy(INTAKE), EVENTS).plan
    phases = {item["phase"] for item in plan["items"]}
    assert phases == {1, 2}  # the example has both
    (care_plan,) = resources(example, "CarePlan")
    for item, activity in zip(plan["items"], care_plan["activity"], strict=True):
        detail = activity["detail"]
        if item["phase"] == 1:
            assert detail["status"] == "scheduled"
            assert "statusReason" not in detail
        else:
            assert detail["status"] == "not-started"
            assert detail["statusReason"]["text"] == item["hold_reason"]


def test_doses_are_numbers_and_a_daily_timing(example: dict[str, Any]) -> None:
    pfmt = next(i for i in read_plan(example) if i["code"] == "strengthening.pfmt")
    assert pfmt["dosing"]["sets_per_day"] == 3
    (care_plan,) = resources(example, "CarePlan")
    detail = next(
        a["detail"]
        for a in care_plan["activity"]
        if floorplan_code(a["detail"]["code"], "plan-item") == "strengthening.pfmt"
    )
    assert detail["scheduledTiming"]["repeat"] == {"frequency": 3, "period": 1, "periodUnit": "d"}


def test_a_signed_plan_is_active_with_its_author_and_date_of_signing(
    example: dict[str, Any],
) -> None:
    (care_plan,) = resources(example, "CarePlan")
    assert care_plan["status"] == "active"
    assert care_plan["intent"] == "plan"
    assert care_plan["created"] == "2026-03-05T09:40:00+00:00"
    assert care_plan["author"]["display"] == "Tess Morgan"
    assert resolve(example, care_plan["author"])["resourceType"] == "Practitioner"


def test_a_draft_plan_is_a_draft_and_sends_no_document() -> None:
    bundle = export(export_facts(signed=False, pdf=PDF))
    (care_plan,) = resources(bundle, "CarePlan")
    assert care_plan["status"] == "draft"
    assert care_plan["created"] == "2026-03-05T09:00:00+00:00"
    assert resources(bundle, "DocumentReference") == []


# --- The signed PDF ------------------------------------------------------------------------


def test_the_signed_pdf_is_a_document_reference_with_its_hashes(example: dict[str, Any]) -> None:
    (document,) = resources(example, "DocumentReference")
    (content,) = document["content"]
    attachment = content["attachment"]
    assert attachment["contentType"] == "application/pdf"
    data = base64.b64decode(attachment["data"], validate=True)
    assert data == PDF
    assert attachment["size"] == len(PDF)
    assert base64.b64decode(attachment["hash"]) == hashlib.sha1(data).digest()
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(PDF).digest()).decode()
    (identifier,) = document["identifier"]
    assert identifier["value"] == hashlib.sha256(data).hexdigest()
    (care_plan,) = resources(example, "CarePlan")
    assert resolve(example, document["context"]["related"][0]) == care_plan


def test_a_signed_plan_without_its_pdf_sends_no_document() -> None:
    assert resources(export(export_facts(pdf=None)), "DocumentReference") == []


# --- Diary ---------------------------------------------------------------------------------


def test_every_diary_event_is_an_observation_with_the_standard_codes(
    example: dict[str, Any],
) -> None:
    expected = {
        "void": {(LOINC, "9187-6")},
        "drink": {(LOINC, "8999-5")},
        "leak": {(SNOMED, "162172004"), (LOINC, "28232-7")},
    }
    observations = [o for o in resources(example, "Observation") if diary_event(o)]
    assert len(observations) == len(EVENTS)
    assert {e.event for e in EVENTS} == {"rise", "bed", "void", "drink", "leak"}
    for event, observation in zip(EVENTS, observations, strict=True):
        if event.event in expected:
            assert codings(observation["code"]) == expected[event.event]
        else:
            assert floorplan_code(observation["code"], "diary-event") == event.event
        if event.volume_ml is not None:
            assert observation["valueQuantity"] == {
                "value": event.volume_ml,
                "unit": "mL",
                "system": UCUM,
                "code": "mL",
            }
        elif event.event in expected:
            assert "valueQuantity" not in observation
            assert observation["dataAbsentReason"]["coding"][0]["code"] == "not-performed"


def test_the_reader_gets_the_diary_back(example: dict[str, Any]) -> None:
    assert [row[:4] for row in read_diary(example, ZoneInfo(ZONE))] == [
        (e.time, e.event, e.volume_ml, e.urgency) for e in EVENTS
    ]


def test_the_patients_diary_notes_stay_in_the_clinic(example: dict[str, Any]) -> None:
    notes = {e.note for e in EVENTS if e.note}
    assert notes >= {"coffee", "sneezed"}
    assert all(row[4] == "" for row in read_diary(example, ZoneInfo(ZONE)))
    text = json.dumps(example)
    for note in notes:
        assert json.dumps(note) not in text, note


def test_diary_times_keep_their_wall_clock_across_changes_of_clocks() -> None:
    # Europe/London, 2026: 01:30 on 29 March does not exist (clocks go 01:00 -> 02:00),
    # 01:30 on 25 October happens twice (02:00 -> 01:00).
    times = [
        local(2026, 1, 15, 8, 0),
        local(2026, 3, 29, 0, 59),
        local(2026, 3, 29, 1, 30),
        local(2026, 3, 29, 2, 30),
        local(2026, 7, 1, 8, 0),
        local(2026, 10, 25, 0, 30),
        local(2026, 10, 25, 1, 30),
        local(2026, 10, 25, 2, 30),
    ]
    events = [DiaryEvent(n, t, "void", 200, None, "") for n, t in enumerate(times, start=2)]
    bundle = export(export_facts(events=events))
    zone = ZoneInfo(ZONE)
    assert [row[0] for row in read_diary(bundle, zone)] == times
    written = {o["effectiveDateTime"] for o in resources(bundle, "Observation") if diary_event(o)}
    assert {"2026-01-15T08:00:00+00:00", "2026-07-01T08:00:00+01:00"} <= written
    # A receiver that turns the instant into the clinic's time sees the same wall clock,
    # for every time a clock in London shows (01:30 on 29 March never shows).
    observations = [o for o in resources(bundle, "Observation") if diary_event(o)]
    for time, observation in zip(times, observations, strict=True):
        if time != local(2026, 3, 29, 1, 30):
            moment = datetime.fromisoformat(observation["effectiveDateTime"])
            assert moment.astimezone(zone).replace(tzinfo=None) == time


def test_the_diary_metrics_are_observations_under_floorplan_codes(
    example: dict[str, Any],
) -> None:
    metrics = diary_metrics(EVENTS, age=54, weight_kg=82)
    assert read_metrics(example) == {k: v for k, v in metrics.items() if v is not None}
    # UCUM codes; nocturia's per night has none of its own: any UCUM code will do.
    named: dict[str, str | None] = {
        "voided_volume_24h_ml": "mL",
        "npi": "1",
        "daytime_frequency": "/d",
        "nocturia": None,
    }
    for observation in resources(example, "Observation"):
        key = floorplan_code(observation["code"], "diary-metric")
        if key in named:
            assert codings(observation["code"]) == {(f"{BASE}/CodeSystem/diary-metric", key)}
            quantity = observation["valueQuantity"]
            assert quantity["value"] == metrics[key]
            assert quantity["system"] == UCUM
            assert quantity["code"] == (named[key] or quantity["code"])
            assert quantity["unit"]
            named.pop(key)
    assert named == {}


def test_a_metric_the_diary_cannot_give_is_left_out() -> None:
    # One day with no rise the next morning: no nocturia, no volumes.
    events = [e for e in EVENTS if e.time < local(2026, 3, 2, 23, 0)]
    bundle = export(export_facts(events=events))
    metrics = read_metrics(bundle)
    assert "nocturia" not in metrics
    assert "voided_volume_24h_ml" not in metrics
    assert metrics["days_recorded"] == 1


# --- Questionnaires and scores -------------------------------------------------------------


def test_worded_questionnaires_have_a_definition_and_a_response_when_answered() -> None:
    bundle = export(export_facts(with_questionnaires(pfdi20=PFDI20, pfiq7=PFIQ7)))
    definitions = {q["url"]: q for q in resources(bundle, "Questionnaire")}
    responses = {r["questionnaire"]: r for r in resources(bundle, "QuestionnaireResponse")}
    for name in ("pfdi20", "pfiq7", "iqq3"):
        url = f"{BASE}/Questionnaire/{name}"
        assert url in definitions, name
        assert responses[url]["status"] == "completed"
    pfdi20 = responses[f"{BASE}/Questionnaire/pfdi20"]
    assert [int(i["answer"][0]["valueCoding"]["code"]) for i in pfdi20["item"]] == PFDI20
    pfiq7 = responses[f"{BASE}/Questionnaire/pfiq7"]
    assert {
        group["linkId"]: [int(i["answer"][0]["valueCoding"]["code"]) for i in group["item"]]
        for group in pfiq7["item"]
    } == PFIQ7
    # Every answer's linkId is one of its questionnaire's.
    for url, response in responses.items():
        asked = set()
        stack = list(definitions[url]["item"])
        while stack:
            item = stack.pop()
            asked.add(item["linkId"])
            stack += item.get("item", [])
        answered = set()
        stack = list(response["item"])
        while stack:
            item = stack.pop()
            answered.add(item["linkId"])
            stack += item.get("item", [])
        assert answered <= asked, url


def test_unanswered_questionnaires_are_not_sent(example: dict[str, Any]) -> None:
    urls = {q["url"] for q in resources(example, "Questionnaire")}
    assert urls == {f"{BASE}/Questionnaire/iqq3"}  # the example answered the 3IQ only


def test_licensed_questionnaires_are_scores_only_and_no_score_has_a_loinc_code() -> None:
    bundle = export(export_facts(with_questionnaires(pfdi20=PFDI20, pfiq7=PFIQ7, oab_v8=OAB_V8)))
    worded = {"pfdi20", "pfiq7", "iqq3"}
    assert {r["url"].rsplit("/", 1)[1] for r in resources(bundle, "Questionnaire")} == worded
    assert {
        r["questionnaire"].rsplit("/", 1)[1] for r in resources(bundle, "QuestionnaireResponse")
    } == worded
    scores = read_scores(bundle)
    assert scores["iciq_ui_sf.total"] == 11
    assert scores["oab_v8.total"] == 18
    assert scores["oab_v8.suggests_oab"] is True
    assert scores["pfdi20.total"] == 150.0
    assert scores["iqq3.type"] == "stress"  # leaks most often on activity
    score_observations = [
        o for o in resources(bundle, "Observation") if floorplan_code(o["code"], "score")
    ]
    assert {floorplan_code(o["code"], "score") for o in score_observations} == set(scores)
    for observation in score_observations:
        assert LOINC not in json.dumps(observation)
        for reference in observation.get("derivedFrom", ()):
            assert resolve(bundle, reference)["resourceType"] == "QuestionnaireResponse"


# --- Red flags -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "tier", "priority"),
    [
        ("saddle_anaesthesia", "emergency", "stat"),
        ("pelvic_mass", "urgent", "urgent"),
        ("dysuria", "soon", "routine"),
    ],
)
def test_a_red_flag_is_a_service_request_at_its_tier(flag: str, tier: str, priority: str) -> None:
    intake = with_red_flags(flag)
    assert red_flags.referral_urgency([flag], intake["patient"]["age"]) == tier
    bundle = export(export_facts(intake))
    (request,) = resources(bundle, "ServiceRequest")
    assert request["priority"] == priority
    assert request["status"] == "active"
    assert floorplan_code(request["code"], "referral-tier") == tier
    assert [floorplan_code(c, "red-flag") for c in request["reasonCode"]] == [flag]
    (reason,) = request["reasonReference"]
    observation = resolve(bundle, reason)
    assert floorplan_code(observation["code"], "red-flag") == flag
    assert observation["valueBoolean"] is True
    (care_plan,) = resources(bundle, "CarePlan")
    assert resolve(bundle, request["basedOn"][0]) == care_plan
    # The plan's urgent referral rests on the same finding.
    urgent = care_plan["activity"][0]["detail"]
    assert floorplan_code(urgent["code"], "plan-item") == "urgent_referral.red_flags"
    assert reason in urgent["reasonReference"]


def test_no_red_flag_no_service_request(example: dict[str, Any]) -> None:
    assert INTAKE["red_flags"] == []
    assert resources(example, "ServiceRequest") == []


def test_a_3iq_no_answers_none_of_the_questions_it_skips() -> None:
    # intake-v1 (and so import_intake) accepts answers to 2 and 3 after a "no"; the
    # Questionnaire sent with them says those items are not enabled then, and a FHIR
    # validator refuses a response that answers an item that is not enabled.
    bundle = export(
        export_facts(
            with_questionnaires(
                iqq3={"any_leak_3_months": False, "when": ["urge"], "most_often": "urge"}
            )
        )
    )
    (definition,) = resources(bundle, "Questionnaire")
    (response,) = resources(bundle, "QuestionnaireResponse")
    answered = {item["linkId"]: item["answer"] for item in response["item"]}
    for item in definition["item"]:
        for condition in item.get("enableWhen", ()):
            given = answered.get(condition["question"], [])
            enabled = {"answerBoolean": condition["answerBoolean"]} in given
            if not enabled:
                assert item["linkId"] not in answered, item["linkId"]


def test_an_emergency_says_on_each_activity_that_the_exercises_wait() -> None:
    bundle = export(export_facts(with_red_flags("saddle_anaesthesia")))
    (care_plan,) = resources(bundle, "CarePlan")
    details = [activity["detail"] for activity in care_plan["activity"]]
    urgent, *others = details
    assert floorplan_code(urgent["code"], "plan-item") == "urgent_referral.red_flags"
    assert "statusReason" not in urgent
    for detail in others:
        # The phases stay as careplan-v1 has them; each item says what it waits for.
        if detail["status"] == "scheduled":
            assert "doctor has seen the patient" in detail["statusReason"]["text"]
    assert any("emergency department now" in n["text"] for n in care_plan["note"])
    (request,) = resources(bundle, "ServiceRequest")
    notes = [n["text"] for n in request["note"]]
    assert any("cauda equina" in n for n in notes)


def test_a_non_emergency_plan_says_nothing_about_waiting(example: dict[str, Any]) -> None:
    (care_plan,) = resources(example, "CarePlan")
    for activity in care_plan["activity"]:
        if activity["detail"]["status"] == "scheduled":
            assert "statusReason" not in activity["detail"]


def test_an_urgent_cancer_criterion_asks_for_the_pathway_and_states_the_age() -> None:
    intake = with_red_flags("visible_haematuria")
    intake["patient"]["age"] = 62
    (request,) = resources(export(export_facts(intake)), "ServiceRequest")
    assert request["priority"] == "urgent"
    notes = [n["text"] for n in request["note"]]
    assert any("NICE NG12" in n for n in notes)
    assert "Patient aged 62." in notes
    assert "suspected-cancer criterion" in request["reasonCode"][0]["text"]


def test_metrics_from_fewer_than_three_complete_days_are_provisional() -> None:
    one_day = [e for e in EVENTS if e.time.date() == EVENTS[0].time.date()]
    facts = export_facts(events=one_day)
    assert facts.assessment is not None and facts.assessment.metrics is not None
    assert facts.assessment.metrics["complete_days"] < 3
    metrics = [
        o
        for o in resources(export(facts), "Observation")
        if floorplan_code(o["code"], "diary-metric")
    ]
    assert metrics
    for observation in metrics:
        assert observation["status"] == "preliminary"
        assert "Provisional" in observation["note"][0]["text"]


def test_metrics_from_three_complete_days_are_final() -> None:
    rows = ["time,event,volume_ml,urgency,note"]
    for day in (2, 3, 4):
        rows += [
            f"2026-03-0{day}T07:00,rise,,,",
            f"2026-03-0{day}T07:05,void,350,1,",
            f"2026-03-0{day}T12:00,void,300,1,",
            f"2026-03-0{day}T18:00,void,250,2,",
            f"2026-03-0{day}T22:30,void,200,1,",
            f"2026-03-0{day}T23:00,bed,,,",
        ]
    rows += ["2026-03-05T07:00,rise,,,", "2026-03-05T07:05,void,380,1,"]
    facts = export_facts(events=parse_diary_csv("\n".join(rows) + "\n"))
    assert facts.assessment is not None and facts.assessment.metrics is not None
    assert facts.assessment.metrics["complete_days"] == 3
    metrics = [
        o
        for o in resources(export(facts), "Observation")
        if floorplan_code(o["code"], "diary-metric")
    ]
    assert metrics
    assert {o["status"] for o in metrics} == {"final"}
    assert not any("note" in o for o in metrics)


def test_a_held_item_points_to_the_finding_that_holds_it() -> None:
    intake = copy.deepcopy(INTAKE)
    assert intake["symptoms"]["painful_penetration"] is True
    bundle = export(export_facts(intake))
    (care_plan,) = resources(bundle, "CarePlan")
    pfmt = next(
        a["detail"]
        for a in care_plan["activity"]
        if floorplan_code(a["detail"]["code"], "plan-item") == "strengthening.pfmt"
    )
    assert pfmt["status"] == "not-started"
    found = [floorplan_code(resolve(bundle, r)["code"], "finding") for r in pfmt["reasonReference"]]
    assert "symptoms.painful_penetration" in found
