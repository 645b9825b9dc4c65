"""Translation hook for the pure clinical modules.

The classification, diary and plan-rule modules must not import Django, yet their
messages reach users. They call ``gettext`` from here; ``makemessages`` extracts those
calls like any other, and the clinic app installs Django's gettext at start-up, so the
active language applies. Without Django (plain unit tests) messages stay in English.
"""

from collections.abc import Callable

_translate: Callable[[str], str] = str


def install(translate: Callable[[str], str]) -> None:
    global _translate
    _translate = translate


def gettext(message: str) -> str:
    return _translate(message)
