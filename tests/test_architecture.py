"""The apps depend one way: core ← accounts, timeline, library ← reviews ← sharing, portability.

Read from the source: every Python import of each app, and every ``{% url %}``
and ``{% load %}`` in each app's templates, may only reach the app itself and
the apps below it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

BELOW = {
    "core": set(),
    "accounts": {"core"},
    "timeline": {"core"},
    "library": {"core"},
    "reviews": {"core", "timeline", "library"},
    "sharing": {"core", "timeline", "library", "reviews"},
    "portability": {"core", "timeline", "library", "reviews"},
}
APPS = [app for app in BELOW if (ROOT / app).is_dir()]
# URL namespaces and the app that owns each.
NAMESPACES = {"career": "timeline"} | {app: app for app in BELOW}
URL_TAG = re.compile(r"""{%\s*url\s+["']([\w-]+):""")
LOAD_TAG = re.compile(r"{%\s*load\s+([\w\s]+?)\s*%}")
# Template tag libraries and the app that owns each.
TAG_LIBRARIES = {
    path.stem: app
    for app in BELOW
    for path in (ROOT / app / "templatetags").glob("*.py")
    if path.stem != "__init__"
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(BELOW)


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_itself_and_the_apps_below_it(app):
    allowed = BELOW[app] | {app}
    upward = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) - allowed)
        for path in (ROOT / app).rglob("*.py")
    }
    assert {path: apps for path, apps in upward.items() if apps} == {}


@pytest.mark.parametrize("app", APPS)
def test_an_apps_templates_reverse_only_its_own_urls_and_those_below(app):
    allowed = BELOW[app] | {app}
    folder = ROOT / "templates" / app
    upward = {}
    for path in folder.rglob("*.html") if folder.is_dir() else []:
        text = path.read_text()
        owners = {NAMESPACES.get(ns, ns) for ns in URL_TAG.findall(text)}
        for loaded in LOAD_TAG.findall(text):
            owners |= {TAG_LIBRARIES[name] for name in loaded.split() if name in TAG_LIBRARIES}
        if owners - allowed:
            upward[str(path.relative_to(ROOT))] = sorted(owners - allowed)
    assert upward == {}


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from reviews.models import Goal\nimport sharing.views\nfrom . import x\n")
    assert imported_apps(module) == {"reviews", "sharing"}
