"""A branch's campaign cases are its own: Django's admin, which asks no branch, has none of them."""

from django.contrib import admin
from django.contrib.auth.models import User

from mutualwatch.campaigns.models import Case, CaseAction, CaseDocument, Milestone


def test_the_admin_has_no_campaign_models(world, client):
    superuser = User.objects.create_superuser("root", password="x")
    client.force_login(superuser)
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "Campaign case files" not in page.text
    assert "/admin/campaigns/" not in page.text
    for model in (Case, Milestone, CaseDocument, CaseAction):
        assert not admin.site.is_registered(model)
    assert client.get("/admin/campaigns/case/").status_code == 404


def test_a_superuser_does_not_see_a_private_case(world, client):
    client.force_login(User.objects.create_superuser("root", password="x"))
    case = world.cases["home-private"]
    assert client.get(f"/workspace/campaigns/{case.pk}/").status_code == 404
    assert case.title not in client.get("/workspace/campaigns/").text
