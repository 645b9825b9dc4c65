"""Editing a draft plan in a real browser: a save, a move and a removal happen in place,
with no page load and no jump, and the page fits a 390 px phone."""

import pytest

from careplans.models import Intervention, InterventionText, WordingStatus
from careplans.rules import BREATHING, PFMT
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def instant_scrolling(page):
    """These tests read where things are on the screen straight after a change. Bootstrap
    scrolls smoothly unless the user asks for reduced motion, and a scroll still moving
    (Playwright's own, before a click or a fill) made a position read early (CI, 37bb917)."""
    page.emulate_media(reduced_motion="reduce")


def scroll_y(page) -> float:
    return page.evaluate("window.scrollY")


def test_saving_a_dose_low_on_the_page_keeps_the_page_and_its_place(page, plan):
    assert plan.items.count() >= 8
    pfmt = plan.items.get(code=PFMT)
    log_in(page, "tess")
    page.goto(f"/plans/{plan.pk}/")
    item = page.locator(f"#item-{pfmt.pk}")
    item.get_by_label("Hold (seconds)").scroll_into_view_if_needed()
    # The item sits low on the screen, the page well scrolled. An instant scroll: a wheel
    # (smooth under Bootstrap) may still be moving when the position is read.
    page.evaluate("window.scrollTo({top: window.scrollY + 150, behavior: 'instant'})")
    assert scroll_y(page) > 400
    page.evaluate("window.__marker = 1")
    before = scroll_y(page)

    item.get_by_label("Hold (seconds)").fill("6")
    item.get_by_role("button", name="Save").click()
    item.get_by_text("Hold 6 seconds").wait_for()

    assert page.evaluate("window.__marker") == 1  # no page load
    assert abs(scroll_y(page) - before) <= 3  # no jump
    description = item.locator("[data-description]").inner_text()
    assert "8 × 6 s" in description and "8 × 4 s" not in description
    # What happened is written beside the item, and read out.
    assert item.locator("[data-status-slot]").inner_text().startswith("Saved:")
    assert page.locator("#plan-live").text_content().startswith("Saved:")
    # Focus stays on the item's Save button.
    assert page.evaluate("document.activeElement.dataset.focus") == "save"
    pfmt.refresh_from_db()
    assert pfmt.dosing["hold_s"] == 6

    # A refused dose stays in its field, named, and nothing else on the page changes.
    item.get_by_label("Hold (seconds)").evaluate("field => field.removeAttribute('min')")
    item.get_by_label("Hold (seconds)").fill("-2")
    item.get_by_role("button", name="Save").click()
    item.locator(".is-invalid").wait_for()
    assert item.get_by_label("Hold (seconds)").input_value() == "-2"
    assert page.evaluate("window.__marker") == 1
    assert page.evaluate("document.activeElement.name").endswith("dosing_hold_s")

    # Moving the item keeps it in its place on the screen, and an edit not saved yet in
    # another item stays as typed.
    minutes = page.locator(f"#item-{plan.items.get(code=BREATHING).pk}").get_by_label("Minutes")
    minutes.fill("7")
    move_up = item.get_by_role("button", name="Move up")
    move_up.scroll_into_view_if_needed()
    top = item.evaluate("element => element.getBoundingClientRect().top")
    move_up.click()
    moved = page.locator(f"#item-{pfmt.pk}")
    moved.locator("[data-status-slot]", has_text="Moved up").wait_for()
    assert abs(moved.evaluate("element => element.getBoundingClientRect().top") - top) <= 3
    assert minutes.input_value() == "7"
    assert page.evaluate("window.__marker") == 1
    assert page.console_errors == []


def test_removing_a_safety_item_updates_the_safety_check_in_place(page, plan):
    breathing = plan.items.get(code=BREATHING)
    log_in(page, "tess")
    page.goto(f"/plans/{plan.pk}/")
    page.evaluate("window.__marker = 1")
    assert not page.locator("#safety-check").is_visible()
    item = page.locator(f"#item-{breathing.pk}")
    item.get_by_placeholder("Reason (required)").fill("Does this daily in her yoga class")
    item.get_by_role("button", name="Remove").click()
    item.get_by_text("Removed: Does this daily in her yoga class").wait_for()
    assert page.locator("#safety-check").is_visible()
    assert page.get_by_role("button", name="Sign despite the warnings").is_visible()
    item.get_by_role("button", name="Restore").click()
    item.get_by_role("button", name="Remove").wait_for()
    assert page.evaluate("window.__marker") == 1
    assert page.console_errors == []


def test_the_draft_plan_fits_a_phone(page, plan):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "tess")
    page.goto(f"/plans/{plan.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    breathing = page.locator(f"#item-{plan.items.get(code=BREATHING).pk}")
    for control in (
        breathing.get_by_placeholder("Reason (required)"),
        breathing.get_by_role("button", name="Remove"),
        breathing.get_by_role("button", name="Save"),
        breathing.get_by_role("button", name="Move up"),
    ):
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert box["height"] >= 44
    # Every button and field of the items is a touch target of at least 44 px.
    small = page.evaluate(
        """() => [...document.querySelectorAll(
                '#plan-items button, #plan-items input:not([type=hidden]), #plan-items select,'
                + ' #plan-items summary')]
            .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44)
            .map(e => e.outerHTML.slice(0, 80))"""
    )
    assert small == []


def test_what_is_typed_in_the_add_and_sign_forms_survives_an_item_save(page, plan):
    breathing = plan.items.get(code=BREATHING)
    pfmt = plan.items.get(code=PFMT)
    log_in(page, "tess")
    page.goto(f"/plans/{plan.pk}/")
    page.evaluate("window.__marker = 1")
    # A removed safety item: the sign form asks why it is signed despite the warnings.
    item = page.locator(f"#item-{breathing.pk}")
    item.get_by_placeholder("Reason (required)").fill("Does this daily in her yoga class")
    item.get_by_role("button", name="Remove").click()
    item.get_by_text("Removed: Does this daily in her yoga class").wait_for()

    adding = page.locator("#plan-add")
    entry = (
        Intervention.objects.filter(clinic=plan.patient.clinic)
        .exclude(code__in=plan.items.values_list("code", flat=True))
        .first()
    )
    adding.get_by_label("Add from the library").select_option(value=str(entry.pk))
    adding.get_by_label("Why").fill("Drinks six coffees a day")
    reason = page.get_by_label("Why sign it despite the safety warnings?")
    reason.fill("She has breathing work in her yoga class")

    saved = page.locator(f"#item-{pfmt.pk}")
    saved.get_by_label("Hold (seconds)").fill("6")
    saved.get_by_role("button", name="Save").click()
    saved.locator("[data-status-slot]", has_text="Saved:").wait_for()

    assert adding.get_by_label("Why").input_value() == "Drinks six coffees a day"
    chosen = adding.get_by_label("Add from the library")
    assert chosen.input_value() == str(entry.pk)
    assert reason.input_value() == "She has breathing work in her yoga class"

    # The item added, its form comes back empty; the sign reason stays as typed.
    adding.get_by_role("button", name="Add").click()
    adding.locator("[data-status-slot]", has_text="Added:").wait_for()
    assert adding.get_by_label("Why").input_value() == ""
    assert reason.input_value() == "She has breathing work in her yoga class"
    assert page.evaluate("window.__marker") == 1
    assert page.console_errors == []


@pytest.fixture
def spanish_plan(plan_from_intake, clinic):
    """A plan printed in Spanish for a Spanish reader: every Spanish text reviewed but the
    caffeine advice's, only drafted."""
    clinic.printed_languages = ["en", "es"]
    clinic.save()
    plan = plan_from_intake("tense-and-weak", preferred_language="es")
    InterventionText.objects.filter(intervention__clinic=clinic).exclude(
        intervention__code="lifestyle.caffeine"
    ).update(status=WordingStatus.REVIEWED)
    return plan


def test_an_added_item_from_a_drafted_translation_is_named_before_signing(page, spanish_plan):
    log_in(page, "tess")
    page.goto(f"/plans/{spanish_plan.pk}/")
    page.evaluate("window.__marker = 1")
    assert page.locator("#drafted-notice").count() == 0
    adding = page.locator("#plan-add")
    caffeine = Intervention.objects.get(
        clinic=spanish_plan.patient.clinic, code="lifestyle.caffeine"
    )
    adding.get_by_label("Add from the library").select_option(value=str(caffeine.pk))
    adding.get_by_role("button", name="Add").click()
    adding.locator("[data-status-slot]", has_text="Added:").wait_for()
    notice = page.locator("#drafted-notice")
    assert notice.is_visible()
    assert "print from a drafted Spanish translation" in notice.inner_text()
    assert "Reduzca la cafeína" in notice.inner_text()
    assert page.evaluate("window.__marker") == 1
    assert page.console_errors == []


def test_a_late_answer_to_a_move_does_not_bring_back_an_older_dose(page, plan):
    """The page sends its edits one at a time: a save made while a move is unanswered waits
    for the move's answer (the whole list), so the list never covers the saved dose."""
    pfmt = plan.items.get(code=PFMT)
    breathing = plan.items.get(code=BREATHING)
    assert pfmt.dosing["contractions"] == 8
    log_in(page, "tess")
    page.goto(f"/plans/{plan.pk}/")
    page.evaluate("window.__marker = 1")

    # The server moves the item at once; its answer reaches the page only when let go.
    held = []
    page.route("**/move/", lambda route: held.append((route, route.fetch())))
    page.locator(f"#item-{breathing.pk}").get_by_role("button", name="Move up").click()
    while not held:
        page.wait_for_timeout(50)

    item = page.locator(f"#item-{pfmt.pk}")
    item.locator("[name$='-dosing_contractions']").fill("11")
    item.get_by_role("button", name="Save").click()
    page.wait_for_timeout(1000)  # time enough for a save sent at once to come back
    # The save waits its turn: its item shows it is busy, its Save cannot be pressed twice.
    assert item.get_attribute("aria-busy") == "true"
    assert item.get_by_role("button", name="Save").is_disabled()

    route, response = held[0]
    route.fulfill(response=response)
    page.locator(f"#item-{breathing.pk}").locator(
        "[data-status-slot]", has_text="Moved up"
    ).wait_for()
    page.wait_for_function("() => !document.querySelector('[aria-busy]')")
    assert item.locator("[name$='-dosing_contractions']").input_value() == "11"
    assert "11 squeezes" in item.locator("[data-dose]").inner_text()
    assert item.locator("[data-status-slot]").inner_text().startswith("Saved:")
    pfmt.refresh_from_db()
    assert pfmt.dosing["contractions"] == 11

    # A later save of the item's phase alone keeps the new dose.
    assert pfmt.phase == 2  # it waits for a reason: starting it now needs one
    item.get_by_label("Phase").select_option(value="1")
    item.get_by_label("Why start it now?").fill("Penetration is comfortable now")
    item.get_by_role("button", name="Save").click()
    page.wait_for_function(
        f"() => document.querySelector('#item-{pfmt.pk} [data-status-slot]').textContent"
        ".startsWith('Saved:') && !document.querySelector('[aria-busy]')"
    )
    pfmt.refresh_from_db()
    assert pfmt.phase == 1
    assert pfmt.dosing["contractions"] == 11
    assert page.evaluate("window.__marker") == 1
    assert page.console_errors == []


def test_moving_an_item_keeps_what_was_typed_in_it(page, plan):
    pfmt = plan.items.get(code=PFMT)
    assert pfmt.dosing["hold_s"] == 4
    log_in(page, "tess")
    page.goto(f"/plans/{plan.pk}/")
    item = page.locator(f"#item-{pfmt.pk}")
    item.get_by_label("Hold (seconds)").fill("6")
    item.get_by_role("button", name="Move up").click()
    item.locator("[data-status-slot]", has_text="Moved up").wait_for()
    assert item.get_by_label("Hold (seconds)").input_value() == "6"
    # Still not saved, and saved with the next Save.
    pfmt.refresh_from_db()
    assert pfmt.dosing["hold_s"] == 4
    item.get_by_role("button", name="Save").click()
    item.get_by_text("Hold 6 seconds").wait_for()
    pfmt.refresh_from_db()
    assert pfmt.dosing["hold_s"] == 6
    assert page.console_errors == []


def test_a_save_that_cannot_be_sent_keeps_the_typed_dose_and_the_focus(page, plan):
    pfmt = plan.items.get(code=PFMT)
    log_in(page, "tess")
    page.goto(f"/plans/{plan.pk}/")
    page.route(f"**/items/{pfmt.pk}/update/", lambda route: route.abort())
    item = page.locator(f"#item-{pfmt.pk}")
    item.get_by_label("Hold (seconds)").fill("6")
    save = item.get_by_role("button", name="Save")
    save.click()
    page.locator("#plan-live", has_text="the connection failed").wait_for()
    assert page.evaluate("document.activeElement.dataset.focus") == "save"
    assert save.evaluate("button => button === document.activeElement")
    assert save.is_enabled()
    assert item.get_attribute("aria-busy") is None
    assert item.get_by_label("Hold (seconds)").input_value() == "6"
    pfmt.refresh_from_db()
    assert pfmt.dosing["hold_s"] == 4
