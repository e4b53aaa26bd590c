"""The register's codes as people read them: the one home of the mapping from a slug (a legal
form, an event type, a service area's code) to its label, for charts, tables and sentences.
The labels are the model choices' own (and the service areas' names from the vocabulary), so a
label changed there changes everywhere."""

from mutualwatch.register.models import EventType, LegalForm, NetworkMemberType, NetworkTier
from mutualwatch.register.vocabulary import SERVICE_AREAS

LEGAL_FORM_LABELS = dict(LegalForm.choices)
EVENT_LABELS = dict(EventType.choices)
NETWORK_MEMBER_TYPE_LABELS = dict(NetworkMemberType.choices)
NETWORK_TIER_LABELS = dict(NetworkTier.choices)
SERVICE_AREA_NAMES = {code: name for code, name, _description in SERVICE_AREAS}


def legal_form_label(code: str) -> str:
    return LEGAL_FORM_LABELS.get(code, code)


def service_area_label(code: str) -> str:
    """A service area's name; an area added to the database after the vocabulary (codes are
    never renamed, only added) is shown with its code's words."""
    return SERVICE_AREA_NAMES.get(code) or code.replace("-", " ").capitalize()
