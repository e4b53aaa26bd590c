from django.urls import path

from mutualwatch.publishing import views

urlpatterns = [
    path("", views.home, name="home"),
    path("authorities/", views.authority_list, name="authority-list"),
    path("authorities/<str:gss_code>/", views.authority_detail, name="authority-detail"),
    path("providers/<uuid:uid>/", views.provider_detail, name="provider-detail"),
    path("sources/<uuid:uid>/", views.source_detail, name="source-detail"),
    path("history/<str:kind>/<str:key>/", views.record_history, name="record-history"),
]
