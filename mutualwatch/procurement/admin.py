"""Admin for every procurement model: searchable and filterable, and read-only where the data
is derived (everything below a release is rebuilt by compiling, so edits would be lost)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mutualwatch.procurement.exceptions import StandardNotFoundError
from mutualwatch.procurement.models import (
    Amendment,
    Award,
    AwardSupplier,
    Classification,
    Contract,
    IngestRun,
    Lot,
    NoticeSuggestion,
    Party,
    PartyIdentifier,
    ProcurementProcess,
    QuarantinedRelease,
    RejectedFile,
    Release,
    Tender,
    with_role,
)
from mutualwatch.procurement.standard import load_standard


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ["ocid", "release_id", "date", "ocds_version", "publisher"]
    list_filter = ["ocds_version", "publisher"]
    search_fields = ["ocid", "release_id", "content_hash", "source_file"]


@admin.register(QuarantinedRelease)
class QuarantinedReleaseAdmin(ReadOnlyAdmin):
    list_display = ["source_file", "source_position", "ocid", "release_id", "error_count"]
    list_filter = ["publisher"]
    search_fields = ["ocid", "release_id", "source_file", "content_hash"]


@admin.register(RejectedFile)
class RejectedFileAdmin(ReadOnlyAdmin):
    list_display = ["path", "line", "byte_offset", "kept_before_error"]
    list_filter = ["kept_before_error"]
    search_fields = ["path", "reason"]


class TenderInline(admin.StackedInline):
    model = Tender
    extra = 0
    can_delete = False


@admin.register(IngestRun)
class IngestRunAdmin(ReadOnlyAdmin):
    list_display = [
        "finished_at",
        "files",
        "files_rejected",
        "releases_read",
        "new",
        "already_present",
        "quarantined",
        "ocids_compiled",
    ]
    date_hierarchy = "finished_at"


@admin.register(ProcurementProcess)
class ProcurementProcessAdmin(ReadOnlyAdmin):
    list_display = ["ocid", "title", "buyer_name", "authority", "release_count", "needs_compile"]
    list_filter = ["needs_compile", "ocds_version", "procurement_method", "publisher"]
    search_fields = ["ocid", "title", "buyer_name", "buyer_identifier"]
    autocomplete_fields = ["authority"]
    inlines = [TenderInline]


@admin.register(Tender)
class TenderAdmin(ReadOnlyAdmin):
    list_display = ["process", "title", "status", "procurement_method", "value_amount"]
    list_filter = ["status", "procurement_method", "main_procurement_category"]
    search_fields = ["process__ocid", "tender_id", "title"]


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ["process", "lot_id", "title", "status", "value_amount"]
    list_filter = ["status"]
    search_fields = ["process__ocid", "lot_id", "title"]


class PartyRoleFilter(admin.SimpleListFilter):
    """By one of the standard's party roles (Party.roles is a column, not a related table)."""

    title = "role"
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(code, code) for code in party_role_codes()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        role = self.value()
        return queryset.filter(with_role(role)) if role else queryset


def party_role_codes() -> list[str]:
    """The partyRole codelist of the local standard (nothing if it is not there)."""
    try:
        return sorted(load_standard().codelists.get("partyRole.csv", ()))
    except StandardNotFoundError:
        return []


@admin.register(Party)
class PartyAdmin(ReadOnlyAdmin):
    list_display = ["name", "process", "roles", "identifier_scheme", "identifier_id", "authority"]
    list_filter = [PartyRoleFilter, "identifier_scheme", "country_name"]
    search_fields = ["name", "identifier_id", "process__ocid", "postal_code"]


@admin.register(PartyIdentifier)
class PartyIdentifierAdmin(ReadOnlyAdmin):
    list_display = ["party", "scheme", "identifier", "is_primary"]
    list_filter = ["scheme", "is_primary"]
    search_fields = ["identifier", "party__name"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["process", "award_id", "title", "status", "date", "value_amount"]
    list_filter = ["status", "value_currency"]
    search_fields = ["process__ocid", "award_id", "title"]


@admin.register(AwardSupplier)
class AwardSupplierAdmin(ReadOnlyAdmin):
    list_display = ["award", "name", "party"]
    list_filter = ["award__status"]
    search_fields = ["name", "award__process__ocid"]


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["process", "contract_id", "title", "status", "value_amount", "date_signed"]
    list_filter = ["status", "value_currency"]
    search_fields = ["process__ocid", "contract_id", "award_id", "title"]


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ["process", "stage", "parent_id", "amendment_id", "date"]
    list_filter = ["stage"]
    search_fields = ["process__ocid", "amendment_id", "rationale", "description"]


@admin.register(Classification)
class ClassificationAdmin(ReadOnlyAdmin):
    list_display = ["process", "stage", "scheme", "code", "description", "is_primary"]
    list_filter = ["scheme", "stage", "is_primary"]
    search_fields = ["code", "description", "process__ocid"]


@admin.register(NoticeSuggestion)
class NoticeSuggestionAdmin(admin.ModelAdmin):
    """The one procurement model a reviewer edits: accept or dismiss each suggestion."""

    list_display = ["notice_id", "notice_type", "notice_name", "event_type", "status", "process"]
    list_filter = ["status", "notice_type", "event_type"]
    search_fields = ["notice_id", "process__ocid", "process__buyer_name"]
    list_editable = ["status"]
    readonly_fields = [
        "process",
        "notice_id",
        "notice_type",
        "notice_name",
        "event_type",
        "published",
        "url",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
