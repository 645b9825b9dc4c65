"""Reads a page's form as a browser would submit it, so the simulated staff post what
the real pages hold (every field of the intake, the CSRF token) without a copy of each
form's field list that would drift from the templates."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, object]] = []
        self._form: dict[str, object] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"id": a.get("id", ""), "action": a.get("action", ""), "fields": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form["fields"]
        assert isinstance(fields, list)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        fields = self._form["fields"]
        assert isinstance(fields, list)
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            fields.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_fields(html: str, *, action: str = "", form_id: str = "") -> list[tuple[str, str]]:
    """The fields of the first form whose action contains ``action`` (or whose id is
    ``form_id``), as the browser would post them with no change."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if (form_id and form["id"] == form_id) or (action and action in str(form["action"])):
            fields = form["fields"]
            assert isinstance(fields, list)
            return list(fields)
    raise LookupError(f"no form {form_id or action!r} on the page")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    if found is None:
        raise LookupError("no CSRF token on the page")
    return found.group(1)
