"""The demo's accounts (demo mode only), the login page that tells of them and of how to get
an account, and the header's link to the workspace."""

import stat

import pytest
from django.contrib.auth.models import User

from mutualwatch.branches.models import BranchMembership, NationalRole
from mutualwatch.demoworld.accounts import accounts_file, make_demo_accounts
from mutualwatch.demoworld.exceptions import DemoWorldError
from tests.conftest import build_arrangement, build_authority, log_in

pytestmark = pytest.mark.django_db

WORKSPACE_LINK = '<a href="/workspace/">Workspace</a>'


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEMO_MODE = True
    settings.DATA_DIR = tmp_path
    return settings


def test_outside_demo_mode_no_demo_account_is_made(settings, tmp_path):
    settings.DEMO_MODE = False
    settings.DATA_DIR = tmp_path
    build_authority()
    with pytest.raises(DemoWorldError, match="demo mode only"):
        make_demo_accounts()
    assert not User.objects.exists()
    assert not accounts_file().exists()


def test_each_demo_account_logs_in_and_reaches_what_its_role_may(demo, client):
    build_authority(name="Quietbrook Council")
    busy = build_authority(name="Aldrystow Council")
    build_arrangement(authority=busy)
    accounts = {account.username: account for account in make_demo_accounts()}
    assert {a.describe() for a in accounts.values()} == {
        "branch member of Aldrystow Council branch",
        "branch officer of Aldrystow Council branch",
        "national researcher",
        "administrator",
    }
    member = BranchMembership.objects.get(user__username="demo-member")
    assert list(member.branch.authorities.all()) == [busy]
    for username in ("demo-member", "demo-officer", "demo-researcher"):
        assert log_in(client, username, accounts[username].password)
        page = client.get("/workspace/")
        assert page.status_code == 200
        assert WORKSPACE_LINK in page.content.decode()
        client.logout()
    assert log_in(client, "demo-admin", accounts["demo-admin"].password)
    assert client.get("/admin/").status_code == 200


def test_each_start_gives_new_passwords_kept_for_the_owner_only(demo, client):
    build_authority()
    first = {a.username: a.password for a in make_demo_accounts()}
    second = {a.username: a.password for a in make_demo_accounts()}
    assert User.objects.count() == 4
    assert all(first[name] != second[name] for name in first)
    assert not log_in(client, "demo-member", first["demo-member"])
    kept = accounts_file()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    for name, password in second.items():
        assert f"{name}\t{password}\t" in kept.read_text()


def test_the_demos_login_page_names_its_accounts_and_where_their_passwords_are(demo, client):
    page = client.get("/accounts/login/").content.decode()
    assert "Demo accounts" in page
    for username in ("demo-member", "demo-officer", "demo-researcher", "demo-admin"):
        assert f"<code>{username}</code>" in page
    assert f"<code>{accounts_file()}</code>" in page
    assert "mutualwatch create-user" in page


def test_a_real_login_page_says_how_to_get_an_account_and_names_no_demo_account(settings, client):
    settings.DEMO_MODE = False
    page = client.get("/accounts/login/").content.decode()
    assert "Demo accounts" not in page
    assert "demo-member" not in page
    assert "Ask your branch for one" in page
    assert "<code>mutualwatch create-user</code>" in page


def test_the_header_links_to_the_workspace_for_those_who_may_use_it(client):
    build_authority()
    nobody = User.objects.create_user("no-role")
    assert WORKSPACE_LINK not in client.get("/").content.decode()
    client.force_login(nobody)
    assert WORKSPACE_LINK not in client.get("/").content.decode()
    assert client.get("/workspace/").status_code == 403
    researcher = User.objects.create_user("rhea")
    NationalRole.objects.create(user=researcher, role="researcher")
    client.force_login(researcher)
    assert WORKSPACE_LINK in client.get("/").content.decode()
