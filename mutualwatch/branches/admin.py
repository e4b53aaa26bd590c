from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from mutualwatch.branches import models
from mutualwatch.branches.permissions import Action, Kind, can, can_add, visible_filter


class KeepsBranchesPrivateRecords(SimpleHistoryAdmin):
    """An admin whose records branches' private records (campaign cases, FOI requests, network
    meetings and notes) rest on. Django's delete confirmation lists every record a deletion
    would take or is blocked by, titles included, to an administrator the permission table
    never lets read them: such a deletion is refused, naming only what kind of records stand in
    the way. ``private_relations`` are the reverse relations to look along."""

    private_relations: tuple[str, ...] = ()

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        records = list(objs)
        if any(
            getattr(record, relation).exists()
            for record in records
            for relation in self.private_relations
        ):
            refusal = "branches' private campaign cases, FOI requests or network records"
            return [], {}, {refusal}, []
        return super().get_deleted_objects(records, request)


class MembershipInline(admin.TabularInline):
    model = models.BranchMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.Branch)
class BranchAdmin(KeepsBranchesPrivateRecords):
    """Branches, their councils and the day a branch joined the network itself, each asked of
    the permission table as the workspace asks it."""

    list_display = ["name", "region", "joined_network_on"]
    private_relations = ("cases", "convened_meetings", "practice_notes")
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
