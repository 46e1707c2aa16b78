"""The year page: sections, quarters, spans, scoping and a fixed query count."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from library.models import Item
from reviews.document import compose
from tests import factories as f
from timeline.models import CareerMove

pytestmark = pytest.mark.django_db


# Where the template's lists stand: the list element's id, up to the next prose.
LIST_IDS = {
    "career": "moves-list",
    "reading": "reading-counts",
    "goals": "goals-list",
    "next-goals": "next-goals-list",
}


def section(html: str, section_id: str) -> str:
    """The markup of one list embed of the template, up to the prose after it."""
    start = html.index(f'id="{LIST_IDS[section_id]}"')
    end = html.find('class="prose document-prose"', start)
    return html[start : end if end > 0 else len(html)]


def quarter(html: str, number: int) -> str:
    """A quarter's heading (prose of the template) and its timeline embed."""
    listing = html.index(f'id="q{number}-entries"')
    start = html.rfind("<h3", 0, listing)
    end = html.find('class="prose document-prose"', listing)
    return html[start : end if end > 0 else len(html)]


def test_it_shows_each_section_with_the_right_items(alice_client, alice, bob):
    f.review(
        alice, 2020, title="Twenty twenty",
        document=compose(2020, "en", {"intro": "Opening *words*", "closing": "Bye 再见"}),
    )  # fmt: skip
    f.entry(alice, "2020-02-10", title="Winter hike")
    f.entry(alice, "2020-05-03", title="Moved to Hangzhou 搬家")
    f.entry(alice, "2020-08-20", title="Summer release")
    f.entry(alice, "2020-12-24", title="Holiday")
    f.entry(alice, "2019-12-31", title="Last year entry")
    f.entry(alice, "2021-01-01", title="Next year entry")
    f.move(alice, "2020-04-01", organization="Qinglan Data", role="Staff engineer")
    f.move(alice, "2019-04-01", organization="Old Corp")
    f.item(alice, "2020-03-01", title="Designing Data-Intensive Applications", recommended=True)
    f.item(alice, "2020-09-01", title="Raft paper", kind=Item.Kind.PAPER)
    f.item(alice, "2019-09-01", title="Old paper", kind=Item.Kind.PAPER)
    f.item(alice, None, title="Unread book")
    f.goal(alice, 2020, title="Read 12 papers", status="missed", outcome="Only one.")
    f.goal(alice, 2021, title="Run a marathon")
    f.goal(alice, 2019, title="Old goal")
    f.entry(bob, "2020-05-05", title="Bob secret entry")
    f.item(bob, "2020-05-05", title="Bob secret book")

    html = alice_client.get("/2020/").content.decode()

    assert "Twenty twenty" in html
    assert "<em>words</em>" in html and "Bye 再见" in html
    assert "Winter hike" in quarter(html, 1)
    assert "Moved to Hangzhou 搬家" in quarter(html, 2)
    assert "Summer release" in quarter(html, 3)
    assert "Holiday" in quarter(html, 4)
    career = section(html, "career")
    assert "Qinglan Data" in career and "Staff engineer" in career
    reading = section(html, "reading")
    assert "Designing Data-Intensive Applications" in reading and "Raft paper" in reading
    assert "Recommended" in reading
    assert "Read 12 papers" in section(html, "goals") and "Only one." in section(html, "goals")
    assert "Run a marathon" in section(html, "next-goals")
    for absent in (
        "Last year entry",
        "Next year entry",
        "Old Corp",
        "Old paper",
        "Unread book",
        "Old goal",
        "Bob secret entry",
        "Bob secret book",
    ):
        assert absent not in html


def test_reading_counts_by_kind(alice_client, alice):
    for _ in range(3):
        f.item(alice, "2020-02-01", kind=Item.Kind.PAPER)
    f.item(alice, "2020-02-01", kind=Item.Kind.BOOK)
    f.item(alice, "2020-02-01", kind=Item.Kind.BOOK, status=Item.Status.ABANDONED)

    html = alice_client.get("/2020/").content.decode()

    counts = re.sub(r"\s+", " ", section(html, "reading"))
    assert "4 finished" in counts
    assert "Book <strong>1</strong>" in counts
    assert "Paper <strong>3</strong>" in counts


def test_a_span_from_july_to_november_sits_in_q3_with_both_months(alice_client, alice):
    f.entry(alice, "2020-07-01", ended_on="2020-11-01", title="Long project")

    html = alice_client.get("/2020/").content.decode()

    q3 = quarter(html, 3)
    assert "Q3 · Jul – Sep" in q3
    assert "Long project" in q3
    assert "Jul – Nov" in q3
    assert "Long project" not in quarter(html, 4)


def test_it_labels_a_single_day(alice_client, alice):
    f.entry(alice, "2020-11-02", title="Talk")

    assert "Nov 2" in quarter(alice_client.get("/2020/").content.decode(), 4)


def test_a_year_with_data_but_no_review_has_a_page(alice_client, alice):
    f.item(alice, "2018-03-01", title="Lonely book")

    response = alice_client.get("/2018/")

    assert response.status_code == 200
    assert "Lonely book" in response.content.decode()


def test_an_empty_year_invites_to_start(alice_client):
    html = alice_client.get("/2017/").content.decode()

    assert "Nothing recorded for 2017 yet." in html
    assert 'action="/start/"' in html


@pytest.mark.parametrize("path", ["/0/", "/99999/", "/1899/", "/2201/", "/abc/"])
def test_impossible_years_are_404(alice_client, path):
    assert alice_client.get(path).status_code == 404


def test_it_links_to_every_year_with_data(alice_client, alice):
    f.review(alice, 2018)
    f.entry(alice, "2019-01-01")
    f.item(alice, "2021-01-01")
    f.goal(alice, 2022)
    f.move(alice, "2016-06-01")

    html = alice_client.get("/2019/").content.decode()

    for year in (2016, 2018, 2021, 2022):
        assert f'href="/{year}/"' in html
    # Goals set for a year make no page to read yet: they show on the year before.
    assert _year_nav(html) == ["2016", "2018", "2019", "2021"]
    assert 'href="/2018/" rel="prev"' in html
    assert 'href="/2021/" rel="next"' in html


def _year_nav(html: str) -> list[str]:
    nav = re.search(r'<nav class="year-nav".*?</nav>', html, re.DOTALL)
    assert nav, "no year navigation"
    return re.findall(r"<li>.*?>(\d{4})<", nav.group(0))


def test_the_year_navigation_names_each_year_once_in_order(alice_client, alice):
    for year in (2023, 2024, 2025, 2026):
        f.entry(alice, f"{year}-03-01")

    html = alice_client.get("/2025/").content.decode()

    assert _year_nav(html) == ["2023", "2024", "2025", "2026"]
    nav = re.search(r'<nav class="year-nav".*?</nav>', html, re.DOTALL).group(0)
    assert nav.count(">2024<") == 1 and nav.count(">2026<") == 1
    assert "←" not in nav and "→" not in nav


def test_a_year_with_only_goals_is_not_in_the_navigation_but_shows_itself(alice_client, alice):
    f.entry(alice, "2025-03-01")
    f.goal(alice, 2026)

    assert _year_nav(alice_client.get("/2025/").content.decode()) == ["2025"]
    html = alice_client.get("/2026/").content.decode()
    assert _year_nav(html) == ["2025", "2026"]
    assert '<span aria-current="page">2026</span>' in html


def test_anonymous_is_sent_to_login(client, alice):
    f.review(alice, 2020)

    for path in ("/", "/2020/", "/start/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_bob_sees_none_of_alices_data(bob_client, alice):
    f.review(alice, 2020, title="Alice private review")
    f.entry(alice, "2020-03-03", title="Alice entry")

    response = bob_client.get("/2020/")
    html = response.content.decode()

    assert "Alice private review" not in html and "Alice entry" not in html
    # Bob has no data, so his home is the first-run page, not alice's year.
    assert bob_client.get("/").status_code == 200


@pytest.mark.slow  # a query budget at two account sizes
def test_it_runs_a_fixed_number_of_queries(alice_client, alice, django_assert_max_num_queries):
    def fill(years, per_kind):
        for year in years:
            f.review(alice, year, document=compose(year, "en", {"intro": "Hi"}))
            for n in range(per_kind):
                day = f"{year}-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}"
                f.entry(alice, day, body="**x**")
                f.move(alice, day, kind=CareerMove.Kind.PROMOTED)
                f.item(alice, day, kind=Item.Kind.values[n % len(Item.Kind.values)])
                f.goal(alice, year, status="achieved")

    fill([2020], 5)
    with django_assert_max_num_queries(12) as small:
        assert alice_client.get("/2020/").status_code == 200
    fill(range(2010, 2020), 200)
    with django_assert_max_num_queries(12) as large:
        assert alice_client.get("/2015/").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_home_goes_to_the_latest_year_with_data(alice_client, alice):
    f.review(alice, 2019)
    f.item(alice, "2021-04-01")

    response = alice_client.get("/")

    assert response.status_code == 302 and response["Location"] == "/2021/"


def test_home_offers_to_start_when_there_is_nothing(alice_client):
    html = alice_client.get("/").content.decode()

    assert "Start your" in html and 'action="/start/"' in html


def test_start_creates_the_review_once(alice_client, alice):
    first = alice_client.post("/start/", {"year": "2024"})
    again = alice_client.post("/start/", {"year": "2024"})

    assert first.status_code == 302 and first["Location"] == "/2024/?new=1"
    assert again.status_code == 302 and again["Location"] == "/2024/"

    assert alice.review_set.filter(year=2024).count() == 1


@pytest.mark.parametrize("value", ["", "abc", "0", "123456"])
def test_start_refuses_a_bad_year(alice_client, alice, value):
    assert alice_client.post("/start/", {"year": value}).status_code == 404
    assert not alice.review_set.exists()


def test_years_page_lists_years_and_starts_any_year(alice_client, alice):
    f.review(alice, 2019)
    f.item(alice, "2021-02-02")

    html = alice_client.get("/years/").content.decode()

    assert 'href="/2019/"' in html and 'href="/2021/"' in html
    assert 'action="/start/"' in html
    response = alice_client.post("/start/", {"year": "2005"})
    assert response["Location"] == "/2005/?new=1"
    assert "Title, language and license" in alice_client.get("/2005/").content.decode()


def test_starting_a_year_welcomes_with_last_years_goals(alice_client, alice):
    f.goal(alice, 2024, title="Set last year for this year")
    f.goal(alice, 2023, title="Still open from 2023", status="in_progress")
    f.goal(alice, 2023, title="Done in 2023", status="achieved")

    response = alice_client.post("/start/", {"year": "2024"}, follow=True)

    html = response.content.decode()
    assert "Welcome to 2024" in html
    assert "You set 1 goal for 2024 last year" in html
    welcome = html[html.index("Welcome to 2024") : html.index('class="document"')]
    assert "Still open from 2023" in welcome and "Carry over to 2024" in welcome
    assert "Done in 2023" not in welcome


def test_a_started_year_holds_the_template_with_the_guided_questions(alice_client, alice):
    alice_client.post("/start/", {"year": "2024"})

    review = alice.review_set.get(year=2024)
    assert review.document == compose(2024, review.language)
    html = alice_client.get("/2024/").content.decode()
    assert "One word for next year" in html  # a question as a heading, to answer or delete
    assert html.index("One word for next year") < html.index('id="q1-entries"')


def test_a_long_quarter_and_a_long_kind_show_their_first_rows_then_all(alice_client, alice):
    from reviews.services import ENTRIES_SHOWN, ITEMS_SHOWN

    for n in range(ENTRIES_SHOWN + 3):
        f.entry(alice, f"2020-02-{n % 28 + 1:02d}", title=f"Entry number {n:03d}")
    for n in range(ITEMS_SHOWN + 2):
        f.item(alice, "2020-05-05", title=f"Book number {n:03d}")

    html = alice_client.get("/2020/").content.decode()
    assert html.count("Entry number") == ENTRIES_SHOWN * 3  # title and two hidden labels
    assert f"Show all {ENTRIES_SHOWN + 3} entries" in html and 'id="q1-more"' in html
    assert f"Show all {ITEMS_SHOWN + 2}" in html

    rows = alice_client.get("/2020/part/q1/", HTTP_HX_REQUEST="true").content.decode()
    assert rows.count('class="entry"') == ENTRIES_SHOWN + 3
    assert 'id="q1-more" hx-swap-oob="delete"' in rows
    items = alice_client.get("/2020/part/kind-book/", HTTP_HX_REQUEST="true").content.decode()
    assert items.count("Book number") == (ITEMS_SHOWN + 2) * 3
    assert "Entry number" in alice_client.get("/2020/?all=1").content.decode()
    assert alice_client.get("/2020/?all=1").content.decode().count('class="entry"') == 28
    assert alice_client.get("/2020/part/q9/").status_code == 404
