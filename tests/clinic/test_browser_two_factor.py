"""Two-factor sign-in in a real browser: enrol by the QR page's key, sign out, sign in with
password and code, land on the dashboard; the enrolment page fits a phone."""

import base64

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp

from tests.conftest import load_next_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app given this key shows (a step ahead: the next code, as a
    code already used once is refused)."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_enrol_then_sign_in_with_password_and_code(page, clinic, therapist):
    log_in(page, "tess")
    page.get_by_role("button", name="Tess Morgan").click()  # the user menu
    load_next_page(page, page.get_by_role("link", name="Two-factor sign-in"))
    assert page.get_by_role("heading", name="Set up two-factor sign-in").is_visible()
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    assert serious_violations(page) == []
    secret = page.locator("#two-factor-secret").inner_text()

    page.get_by_label("6-digit code from the app").fill(app_code(secret))
    load_next_page(page, page.get_by_role("button", name="Turn on two-factor sign-in"))
    assert page.get_by_text("Print or save these codes now").is_visible()
    assert page.locator(".backup-codes li").count() == 10
    load_next_page(page, page.get_by_role("link", name="I have saved them: continue"))
    assert page.get_by_role("heading", name="Your caseload today").is_visible()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/")
    log_in(page, "tess")
    page.wait_for_url("**/account/two-factor/verify/**")
    assert serious_violations(page) == []
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/account/" not in url)
    assert page.get_by_role("heading", name="Your caseload today").is_visible()
    assert page.console_errors == []  # the Content-Security-Policy blocks nothing we serve


def test_the_enrolment_page_fits_a_phone(page, clinic, therapist):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "tess")
    page.goto("/account/two-factor/")
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_violations(page) == []
