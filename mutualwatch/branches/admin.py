from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from mutualwatch.branches import models
from mutualwatch.branches.permissions import Action, Kind, can, can_add, visible_filter


class MembershipInline(admin.TabularInline):
    model = models.BranchMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.Branch)
class BranchAdmin(SimpleHistoryAdmin):
    """Branches, their councils and the day a branch joined the network itself, each asked of
    the permission table as the workspace asks it."""

    list_display = ["name", "region", "joined_network_on"]
    list_filter = ["region"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["authorities"]
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(visible_filter(request.user, Kind.BRANCH))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can(request.user, Action.VIEW, Kind.BRANCH, obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can(request.user, Action.EDIT, Kind.BRANCH, obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and can_add(request.user, Kind.BRANCH)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Only whoever may add branches removes one.
        return super().has_delete_permission(request, obj) and can_add(request.user, Kind.BRANCH)


@admin.register(models.BranchMembership)
class BranchMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "branch", "role"]
    list_filter = ["role", "branch"]
    search_fields = ["user__username", "branch__name"]


@admin.register(models.NationalRole)
class NationalRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role"]
    list_filter = ["role"]
    search_fields = ["user__username"]
