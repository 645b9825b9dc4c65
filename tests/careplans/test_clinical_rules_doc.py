"""docs/clinical-rules.md says what the rules say: regenerate it with `make docs`."""

import pytest
from django.core.management import CommandError, call_command

from careplans.management.commands.clinical_rules_doc import DOC
from careplans.rules import RULES
from careplans.rules.reference import clinical_rules_markdown


def test_the_document_is_up_to_date_with_the_rules() -> None:
    assert DOC.read_text(encoding="utf-8") == clinical_rules_markdown(), (
        "docs/clinical-rules.md is out of date: run `make docs`"
    )


def test_every_rule_is_documented_with_its_condition_and_source() -> None:
    text = clinical_rules_markdown()
    for rule in RULES:
        assert f"`{rule.code}`" in text
        assert rule.when, rule.code
        assert rule.source.replace("|", "\\|") in text


def test_check_fails_when_the_document_differs(tmp_path, monkeypatch) -> None:
    stale = tmp_path / "clinical-rules.md"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr("careplans.management.commands.clinical_rules_doc.DOC", stale)
    with pytest.raises(CommandError, match="out of date"):
        call_command("clinical_rules_doc", "--check")
    call_command("clinical_rules_doc")
    call_command("clinical_rules_doc", "--check")
