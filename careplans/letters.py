"""Which referral letters a plan calls for, and to whom (clinical reference, section 9).

Pure Python, no Django imports. A letter exists only for a referral that is due now: the
red-flag tier's recipient, and every phase-1 referral item's -- or when the therapist
asks for one. In-clinic treatments are never the reason for a letter to a doctor.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assessments.red_flags import EMERGENCY, TIERS

EMERGENCY_DEPARTMENT = "emergency_department"
GP = "gp"
RECIPIENT_KINDS: tuple[str, ...] = (
    EMERGENCY_DEPARTMENT,
    GP,
    "urology",
    "urogynaecology",
    "gynaecology",
    "colorectal",
    "pain_service",
    "psychology",
)
REFERRAL_CATEGORIES = ("urgent_referral", "medical_referral", "specialist_referral")
# Section 4: in-clinic items, never the reason on a letter to a doctor.
IN_CLINIC = frozenset({"specialist_referral.manual_therapy", "specialist_referral.complex_bodies"})


def tier_recipient(tier: str | None) -> str | None:
    """Section 3 rule 1: emergency -> the emergency department; urgent and soon -> the GP."""
    if tier is None:
        return None
    return EMERGENCY_DEPARTMENT if tier == EMERGENCY else GP


def _pelvic_specialist(anatomy: str) -> str:
    return "urogynaecology" if anatomy == "vulva" else "urology"


def item_recipient(code: str, category: str, anatomy: str) -> str | None:
    """Who a referral item's letter goes to; None for what is not a letter."""
    if category == "urgent_referral" or code in IN_CLINIC:
        return None
    if category == "medical_referral":
        return GP
    if category != "specialist_referral":
        return None
    if code == "specialist_referral.post_prostatectomy":
        return "urology"
    if code == "specialist_referral.prolapse":
        # A bulge at the back passage is a rectal prolapse: colorectal surgery.
        return "urogynaecology" if anatomy == "vulva" else "colorectal"
    if code in (
        "specialist_referral.specialist_assessment",
        "specialist_referral.sui_procedures",
        "specialist_referral.refractory_oab",
    ):
        return _pelvic_specialist(anatomy)
    return None


@dataclass(frozen=True)
class LetterItem:
    code: str
    category: str
    phase: int
    removed: bool = False


def due_letters(
    *, referral_urgency: str | None, items: Iterable[LetterItem], anatomy: str
) -> list[str]:
    """The recipients of the letters due now, most urgent first: the red-flag tier's
    recipient, then each phase-1 referral item's recipient in the plan's order."""
    due: list[str] = []
    if referral_urgency in TIERS:
        due.append(tier_recipient(referral_urgency) or GP)
    for item in items:
        if item.removed or item.phase != 1:
            continue
        kind = item_recipient(item.code, item.category, anatomy)
        if kind is not None and kind not in due:
            due.append(kind)
    return due


def items_for(kind: str, items: Sequence[LetterItem], anatomy: str) -> list[LetterItem]:
    """The referral items a letter to this recipient asks about (phase 1 first)."""
    chosen = [
        item
        for item in items
        if not item.removed and item_recipient(item.code, item.category, anatomy) == kind
    ]
    return sorted(chosen, key=lambda item: item.phase)
