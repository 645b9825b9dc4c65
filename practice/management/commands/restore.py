"""`manage.py restore ARCHIVE`: a backup (practice/backups.py) back into a new, empty
installation, every file checked against its SHA-256 before anything is written.

An encrypted archive needs FLOORPLAN_BACKUP_KEY set to the key it was made with. With the
key set, an unencrypted archive is refused (it may have been planted) unless
``--allow-unencrypted`` is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practice import backups


class Command(BaseCommand):
    help = "Restore a backup archive into an empty installation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--allow-unencrypted",
            action="store_true",
            help=f"restore an unencrypted archive although {backups.KEY_ENV} is set",
        )

    def handle(self, *args: Any, archive: Path, allow_unencrypted: bool, **options: Any) -> None:
        if not archive.is_file():
            raise CommandError(f"No file {archive}.")
        try:
            manifest = backups.backup_restore(archive=archive, allow_unencrypted=allow_unencrypted)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: the database and "
            f"{len(manifest['files'])} stored file(s), each matching its SHA-256."
        )
        for label, then, now in backups.restored_counts(manifest):
            if then != now:
                self.stderr.write(f"  {label}: {then} rows in the backup, {now} now")
