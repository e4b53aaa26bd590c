"""Publishing the tiny demo world's workforce records: the tables recover the world's stated
truth, no published cell is small, and the audit passes over every publication together,
also after records are added and erased between publications."""

import datetime
import math
from pathlib import Path

import orjson
import pytest
from django.conf import settings

from mutualwatch.demoworld.loading import load_workforce
from mutualwatch.demoworld.parameters import SPIN_OUT_FORMS
from mutualwatch.demoworld.workforce import TRUTH_FILE
from mutualwatch.register.importing import import_register
from mutualwatch.register.labels import legal_form_label
from mutualwatch.workforce import crypto
from mutualwatch.workforce.exceptions import PublicationRefused
from mutualwatch.workforce.instrument import Pension, Period
from mutualwatch.workforce.models import (
    AccessAction,
    AccessLog,
    Origin,
    Publication,
    TermsRecord,
)
from mutualwatch.workforce.publishing import publish, run_audit

pytestmark = pytest.mark.django_db

AFTER = Period.AFTER.label
OPEN = Pension.LGPS.label
CLOSED = (Pension.LGPS_CLOSED.label, Pension.DEFINED_CONTRIBUTION.label)


def cells_of(publication: Publication, table: str) -> dict[tuple[tuple[str, ...], str], dict]:
    return {
        (tuple(cell["row"]), cell["column"]): cell
        for cell in publication.cells
        if cell["table"] == table
    }


@pytest.mark.slow
def test_after_transfer_pension_shares_recover_the_stated_spin_out_closure_rate(
    demo_workforce_world: Path,
):
    """The share of spin-outs' members answering after transfer whose LGPS is closed or
    replaced estimates the stated share of spin-outs closing it within three years. Members
    answer in clusters (one arrangement's members share its fate), so the standard error is
    the cluster one, sqrt(p(1 - p) * sum(m_i^2)) / sum(m_i) over the arrangements' m_i
    members; the tolerance is 3 standard errors. The demo-size world is used: in the tiny one
    the linked tables withhold most of the provider-kind rows."""
    import_register(demo_workforce_world / "register.json")
    load_workforce(demo_workforce_world, lambda line: None)
    truth = orjson.loads((demo_workforce_world / TRUTH_FILE).read_bytes())
    stated = truth["parameters"]["pension_closed_within_3_years"]["spin-out"]
    members = [
        a["members"]
        for a in truth["arrangements"]
        if a["covered"] and a["origin"] == "spin-out" and a["members"]
    ]
    standard_error = math.sqrt(stated * (1 - stated) * sum(m * m for m in members)) / sum(members)

    table = cells_of(Publication.objects.get(), "pension-by-provider-kind")
    closed = answered = 0
    for kind in SPIN_OUT_FORMS:
        row = (legal_form_label(kind), AFTER)
        total = table.get((row, "Total"))
        if total is None or total["suppressed"]:
            continue
        open_ = table.get((row, OPEN))
        if open_ is None:
            closed += total["respondents"]
        elif not open_["suppressed"]:
            closed += total["respondents"] - open_["respondents"]
        elif all(not table[(row, column)]["suppressed"] for column in CLOSED):
            closed += sum(table[(row, column)]["respondents"] for column in CLOSED)
        else:
            continue  # withheld in a way that hides the split: this row cannot be read
        answered += total["respondents"]
    # Most spin-outs' members are in rows that can be read.
    assert answered >= 0.8 * sum(members)
    assert closed / answered == pytest.approx(stated, abs=3 * standard_error)


def test_no_published_cell_counts_fewer_than_the_minimum(loaded_world: Path):
    publication = Publication.objects.get()
    k = settings.WORKFORCE_MIN_RESPONDENTS
    assert publication.rules["min_respondents"] == k
    assert len(publication.cells) > 100
    withheld = [cell for cell in publication.cells if cell["suppressed"]]
    assert withheld, "the tiny world's arrangement tables have small cells"
    for cell in publication.cells:
        if cell["suppressed"]:
            assert cell["respondents"] is None
            assert cell["value"] is None
        else:
            assert not 0 < cell["respondents"] < k, cell
    by_arrangement = cells_of(publication, "pension-by-arrangement")
    assert any(cell["suppressed"] for cell in by_arrangement.values())


def test_the_publication_keeps_its_tables_rules_and_logs_itself(loaded_world: Path):
    publication = Publication.objects.get()
    assert publication.number == 1
    assert publication.respondents == TermsRecord.objects.count()
    assert next(spec["key"] for spec in publication.rules["specs"]) == "pension-national"
    assert {cell["table"] for cell in publication.cells} <= {
        spec["key"] for spec in publication.rules["specs"]
    }
    logged = AccessLog.objects.get(action=AccessAction.PUBLISH)
    assert logged.count == publication.respondents
    assert logged.user is None
    assert not TermsRecord.objects.exclude(first_published=1).exists()


def test_the_audit_over_the_first_publication_passes(loaded_world: Path):
    findings = run_audit()
    withheld = sum(1 for cell in Publication.objects.get().cells if cell["suppressed"])
    assert findings
    assert {finding.number for finding in findings} == {1}
    assert len({(f.table, f.row, f.column) for f in findings}) == withheld
    assert all(finding.passed for finding in findings), [f for f in findings if not f.passed][:3]


def test_a_second_publication_after_records_are_added_and_erased_passes_with_the_first(
    loaded_world: Path,
):
    first = TermsRecord.objects.filter(origin=Origin.DEMO).order_by("pk")
    one_arrangement = first.first()
    assert one_arrangement is not None
    # Three members of one arrangement erase their answers...
    erased = list(first.filter(arrangement=one_arrangement.arrangement)[:3])
    for record in erased:
        record.delete()
    # ...twelve more answer for another.
    other = first.exclude(arrangement=one_arrangement.arrangement).last()
    assert other is not None
    answers = {"pension": "dc", "contracted_hours": "37", "two_tier": True}
    added = TermsRecord.objects.bulk_create(
        TermsRecord(
            branch_id=other.branch_id,
            arrangement_id=other.arrangement_id,
            time_point="dated",
            observed_on=other.arrangement.start_date + datetime.timedelta(days=1200),
            origin=Origin.QUESTIONNAIRE,
            sealed_answers=crypto.seal(answers),
            delete_after=other.delete_after,
        )
        for _ in range(12)
    )
    # And one record is past its retention: it is deleted before anything is counted.
    expired = first.last()
    assert expired is not None
    TermsRecord.objects.filter(pk=expired.pk).update(delete_after=datetime.date(2020, 1, 1))

    second = publish()
    assert second.number == 2
    assert not TermsRecord.objects.filter(pk=expired.pk).exists()
    assert second.respondents == TermsRecord.objects.count()
    assert set(TermsRecord.objects.filter(first_published=2).values_list("pk", flat=True)) == {
        record.pk for record in added
    }
    k = settings.WORKFORCE_MIN_RESPONDENTS
    assert all(cell["suppressed"] or not 0 < cell["respondents"] < k for cell in second.cells)
    findings = run_audit()
    assert {finding.number for finding in findings} == {1, 2}
    assert all(finding.passed for finding in findings), [f for f in findings if not f.passed][:3]


def test_tables_that_cannot_be_protected_are_not_published(loaded_world: Path):
    """A stored publication whose published cells contradict its own basis (as a corrupted
    copy would): nothing can be proved safe against it, so nothing new is published."""
    first = Publication.objects.get()
    cells = [dict(cell) for cell in first.cells]
    shown = next(cell for cell in cells if cell["table"] == "pension-national")
    shown["respondents"] += 5
    Publication.objects.filter(pk=first.pk).update(cells=cells)
    with pytest.raises(PublicationRefused, match="Workforce publication 2 was not made: "):
        publish()
    assert Publication.objects.count() == 1
    assert not TermsRecord.objects.filter(first_published=2).exists()
