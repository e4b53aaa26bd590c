from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mutualwatch.councils import models


@admin.register(models.AuthorityName)
class AuthorityNameAdmin(admin.ModelAdmin):
    list_display = ["name", "normalised", "registry_code", "authority", "source"]
    list_filter = ["source", "authority__nation", "authority__kind"]
    search_fields = ["name", "spelling", "normalised", "registry_code", "authority__name"]
    raw_id_fields = ["authority"]


@admin.register(models.UnresolvedBuyer)
class UnresolvedBuyerAdmin(admin.ModelAdmin):
    list_display = ["name", "normalised", "times_seen", "first_seen", "last_seen"]
    list_filter = ["first_seen", "last_seen"]
    search_fields = ["name", "normalised"]


@admin.register(models.BuyerChoice)
class BuyerChoiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "normalised", "authority", "chosen_by", "chosen_at"]
    list_filter = ["chosen_at", "authority__nation"]
    search_fields = ["name", "normalised", "authority__name", "authority__gss_code"]
    raw_id_fields = ["authority"]


@admin.register(models.Succession)
class SuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor"]
    list_filter = ["predecessor__nation", "predecessor__end_date"]
    search_fields = ["predecessor__name", "successor__name", "predecessor__gss_code"]
    raw_id_fields = ["predecessor", "successor"]
