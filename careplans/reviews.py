"""When a signed plan's reviews fall due. Pure Python: no Django imports.

Sources (clinical reference, section 7): NICE NG210, at least one review during a pelvic
floor muscle training programme and one at its end; NICE NG123, bladder training
reviewed after 6 weeks, and a review 4 weeks after starting a new OAB medication.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

PFMT_MID = "pfmt_mid"
PFMT_END = "pfmt_end"
BLADDER_TRAINING = "bladder_training"
OAB_MEDICATION = "oab_medication"
PLANNED = "planned"

BLADDER_TRAINING_REVIEW_WEEKS = 6  # NICE NG123
OAB_MEDICATION_REVIEW_WEEKS = 4  # NICE NG123; AUA/SUFU OAB 2024
PFMT_DEFAULT_WEEKS = 12  # NICE NG123: at least 3 months


def week_end(today: date) -> date:
    """The Sunday ending the week: "due this week" on the dashboard and in batch printing."""
    return today + timedelta(days=6 - today.weekday())


@dataclass(frozen=True)
class DueReview:
    reason: str
    due_on: date


def reviews_for_plan(
    items: Iterable[Mapping[str, Any]], *, signed_on: date, planned_on: date | None
) -> list[DueReview]:
    """The reviews a plan's phase-1 items call for, one per reason, by date."""
    due: dict[str, date] = {}
    for item in items:
        if item.get("phase") != 1:
            continue  # phase-2 items start at a review; they schedule nothing yet
        code, dosing = item.get("code"), item.get("dosing") or {}
        if code == "strengthening.pfmt":
            weeks = int(dosing.get("weeks") or PFMT_DEFAULT_WEEKS)
            # NICE NG210: one review during the programme and one at its end.
            due[PFMT_MID] = signed_on + timedelta(weeks=max(weeks // 2, 1))
            due[PFMT_END] = signed_on + timedelta(weeks=weeks)
        elif code == "bladder_training.schedule":
            due[BLADDER_TRAINING] = signed_on + timedelta(weeks=BLADDER_TRAINING_REVIEW_WEEKS)
        elif code == "medical_referral.oab_medication":
            # Counted from signing: the start of the medication is not known here.
            due[OAB_MEDICATION] = signed_on + timedelta(weeks=OAB_MEDICATION_REVIEW_WEEKS)
    if planned_on is not None and planned_on not in due.values():
        due[PLANNED] = planned_on  # the date the therapist set on the plan
    return sorted((DueReview(r, d) for r, d in due.items()), key=lambda r: (r.due_on, r.reason))
