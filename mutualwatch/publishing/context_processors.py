from typing import Any

from django.conf import settings
from django.http import HttpRequest

from mutualwatch.branches.permissions import holds_a_role


def site(request: HttpRequest) -> dict[str, Any]:
    """What every page needs to know about the site as a whole, and whether the header links
    to the workspace (asked only when a page's header is drawn)."""
    return {
        "demo_mode": settings.DEMO_MODE,
        "may_use_workspace": lambda: holds_a_role(getattr(request, "user", None)),
    }
