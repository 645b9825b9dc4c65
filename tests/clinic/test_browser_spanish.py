"""A therapist who chooses Spanish in the user menu works in Spanish: the dashboard, the
intake and the plan, and still after signing out and in again in another browser (the
choice is on their profile). The Spanish pages pass axe like the English ones."""

import pytest
from django.core.management import call_command

from careplans.models import CarePlan
from clinic.models import Clinic, Patient, StaffProfile
from tests.conftest import browser_tab, log_in
from tests.factories import AssessmentFactory
from tests.practice.test_browser_accessibility import check_here
from tests.practice.test_browser_layout import PHONE, layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_clinic(db, media_root):
    """The demo clinic as `make demo` loads it (without the extras of tests/browser_pages.py:
    Tess signs in without an authenticator here)."""
    call_command("loaddata", "fixtures/demo_clinic.json", verbosity=0)
    call_command("load_library", verbosity=0)
    call_command("load_demo_story", verbosity=0)
    return Clinic.objects.get(name="Riverside Pelvic Health")


def check_pages(page, urls: list[str]) -> list[str]:
    """axe (and the skip link) at desk width and at 390 px, and the phone layout."""
    found = []
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        found += check_here(page, url)
        page.set_viewport_size(PHONE)
        found += layout_problems(page, url)
        page.set_viewport_size({"width": 1280, "height": 900})
    return found


def choose_spanish(page) -> None:
    page.locator("#nav a.dropdown-toggle").last.click()
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    page.wait_for_selector("html[lang=es]")


def test_a_therapist_works_in_spanish_once_they_choose_it(browser, live_server, page, demo_clinic):
    patient = Patient.objects.filter(clinic=demo_clinic, assigned_therapist__username="tess")[0]
    # An intake still open, so that its page is the form.
    assessment = AssessmentFactory(patient=patient, therapist=patient.assigned_therapist)
    plan = CarePlan.objects.filter(patient__clinic=demo_clinic).order_by("pk").first()
    log_in(page, "tess", "floorplan-demo")
    assert page.get_by_role("heading", name="Your caseload today").is_visible()
    choose_spanish(page)
    assert StaffProfile.objects.get(user__username="tess").language == "es"

    page.goto("/")
    assert page.get_by_role("heading", name="Sus pacientes de hoy").is_visible()
    assert page.get_by_role("heading", name="Revisiones atrasadas").is_visible()
    assert page.get_by_role("heading", name="Actividad reciente").is_visible()
    assert page.get_by_role("link", name="Pacientes", exact=True).is_visible()

    # The intake's first step: the step navigation names every step in Spanish.
    page.goto(f"/assessments/{assessment.pk}/edit/")
    steps = page.get_by_role("navigation", name="Pasos de la valoración")
    for title in ("Síntomas", "Cuestionarios", "Diario miccional", "Exploración"):
        assert steps.get_by_role("link", name=title).is_visible()
    assert steps.get_by_role("link", name="Estado hormonal").is_visible()
    assert page.get_by_role("heading", name="Visita", exact=True).is_visible()
    assert page.get_by_role("button", name="Guardar borrador").is_visible()
    assert page.get_by_role("button", name="Guardar y continuar").is_visible()
    # The last step, reached through the step navigation, completes the assessment.
    steps.locator("a[data-step='review']").click()
    page.wait_for_url(f"**/assessments/{assessment.pk}/edit/review/")
    assert page.get_by_role("button", name="Completar valoración").is_visible()

    page.goto(f"/plans/{plan.pk}/")
    assert page.get_by_role("heading", name=f"Plan de tratamiento, versión {plan.version}").count()
    assert page.get_by_role("link", name="Valoración", exact=True).is_visible()

    found = check_pages(
        page,
        [
            "/",
            f"/assessments/{assessment.pk}/edit/",
            f"/assessments/{assessment.pk}/edit/review/",
            f"/plans/{plan.pk}/",
        ],
    )
    assert found == [], "\n".join(found)
    assert page.locator("html").get_attribute("lang") == "es"

    # Signed out, then in again from a browser that has never seen the choice.
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url(lambda url: "/login/" in url)
    with browser_tab(browser, live_server, viewport={"width": 1280, "height": 900}) as elsewhere:
        log_in(elsewhere, "tess", "floorplan-demo")  # the login page is in the clinic's English
        assert elsewhere.get_by_role("heading", name="Sus pacientes de hoy").is_visible()
        elsewhere.goto(f"/assessments/{assessment.pk}/edit/")
        assert elsewhere.get_by_role("button", name="Guardar borrador").is_visible()
