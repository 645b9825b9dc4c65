from django.urls import reverse

from careplans.models import Intervention
from careplans.rules import RULES
from clinic.models import Clinic
from tests.factories import UserFactory


def test_a_clinic_created_in_the_admin_gets_the_library(client, db):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
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
