"""A NUL character (%00) in a request is a 400 before any view or database sees it: on
PostgreSQL it used to be a 500 from deep in a query, on SQLite silently stored or searched."""

import pytest

from tests.conftest import build_arrangement

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_register():
    return build_arrangement()


@pytest.mark.parametrize(
    "url",
    [
        "/providers/?q=%00",
        "/search/?q=Dral%00by",
        "/authorities/%00/",
        "/contracts/%00/",
        "/history/provider/%00/",
        "/services/?legal_form=%00",
        "/authorities/?region=%00&format=csv",
        "/fates/?%00=1",
    ],
)
def test_a_nul_anywhere_in_an_address_is_a_400(client, some_register, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_form_is_a_400(client, some_register):
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
