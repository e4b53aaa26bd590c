"""Cheap builders for register records the councils tests need."""

from datetime import date

from mutualwatch.register.models import (
    Arrangement,
    ArrangementOrigin,
    Authority,
    AuthorityKind,
    LegalForm,
    Nation,
    Provider,
    ReviewState,
    ServiceArea,
    Source,
    SourceKind,
)


def authority(gss_code: str, name: str, **fields) -> Authority:
    fields.setdefault("kind", AuthorityKind.UNITARY)
    fields.setdefault("nation", Nation.ENGLAND)
    return Authority.objects.create(gss_code=gss_code, name=name, **fields)


def arrangement(council: Authority, *, end_date: date | None = None) -> Arrangement:
    source = Source.objects.create(
        title="Cabinet paper",
        url="https://example.org/paper",
        kind=SourceKind.COUNCIL_PAPER,
        state=ReviewState.PUBLISHED,
    )
    provider = Provider.objects.create(
        name=f"{council.name} Leisure Trust",
        legal_form=LegalForm.CHARITY,
        state=ReviewState.PUBLISHED,
    )
    area, _ = ServiceArea.objects.get_or_create(code="leisure", defaults={"name": "Leisure"})
    return Arrangement.objects.create(
        authority=council,
        service_area=area,
        provider=provider,
        origin=ArrangementOrigin.OUTSOURCING,
        start_date=date(2012, 4, 1),
        end_date=end_date,
        source=source,
        state=ReviewState.PUBLISHED,
    )
