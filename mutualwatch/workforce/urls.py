from django.urls import path

from mutualwatch.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.index, name="index"),
    path("break-glass/", views.break_glass, name="break-glass"),
    path("<slug:slug>/", views.branch_page, name="branch"),
    path("<slug:slug>/evidence/new/", views.add_evidence, name="add-evidence"),
    path("<slug:slug>/records/new/", views.record_terms, name="record-terms"),
    path("<slug:slug>/records/<int:pk>/", views.record_page, name="record"),
    path("<slug:slug>/links/new/", views.make_link, name="make-link"),
    path("<slug:slug>/member-request/", views.member_request, name="member-request"),
    path("<slug:slug>/access-log/", views.access_log, name="access-log"),
]
