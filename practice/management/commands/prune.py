"""`manage.py prune [--dry-run] [--schedule]`: delete abandoned patient-list uploads and old
batch-print files (see practice/housekeeping.py); signed plans and records stay.

For cron, once a day: ``15 3 * * * cd /srv/floorplan && .venv/bin/python manage.py prune``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from practice import housekeeping


class Command(BaseCommand):
    help = (
        "Delete patient-list uploads never imported and the files of old batch prints. "
        "Signed plans and database records are never deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be deleted; delete nothing"
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="instead, queue the daily prune task for the worker (once: it re-queues itself)",
        )

    def handle(self, *args: Any, dry_run: bool, schedule: bool, **options: Any) -> None:
        verbose = options["verbosity"] > 0
        if schedule:
            queued = housekeeping.prune_schedule()
            if verbose:
                self.stdout.write(
                    "Queued the daily prune." if queued else "The daily prune is already queued."
                )
            return
        report = housekeeping.prune(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        if verbose:
            for name in report.uploads:
                self.stdout.write(f"{verb} upload {name}")
            for name in report.batch_outputs:
                self.stdout.write(f"{verb} batch file {name}")
            self.stdout.write(
                f"{verb} {len(report.uploads)} upload(s) older than "
                f"{settings.PRUNE_UPLOADS_AFTER_HOURS} h and {len(report.batch_outputs)} batch "
                f"file(s) older than {settings.PRUNE_BATCHES_AFTER_DAYS} days."
            )
