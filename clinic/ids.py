"""Ids from addresses and forms: an id no database row can have is a 404, not a crash.

Django's ``<int:...>`` converter lets any number of digits through, and SQLite (an
OverflowError) and PostgreSQL (a DataError) both fail on an integer past 64 bits in most
lookups (``pk__in``, a foreign key). No row has such an id, so it is simply not found."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

# The largest id a row can have: a signed 64-bit integer (BigAutoField, SQLite INTEGER).
MAX_ID = 2**63 - 1


def is_possible_id(value: int) -> bool:
    return 0 <= value <= MAX_ID


class IdRangeMiddleware:
    """Every view's integer arguments from the address, checked once for all of them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not is_possible_id(value):
                raise Http404(_("No such page."))
