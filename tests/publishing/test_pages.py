"""Public pages: smoke tests written as data, and what visitors must never see."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import get_resolver

from mutualwatch.publishing import queries as public
from mutualwatch.register.models import NetworkMembership, ServiceArea
from tests.conftest import (
    build_arrangement,
    build_authority,
    build_branch,
    build_event,
    build_provider,
    build_source,
)
from tests.publishing.workforce_world import build_publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_world():
    council = build_authority(name="Exemplar Borough Council", gss_code="X09000099")
    provider = build_provider(name="Exemplar Leisure Mutual Ltd")
    source = build_source(title="Cabinet decision to spin out leisure")
    arrangement = build_arrangement(
        authority=council, provider=provider, source=source, start_date=datetime.date(2013, 4, 1)
    )
    build_event(
        arrangement=arrangement,
        event_type="takeover",
        description="Bought by Big Leisure plc",
        source=build_source(title="Companies House PSC filing"),
    )
    return {"council": council, "provider": provider, "source": source}


EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'sha256-LEh/7mvw1Qqy8FO6t52/j1LT5rcz3yttYWacq7vp4t8='; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# (url, expected status, strings that must appear)
SMOKE = [
    ("/", 200, ["Who delivers council services", "Who delivers services now", "<svg"]),
    ("/authorities/", 200, ["Exemplar Borough Council", "X09000099", "Download these councils"]),
    ("/authorities/?q=exemplar", 200, ["Exemplar Borough Council"]),
    ("/authorities/?q=nowhere", 200, ["No council matches."]),
    ("/authorities/?network=member", 200, ["No council matches."]),
    (
        "/authorities/X09000099/",
        200,
        [
            "Exemplar Leisure Mutual Ltd",
            "Cabinet decision to spin out leisure",
            "Takeover",
            "Each service's story",
            "How it ended",
            "Download the branch pack (PDF)",
            'rel="icon"',
        ],
    ),
    ("/authorities/X00000000/", 404, []),
    ("/authorities/X00000000/pack.pdf", 404, []),
    ("/providers/", 200, ["Exemplar Leisure Mutual Ltd", "Public service mutual"]),
    ("/providers/?legal_form=private-company", 200, ["No provider matches."]),
    ("/services/", 200, ["Libraries", "Adult social care"]),
    ("/services/libraries/", 200, ["Exemplar Borough Council", "<svg"]),
    ("/services/no-such-service/", 404, []),
    ("/network/", 200, ["Co-operative Councils Network", "No memberships recorded."]),
    ("/search/?q=exemplar+leis", 200, ["Exemplar Leisure Mutual Ltd"]),
    ("/search/?q=zzzzqqq", 200, ["Nothing found"]),
    ("/methods/", 200, ["Methods and sources", "Every fact has a source"]),
    ("/workforce/", 200, ["What transfer did to the staff", "No workforce tables have been"]),
    ("/workforce/method/", 200, ["How the staff tables are made", "Secondary suppression"]),
    ("/workforce/release-9.csv", 404, []),
    ("/sources/00000000-0000-0000-0000-000000000000/", 404, []),
    ("/accounts/login/", 200, ["Log in"]),
    ("/history/provider/00000000-0000-0000-0000-000000000000/", 302, []),
    ("/admin/", 302, []),
]


@pytest.mark.parametrize(("url", "status", "strings"), SMOKE, ids=[row[0] for row in SMOKE])
def test_page(client, published_world, url, status, strings):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    text = response.content.decode()
    for string in strings:
        assert string in text


# (url, content type, how the file begins, how its name begins)
DOWNLOADS = [
    ("/authorities/X09000099/pack.pdf", "application/pdf", b"%PDF-", "branch-pack-X09000099-"),
    ("/authorities/X09000099/?format=csv", "text/csv", b"authority,", "X09000099-arrangements"),
]


@pytest.mark.parametrize(("url", "content_type", "begins", "name"), DOWNLOADS)
def test_download(client, published_world, url, content_type, begins, name):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response.content.startswith(begins)
    assert f'filename="{name}' in response["Content-Disposition"]


def test_every_fact_on_the_authority_page_links_to_its_source(client, published_world):
    text = client.get("/authorities/X09000099/").content.decode()
    assert f'href="/sources/{published_world["source"].uid}/"' in text
    source_page = client.get(f"/sources/{published_world['source'].uid}/").content.decode()
    assert published_world["source"].url in source_page


def test_the_provider_page_shows_its_services(client, published_world):
    response = client.get(f"/providers/{published_world['provider'].uid}/")
    assert "Exemplar Borough Council" in response.content.decode()


@pytest.mark.parametrize("state", ["draft", "submitted", "verified"])
def test_visitors_never_see_an_unpublished_record(client, state):
    branch = build_branch()
    council = build_authority(name="Quietshire")
    hidden_source = build_source(title="Secret branch notes", state=state, branch=branch)
    hidden_provider = build_provider(name="Hidden Mutual", state=state, branch=branch)
    build_arrangement(
        authority=council, provider=hidden_provider, source=hidden_source, state=state
    )
    page = client.get(f"/authorities/{council.gss_code}/").content.decode()
    assert "Hidden Mutual" not in page
    assert "Secret branch notes" not in page
    assert client.get(f"/providers/{hidden_provider.uid}/").status_code == 404
    assert client.get(f"/sources/{hidden_source.uid}/").status_code == 404
    assert client.get(f"/history/provider/{hidden_provider.uid}/").status_code == 302


def test_a_published_arrangement_of_an_unpublished_provider_stays_hidden(client):
    council = build_authority()
    provider = build_provider(name="Not Yet Checked Ltd", state="submitted")
    build_arrangement(authority=council, provider=provider, state="published")
    assert (
        "Not Yet Checked Ltd"
        not in client.get(f"/authorities/{council.gss_code}/").content.decode()
    )


def test_public_pages_show_only_published_records_even_to_the_branch(client, person):
    branch = build_branch()
    member = person("branch member", branch)
    draft = build_provider(name="Draft Mutual", state="draft", branch=branch)
    client.force_login(member)
    assert client.get(f"/providers/{draft.uid}/").status_code == 404
    history = client.get(f"/history/provider/{draft.uid}/")
    assert history.status_code == 200
    assert "created" in history.content.decode()


def test_a_member_of_another_branch_cannot_see_the_draft_or_its_history(client, person):
    draft = build_provider(name="Draft Mutual", state="draft", branch=build_branch())
    client.force_login(person("branch member", build_branch()))
    assert client.get(f"/providers/{draft.uid}/").status_code == 404
    assert client.get(f"/history/provider/{draft.uid}/").status_code == 404


def test_authority_history_is_viewable(client, person):
    council = build_authority(name="Renamedshire")
    council.name = "Renamedshire Council"
    council.save()
    client.force_login(person("national researcher"))
    text = client.get(f"/history/authority/{council.gss_code}/").content.decode()
    assert "Renamedshire" in text
    assert "Renamedshire Council" in text


def test_the_demo_banner_shows_only_in_demo_mode(client, settings):
    settings.DEMO_MODE = False
    assert "Fictional demo data" not in client.get("/").content.decode()
    settings.DEMO_MODE = True
    assert "Fictional demo data" in client.get("/").content.decode()


def test_the_htmx_search_returns_only_the_rows(client, published_world):
    response = client.get("/authorities/?q=exemplar", headers={"HX-Request": "true"})
    text = response.content.decode()
    assert "Exemplar Borough Council" in text
    assert "<html" not in text


def test_failed_logins_are_locked_out_after_the_limit(settings, django_user_model):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_user("secretary", password="correct horse battery")
    client = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "secretary", "password": "wrong"})
    locked = client.post(
        "/accounts/login/", {"username": "secretary", "password": "correct horse battery"}
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_correct_login_before_the_limit_works(django_user_model):
    officer = django_user_model.objects.create_user("officer", password="correct horse battery")
    client = Client(REMOTE_ADDR="192.0.2.11")
    client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    assert "_auth_user_id" not in client.session
    response = client.post(
        "/accounts/login/", {"username": "officer", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert client.get("/").wsgi_request.user == officer


def test_the_methods_page_promises_no_api_until_there_is_one(client):
    text = client.get("/methods/").content.decode()
    assert "Review before publication" in text
    has_api = any(str(url.pattern).startswith("api") for url in get_resolver().url_patterns)
    if not has_api:
        assert not re.search(r"\bAPI\b", text), (
            "the methods page mentions an API that does not exist"
        )


def test_dates_are_shown_only_to_the_precision_they_are_known(client):
    council = build_authority()
    build_arrangement(
        authority=council, start_date=datetime.date(2013, 1, 1), start_precision="year"
    )
    text = client.get(f"/authorities/{council.gss_code}/").content.decode()
    assert '<td data-label="From"><div>2013</div></td>' in text
    assert "2013-01-01" not in text
    assert '<td data-label="From"><div>1\u00a0January\u00a02013' not in text


@pytest.mark.parametrize(
    ("url", "header", "expected_row"),
    [
        ("/authorities/?q=exemplar&format=csv", "gss_code,name,kind", "X09000099,Exemplar Borough"),
        ("/providers/?format=csv", "uid,name,legal_form", "Exemplar Leisure Mutual Ltd"),
        ("/services/?format=csv", "code,name,arrangements", "libraries,Libraries,1"),
        ("/services/libraries/?format=csv", "authority,gss_code,service", "Exemplar Borough"),
        ("/authorities/X09000099/?format=csv", "authority,gss_code,service", "Libraries"),
        ("/network/?format=csv", "member,type,tier,council,gss_code,joined", ""),
    ],
)
def test_every_list_downloads_as_csv(client, published_world, url, header, expected_row):
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith(header)
    assert expected_row in "\n".join(lines[1:])


def test_filters_narrow_the_csv_too(client, published_world):
    build_authority(name="Otherplace Council", nation="fictional")
    rows = client.get("/authorities/?q=otherplace&format=csv").content.decode().splitlines()
    assert len(rows) == 2
    assert "Otherplace Council" in rows[1]


def test_an_abolished_council_is_listed_with_its_year_and_successor(client, published_world):
    successor = build_authority(name="Newshire Council", gss_code="X06000101")
    build_authority(
        name="Oldshire District Council",
        gss_code="X07000100",
        kind="district",
        end_date=datetime.date(2019, 3, 31),
        replaced_by=successor,
    )
    page = client.get("/authorities/?q=oldshire").content.decode()
    assert "Oldshire District Council</a> (abolished 2019)" in page
    assert "<td>District council</td>" in page
    rows = client.get("/authorities/?q=oldshire&format=csv").content.decode().splitlines()
    assert rows[1].split(",")[-2:] == ["2019-03-31", "X06000101"]


# The most queries each public page type may issue, however much data there is: a first
# visit, with the page cache on and every cache empty.
QUERY_BUDGET = [
    ("/", 6),
    ("/authorities/", 3),
    ("/authorities/?page=2", 3),
    # The council's own page, the fates rules' reading of its arrangements (five queries, and
    # five for the register's cut-off, once per register version), its awards (three) and the
    # latest workforce tables, for its staff's rows (one, once per version).
    ("/authorities/X09000099/", 23),
    ("/providers/", 3),
    ("/services/", 2),
    ("/services/libraries/", 6),
    # The network's councils' figures are cached per register version (one query to read it):
    # aggregating every member's arrangements costs more than the rest of the page. The
    # memberships with their sources, and the spin-outs and insourcings by council and year.
    ("/network/", 6),
    ("/fates/", 2),
    ("/search/?q=exemplar", 3),
    ("/methods/", 1),
    # The version, and the latest publication's tables (once per version).
    ("/workforce/", 2),
    ("/workforce/method/", 1),
    ("/workforce/release-1.csv", 2),
]


@pytest.mark.parametrize(("url", "budget"), QUERY_BUDGET)
def test_pages_issue_a_fixed_number_of_queries(
    client, published_world, django_assert_max_num_queries, url, budget
):
    """Ten times the data must not mean more queries: no page may grow N+1 queries."""
    for number in range(10):
        council = build_authority(name=f"Extra Council {number}")
        arrangement = build_arrangement(
            authority=council if number % 2 else published_world["council"],
            provider=published_world["provider"] if number % 3 == 0 else build_provider(),
        )
        build_event(arrangement=arrangement)
        NetworkMembership.objects.create(
            member_name=council.name,
            member_type="council" if number % 2 else "opposition-group",
            authority=council,
            joined_on=datetime.date(2010 + number, 1, 1),
            source=build_source(kind="web-page"),
        )
    build_publication()  # the council's staff rows among its tables
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


def test_a_service_areas_figures_change_as_soon_as_the_register_does(published_world):
    """They are counted once per register version: a new arrangement must count at once."""
    libraries = ServiceArea.objects.get(code="libraries")
    today = datetime.date(2026, 1, 1)

    def private_now() -> tuple[int, int]:
        rows, total = public.service_area_delivery_now(libraries, "", today)
        counts = {row["legal_form"]: row["arrangements"] for row in rows}
        return counts["Private company"], total

    assert private_now() == (0, 1)
    build_arrangement(provider=build_provider(legal_form="private-company"))
    assert private_now() == (1, 2)
    only_private = public.service_area_delivery_now(libraries, "private-company", today)
    assert only_private[1] == 1


HOSTILE = '<script>alert("x")</script> & Sons'
HOSTILE_SHOWN = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons"


@pytest.mark.parametrize(
    "url", ["/authorities/X09000088/", "/services/libraries/", "/providers/", "/network/"]
)
def test_the_long_lists_escape_what_the_register_holds(client, url):
    """The council, service, providers and network lists are written in Python, not by the
    template engine: every value must still be escaped."""
    council = build_authority(name=HOSTILE, gss_code="X09000088")
    NetworkMembership.objects.create(authority=council, joined_on=datetime.date(2012, 1, 1))
    arrangement = build_arrangement(
        authority=council, provider=build_provider(name=HOSTILE), source=build_source(title=HOSTILE)
    )
    build_event(arrangement=arrangement, description=HOSTILE, source=build_source(title=HOSTILE))
    page = client.get(url).content.decode()
    assert "<script>" not in page
    assert HOSTILE_SHOWN in page


def test_a_service_page_lists_a_published_arrangement_at_once(client, published_world, settings):
    """Its rows' order is computed once per register version: a new row must show at once."""
    settings.CACHE_PUBLIC_PAGES = False
    assert "Newly Listed Mutual" not in client.get("/services/libraries/").content.decode()
    build_arrangement(provider=build_provider(name="Newly Listed Mutual"))
    assert "Newly Listed Mutual" in client.get("/services/libraries/").content.decode()


def test_what_visitors_may_see_is_read_afresh_each_time(published_world):
    """The visitors' querysets are built once and cloned: none may keep its results."""
    providers = list(public.published_providers())
    arrangements = list(public.published_arrangements())
    build_arrangement(provider=build_provider(name="Later Mutual"))
    assert len(public.published_providers()) == len(providers) + 1
    assert len(public.published_arrangements()) == len(arrangements) + 1
    build_provider(name="Draft Mutual", state="draft")
    assert "Draft Mutual" not in [p.name for p in public.published_providers()]


def test_the_service_list_counts_a_published_arrangement_at_once(published_world):
    def libraries_count() -> int:
        areas = {area.code: area for area in public.service_areas_with_counts()}
        return areas["libraries"].arrangement_count  # type: ignore[attr-defined]

    before = libraries_count()
    build_arrangement(provider=build_provider(legal_form="private-company"))
    assert libraries_count() == before + 1
    build_arrangement(provider=build_provider(), state="draft")
    assert libraries_count() == before + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_postgresql_plans_a_pages_repeated_queries_once(client, published_world, settings):
    settings.CACHE_PUBLIC_PAGES = False
    url = f"/providers/{published_world['provider'].uid}/"
    for _ in range(3):
        assert client.get(url).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "register_event"' in statement for statement in prepared)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's cost settings")
def test_postgresql_connections_plan_for_tables_held_in_memory():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_search_finds_councils_providers_and_services_and_only_public_ones(client):
    council = build_authority(name="Searchable Borough Council")
    build_arrangement(authority=council, provider=build_provider(name="Findable Leisure Trust"))
    build_provider(name="Findable Unpublished Mutual", state="submitted")
    found = client.get("/search/?q=findable").content.decode()
    assert "Findable Leisure Trust" in found
    assert "Findable Unpublished Mutual" not in found
    assert "Searchable Borough Council" in client.get("/search/?q=searchable").content.decode()
    assert "Libraries" in client.get("/search/?q=librar&kind=service-area").content.decode()


def test_search_lists_title_matches_before_matches_in_the_body_only(client):
    council = build_authority(name="Aardvark Borough Council")
    build_arrangement(authority=council, provider=build_provider(name="Orchard Leisure Trust"))
    found = client.get("/search/?q=orchard").content.decode()
    # The council matches by what it has delivered by whom; its title sorts first but not here.
    assert found.index("Orchard Leisure Trust") < found.index("Aardvark Borough Council")


def test_search_shows_councils_first_and_a_page_of_one_kind_when_asked(client):
    for number in range(55):
        build_provider(name=f"Kindcheck Mutual {number:02}")
    build_authority(name="Zzz Kindcheck Council")
    everything = client.get("/search/?q=kindcheck").content.decode()
    assert everything.index("Zzz Kindcheck Council") < everything.index("Kindcheck Mutual 00")
    assert "Providers (50+)" in everything
    assert "Kindcheck Mutual 10" not in everything  # the providers' own search shows more
    councils = client.get("/search/?q=kindcheck&kind=authority").content.decode()
    assert "Zzz Kindcheck Council" in councils
    assert "Kindcheck Mutual" not in councils
    providers = client.get("/search/?q=kindcheck&kind=provider").content.decode()
    assert "Kindcheck Mutual 49" in providers
    assert "Kindcheck Mutual 50" not in providers
    assert "Zzz Kindcheck Council" not in providers


@pytest.mark.parametrize("query", ['"', "AND", "NEAR(", "-x", "*", "a:b", "' OR 1=1 --", "ümlaut"])
def test_search_survives_any_query_text(client, query):
    assert client.get("/search/", {"q": query}).status_code == 200


def test_a_provider_leaving_publication_leaves_the_search(client):
    provider = build_provider(name="Soon Withdrawn Mutual")
    assert "Soon Withdrawn Mutual" in client.get("/search/?q=withdrawn").content.decode()
    provider.state = "draft"
    provider.save()
    assert "Soon Withdrawn Mutual" not in client.get("/search/?q=withdrawn").content.decode()


def test_a_cached_page_changes_as_soon_as_the_register_does(client, published_world):
    url = f"/authorities/{published_world['council'].gss_code}/"
    assert "Renamed Leisure Mutual" not in client.get(url).content.decode()
    provider = published_world["provider"]
    provider.name = "Renamed Leisure Mutual"
    provider.save()
    assert "Renamed Leisure Mutual" in client.get(url).content.decode()


def test_a_visitors_second_visit_is_served_from_the_cache(
    client, published_world, django_assert_max_num_queries
):
    client.get("/")
    with django_assert_max_num_queries(1):
        assert "Who delivers council services" in client.get("/").content.decode()


def test_logged_in_people_are_not_served_a_visitors_page(client, person, published_world):
    client.get("/")
    client.force_login(person("national researcher"))
    assert "Log out" in client.get("/").content.decode()


def test_the_history_page_names_people_only_to_researchers(client, person):
    branch = build_branch()
    author, colleague = person("branch member", branch), person("branch member", branch)
    draft = build_provider(name="Named Mutual", state="draft", branch=branch)
    draft.name = "Renamed Mutual"
    draft._history_user = author
    draft.save()
    client.force_login(colleague)
    seen_by_colleague = client.get(f"/history/provider/{draft.uid}/").content.decode()
    assert author.username not in seen_by_colleague
    assert "another person" in seen_by_colleague
    client.force_login(person("national researcher"))
    assert author.username in client.get(f"/history/provider/{draft.uid}/").content.decode()


def test_the_overview_shows_the_fates_once_they_are_computed(client):
    from mutualwatch.analysis.services import refresh_fates

    buyer = build_provider(name="Big Care plc", legal_form="private-company")
    for number in range(40):
        arrangement = build_arrangement(
            start_date=datetime.date(2008 + number % 8, 4, 1), origin="spin-out"
        )
        if number % 3 == 0:
            build_event(
                arrangement=arrangement,
                provider=arrangement.provider,
                event_type="takeover",
                counterparty=buyer,
                date=datetime.date(2016 + number % 5, 6, 1),
            )
    assert "/fates/" in client.get("/").content.decode()
    before = client.get("/").content.decode().count("<svg")
    refresh_fates(datetime.date(2026, 1, 1))
    after = client.get("/").content.decode()
    assert after.count("<svg") == before + 1
    assert "Headline estimates with 95% intervals" in after
    service_page = client.get("/services/libraries/").content.decode()
    assert "What became of its spin-outs" in service_page
    assert "Libraries: spin-outs over time" in service_page


def test_long_lists_come_a_page_at_a_time_and_download_whole(client):
    for number in range(101):
        build_provider(name=f"Paged Provider {number:03d}")
    first = client.get("/providers/").content.decode()
    assert "Paged Provider 099" in first
    assert "Paged Provider 100" not in first
    assert "Page 1 of 2 (101 in all)" in first
    assert "Paged Provider 100" in client.get("/providers/?page=2").content.decode()
    rows = client.get("/providers/?page=2&format=csv").content.decode().splitlines()
    assert len(rows) == 102


@pytest.mark.parametrize(
    "url",
    [
        "/authorities/?format=csv",
        "/fates/",
        "/workspace/",
        "/workspace/review/",
        "/admin/",
        "/admin/register/arrangement/",
        "/admin/login/",
    ],
)
def test_every_other_page_type_sends_the_content_security_policy(client, published_world, url):
    client.force_login(User.objects.create_superuser("csp-admin", password="x"))
    response = client.get(url)
    assert response.status_code in {200, 302}, url
    assert response["Content-Security-Policy"] == EXPECTED_CSP


def test_password_spraying_from_one_address_is_locked_out(settings, django_user_model):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    officer = django_user_model.objects.create_user("officer", password="correct horse battery")
    sprayer = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(60):
        sprayer.post("/accounts/login/", {"username": f"user-{number}", "password": "Summer2026"})
    refused = sprayer.post(
        "/accounts/login/", {"username": "officer", "password": "correct horse battery"}
    )
    assert refused.status_code == 429
    assert "_auth_user_id" not in sprayer.session
    elsewhere = Client(REMOTE_ADDR="198.51.100.8")
    elsewhere.post("/accounts/login/", {"username": "officer", "password": "correct horse battery"})
    assert elsewhere.session["_auth_user_id"] == str(officer.pk)


@pytest.mark.parametrize("trusted", [(), ("203.0.113.5",)], ids=["no proxy", "a trusted proxy"])
def test_the_client_address_comes_from_a_proxy_header_only_behind_a_trusted_proxy(
    settings, trusted
):
    settings.TRUSTED_PROXIES = frozenset(trusted)
    client = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.99, 192.0.2.1")
    client.post("/accounts/login/", {"username": "someone", "password": "wrong"})
    address = AccessAttempt.objects.get().ip_address
    assert address == ("203.0.113.5" if not trusted else "192.0.2.1")
