"""`manage.py load_library [--clinic ID] [--update]`: the standard library into clinics."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careplans.library import LibraryError, load_library_entries, load_library_texts
from careplans.models import TRANSLATED_LANGUAGES
from careplans.services.library import library_install
from clinic.models import Clinic


class Command(BaseCommand):
    help = (
        "Add the entries of fixtures/interventions.json that a clinic's library lacks, in "
        "every clinic or one. With --update, also overwrite the clinic's existing copies of "
        "those entries with the fixture's wording (the clinic's edits to them are lost). "
        "The entries' texts in other languages (fixtures/interventions_<language>.json) "
        "are added as drafts; --update refreshes only drafts nobody at the clinic edited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinic", type=int, help="the id of one clinic (default: all)")
        parser.add_argument(
            "--update",
            action="store_true",
            help="also overwrite existing entries with the fixture's wording",
        )

    def handle(self, *args: Any, clinic: int | None, update: bool, **options: Any) -> None:
        try:
            total = len(load_library_entries())
            for language, _name in TRANSLATED_LANGUAGES:
                load_library_texts(language)
        except LibraryError as error:
            raise CommandError(str(error)) from error
        clinics = Clinic.objects.all()
        if clinic is not None:
            clinics = clinics.filter(pk=clinic)
            if not clinics.exists():
                raise CommandError(f"No clinic with id {clinic}.")
        added_in_all = 0
        for each in clinics:
            added = library_install(clinic=each, update=update)
            added_in_all += added
            refreshed = f", {total - added} refreshed" if update else ""
            self.stdout.write(f"{each.name}: {added} added{refreshed}.")
        self.stdout.write(f"{added_in_all} entries added in {len(clinics)} clinic(s).")
