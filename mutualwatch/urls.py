from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mutualwatch.demoworld.accounts import DEMO_ACCOUNTS, accounts_file
from mutualwatch.workforce.views import questionnaire

# The login page names the demo's accounts, and where their passwords are, in demo mode only.
login = auth_views.LoginView.as_view(
    extra_context={"demo_accounts": DEMO_ACCOUNTS, "demo_accounts_file": accounts_file}
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workspace/workforce/", include("mutualwatch.workforce.urls")),
    # Before the campaigns' and workspace's own pages, which would otherwise claim these paths.
    path("workspace/campaigns/<int:case_pk>/foi/", include("mutualwatch.foi.urls")),
    path("workspace/foi/", include("mutualwatch.foi.overview_urls")),
    path("workspace/campaigns/", include("mutualwatch.campaigns.urls")),
    path("workspace/network/", include("mutualwatch.network.urls")),
    path("questionnaire/<str:token>/", questionnaire, name="questionnaire"),
    path("workspace/", include("mutualwatch.workspace.urls")),
    path("fates/", include("mutualwatch.analysis.urls")),
    path("guidance/manage/", include("mutualwatch.guidance.urls")),
    path("", include("mutualwatch.publishing.guidance_urls")),
    path("", include("mutualwatch.packs.urls")),
    path("", include("mutualwatch.publishing.urls")),
]
