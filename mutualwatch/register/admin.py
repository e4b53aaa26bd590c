"""The register in Django's admin. Reviewed records (providers, sources, arrangements, events)
are edited here under the register's own rules: who may see, add and edit each comes from the
permission table, review state and authorship are read-only (they change only through the
workspace's review actions), and every save goes through ``register.services``.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from mutualwatch.branches.admin import KeepsBranchesPrivateRecords
from mutualwatch.branches.permissions import Action, can, can_add, visible_filter
from mutualwatch.register import models, services
from mutualwatch.register.exceptions import RegisterError


class ReviewedRecordForm(forms.ModelForm):
    """Refuses, as a form error, any change ``services.check_edit`` refuses."""

    user: Any = None

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # the instance now has the form's values
        if self.instance.pk is None or self.errors:
            return
        citations = None
        if "source" in self.cleaned_data:
            further = self.cleaned_data.get("additional_sources") or []
            citations = [self.cleaned_data["source"], *further]
        try:
            services.check_edit(self.user, self.instance, citations)
        except RegisterError as error:
            self.add_error(None, str(error))


class ReviewedRecordAdmin(SimpleHistoryAdmin):
    form = ReviewedRecordForm

    def _kind(self) -> Any:
        return services.KIND_OF_MODEL[self.model]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # a class made for this request by the admin
        return form

    def get_queryset(self, request: HttpRequest) -> Any:
        """Only the records the person may view: lists, searches and look-ups alike."""
        return super().get_queryset(request).filter(visible_filter(request.user, self._kind()))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), *services.REVIEW_FIELDS]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can(request.user, Action.VIEW, self._kind(), obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can(request.user, Action.EDIT, self._kind(), obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and can_add(request.user, self._kind())

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            services.save_edited(request.user, obj)
        else:
            services.add_from_form(request.user, obj)


@admin.register(models.Authority)
class AuthorityAdmin(KeepsBranchesPrivateRecords):
    list_display = ["name", "gss_code", "kind", "nation", "region", "end_date"]
    private_relations = ("campaign_cases", "foi_requests")
    list_filter = ["kind", "nation", "region"]
    search_fields = ["name", "gss_code"]


@admin.register(models.NetworkMembership)
class NetworkMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["authority", "joined_on", "left_on"]
    search_fields = ["authority__name"]
    list_filter = ["joined_on"]


@admin.register(models.ServiceArea)
class ServiceAreaAdmin(KeepsBranchesPrivateRecords):
    list_display = ["name", "code", "parent"]
    private_relations = ("campaign_cases",)
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
class ProviderAdmin(ReviewedRecordAdmin):
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
class SourceAdmin(ReviewedRecordAdmin):
    list_display = ["title", "kind", "publisher", "published_on", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "publisher", "url"]
    readonly_fields = ["sha256"]


@admin.register(models.Arrangement)
class ArrangementAdmin(ReviewedRecordAdmin):
    list_display = ["authority", "service_area", "provider", "start_date", "end_date", "state"]
    list_filter = ["state", "origin", "service_area", "provider__legal_form"]
    search_fields = ["authority__name", "provider__name", "service_area__name"]
    autocomplete_fields = ["authority", "service_area", "provider", "source", "additional_sources"]


@admin.register(models.Event)
class EventAdmin(ReviewedRecordAdmin):
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
