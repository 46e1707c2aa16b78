"""Hostile input in every rendered field: nothing live reaches the owner or share page.

The corpus is tests/data/hostile_inputs.json. Each input goes into every
field of an entry, photo, career move, item and goal (batched a few dozen
to a year), and the reviews take inputs in all their fields; each year page
is then parsed and compared with the same page holding benign text.
"""

from __future__ import annotations

import pytest

from core import markdown
from library.models import Item
from reviews.models import Goal, Review
from sharing.models import ShareLink
from tests import hostile_pages as hp
from timeline.models import CareerMove, Entry

pytestmark = pytest.mark.slow

MARKDOWN_MODELS = (Review, Entry, CareerMove, Item, Goal)


def test_the_corpus_is_large_and_varied():
    assert len(hp.INPUTS) >= 300
    assert len(set(hp.INPUTS)) == len(hp.INPUTS)
    for group in ("tags", "attributes", "htmx", "dom_clobbering", "markdown_links",
                  "markdown_images", "markdown_references", "autolinks", "svg_mathml",
                  "polyglots", "cjk", "control_and_bidi", "long"):  # fmt: skip
        assert hp.CORPUS[group], group
    joined = "".join(hp.INPUTS)
    for needle in ("\x00", "\u202e", "data-hx-", "<math", "<svg", "中文", "&#106;"):
        assert needle in joined
    assert max(map(len, hp.INPUTS)) >= 50_000


@pytest.mark.parametrize("text", hp.INPUTS, ids=range(len(hp.INPUTS)))
def test_rendering_keeps_nothing_live_and_sanitizing_again_changes_nothing(text):
    html = markdown.render(text)

    assert hp.fragment_problems(html) == []
    assert markdown.sanitize(html) == html


@pytest.mark.django_db
@pytest.mark.parametrize("model", MARKDOWN_MODELS, ids=lambda m: m.__name__)
def test_every_markdown_field_stores_safe_html(model, alice):
    """Every Markdown field of every model, through the model's own save path."""
    fields = model.markdown_fields
    assert fields
    obj = model()
    for text in hp.INPUTS:
        for name in fields:
            setattr(obj, name, text)
        obj.render_markdown()
        for name in fields:
            stored = getattr(obj, f"{name}_html")
            assert hp.fragment_problems(stored) == [], (name, text[:80])
            assert markdown.sanitize(stored) == stored


@pytest.mark.django_db
def test_the_owner_and_share_pages_show_the_corpus_harmlessly(client, alice, bob):
    hostile = hp.make_years(alice)
    benign = hp.make_years(bob, lambda _: hp.BENIGN)
    assert hostile.years == benign.years

    problems = []
    for year in hostile.years:
        client.force_login(alice)
        page = client.get(f"/{year}/")
        client.force_login(bob)
        baseline = client.get(f"/{year}/")
        assert page.status_code == baseline.status_code == 200
        problems += [(year, "owner", p) for p in hp.compare_pages(page.text, baseline.text)]

        client.logout()
        _, token = ShareLink.create_for(Review.objects.get(owner=alice, year=year))
        _, benign_token = ShareLink.create_for(Review.objects.get(owner=bob, year=year))
        shared = client.get(f"/s/{token}/")
        shared_baseline = client.get(f"/s/{benign_token}/")
        assert shared.status_code == shared_baseline.status_code == 200
        problems += [
            (year, "share", p) for p in hp.compare_pages(shared.text, shared_baseline.text)
        ]
        assert hp.scan(page.text).prose_blocks >= hp.PER_YEAR * 4

    assert problems == []
    # Every input reached every row field: the rows hold them as typed (bar NUL on PostgreSQL).
    assert set(Entry.objects.filter(owner=alice).values_list("body", flat=True)) == {
        hp.db_text(t) for t in hp.INPUTS
    }


def test_the_checker_sees_what_escaping_would_let_through():
    """The page check itself: an unescaped title or a live link would be reported."""
    page = "<div class='prose' hx-disable><p><a href='javascript:x'>x</a></p></div>"
    assert hp.scan(page).problems == ["href='javascript:x' on <a>"]
    assert hp.scan("<h4><img src=x onerror=alert(1)></h4>").problems
    assert hp.scan("<div class='prose' hx-disable><p hx-get='/'>x</p></div>").problems
    assert hp.scan("<div class='prose'><p>x</p></div>").problems
    assert hp.compare_pages("<h4><script>x</script></h4>", "<h4>x</h4>")
    assert hp.compare_pages("<h4 hx-get='/'>x</h4>", "<h4>x</h4>")
    assert hp.safe_url("/2020/") and hp.safe_url("#x") and hp.safe_url("https://e.com")
    assert not hp.safe_url("java\tscript:alert(1)")
    assert not hp.safe_url("\x01javascript:alert(1)")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        'https://example.com/" onmouseover="alert(1)',
    ],
)
def test_an_item_link_must_be_http_or_https(alice_client, alice, url):
    response = alice_client.post(
        "/edit/item/new/?year=2020",
        {
            "year": "2020",
            "item-kind": "book",
            "item-title": "A book",
            "item-url": url,
            "item-status": "finished",
            "item-finished_on": "2020-05-01",
        },  # fmt: skip
    )

    assert response.status_code == 422  # refused, the form comes back
    assert not Item.objects.exists()
    assert 'href="javascript' not in response.text.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["ftp://example.com/book.pdf", "ftps://example.com/book.pdf"])
def test_an_item_link_is_never_ftp(alice_client, alice, url):
    alice_client.post(
        "/edit/item/new/?year=2020",
        {
            "year": "2020",
            "item-kind": "book",
            "item-title": "A book",
            "item-url": url,
            "item-status": "finished",
            "item-finished_on": "2020-05-01",
        },  # fmt: skip
    )

    assert not Item.objects.exists()


def test_nested_lists_too_deep_to_parse_are_shown_as_text():
    html = markdown.render("- " * 3000 + "x <script>")

    assert html.startswith("<p>- - - ")
    assert "&lt;script&gt;" in html


def test_very_many_brackets_are_shown_as_typed():
    text = "[x](https://example.com) " + "[" * 5000

    html = markdown.render(text)

    assert "<a " not in html
    assert "[x](https://example.com)" in html


def test_brackets_that_would_be_slow_to_match_are_shown_as_typed():
    text = "[" * 300 + "a" * 20_000 + " [ok](https://example.com)"

    assert markdown._bracket_cost(text) > markdown.MAX_BRACKET_COST
    assert "<a " not in markdown.render(text)


def test_ordinary_links_still_work():
    html = markdown.render("[a](https://example.com/a) and [b][1]\n\n[1]: https://example.com/b")

    assert html.count('<a href="https://example.com/') == 2


def test_sanitizing_is_idempotent_for_a_link_whose_href_was_dropped():
    once = markdown.sanitize('<a href="/edit/" title="t">x</a>')

    assert markdown.sanitize(once) == once
