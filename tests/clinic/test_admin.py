from django.urls import reverse

from careplans.models import Intervention
from careplans.rules import RULES
from clinic.models import AccessLog, AuditAction, Clinic
from tests.conftest import two_factor_verified
from tests.factories import UserFactory


def test_a_clinic_created_in_the_admin_gets_the_library(client, db):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    two_factor_verified(client, superuser)
    response = client.post(
        reverse("admin:clinic_clinic_add"),
        {
            "name": "New Town Pelvic Health",
            "paper_size": "A4",
            "daytime_frequency_threshold": 8,
            "fluid_low_ml": 1500,
            "fluid_high_ml": 3000,
            "alcohol_units_per_week": 14,
            "phase_one_limit": 5,
            "bladder_training_target_min": 180,
            "nocturia_min_voids": 2,
            "down_training_minutes": 5,
            "idle_timeout_minutes": 30,
            "import_date_order": "iso_only",
            "language": "en",
            "english_spelling": "uk",
            "record_number_pattern": "R{number:04}",
            "home_link_days": 14,
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    clinic = Clinic.objects.get(name="New Town Pelvic Health")
    codes = set(Intervention.objects.filter(clinic=clinic).values_list("code", flat=True))
    assert codes == {rule.code for rule in RULES}


def test_clinic_admins_cannot_use_the_django_admin(admin_client_):
    response = admin_client_.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_site_administrator_owes_the_second_step_before_any_page(client, db, patient):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)  # the password alone
    for url in ("/admin/", f"/admin/clinic/patient/{patient.pk}/change/", "/patients/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor_enrol")), url


def test_the_site_administrations_patient_pages_are_in_the_audit_trail(client, db, patient):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    two_factor_verified(client, superuser)
    assert client.get("/admin/clinic/patient/", {"q": patient.last_name}).status_code == 200
    assert client.get(f"/admin/clinic/patient/{patient.pk}/change/").status_code == 200
    rows = AccessLog.objects.filter(user=superuser).order_by("pk")
    assert [(row.action, row.patient, row.query) for row in rows] == [
        (AuditAction.LIST, patient, patient.last_name),
        (AuditAction.VIEW, patient, ""),
    ]
