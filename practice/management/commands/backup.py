"""`manage.py backup OUT [--encrypt]`: the database and every stored file in one archive
(see practice/backups.py). OUT is a file, or a folder to write a dated file into.

Encrypted whenever FLOORPLAN_BACKUP_KEY is set (``--encrypt`` insists on it). For cron:
``30 2 * * * cd /srv/floorplan && .venv/bin/python manage.py backup /srv/backups/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practice import backups


class Command(BaseCommand):
    help = "Write a backup archive: a consistent copy of the database plus every stored file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="the archive to write, or a folder for it")
        parser.add_argument(
            "--encrypt",
            action="store_true",
            help=f"refuse to write an unencrypted archive (needs {backups.KEY_ENV})",
        )

    def handle(self, *args: Any, out: Path, encrypt: bool, **options: Any) -> None:
        try:
            path, manifest = backups.backup_create(out=out, encrypt=encrypt)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] > 0:
            rows = sum(manifest["counts"].values())
            state = "encrypted" if backups.backup_key() else "NOT encrypted"
            self.stdout.write(
                f"Wrote {path} ({state}): {manifest['engine']} database with {rows} rows, "
                f"{len(manifest['files'])} stored file(s)."
            )
