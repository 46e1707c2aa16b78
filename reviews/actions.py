"""Links the year page offers its owner beside its own tools, added by the apps above reviews.

reviews may not name the URLs of the apps that build on it, so those apps
register their actions from ``AppConfig.ready()``; the year page shows them
in the order they were registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class YearAction:
    name: str
    label: str | Promise  # lazy, so it is translated when the page renders
    url: Callable[[int], str]  # the year -> the action's URL for that year


@dataclass(frozen=True)
class YearLink:
    label: str | Promise
    url: str


_actions: dict[str, YearAction] = {}


def register(name: str, label: str | Promise, url: Callable[[int], str]) -> None:
    """Add an action; registering a name again replaces it in place, never twice."""
    _actions[name] = YearAction(name, label, url)


def links_for(year: int) -> list[YearLink]:
    """Every registered action as a link for ``year``, in registration order."""
    return [YearLink(action.label, action.url(year)) for action in _actions.values()]
