"""A signed plan never changes: a write that raced the signing is refused, because every
write re-reads the plan under a lock inside its own transaction."""

import hashlib
from datetime import date

import pytest

from careplans import services
from careplans.models import CarePlan
from tests.factories import InterventionFactory


@pytest.fixture
def stale(plan, therapist):
    """A copy of the draft read before someone else signed it (as an edit view holds)."""
    stale_copy = CarePlan.objects.get(pk=plan.pk)
    services.careplan_sign(plan=plan, user=therapist)
    return stale_copy


def stored_pdf_matches(plan: CarePlan) -> bool:
    plan.refresh_from_db()
    with plan.pdf.open("rb") as file:
        return hashlib.sha256(file.read()).hexdigest() == plan.pdf_sha256


def test_removing_an_item_after_the_signing_is_refused(stale):
    item = stale.items.exclude(code__startswith="relaxation").first()
    item.plan = stale  # the copy read before the signing still says "draft"
    with pytest.raises(services.PlanLocked):
        services.careplan_item_remove(item=item)
    item.refresh_from_db()
    assert not item.removed
    assert stored_pdf_matches(stale)


def test_editing_the_note_after_the_signing_is_refused(stale):
    with pytest.raises(services.PlanLocked):
        services.careplan_update_note(
            plan=stale, personal_note="changed later", next_review_on=date(2027, 1, 1)
        )
    stale.refresh_from_db()
    assert stale.personal_note == ""


def test_adding_moving_and_changing_items_after_the_signing_are_refused(stale, clinic):
    item = stale.items.first()
    item.plan = stale
    intervention = InterventionFactory(clinic=clinic, code="lifestyle.walking")
    count = stale.items.count()
    for write in (
        lambda: services.careplan_item_add(
            plan=stale, intervention=intervention, phase=1, rationale=""
        ),
        lambda: services.careplan_item_move(item=item, up=False),
        lambda: services.careplan_item_update(item=item, phase=2, dosing={}),
        lambda: services.careplan_sign(plan=stale, user=stale.created_by),
    ):
        with pytest.raises(services.PlanLocked):
            write()
    assert stale.items.count() == count
    assert stored_pdf_matches(stale)
