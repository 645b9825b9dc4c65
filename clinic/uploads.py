"""Uploads are capped before they are read (issue 10).

A request whose body is larger than ``settings.UPLOAD_MAX_BYTES`` (its Content-Length,
which also bounds what Django will read of the stream) stops at its first file: the
fields before it (the CSRF token) are read, the file is not, and the upload page says why
(``refuse_oversized``)."""

from __future__ import annotations

from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Set on the request when its upload was refused for its size.
REFUSED = "_floorplan_upload_refused"


class UploadLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: refuses an upload by its declared size."""

    refused = False

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],  # noqa: N803  # Django's own name for it
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.refused = content_length > settings.UPLOAD_MAX_BYTES
        if self.refused and self.request is not None:
            setattr(self.request, REFUSED, True)

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.refused:
            # connection_reset: the rest of the body is left unread, not drained.
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_message() -> str:
    return _("The file is too large: uploads are limited to %(limit)s.") % {
        "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)
    }


def upload_refused(request: HttpRequest) -> bool:
    return bool(getattr(request, REFUSED, False))


def refuse_oversized(request: HttpRequest, form: forms.Form, field: str = "file") -> None:
    """After the form has read the request: an upload refused for its size shows the limit
    in place of "this field is required" (the file never arrived)."""
    if form.is_bound and upload_refused(request):
        form.errors[field] = form.error_class([limit_message()])
