"""Filters for the all-years list pages (/library/, /career/, /goals/).

The filters live in the URL (plain GET forms), so a reload or a copied link
shows the same view. A value that makes no sense is dropped with a notice
saying so, never a 500; the rest of the filters still apply.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.htmx import HtmxHttpRequest


class FilterForm(forms.Form):
    """A GET form whose invalid fields are ignored, each with a notice."""

    @cached_property
    def values(self) -> dict:
        """The valid, non-empty filter values."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "", False)
        }

    @property
    def notices(self) -> list[str]:
        # Messages quote the bad value: keep a pasted novel from filling the page.
        return [
            Truncator(str(error)).chars(160) for errors in self.errors.values() for error in errors
        ]

    @property
    def is_filtered(self) -> bool:
        return bool(self.values)

    def query(self, **extra) -> str:
        """The query string of the valid filters plus ``extra`` (e.g. a page number)."""
        params = {name: "1" if value is True else value for name, value in self.values.items()}
        return urlencode({**params, **extra})


def status_filter(choices) -> forms.ChoiceField:
    """A status to filter by, or any; a status that does not exist is dropped with a notice."""
    return forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *choices],
        error_messages={
            "invalid_choice": gettext_lazy("There is no status “%(value)s”; showing every status.")
        },
    )


def fragment_requested(request: HtmxHttpRequest) -> bool:
    """htmx wants a fragment; a history restore (back button, no cache) needs the full page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def get_page(paginator: Paginator, raw: str | None) -> tuple[Page, str | None]:
    """The requested page, or the nearest real one with a notice saying why."""
    if not raw:
        return paginator.page(1), None
    try:
        return paginator.page(raw), None
    except PageNotAnInteger:
        notice = _("“%(page)s” is not a page number; showing the first page.")
        return paginator.page(1), notice % {"page": raw[:20]}
    except EmptyPage:
        if int(raw) < 1:
            return paginator.page(1), _("Pages start at 1; showing the first page.")
        notice = _("There is no page %(page)s; showing the last page.")
        return paginator.page(paginator.num_pages), notice % {"page": raw[:20]}
