from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from clinic.access import memberships_for


def memberships(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated:
        return {}
    return {"memberships": SimpleLazyObject(lambda: memberships_for(request))}
