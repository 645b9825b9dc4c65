"""From a completed intake to a signed, printed plan, in a real browser."""

import hashlib

import pytest

from careplans.models import CarePlan, PlanStatus
from tests.conftest import load_next_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_build_edit_sign_and_download_a_plan(page, complete_assessment, library):
    log_in(page, "tess")
    page.goto(f"/assessments/{complete_assessment.pk}/")
    page.get_by_role("button", name="Build plan").click()
    page.wait_for_url("**/plans/*/")
    plan = CarePlan.objects.get()

    # Remove a safety item: the reason is required and kept.
    breathing = page.locator(
        f"#item-{plan.items.get(code='relaxation.diaphragmatic_breathing').pk}"
    )
    breathing.get_by_placeholder("Reason (required)").fill("Does this daily in her yoga class")
    breathing.get_by_role("button", name="Remove").click()
    # The item is removed in place (static/floorplan/plan_edit.js).
    breathing.get_by_text("Removed: Does this daily in her yoga class").wait_for()

    # Change a dose.
    pfmt = plan.items.get(code="strengthening.pfmt")
    row = page.locator(f"#item-{pfmt.pk}")
    row.get_by_label("Hold (seconds)").fill("5")
    row.get_by_role("button", name="Save").click()
    row.get_by_text("Hold 5 seconds").wait_for()
    pfmt.refresh_from_db()
    assert pfmt.dosing["hold_s"] == 5

    page.get_by_label("Personal note to the patient").fill("Small steps, every day.")
    load_next_page(page, page.get_by_role("button", name="Save note"))

    # Without breathing the plan breaks safety rule 3: signing asks why, and keeps it.
    assert page.locator("#safety-check").is_visible()
    load_next_page(page, page.get_by_role("button", name="Sign despite the warnings"))
    assert page.get_by_text("say why you sign it as it is").is_visible()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    page.get_by_label("Why sign it despite the safety warnings?").fill(
        "Breathing is part of her yoga practice every day"
    )
    load_next_page(page, page.get_by_role("button", name="Sign despite the warnings"))
    assert page.get_by_text("A signed plan never changes.").is_visible()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED
    assert plan.signing_reason == "Breathing is part of her yoga practice every day"

    link = page.get_by_role("link", name="Print the patient's plan")
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(response.body()).hexdigest() == plan.pdf_sha256

    load_next_page(page, page.get_by_role("button", name="Change it (new version)"))
    assert page.get_by_role("button", name="Sign despite the warnings").is_visible()
    assert CarePlan.objects.filter(version=2, supersedes=plan).exists()
    assert page.console_errors == []
