from django.urls import path

from mutualwatch.publishing import views

urlpatterns = [
    path("", views.home, name="home"),
    path("authorities/", views.authority_list, name="authority-list"),
    path("authorities/<str:gss_code>/", views.authority_detail, name="authority-detail"),
    path("providers/", views.provider_list, name="provider-list"),
    path("providers/<uuid:uid>/", views.provider_detail, name="provider-detail"),
    path("services/", views.service_area_list, name="service-area-list"),
    path("services/<slug:code>/", views.service_area_detail, name="service-area-detail"),
    path("network/", views.network, name="network"),
    path("contracts/<str:ocid>/", views.contract_detail, name="contract-detail"),
    path("search/", views.search_page, name="search"),
    path("methods/", views.methods, name="methods"),
    path("workforce/", views.workforce_impact, name="workforce-impact"),
    path("workforce/method/", views.workforce_method, name="workforce-method"),
    path("workforce/release-<int:number>.csv", views.workforce_csv, name="workforce-csv"),
    path("source/", views.source_code, name="source-code"),
    path("sources/<uuid:uid>/", views.source_detail, name="source-detail"),
    path("history/<str:kind>/<str:key>/", views.record_history, name="record-history"),
]
