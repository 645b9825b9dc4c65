"""The Spanish catalogue: it holds every string the code marks (so `make messages` would
change nothing), it compiles, and the patient's and the therapist's key strings come out
in Spanish."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from careplans import dosing
from clinic import i18n

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
# The folders the Makefile's `messages` target leaves out.
NOT_EXTRACTED = [".*", "var", "tests", "bench", "docs"]
ENTRY = re.compile(r'^(msgctxt|msgid) ((?:".*"\n)+)', re.MULTILINE)


def msgids(po: Path) -> set[tuple[str, str]]:
    """(context, msgid) of every entry of a .po file, the header left out."""
    ids: set[tuple[str, str]] = set()
    context = ""
    for key, quoted in ENTRY.findall(po.read_text(encoding="utf-8")):
        text = "".join(ast.literal_eval(line) for line in quoted.splitlines())
        if key == "msgctxt":
            context = text
            continue
        if text:
            ids.add((context, text))
        context = ""
    return ids


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogue_holds_every_string_the_code_marks(settings, tmp_path, monkeypatch):
    # makemessages writes beside the sources it reads (into ./locale when there is one), so
    # it runs on a copy of them without locale/: the committed catalogue is never touched.
    sources = tmp_path / "sources"
    shutil.copytree(
        settings.BASE_DIR,
        sources,
        ignore=shutil.ignore_patterns(*NOT_EXTRACTED, "locale", "static", "__pycache__"),
    )
    monkeypatch.chdir(sources)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command(
        "makemessages",
        locale=["es"],
        add_location="file",
        ignore_patterns=NOT_EXTRACTED,
        verbosity=0,
    )
    extracted = msgids(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po")
    committed = msgids(CATALOGUE)
    missing = sorted(extracted - committed)
    stale = sorted(committed - extracted)
    assert not missing and not stale, (
        "locale/es/LC_MESSAGES/django.po is out of date with the code: run `make messages` "
        f"and translate the new strings.\nNot in the catalogue: {missing[:10]}\n"
        f"No longer in the code: {stale[:10]}"
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_the_catalogue_compiles_with_its_placeholders_intact():
    result = subprocess.run(
        ["msgfmt", "--check", "--check-format", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_catalogue_says_it_is_a_draft_and_has_no_fuzzy_entries():
    text = CATALOGUE.read_text(encoding="utf-8")
    assert "X-Translation-Status: drafted" in text
    # A fuzzy entry is left out when compiling: the English would print instead.
    assert "#, fuzzy" not in text


def test_the_plan_strings_come_out_in_spanish():
    with translation.override("es"):
        assert translation.gettext("Warning signs: when to get help") == (
            "Señales de alarma: cuándo pedir ayuda"
        )
        assert dosing.patient_line({"contractions": 8, "hold_s": 5, "sets_per_day": 3}) == (
            "8 contracciones, mantenga cada una 5 segundos, 3 veces al día"
        )
        assert dosing.patient_line({"minutes": 1, "times_per_day": 1}) == (
            "1 minuto, una vez al día"
        )
        # A duration, never the clock's "Hora".
        assert str(dosing.DOSING["minutes"].patient) == "Duración"
        # The pure modules' messages go through clinic.i18n.
        assert i18n.gettext("Red flags: %(flags)s.") == "Signos de alarma: %(flags)s."


def test_the_dashboard_is_in_spanish_once_the_user_chooses_it(therapist_client):
    # The browser's Accept-Language alone does not switch to the drafted catalogue.
    response = therapist_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Your caseload today" in response.content.decode()
    therapist_client.post(reverse("set_language"), {"language": "es", "next": "/"})
    response = therapist_client.get(reverse("home"))
    assert "Sus pacientes de hoy" in response.content.decode()
    assert 'lang="es"' in response.content.decode()
