"""A case's FOI requests, under ``workspace/campaigns/<case_pk>/foi/``."""

from django.urls import path

from mutualwatch.foi import views

app_name = "foi"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.request_page, name="request"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/sent/", views.sent, name="sent"),
    path("<int:pk>/response/", views.response, name="response"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/review-answer/", views.review_response, name="review-answer"),
]
