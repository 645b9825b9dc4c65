"""On a phone (390 px): locked out after too many tries, then back in through a reset link
from the e-mail; the account pages pass axe."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from tests.conftest import load_next_page, log_in
from tests.practice.test_browser_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    return page


def test_locked_out_then_back_in_through_a_reset_link(phone, therapist):
    cache.clear()
    therapist.email = "tess@example.org"
    therapist.save(update_fields=["email"])
    for _ in range(5):
        phone.goto("/login/")
        phone.get_by_label("Username").fill("tess")
        phone.get_by_label("Password").fill("a-wrong-guess")
        load_next_page(phone, phone.get_by_role("button", name="Log in"))

    assert phone.get_by_role("heading", name="Too many failed sign-ins").is_visible()
    assert phone.get_by_text("ask your clinic admin to unlock your account").is_visible()
    assert serious_violations(phone) == []
    # The browser reports the lockout page's own 429 status as a console error.
    phone.console_errors.clear()

    load_next_page(phone, phone.get_by_role("link", name="Forgot your password?"))
    phone.get_by_label("Email").fill("tess@example.org")
    load_next_page(phone, phone.get_by_role("button", name="Send the link"))
    assert phone.get_by_role("heading", name="Check your e-mail").is_visible()
    assert serious_violations(phone) == []

    link = re.search(r"https?://\S+/account/password-reset/\S+/", mail.outbox[0].body).group(0)
    phone.goto(link)
    # "New password" alone would also match "New password confirmation".
    phone.locator("#id_new_password1").fill("pelvic-floor-spring-2026")
    phone.get_by_label("New password confirmation").fill("pelvic-floor-spring-2026")
    assert serious_violations(phone) == []
    load_next_page(phone, phone.get_by_role("button", name="Set the new password"))
    assert phone.get_by_role("heading", name="Password set").is_visible()

    log_in(phone, "tess", "pelvic-floor-spring-2026")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.console_errors == []


def test_the_password_change_page_on_a_phone(phone, therapist):
    log_in(phone, "tess")
    phone.goto("/account/password/")

    assert phone.get_by_role("heading", name="Change your password").is_visible()
    assert serious_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
