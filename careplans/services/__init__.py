"""Writes for care plans, one module per object they change: ``plans``, ``reviews``,
``library``, ``recipients`` and ``batch``. The plan and review writes are also importable
from here (``from careplans import services``; ``services.careplan_sign``)."""

from careplans.services.plans import (
    DEFAULT_REVIEW_AFTER_WEEKS,
    PlanChangedWhileSigning,
    PlanLocked,
    build_for_assessment,
    careplan_build,
    careplan_item_add,
    careplan_item_move,
    careplan_item_remove,
    careplan_item_restore,
    careplan_item_update,
    careplan_new_version,
    careplan_sign,
    careplan_update_note,
)
from careplans.services.reviews import (
    REVIEW_EARLY_DAYS,
    reviews_close_for_visit,
    reviews_schedule,
    visit_complete,
)

__all__ = [
    "DEFAULT_REVIEW_AFTER_WEEKS",
    "REVIEW_EARLY_DAYS",
    "PlanChangedWhileSigning",
    "PlanLocked",
    "build_for_assessment",
    "careplan_build",
    "careplan_item_add",
    "careplan_item_move",
    "careplan_item_remove",
    "careplan_item_restore",
    "careplan_item_update",
    "careplan_new_version",
    "careplan_sign",
    "careplan_update_note",
    "reviews_close_for_visit",
    "reviews_schedule",
    "visit_complete",
]
