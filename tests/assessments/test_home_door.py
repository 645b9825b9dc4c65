"""The door of the patient's pages (issue 11): typing the code from the slip or the plan,
and what a closed link shows."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import home_tokens
from assessments.models import HomeLink
from assessments.services.home import home_link_create, home_link_revoke
from tests.practice.test_browser_accessibility import serious_violations

SHOTS = Path("/tmp/home-patient-shots")


def test_the_code_typed_as_printed_leads_to_the_birth_date_check(client, patient, therapist):
    _link, token = home_link_create(patient=patient, user=therapist)
    page = client.get(reverse("home_enter"))
    assert page.status_code == 200
    assert "noindex" in page["X-Robots-Tag"]
    typed = home_tokens.grouped(token).upper().replace("-", " ")
    response = client.post(reverse("home_enter"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("home_check", kwargs={"token": token})
    check = client.get(response["Location"])
    assert patient.clinic.name in check.content.decode()
    assert patient.last_name not in check.content.decode()


def test_an_unknown_code_is_named_and_leads_nowhere(client, patient, therapist):
    home_link_create(patient=patient, user=therapist)
    response = client.post(reverse("home_enter"), {"code": "abcd-efgh-ijkl-mnop"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "We do not know this code" in html
    assert patient.clinic.name not in html  # nothing says whose clinic, nor whether any


def test_a_stopped_link_shows_the_clinic_only(client, patient, therapist):
    patient.clinic.phone = "555 0100"
    patient.clinic.save()
    link, token = home_link_create(patient=patient, user=therapist)
    home_link_revoke(link=link, user=therapist)
    response = client.get(reverse("home_check", kwargs={"token": token}))
    assert response.status_code == 410
    html = response.content.decode()
    assert patient.clinic.name in html and "555 0100" in html
    assert patient.first_name not in html and patient.record_number not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_door_pages_on_a_phone(page, live_server, patient, therapist):
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    link, token = home_link_create(patient=patient, user=therapist)
    found: list[str] = []
    page.goto(live_server.url + reverse("home_enter"))
    found.extend(serious_violations(page, "enter"))
    page.screenshot(path=str(SHOTS / "00-enter.png"), full_page=True)
    page.get_by_label("The code on your slip or plan").fill(home_tokens.grouped(token))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{reverse('home_check', kwargs={'token': token})}")
    HomeLink.objects.filter(pk=link.pk).update(locked_at=timezone.now())
    page.reload()
    found.extend(serious_violations(page, "closed"))
    assert page.get_by_role("heading", name="This link no longer works").is_visible()
    page.screenshot(path=str(SHOTS / "10-link-closed.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert found == []
