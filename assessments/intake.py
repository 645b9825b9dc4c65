"""Intake files (contract pelvic-intake/1): parse, check against the schema, explain errors.

The schema files are the project's copies of the contracts; this module turns jsonschema's
findings into messages a therapist can act on, each naming the field. Pure Python: no
Django imports.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.protocols import Validator as SchemaValidator
from jsonschema.validators import extend

from assessments import diary
from clinic.i18n import gettext as _

MAX_BYTES = 1024 * 1024

INTAKE_SCHEMA: dict[str, Any] = json.loads(
    resources.files("assessments").joinpath("schemas/intake-v1.schema.json").read_text("utf-8")
)

# The patterns of the intake and care-plan schemas, each with the message it deserves
# (tests keep them in step); careplans.contract reads the care plan with the same wording.
LANGUAGE_PATTERN = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*(?!\\n)$"
DIARY_PATH_PATTERN = "^(?![/\\\\])(?![A-Za-z]:)[^\\u0000]*(?!\\n)$"
CODE_PATTERN = "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+(?!\\n)$"
DOSING_KEY_PATTERN = "^[a-z][a-z0-9_]*(?!\\n)$"
NOT_BLANK_PATTERN = "\\S"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class IntakeError(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def _is_integer(checker: object, value: object) -> bool:
    # JSON Schema counts 3.0 as an integer; the clinical code downstream wants a real int.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(checker: object, value: object) -> bool:
    return _is_integer(checker, value) or (isinstance(value, float) and math.isfinite(value))


# extend() is untyped in types-jsonschema; the class it makes is a jsonschema Validator.
Validator: type[SchemaValidator] = extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"integer": _is_integer, "number": _is_number}
    ),
)
_INTAKE_VALIDATOR = Validator(INTAKE_SCHEMA)


def intake_errors(data: object) -> list[FieldError]:
    errors = schema_errors(_INTAKE_VALIDATOR, data, root="(intake)")
    if isinstance(data, dict):
        errors += _cross_field_errors(data)
    return sorted_errors(errors)


def validate_intake(data: object) -> dict[str, Any]:
    errors = intake_errors(data)
    if errors:
        raise IntakeError(errors)
    assert isinstance(data, dict)
    return data


def load_intake_text(text: str | bytes) -> dict[str, Any]:
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise _file_error(_("is larger than the 1 MB limit for an intake file"))
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise _file_error(
                _("is not UTF-8 text (bad byte at position %(position)s)")
                % {"position": error.start}
            ) from None
    elif len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise _file_error(_("is larger than the 1 MB limit for an intake file"))
    try:
        data = json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=_object_without_duplicates,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as error:
        raise _file_error(
            _("is not valid JSON: %(problem)s (line %(line)s, column %(column)s)")
            % {"problem": error.msg, "line": error.lineno, "column": error.colno}
        ) from None
    except _DuplicateKey as error:
        raise _file_error(
            _(
                "has the key %(key)s twice in one object; "
                "a duplicate key would silently drop a finding"
            )
            % {"key": _describe(error.key)}
        ) from None
    except _NotFinite as error:
        raise _file_error(
            _("contains %(value)s, which is not a number JSON allows") % {"value": error.text}
        ) from None
    except RecursionError:
        raise _file_error(_("is nested too deeply")) from None
    except ValueError:  # an integer with thousands of digits
        raise _file_error(_("contains a number too long to read")) from None
    where = _unstorable(data, [])
    if where is not None:
        # JSON may escape half of a surrogate pair alone ("\\ud800"): that is no character,
        # and neither a page nor a database can hold it.
        message = _("contains an escaped character that is not text (a lone \\ud800-\\udfff)")
        raise IntakeError([FieldError(_field(where, "(intake)"), message)])
    return validate_intake(data)


def _unstorable(value: object, path: list[object]) -> list[object] | None:
    """The path to a string holding a lone surrogate (or to the object whose key does)."""
    if isinstance(value, str):
        return path if _UNSTORABLE_RE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if _UNSTORABLE_RE.search(key):
                return path
            where = _unstorable(item, [*path, key])
            if where is not None:
                return where
    if isinstance(value, list):
        for index, item in enumerate(value):
            where = _unstorable(item, [*path, index])
            if where is not None:
                return where
    return None


_UNSTORABLE_RE = re.compile("[\ud800-\udfff]")


def load_intake_file(path: Path) -> tuple[dict[str, Any], Path]:
    """The intake, and the folder a `diary` path is relative to."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise _file_error(
            _("cannot read %(path)s: %(reason)s")
            % {"path": path, "reason": error.strerror or error}
        ) from None
    return load_intake_text(raw), path.absolute().parent


def _cross_field_errors(data: dict[str, Any]) -> list[FieldError]:
    errors = []
    hormonal = data.get("hormonal")
    if isinstance(hormonal, dict) and "weeks_postpartum" in hormonal:
        status = hormonal.get("status", _MISSING)
        valid_statuses = INTAKE_SCHEMA["properties"]["hormonal"]["properties"]["status"]["enum"]
        # A misspelt status already has its own error; don't pile a second one on top.
        if status != "postpartum" and (status is _MISSING or status in valid_statuses):
            errors.append(
                FieldError(
                    "hormonal.weeks_postpartum",
                    _('is recorded only with hormonal.status "postpartum"; found %(status)s')
                    % {"status": _found_field("hormonal.status", hormonal, "status")},
                )
            )
    exam = data.get("exam")
    if isinstance(exam, dict) and exam.get("internal_exam") is True:
        consent = exam.get("consent_recorded", _MISSING)
        if consent is not True and (consent is _MISSING or isinstance(consent, bool)):
            errors.append(
                FieldError(
                    "exam.internal_exam",
                    _(
                        "is true, which needs exam.consent_recorded true (no internal "
                        "examination is recorded without recorded consent); found %(consent)s"
                    )
                    % {"consent": _found_field("exam.consent_recorded", exam, "consent_recorded")},
                )
            )
    return errors


_MISSING = object()


def _found_field(name: str, section: dict[str, Any], key: str) -> str:
    if key not in section:
        return _("%(field)s missing") % {"field": name}
    return f"{name} {_describe(section[key])}"


# --- jsonschema errors -> our messages -----------------------------------------------------


def schema_errors(validator: SchemaValidator, data: object, root: str) -> list[FieldError]:
    try:
        # Any object: what is wrong with it is the schema's to say (the stubs want JSON).
        found = validator.iter_errors(data)  # type: ignore[arg-type]
        return list(dict.fromkeys(_translate_all(found, root)))
    except RecursionError:
        return [FieldError(root, _("is nested too deeply"))]


def _translate_all(errors: Iterable[ValidationError], root: str) -> Iterator[FieldError]:
    for error in errors:
        yield from _translate(error, root)


def _translate(error: ValidationError, root: str) -> Iterator[FieldError]:
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance
    path = list(error.absolute_path)
    field = _field(path, root)

    if keyword == "required":
        # Set on every error iter_errors yields: "required" holds the list of names.
        for name in cast("list[str]", error.validator_value):
            if isinstance(value, dict) and name not in value:
                yield FieldError(_field([*path, name], root), _("is required"))
        return
    if keyword == "additionalProperties":
        known = list(schema.get("properties", {}))
        # additionalProperties fails only on an object.
        for name in cast("dict[str, Any]", value):
            if name not in known:
                yield FieldError(_field([*path, name], root), _unknown_field_message(name, known))
        return
    yield FieldError(field, _message(keyword, schema, value, error))


def _message(keyword: object, schema: dict[str, Any], value: Any, error: ValidationError) -> str:
    found = _describe(value)
    if "enum" in schema and keyword in ("enum", "type"):
        return _("must be one of: %(choices)s; found %(found)s") % {
            "choices": ", ".join(_plain(choice) for choice in schema["enum"]),
            "found": found,
        }
    if keyword == "const":
        return _("must be %(expected)s, found %(found)s") % {
            "expected": _describe(schema["const"]),
            "found": found,
        }
    if keyword in ("type", "minimum", "maximum") and schema.get("type") in ("integer", "number"):
        return _number_message(schema, found)
    if keyword == "type":
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return _("must be %(expected)s, found %(found)s") % {
            "expected": _(" or ").join(_type_name(name) for name in types),
            "found": found,
        }
    if keyword in ("minItems", "maxItems"):
        return _count_message(schema, value)
    if keyword == "uniqueItems":
        repeated = _first_repeat(value)
        if repeated is None:
            return _("must not list the same value twice")
        return _("must not list %(value)s twice") % {"value": _describe(repeated)}
    if keyword == "maxLength":
        return _("must be at most %(max)s characters long, found %(count)s") % {
            "max": schema["maxLength"],
            "count": len(value),
        }
    if keyword == "minLength":
        return _("must not be empty")
    if keyword == "pattern":
        return _pattern_message(schema["pattern"], found)
    return error.message  # a keyword our schemas don't use yet


def _number_message(schema: dict[str, Any], found: str) -> str:
    whole = schema["type"] == "integer"
    bounds = {"min": schema.get("minimum"), "max": schema.get("maximum"), "found": found}
    if bounds["min"] is not None and bounds["max"] is not None:
        if whole:
            return _("must be a whole number from %(min)s to %(max)s, found %(found)s") % bounds
        return _("must be a number from %(min)s to %(max)s, found %(found)s") % bounds
    if bounds["min"] is not None:
        if whole:
            return _("must be a whole number, at least %(min)s, found %(found)s") % bounds
        return _("must be a number, at least %(min)s, found %(found)s") % bounds
    if whole:
        return _("must be a whole number, found %(found)s") % bounds
    return _("must be a number, found %(found)s") % bounds


def _count_message(schema: dict[str, Any], value: list[object]) -> str:
    low, high = schema.get("minItems"), schema.get("maxItems")
    counts = {"min": low, "max": high, "count": len(value)}
    if low is not None and low == high:
        return _("must have exactly %(min)s entries, found %(count)s") % counts
    if len(value) == 0 and low == 1:
        return _("must not be empty")
    if high is not None and len(value) > high:
        return _("must have at most %(max)s entries, found %(count)s") % counts
    return _("must have at least %(min)s entries, found %(count)s") % counts


def _pattern_message(pattern: str, found: str) -> str:
    values = {"found": found}
    if pattern == LANGUAGE_PATTERN:
        return _("must be a language tag such as en, es or pt-BR, found %(found)s") % values
    if pattern == DIARY_PATH_PATTERN:
        return (
            _(
                "must be a path relative to the intake file's folder, "
                "such as diary.csv, found %(found)s"
            )
            % values
        )
    if pattern == CODE_PATTERN:
        return (
            _("must be a dotted code such as relaxation.diaphragmatic_breathing, found %(found)s")
            % values
        )
    if pattern == DOSING_KEY_PATTERN:
        return _("must have names in lower_case such as hold_s, found %(found)s") % values
    if pattern == NOT_BLANK_PATTERN:
        return _("must not be blank")
    return _("must match the pattern %(pattern)s, found %(found)s") % {
        "pattern": pattern,
        "found": found,
    }


def _unknown_field_message(name: object, known: list[str]) -> str:
    suggestions = difflib.get_close_matches(str(name), known, n=1) if known else []
    if suggestions:
        return _(
            "unknown field (a typo would silently drop a finding); did you mean %(suggestion)s?"
        ) % {"suggestion": suggestions[0]}
    return _("unknown field (a typo would silently drop a finding)")


def _type_name(name: str) -> str:
    names = {
        "string": _("text"),
        "boolean": _("true or false"),
        "array": _("a list"),
        "object": _("an object"),
        "integer": _("a whole number"),
        "number": _("a number"),
        "null": _("null"),
    }
    return names.get(name, name)


def _describe(value: object) -> str:
    """A short, JSON-looking rendering of what was found (never the whole of a big value)."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        text = str(value) if value.bit_length() < 64 else _("a very long number")
        return text
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else repr(value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return json.dumps(shown, ensure_ascii=False)
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("an object")
    return type(value).__name__


def _plain(value: object) -> str:
    return value if isinstance(value, str) else _describe(value)


def _first_repeat(values: list[object]) -> object:
    seen: set[tuple[type, object]] = set()
    for value in values:
        if isinstance(value, str | int | float | bool):
            marker = (type(value), value)
            if marker in seen:
                return value
            seen.add(marker)
    return None


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _field(path: Sequence[object], root: str) -> str:
    parts = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif isinstance(part, str) and _IDENTIFIER.fullmatch(part):
            parts.append(f".{part}" if parts else part)
        else:
            parts.append(f"[{_describe(part)}]")
    return "".join(parts) or root


def sorted_errors(errors: list[FieldError]) -> list[FieldError]:
    def key(error: FieldError) -> tuple[tuple[int | str, ...], str]:
        # Natural order, so red_flags[2] comes before red_flags[10].
        pieces = re.split(r"(\d+)", error.field)
        return tuple(int(p) if i % 2 else p for i, p in enumerate(pieces)), error.message

    return sorted(errors, key=key)


def _file_error(message: str) -> IntakeError:
    return IntakeError([FieldError("(file)", message)])


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _NotFinite(Exception):
    def __init__(self, text: str) -> None:
        self.text = text


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _reject_constant(text: str) -> float:
    raise _NotFinite(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value


def intake_diary(intake: dict[str, Any], *, folder: Path | None) -> list[diary.DiaryEvent]:
    """The diary of an intake: inline rows, or a CSV path relative to the intake's folder.

    Raises IntakeError naming the `diary` field and each bad line.
    """
    source = intake.get("diary")
    if source is None:
        return []
    try:
        if isinstance(source, list):
            return diary.parse_diary_rows(source)
        if folder is None:
            raise _diary_error(
                _("a file path cannot be followed from an upload: put the diary rows in the file")
            )
        try:
            with (folder / source).open("rb") as file:
                text = diary.decode_diary_file(file.read(diary.MAX_FILE_BYTES + 1))
        except OSError as error:
            raise _diary_error(
                _("cannot read %(path)s: %(reason)s") % {"path": source, "reason": error}
            ) from None
        return diary.parse_diary_csv(text)
    except diary.DiaryError as error:
        raise IntakeError([FieldError("diary", e.message) for e in error.errors]) from None


def _diary_error(message: str) -> IntakeError:
    return IntakeError([FieldError("diary", message)])
