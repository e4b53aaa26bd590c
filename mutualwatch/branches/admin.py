from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mutualwatch.branches import models


class MembershipInline(admin.TabularInline):
    model = models.BranchMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.Branch)
class BranchAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["authorities"]
    inlines = [MembershipInline]


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
