"""The fates page's tables, written in Python: the same figures ``floatformat`` printed, and
every value escaped."""

import math

import pytest
from django.template.defaultfilters import floatformat
from hypothesis import given
from hypothesis import strategies as st

from mutualwatch.analysis.templatetags.fates_tables import cox_rows, curve_rows, fixed

# Above 1e-9 in size: floatformat prints a subnormal such as 2.2e-311 as it is, not as 0.000.
FIGURES = st.floats(min_value=-1e6, max_value=1e6).filter(lambda v: v == 0 or abs(v) > 1e-9)


@given(FIGURES | st.sampled_from([0.125, 2.675, -0.001, -0.0]))
def test_fixed_prints_a_figure_as_floatformat_does(value):
    for places in (2, 3):
        assert fixed(value, places) == floatformat(value, places)


def test_fixed_prints_a_vanishing_p_value_as_zero():
    assert fixed(2.2e-311, 3) == "0.000"


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_fixed_prints_an_unbounded_figure_as_floatformat_does(value):
    assert fixed(value, 2) == floatformat(value, 2)


def test_a_figure_that_could_not_be_estimated_prints_empty():
    assert fixed(None, 2) == floatformat(None, 2) == ""
    row = {"covariate": "x", "hazard_ratio": None, "lower": None, "upper": None}
    assert "<td> to </td>" in cox_rows([row | {"p": None, "ph_p": None}])


def test_the_tables_escape_their_labels():
    hostile = "<b>Arts & leisure</b>"
    curve = curve_rows(
        [{"group": hostile, "years": "1", "estimate": "0.5", "interval": "x", "at_risk": 3}]
    )
    term = {"covariate": hostile, "hazard_ratio": 1.5, "lower": 1.0, "upper": 2.0}
    cox = cox_rows([term | {"p": 0.01, "ph_p": 0.5, "proportional_hazards_doubtful": True}])
    for html in (curve, cox):
        assert "<b>" not in html
        assert "&lt;b&gt;Arts &amp; leisure&lt;/b&gt;" in html
    assert "<td>1.50</td><td>1.00 to 2.00</td><td>0.010</td>" in cox
    assert "(assumption doubtful)" in cox
