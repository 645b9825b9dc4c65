"""The care plan at the project's edge (careplan-v1): its JSON Schema, read with the same
field-naming messages as the intake. Pure Python, no Django imports."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from assessments.intake import FieldError, Validator, schema_errors, sorted_errors

CAREPLAN_SCHEMA: dict[str, Any] = json.loads(
    resources.files("careplans").joinpath("schemas/careplan-v1.schema.json").read_text("utf-8")
)
_CAREPLAN_VALIDATOR = Validator(CAREPLAN_SCHEMA)


def careplan_errors(plan: object) -> list[FieldError]:
    """Where a plan departs from careplan-v1, each error naming its field."""
    return sorted_errors(schema_errors(_CAREPLAN_VALIDATOR, plan, root="(care plan)"))
