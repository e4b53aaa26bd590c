from django.urls import path

from mutualwatch.workspace import links, views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("arrangements/new/", views.add_arrangement, name="add-arrangement"),
    path("events/new/", views.add_event, name="add-event"),
    path("review/", views.review_queue, name="queue"),
    path("links/", links.link_queue, name="links"),
    path("links/<int:pk>/", links.link_page, name="link"),
    path("register-suggestions/", links.suggestion_queue, name="register-suggestions"),
    path("candidates/", links.candidate_list, name="candidates"),
    path(
        "register-suggestions/<int:pk>/",
        links.suggestion_decision,
        name="register-suggestion-decision",
    ),
    path("review/<str:kind>/<uuid:uid>/", views.compare, name="compare"),
    path("sources/<uuid:uid>/copy/", views.stored_copy, name="stored-copy"),
    path("<str:kind>/<uuid:uid>/", views.record_page, name="record"),
    path("<str:kind>/<uuid:uid>/edit/", views.edit, name="edit"),
    path("<str:kind>/<uuid:uid>/review/", views.review_step, name="review-step"),
]
