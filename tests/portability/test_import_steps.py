"""/data/ imports a large backup in bounded steps, each answering with its progress.

The step budget is lowered (settings) so that a handful of small photos
needs several steps; each step's photo work is counted by wrapping the
photo sanitizer the importer calls.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from portability import interchange_import, media
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
    zip_members,
)
from tests.portability.test_data_views import HTMX, client_for, confirm, pending_files, upload

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


def progress(html: str) -> tuple[int, int]:
    """(0, photos checked) while checking, then (1, photos and rows imported)."""
    checked = re.search(r"Checked (\d+) of 7 photos…", html)
    if checked:
        return 0, int(checked.group(1))
    imported = re.search(r"Imported (\d+) of 7 photos and (\d+) of 14 rows…", html)
    assert imported, html
    return 1, int(imported.group(1)) + int(imported.group(2))


def steps_until_done(client, decoded, htmx: bool = False) -> list:
    """Confirm, then follow each step's next step; each answer with the photos it decoded."""
    answers = []
    for _ in range(30):
        decoded.clear()
        response = confirm(client, htmx=htmx)
        answers.append((response, len(decoded)))
        if PENDING not in client.session:
            return answers
    raise AssertionError("the import never finished")


def steps_until_writing(client) -> str:
    """Confirm until a step has written rows; its answer."""
    for _ in range(30):
        html = confirm(client).content.decode()
        if progress(html)[0] == 1:
            return html
    raise AssertionError("the import never wrote")


def keyless(value):
    """An export without its rows' keys: the file carries none, so each import makes its own."""
    if isinstance(value, dict):
        return {k: keyless(v) for k, v in value.items() if k != "key"}
    if isinstance(value, list):
        return [keyless(v) for v in value]
    return value


def one_shot(user) -> dict:
    report = import_backup(user, io.BytesIO(backup_zip()))
    assert report.ok, report.problems
    return keyless(export_data(user))


def test_an_import_with_more_photos_than_a_step_takes_bounded_steps(
    alice, bob, small_steps, decoded
):
    client = client_for(alice)
    preview = upload(client, backup_zip(), name="backup.zip").content.decode()
    assert "Adds 1 review, 8 entries, 7 photos, 1 career move, 2 items and 2 goals." in preview
    assert decoded == []  # a preview reads the photos' headers only

    answers = steps_until_done(client, decoded)

    *steps, (last, _) = answers
    assert len(steps) >= 6  # 7 photos checked, then written, at most 2 a request
    assert all(count <= 2 for _response, count in answers)  # never more than a step's budget
    assert sum(count for _response, count in answers) == 14  # each photo checked, then stored
    shown = [progress(response.content.decode()) for response, _count in steps]
    assert shown == sorted(shown) and len(set(shown)) == len(shown)  # it only moves forward
    assert shown[0] == (0, 2) and shown[-1][0] == 1
    assert all(response.status_code == 200 for response, _count in steps)
    assert last.status_code == 302 and last["Location"] == "/data/"
    page = client.get("/data/").content.decode()
    assert "Added 1 review, 8 entries, 7 photos, 1 career move, 2 items and 2 goals." in page
    assert pending_files() == []
    assert keyless(export_data(alice)) == one_shot(bob)


def test_a_bad_photo_is_found_before_anything_is_written(alice, small_steps, decoded):
    members = zip_members(backup_zip())
    members["photos/5.jpg"] = members["photos/5.jpg"][:300]  # its header, then nothing
    client = client_for(alice)
    preview = upload(client, make_zip(members), name="backup.zip")
    assert preview.status_code == 200  # the header is fine

    answers = steps_until_done(client, decoded)

    response = answers[-1][0]
    html = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was imported." in html and "timeline[5].photos[0].file" in html
    assert set(counts(alice).values()) == {0}
    assert pending_files() == []


def test_a_step_without_htmx_is_a_page_with_a_continue_button(alice, small_steps):
    client = client_for(alice)
    upload(client, backup_zip(), name="backup.zip")

    html = confirm(client).content.decode()

    assert "<html" in html
    assert "Checked 2 of 7 photos…" in html
    assert '<progress max="28" value="2">' in html  # 7 checks, 14 rows, 7 photos
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
    assert "hx-trigger" not in final
    assert counts(alice)["photos"] == 7


def test_an_interrupted_import_continues_from_the_page_without_duplicates(
    alice, bob, small_steps, decoded
):
    client = client_for(alice)
    upload(client, backup_zip(), name="backup.zip")
    steps_until_writing(client)  # then the tab is closed

    page = client.get("/data/").content.decode()
    assert "Imported 1 of 7 photos and 2 of 14 rows…" in page
    assert "Continue" in page and 'hx-trigger="submit"' in page  # not on its own
    steps_until_done(client, decoded)

    assert keyless(export_data(alice)) == one_shot(bob)


def test_an_import_started_again_from_the_same_file_adds_only_the_rest(
    alice, bob, small_steps, decoded
):
    client = client_for(alice)
    upload(client, backup_zip(), name="backup.zip")
    steps_until_writing(client)
    assert counts(alice)["timeline"] == counts(alice)["photos"] == 1

    preview = upload(client, backup_zip(), name="backup.zip").content.decode()
    assert "Adds 7 entries, 6 photos, 1 career move, 2 items and 2 goals." in preview
    assert "Skips 1 review and 1 entry already present." in preview
    steps_until_done(client, decoded)

    assert keyless(export_data(alice)) == one_shot(bob)


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


def test_a_problem_after_rows_were_written_says_what_stays(alice, small_steps, decoded):
    client = client_for(alice)
    upload(client, backup_zip(), name="backup.zip")
    steps_until_writing(client)
    # The kept upload changes under the import (it cannot from the browser): a photo already
    # checked is now broken, and the step that would store it finds out.
    members = zip_members(backup_zip())
    members["photos/6.jpg"] = b"GIF89a not really"
    kept = Path(settings.MEDIA_ROOT) / "imports" / client.session[PENDING]["name"]
    kept.write_bytes(make_zip(members))

    answers = steps_until_done(client, decoded)

    html = answers[-1][0].content.decode()
    assert "The import stopped; what it had imported stays" in html
    assert "timeline[6].photos[0].file" in html
    assert 0 < counts(alice)["photos"] < 7
    assert media.orphans(grace=datetime.timedelta(0)) == []  # no photo file left behind


def test_an_import_under_way_can_be_stopped(alice, small_steps):
    client = client_for(alice)
    upload(client, backup_zip(), name="backup.zip")
    steps_until_writing(client)

    response = client.post("/data/import/cancel/", **HTMX)

    assert "The import was stopped; what it added stays." in response.content.decode()
    assert PENDING not in client.session and pending_files() == []
    assert counts(alice)["timeline"] == 1
    assert "Check the file" in client.get("/data/").content.decode()  # ready for another
