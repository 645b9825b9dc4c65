"""Every page of the demo clinic passes axe (axe-core, bundled with axe-playwright-python)
with no serious or critical violation, at desktop width and at 390 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from assessments.models import Assessment
from careplans.models import BatchPrint, CarePlan, Intervention
from clinic.models import Clinic, Patient
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


@pytest.fixture
def demo_clinic(db):
    call_command("loaddata", "fixtures/demo_clinic.json", verbosity=0)
    call_command("load_library", verbosity=0)
    call_command("load_demo_story", verbosity=0)
    return Clinic.objects.get(name="Riverside Pelvic Health")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def check_pages(page, urls: list[str]) -> list[str]:
    found = []
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        found += serious_violations(page)
        page.set_viewport_size({"width": 390, "height": 844})
        found += [f"(390 px) {v}" for v in serious_violations(page)]
        wider = page.evaluate("document.documentElement.scrollWidth")
        if wider > 390:
            found.append(f"(390 px) {url}: the page is {wider} px wide")
        page.set_viewport_size({"width": 1280, "height": 900})
    return found


def test_the_therapists_pages_pass_axe(page, demo_clinic):
    patient = Patient.objects.filter(clinic=demo_clinic).order_by("pk").first()
    plan = CarePlan.objects.filter(patient__clinic=demo_clinic).order_by("pk").first()
    assessment = Assessment.objects.filter(patient__clinic=demo_clinic).order_by("pk").first()
    log_in(page, "tess", "floorplan-demo")
    found = check_pages(
        page,
        [
            "/",
            "/patients/",
            "/patients/new/",
            f"/patients/{patient.pk}/",
            f"/assessments/{assessment.pk}/",
            f"/assessments/{assessment.pk}/edit/",
            f"/assessments/{assessment.pk}/questionnaires/",
            f"/assessments/{assessment.pk}/diary/",
            f"/plans/{plan.pk}/",
        ],
    )
    assert found == [], "\n".join(found)


def test_the_clinic_admins_pages_pass_axe(page, demo_clinic):
    intervention = Intervention.objects.filter(clinic=demo_clinic).order_by("pk").first()
    log_in(page, "adele", "floorplan-demo")
    clinic = f"/clinics/{demo_clinic.pk}"
    urls = [
        "/",
        f"{clinic}/settings/",
        f"{clinic}/staff/",
        f"{clinic}/staff/add/",
        f"{clinic}/patients/import/",
        f"{clinic}/recipients/",
        "/library/",
        f"/library/{intervention.pk}/edit/",
        f"/library/{intervention.pk}/texts/es/",
    ]
    batch = BatchPrint.objects.filter(clinic=demo_clinic).first()
    if batch is not None:
        urls.append(f"/batch/{batch.pk}/")
    found = check_pages(page, urls)
    assert found == [], "\n".join(found)


def test_the_login_page_passes_axe(page, demo_clinic):
    found = check_pages(page, ["/login/"])
    assert found == [], "\n".join(found)
