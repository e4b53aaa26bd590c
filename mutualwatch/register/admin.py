from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mutualwatch.register import models


@admin.register(models.Authority)
class AuthorityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "gss_code", "kind", "nation", "region", "end_date"]
    list_filter = ["kind", "nation", "region"]
    search_fields = ["name", "gss_code"]


@admin.register(models.NetworkMembership)
class NetworkMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["authority", "joined_on", "left_on"]
    search_fields = ["authority__name"]
    list_filter = ["joined_on"]


@admin.register(models.ServiceArea)
class ServiceAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "parent"]
    search_fields = ["name", "code"]
    list_filter = ["parent"]


class ProviderNameInline(admin.TabularInline):
    model = models.ProviderName
    extra = 0


class ProviderIdentifierInline(admin.TabularInline):
    model = models.ProviderIdentifier
    extra = 0


class ProviderControlInline(admin.TabularInline):
    model = models.ProviderControl
    fk_name = "provider"
    extra = 0
    autocomplete_fields = ["controller", "source"]


@admin.register(models.Provider)
class ProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "legal_form", "state", "branch"]
    list_filter = ["legal_form", "state"]
    search_fields = ["name", "former_names__name", "identifiers__identifier"]
    inlines = [ProviderNameInline, ProviderIdentifierInline, ProviderControlInline]


@admin.register(models.ProviderName)
class ProviderNameAdmin(SimpleHistoryAdmin):
    list_display = ["name", "provider", "used_until"]
    search_fields = ["name", "provider__name"]
    list_filter = ["used_until"]


@admin.register(models.ProviderIdentifier)
class ProviderIdentifierAdmin(SimpleHistoryAdmin):
    list_display = ["identifier", "scheme", "provider"]
    search_fields = ["identifier", "provider__name"]
    list_filter = ["scheme"]


@admin.register(models.ProviderControl)
class ProviderControlAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "controller_name", "controller_kind", "start_date", "end_date"]
    search_fields = ["provider__name", "controller_name"]
    list_filter = ["controller_kind"]
    autocomplete_fields = ["provider", "controller", "source"]


@admin.register(models.Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "publisher", "published_on", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "publisher", "url"]
    readonly_fields = ["sha256"]


@admin.register(models.Arrangement)
class ArrangementAdmin(SimpleHistoryAdmin):
    list_display = ["authority", "service_area", "provider", "start_date", "end_date", "state"]
    list_filter = ["state", "origin", "service_area", "provider__legal_form"]
    search_fields = ["authority__name", "provider__name", "service_area__name"]
    autocomplete_fields = ["authority", "service_area", "provider", "source", "additional_sources"]


@admin.register(models.Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["event_type", "date", "arrangement", "provider", "state"]
    list_filter = ["event_type", "state"]
    search_fields = ["description", "provider__name", "arrangement__authority__name"]
    autocomplete_fields = [
        "arrangement",
        "provider",
        "counterparty",
        "source",
        "additional_sources",
    ]
