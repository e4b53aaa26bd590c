"""Reads over the links, for pages."""

from dataclasses import dataclass
from typing import Any

from mutualwatch.matching.models import LINKED, Link
from mutualwatch.register.models import Provider
from mutualwatch.registers.models import CorporateControl, RegisteredBody

REGISTER_LABELS = {
    "companies-house": "Companies House",
    "societies": "FCA Mutuals Public Register",
    "charities": "Charity register",
}
CONTROLLER_LABELS = {
    "company": "A company",
    "other-entity": "Another organisation",
    "individual": "A person (not named here)",
    "none-registrable": "No one with significant control",
}


@dataclass(frozen=True)
class RegisteredView:
    link: Link
    body: RegisteredBody
    register_label: str
    controls: list[dict[str, Any]]


def registered_body_of(provider: Provider) -> RegisteredView | None:
    """The company or society a provider is linked to, with its controllers over time; None
    when it is not linked (or the body is not in the registers loaded)."""
    link = Link.objects.filter(provider=provider, decision__in=LINKED).first()
    if link is None:
        return None
    body = RegisteredBody.objects.filter(register=link.register, number=link.number).first()
    if body is None:
        return None
    controls = [
        {
            "who": control.controller_name if control.controller_kind != "individual" else "",
            "kind": CONTROLLER_LABELS.get(control.controller_kind, control.controller_kind),
            "number": control.controller_number,
            "start": control.start_on,
            "end": control.end_on,
            "source": control.source_file,
        }
        for control in CorporateControl.objects.filter(body=body).order_by("start_on")
    ]
    return RegisteredView(link, body, REGISTER_LABELS.get(body.register, body.register), controls)
