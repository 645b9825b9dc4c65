"""The phrase tables: how findings are named, for the therapist and for the patient.

Therapist words go into a plan's rationales and hold reasons when it is built. Patient
words are chosen by the builder as *notes* (a code and its values, stored with the item)
and worded only when the plan is printed, in the language it is printed in (section 10).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from clinic.i18n import gettext as _


def num(value: float) -> str:
    """A number as a person writes it: 31.2, 9.3, 1400 (never 1400.0)."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def sentences(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def listed(names: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    names = [name for name in names if name]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


# --- For the therapist ------------------------------------------------------------------------


def trigger_name(code: str) -> str:
    names = {
        "cough": _("cough"),
        "sneeze": _("sneeze"),
        "laugh": _("laugh"),
        "lift": _("lifting"),
        "exercise": _("exercise"),
        "jump": _("jumping"),
        "walk": _("walking"),
        "stand_up": _("standing up"),
    }
    return names.get(code, code.replace("_", " "))


def triggers_named(codes: Sequence[str]) -> str:
    return ", ".join(trigger_name(code) for code in codes)


def finding_name(code: str) -> str:
    names = {
        "pelvic_pain": _("pelvic pain"),
        "painful_penetration": _("painful penetration"),
        "painful_orgasm": _("painful orgasm"),
        "constant_tension": _("constant tension"),
        "tenderness": _("tenderness on palpation"),
        "accessory_muscles": _("abdominals, buttocks or thighs take over"),
        "breath_holding": _("holds the breath"),
        "bearing_down": _("bears down instead of lifting"),
        "high_stress": _("chronic stress"),
        "poor_sleep": _("poor sleep"),
        "chronic_pain": _("chronic pain"),
        "hypermobility": _("hypermobility"),
        "scoliosis": _("scoliosis"),
        "straining_to_defecate": _("straining to open the bowels"),
        "voiding_difficulty": _("voiding difficulty"),
        "incomplete_emptying": _("incomplete emptying"),
        "neurological_condition": _("a neurological condition"),
        "continence_surgery": _("previous continence surgery"),
        "pelvic_radiotherapy": _("previous pelvic radiotherapy"),
    }
    return names.get(code, code.replace("_", " "))


def findings_named(codes: Sequence[str]) -> str:
    return ", ".join(finding_name(code) for code in codes)


def red_flag_name(code: str) -> str:
    """A red flag in clinical words (rationales, letters)."""
    names = {
        "visible_haematuria": _("visible haematuria"),
        "non_visible_haematuria": _("non-visible haematuria"),
        "dysuria": _("dysuria"),
        "recurrent_uti": _("recurrent urinary tract infections"),
        "sudden_severe_pelvic_pain": _("sudden severe pelvic pain"),
        "saddle_anaesthesia": _("saddle anaesthesia"),
        "new_leg_weakness_or_numbness": _("new leg weakness or numbness"),
        "new_bowel_or_bladder_loss_with_back_pain": _(
            "new loss of bladder or bowel control with back pain"
        ),
        "unexplained_weight_loss": _("unexplained weight loss"),
        "pelvic_mass": _("possible pelvic mass"),
        "suspected_fistula": _("suspected fistula"),
        "palpable_bladder_after_voiding": _("bladder palpable after voiding"),
        "persistent_bloating": _("persistent bloating"),
    }
    return names.get(code, code.replace("_", " "))


def tier_name(tier: str | None) -> str:
    names = {
        "emergency": _("emergency"),
        "urgent": _("urgent"),
        "soon": _("soon"),
    }
    return names.get(tier or "", "")


# --- For the patient (printed plan) -------------------------------------------------------------


def red_flag_plain(code: str) -> str:
    """A red flag in the patient's own terms: "you have noticed blood in your urine"."""
    names = {
        "visible_haematuria": _("you have noticed blood in your urine"),
        "non_visible_haematuria": _("a urine test found traces of blood in your urine"),
        "dysuria": _("it hurts or burns when you pass urine"),
        "recurrent_uti": _("you keep getting urine infections"),
        "sudden_severe_pelvic_pain": _("you have sudden, severe pain low in your belly or pelvis"),
        "saddle_anaesthesia": _(
            "you have numbness between your legs or around your bottom (the parts that touch "
            "a saddle)"
        ),
        "new_leg_weakness_or_numbness": _("your legs have become weak or numb"),
        "new_bowel_or_bladder_loss_with_back_pain": _(
            "you have newly lost control of your bladder or bowel, with back pain"
        ),
        "unexplained_weight_loss": _("you have lost weight without trying"),
        "pelvic_mass": _("your therapist felt a lump in your pelvis that a doctor should check"),
        "suspected_fistula": _(
            "urine or stool may be leaking through an opening where it should not"
        ),
        "palpable_bladder_after_voiding": _("your bladder still felt full after you passed urine"),
        "persistent_bloating": _("your belly has felt bloated most days for weeks"),
    }
    return names.get(code, code.replace("_", " "))


def pain_plain(code: str) -> str:
    names = {
        "pelvic_pain": _("pain in your pelvis"),
        "painful_penetration": _("pain with penetration"),
        "painful_orgasm": _("pain with orgasm"),
        "constant_tension": _("a feeling of always being clenched"),
        "tenderness": _("sore spots in the muscles"),
    }
    return names.get(code, code.replace("_", " "))


def trigger_plain(code: str) -> str:
    names = {
        "cough": _("cough"),
        "sneeze": _("sneeze"),
        "laugh": _("laugh"),
        "lift": _("lift something"),
        "exercise": _("exercise"),
        "jump": _("jump"),
        "walk": _("walk"),
        "stand_up": _("stand up"),
    }
    return names.get(code, code.replace("_", " "))


def _hold_note(note: Mapping[str, Any]) -> str:
    code = note["code"]
    if code == "hold.tight_floor":
        return _(
            "Your pelvic floor muscles are holding on too tight at the moment. Squeezing "
            "exercises start once they can let go fully: squeezing muscles that cannot let go "
            "can make pain or leaks worse."
        )
    if code == "hold.pain":
        findings = list(note.get("findings") or ())
        pains = listed([pain_plain(code) for code in findings])
        if "painful_penetration" in findings:
            until = _("your muscles can let go fully and penetration is comfortable")
        else:
            until = _("your muscles can let go fully and the pain has settled")
        return _("You have %(pains)s. This starts once %(until)s.") % {
            "pains": pains,
            "until": until,
        }
    if code == "hold.not_examined":
        return _(
            "Some signs suggest your pelvic floor may be holding on too tight. Your therapist "
            "will check it first, with your permission, before any squeezing exercises."
        )
    if code == "hold.no_contraction_checked":
        return _(
            "Your therapist will first check, with your permission, that you are squeezing the "
            "right muscles the right way. This starts after that check."
        )
    if code == "hold.bearing_down":
        return _(
            "At the moment your muscles push down when you try to lift them. First you learn "
            'to find the lift (see "Find the right muscles"). This starts once you can.'
        )
    if code == "hold.no_squeeze_felt":
        return _(
            "Your therapist could not yet feel a squeeze. First you learn to find the muscles. "
            "This starts once you can."
        )
    if code == "hold.one_step":
        return _(
            "One step at a time works best. We will add this at your review, once the first "
            "steps are going well."
        )
    if code == "hold.review_oab":
        return _(
            "You may not need this. At your review, if sudden urges still bother you after 6 "
            "weeks of bladder training, we will talk about it."
        )
    return _("We will look at this together at your review.")


def patient_note(note: Mapping[str, Any]) -> str:
    """One note the builder chose for an item, in the patient's words."""
    code = str(note.get("code", ""))
    if code.startswith("hold."):
        return _hold_note(note)
    if code == "knack.triggers":
        moments = listed([trigger_plain(t) for t in note.get("triggers") or ()])
        return _("Your moments: every time you %(moments)s.") % {"moments": moments}
    if code == "knack.keep_going":
        return _("You already do this before a cough: keep doing it before every one of them.")
    if code == "bladder.quick_squeezes":
        return _(
            "When an urge comes, you can also do a few quick pelvic floor squeezes, then let go."
        )
    if code == "estrogen.cancer_team":
        return _(
            "Because of your cancer history or treatment, ask your cancer team (not only your "
            "GP) whether vaginal estrogen is right for you. Meanwhile, a non-hormonal vaginal "
            "moisturiser can help with dryness."
        )
    if code == "estrogen.ask_cancer_history":
        return _("Tell your doctor if you have ever had breast or womb cancer.")
    if code == "voiding.double_void":
        return _(
            "If your bladder feels not quite empty: stay seated, wait a moment, lean forward "
            "and let go again (double voiding)."
        )
    if code == "voiding.no_just_in_case":
        return _('Try not to go "just in case": let your bladder tell you when it is time.')
    if code == "alcohol.notice":
        return _("Alcohol can set off urgency: notice whether it does for you.")
    if code == "alcohol.cut_down":
        return _("Try to drink less, with some days each week without alcohol.")
    if code == "caffeine.swap":
        return _("Try swapping your caffeinated drink for a decaffeinated one.")
    if code == "emergency.wait":
        return _("Do not start this until a doctor has seen you about the signs on the first page.")
    return ""


def patient_notes(notes: Sequence[Mapping[str, Any]]) -> list[str]:
    return [text for text in (patient_note(note) for note in notes) if text]


def strength_summary(f: Any) -> str:
    """The measured PERFECT findings, e.g. "Modified Oxford 2/5, holds 4 s, 4 repetitions"."""
    parts = []
    grade = f.number("exam", "oxford_grade")
    if grade is not None:
        parts.append(_("Modified Oxford %(grade)s/5") % {"grade": num(grade)})
    endurance = f.number("exam", "endurance_s")
    if endurance is not None:
        parts.append(_("holds %(seconds)s s") % {"seconds": num(endurance)})
    repetitions = f.number("exam", "repetitions")
    if repetitions is not None:
        parts.append(_("%(count)s repetitions") % {"count": num(repetitions)})
    fast = f.number("exam", "fast_contractions")
    if fast is not None:
        parts.append(_("%(count)s fast contractions") % {"count": num(fast)})
    return ", ".join(parts)
