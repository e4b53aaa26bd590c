from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workspace/", include("mutualwatch.workspace.urls")),
    path("fates/", include("mutualwatch.analysis.urls")),
    path("", include("mutualwatch.packs.urls")),
    path("", include("mutualwatch.publishing.urls")),
]
