import django.db.models.deletion
from django.db import migrations, models


def copy_clinic(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Patient = apps.get_model("clinic", "Patient")
    Assessment.objects.update(
        clinic_id=models.Subquery(
            Patient.objects.filter(pk=models.OuterRef("patient_id")).values("clinic_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_assessment_assessment_recent"),
        ("clinic", "0002_patient_patient_caseload"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="clinic",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clinic.clinic",
            ),
        ),
        migrations.RunPython(copy_clinic, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assessment",
            name="clinic",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clinic.clinic",
            ),
        ),
    ]
