"""A My Flow Check diary (its CSV and FHIR exports) into the review queue (issue 11, item 5).

The samples in data/my_flow_check/ are one synthetic 3-day diary written three ways: the
app's CSV export, its FHIR export (times in UTC, as the app writes them, both stating the
patient's zone, Europe/London) and the same diary as a diary-v1 CSV on the patient's clock
(the clocks go forward on its second night).
"""

import html
import json
from datetime import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.diary import DiaryError, diary_metrics, parse_diary_csv
from assessments.models import HomeDiaryEntry, HomeTasks
from assessments.my_flow_check import MyFlowCheckDiary, parse_my_flow_check, zone_sentence
from assessments.services.home import home_diary_events
from clinic.models import AccessLog, AuditAction

DATA = Path(__file__).parent / "data" / "my_flow_check"
CSV_SAMPLE = DATA / "my-flow-check-2026-03-28.csv"
FHIR_SAMPLE = DATA / "my-flow-check-2026-03-28.fhir.json"
EQUIVALENT = DATA / "diary-v1-equivalent.csv"
LONDON = "Europe/London"

# The rows given to mfc_csv start on line 8 of its file.
EVENTS_HEADER = (
    "## EVENTS\n"
    "type,timestamp,dayNumber,volumeMl,doubleVoidMl,drinkType,sensation,"
    "isFirstMorningVoid,leak,note,trigger,urgencyBeforeLeak,amount\n"
)


def equivalent():
    return parse_diary_csv(EQUIVALENT.read_text())


def mfc_csv(*rows: str, unit: str = "mL", zone: str | None = LONDON) -> bytes:
    """A CSV export; ``zone=None``: an older one, with no timezone row (one line less)."""
    stated = "" if zone is None else f"timezone,{zone}\n"
    metadata = f"## METADATA\nkey,value\nvolume_unit,{unit}\n{stated}\n"
    return (metadata + EVENTS_HEADER + "\n".join(rows)).encode()


def read(data: bytes, clinic: str = "UTC") -> MyFlowCheckDiary:
    return parse_my_flow_check(data, clinic_time_zone=clinic)


def events_of(data: bytes, clinic: str = "UTC"):
    return read(data, clinic).events


def bundle(*resources: dict) -> bytes:
    entries = [{"fullUrl": f"urn:uuid:{n}", "resource": r} for n, r in enumerate(resources)]
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}).encode()


def observation(code: str, when: str, *, system="http://loinc.org", ml=None, id="obs-1"):
    resource = {
        "resourceType": "Observation",
        "id": id,
        "status": "final",
        "code": {"coding": [{"system": system, "code": code}]},
        "effectiveDateTime": when,
    }
    if ml is not None:
        resource["valueQuantity"] = {"value": ml, "unit": "mL", "code": "mL"}
    return resource


def wall(text: str) -> datetime:
    """A diary time: the wall clock, no time zone."""
    return datetime.fromisoformat(text)


def times(events):
    return [(e.time, e.event, e.volume_ml) for e in events]


# --- The samples -------------------------------------------------------------------------
# Read on a clinic whose zone is UTC: the times are still on the patient's London clock.


@pytest.mark.parametrize("sample", [CSV_SAMPLE, FHIR_SAMPLE])
def test_a_sample_keeps_the_zone_it_states_whatever_the_clinics(sample):
    diary = read(sample.read_bytes(), clinic="UTC")
    assert (diary.time_zone, diary.zone_stated, diary.zone_from_export) == (LONDON, LONDON, True)
    assert zone_sentence(diary) == "times in Europe/London, as the export states"
    assert times(diary.events) == times(equivalent())
    assert times(events_of(sample.read_bytes(), clinic="America/New_York")) == times(equivalent())


def test_the_csv_export_gives_the_metrics_of_the_same_diary_typed_in_clinic():
    events = events_of(CSV_SAMPLE.read_bytes())
    assert diary_metrics(events) == diary_metrics(equivalent())
    assert diary_metrics(events, age=70, weight_kg=60) == diary_metrics(
        equivalent(), age=70, weight_kg=60
    )
    # Event for event: the same local times, kinds, volumes and urgency.
    assert [(e.time, e.event, e.volume_ml, e.urgency) for e in events] == [
        (e.time, e.event, e.volume_ml, e.urgency) for e in equivalent()
    ]


def test_the_fhir_export_gives_the_metrics_of_the_same_diary_typed_in_clinic():
    events = events_of(FHIR_SAMPLE.read_bytes())
    assert diary_metrics(events) == diary_metrics(equivalent())
    assert times(events) == times(equivalent())
    # The FHIR export carries no urgency.
    assert {e.urgency for e in events} == {None}


def test_the_samples_show_their_notes_in_the_clinics_words():
    events = events_of(CSV_SAMPLE.read_bytes())
    notes = {e.time.isoformat(timespec="minutes"): e.note for e in events}
    assert notes["2026-03-28T07:30"] == "coffee"
    assert notes["2026-03-28T12:30"] == (
        "My Flow Check sensation: first awareness; double void: 180 + 40 mL; "
        "went again straight after"
    )
    assert notes["2026-03-29T03:30"] == (
        "My Flow Check sensation: strong desire; woke with a strong urge"
    )
    assert notes["2026-03-28T14:20"] == "sneeze; a small amount"
    fhir = events_of(FHIR_SAMPLE.read_bytes())
    assert {e.note for e in fhir if e.event == "leak"} == {
        "Trigger: sneeze",
        "Trigger: cough | carrying shopping",
    }


# --- Times -------------------------------------------------------------------------------


def test_utc_times_are_put_on_the_patients_clock_across_both_changes_of_the_clocks():
    rows = (
        "wake,2026-03-28T07:00:00.000Z,1,,,,,,,,,,",  # GMT: the same
        "wake,2026-03-29T06:00:00.000Z,2,,,,,,,,,,",  # BST: one hour on
        "void,2026-03-29T00:59:00.000Z,1,100,,,,,,,,,",  # a minute before the change
        "void,2026-03-29T01:00:00.000Z,1,100,,,,,,,,,",  # the change: 01:00 GMT is 02:00 BST
        "bedtime,2026-10-25T00:30:00.000Z,3,,,,,,,,,,",  # 01:30 BST
        "bedtime,2026-10-25T01:30:00.000Z,3,,,,,,,,,,",  # 01:30 GMT, an hour later
    )
    events = events_of(mfc_csv(*rows), clinic="UTC")  # the export states London
    assert [e.time for e in events] == [
        wall("2026-03-28T07:00"),
        wall("2026-03-29T00:59"),
        wall("2026-03-29T02:00"),
        wall("2026-03-29T07:00"),
        wall("2026-10-25T01:30"),
        wall("2026-10-25T01:30"),
    ]
    assert [e.event for e in events] == ["rise", "void", "void", "rise", "bed", "bed"]
    # Stating UTC, or stating nothing on a clinic in UTC: the UTC clock.
    assert events_of(mfc_csv(*rows, zone="UTC"), clinic=LONDON)[3].time == wall("2026-03-29T06:00")
    assert events_of(mfc_csv(*rows, zone=None), clinic="UTC")[3].time == wall("2026-03-29T06:00")


def test_a_file_naming_no_zone_is_put_on_the_clinics_clock():
    data = mfc_csv("wake,2026-07-01T11:00:00.000Z,1,,,,,,,,,,", zone=None)
    diary = read(data, clinic="America/New_York")
    assert [e.time for e in diary.events] == [wall("2026-07-01T07:00")]
    assert (diary.time_zone, diary.zone_stated, diary.zone_from_export) == (
        "America/New_York",
        "",
        False,
    )
    assert zone_sentence(diary) == (
        "times in the clinic's zone (America/New_York): the export names none"
    )


@pytest.mark.parametrize("stated", ["Mars/Olympus_Mons", "../../etc/passwd", "Europe", "+01:00"])
def test_a_zone_that_is_not_one_falls_back_to_the_clinics_and_says_so(stated):
    data = mfc_csv("wake,2026-07-01T11:00:00.000Z,1,,,,,,,,,,", zone=stated)
    diary = read(data, clinic="America/New_York")
    assert [e.time for e in diary.events] == [wall("2026-07-01T07:00")]
    assert (diary.time_zone, diary.zone_stated, diary.zone_from_export) == (
        "America/New_York",
        stated,
        False,
    )
    assert zone_sentence(diary) == (
        f"times in the clinic's zone (America/New_York): the export names '{stated}', "
        "which is not a time zone"
    )


def fhir_zone(zone: str) -> dict:
    return {
        "resourceType": "QuestionnaireResponse",
        "id": "qr-1",
        "item": [{"linkId": "qr-diary-timezone", "answer": [{"valueString": zone}]}],
    }


def test_the_fhir_times_are_put_on_the_clock_of_the_zone_it_states():
    data = bundle(
        observation("9187-6", "2026-03-28T23:30:00.000Z", ml=200),
        observation("9187-6", "2026-03-29T12:00:00+02:00", ml=200, id="obs-2"),
        fhir_zone("Asia/Singapore"),
    )
    diary = read(data, clinic=LONDON)
    assert [e.time for e in diary.events] == [wall("2026-03-29T07:30"), wall("2026-03-29T18:00")]
    assert diary.time_zone == "Asia/Singapore" and diary.zone_from_export
    # No zone in the Bundle: the clinic's.
    no_zone = read(bundle(observation("9187-6", "2026-03-29T12:00:00+02:00", ml=200)), LONDON)
    assert [e.time for e in no_zone.events] == [wall("2026-03-29T11:00")]
    assert not no_zone.zone_from_export


def test_a_time_without_its_time_zone_is_named():
    data = mfc_csv("void,2026-03-28T07:00,1,200,,,1,,,,,,")
    with pytest.raises(DiaryError) as caught:
        events_of(data)
    [error] = caught.value.errors
    assert error.line == 8 and error.field == "timestamp"
    assert error.message.startswith("Line 8: timestamp must be a date and time with its time zone")


# --- What each row becomes ----------------------------------------------------------------


def test_wake_and_bedtime_become_rise_and_bed():
    events = events_of(
        mfc_csv(
            "wake,2026-03-02T07:00:00Z,1,,,,,,,,,,", "bedtime,2026-03-02T22:00:00Z,1,,,,,,,,,,"
        ),
    )
    assert [e.event for e in events] == ["rise", "bed"]


def test_a_double_void_stays_one_void_with_both_volumes():
    events = events_of(
        mfc_csv(
            "void,2026-03-02T08:00:00.000Z,1,180,60,,2,false,false,,,,",
            "void,2026-03-02T09:00:00.000Z,1,150,,,1,false,false,,,,",
        ),
    )
    assert [(e.event, e.volume_ml, e.urgency) for e in events] == [
        ("void", 240, 1),
        ("void", 150, 1),
    ]
    assert events[0].note == "My Flow Check sensation: normal desire; double void: 180 + 60 mL"


def one_day(*rows: str) -> dict:
    """The metrics of a day from 07:00 to 22:00 with these rows."""
    events = events_of(
        mfc_csv(
            "wake,2026-03-02T07:00:00Z,1,,,,,,,,,,",
            *rows,
            "bedtime,2026-03-02T22:00:00Z,1,,,,,,,,,,",
        )
    )
    return diary_metrics(events)


def test_the_apps_sensation_is_not_taken_for_urgency():
    events = events_of(
        mfc_csv(*(f"void,2026-03-02T0{n}:00:00Z,1,200,,,{n},false,false,,,," for n in range(5)))
    )
    assert [e.urgency for e in events] == [0, 1, 1, 2, 3]
    assert [e.note for e in events] == [
        "My Flow Check sensation: no sensation",
        "My Flow Check sensation: first awareness",
        "My Flow Check sensation: normal desire",
        "My Flow Check sensation: strong desire",
        "My Flow Check sensation: urgency / leak",
    ]


def test_a_strong_desire_is_not_an_urgency_episode_but_the_apps_urgency_is():
    strong = one_day("void,2026-03-02T12:00:00Z,1,200,,,3,false,false,,,,")
    urgent = one_day("void,2026-03-02T12:00:00Z,1,200,,,4,false,false,,,,")
    assert strong["urgency_episodes_per_day"] == 0.0
    assert urgent["urgency_episodes_per_day"] == 1.0


def test_a_void_with_leakage_is_a_void_and_a_leak():
    [void, leak] = events_of(mfc_csv("void,2026-03-02T08:00:00.000Z,1,200,,,4,false,true,,,,"))
    assert (void.event, void.volume_ml, void.urgency) == ("void", 200, 3)
    assert (leak.event, leak.time, leak.urgency) == ("leak", void.time, None)
    metrics = diary_metrics(
        [
            *events_of(
                mfc_csv(
                    "wake,2026-03-02T07:00:00Z,1,,,,,,,,,,",
                    "void,2026-03-02T08:00:00.000Z,1,200,,,4,false,true,,,,",
                    "bedtime,2026-03-02T22:00:00Z,1,,,,,,,,,,",
                ),
            )
        ]
    )
    assert metrics["incontinence_episodes_per_day"] == 1.0
    assert metrics["urgency_episodes_per_day"] == 1.0  # counted once, not for the leak too


def test_a_leak_with_urgency_before_it_is_urge_incontinence():
    events = events_of(
        mfc_csv(
            "leak,2026-03-02T08:00:00.000Z,1,,,,,,,,toilet_way,true,medium",
            "leak,2026-03-02T09:00:00.000Z,1,,,,,,,,laugh,false,",
            "leak,2026-03-02T10:00:00.000Z,1,,,,,,,,not_sure,,",
        ),
    )
    assert [e.urgency for e in events] == [4, 0, None]
    assert events[0].note == "on the way to the toilet; a medium amount"


def test_volumes_in_fluid_ounces_are_turned_into_millilitres():
    [drink, void] = events_of(
        mfc_csv(
            "void,2026-03-02T08:00:00.000Z,1,10,,,,,,,,,",
            "drink,2026-03-02T07:00:00.000Z,1,8,,water,,,,,,,",
            unit="oz",
        ),
    )
    assert (drink.event, drink.volume_ml, drink.note) == ("drink", 237, "water")
    assert (void.event, void.volume_ml) == ("void", 296)


OLD_EVENTS_HEADER = (
    "## EVENTS\n"
    "type,timestamp,dayNumber,volumeMl,doubleVoidMl,drinkType,sensation,"
    "isFirstMorningVoid,leak,note\n"
)


def test_an_older_export_saying_oz_wrote_millilitres_and_is_read_so():
    # Before it wrote its timezone row, the app wrote the stored mL whatever the unit.
    data = (
        "## METADATA\nkey,value\nvolume_unit,oz\n\n"
        + OLD_EVENTS_HEADER
        + "void,2026-03-02T08:00:00.000Z,1,300,40,,1,false,false,\n"
        + "drink,2026-03-02T07:00:00.000Z,1,250,,water,,,,\n"
    ).encode()
    diary = read(data)
    assert [(e.event, e.volume_ml) for e in diary.events] == [("drink", 250), ("void", 340)]
    assert "double void: 300 + 40 mL" in diary.events[1].note
    assert diary.oz_read_as_ml
    assert not read(
        mfc_csv("drink,2026-03-02T07:00:00.000Z,1,8,,water,,,,,,,", unit="oz")
    ).oz_read_as_ml


def test_the_apps_own_sums_are_not_read():
    data = CSV_SAMPLE.read_bytes().replace(b"total_voids,overall,22", b"total_voids,overall,x")
    assert data != CSV_SAMPLE.read_bytes()
    assert len(events_of(data)) == len(equivalent())


def test_an_empty_wake_or_bed_answer_in_fhir_is_a_time_not_recorded():
    answers = {
        "resourceType": "QuestionnaireResponse",
        "id": "qr-1",
        "item": [
            {"linkId": "qr-diary-startdate", "answer": [{"valueString": "2026-03-02"}]},
            {"linkId": "qr-metric-npi-period1", "text": "Insufficient data", "answer": []},
            {"linkId": "qr-wake-day-1", "answer": [{"valueDateTime": "2026-03-02T07:00:00Z"}]},
            {"linkId": "qr-bedtime-day-1", "text": "No bedtime recorded", "answer": []},
        ],
    }
    events = events_of(bundle({"resourceType": "Patient", "id": "p"}, answers))
    assert [(e.time, e.event) for e in events] == [(wall("2026-03-02T07:00"), "rise")]


# --- What cannot be read is named; nothing is imported -------------------------------------


def test_a_row_with_an_unknown_event_is_named_by_its_line():
    data = mfc_csv(
        "wake,2026-03-02T07:00:00Z,1,,,,,,,,,,",
        "nap,2026-03-02T13:00:00Z,1,,,,,,,,,,",
        "void,2026-03-02T14:00:00Z,1,250,,,1,false,false,,,,",
        "shower,2026-03-02T15:00:00Z,1,,,,,,,,,,",
    )
    with pytest.raises(DiaryError) as caught:
        events_of(data)
    assert [(e.line, e.field) for e in caught.value.errors] == [(9, "type"), (11, "type")]
    assert caught.value.errors[0].message == (
        "Line 9: unknown event type 'nap'; a My Flow Check diary has the types "
        "wake, void, drink, leak and bedtime."
    )


def test_every_bad_value_is_named_with_its_line():
    data = mfc_csv(
        "void,2026-03-02T08:00:00Z,1,2500,,,1,false,false,,,,",
        "void,2026-03-02T09:00:00Z,1,200,,,7,false,false,,,,",
        "void,2026-03-02T10:00:00Z,1,200,,,1,false,maybe,,,,",
        "drink,2026-03-02T11:00:00Z,1,lots,,water,,,,,,,",
    )
    with pytest.raises(DiaryError) as caught:
        events_of(data)
    assert [(e.line, e.field) for e in caught.value.errors] == [
        (8, "volumeMl"),
        (9, "sensation"),
        (10, "leak"),
        (11, "volumeMl"),
    ]


def test_an_observation_it_cannot_read_is_named_by_its_entry_and_id():
    data = bundle(
        {"resourceType": "Patient", "id": "patient-1"},
        observation("9187-6", "2026-03-02T08:00:00Z", ml=200, id="void-1"),
        observation("8867-4", "2026-03-02T08:05:00Z", id="heart-rate-1"),
        {"resourceType": "Device", "id": "phone"},
    )
    with pytest.raises(DiaryError) as caught:
        events_of(data)
    assert [(e.line, e.field) for e in caught.value.errors] == [(3, "code"), (4, "resourceType")]
    assert caught.value.errors[0].message.startswith("Entry 3 (id heart-rate-1): an Observation")
    assert caught.value.errors[1].message.startswith("Entry 4 (id phone): a Device resource")


def test_a_volume_that_is_not_in_millilitres_is_named():
    leak = observation("162172004", "2026-03-02T08:00:00Z", system="http://snomed.info/sct")
    void = observation("9187-6", "2026-03-02T09:00:00Z", id="void-2")
    void["valueQuantity"] = {"value": 0.3, "unit": "L", "code": "L"}
    with pytest.raises(DiaryError) as caught:
        events_of(bundle(leak, void))
    [error] = caught.value.errors
    assert error.message.startswith("Entry 2 (id void-2): valueQuantity must be a volume in mL")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"## METADATA\nkey,value\nvolume_unit,mL\n", "Line 1: the file has no “## EVENTS” table."),
        (mfc_csv(), "The file has no diary entries."),
        (b"time,event,volume_ml,urgency,note\n", "Line 1: this is not a My Flow Check export"),
        (b'{"resourceType": "Patient"}', "The file is JSON but not a FHIR Bundle"),
        (b"{not json", "The file is not valid JSON."),
        (bundle(), "The file has no diary entries."),
        (b"\xff\xfe", "The file is not UTF-8 text"),
    ],
)
def test_a_file_that_is_not_a_my_flow_check_export_says_so(data, message):
    with pytest.raises(DiaryError) as caught:
        events_of(data)
    assert caught.value.errors[0].message.startswith(message)


# --- The page ----------------------------------------------------------------------------


def page(patient):
    return reverse("home_import_my_flow_check", args=[patient.pk])


def upload(client, patient, path_or_bytes, name="export.csv"):
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    return client.post(page(patient), {"file": SimpleUploadedFile(name, data)})


def test_the_page_explains_what_to_upload(therapist_client, patient):
    response = therapist_client.get(page(patient))
    assert response.status_code == 200
    assert "CSV or FHIR export" in response.content.decode()
    assert AccessLog.objects.filter(patient=patient, action=AuditAction.VIEW).exists()


def test_the_patient_page_links_to_it(therapist_client, patient):
    response = therapist_client.get(reverse("patient_detail", args=[patient.pk]))
    assert page(patient) in response.content.decode()
    assert "Import a My Flow Check diary" in response.content.decode()


@pytest.mark.parametrize("sample", [CSV_SAMPLE, FHIR_SAMPLE])
def test_an_export_lands_in_the_review_queue(
    therapist_client, therapist, patient, settings, sample
):
    settings.TIME_ZONE = "UTC"  # the server's; the export says Europe/London
    response = upload(therapist_client, patient, sample, name=sample.name)
    assert response.status_code == 302
    assert response["Location"] == reverse("patient_detail", args=[patient.pk])
    [tasks] = HomeTasks.objects.to_review()
    assert (tasks.patient, tasks.source, tasks.created_by) == (
        patient,
        HomeTasks.Source.MY_FLOW_CHECK,
        therapist,
    )
    assert tasks.accepted_at is None
    # Read back from the queue, the diary is on the patient's London clock, with the
    # numbers of the same diary typed in clinic.
    queued = home_diary_events(tasks)
    assert times(queued) == times(equivalent())
    assert diary_metrics(queued) == diary_metrics(equivalent())
    shown = therapist_client.get(response["Location"]).content.decode()
    assert (
        "Imported: 41 entries over 3 days (times in Europe/London, as the export states), "
        "waiting for review."
    ) in html.unescape(shown)


def test_an_export_naming_no_zone_is_read_on_the_clinics_clock(therapist_client, patient, settings):
    settings.TIME_ZONE = "America/New_York"
    data = (
        "## METADATA\nkey,value\nvolume_unit,oz\n\n"
        + OLD_EVENTS_HEADER
        + "wake,2026-07-01T11:00:00.000Z,1,,,,,,,\n"
        + "void,2026-07-01T12:00:00.000Z,1,300,,,1,false,false,\n"
    ).encode()
    response = upload(therapist_client, patient, data)
    assert response.status_code == 302
    [tasks] = HomeTasks.objects.to_review()
    assert [(e.time, e.volume_ml) for e in home_diary_events(tasks)] == [
        (wall("2026-07-01T07:00"), None),
        (wall("2026-07-01T08:00"), 300),
    ]
    shown = html.unescape(therapist_client.get(response["Location"]).content.decode())
    assert "times in the clinic's zone (America/New_York): the export names none" in shown
    assert "Volumes read as millilitres" in shown
    assert AccessLog.objects.filter(patient=patient, action=AuditAction.IMPORT).exists()


def test_a_bad_file_names_its_rows_and_saves_nothing(therapist_client, patient):
    data = mfc_csv(
        "wake,2026-03-02T07:00:00Z,1,,,,,,,,,,",
        "nap,2026-03-02T13:00:00Z,1,,,,,,,,,,",
    )
    response = upload(therapist_client, patient, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "The diary was not imported; nothing was saved." in content
    assert "Line 9: unknown event type &#x27;nap&#x27;" in content
    assert not HomeTasks.objects.exists()
    assert not HomeDiaryEntry.objects.exists()


def test_a_file_over_the_upload_limit_is_refused(therapist_client, patient, settings):
    settings.UPLOAD_MAX_BYTES = 500
    response = upload(therapist_client, patient, CSV_SAMPLE)
    assert response.status_code == 200
    assert "The file is too large" in response.content.decode()
    assert not HomeTasks.objects.exists()


def test_another_clinics_user_gets_a_404_and_saves_nothing(outsider_client, patient):
    assert outsider_client.get(page(patient)).status_code == 404
    assert upload(outsider_client, patient, CSV_SAMPLE).status_code == 404
    assert not HomeTasks.objects.exists()
