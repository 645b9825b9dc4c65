"""The 403, 404, 500 and expired-form pages: styled like the app, with its landmarks (a
header with the menu, a main region, a heading), a skip link and a way back."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.views.defaults import server_error

from clinic.urls import urlpatterns as project_urls


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# The project's addresses, and one that fails (for the 500 page through the real handler).
urlpatterns = [path("boom/", boom), *project_urls]


def assert_app_page(html: str) -> None:
    assert '<a class="skip-link visually-hidden-focusable" href="#main">' in html
    assert "<header" in html and "<nav" in html
    assert '<main id="main"' in html
    assert "<h1>" in html
    assert 'href="/"' in html  # the way back
    assert "floorplan/app.css" in html


def test_another_clinics_patient_is_the_styled_404_page(therapist_client, other_clinic_patient):
    response = therapist_client.get(reverse("patient_detail", args=[other_clinic_patient.pk]))
    assert response.status_code == 404
    html = response.content.decode()
    assert_app_page(html)
    assert "Page not found" in html
    assert other_clinic_patient.last_name not in html
    assert "Log out" in html  # the menu is there: the user can go on from here


def test_an_unknown_address_is_the_styled_404_page(therapist_client):
    response = therapist_client.get("/no-such-page/")
    assert response.status_code == 404
    assert_app_page(response.content.decode())
    assert "Resolver404" not in response.content.decode()


def test_a_clinic_admin_page_is_a_403_saying_why(therapist_client, clinic):
    response = therapist_client.get(reverse("staff_list", args=[clinic.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert_app_page(html)
    assert "Your role does not allow this page" in html
    assert "Only a clinic admin of this clinic can do this." in html


def test_the_500_page_renders_without_a_request_context(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert_app_page(html)
    assert "Something went wrong on our side" in html
    assert "Log out" not in html  # no user, no menu: nothing that can fail again


@pytest.mark.urls("tests.practice.test_error_pages")
def test_an_error_in_a_view_shows_the_500_page(therapist, clinic):
    client = Client(raise_request_exception=False)
    client.force_login(therapist)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert_app_page(html)
    assert "a bug" not in html


def test_an_expired_form_is_the_styled_403_page(therapist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(therapist)
    response = client.post(reverse("language_choose"), {"language": "es"})
    assert response.status_code == 403
    html = response.content.decode()
    assert_app_page(html)
    assert "The form could not be sent" in html
