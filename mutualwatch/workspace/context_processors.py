"""What the workspace's navigation needs on every page that uses its layout, whichever app
renders it (the workspace, campaigns, FOI, the network, the guidance library's editing).

Both are lazy: a public page, which never reads them, runs no query for them."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from mutualwatch.branches.permissions import may_review
from mutualwatch.workforce.access import desk_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user

    def workforce_link() -> str:
        desk = desk_of(user)
        return reverse(desk) if desk else ""

    return {
        "reviewer": SimpleLazyObject(lambda: may_review(user)),
        "workforce_link": SimpleLazyObject(workforce_link),
    }
