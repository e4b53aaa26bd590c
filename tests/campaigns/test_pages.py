"""The case pages: the index, opening a case, the case page and each change posted to it."""

import datetime

from mutualwatch.campaigns.models import Case, CaseAction, Milestone
from mutualwatch.register.models import Source


def test_an_officer_opens_a_case_and_works_on_it(world, as_person):
    officer = world.people["branch officer"]
    client = as_person(officer)
    page = client.get("/workspace/campaigns/new/")
    assert page.status_code == 200
    assert "Homeshire Council" in page.text
    assert "Memberton Council" not in page.text
    libraries = world.arrangement.service_area
    response = client.post(
        "/workspace/campaigns/new/",
        {
            "branch": world.home.pk,
            "authority": world.arrangement.authority_id,
            "service_area": libraries.pk,
            "arrangement": world.arrangement.pk,
            "title": "Save the mobile library",
            "summary": "Cabinet is looking at a mutual.",
        },
    )
    case = Case.objects.get(title="Save the mobile library")
    assert response.status_code == 302
    assert response.url == f"/workspace/campaigns/{case.pk}/"
    assert case.branch == world.home
    assert case.created_by == officer
    assert not case.shared_with_network

    url = f"/workspace/campaigns/{case.pk}/"
    assert (
        client.post(
            url + "milestones/",
            {
                "milestone-date": "2026-12-20",
                "milestone-stage": "options-appraisal",
                "milestone-description": "Options appraisal to cabinet",
            },
        ).status_code
        == 302
    )
    assert Milestone.objects.get(case=case).stage == "options-appraisal"
    member = world.people["branch member"]
    assert (
        client.post(
            url + "actions/",
            {"action-description": "Brief the councillors", "action-assigned_to": member.pk},
        ).status_code
        == 302
    )
    action = CaseAction.objects.get(case=case)
    assert action.assigned_to == member
    assert client.post(url + f"actions/{action.pk}/done/").status_code == 302
    action.refresh_from_db()
    assert action.done_on is not None
    assert (
        client.post(
            url + "documents/",
            {
                "document-title": "Cabinet report: library options",
                "document-kind": "council-paper",
                "document-url": "https://example.org/cabinet/libraries",
            },
        ).status_code
        == 302
    )
    source = Source.objects.get(title="Cabinet report: library options")
    assert source.branch == world.home
    assert source.state == "draft"
    assert client.post(url + "sharing/", {"share": "yes"}).status_code == 302
    case.refresh_from_db()
    assert case.shared_with_network

    page = client.get(url)
    assert page.status_code == 200
    for text in (
        "Options appraisal to cabinet",
        "Brief the councillors",
        "Cabinet report: library options",
        "Shared with the branch network",
        "Freedom of Information requests",
        f"/workspace/campaigns/{case.pk}/foi/new/",
        f"/guidance/matched/?stage={case.stage}&amp;service_area=libraries",
    ):
        assert text in page.text, text


def test_a_broken_form_says_why(world, as_person):
    client = as_person(world.people["branch officer"])
    case = world.cases["home-private"]
    response = client.post(
        f"/workspace/campaigns/{case.pk}/milestones/", {"milestone-description": "No date"}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert not case.milestones.exists()


def test_an_action_goes_only_to_the_branchs_members(world, as_person):
    client = as_person(world.people["branch officer"])
    case = world.cases["home-private"]
    response = client.post(
        f"/workspace/campaigns/{case.pk}/actions/",
        {"action-description": "Leaflet", "action-assigned_to": world.people["outside member"].pk},
    )
    assert response.status_code == 400
    assert not case.actions.exists()


def test_the_index_labels_whose_each_case_is(world, as_person):
    page = as_person(world.people["network member"]).get("/workspace/campaigns/")
    assert page.status_code == 200
    assert "Memberton quiet" in page.text  # their own branch's private case
    assert "Shared with the network by Home Branch" in page.text
    assert "Homeshire leisure" in page.text
    assert "Keep Homeshire libraries" not in page.text  # another branch's private case
    assert "Outerby quiet" not in page.text


def test_a_branch_outside_the_network_sees_only_its_own(world, as_person):
    page = as_person(world.people["outside member"]).get("/workspace/campaigns/")
    assert "Outerby quiet" in page.text
    assert "Homeshire leisure" not in page.text
    assert "Memberton libraries" not in page.text


def test_a_branch_outside_the_network_cannot_share(world, as_person):
    case = world.cases["outside-private"]
    client = as_person(world.people["outside officer"])
    response = client.post(
        f"/workspace/campaigns/{case.pk}/sharing/", {"share": "yes"}, follow=True
    )
    assert "is not in the branch network" in response.text
    case.refresh_from_db()
    assert not case.shared_with_network


def test_a_case_someone_may_not_see_is_not_found(world, as_person):
    case = world.cases["home-private"]
    assert (
        as_person(world.people["outside member"])
        .get(f"/workspace/campaigns/{case.pk}/")
        .status_code
        == 404
    )
    visitor = as_person(None).get(f"/workspace/campaigns/{case.pk}/")
    assert visitor.status_code == 302
    assert visitor.url.startswith("/accounts/login/")


def test_a_network_branch_reads_a_shared_case_without_forms(world, as_person):
    case = world.cases["home-shared"]
    client = as_person(world.people["network officer"])
    page = client.get(f"/workspace/campaigns/{case.pk}/")
    assert page.status_code == 200
    assert "Add the milestone" not in page.text
    assert "Draft an FOI request" not in page.text
    refused = client.post(
        f"/workspace/campaigns/{case.pk}/milestones/",
        {
            "milestone-date": "2026-12-20",
            "milestone-stage": "decision",
            "milestone-description": "x",
        },
    )
    assert refused.status_code == 403
    assert not case.milestones.exists()


def test_the_workspace_home_links_the_cases(world, as_person):
    page = as_person(world.people["branch member"]).get("/workspace/")
    assert 'href="/workspace/campaigns/"' in page.text


def test_sharing_can_be_undone(world, as_person):
    case = world.cases["home-shared"]
    client = as_person(world.people["branch officer"])
    assert (
        client.post(f"/workspace/campaigns/{case.pk}/sharing/", {"share": "no"}).status_code == 302
    )
    case.refresh_from_db()
    assert not case.shared_with_network
    assert case.shared_at is None
    assert (
        as_person(world.people["network member"])
        .get(f"/workspace/campaigns/{case.pk}/")
        .status_code
        == 404
    )


def test_the_next_milestone_shows_in_the_index(world, as_person):
    case = world.cases["home-private"]
    Milestone.objects.create(
        case=case, stage="decision", date=datetime.date(2099, 1, 5), description="Cabinet decides"
    )
    page = as_person(world.people["branch member"]).get("/workspace/campaigns/")
    assert "5 January 2099: Cabinet decides" in page.text
