"""The reviews app's kind of row: a goal for a year (see core.rows)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from core import rows
from reviews.forms import GoalForm
from reviews.models import Goal


def _goal_list(goal: Goal, year: int) -> str | None:
    # A year's page shows its own goals and, below them, those set for the next year.
    if goal.year == year:
        return "goals-list"
    if goal.year == year + 1:
        return "next-goals-list"
    return None


def _with_progress(goals: list[Goal]) -> None:
    from reviews import compare  # compare reads the registry: import it when used

    if goals:
        progress = compare.metric_progress(goals[0].owner, goals)
        compare.attach_progress(goals, progress, timezone.localdate())


GOAL = rows.register(
    rows.RowKind(
        name="goal",
        model=Goal,
        form=GoalForm,
        template="reviews/_goal.html#goal-row",
        year_field="year",
        section="goals-changed",
        list_id=_goal_list,
        prepare=_with_progress,
        list_url=lambda goal: f"{reverse('reviews:goals')}#{rows.row_id(goal)}",
        list_template="reviews/goals.html#list-row",
    )
)
