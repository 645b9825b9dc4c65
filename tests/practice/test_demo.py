"""The demo clinic that `make run` serves: synthetic, and made through the real services."""

from io import StringIO

from django.core.management import call_command

from assessments.models import Assessment
from careplans.models import CarePlan, PlanStatus, Review


def test_the_demo_story_loads_once(db):
    call_command("loaddata", "fixtures/demo_clinic.json", verbosity=0)
    call_command("load_library", stdout=StringIO())
    call_command("load_demo_story", stdout=StringIO())
    signed = CarePlan.objects.get(status=PlanStatus.SIGNED)
    assert signed.pdf_sha256 and signed.patient.record_number == "R0001"
    assert signed.assessment.diary_entries.count() == 17
    assert CarePlan.objects.filter(status=PlanStatus.DRAFT).count() == 1
    assert Assessment.objects.with_open_red_flags().get().patient.record_number == "R0010"
    assert Review.objects.open().filter(plan=signed).exists()
    assert not Assessment.objects.filter(completed_at__isnull=True).exists()

    out = StringIO()
    call_command("load_demo_story", stdout=out)
    assert "already there" in out.getvalue()
    assert CarePlan.objects.count() == 2
