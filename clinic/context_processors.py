from typing import cast

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from clinic.access import AuthenticatedHttpRequest, memberships_for


def memberships(request: HttpRequest) -> dict[str, object]:
    # Also run for the login page, where no one is signed in yet.
    if not request.user.is_authenticated:
        return {}
    signed_in = cast(AuthenticatedHttpRequest, request)
    return {"memberships": SimpleLazyObject(lambda: memberships_for(signed_in))}
