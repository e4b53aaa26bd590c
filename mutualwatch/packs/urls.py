from django.urls import path

from mutualwatch.packs import views

urlpatterns = [
    path("authorities/<str:gss_code>/pack.pdf", views.branch_pack, name="authority-pack"),
]
