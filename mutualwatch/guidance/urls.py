"""Researchers' editing of the guidance library, under /guidance/manage/."""

from django.urls import path

from mutualwatch.guidance import manage

app_name = "guidance-manage"

urlpatterns = [
    path("", manage.documents, name="documents"),
    path("add/", manage.add_document, name="add"),
    path("<int:pk>/", manage.document, name="document"),
    path("positions/", manage.positions, name="positions"),
    path("positions/add/", manage.position, name="add-position"),
    path("positions/<int:pk>/", manage.position, name="position"),
]
