"""Who is trying to log in, and from where: the client's address, and the limit on failed logins
from one address whatever usernames it tries (password spraying).

django-axes locks a username at one address after ``AXES_FAILURE_LIMIT`` failures; that alone
never stops one address trying a few passwords against each of many usernames. So a second,
higher limit counts every failure from the address (``LOGIN_ADDRESS_FAILURE_LIMIT``, within
the same cool-off): above it, the address may not log in at all until the cool-off has passed.
It is higher because many members may share one address (a union office behind one router).

The address is the connection's own unless it comes from a proxy the installation trusts
(``TRUSTED_PROXIES``): only then is ``X-Forwarded-For`` read, right to left, taking the first
address that is not itself a trusted proxy. Otherwise anyone could claim any address.
"""

import datetime
from typing import Any

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


def client_address(request: HttpRequest) -> str | None:
    """The client's address, as every login limit counts it (``AXES_CLIENT_IP_CALLABLE``)."""
    remote = request.META.get("REMOTE_ADDR")
    trusted = settings.TRUSTED_PROXIES
    if remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return remote


def address_failures(address: str | None) -> int:
    """Failed logins from the address, over every username, within the cool-off."""
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressLimitBackend:
    """Refuses any login from an address past ``LOGIN_ADDRESS_FAILURE_LIMIT``, with axes's own
    lock-out response (HTTP 429), before a password is checked. It never logs anybody in, so
    it has no ``get_user`` (which would also make the test client log in through it)."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        if request is not None and address_failures(get_client_ip_address(request)) >= limit:
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise PermissionDenied("Too many failed logins from this address.")
