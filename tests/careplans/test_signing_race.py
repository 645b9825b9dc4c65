"""Issue 10, integrity under a real race (PostgreSQL, as CI runs it): while one thread
signs a plan, others remove, restore, add and change items and edit the note through the
services. Whatever interleaving happens, the stored PDF lists exactly the items and the
note the signed plan holds. Twenty rounds, each with its own timing."""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection

from careplans import services
from careplans.models import CarePlan, CarePlanItem
from tests.careplans.signing import (
    NOTE_MARK,
    active_marks,
    mark,
    mark_items,
    pdf_text,
    printed_marks,
)
from tests.factories import InterventionFactory

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason=(
            "needs PostgreSQL: SQLite lets one writer in at a time, so nothing races; "
            "CI runs the suite again with DATABASE_URL on PostgreSQL"
        ),
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 20
EDITS_PER_EDITOR = 6


def in_thread(work: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    return threading.Thread(target=run)


def pause(rng: random.Random) -> None:
    time.sleep(rng.uniform(0, 0.25))


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_the_stored_pdf_matches_the_signed_rows(plan, therapist, clinic, round_):
    mark_items(plan)
    extras = [
        InterventionFactory(clinic=clinic, code=f"education.race_{n}", title=mark(900 + n))
        for n in range(EDITS_PER_EDITOR)
    ]
    item_ids = list(plan.items.values_list("pk", flat=True))
    rng = random.Random(round_)
    start = threading.Barrier(4)
    signed = threading.Event()
    errors: list[BaseException] = []

    def edits(edit: Callable[[int], None], seed: int) -> Callable[[], None]:
        own = random.Random(seed)

        def run() -> None:
            start.wait()
            for n in range(EDITS_PER_EDITOR):
                pause(own)
                try:
                    edit(n)
                except services.PlanLocked:
                    assert signed.is_set() or CarePlan.objects.get(pk=plan.pk).is_signed
                    return

        return run

    def toggle(n: int) -> None:
        item = CarePlanItem.objects.get(pk=rng.choice(item_ids))
        if item.removed:
            services.careplan_item_restore(item=item)
        else:
            services.careplan_item_remove(item=item, reason="race")

    def add_and_note(n: int) -> None:
        current = CarePlan.objects.get(pk=plan.pk)
        if n % 2:
            services.careplan_item_add(
                plan=current, intervention=extras[n], phase=1, rationale="race"
            )
        else:
            services.careplan_update_note(
                plan=current, personal_note=f"Note{n:03d}x", next_review_on=None
            )

    def move_and_phase(n: int) -> None:
        item = CarePlanItem.objects.get(pk=rng.choice(item_ids))
        if n % 2:
            services.careplan_item_move(item=item, up=bool(n % 3))
        else:
            services.careplan_item_update(item=item, phase=2, dosing=item.dosing, reason="")

    def sign() -> None:
        start.wait()
        time.sleep(rng.uniform(0, 0.3))
        current = CarePlan.objects.get(pk=plan.pk)
        try:
            services.careplan_sign(plan=current, user=therapist, reason="race")
        except services.PlanChangedWhileSigning:
            return  # refused: signed again below, once the edits are over
        signed.set()

    threads = [
        in_thread(edits(toggle, round_ * 3), errors),
        in_thread(edits(add_and_note, round_ * 3 + 1), errors),
        in_thread(edits(move_and_phase, round_ * 3 + 2), errors),
        in_thread(sign, errors),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    plan.refresh_from_db()
    if not plan.is_signed:
        plan = services.careplan_sign(plan=plan, user=therapist, reason="race")
    assert printed_marks(plan) == active_marks(plan)
    text = pdf_text(plan)
    assert NOTE_MARK.findall(text) == NOTE_MARK.findall(plan.personal_note)
    with plan.pdf.open("rb") as file:
        assert hashlib.sha256(file.read()).hexdigest() == plan.pdf_sha256
