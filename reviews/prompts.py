"""The guided review: questions that help a user who stares at an empty page.

Written for Almanac. A new year's document (reviews.document.compose) opens
with the questions as headings the author answers, keeps or deletes; reviews
written before the document kept each answer in a field of its own
(``answer_<key>``), which the migration and version-1 imports convert.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Prompt:
    key: str
    question: Promise
    hint: Promise

    @property
    def field(self) -> str:
        return f"answer_{self.key}"


PROMPTS = [
    Prompt(
        "best",
        _("Which moment of the year would you keep if you could keep only one?"),
        _("A day, an hour, a conversation. Where were you, who was there?"),
    ),
    Prompt(
        "hardest",
        _("What was the hardest thing this year, and how did you get through it?"),
        _("It can be small. Name it plainly."),
    ),
    Prompt(
        "let_go",
        _("What are you ready to let go of?"),
        _("A habit, a worry, a project that has run its course."),
    ),
    Prompt(
        "helped",
        _("Who helped you this year?"),
        _("Colleagues, friends, family, strangers, authors. Did you thank them?"),
    ),
    Prompt(
        "learned",
        _("What did you learn about yourself?"),
        _("Something you would tell your self of last January."),
    ),
    Prompt(
        "word",
        _("One word for next year, and why that word?"),
        _("Steady, curious, lighter… whatever fits."),
    ),
]
FIELDS = [prompt.field for prompt in PROMPTS]
