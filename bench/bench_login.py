"""A full sign-in with two-factor, measured in one run.

A small clinic (50 patients) and a large one (50,000) in one database, each with a
therapist who has an authenticator app and every patient on their caseload. A sign-in is
the password POST, the code POST and the first dashboard page, in a fresh browser session.
The large clinic's sign-in must run at most twice the SQL queries of the small one's and
take at most twice its median time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.harness import Result, paired_medians

SIZES = {"small": 50, "large": 50_000}
PASSWORD = "bench-sign-in-2fa"


def _therapist_with_app(clinic, name: str):
    from django.contrib.auth import get_user_model

    from clinic.models import Membership, Role
    from clinic.services.two_factor import totp_device_start, two_factor_enrol

    user = get_user_model().objects.create_user(name, password=PASSWORD, first_name=name)
    Membership.objects.create(user=user, clinic=clinic, role=Role.THERAPIST)
    device = totp_device_start(user=user)
    codes = _codes(device)
    two_factor_enrol(device=device, code=codes())
    return user, codes


def _codes(device) -> Callable[[], str]:
    """The authenticator app: each call the code of a time step after the last one used (a
    code works once, so quick successive sign-ins take the next steps, as clock drift)."""
    from django_otp.oath import totp

    last = [-1]

    def code() -> str:
        now = int((time.time() - device.t0) // device.step)
        step = max(now, last[0] + 1)
        last[0] = step
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, step - now):06d}"

    return code


def _sign_in(username: str, codes: Callable[[], str]) -> Callable[[], None]:
    from django.test import Client

    def sign_in() -> None:
        client = Client()
        response = client.post("/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, ("password", response.status_code)
        response = client.post("/account/two-factor/verify/", {"code": codes(), "next": "/"})
        assert response.status_code == 302 and response["Location"] == "/", "code refused"
        response = client.get("/")
        assert response.status_code == 200, ("dashboard", response.status_code)

    return sign_in


def _queries(action: Callable[[], None]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def run() -> list[Result]:
    from clinic.models import Clinic
    from practice.management.commands.seed_demo import seed_patients

    sign_ins = {}
    for label, patients in SIZES.items():
        clinic = Clinic.objects.create(name=f"Sign-in clinic {label}")
        user, codes = _therapist_with_app(clinic, f"{label}-signs-in")
        seed_patients(clinic=clinic, count=patients)  # all on this therapist's caseload
        sign_ins[label] = _sign_in(user.get_username(), codes)

    small, large = sign_ins["small"], sign_ins["large"]
    results = [Result("login_with_2fa_queries", _queries(large) / _queries(small), 2.0)]
    small_s, large_s = paired_medians(small, large, repeat=9, warmup=1)
    results.append(Result("login_with_2fa_time", large_s / small_s, 2.0))
    return results
