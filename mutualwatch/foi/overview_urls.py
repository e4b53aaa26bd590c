"""Every FOI request a person may see, at ``workspace/foi/``."""

from django.urls import path

from mutualwatch.foi import views

app_name = "foi-overview"
urlpatterns = [path("", views.overview, name="overview")]
