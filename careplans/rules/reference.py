"""docs/clinical-rules.md, written from the rules themselves (`make docs`).

Pure Python, no Django imports. Every line below is read from the modules that decide:
the classification's constants, the red-flag tiers, the hold reasons, the phase-1
priority and each rule's code, category, condition, dosing and source. A test fails
when the file in docs/ is out of date with the code.
"""

from __future__ import annotations

from assessments import classification, red_flags
from careplans.rules import (
    bladder,
    builder,
    coordination,
    education,
    lifestyle,
    referrals,
    relaxation,
    safety,
    strengthening,
    urgent,
)
from careplans.rules.base import Rule
from careplans.rules.findings import PlanSettings

FAMILIES: tuple[tuple[str, str], ...] = (
    ("urgent", "Urgent referral"),
    ("relaxation", "Relaxation"),
    ("coordination", "Coordination"),
    ("strengthening", "Strengthening"),
    ("bladder", "Bladder training"),
    ("lifestyle", "Lifestyle"),
    ("referrals", "Medical and specialist referral"),
    ("education", "Education"),
)


def _codes(codes: tuple[str, ...] | frozenset[str]) -> str:
    return ", ".join(f"`{code}`" for code in sorted(codes) if code)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "—"


def _priority(code: str) -> str:
    if code == "first_line":
        return (
            "the first-line treatment of the predominant type (`strengthening.pfmt` for "
            "stress, `bladder_training.schedule` for urgency)"
        )
    if code == "other_type":
        return "the other type's treatment in mixed incontinence"
    return f"`{code}`"


def _rules_table(rules: tuple[Rule, ...]) -> list[str]:
    lines = [
        "| code | category | when | dosing | source |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in rules:
        lines.append(
            f"| `{rule.code}` | {rule.category} | {_cell(rule.when)} | {_cell(rule.dosing)} "
            f"| {_cell(rule.source)} |"
        )
    return lines


def clinical_rules_markdown() -> str:
    modules = {
        "urgent": urgent,
        "relaxation": relaxation,
        "coordination": coordination,
        "strengthening": strengthening,
        "bladder": bladder,
        "lifestyle": lifestyle,
        "referrals": referrals,
        "education": education,
    }
    defaults = PlanSettings()
    out = [
        "# Clinical rules",
        "",
        "Generated from `careplans/rules/` by `make docs`; do not edit by hand (a test fails",
        "when this file is out of date). The clinical facts and their sources are those of",
        "the project's clinical reference; each rule below names its source.",
        "",
        "## Classification (`assessments/classification.py`)",
        "",
        "- Incontinence type (NICE NG123): stress (effort leaks, no urgency), urgency",
        "  (urgency or urge leaks, no effort leaks), mixed (both), none (both asked, neither),",
        "  unknown (not asked). Mixed: the 3IQ 'most often' answer, else the most bothersome,",
        "  else stress is treated first.",
        "- Tone profile, first match wins: tense and weak (overactive and Oxford grade "
        f"<= {classification.WEAK_OXFORD_GRADE}); overactive (tone increased, or relaxation "
        f"{', '.join(classification.OVERACTIVE_RELAXATION)}); underactive (tone decreased, or "
        f"Oxford grade <= {classification.WEAK_OXFORD_GRADE}); uncoordinated "
        f"({', '.join(classification.COORDINATION_FINDINGS)}); normal; unknown when none of "
        "tone, relaxation and Oxford grade was recorded.",
        f"- Pain findings: {', '.join(classification.PAIN_FINDINGS)}.",
        "",
        "## Red-flag tiers (`assessments/red_flags.py`)",
        "",
        "| tier | red flags | the patient is told | the letter goes to |",
        "| --- | --- | --- | --- |",
        f"| emergency | {_codes(red_flags.EMERGENCY_FLAGS)} | go to an emergency department "
        "now | the emergency department (suspected cauda equina syndrome for "
        f"{_codes(red_flags.CAUDA_EQUINA_FLAGS)}) |",
        f"| urgent | {_codes(red_flags.URGENT_FLAGS)}; `visible_haematuria` at >= "
        f"{red_flags.VISIBLE_HAEMATURIA_URGENT_AGE}; `non_visible_haematuria` at >= "
        f"{red_flags.NON_VISIBLE_HAEMATURIA_URGENT_AGE}; `recurrent_uti` with haematuria at "
        f">= {red_flags.UTI_WITH_HAEMATURIA_URGENT_AGE} | see the GP within the next few days "
        "| the GP: suspected-cancer pathway (NICE NG12), or an urgent specialist opinion for "
        f"{_codes(red_flags.SPECIALIST_OPINION_FLAGS)} |",
        "| soon | every other red flag | see the GP within the next two weeks | the GP |",
        "",
        "## Safety rules (`careplans/rules/safety.py`)",
        "",
        "- Hold reasons for strengthening (PFMT waits in phase 2): an overactive or tense and",
        "  weak floor; any pain finding; tone unknown with tight-floor signs (pain findings,",
        f"  {', '.join(safety.TIGHT_FLOOR_SYMPTOMS)}); no Oxford grade recorded; bearing",
        "  down or Oxford grade 0.",
        f"- Items that squeeze wait whenever PFMT waits: {_codes(safety.SQUEEZE_CODES)}, and the",
        "  quick squeezes of urge suppression.",
        f"- Items that teach the contraction wait only for a relax-first reason: "
        f"{_codes(safety.CONTRACTION_TEACHING_CODES)}.",
        f"- Removing a safety item asks for a reason: {_codes(safety.SAFETY_CODES)}; so do",
        "  moving a held item into phase 1 and signing a plan that breaks a rule.",
        "",
        "## One step at a time (`careplans/rules/builder.py`)",
        "",
        f"At most {defaults.phase_one_limit} items (a clinic setting) of the categories "
        f"{', '.join(sorted(builder.COUNTED_CATEGORIES))} start in phase 1, besides breathing, "
        "kept in this order; down-training and the first-line treatment never move:",
        "",
        *[f"{n}. {_priority(code)}" for n, code in enumerate(builder.PRIORITY, start=1)],
        "",
        "## Rules, family by family",
    ]
    for name, title in FAMILIES:
        out += ["", f"### {title} (`careplans/rules/{name}.py`)", ""]
        out += _rules_table(modules[name].RULES)
    return "\n".join(out) + "\n"
