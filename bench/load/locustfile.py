"""The simulated clinic for locust: therapists through a day's work, admins on the side.

Every person signs in through the login form and works on their own patients (named in
the JSON file FLOORPLAN_LOAD_PLAN that prepare.py wrote), one page at a time with 1-3 s
between pages. A therapist's visit is a dozen pages: the patient, the intake import,
an intake step saved (Save and next), the review step, the visit completed (the review's
Complete button), the plan built, an item edited (the page's fetch), the plan read again,
signed (at most one signature a visit; the PDF renders) and its PDF downloaded; between
them the reading pages (patient list, search, a patient). Admins mostly browse (dashboard,
patient list), now and then exporting the clinic's patients or starting a batch print.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

from bench.load.forms import csrf_token, form_fields

PLAN: dict[str, Any] = json.loads(Path(os.environ["FLOORPLAN_LOAD_PLAN"]).read_text())
INTAKE = (
    Path(__file__).resolve().parent.parent.parent / "tests/careplans/data/tense-and-weak.json"
).read_bytes()
_therapists = itertools.cycle(PLAN["therapists"])
_admins = itertools.cycle(PLAN["admins"])
ID = re.compile(r"/(?:assessments|plans)/(\d+)/")
# Each request's time by name, written at the end to the file the bench reads (locust's
# CSV gives percentiles per name; the bench needs one over the pages alone). Recorded from
# SETTLE seconds after the last person signed in: a sign-in hashes a password (CPU-heavy
# on purpose) and a whole clinic signing in within seconds is not a working day.
SETTLE = 3.0
TIMES: dict[str, list[float]] = {}
SIGNED_IN = [0]
MEASURING_FROM = [float("inf")]


def _record(name: str, response_time: float, **_: Any) -> None:
    if time.monotonic() >= MEASURING_FROM[0]:
        TIMES.setdefault(name, []).append(response_time)


def _write(**_: Any) -> None:
    out = os.environ.get("FLOORPLAN_LOAD_TIMES")
    if out:
        Path(out).write_text(json.dumps(TIMES))


events.request.add_listener(_record)  # type: ignore[no-untyped-call]  # locust is untyped
events.quitting.add_listener(_write)  # type: ignore[no-untyped-call]


class Staff(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/login/", name="login form")
        with self.client.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": csrf_token(page.text),
                "username": self.username,
                "password": PLAN["password"],
            },
            name="sign in",
            catch_response=True,
        ) as response:
            self.check(response)
        self.catch_up()
        SIGNED_IN[0] += 1
        runner = self.environment.runner
        if runner is not None and SIGNED_IN[0] >= runner.target_user_count:
            MEASURING_FROM[0] = time.monotonic() + SETTLE

    # Any: locust's response and its failure() are untyped.
    def catch_up(self) -> None:
        """Before the measured time: nothing for most (a therapist, below, goes on)."""

    def check(self, response: Any, where: str = "") -> None:
        """A failure is an error status or a page that is not where the step leads: the
        login page again (signed out) or an unexpected redirect."""
        if response.status_code >= 400:
            response.failure(f"status {response.status_code}")
        elif "/login/" in response.url:
            response.failure("signed out")
        elif where and where not in response.url:
            response.failure(f"landed on {response.url}")

    def page(self, name: str, url: str, where: str = "") -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            self.check(response, where)
            return str(response.text)

    def post(self, name: str, url: str, data: Any, where: str = "", **kw: Any) -> tuple[str, str]:
        with self.client.post(url, data=data, name=name, catch_response=True, **kw) as response:
            self.check(response, where)
            return response.url, response.text

    @property
    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken") or ""


class Therapist(Staff):
    weight = 9

    def on_start(self) -> None:
        me = next(_therapists)
        self.username, self.patients = me["username"], me["patients"]
        self.visits = itertools.cycle(self.patients)
        self.step = 0
        self.assessment = self.plan = self.patient_id = 0
        self.form: list[tuple[str, str]] = []
        super().on_start()

    @task(3)
    def patient_list(self) -> None:
        self.page("patient list", "/patients/", "/patients/")

    @task(2)
    def search(self) -> None:
        self.page("patient search", "/patients/?q=LT", "/patients/")

    @task(2)
    def patient(self) -> None:
        self.page("patient", f"/patients/{self.patients[0]}/", "/patients/")

    @task(6)
    def visit(self) -> None:
        """One page of the visit in progress (a person reads each page before the next);
        the next call goes on from there. A step that fails starts the next visit afresh
        rather than cascading into the steps after it."""
        steps = self.steps()
        done = steps[self.step]()
        self.step = (self.step + 1) % len(steps) if done else 0

    def catch_up(self) -> None:
        # Everyone starting a visit at the same second would sign nothing for the first
        # minute and then all at once; each therapist starts the measured time at a random
        # point of a visit instead, the steps before it taken now, unmeasured.
        for step in self.steps()[: random.randrange(len(self.steps()))]:
            if not step():
                self.step = 0
                return
            self.step += 1

    def steps(self) -> list[Callable[[], bool]]:
        return [
            self.open_patient,
            self.import_page,
            self.intake_import,
            self.intake_step,
            self.intake_save,
            self.intake_review,
            self.complete,
            self.build,
            self.item_edit,
            self.plan_review,
            self.sign,
            self.download,
        ]

    def open_patient(self) -> bool:
        self.patient_id = next(self.visits)
        url = f"/patients/{self.patient_id}/"
        self.page("patient", url, url)
        return True

    def import_page(self) -> bool:
        url = f"/patients/{self.patient_id}/assessments/import/"
        self.page("intake import page", url, url)
        return True

    def intake_import(self) -> bool:
        url, _ = self.post(
            "intake import",
            f"/patients/{self.patient_id}/assessments/import/",
            {"csrfmiddlewaretoken": self.csrf},
            "/assessments/",
            files={"file": ("intake.json", INTAKE, "application/json")},
        )
        found = ID.search(url)
        self.assessment = int(found.group(1)) if found else 0
        return bool(found)

    def intake_step(self) -> bool:
        url = f"/assessments/{self.assessment}/edit/symptoms/"
        self.form = form_fields(self.page("intake step", url, url), form_id="assessment-form")
        return True

    def intake_save(self) -> bool:
        # "Save and next": saved, the draft leads on to the next step; refused, the same
        # step comes back with its errors.
        url = f"/assessments/{self.assessment}/edit/symptoms/"
        with self.client.post(
            url, data=[*self.form, ("next", "")], name="intake save", catch_response=True
        ) as response:
            self.check(response, f"/assessments/{self.assessment}/")
            if response.url.endswith(url):
                response.failure("the intake save was refused")
                return False
        return True

    def intake_review(self) -> bool:
        # The review step holds the whole form with the version the save moved on to
        # (the edit-conflict check), and the Complete button.
        url = f"/assessments/{self.assessment}/edit/review/"
        self.form = form_fields(self.page("intake review", url, url), form_id="assessment-form")
        return True

    def complete(self) -> bool:
        # The Complete button posts the whole form to visit_complete (its formaction);
        # done, it leads to the assessment; refused, it shows the form again there.
        with self.client.post(
            f"/assessments/{self.assessment}/complete/",
            data=[*self.form, ("complete", "")],
            name="visit complete",
            catch_response=True,
        ) as response:
            self.check(response, f"/assessments/{self.assessment}/")
            if response.url.endswith("/complete/"):
                response.failure("the visit was not completed")
                return False
        return True

    def build(self) -> bool:
        url, html = self.post(
            "plan build",
            f"/assessments/{self.assessment}/plan/",
            {"csrfmiddlewaretoken": self.csrf},
            "/plans/",
        )
        found = ID.search(url) if "/plans/" in url else None
        self.plan = int(found.group(1)) if found else 0
        self.plan_page = html
        return bool(found)

    def item_edit(self) -> bool:
        # The plan page's script posts one item's form and puts the answer in place; a
        # refused edit is a 200 too, marked data-problem.
        action = re.search(r'action="([^"]*/items/\d+/update/)"', self.plan_page)
        if action is None:
            return False
        fields = form_fields(self.plan_page, action=action.group(1))
        with self.client.post(
            action.group(1),
            data=fields,
            name="plan item edit (fetch)",
            headers={"X-Requested-With": "fetch"},
            catch_response=True,
        ) as response:
            self.check(response)
            if "data-problem" in response.text:
                response.failure("the item edit was refused")
                return False
        return True

    def plan_review(self) -> bool:
        url = f"/plans/{self.plan}/"
        self.plan_page = self.page("plan", url, url)
        return True

    def sign(self) -> bool:
        # At most one signature per visit; the PDF renders as it is signed.
        url = f"/plans/{self.plan}/"
        with self.client.post(
            f"{url}sign/",
            data=form_fields(self.plan_page, action="/sign/"),
            name="plan sign",
            catch_response=True,
        ) as response:
            self.check(response, url)
            if 'class="plan-signed' not in response.text:
                response.failure("the plan was not signed")
                return False
        return True

    def download(self) -> bool:
        self.page("plan PDF", f"/plans/{self.plan}/patient.pdf")
        return True


class Admin(Staff):
    weight = 1

    def on_start(self) -> None:
        self.username = next(_admins)
        super().on_start()

    # Admins mostly browse: the dashboard and the patient list, now and then an export or
    # a batch print.
    @task(4)
    def dashboard(self) -> None:
        self.page("dashboard", "/")

    @task(2)
    def patient_list(self) -> None:
        self.page("patient list", "/patients/", "/patients/")

    @task(1)
    def export(self) -> None:
        url = f"/clinics/{PLAN['clinic']}/export/"
        self.page("export form", url, url)
        self.post("export download", url, {"csrfmiddlewaretoken": self.csrf})

    @task(1)
    def batch_print(self) -> None:
        url = f"/batch/clinics/{PLAN['clinic']}/new/"
        html = self.page("batch print list", url, url)
        fields = form_fields(html, form_id="batch-select")
        ticks = re.findall(r'name="tick" value="(\d+)"', html)[:3]
        data = [*fields, *(("tick", t) for t in ticks), ("action", "print")]
        self.post("batch print start", url, data, "/batch/")
