"""The browser's date picker as a form widget, for every app's forms."""

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """Reads and writes ISO dates whatever the locale: an ``en-gb`` value such as 12/03/2025
    is one the browser's date picker treats as empty, so an edit form would lose its date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
