"""manage.py export_data, import_data and import_goodreads."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from library.models import Item
from portability.backup import json_bytes
from portability.interchange import export_data
from tests.portability.interchange_data import ENTRY, ITEM, counts, minimal, populate

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_export_data_writes_json_to_stdout(alice):
    populate(alice)

    text = run("export_data", "alice")

    assert json.loads(text) == export_data(alice)
    assert text.encode() == json_bytes(export_data(alice))
    assert "我的二〇二三" in text  # UTF-8, not \\u escapes


def test_export_data_writes_a_file(alice, tmp_path):
    populate(alice)
    target = tmp_path / "alice.json"

    out = run("export_data", "alice", "-o", str(target))

    assert json.loads(target.read_text("utf-8")) == export_data(alice)
    assert str(target) in out
    assert not list(tmp_path.glob(".export-*"))


def test_export_data_to_a_zip_writes_the_photos(alice, tmp_path):
    populate(alice)
    target = tmp_path / "alice.zip"

    run("export_data", "alice", "-o", str(target))

    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert json.loads(archive.read("data.json")) == export_data(alice)
    assert names == [
        "data.json",
        "almanac.json",
        "photos/1-1.jpg",
        "photos/1-2.webp",
        "photos/4-1.webp",
        "photos/year-2023-1.jpg",
    ]


def test_export_data_public_leaves_out_private_rows(alice):
    populate(alice)

    data = json.loads(run("export_data", "alice", "--public"))

    assert data == export_data(alice, public_only=True)
    assert not any(entry["private"] for entry in data["timeline"])


@pytest.mark.parametrize("command", ["export_data", "import_data", "import_goodreads"])
def test_an_unknown_user_is_a_clear_error(command, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{}")
    args = [command, "nobody"] + ([] if command == "export_data" else [str(path)])

    with pytest.raises(CommandError, match="There is no user named 'nobody'"):
        call_command(*args)


def test_import_data_prints_what_it_added_and_skipped(alice, bob, tmp_path):
    populate(alice)
    target = tmp_path / "alice.zip"
    run("export_data", "alice", "-o", str(target))

    first = run("import_data", "bob", str(target))
    second = run("import_data", "bob", str(target))

    assert first.splitlines()[0] == (
        "Imported into bob's account: Added 2 reviews, 4 entries, 4 photos, 7 career moves,"
        " 10 items, 7 goals and 3 counts."
    )
    assert "  timeline entries: added 4, skipped 0 already present" in first.splitlines()
    assert "  recorded counts: added 3, skipped 0 already present" in first.splitlines()
    assert "  library items: added 0, skipped 10 already present" in second.splitlines()
    assert counts(bob) == counts(alice)


def test_import_data_reads_json(bob, tmp_path):
    path = tmp_path / "data.json"
    path.write_bytes(json_bytes(minimal(library=[ITEM])))

    out = run("import_data", "bob", str(path))

    assert "Added 1 item." in out
    assert Item.objects.filter(owner=bob).count() == 1


def test_import_data_refuses_a_file_with_problems_and_writes_nothing(bob, tmp_path):
    document = minimal(
        timeline=[{**ENTRY, "started_on": "2020-13-40"}],
        library=[ITEM, ITEM, ITEM, {**ITEM, "status": "done"}],
        surprise=True,
    )
    path = tmp_path / "bad.json"
    path.write_bytes(json_bytes(document))

    with pytest.raises(CommandError) as raised:
        call_command("import_data", "bob", str(path))

    assert raised.value.returncode == 1
    lines = str(raised.value).splitlines()
    assert lines == [
        "Nothing was imported: the file has 3 problems:",
        'timeline[0].started_on: "2020-13-40" is not a date',
        "library[3].status: Select a valid choice. done is not one of the available choices.",
        "surprise: unknown key",
    ]
    assert all(n == 0 for n in counts(bob).values())


def test_import_data_refuses_a_json_naming_photos_unless_without_photos(alice, bob, tmp_path):
    populate(alice)
    path = tmp_path / "alice.json"
    run("export_data", "alice", "-o", str(path))

    with pytest.raises(CommandError) as raised:
        call_command("import_data", "bob", str(path))
    out = run("import_data", "bob", str(path), "--without-photos")

    assert (
        'timeline[0].photos[0].file: "photos/1-1.jpg" is not in the upload'
        in str(raised.value).splitlines()
    )
    assert "3 photos named in the file but not carried are left out." in out
    assert counts(bob)["timeline"] == 4 and counts(bob)["photos"] == 0


def test_import_data_dry_run_writes_nothing(bob, tmp_path):
    path = tmp_path / "data.json"
    path.write_bytes(json_bytes(minimal(library=[ITEM])))

    out = run("import_data", "bob", str(path), "--dry-run")

    assert "nothing written: Adds 1 item." in out
    assert Item.objects.filter(owner=bob).count() == 0


def test_import_data_of_a_missing_file(bob, tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_data", "bob", str(tmp_path / "missing.json"))


def test_import_data_of_a_file_that_is_not_json(bob, tmp_path):
    path = tmp_path / "photo.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")

    with pytest.raises(CommandError) as raised:
        call_command("import_data", "bob", str(path))

    assert "$: the file is not UTF-8 text" in str(raised.value).splitlines()


def test_import_goodreads_prints_its_report(bob, tmp_path):
    path = tmp_path / "goodreads.csv"
    path.write_text(
        "Book Id,Title,Author,My Rating,Exclusive Shelf,Date Read\n"
        "1,Dune,Frank Herbert,5,read,2021/03/07\n"
        "2,,Nobody,0,read,\n",
        encoding="utf-8",
    )

    out = run("import_goodreads", "bob", str(path))

    assert out.splitlines()[0] == "Imported 1 book, skipped 0, failed 1."
    assert "  line 3: it has no title" in out.splitlines()
    assert Item.objects.get(owner=bob).title == "Dune"


def test_import_goodreads_refuses_a_file_that_is_not_a_goodreads_export(bob, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")

    with pytest.raises(CommandError, match="not a Goodreads export"):
        call_command("import_goodreads", "bob", str(path))


@pytest.mark.slow  # a subprocess
def test_the_real_command_exits_1_and_prints_one_problem_a_line(tmp_path):
    """Run manage.py itself (its own SQLite file): the exit status and stderr a script sees."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env["ALMANAC_MEDIA_ROOT"] = str(tmp_path / "media")
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    create = "from django.contrib.auth.models import User; User.objects.create_user('carol')"
    subprocess.run([*manage, "shell", "-c", create], env=env, check=True)
    bad = tmp_path / "bad.json"
    bad.write_bytes(json_bytes(minimal(library=[{**ITEM, "rating": 6}], surprise=1)))

    result = subprocess.run(
        [*manage, "import_data", "carol", str(bad)], env=env, capture_output=True, text=True
    )

    assert result.returncode == 1
    rating = "library[0].rating: Select a valid choice. 6 is not one of the available choices."
    assert rating in result.stderr.splitlines()
    assert "surprise: unknown key" in result.stderr.splitlines()
    assert result.stdout == ""
    good = tmp_path / "good.json"
    good.write_bytes(json_bytes(minimal(library=[ITEM])))
    result = subprocess.run(
        [*manage, "import_data", "carol", str(good)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0 and "Added 1 item." in result.stdout
