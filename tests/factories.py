"""Factories for every model. `.build()` makes unsaved objects for tests without a database.

A signed plan from `SignedCarePlanFactory` stores a small sample PDF with its SHA-256, as
signing does, without rendering with WeasyPrint: tests of signing and printing sign for real.
"""

import copy
import datetime
import functools
import hashlib
import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfWriter

from assessments import wallclock
from assessments.models import Assessment, DiaryEntry, Kind, Status
from careplans import rules
from careplans.models import (
    ITEM_FIELDS,
    BatchPrint,
    CarePlan,
    CarePlanItem,
    Category,
    Intervention,
    PlanStatus,
    Recipient,
    Review,
    ReviewReason,
    items_from_built,
)
from clinic.models import AccessLog, Anatomy, Clinic, Membership, Patient, Role, StaffProfile

# Stress leaks with a weak squeeze, examined with consent: a short, safe plan (intake-v1).
SMALL_INTAKE = {
    "schema": "pelvic-intake/1",
    "patient": {"anatomy": "vulva", "age": 56, "pronouns": "she/her", "language": "en"},
    "symptoms": {
        "stress_leak_triggers": ["cough", "sneeze"],
        "urgency": False,
        "urge_leaks": False,
        "pelvic_pain": False,
        "painful_penetration": False,
        "constipation": False,
    },
    "exam": {
        "consent_recorded": True,
        "internal_exam": True,
        "tone": "normal",
        "oxford_grade": 2,
        "endurance_s": 5,
        "repetitions": 5,
        "fast_contractions": 6,
        "relaxation": "complete",
        "accessory_muscles": False,
        "breath_holding": False,
        "bearing_down": False,
        "knack": False,
        "tenderness": False,
    },
    "red_flags": [],
}


@functools.cache
def sample_build() -> rules.BuiltPlan:
    """The builder's plan for SMALL_INTAKE, built once: callers copy `.plan` before changing it."""
    return rules.build(SMALL_INTAKE)


@functools.cache
def sample_pdf() -> bytes:
    """A tiny valid PDF (one blank A4 page), made once, standing in for a signed plan."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Test Pelvic Health {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("test-pass-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    clinic = factory.SubFactory(ClinicFactory)
    role = Role.THERAPIST


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    language = "en"


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    record_number = factory.Sequence(lambda n: f"T{n:05d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = datetime.date(1970, 5, 17)
    anatomy = Anatomy.VULVA
    pronouns = "she/her"
    preferred_language = "en"


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLog

    user = factory.SubFactory(UserFactory)
    patient = factory.SubFactory(PatientFactory)
    what = "Opened the record"
    path = factory.LazyAttribute(lambda o: f"/patients/{o.patient.pk}/")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    class Params:
        complete = factory.Trait(
            status=Status.COMPLETE, completed_at=factory.LazyFunction(timezone.now)
        )

    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    kind = Kind.INTAKE
    therapist = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("therapist")
    assessed_on = datetime.date(2026, 11, 2)


class DiaryEntryFactory(factory.django.DjangoModelFactory):
    """A diary event at a local wall-clock time `at` (naive), stored as diary-v1 stores it."""

    class Meta:
        model = DiaryEntry

    class Params:
        at = factory.LazyAttribute(
            lambda o: datetime.datetime.combine(
                o.assessment.assessed_on - datetime.timedelta(days=1), datetime.time(8)
            )
        )

    assessment = factory.SubFactory(AssessmentFactory)
    time = factory.LazyAttribute(lambda o: wallclock.to_db(o.at))
    event = DiaryEntry.Event.VOID
    volume_ml = factory.LazyAttribute(lambda o: 250 if o.event == DiaryEntry.Event.VOID else None)


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    clinic = factory.SubFactory(ClinicFactory)
    code = factory.Sequence(lambda n: f"education.custom_{n}")
    category = Category.EDUCATION
    title = factory.Sequence(lambda n: f"Clinic leaflet {n}")
    patient_text = "Read the leaflet your therapist gave you."
    clinician_text = "Given the clinic's written advice."
    source = "Clinic's own advice"


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    clinic = factory.SubFactory(ClinicFactory)
    kind = "gp"
    name = factory.Sequence(lambda n: f"Example Medical Practice {n}")
    address = "1 Sample Road\nExampletown"


class CarePlanFactory(factory.django.DjangoModelFactory):
    """A draft plan of a completed assessment, with the builder's plan for SMALL_INTAKE.

    `with_items=True` also stores its items, as `careplan_build` does."""

    class Meta:
        model = CarePlan
        skip_postgeneration_save = True

    assessment = factory.SubFactory(AssessmentFactory, complete=True)
    patient = factory.SelfAttribute("assessment.patient")
    version = 1
    built = factory.LazyFunction(lambda: copy.deepcopy(sample_build().plan))
    created_by = factory.SelfAttribute("assessment.therapist")
    next_review_on = factory.LazyAttribute(
        lambda o: o.assessment.assessed_on + datetime.timedelta(weeks=6)
    )

    @factory.post_generation
    def with_items(plan, create, extracted, **kwargs):
        if not extracted:
            return
        built = sample_build()
        if plan.built["items"] == built.plan["items"]:
            items = items_from_built(plan, built)
        else:  # a plan given its own `built`: the careplan-v1 fields alone
            items = [
                CarePlanItem(
                    plan=plan,
                    position=n,
                    **{key: item[key] for key in ITEM_FIELDS},
                    hold_reason=item.get("hold_reason", ""),
                )
                for n, item in enumerate(plan.built["items"], 1)
            ]
        if create:
            CarePlanItem.objects.bulk_create(items)


class SignedCarePlanFactory(CarePlanFactory):
    """A signed plan whose stored PDF is `sample_pdf()`, with its SHA-256."""

    status = PlanStatus.SIGNED
    signed_by = factory.SelfAttribute("created_by")
    signed_at = factory.LazyFunction(timezone.now)
    pdf = factory.LazyAttribute(
        lambda o: ContentFile(sample_pdf(), name=f"plan-{o.patient.record_number}-v{o.version}.pdf")
    )
    pdf_sha256 = factory.LazyFunction(lambda: hashlib.sha256(sample_pdf()).hexdigest())


class CarePlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarePlanItem

    plan = factory.SubFactory(CarePlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    code = "education.pelvic_floor"
    category = Category.EDUCATION
    phase = 1
    title = "How your pelvic floor works: tighter is not better"
    rationale = "Knowing the muscles helps you train them."
    source = "NICE NG210"


class ReviewFactory(factory.django.DjangoModelFactory):
    """An open review of a signed plan, due six weeks after the assessment (`closed=True`:
    done)."""

    class Meta:
        model = Review

    class Params:
        closed = factory.Trait(
            closed_at=factory.LazyFunction(timezone.now), closed_reason=Review.Closed.DONE
        )

    plan = factory.SubFactory(SignedCarePlanFactory)
    patient = factory.SelfAttribute("plan.patient")
    reason = ReviewReason.PLANNED
    due_on = factory.LazyAttribute(
        lambda o: o.plan.assessment.assessed_on + datetime.timedelta(weeks=6)
    )


class BatchPrintFactory(factory.django.DjangoModelFactory):
    """A queued batch, by default of one new patient of the clinic (pass `patient_ids`, and
    `requested_by=clinic_admin` where who asked matters)."""

    class Meta:
        model = BatchPrint

    class Params:
        patient = factory.SubFactory(PatientFactory, clinic=factory.SelfAttribute("..clinic"))

    clinic = factory.SubFactory(ClinicFactory)
    requested_by = factory.SubFactory(UserFactory)
    format = BatchPrint.Format.PDF
    patient_ids = factory.LazyAttribute(lambda o: [o.patient.pk])
    total = factory.LazyAttribute(lambda o: len(o.patient_ids))
