"""The guidance library's public pages and the positions page (``guidance_pages``)."""

from django.urls import path

from mutualwatch.publishing import guidance_pages as views

app_name = "guidance"

urlpatterns = [
    path("guidance/", views.library, name="library"),
    path("guidance/matched/", views.matched, name="matched"),
    path("guidance/<int:pk>/", views.document, name="document"),
    path("guidance/<int:pk>/versions/<int:number>/", views.version, name="version"),
    path("guidance/<int:pk>/diff/<int:a>/<int:b>/", views.diff, name="diff"),
    path("positions/", views.positions, name="positions"),
    path("positions/<slug:question>/", views.positions, name="question"),
]
