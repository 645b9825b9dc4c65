import datetime

import factory
from django.contrib.auth import get_user_model

from clinic.models import Anatomy, Clinic, Membership, Patient, Role


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


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Assessment"

    patient = factory.SubFactory(PatientFactory)
    therapist = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("therapist")
    assessed_on = datetime.date(2026, 11, 2)


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "careplans.Recipient"

    clinic = factory.SubFactory(ClinicFactory)
    kind = "gp"
    name = factory.Sequence(lambda n: f"Example Medical Practice {n}")
    address = "1 Sample Road\nExampletown"
