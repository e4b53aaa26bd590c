"""Django's admin never shows the workforce records themselves, to anyone; it shows the
access log and break-glass grants read-only."""

import pytest
from django.contrib.auth.models import User

from mutualwatch.workforce.models import AccessLog, BreakGlass

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root-admin", password="x"))
    return client


@pytest.mark.parametrize("model", ["termsrecord", "evidence", "questionnairelink"])
def test_the_records_are_not_in_the_admin(world, superuser_client, model):
    assert superuser_client.get(f"/admin/workforce/{model}/").status_code == 404
    assert superuser_client.get(f"/admin/workforce/{model}/add/").status_code == 404
    index = superuser_client.get("/admin/").content.decode()
    assert f"/admin/workforce/{model}/" not in index


@pytest.mark.parametrize(("model", "kind"), [("accesslog", AccessLog), ("breakglass", BreakGlass)])
def test_the_log_and_grants_are_shown_and_nothing_changes_them(
    world, superuser_client, model, kind
):
    row = kind.objects.first()
    assert row is not None
    before = kind.objects.count()
    assert superuser_client.get(f"/admin/workforce/{model}/").status_code == 200
    assert superuser_client.get(f"/admin/workforce/{model}/add/").status_code == 403
    assert superuser_client.post(f"/admin/workforce/{model}/add/", {}).status_code == 403
    change = f"/admin/workforce/{model}/{row.pk}/change/"
    assert superuser_client.post(change, {"reason": "rewritten"}).status_code == 403
    delete = f"/admin/workforce/{model}/{row.pk}/delete/"
    assert superuser_client.get(delete).status_code == 403
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    bulk = superuser_client.post(
        f"/admin/workforce/{model}/",
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert bulk.status_code in {200, 302}
    assert kind.objects.count() == before
    row.refresh_from_db()
    assert getattr(row, "reason", "") != "rewritten"
