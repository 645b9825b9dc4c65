"""Every named URL of the project, as the browser tests open it.

Each URL name is either a page (``PAGES``: how to fill its path parameters from the demo
clinic, and what the therapist and the clinic admin get) or skipped with a reason
(``SKIPPED``, ``SKIPPED_NAMESPACES``). ``unlisted()`` names what is in neither, so a new page
cannot escape the accessibility and layout tests: add it to ``PAGES`` (or, if it is not an
HTML page for these users, to ``SKIPPED`` with a one-line reason).

The demo clinic is the one the demo commands load (fixtures/demo_clinic.json, the library,
the demo story), plus what some pages need to show something: an intake in progress, a batch
print, an uploaded patient list awaiting its preview, and an authenticator for Tess (so the
two-factor pages she sees when enrolled are opened too; Adele stays unenrolled, so the
enrolment page with its QR code is opened for her).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments import diary
from assessments import services as assessment_services
from assessments.models import Assessment, HomeTasks
from assessments.services import home as home_services
from assessments.steps import FORM_STEPS
from careplans import documents
from careplans.models import BatchPrint, CarePlan, Intervention, Recipient
from careplans.services.batch import batch_print_start
from clinic.models import Clinic, Membership, Patient
from clinic.services.patient_import import import_upload_store

THERAPIST = "tess"
ADMIN = "adele"
PASSWORD = "floorplan-demo"
USERS = (THERAPIST, ADMIN)

# A patient list with good rows and a bad one, so the preview shows both.
IMPORT_CSV = (
    b"record_number,first_name,last_name,date_of_birth,anatomy,therapist\n"
    b"N0001,Ana,Lopez,1984-06-30,vulva,tess\n"
    b"N0002,Ben,Okafor,1961-02-11,penis,\n"
    b"N0003,Cleo,,1990-13-45,vulva,nobody\n"
)


@dataclass(frozen=True)
class Demo:
    clinic: Clinic
    other_clinic: Clinic
    maria: Patient  # a completed intake with a diary and a signed plan
    robert: Patient  # a completed intake with a red flag and a draft plan
    other_clinic_patient: Patient
    signed_plan: CarePlan
    draft_plan: CarePlan
    completed_intake: Assessment
    red_flag_intake: Assessment
    open_intake: Assessment  # an intake in progress (Sam, a new patient)
    intervention: Intervention
    recipient: Recipient
    colleague: Membership  # Colin, a therapist of the clinic
    batch: BatchPrint
    import_token: str  # Adele's uploaded patient list
    authenticator: TOTPDevice  # Tess's
    users: dict[str, User] = field(default_factory=dict)


def load_demo() -> Demo:
    """The demo clinic as `make demo` loads it, plus the few rows described above."""
    call_command("loaddata", "fixtures/demo_clinic.json", verbosity=0)
    call_command("load_library", verbosity=0)
    call_command("load_demo_story", verbosity=0)
    return demo_extras()


def demo_extras() -> Demo:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERS)}
    clinic = Clinic.objects.get(name="Riverside Pelvic Health")
    other_clinic = Clinic.objects.get(name="Harbour Physiotherapy")
    maria = Patient.objects.get(clinic=clinic, record_number="R0001")
    robert = Patient.objects.get(clinic=clinic, record_number="R0010")
    newcomer = Patient.objects.get(clinic=clinic, record_number="R0005")  # Sam, no visit yet
    open_intake = newcomer.assessments.first() or assessment_services.assessment_create(
        patient=newcomer, therapist=users[THERAPIST]
    )
    batch = BatchPrint.objects.filter(clinic=clinic).first() or batch_print_start(
        clinic=clinic,
        user=users[ADMIN],
        patient_ids=[maria.pk, robert.pk],
        fmt=BatchPrint.Format.PDF,
    )
    authenticator, _created = TOTPDevice.objects.get_or_create(
        user=users[THERAPIST], defaults={"name": "Phone", "confirmed": True}
    )
    return Demo(
        clinic=clinic,
        other_clinic=other_clinic,
        maria=maria,
        robert=robert,
        other_clinic_patient=Patient.objects.filter(clinic=other_clinic).order_by("pk")[0],
        signed_plan=CarePlan.objects.filter(patient=maria).order_by("-version")[0],
        draft_plan=CarePlan.objects.filter(patient=robert).order_by("-version")[0],
        completed_intake=maria.assessments.order_by("pk")[0],
        red_flag_intake=robert.assessments.order_by("pk")[0],
        open_intake=open_intake,
        intervention=Intervention.objects.filter(clinic=clinic).order_by("pk")[0],
        recipient=Recipient.objects.filter(clinic=clinic).order_by("pk")[0],
        colleague=Membership.objects.get(clinic=clinic, user__username="colin"),
        batch=batch,
        import_token=import_upload_store(clinic=clinic, user=users[ADMIN], data=IMPORT_CSV),
        authenticator=authenticator,
        users=users,
    )


def authenticator_code(device: TOTPDevice) -> str:
    """What Tess's authenticator app shows now."""
    device.refresh_from_db()
    # A code is accepted once: after a sign-in in the same 30 s, the next one (the device
    # tolerates a step of drift).
    now = TOTP(device.bin_key, device.step, device.t0, device.digits).t()
    drift = max(0, device.last_t - now + 1)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{code:0{device.digits}d}"


# --- Path parameters, from the demo clinic, for the user who opens the page.

Kwargs = list[dict[str, Any]]
KwargsFactory = Callable[[Demo, User], Kwargs]


def no_kwargs(demo: Demo, user: User) -> Kwargs:
    return [{}]


def clinic(demo: Demo, user: User) -> Kwargs:
    return [{"clinic_id": demo.clinic.pk}]


def patients(demo: Demo, user: User) -> Kwargs:
    # With a signed plan and a diary; with a red flag and a draft plan; a new patient.
    return [
        {"patient_id": demo.maria.pk},
        {"patient_id": demo.robert.pk},
        {"patient_id": demo.open_intake.patient_id},
    ]


def patient(demo: Demo, user: User) -> Kwargs:
    return [{"patient_id": demo.maria.pk}]


def home_tasks_sent_in(demo: Demo, user: User) -> Kwargs:
    """A 3-day diary Maria kept at home and sent in, waiting for review."""
    tasks = HomeTasks.objects.to_review().filter(patient=demo.maria).first()
    if tasks is None:
        example = Path(__file__).parent / "assessments" / "data" / "diary-example.csv"
        tasks = home_services.home_tasks_import(
            patient=demo.maria,
            user=demo.users[THERAPIST],
            events=diary.parse_diary_csv(example.read_text()),
            source=HomeTasks.Source.PATIENT,
        )
    return [{"tasks_id": tasks.pk}]


def assessments(demo: Demo, user: User) -> Kwargs:
    return [
        {"assessment_id": demo.open_intake.pk},
        {"assessment_id": demo.completed_intake.pk},
        {"assessment_id": demo.red_flag_intake.pk},
    ]


def intake_steps(demo: Demo, user: User) -> Kwargs:
    # Every later step of the intake in progress; the review of a completed one.
    return [
        {"assessment_id": demo.open_intake.pk, "step": step}
        for step in FORM_STEPS
        if step != "history"  # the first step is assessment_edit
    ] + [{"assessment_id": demo.red_flag_intake.pk, "step": "review"}]


def plans(demo: Demo, user: User) -> Kwargs:
    return [{"plan_id": demo.draft_plan.pk}, {"plan_id": demo.signed_plan.pk}]


def plan_documents(demo: Demo, user: User) -> Kwargs:
    return [
        {"plan_id": plan.pk, "kind": kind, "fmt": "html"}
        for plan in (demo.signed_plan, demo.draft_plan)
        for kind in documents.DOCUMENTS
    ]


def intervention(demo: Demo, user: User) -> Kwargs:
    return [{"intervention_id": demo.intervention.pk}]


def intervention_text(demo: Demo, user: User) -> Kwargs:
    return [{"intervention_id": demo.intervention.pk, "language": "es"}]


def recipient(demo: Demo, user: User) -> Kwargs:
    return [{"clinic_id": demo.clinic.pk, "recipient_id": demo.recipient.pk}]


def colleague(demo: Demo, user: User) -> Kwargs:
    return [{"clinic_id": demo.clinic.pk, "membership_id": demo.colleague.pk}]


def batch(demo: Demo, user: User) -> Kwargs:
    return [{"batch_id": demo.batch.pk}]


def import_preview(demo: Demo, user: User) -> Kwargs:
    return [{"clinic_id": demo.clinic.pk, "token": demo.import_token}]


def password_reset_link(demo: Demo, user: User) -> Kwargs:
    return [
        {
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }
    ]


@dataclass(frozen=True)
class Route:
    """A page: its path parameters, and the status each user gets (None: not opened for
    that user, ``why_not`` says why)."""

    kwargs: KwargsFactory = no_kwargs
    therapist: int | None = 200
    admin: int | None = 200
    why_not: str = ""
    # A document to print (the HTML preview of a PDF): no menu, so no skip link.
    document: bool = False


ADMIN_ONLY = {"therapist": 403}  # the clinic admin's pages: a therapist of the clinic gets a 403

PAGES: dict[str, Route] = {
    "home": Route(),
    "login": Route(therapist=None, admin=None, why_not="signed-out only: opened before signing in"),
    "password_change": Route(),
    "password_change_done": Route(),
    "password_reset": Route(),
    "password_reset_done": Route(),
    "password_reset_complete": Route(),
    "password_reset_confirm": Route(password_reset_link),
    "two_factor_enrol": Route(),
    "two_factor_verify": Route(
        therapist=None,
        admin=None,
        why_not="shown only while signing in: opened then, for Tess (Adele has no authenticator)",
    ),
    "two_factor_backup_codes": Route(
        admin=None, why_not="Adele has no authenticator: redirects to the enrolment page"
    ),
    "two_factor_disable": Route(
        admin=None, why_not="Adele has no authenticator: redirects to the enrolment page"
    ),
    "patient_list": Route(),
    "patient_create": Route(),
    "patient_detail": Route(patients),
    "patient_edit": Route(patients),
    "patient_progress": Route(patients),
    "assessment_import": Route(patient),
    "home_tasks_send": Route(patient),
    "home_tasks_review": Route(home_tasks_sent_in),
    "home_import_my_flow_check": Route(patient),
    "assessment_detail": Route(assessments),
    "assessment_edit": Route(assessments),
    "assessment_step": Route(intake_steps),
    "assessment_questionnaires": Route(assessments),
    "assessment_diary": Route(assessments),
    "plan_detail": Route(plans),
    "plan_document": Route(plan_documents, document=True),
    "library_list": Route(),
    "library_new": Route(**ADMIN_ONLY),
    "library_edit": Route(intervention, **ADMIN_ONLY),
    "library_text_edit": Route(intervention_text, **ADMIN_ONLY),
    "batch_print_new": Route(clinic, **ADMIN_ONLY),
    "batch_print_status": Route(
        batch, therapist=None, why_not="Adele's batch: another user's batch is a 404"
    ),
    "patient_import": Route(clinic, **ADMIN_ONLY),
    "patient_import_preview": Route(import_preview, **ADMIN_ONLY),
    "staff_list": Route(clinic, **ADMIN_ONLY),
    "staff_add": Route(clinic, **ADMIN_ONLY),
    "staff_deactivate": Route(colleague, **ADMIN_ONLY),
    "staff_reassign": Route(colleague, **ADMIN_ONLY),
    "recipient_list": Route(clinic, **ADMIN_ONLY),
    "recipient_new": Route(clinic, **ADMIN_ONLY),
    "recipient_edit": Route(recipient, **ADMIN_ONLY),
    "audit_report": Route(clinic, **ADMIN_ONLY),
    "clinic_settings": Route(clinic, **ADMIN_ONLY),
    "clinic_export": Route(clinic, **ADMIN_ONLY),
}

SKIPPED: dict[str, str] = {
    "logout": "POST only: signs the user out",
    "healthz": "for load balancers: plain text, no page",
    "readyz": "for load balancers: JSON, no page",
    "language_choose": "POST only: the language menu's form",
    "idle_session": "JSON for idle.js, not a page",
    "library_preview": "POST only: JSON for library.js (a new entry's live preview)",
    "library_entry_preview": "POST only: JSON for library.js (an entry's live preview)",
    "set_language": "Django's i18n POST endpoint (the app uses language_choose)",
    "staff_two_factor_reset": "POST only: an action of the staff page",
    "staff_reactivate": "POST only: an action of the staff page",
    "staff_unlock": "POST only: an action of the staff page",
    "patient_archive": "POST only: an action of the patient page",
    "patient_restore": "POST only: an action of the patient page",
    "patient_export": "CSV download",
    "patient_outcomes_csv": "CSV download",
    "patient_progress_chart": "SVG image shown on the progress page",
    "patient_import_confirm": "POST only: the preview page's Import button",
    "patient_import_bad_rows": "CSV download of the rows with problems",
    "staff_invite": "POST only: sends the invitation again, from the staff page",
    "assessment_new": "POST only: starts an intake or a review",
    "assessment_referral": "POST only: records a referral on the assessment page",
    "assessment_export": "JSON download",
    "patient_fhir_export": "POST only: FHIR JSON download from the patient page",
    "plan_fhir_export": "POST only: FHIR JSON download from the plan page",
    "assessment_diary_upload": "POST only: the diary page's upload form",
    "home_link_new": "POST only: the patient page's New link button (answers with the handover)",
    "home_link_stop": "POST only: the patient page's Stop the link button",
    "home_link_email": "POST only: the handover page's email form",
    "assessment_diary_entry_delete": "POST only: the diary page's delete buttons",
    "assessment_diary_chart": "SVG image shown on the diary page",
    "audit_export": "CSV download",
    "batch_print_status_json": "JSON polled by the batch status page",
    "batch_print_download": "PDF or zip download",
    "visit_complete": "POST only: completes the visit",
    "plan_build": "POST only: builds the draft plan",
    "plan_item_add": "POST only: the plan page's add form",
    "plan_item_remove": "POST only: the plan page's item actions",
    "plan_item_restore": "POST only: the plan page's item actions",
    "plan_item_update": "POST only: the plan page's item actions",
    "plan_item_move": "POST only: the plan page's item actions",
    "plan_note": "POST only: the plan page's note form",
    "plan_sign": "POST only: signs the plan",
    "plan_new_version": "POST only: starts a new version of a signed plan",
    "recipient_deactivate": "POST only: an action of the recipients page",
    "recipient_reactivate": "POST only: an action of the recipients page",
    # The patient's own pages (issue 11): reached by a link token and a birth date, not by
    # a staff sign-in; axe at 390 px and 200% zoom in tests/assessments/test_home_patient_pages.py.
    "home_tasks": "a patient's page (link token): checked in test_home_patient_pages.py",
    "home_questionnaire": "a patient's page (link token): checked in test_home_patient_pages.py",
    "home_check": "a patient's page (link token): checked in test_home_patient_pages.py",
    "home_enter": "a patient's page (types the code): checked in test_home_door.py",
    "home_diary": "a patient's page (link token): checked in test_home_patient_pages.py",
    "home_diary_entry": "a patient's page (link token): checked in test_home_patient_pages.py",
    "home_submit": "a patient's page (link token): checked in test_home_patient_pages.py",
    "home_done": "a patient's page (link token): checked in test_home_patient_pages.py",
}

SKIPPED_NAMESPACES: dict[str, str] = {
    "admin": "the Django admin: site administrators only (staff), not a clinic page",
}


def url_names() -> set[str]:
    """Every named URL pattern of the project, namespaced ("admin:index"), and "?<route>"
    for a pattern without a name outside the skipped namespaces."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str, route: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, inner, route + str(p.pattern))
            elif isinstance(p, URLPattern):
                if p.name:
                    names.add(namespace + p.name)
                elif namespace.split(":", 1)[0] not in SKIPPED_NAMESPACES:
                    names.add(f"?{route}{p.pattern}")

    walk(get_resolver().url_patterns, "", "")
    return names


def stale() -> list[str]:
    """Names in the tables that the project no longer has."""
    return sorted((set(PAGES) | set(SKIPPED)) - url_names())


def unlisted() -> list[str]:
    return sorted(
        name
        for name in url_names()
        if name not in PAGES
        and name not in SKIPPED
        and name.split(":", 1)[0] not in SKIPPED_NAMESPACES
    )


@dataclass(frozen=True)
class Visit:
    name: str
    url: str
    status: int
    document: bool = False


def visits(demo: Demo, username: str) -> Iterator[Visit]:
    """The pages to open signed in as ``username``, then the error pages."""
    user = demo.users[username]
    for name, route in PAGES.items():
        status = route.therapist if username == THERAPIST else route.admin
        if status is None:
            continue
        for kwargs in route.kwargs(demo, user):
            yield Visit(name, reverse(name, kwargs=kwargs), status, route.document)
    yield Visit(
        "404 (another clinic's patient)",
        reverse("patient_detail", kwargs={"patient_id": demo.other_clinic_patient.pk}),
        404,
    )
    yield Visit("404 (no such address)", "/no-such-page/", 404)


# --- In the browser.


def sign_in(page: Any, username: str, demo: Demo, *, on_two_factor: Callable[[], None]) -> None:
    """Sign in through the login page, and for Tess through the two-factor page (calling
    ``on_two_factor`` there first, to check that page)."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    if "/two-factor/verify/" in page.url:
        on_two_factor()
        page.get_by_label("Code").fill(authenticator_code(demo.authenticator))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(lambda url: "/two-factor/" not in url)


def open_page(page: Any, visit: Visit) -> str | None:
    """Go to the page; a problem if it does not answer as expected with HTML."""
    response = page.goto(visit.url)
    if response is None:
        return f"{visit.url} ({visit.name}): no response"
    problem = None
    if response.status != visit.status:
        problem = f"{visit.url} ({visit.name}): status {response.status}, expected {visit.status}"
    elif "text/html" not in (response.headers.get("content-type") or ""):
        problem = f"{visit.url} ({visit.name}): not HTML ({response.headers.get('content-type')})"
    return problem
