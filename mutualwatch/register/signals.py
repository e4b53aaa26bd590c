"""Signals the register sends beyond Django's own."""

from django.dispatch import Signal

#: Sent after the importer has created many rows of one model at once (``sender``), inside the
#: import's transaction, with ``records`` (the new instances, saved) and ``using``. Those rows
#: were written in bulk, so no ``post_save`` was sent for them: receivers that keep something in
#: step with ``post_save`` (the search index, the fates) listen for this too.
records_loaded = Signal()
