"""The project's URLs with the fates pages at /fates/, as the lead will include them."""

from django.urls import include, path

from mutualwatch.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("fates/", include("mutualwatch.analysis.urls")), *project_urlpatterns]
