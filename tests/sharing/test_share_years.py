"""A share link opens exactly the years it was made for: the access matrix, the links panel
that chooses them, and revoking or regenerating, which close everything a link opened."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reviews.models import Review
from sharing import services
from sharing.models import ShareLink, hash_token
from tests import factories as f
from tests.sharing.test_share import body, make_photo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # a matrix of links, years and photos

YEARS = (2019, 2020, 2021)
# Each link by what it opens; 2021 has data and a link of its own but is in none of these.
LINKS = {"2019": (2019, ()), "2020": (2020, ()), "2019+2020": (2019, (2020,))}


@pytest.fixture
def account(alice):
    """Alice's three years, each with a review, a public entry and a photo on it."""
    photos = {}
    for year in YEARS:
        f.review(alice, year, title=f"Review of {year}")
        entry = f.entry(alice, f"{year}-05-01", title=f"Entry of {year}")
        photos[year] = make_photo(entry, caption=f"Photo of {year}")
    return photos


@pytest.fixture
def links(alice, account):
    """Tokens of the three links of LINKS, and a live link to 2021 that none of them names."""
    reviews = {year: Review.objects.get(owner=alice, year=year) for year in YEARS}
    services.create_link(reviews[2021])
    return {
        name: services.create_link(reviews[home], also=also)[1]
        for name, (home, also) in LINKS.items()
    }


def opened(token: str, photos) -> dict[str, set[int]]:
    """What ``token`` opens: the years whose page and whose photo (both sizes) answer 200."""
    client = Client()
    pages = {y for y in YEARS if client.get(f"/s/{token}/{y}/").status_code == 200}
    shown = set()
    for year, photo in photos.items():
        answers = {
            client.get(reverse("sharing:photo", args=[token, photo.pk, size])).status_code
            for size in ("full", "thumb")
        }
        assert len(answers) == 1, (year, answers)  # both sizes agree
        if answers == {200}:
            shown.add(year)
    return {"pages": pages, "photos": shown}


def expected(name: str) -> set[int]:
    home, also = LINKS[name]
    return {home, *also}


def test_every_link_opens_exactly_its_own_years_and_photos(client, account, links):
    for name, token in links.items():
        years = expected(name)
        assert opened(token, account) == {"pages": years, "photos": years}, name
        home = client.get(f"/s/{token}/")
        assert home.status_code == 200
        assert f"Review of {LINKS[name][0]}" in home.content.decode()


def test_a_share_page_links_only_to_the_years_its_link_opens(client, links):
    for name, token in links.items():
        for year in expected(name):
            page = client.get(f"/s/{token}/{year}/").content.decode()
            hrefs = re.findall(rf'href="/s/{re.escape(token)}/(\d{{4}})/"', page)
            linked = {int(y) for y in hrefs}
            assert linked == (expected(name) - {year} if len(expected(name)) > 1 else set())
            assert f"/s/{token}/2021/" not in page, name


def test_a_year_not_opened_gives_the_one_404(client, links):
    unknown = body(client.get("/s/" + "x" * 43 + "/"))
    for name, token in links.items():
        for year in set(YEARS) - expected(name):
            response = client.get(f"/s/{token}/{year}/")
            assert response.status_code == 404
            assert body(response) == unknown
            assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("action", ["revoke", "regenerate"])
@pytest.mark.parametrize("name", list(LINKS))
def test_revoking_or_regenerating_a_link_closes_everything_it_opened(
    alice_client, account, links, name, action
):
    token = links[name]
    link = ShareLink.objects.get(token_hash=hash_token(token))
    home = LINKS[name][0]

    response = alice_client.post(
        reverse("sharing:links", args=[home]), {"action": action, "link": link.pk}
    )

    assert response.status_code in (200, 302)
    assert opened(token, account) == {"pages": set(), "photos": set()}
    assert Client().get(f"/s/{token}/").status_code == 404
    for other, other_token in links.items():
        if other != name:  # the other links still open exactly their years
            years = expected(other)
            assert opened(other_token, account) == {"pages": years, "photos": years}
    if action == "regenerate":
        new = re.search(r"/s/([A-Za-z0-9_-]{43})/", response.content.decode()).group(1)
        years = expected(name)
        assert opened(new, account) == {"pages": years, "photos": years}


def test_revoking_every_2020_link_leaves_2020_closed_to_a_2019_link(client, alice, links, account):
    """Another year's link coming or going never changes what a link opens."""
    call_command("share", "alice", "2020", "--revoke", stdout=io.StringIO())
    services.create_link(Review.objects.get(owner=alice, year=2020))

    assert opened(links["2019"], account) == {"pages": {2019}, "photos": {2019}}
    assert opened(links["2020"], account) == {"pages": set(), "photos": set()}
    assert opened(links["2019+2020"], account) == {"pages": set(), "photos": set()}


# The owner's links panel


def links_url(year: int) -> str:
    return reverse("sharing:links", args=[year])


def new_link(response) -> ShareLink:
    token = re.search(r"/s/([A-Za-z0-9_-]{43})/", response.content.decode()).group(1)
    return ShareLink.objects.get(token_hash=hash_token(token))


def test_the_panel_offers_the_owners_other_years_unticked(alice_client, account):
    html = alice_client.get(links_url(2020)).content.decode()

    boxes = re.findall(r'<input type="checkbox" name="also" value="(\d+)"[^>]*>', html)
    assert sorted(int(y) for y in boxes) == [2019, 2021]
    assert not re.search(r'name="also"[^>]*checked', html)
    assert "<legend>" in html and 'for="share-year-this"' in html


def test_a_new_link_opens_this_year_only_by_default(alice_client, account):
    response = alice_client.post(links_url(2020), {"action": "create"})

    link = new_link(response)
    assert link.years == [2020]
    assert "It opens: 2020" in response.content.decode()


def test_a_new_link_opens_the_years_ticked_too(alice_client, account):
    response = alice_client.post(links_url(2020), {"action": "create", "also": ["2019"]})

    link = new_link(response)
    assert link.years == [2019, 2020] and link.review.year == 2020
    assert "It opens: 2019, 2020" in response.content.decode()


@pytest.mark.parametrize("also", ["2018", "2020", "1800", "abc"])
def test_a_year_without_data_cannot_be_ticked(alice_client, bob, account, also):
    f.entry(bob, "2018-01-01", title="Bob's year")

    response = alice_client.post(links_url(2020), {"action": "create", "also": [also]})

    assert response.status_code == 422
    assert not ShareLink.objects.exists()


def test_each_year_panel_lists_the_links_that_open_it(alice_client, links):
    link = ShareLink.objects.get(token_hash=hash_token(links["2019+2020"]))
    only_2019 = ShareLink.objects.get(token_hash=hash_token(links["2019"]))

    html_2020 = alice_client.get(links_url(2020)).content.decode()
    html_2021 = alice_client.get(links_url(2021)).content.decode()

    assert f'id="share-link-{link.pk}"' in html_2020 and "2019, 2020" in html_2020
    assert f'id="share-link-{only_2019.pk}"' not in html_2020
    assert f'id="share-link-{link.pk}"' not in html_2021
    # A link is revoked from the panel of any year it opens, and from no other.
    data = {"action": "revoke", "link": link.pk}
    assert alice_client.post(links_url(2021), data).status_code == 404
    assert alice_client.post(links_url(2020), data).status_code == 302
    assert Client().get(f"/s/{links['2019+2020']}/").status_code == 404


def test_the_share_command_opens_the_years_given_with_also(alice, account):
    out = io.StringIO()

    call_command("share", "alice", "2020", "--also", "2019", stdout=out)

    path = out.getvalue().strip().splitlines()[-1]
    assert ShareLink.objects.get().years == [2019, 2020]
    assert opened(path[3:-1], account) == {"pages": {2019, 2020}, "photos": {2019, 2020}}


def test_share_revoke_closes_every_link_that_opens_the_year(alice, links, account):
    out = io.StringIO()

    call_command("share", "alice", "2019", "--revoke", stdout=out)

    assert out.getvalue().strip() == "Revoked 2 live links of alice's 2019 review."
    assert opened(links["2020"], account) == {"pages": {2020}, "photos": {2020}}
    assert opened(links["2019+2020"], account)["pages"] == set()


def test_the_years_embed_names_only_the_years_the_link_opens(alice, links):
    for year in YEARS:
        review = Review.objects.get(owner=alice, year=year)
        review.document = "Looking back.\n\n[[years]]"
        review.save()
    client = Client()

    both = client.get(f"/s/{links['2019+2020']}/2019/").content.decode()
    alone = client.get(f"/s/{links['2019']}/").content.decode()

    nav = both[both.index('class="embed embed-years"') :][:600]
    assert f'href="/s/{links["2019+2020"]}/2020/"' in nav and "2021" not in nav
    assert 'class="embed embed-years"' not in alone  # no other year it opens: no list
    main = alone.split("<main")[1].split("</main>")[0]
    assert "2020" not in main and "2021" not in main
