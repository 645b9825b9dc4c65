"""File names of downloads (issue 10): a record number is free text, so every name goes
through Django's own Content-Disposition quoting: a quote is escaped, and a line break or
an accent makes RFC 6266's ``filename*`` form instead of a broken or injected header."""

from __future__ import annotations

from django.utils.http import content_disposition_header


def content_disposition(filename: str, *, attachment: bool) -> str:
    kind = "attachment" if attachment else "inline"
    return content_disposition_header(attachment, filename) or kind  # None: no name at all
