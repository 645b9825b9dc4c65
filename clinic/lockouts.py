"""Login lockouts (django-axes): which staff are locked out, and lifting a lockout.

Axes counts failures per user name and per address (settings.AXES_LOCKOUT_PARAMETERS);
a name is locked once its failures within the cool-off reach the limit."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from math import ceil
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone


class NameAndAddressLockouts(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes' database handler with a higher limit for an address than for a name: a
    clinic's staff often share one office address, and a few people's typos must not lock
    everyone out. An address is locked at settings.AXES_ADDRESS_FAILURE_LIMIT failures on
    any names; a name at AXES_FAILURE_LIMIT from any addresses."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        # One queryset per entry of AXES_LOCKOUT_PARAMETERS: the name's, then the address's.
        by_name, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # Axes compares one number with AXES_FAILURE_LIMIT: the address's count is scaled
        # so that reaching its own limit reaches that one.
        scaled = by_address * settings.AXES_FAILURE_LIMIT // settings.AXES_ADDRESS_FAILURE_LIMIT
        return int(max(by_name, scaled))


def cooloff_minutes() -> int:
    return ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def locked_out_usernames(usernames: Iterable[str]) -> set[str]:
    """The names among these that cannot sign in now, from any address."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def lockout_clear(*, username: str) -> int:
    """Forget the failed sign-ins on this name (from every address), so it can sign in
    again at once; returns how many records went."""
    count: int = reset(username=username)
    return count


RESET_WINDOW_SECONDS = 60 * 60


def _count(key: str) -> int:
    cache.add(key, 0, RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RESET_WINDOW_SECONDS)
        return 1


def password_reset_allowed(*, address: str | None, email: str) -> bool:
    """Whether a reset mail may go out for this request: at most
    settings.PASSWORD_RESET_RATE_LIMIT an hour per address and per e-mail address, so the
    form cannot flood a mailbox or be used to probe at speed. Counted in the cache (per
    process with the default local-memory cache)."""
    limit = settings.PASSWORD_RESET_RATE_LIMIT
    mailbox = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_mailbox = _count(f"floorplan:reset:mail:{mailbox}")
    by_address = _count(f"floorplan:reset:addr:{address or '-'}")
    return by_mailbox <= limit and by_address <= limit
