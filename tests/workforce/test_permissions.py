"""Every workforce URL and action for every role: only the branch's own officers read and
change its records; an administrator reads them only while a break-glass grant is open, and
never changes them; researchers, members and other branches' officers get a plain 403."""

import pytest
from django.urls import URLPattern, reverse

from mutualwatch.workforce import urls as workforce_urls
from mutualwatch.workforce.models import AccessLog, Evidence, QuestionnaireLink, TermsRecord
from tests.workforce.conftest import ANSWERED, OBSERVED

pytestmark = pytest.mark.django_db

ROLES = [
    "visitor",
    "member",
    "officer",
    "other officer",
    "researcher",
    "administrator",
    "administrator with grant",
    "administrator with expired grant",
]


def requests_for(world):
    """(method, URL, data) for each page and action."""
    slug = world.branch.slug

    def at(name, *args):
        return reverse(f"workforce:{name}", args=[slug, *args])

    receipt = {"receipt": world.receipt}
    return {
        "index": ("get", reverse("workforce:index"), None),
        "branch": ("get", at("branch"), None),
        "record": ("get", at("record", world.record.pk), None),
        "record answered": ("get", at("record", world.answered.pk), None),
        "access-log": ("get", at("access-log"), None),
        "add-evidence": ("get", at("add-evidence"), None),
        "add-evidence post": (
            "post",
            at("add-evidence"),
            {"kind": "letter", "dated": "2016-04-01", "description": "Letter of transfer"},
        ),
        "record-terms": ("get", at("record-terms"), None),
        "record-terms post": (
            "post",
            at("record-terms"),
            OBSERVED | {"arrangement": world.arrangement.pk, "evidence": world.evidence.pk},
        ),
        "make-link": ("get", at("make-link"), None),
        "make-link post": ("post", at("make-link"), {"arrangement": world.arrangement.pk}),
        "member-request": ("get", at("member-request"), None),
        "member-request export": ("post", at("member-request"), receipt | {"intent": "export"}),
        "member-request erase": ("post", at("member-request"), receipt | {"intent": "erase"}),
        "member-request confirm-erase": (
            "post",
            at("member-request"),
            receipt | {"intent": "confirm-erase"},
        ),
        "break-glass": ("get", reverse("workforce:break-glass"), None),
        "break-glass post": (
            "post",
            reverse("workforce:break-glass"),
            {"branch": world.branch.pk, "reason": "Checking a subject access complaint."},
        ),
        "questionnaire": ("get", reverse("questionnaire", args=[world.token]), None),
        "questionnaire post": ("post", reverse("questionnaire", args=[world.token]), ANSWERED),
    }


# Expected status by request and role, written out (not derived from the permission table).
EXPECTED = {
    #                        visitor member officer other research admin grant expired
    "index":                  (302, 403, 200, 200, 403, 200, 200, 200),
    "branch":                 (302, 403, 200, 403, 403, 403, 200, 403),
    "record":                 (302, 403, 200, 403, 403, 403, 200, 403),
    "record answered":        (302, 403, 200, 403, 403, 403, 200, 403),
    "access-log":             (302, 403, 200, 403, 403, 403, 200, 403),
    # Adding, linking, exporting and erasing: the branch's officers only, never break-glass.
    "add-evidence":           (302, 403, 200, 403, 403, 403, 403, 403),
    "add-evidence post":      (302, 403, 302, 403, 403, 403, 403, 403),
    "record-terms":           (302, 403, 200, 403, 403, 403, 403, 403),
    "record-terms post":      (302, 403, 302, 403, 403, 403, 403, 403),
    "make-link":              (302, 403, 200, 403, 403, 403, 403, 403),
    "make-link post":         (302, 403, 200, 403, 403, 403, 403, 403),
    "member-request":         (302, 403, 200, 403, 403, 403, 403, 403),
    "member-request export":  (302, 403, 200, 403, 403, 403, 403, 403),
    "member-request erase":   (302, 403, 200, 403, 403, 403, 403, 403),
    "member-request confirm-erase": (302, 403, 302, 403, 403, 403, 403, 403),
    # Breaking the glass: administrators only.
    "break-glass":            (302, 403, 403, 403, 403, 200, 200, 200),
    "break-glass post":       (302, 403, 403, 403, 403, 302, 302, 302),
    # The member's questionnaire needs no account: whoever has the link answers it.
    "questionnaire":          (200, 200, 200, 200, 200, 200, 200, 200),
    "questionnaire post":     (200, 200, 200, 200, 200, 200, 200, 200),
}  # fmt: skip
CASES = [(name, role, codes[i]) for name, codes in EXPECTED.items() for i, role in enumerate(ROLES)]


def held(world):
    """What the branch holds, to see that a refused request changed nothing."""
    return (
        list(TermsRecord.objects.values_list("pk", flat=True)),
        list(Evidence.objects.values_list("pk", flat=True)),
        list(QuestionnaireLink.objects.values_list("pk", "answered_at")),
    )


@pytest.mark.parametrize(("name", "role", "status"), CASES)
def test_each_page_and_action_for_each_role(world, as_person, name, role, status):
    client = as_person(world.people[role])
    method, url, data = requests_for(world)[name]
    before = held(world)
    reads = AccessLog.objects.filter(action="read").count()
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == status
    if status == 302 and role == "visitor":
        assert response["Location"].startswith("/accounts/login/?next=")
    if status in {302, 403} and (role == "visitor" or status == 403):
        assert held(world) == before
        assert AccessLog.objects.filter(action="read").count() == reads
    if status == 403:
        text = response.content.decode()
        assert "Not allowed" in text
        for secret in ("11.20", "12.34", "safe", world.receipt):
            assert secret not in text
    assert "no-store" in response["Cache-Control"]


def test_every_workforce_url_is_in_the_matrix():
    """A new workforce page cannot be added without its row of expected statuses."""
    names = {p.name for p in workforce_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names | {"questionnaire"} == {name.split(" ")[0] for name in EXPECTED}


def test_a_record_of_another_branch_is_not_found_through_this_branchs_address(world, as_person):
    elsewhere = TermsRecord.objects.create(
        branch=world.other_branch,
        arrangement=world.elsewhere,
        time_point="before",
        origin="officer",
        sealed_answers=world.record.sealed_answers,
        delete_after=world.record.delete_after,
    )
    client = as_person(world.people["officer"])
    url = reverse("workforce:record", args=[world.branch.slug, elsewhere.pk])
    assert client.get(url).status_code == 404
    other = reverse("workforce:record", args=[world.other_branch.slug, elsewhere.pk])
    assert client.get(other).status_code == 403
    assert not AccessLog.objects.filter(action="read", record_id=elsewhere.pk).exists()


def test_an_officer_records_terms_only_for_a_service_the_branch_follows(world, as_person):
    client = as_person(world.people["officer"])
    response = client.post(
        reverse("workforce:record-terms", args=[world.branch.slug]),
        OBSERVED | {"arrangement": world.elsewhere.pk, "evidence": world.evidence.pk},
    )
    assert response.status_code == 400
    assert "arrangement" in response.context["form"].errors
    assert TermsRecord.objects.count() == 2


def test_the_break_glass_reason_must_say_why(world, as_person):
    client = as_person(world.people["administrator"])
    response = client.post(
        reverse("workforce:break-glass"), {"branch": world.branch.pk, "reason": "because"}
    )
    assert response.status_code == 400
    assert "at least 20 characters" in response.context["form"].errors["reason"][0]
    branch_page = reverse("workforce:branch", args=[world.branch.slug])
    assert client.get(branch_page).status_code == 403


def test_the_workspace_links_to_the_workforce_pages_for_officers_and_administrators(
    world, as_person
):
    officer = as_person(world.people["officer"]).get("/workspace/").content.decode()
    assert f'href="{reverse("workforce:index")}"' in officer
    assert f'href="{reverse("workforce:branch", args=[world.branch.slug])}"' in officer
    admin = as_person(world.people["administrator"]).get("/workspace/").content.decode()
    assert f'href="{reverse("workforce:break-glass")}">Workforce terms' in admin
    member = as_person(world.people["member"]).get("/workspace/").content.decode()
    assert "Workforce terms" not in member
    researcher = as_person(world.people["researcher"]).get("/workspace/").content.decode()
    assert "Workforce terms" not in researcher


def test_the_reading_pages_take_no_posts(world, as_person):
    client = as_person(world.people["officer"])
    for name in ("index", "branch", "record", "access-log"):
        _, url, _ = requests_for(world)[name]
        assert client.post(url).status_code == 405, name
