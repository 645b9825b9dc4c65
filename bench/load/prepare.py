"""Staff and patients of the load test, in the throwaway clinic the bench's server uses.

Run as a script with the server's environment (FLOORPLAN_VAR_DIR, DATABASE_URL); writes
a JSON file naming each simulated person's login and patients, so no two of them edit the
same record (a real clinic's therapists see their own patients; edit conflicts would be
measured, not load).
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
# The tests' copy of a worked intake (no diary file, a vulva anatomy).
INTAKE = ROOT / "tests/careplans/data/tense-and-weak.json"
PASSWORD = "floorplan-load"  # a throwaway clinic on loopback, deleted after the run


def main(out: Path, therapists: int, admins: int, signers: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from assessments.services.intake_import import intake_import
    from careplans import services
    from clinic.models import Clinic, Membership, Patient, Role

    clinic = Clinic.objects.order_by("pk").first()
    assert clinic is not None, "the demo clinic is loaded first"
    intake = json.loads(INTAKE.read_text())
    users = get_user_model().objects

    def person(name: str, role: str) -> Any:
        user = users.create_user(name, password=PASSWORD)
        Membership.objects.create(user=user, clinic=clinic, role=role)
        return user

    def patient(tag: str) -> Patient:
        return Patient.objects.create(
            clinic=clinic,
            record_number=tag,
            first_name="Load",
            last_name=tag.replace("-", ""),
            date_of_birth=datetime.date(1980, 1, 1),
            anatomy="vulva",
            pronouns="she/her",
        )

    plan: dict[str, Any] = {"password": PASSWORD, "clinic": clinic.pk, "therapists": []}
    plan["therapists"] = [
        {
            "username": f"load-t{n:02d}",
            "patients": [patient(f"LT{n:02d}-{k}").pk for k in range(2)],
            "user": person(f"load-t{n:02d}", Role.THERAPIST).pk,
        }
        for n in range(1, therapists + 1)
    ]
    plan["admins"] = [
        person(f"load-a{n:02d}", Role.CLINIC_ADMIN).username for n in range(1, admins + 1)
    ]
    # The save-during-signing pair: one therapist saving a draft intake, others signing
    # plan after plan (sign, new version, sign) on completed visits of their own.
    saver = person("load-saver", Role.THERAPIST)
    draft = intake_import(patient=patient("LS-1"), intake=intake, therapist=saver)
    plan["saver"] = {"username": saver.username, "assessment": draft.pk}
    plan["signers"] = []
    for n in range(1, signers + 1):
        signer = person(f"load-s{n:02d}", Role.THERAPIST)
        visit = intake_import(patient=patient(f"LS{n:02d}-2"), intake=intake, therapist=signer)
        visit = services.visit_complete(assessment=visit, user=signer)
        draft_plan = services.careplan_build(assessment=visit, user=signer)
        plan["signers"].append({"username": signer.username, "plan": draft_plan.pk})
    out.write_text(json.dumps(plan))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
