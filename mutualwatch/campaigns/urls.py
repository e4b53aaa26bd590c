from django.urls import path

from mutualwatch.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_case, name="new"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/edit/", views.edit_case, name="edit"),
    path("<int:pk>/milestones/", views.add_milestone, name="add-milestone"),
    path("<int:pk>/documents/", views.add_document, name="add-document"),
    path("<int:pk>/actions/", views.add_action, name="add-action"),
    path("<int:pk>/actions/<int:action_pk>/assign/", views.assign_action, name="assign"),
    path("<int:pk>/actions/<int:action_pk>/done/", views.action_done, name="action-done"),
    path("<int:pk>/sharing/", views.share, name="share"),
    path("<int:pk>/outcome/", views.record_outcome, name="outcome"),
]
