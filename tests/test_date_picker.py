"""An edit form's date survives into the browser's date picker, whatever the site's locale:
``en-gb`` formats a date 12/03/2025, which a date input treats as empty."""

import datetime

import pytest

from mutualwatch.network.forms import MeetingForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", [datetime.date(2025, 3, 12), datetime.date(2024, 12, 31)])
def test_an_edit_form_shows_its_date_as_the_picker_reads_it(day):
    form = MeetingForm(initial={"title": "Branch network", "held_on": day})
    assert f'value="{day.isoformat()}"' in str(form["held_on"])
