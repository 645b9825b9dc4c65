"""Round trip of the FHIR bundle over generated records (hypothesis): whatever the intake,
plan and diary, the bundle validates, and reading it back (tests/practice/fhir_reader.py)
gives the same plan items, doses, phases, diary events, diary metrics and scores (issue 15).

The intakes are those of the care-plan builder's property tests; the plan is the pure
builder's; the diary events are made here (that module generates diary summaries, not
events), in time zones that change their clocks, around the days they do.
"""

import base64
import dataclasses
import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import questionnaires as q
from assessments.diary import DiaryEvent, diary_metrics
from careplans import rules
from practice import fhir
from tests.careplans.test_rules_properties import intakes, plan_settings
from tests.practice.fhir_reader import (
    diary_event,
    floorplan_code,
    read_diary,
    read_metrics,
    read_plan,
    read_scores,
    resolve,
    resources,
)

BASE = "https://floorplan.example/fhir"
ZONES = ("UTC", "Europe/London", "America/Sao_Paulo", "America/New_York", "Australia/Lord_Howe")
# Days around 2026's changes of clocks (London, New York, Lord Howe) and an ordinary one.
FIRST_DAYS = (date(2026, 3, 28), date(2026, 10, 24), date(2026, 3, 7), date(2026, 4, 4))
FIRST_DAYS += (date(2026, 11, 1), date(2026, 6, 15))

# The questionnaires that builder's intakes leave out (intake-v1 shapes).
more_questionnaires = st.fixed_dictionaries(
    {},
    optional={
        "pfdi20": st.lists(st.integers(0, 4), min_size=20, max_size=20),
        "pfiq7": st.fixed_dictionaries(
            {
                scale: st.lists(st.integers(0, 3), min_size=7, max_size=7)
                for scale in ("bladder", "bowel", "prolapse")
            }
        ),
        "oab_v8": st.lists(st.integers(0, 5), min_size=8, max_size=8),
    },
)


@st.composite
def full_intakes(draw: st.DrawFn) -> dict[str, Any]:
    intake = draw(intakes)
    more = draw(more_questionnaires)
    if more:
        intake["questionnaires"] = {**intake.get("questionnaires", {}), **more}
    return intake


notes = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
).map(str.strip)


@st.composite
def diaries(draw: st.DrawFn) -> list[DiaryEvent]:
    """A diary-v1 diary: days from rise to bed, with voids, drinks and leaks by day and by
    night; volumes on voids and drinks (and sometimes leaks), urgency on voids and leaks."""
    first = datetime.combine(draw(st.sampled_from(FIRST_DAYS)), datetime.min.time())
    days = draw(st.integers(0, 3))
    times: list[tuple[datetime, str]] = []
    for day in range(days):
        start = first + timedelta(days=day)
        times.append((start + timedelta(minutes=draw(st.integers(300, 540))), "rise"))
        times.append((start + timedelta(minutes=draw(st.integers(1260, 1439))), "bed"))
    span = (days or 1) * 1440 + 540
    for _ in range(draw(st.integers(0, 14))):
        at = first + timedelta(minutes=draw(st.integers(0, span)), seconds=draw(st.integers(0, 59)))
        times.append((at, draw(st.sampled_from(("void", "void", "drink", "leak")))))
    times.sort()
    events = []
    for line, (time, event) in enumerate(times, start=2):
        volume = None
        if event in ("void", "drink") or (event == "leak" and draw(st.booleans())):
            volume = draw(st.none() | st.integers(0, 2000))
        urgency = draw(st.none() | st.integers(0, 4)) if event in ("void", "leak") else None
        events.append(DiaryEvent(line, time, event, volume, urgency, draw(notes)))
    return events


def item_facts(item: dict[str, Any], dose_words: bool) -> fhir.ItemFacts:
    return fhir.ItemFacts(
        code=item["code"],
        category=item["category"],
        phase=item["phase"],
        title=item["title"],
        rationale=item["rationale"],
        dosing=item["dosing"],
        dose_words="; ".join(f"{k} {v}" for k, v in item["dosing"].items()) if dose_words else "",
        source=item["source"],
        hold_reason=item.get("hold_reason") or "",
    )


@st.composite
def records(draw: st.DrawFn) -> tuple[fhir.ExportFacts, dict[str, Any], dict[str, object]]:
    """Export facts, with the plan and the diary metrics they were made from."""
    intake = draw(full_intakes())
    events = draw(diaries())
    person = intake["patient"]
    metrics = diary_metrics(events, age=person["age"], weight_kg=person.get("weight_kg"))
    diary = (
        rules.diary_findings(events, age=person["age"], weight_kg=person.get("weight_kg"))
        if events
        else None
    )
    plan = rules.build_plan(intake, diary=diary, settings=draw(plan_settings))
    signed = draw(st.booleans())
    pdf = draw(st.binary(min_size=1, max_size=64)) if signed else None
    words = draw(st.booleans())
    facts = fhir.ExportFacts(
        base=BASE,
        time_zone=draw(st.sampled_from(ZONES)),
        exported_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        patient=fhir.PatientFacts(
            pk=draw(st.integers(1, 10_000)),
            clinic_id=draw(st.integers(1, 100)),
            clinic_name="Riverside Pelvic Health",
            record_number="RPH-0042",
            family_name="Okafor",
            given_name="Ada",
            birth_date=date(1972, 5, 17),
        ),
        assessment=fhir.AssessmentFacts(
            pk=1,
            assessed_on=date(2026, 11, 30),
            intake=intake,
            classification=plan["classification"],
            events=events,
            metrics=metrics,
        ),
        plan=fhir.PlanFacts(
            pk=1,
            version=1,
            signed=signed,
            created_at=datetime(2026, 11, 30, 10, 0, tzinfo=UTC),
            signed_at=datetime(2026, 11, 30, 11, 0, tzinfo=UTC) if signed else None,
            author_name="Tess Morgan",
            items=[item_facts(item, words) for item in plan["items"]],
            red_flags=plan["red_flags"],
            referral_urgency=plan["referral_urgency"],
            language="en",
            pdf=pdf,
            pdf_sha256=hashlib.sha256(pdf).hexdigest() if pdf else "",
        ),
    )
    return facts, plan, metrics


def exported(facts: fhir.ExportFacts) -> dict[str, Any]:
    bundle = fhir.build_bundle(facts)
    fhir.validate_bundle(bundle)
    return dict(json.loads(json.dumps(bundle)))


def expected_scores(answers: dict[str, Any]) -> dict[str, Any]:
    """Every part of every score, read from the scorers' own results."""
    scores: dict[str, Any] = {}
    for name, score in q.score_all(answers).items():
        parts = {"type": score} if name == "iqq3" else dataclasses.asdict(score)
        scores.update({f"{name}.{part}": v for part, v in parts.items() if v is not None})
    return scores


SETTINGS = settings(max_examples=40, deadline=None)


@SETTINGS
@given(records())
def test_the_plan_reads_back_as_built(
    record: tuple[fhir.ExportFacts, dict[str, Any], dict[str, object]],
) -> None:
    facts, plan, _metrics = record
    bundle = exported(facts)
    keys = ("code", "category", "phase", "title", "rationale", "dosing")
    expected = [
        {**{k: item[k] for k in keys}, "hold_reason": item.get("hold_reason") or ""}
        for item in plan["items"]
    ]
    got = [{k: item[k] for k in (*keys, "hold_reason")} for item in read_plan(bundle)]
    assert got == expected
    (care_plan,) = resources(bundle, "CarePlan")
    assert care_plan["status"] == ("active" if facts.plan and facts.plan.signed else "draft")
    for activity in care_plan["activity"]:
        for reference in activity["detail"].get("reasonReference", ()):
            assert resolve(bundle, reference)["resourceType"] == "Observation"


@SETTINGS
@given(records())
def test_the_diary_and_its_metrics_read_back_as_recorded(
    record: tuple[fhir.ExportFacts, dict[str, Any], dict[str, object]],
) -> None:
    facts, _plan, metrics = record
    assert facts.assessment is not None
    bundle = exported(facts)
    # (The patient's notes stay in the clinic: the rows are compared without them.)
    assert [row[:4] for row in read_diary(bundle, ZoneInfo(facts.time_zone))] == [
        (e.time, e.event, e.volume_ml, e.urgency) for e in facts.assessment.events
    ]
    assert read_metrics(bundle) == {k: v for k, v in metrics.items() if v is not None}
    for observation in resources(bundle, "Observation"):
        if diary_event(observation) and "valueQuantity" in observation:
            quantity = observation["valueQuantity"]
            assert (quantity["unit"], quantity["system"], quantity["code"]) == (
                "mL",
                "http://unitsofmeasure.org",
                "mL",
            )


@SETTINGS
@given(records())
def test_scores_red_flags_and_the_document_read_back(
    record: tuple[fhir.ExportFacts, dict[str, Any], dict[str, object]],
) -> None:
    facts, plan, _metrics = record
    assert facts.assessment is not None and facts.plan is not None
    bundle = exported(facts)
    answers = dict(facts.assessment.intake.get("questionnaires") or {})
    assert read_scores(bundle) == expected_scores(answers)
    worded = {name for name in answers if name in ("pfdi20", "pfiq7", "iqq3")}
    assert {r["url"].rsplit("/", 1)[1] for r in resources(bundle, "Questionnaire")} == worded
    assert {
        r["questionnaire"].rsplit("/", 1)[1] for r in resources(bundle, "QuestionnaireResponse")
    } == worded
    for observation in resources(bundle, "Observation"):
        if floorplan_code(observation["code"], "score"):
            assert "http://loinc.org" not in json.dumps(observation)
    requests = resources(bundle, "ServiceRequest")
    if plan["red_flags"]:
        (request,) = requests
        tier = plan["referral_urgency"]
        assert (
            request["priority"]
            == {"emergency": "stat", "urgent": "urgent", "soon": "routine"}[tier]
        )
    else:
        assert requests == []
    documents = resources(bundle, "DocumentReference")
    if facts.plan.signed:
        (document,) = documents
        attachment = document["content"][0]["attachment"]
        data = base64.b64decode(attachment["data"])
        assert data == facts.plan.pdf
        assert base64.b64decode(attachment["hash"]) == hashlib.sha1(data).digest()
        assert document["identifier"][0]["value"] == hashlib.sha256(data).hexdigest()
    else:
        assert documents == []
