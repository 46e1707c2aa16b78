"""/data/ imports a large backup in bounded steps, each answering with its progress.

The step budget is lowered (settings) so that a handful of small photos
needs several steps; each step's photo work is counted by wrapping the
photo sanitizer the importer calls.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from portability import interchange_import
from portability.backup import import_backup, json_bytes
from portability.interchange import export_data
from portability.views import PENDING
from tests.portability.interchange_data import (
    ENTRY,
    GOAL,
    ITEM,
    MOVE,
    REVIEW,
    counts,
    jpeg,
    make_zip,
    minimal,
)
from tests.portability.test_data_views import client_for, confirm, pending_files, upload

pytestmark = pytest.mark.django_db

COLORS = ["teal", "red", "navy", "olive", "purple", "orange", "gray"]


def backup_zip() -> bytes:
    """7 entries with a photo each, one without, and a row of every other kind."""
    files = {f"photos/{i}.jpg": jpeg(color=color) for i, color in enumerate(COLORS)}
    entries = [
        {**ENTRY, "title": f"Entry {i}", "photos": [{"file": name, "caption": f"Photo {i}"}]}
        for i, name in enumerate(files)
    ]
    entries.append({**ENTRY, "title": "No photo"})
    document = minimal(
        reviews=[REVIEW],
        timeline=entries,
        career=[MOVE],
        library=[ITEM, {**ITEM, "title": "Another"}],
        goals=[GOAL, {**GOAL, "title": "Read"}],
    )
    return make_zip({"data.json": json_bytes(document), **files})


@pytest.fixture
def small_steps(settings):
    settings.ALMANAC_IMPORT_STEP_PHOTOS = 2
    settings.ALMANAC_IMPORT_STEP_ROWS = 1_000
    settings.ALMANAC_IMPORT_STEP_SECONDS = 60


@pytest.fixture
def decoded(monkeypatch):
    """The photos the importer sends through the sanitizer (decoded and re-encoded)."""
    calls: list[str] = []
    process = interchange_import.process_upload

    def counting(uploaded_file):
        calls.append(uploaded_file.name)
        return process(uploaded_file)

    monkeypatch.setattr(interchange_import, "process_upload", counting)
    return calls


def imported_photos(html: str) -> int:
    match = re.search(r"Imported (\d+) of 7 photos and (\d+) of \d+ rows…", html)
    assert match, html
    return int(match.group(1))


def steps_until_done(client, decoded, htmx: bool = False) -> list:
    """Confirm, then follow each step's next step; each answer with the photos it decoded."""
    answers = []
    for _ in range(20):
        decoded.clear()
        response = confirm(client, htmx=htmx)
        answers.append((response, len(decoded)))
        if PENDING not in client.session:
            return answers
    raise AssertionError("the import never finished")


def one_shot(user) -> dict:
    report = import_backup(user, io.BytesIO(backup_zip()))
    assert report.ok, report.problems
    return export_data(user)


def test_an_import_with_more_photos_than_a_step_takes_bounded_steps(
    alice, bob, small_steps, decoded
):
    client = client_for(alice)
    upload(client, backup_zip(), name="backup.zip")

    answers = steps_until_done(client, decoded)

    *steps, (last, _) = answers
    assert len(steps) >= 3
    assert all(count <= 2 for _response, count in answers)  # never more than a step's budget
    done = [imported_photos(response.content.decode()) for response, _count in steps]
    assert done == sorted(done) and len(set(done)) == len(done)  # it only moves forward
    assert all(response.status_code == 200 for response, _count in steps)
    assert last.status_code == 302 and last["Location"] == "/data/"
    page = client.get("/data/").content.decode()
    assert "Added 1 review, 8 entries, 7 photos, 1 career move, 2 items and 2 goals." in page
    assert pending_files() == []
    assert export_data(alice) == one_shot(bob)


def test_a_step_without_htmx_is_a_page_with_a_continue_button(alice, small_steps):
    client = client_for(alice)
    upload(client, backup_zip(), name="backup.zip")

    html = confirm(client).content.decode()

    assert "<html" in html
    assert "Imported 2 of 7 photos" in html
    assert 'action="/data/import/confirm/"' in html
    assert '<button type="submit" class="button">Continue</button>' in html
    assert 'name="upload" value="' + client.session[PENDING]["name"] + '"' in html


def test_a_step_with_htmx_answers_the_panel_that_asks_for_the_next_step(
    alice, small_steps, decoded
):
    client = client_for(alice)
    upload(client, backup_zip(), name="backup.zip", htmx=True)

    answers = steps_until_done(client, decoded, htmx=True)

    for response, _count in answers[:-1]:
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="import-panel"')
        assert 'hx-post="/data/import/confirm/" hx-trigger="load, submit"' in html
        assert "<progress" in html
    final = answers[-1][0].content.decode()
    assert "Imported." in final
    assert "Added 1 review, 8 entries, 7 photos, 1 career move, 2 items and 2 goals." in final
    assert "hx-trigger" not in final.split("data-upload")[0]  # no next step
    assert counts(alice)["photos"] == 7


def test_an_interrupted_import_continues_from_the_page_without_duplicates(
    alice, bob, small_steps, decoded
):
    client = client_for(alice)
    upload(client, backup_zip(), name="backup.zip")
    confirm(client)  # step 1, then the tab is closed

    page = client.get("/data/").content.decode()
    assert "Imported 2 of 7 photos" in page
    assert "Continue" in page and 'hx-trigger="submit"' in page  # not on its own
    steps_until_done(client, decoded)

    assert export_data(alice) == one_shot(bob)


def test_an_import_started_again_from_the_same_file_adds_only_the_rest(
    alice, bob, small_steps, decoded
):
    client = client_for(alice)
    upload(client, backup_zip(), name="backup.zip")
    confirm(client)  # step 1 only
    assert counts(alice)["photos"] == 2

    preview = upload(client, backup_zip(), name="backup.zip").content.decode()
    assert "Adds 6 entries, 5 photos, 1 career move, 2 items and 2 goals." in preview
    assert "Skips 1 review and 2 entries already present." in preview
    steps_until_done(client, decoded)

    assert export_data(alice) == one_shot(bob)


def test_past_the_time_budget_a_step_ends_after_one_entry(alice, settings, decoded):
    settings.ALMANAC_IMPORT_STEP_SECONDS = 0
    client = client_for(alice)
    upload(client, backup_zip(), name="backup.zip")

    answers = steps_until_done(client, decoded)

    assert all(count <= 1 for _response, count in answers)
    assert counts(alice)["photos"] == 7 and counts(alice)["timeline"] == 8


def test_the_import_data_command_still_imports_in_one_go(alice, tmp_path, decoded):
    path = tmp_path / "backup.zip"
    path.write_bytes(backup_zip())

    call_command("import_data", alice.username, str(path), stdout=io.StringIO())

    assert counts(alice)["photos"] == 7
    assert len(decoded) == 7  # all in the one call
