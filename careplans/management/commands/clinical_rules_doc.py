"""`manage.py clinical_rules_doc [--check]`: write docs/clinical-rules.md from the rules.

With --check, write nothing and exit 1 when the file differs from what the rules say.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from careplans.rules.reference import clinical_rules_markdown

DOC = Path(settings.BASE_DIR) / "docs" / "clinical-rules.md"


class Command(BaseCommand):
    help = "Write docs/clinical-rules.md from the care-plan rules (or --check it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="fail if it is out of date")

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        text = clinical_rules_markdown()
        if check:
            if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
                raise CommandError(f"{DOC} is out of date: run `make docs`.")
            return
        DOC.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {DOC}")
