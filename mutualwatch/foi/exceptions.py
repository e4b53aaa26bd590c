"""Why an FOI action was refused. Each message says what to do instead."""


class FoiError(Exception):
    """Base class: an action on an FOI request that cannot be done."""


class NotAllowed(FoiError):
    """The person may not do this to this request (the permission table says no)."""


class OutOfOrder(FoiError):
    """The step does not fit where the request is: a response before it was sent, a review
    before a response, a date before the one it follows, or a change to a sent request."""


class ResponseRequired(FoiError):
    """A response or review answer was recorded without a source: a URL, a file or an
    existing source."""
