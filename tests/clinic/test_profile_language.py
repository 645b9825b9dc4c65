"""The language a staff member chooses is kept on their profile: it follows them to every
browser and sign-in, without a database query on every page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.interface_language import SESSION_KEY
from clinic.models import StaffProfile
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db

SPANISH_HEADING = "Sus pacientes de hoy"
ENGLISH_HEADING = "Your caseload today"


def choose(client: Client, language: str, next_url: str = "/patients/"):
    return client.post(reverse("language_choose"), {"language": language, "next": next_url})


def test_choosing_spanish_saves_it_on_the_profile_and_shows_spanish(therapist_client, therapist):
    response = choose(therapist_client, "es")
    assert response.status_code == 302
    assert response.url == "/patients/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert StaffProfile.objects.get(user=therapist).language == "es"
    page = therapist_client.get(reverse("home")).content.decode()
    assert SPANISH_HEADING in page
    assert 'lang="es"' in page


def test_the_profile_language_follows_the_user_to_another_browser(therapist):
    StaffProfileFactory(user=therapist, language="es")
    elsewhere = Client()  # no language cookie
    elsewhere.force_login(therapist)
    assert SPANISH_HEADING in elsewhere.get(reverse("home")).content.decode()


def test_the_profile_wins_over_a_language_cookie_left_in_a_shared_browser(client, therapist):
    StaffProfileFactory(user=therapist, language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.force_login(therapist)
    assert ENGLISH_HEADING in client.get(reverse("home")).content.decode()


def test_without_a_profile_the_cookie_and_then_the_clinic_default_apply(client, therapist):
    client.force_login(therapist)
    assert ENGLISH_HEADING in client.get(reverse("home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert SPANISH_HEADING in client.get(reverse("home")).content.decode()


def test_the_browsers_accept_language_is_ignored(therapist_client):
    response = therapist_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es")
    assert ENGLISH_HEADING in response.content.decode()


def test_pages_do_not_read_the_profile(client, therapist):
    StaffProfileFactory(user=therapist, language="es")
    client.force_login(therapist)
    with CaptureQueriesContext(connection) as context:
        page = client.get(reverse("home")).content.decode()
    assert SPANISH_HEADING in page
    assert not [q for q in context.captured_queries if "clinic_staffprofile" in q["sql"]]


def test_changing_the_language_again_takes_effect_in_this_session(therapist_client, therapist):
    choose(therapist_client, "es")
    choose(therapist_client, "en")
    assert StaffProfile.objects.get(user=therapist).language == "en"
    assert therapist_client.session[SESSION_KEY] == "en"
    assert ENGLISH_HEADING in therapist_client.get(reverse("home")).content.decode()


def test_an_unknown_language_changes_nothing(therapist_client, therapist):
    response = choose(therapist_client, "eo")
    assert response.status_code == 302
    assert not StaffProfile.objects.filter(user=therapist).exists()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_it_never_redirects_to_another_site(therapist_client):
    response = choose(therapist_client, "es", next_url="https://evil.example/")
    assert response.url == reverse("home")


def test_it_needs_a_post(therapist_client):
    assert therapist_client.get(reverse("language_choose")).status_code == 405


def test_it_needs_a_signed_in_user(client):
    response = choose(client, "es")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not StaffProfile.objects.exists()
