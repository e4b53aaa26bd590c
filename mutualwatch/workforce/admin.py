"""The admin shows who read or changed workforce records and the break-glass grants, and
nothing else of them: the records themselves are not in the admin at all, for anyone. Nothing
here can be added, changed or deleted (the log is append-only)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mutualwatch.workforce import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "action", "branch", "record_kind", "record_id", "count"]
    list_filter = ["action", "branch"]
    search_fields = ["username", "reason"]


@admin.register(models.BreakGlass)
class BreakGlassAdmin(ReadOnlyAdmin):
    list_display = ["granted_at", "user", "branch", "expires_at"]
    list_filter = ["branch"]


@admin.register(models.Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["number", "published_at", "respondents"]
    exclude = ["basis"]
