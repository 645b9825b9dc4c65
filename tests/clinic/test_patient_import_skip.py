"""Importing the good rows of a file and skipping the bad ones, on request: the bad rows
come back as CSV naming each one's problem, to be fixed and uploaded again."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clinic.models import AccessLog, AuditAction, Patient
from clinic.patient_csv import PROBLEM
from clinic.services import patient_import
from tests.factories import PatientFactory

HEADER = "record_number,first_name,last_name,date_of_birth,anatomy,phone,therapist\n"
# Lines 2 and 5 are good; line 3 has a bad anatomy; line 4's number is taken (R9).
MIXED = (
    HEADER
    + "R1,Ana,Lopez,1984-06-30,vulva,+44 20 7946 0000,tess\n"
    + "R2,Bo,Diaz,1984-06-30,cat,020 7946 0001,\n"
    + "R9,Cy,Ng,1984-06-30,penis,,\n"
    + "R3,Di,Park,1990-01-01,unspecified,,\n"
).encode()


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


@pytest.fixture
def taken(clinic):
    return PatientFactory(clinic=clinic, record_number="R9", last_name="Existing")


def stored_uploads(tmp_path) -> list:
    folder = tmp_path / patient_import.UPLOAD_DIR
    return list(folder.iterdir()) if folder.exists() else []


def upload(client, clinic, data: bytes) -> str:
    file = SimpleUploadedFile("patients.csv", data, content_type="text/csv")
    response = client.post(reverse("patient_import", args=[clinic.pk]), {"file": file})
    assert response.status_code == 302
    return response["Location"]


def token_of(location: str) -> str:
    return location.rstrip("/").rsplit("/", 1)[-1]


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_the_check_offers_the_good_rows_and_the_bad_ones_as_csv(
    admin_client_, clinic, therapist, taken
):
    location = upload(admin_client_, clinic, MIXED)
    html = admin_client_.get(location).content.decode()
    token = token_of(location)

    assert "2 rows can be imported now; 2 cannot yet." in html
    assert "Import the 2 good rows and skip the 2 with problems" in html
    assert 'name="good_rows" value="2"' in html
    assert reverse("patient_import_bad_rows", args=[clinic.pk, token]) in html
    assert not Patient.objects.exclude(pk=taken.pk).exists()  # nothing yet


def test_the_bad_rows_download_has_the_uploads_columns_and_a_problem_column(
    admin_client_, clinic, therapist, taken
):
    token = token_of(upload(admin_client_, clinic, MIXED))
    response = admin_client_.get(reverse("patient_import_bad_rows", args=[clinic.pk, token]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store, private"
    text = response.content.decode()
    assert text.startswith("\ufeff" + HEADER.strip() + "," + PROBLEM + "\r\n")
    rows = rows_of(text)
    assert [row["record_number"] for row in rows] == ["R2", "R9"]
    assert "anatomy must be vulva, penis or unspecified, not 'cat'." in rows[0][PROBLEM]
    assert rows[0]["phone"] == "020 7946 0001"  # as typed
    assert "R9 is already a patient of this clinic" in rows[1][PROBLEM]
    # Logged like the import, for this clinic.
    log = AccessLog.objects.get(user__username="adele", action=AuditAction.IMPORT)
    assert log.clinic == clinic and "rows with problems" in log.what


def test_importing_the_good_rows_skips_the_bad_and_hands_them_back(
    admin_client_, clinic, therapist, taken, upload_storage
):
    token = token_of(upload(admin_client_, clinic, MIXED))
    confirm = reverse("patient_import_confirm", args=[clinic.pk, token])
    response = admin_client_.post(confirm, {"good_rows": 2}, follow=True)

    imported = Patient.objects.exclude(pk=taken.pk).order_by("record_number")
    assert [(p.record_number, p.last_name) for p in imported] == [("R1", "Lopez"), ("R3", "Park")]
    assert imported[0].assigned_therapist == therapist
    assert imported[0].phone == "+44 20 7946 0000"
    assert not Patient.objects.filter(record_number="R2").exists()  # no half of a bad row
    html = response.content.decode()
    assert "2 patients were imported into Riverside Pelvic Health." in html
    assert "The rows with problems were skipped" in html
    # The page now holds the skipped rows alone, ready to download without uploading again.
    skipped = response.context["token"]
    assert skipped != token
    assert response.context["preview"].row_count == 2
    assert len(stored_uploads(upload_storage)) == 1  # the original file is gone
    download = admin_client_.get(reverse("patient_import_bad_rows", args=[clinic.pk, skipped]))
    assert [row["record_number"] for row in rows_of(download.content.decode())] == ["R2", "R9"]
    assert AccessLog.objects.filter(
        action=AuditAction.IMPORT, what="Imported 2 patients from a CSV file", clinic=clinic
    ).exists()


def test_the_bad_rows_fixed_import_on_a_second_upload(admin_client_, clinic, therapist, taken):
    token = token_of(upload(admin_client_, clinic, MIXED))
    done = admin_client_.post(
        reverse("patient_import_confirm", args=[clinic.pk, token]), {"good_rows": 2}, follow=True
    )
    skipped = done.context["token"]
    text = admin_client_.get(
        reverse("patient_import_bad_rows", args=[clinic.pk, skipped])
    ).content.decode()
    fixed = text.replace(",cat,", ",vulva,").replace("R9,", "R10,")

    location = upload(admin_client_, clinic, fixed.encode())
    preview = admin_client_.get(location)
    assert preview.context["preview"].ready  # the problem column is ignored
    admin_client_.post(reverse("patient_import_confirm", args=[clinic.pk, token_of(location)]))
    numbers = set(Patient.objects.values_list("record_number", flat=True))
    assert numbers == {"R1", "R2", "R3", "R9", "R10"}


def test_without_asking_it_stays_all_or_nothing(admin_client_, clinic, therapist, taken):
    token = token_of(upload(admin_client_, clinic, MIXED))
    response = admin_client_.post(reverse("patient_import_confirm", args=[clinic.pk, token]))
    assert response["Location"] == reverse("patient_import_preview", args=[clinic.pk, token])
    assert Patient.objects.count() == 1


def test_it_refuses_when_the_good_rows_changed_since_the_check(
    admin_client_, clinic, therapist, taken
):
    token = token_of(upload(admin_client_, clinic, MIXED))
    PatientFactory(clinic=clinic, record_number="R3")  # a colleague added R3 meanwhile
    response = admin_client_.post(
        reverse("patient_import_confirm", args=[clinic.pk, token]), {"good_rows": 2}, follow=True
    )
    assert "Nothing was imported" in response.content.decode()
    assert not Patient.objects.filter(record_number="R1").exists()
    assert response.context["preview"].rows[0].record_number == "R1"  # 1 good row now


def test_a_file_broken_part_way_offers_no_skipping(admin_client_, clinic, upload_storage):
    data = (
        HEADER + "R1,Ana,Lopez,1984-06-30,vulva,,\n" + 'R2,"Bo,Diaz,1984-06-30,penis,,\n'
    ).encode()
    html = admin_client_.get(upload(admin_client_, clinic, data)).content.decode()
    assert "Nothing can be imported yet" in html
    assert "good_rows" not in html and "problems.csv" not in html
    assert stored_uploads(upload_storage) == []


def test_all_rows_bad_can_still_be_downloaded(admin_client_, clinic):
    data = (HEADER + "R1,Ana,Lopez,1984-06-30,cat,,\n").encode()
    location = upload(admin_client_, clinic, data)
    html = admin_client_.get(location).content.decode()
    assert "Nothing can be imported yet" in html and "good_rows" not in html
    url = reverse("patient_import_bad_rows", args=[clinic.pk, token_of(location)])
    assert url in html
    assert rows_of(admin_client_.get(url).content.decode())[0]["anatomy"] == "cat"


def test_a_therapist_is_forbidden_and_another_clinic_finds_nothing(
    client, clinic, clinic_admin, therapist, outsider, other_clinic_admin, taken
):
    token = patient_import.import_upload_store(clinic=clinic, user=clinic_admin, data=MIXED)
    url = reverse("patient_import_bad_rows", args=[clinic.pk, token])
    confirm = reverse("patient_import_confirm", args=[clinic.pk, token])
    client.force_login(therapist)
    assert client.get(url).status_code == 403
    assert client.post(confirm, {"good_rows": 2}).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(other_clinic_admin)
    assert client.get(url).status_code == 404
    # Their own clinic's address with our token: the token is not theirs.
    other = reverse(
        "patient_import_bad_rows", args=[other_clinic_admin.memberships.get().clinic_id, token]
    )
    assert client.get(other)["Location"] == reverse(
        "patient_import", args=[other_clinic_admin.memberships.get().clinic_id]
    )
    assert Patient.objects.count() == 1
    assert not AccessLog.objects.filter(action=AuditAction.IMPORT).exists()


# A comma not in quotes ("Diaz, Jr") shifts the row's cells one column to the right: its
# last cell ("tess") lands outside the named columns.
SHIFTED_LINE = "R2,Bo,Diaz, Jr,1984-06-30,vulva,020 7946 0001,tess"
SHIFTED = (HEADER + "R1,Ana,Lopez,1984-06-30,vulva,,\n" + SHIFTED_LINE + "\n").encode()


def cells_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def bad_rows_download(client, clinic, data: bytes) -> str:
    token = token_of(upload(client, clinic, data))
    response = client.get(reverse("patient_import_bad_rows", args=[clinic.pk, token]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_bad_rows_download_keeps_the_cells_outside_the_named_columns(
    admin_client_, clinic, therapist
):
    text = bad_rows_download(admin_client_, clinic, SHIFTED)
    header, *rows = cells_of(text)
    assert header == [*HEADER.strip().split(","), "extra_1", PROBLEM]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    # Every cell of the line is in the download, in the order typed.
    original = [cell.strip() for cell in SHIFTED_LINE.split(",")]
    assert rows[0][: len(original)] == original
    assert row["extra_1"] == "tess"
    assert "Unexpected value 'tess'" in row[PROBLEM]


def test_a_value_left_in_an_extra_column_is_that_rows_problem_naming_the_column(
    admin_client_, clinic, therapist
):
    text = bad_rows_download(admin_client_, clinic, SHIFTED)
    location = upload(admin_client_, clinic, text.encode())  # uploaded again, unchanged
    preview = admin_client_.get(location)
    assert not preview.context["preview"].ready
    refused = [e.message for e in preview.context["preview"].errors if e.field == "extra_1"]
    assert refused == [
        "extra_1 holds 'tess', a value from outside the named columns: move it into its "
        "column, or clear it."
    ]
    html = preview.content.decode()
    assert "extra_1 holds &#x27;tess&#x27;" in html
    # Downloaded again, the value is still there, in its column, and no column is added.
    again = bad_rows_download(admin_client_, clinic, text.encode())
    header, row = cells_of(again)
    assert header.count("extra_1") == 1 and "extra_2" not in header
    assert row[header.index("extra_1")] == "tess"


def test_the_fixed_row_imports_with_its_empty_extra_column_ignored(
    admin_client_, clinic, therapist
):
    text = bad_rows_download(admin_client_, clinic, SHIFTED)
    header, _row = cells_of(text)
    fixed = io.StringIO()
    writer = csv.writer(fixed)
    writer.writerow(header)
    # The last name back together, every cell in its column, the extra cell emptied.
    writer.writerow(
        ["R2", "Bo", "Diaz, Jr", "1984-06-30", "vulva", "020 7946 0001", "tess", "", ""]
    )
    location = upload(admin_client_, clinic, fixed.getvalue().encode())
    assert admin_client_.get(location).context["preview"].ready
    admin_client_.post(reverse("patient_import_confirm", args=[clinic.pk, token_of(location)]))
    patient = Patient.objects.get(record_number="R2")
    assert patient.last_name == "Diaz, Jr" and patient.assigned_therapist == therapist
