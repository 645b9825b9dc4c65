"""`manage.py analyze_diary DIARY.csv [--age N] [--weight-kg N]`: diary-v1 metrics as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from assessments import diary

# The contract's default; a clinic's own threshold applies in the application.
DEFAULT_DAYTIME_FREQUENCY_THRESHOLD = 8


class Command(BaseCommand):
    help = "Print the bladder-diary metrics of a diary-v1 CSV file as one JSON object."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("diary_csv", type=Path)
        parser.add_argument("--age", type=int)
        parser.add_argument("--weight-kg", type=float, dest="weight_kg")
        parser.add_argument(
            "--daytime-frequency-threshold",
            type=float,
            default=DEFAULT_DAYTIME_FREQUENCY_THRESHOLD,
        )

    def handle(
        self,
        *args: Any,
        diary_csv: Path,
        age: int | None,
        weight_kg: float | None,
        **options: Any,
    ) -> None:
        fail = _failer(self)
        if age is not None and not 0 <= age <= 120:
            fail(f"--age must be from 0 to 120, not {age}")
        if weight_kg is not None and not 1 <= weight_kg <= 500:
            fail(f"--weight-kg must be from 1 to 500, not {weight_kg:g}")
        try:
            with diary_csv.open("rb") as file:
                data = file.read(diary.MAX_FILE_BYTES + 1)
        except OSError as error:
            fail(f"{diary_csv}: cannot read the file ({error.strerror or error})")
        try:
            events = diary.parse_diary_csv(diary.decode_diary_file(data))
        except diary.DiaryError as error:
            fail(f"{diary_csv}: not a valid diary-v1 file:\n{error}")
        metrics = diary.diary_metrics(
            events,
            age=age,
            weight_kg=weight_kg,
            daytime_frequency_threshold=options["daytime_frequency_threshold"],
        )
        self.stdout.write(json.dumps(metrics, indent=2))


def _failer(command: BaseCommand) -> Callable[[str], NoReturn]:
    def fail(message: str) -> NoReturn:
        command.stderr.write(message)
        raise SystemExit(2)

    return fail
