"""export.zip: the year's post as a page bundle (index.md and its photos), and a real Hugo."""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.sharing.test_export_md import PRIVATE_CANARIES, year_2020  # noqa: F401 - fixture
from timeline.models import Photo

pytestmark = pytest.mark.django_db

HUGO = Path("/usr/bin/hugo")


def bundle(client, year: int = 2020, query: str = "") -> zipfile.ZipFile:
    response = client.get(reverse("sharing:export-zip", args=[year]) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def linked(text: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)


def test_it_holds_the_post_and_the_photos_it_links(alice_client, year_2020):  # noqa: F811
    archive = bundle(alice_client)
    text = archive.read("index.md").decode()

    photos = linked(text)
    assert photos and all(path.startswith("photos/") for path in photos)
    assert sorted(archive.namelist()) == sorted({"index.md", *photos})
    lake = Photo.objects.get(key=year_2020.keys["lake"])
    with lake.image.open("rb") as handle:
        assert archive.read(f"photos/{lake.key}.jpg") == handle.read()


def test_the_public_bundle_has_nothing_private(alice_client, year_2020):  # noqa: F811
    archive = bundle(alice_client)
    text = archive.read("index.md").decode()

    assert [canary for canary in PRIVATE_CANARIES if canary in text] == []
    private_photo = Photo.objects.get(caption="private-photo-caption")
    assert f"photos/{private_photo.key}.jpg" not in archive.namelist()
    assert len(archive.namelist()) == 3  # the post, the hike's photo, the lake


def test_the_owners_bundle_has_everything_marked(alice_client, year_2020):  # noqa: F811
    archive = bundle(alice_client, query="?public=0")
    text = archive.read("index.md").decode()

    assert "CANARY-ENTRY-TITLE *(private)*" in text
    private_photo = Photo.objects.get(caption="private-photo-caption")
    assert f"photos/{private_photo.key}.jpg" in archive.namelist()
    assert f"](photos/{private_photo.key}.jpg)" in text  # relative, like every photo


def test_the_bundle_is_the_owners_alone(bob_client, year_2020):  # noqa: F811
    url = reverse("sharing:export-zip", args=[2020])

    assert bob_client.get(url).status_code == 404
    response = Client().get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


HUGO_CONFIG = """baseURL = "http://example.org/"
title = "Blog"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""
HUGO_SINGLE = "<html><body><article>{{ .Content }}</article></body></html>\n"
HUGO_LIST = "<html><body>{{ range .Pages }}{{ .Title }}{{ end }}</body></html>\n"


@pytest.mark.skipif(
    not HUGO.exists() and os.environ.get("REQUIRE_HUGO") != "1",
    reason=f"{HUGO} is not installed (apt-get install -y hugo)",
)
def test_hugo_builds_the_bundle(alice_client, year_2020, tmp_path):  # noqa: F811
    site = tmp_path / "site"
    post = site / "content" / "posts" / "2020"
    post.mkdir(parents=True)
    bundle(alice_client).extractall(post)
    (site / "config.toml").write_text(HUGO_CONFIG)
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(HUGO_SINGLE)
    (layouts / "list.html").write_text(HUGO_LIST)

    subprocess.run(
        [str(HUGO), "--source", str(site), "--destination", str(site / "public"), "--quiet"],
        check=True,
        capture_output=True,
        timeout=120,
    )

    page = site / "public" / "posts" / "2020"
    html = (page / "index.html").read_text()
    order = [
        "Opening <em>words</em>.",
        "第二段。",
        "A busy year.",
        "Hike *up* 徒步",
        "The picture below:",
        'alt="The lake 湖"',
        "<em>The lake 湖</em>",
        ">DDIA</a>",
        "Papers: 1, last year 2",
        "Run a marathon",
        "Closing words 再见",
        "License: CC BY-NC-SA 4.0",
    ]
    positions = [html.find(part) for part in order]
    assert -1 not in positions, [p for p, at in zip(order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)
    sources = set(re.findall(r'<img src="([^"]+)"', html))
    assert len(sources) == 2  # the hike's photo (shown twice) and the lake
    for source in sources:
        # Relative to the post's own address, as a browser resolves it.
        assert (page / source).is_file(), source
    assert [canary for canary in PRIVATE_CANARIES if canary in html] == []
