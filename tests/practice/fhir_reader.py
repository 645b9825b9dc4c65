"""A small reader of an exported FHIR bundle (the dict its JSON parses to) back into plain
data, as a receiving system would read it: by the standard codes, and by FloorPlan's code
systems and extensions (matched by the end of their URL, as the canonical base is a
setting). It imports nothing from ``practice.fhir``, so a round trip through it checks the
export rather than repeating it.
"""

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"

# The diary's standard codes (issue 15); rise and bed have none: FloorPlan's diary-event.
DIARY_EVENTS = {
    (LOINC, "9187-6"): "void",
    (LOINC, "8999-5"): "drink",
    (SNOMED, "162172004"): "leak",
}
PHASES = {"scheduled": 1, "not-started": 2}

DiaryRow = tuple[datetime, str, int | None, int | None, str]


# --- Finding things ---------------------------------------------------------------------


def resources(bundle: Mapping[str, Any], resource_type: str | None = None) -> list[dict[str, Any]]:
    """The bundle's resources in order, of one type if given."""
    return [
        entry["resource"]
        for entry in bundle.get("entry", ())
        if resource_type is None or entry["resource"]["resourceType"] == resource_type
    ]


def resolve(bundle: Mapping[str, Any], reference: Mapping[str, Any]) -> dict[str, Any]:
    """The resource a reference points to, by the entries' fullUrl; KeyError if none."""
    by_url = {entry["fullUrl"]: entry["resource"] for entry in bundle.get("entry", ())}
    return by_url[reference["reference"]]


def codings(concept: Mapping[str, Any] | None) -> set[tuple[str, str]]:
    """A CodeableConcept's codings as (system, code)."""
    return {(c["system"], c["code"]) for c in (concept or {}).get("coding", ())}


def floorplan_code(concept: Mapping[str, Any] | None, system: str) -> str | None:
    """The code under FloorPlan's code system ``system`` (…/CodeSystem/<system>), if any."""
    for c in (concept or {}).get("coding", ()):
        if c.get("system", "").endswith(f"/CodeSystem/{system}"):
            return str(c["code"])
    return None


def extension(element: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """FloorPlan's extension ``name`` (…/StructureDefinition/<name>) on an element."""
    for ext in element.get("extension", ()):
        if ext["url"].endswith(f"/StructureDefinition/{name}"):
            return dict(ext)
    return None


def value(element: Mapping[str, Any]) -> Any:
    """The value[x] of an Observation, a component or an extension, as plain data."""
    for key in ("valueBoolean", "valueInteger", "valueDecimal", "valueString", "valueCode"):
        if key in element:
            return element[key]
    if "valueQuantity" in element:
        return element["valueQuantity"]["value"]
    if "valueCodeableConcept" in element:
        concept = element["valueCodeableConcept"]
        return concept["coding"][0]["code"] if concept.get("coding") else concept.get("text")
    return None


# --- The plan ---------------------------------------------------------------------------


def read_plan(bundle: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The one CarePlan's items, in order, as plain data."""
    (plan,) = resources(bundle, "CarePlan")
    items = []
    for activity in plan.get("activity", ()):
        detail = activity["detail"]
        category = extension(detail, "plan-item-category")
        source = extension(detail, "plan-item-source")
        dosing = extension(detail, "dosing")
        phase = PHASES[detail["status"]]
        (coding,) = [
            c for c in detail["code"]["coding"] if c["system"].endswith("/CodeSystem/plan-item")
        ]
        items.append(
            {
                "code": coding["code"],
                "category": category["valueCode"] if category else None,
                "phase": phase,
                "title": coding.get("display", ""),
                "rationale": detail["reasonCode"][0]["text"],
                "dosing": {e["url"]: value(e) for e in (dosing or {}).get("extension", ())},
                "dose_words": detail.get("description", ""),
                "source": source["valueString"] if source else None,
                "hold_reason": detail["statusReason"]["text"] if phase == 2 else "",
            }
        )
    return items


# --- The diary --------------------------------------------------------------------------


def wall_clock(text: str, zone: tzinfo) -> datetime:
    """A diary time as the clinic's wall clock: the time as written, once its offset is
    checked to be one the zone has at that wall clock (either side of a change of clocks;
    a wall clock the change skips has only the zone's offsets of that night)."""
    moment = datetime.fromisoformat(text)
    local = moment.replace(tzinfo=None)
    offsets = {local.replace(tzinfo=zone, fold=fold).utcoffset() for fold in (0, 1)}
    if moment.utcoffset() not in offsets:
        raise ValueError(f"{text}: not an offset of {zone} at {local}")
    return local


def diary_event(observation: Mapping[str, Any]) -> str | None:
    """The diary event an Observation records (void, drink, leak, rise, bed), or None."""
    for code in codings(observation["code"]):
        if code in DIARY_EVENTS:
            return DIARY_EVENTS[code]
    found = floorplan_code(observation["code"], "diary-event")
    return found if found in ("rise", "bed") else None


def read_diary(bundle: Mapping[str, Any], tz: tzinfo) -> list[DiaryRow]:
    """Every diary event, in order: (wall-clock time, event, volume_ml, urgency, note)."""
    rows: list[DiaryRow] = []
    for observation in resources(bundle, "Observation"):
        event = diary_event(observation)
        if event is None:
            continue
        quantity = observation.get("valueQuantity")
        urgency = [
            c["valueInteger"]
            for c in observation.get("component", ())
            if floorplan_code(c["code"], "diary-event") == "urgency"
        ]
        notes = observation.get("note") or [{"text": ""}]
        rows.append(
            (
                wall_clock(observation["effectiveDateTime"], tz),
                event,
                quantity["value"] if quantity else None,
                urgency[0] if urgency else None,
                notes[0]["text"],
            )
        )
    return rows


def read_metrics(bundle: Mapping[str, Any]) -> dict[str, Any]:
    """The diary metrics, keyed as diary-v1's Output; a metric not exported is absent."""
    return {
        str(floorplan_code(o["code"], "diary-metric")): value(o)
        for o in resources(bundle, "Observation")
        if floorplan_code(o["code"], "diary-metric")
    }


def read_scores(bundle: Mapping[str, Any]) -> dict[str, Any]:
    """The questionnaire scores, keyed "<questionnaire>.<part>" (e.g. "pfdi20.total")."""
    return {
        str(floorplan_code(o["code"], "score")): value(o)
        for o in resources(bundle, "Observation")
        if floorplan_code(o["code"], "score")
    }
