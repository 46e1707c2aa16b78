"""Goodreads import: both export layouts, formula ISBNs, HTML reviews, shelves, bad rows."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client

from library.models import Item
from portability import goodreads
from portability.interchange import export_data, export_extensions
from sharing.models import ShareLink
from tests import factories as f
from tests.portability.interchange_data import zip_bytes, zip_members

pytestmark = pytest.mark.django_db

LONG = [
    "Book Id", "Title", "Author", "Author l-f", "Additional Authors", "ISBN", "ISBN13",
    "My Rating", "Average Rating", "Publisher", "Binding", "Number of Pages", "Year Published",
    "Original Publication Year", "Date Read", "Date Added", "Bookshelves",
    "Bookshelves with positions", "Exclusive Shelf", "My Review", "Spoiler", "Private Notes",
    "Read Count", "Owned Copies",
]  # fmt: skip
SHORT = [
    "Book Id", "Title", "Author", "Additional Authors", "ISBN", "ISBN13", "My Rating",
    "Average Rating", "Publisher", "Binding", "Number of Pages", "Year Published",
    "Original Publication Year", "Date Read", "Date Added", "Bookshelves", "Exclusive Shelf",
    "My Review", "Spoiler", "Private Notes", "Read Count", "Owned Copies",
]  # fmt: skip
REVIEW_HTML = (
    "A <b>classic</b> &amp; still fresh.<br/><br/>Read it with <i>patience</i>:"
    ' <a href="https://example.com/dune">notes</a>.<br/><span>Ten out of ten</span>'
)
BOOKS = [
    {
        "Book Id": "234225",
        "Title": "Dune (Dune, #1)",
        "Author": "Frank Herbert",
        "Additional Authors": "Brian Herbert, Kevin J. Anderson",
        "ISBN": '="0441172717"',
        "ISBN13": '="9780441172719"',
        "My Rating": "5",
        "Date Read": "2021/03/07",
        "Date Added": "2020/12/01",
        "Exclusive Shelf": "read",
        "Bookshelves": "favorites",
        "Bookshelves with positions": "favorites (#3)",
        "My Review": REVIEW_HTML,
        "Private Notes": "Borrowed from 小王, give it back",
    },
    {
        "Book Id": "20518872",
        "Title": "三体",
        "Author": "刘慈欣",
        "ISBN": '=""',
        "ISBN13": '=""',
        "My Rating": "0",
        "Exclusive Shelf": "currently-reading",
    },
    {"Book Id": "11", "Title": "Want this", "My Rating": "0", "Exclusive Shelf": "to-read"},
    {
        "Book Id": "12",
        "Title": "Put down",
        "My Rating": "2",
        "Date Read": "2020/01/02",
        "Exclusive Shelf": "did-not-finish",
    },
    {"Book Id": "13", "Title": "Bad date", "Date Read": "2021/13/45", "Exclusive Shelf": "read"},
]


def write_csv(header: list[str], books: list[dict], *, bom: bool = False, broken: bool = True):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for book in books:
        writer.writerow([book.get(name, "") for name in header])
    if broken:
        out.write('99,"A row cut short",Someone\n')
    text = out.getvalue()
    return ("\ufeff" + text if bom else text).encode("utf-8")


@pytest.mark.parametrize(("header", "bom"), [(LONG, False), (SHORT, True)], ids=["long", "short"])
def test_an_export_imports_as_specified(bob, header, bom):
    report = goodreads.import_csv(bob, write_csv(header, BOOKS, bom=bom))

    assert [row.title for row in report.imported] == [
        "Dune (Dune, #1)",
        "三体",
        "Want this",
        "Put down",
    ]
    assert [(row.line, row.reason) for row in report.failed] == [
        (6, "“Date Read” 2021/13/45 is not a date (YYYY/MM/DD, 1900–2200)"),
        (7, f"it has 3 columns where the header has {len(header)}"),
    ]
    dune = Item.objects.get(owner=bob, goodreads_id="234225")
    assert dune.kind == Item.Kind.BOOK and dune.status == Item.Status.FINISHED
    assert dune.authors == "Frank Herbert, Brian Herbert, Kevin J. Anderson"
    assert (dune.finished_on, dune.rating) == (datetime.date(2021, 3, 7), 5)
    assert dune.url == "https://www.goodreads.com/book/isbn/9780441172719"  # unwrapped
    assert dune.notes == (
        "A **classic** & still fresh.\n\n"
        "Read it with _patience_: [notes](https://example.com/dune).\nTen out of ten"
    )
    assert "<strong>classic</strong>" in dune.notes_html and "<em>patience</em>" in dune.notes_html
    assert dune.private_notes == "Borrowed from 小王, give it back"
    three_body = Item.objects.get(owner=bob, title="三体")
    assert (three_body.status, three_body.rating, three_body.authors) == (
        "reading",
        None,
        "刘慈欣",
    )
    assert three_body.url == "https://www.goodreads.com/book/show/20518872"
    assert Item.objects.get(owner=bob, title="Want this").status == Item.Status.WANT
    put_down = Item.objects.get(owner=bob, title="Put down")
    assert (put_down.status, put_down.finished_on) == (Item.Status.WANT, None)
    assert put_down.notes == "Goodreads shelf: did-not-finish"


def test_a_second_import_skips_every_book(bob):
    data = write_csv(LONG, BOOKS)
    goodreads.import_csv(bob, data)

    report = goodreads.import_csv(bob, data)

    assert report.imported == []
    assert [row.reason for row in report.skipped] == ["imported before"] * 4
    assert Item.objects.filter(owner=bob).count() == 4


def test_the_same_book_twice_in_one_file_is_imported_once(bob):
    report = goodreads.import_csv(bob, write_csv(SHORT, [BOOKS[2], BOOKS[2]], broken=False))

    assert len(report.imported) == 1
    assert [row.reason for row in report.skipped] == ["the same book appears earlier in the file"]


def test_books_of_another_account_do_not_count(alice, bob):
    goodreads.import_csv(alice, write_csv(LONG, BOOKS))

    report = goodreads.import_csv(bob, write_csv(LONG, BOOKS))

    assert len(report.imported) == 4


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"Book Id": "", "Title": "No id"}, "it has no usable “Book Id”"),
        ({"Book Id": "5", "Title": "  "}, "it has no title"),
        ({"Book Id": "6", "Title": "Six", "My Rating": "9"}, "“My Rating” 9 is not 0 to 5"),
        ({"Book Id": "7", "Title": "Old", "Date Read": "1066/10/14", "Exclusive Shelf": "read"},
         "“Date Read” 1066/10/14 is not a date (YYYY/MM/DD, 1900–2200)"),
        # What the owner's backup would refuse is refused here, by the same rules.
        ({"Book Id": "12 34", "Title": "Spaced id"},
         "“Book Id”: A Goodreads book id has only letters, digits, “.”, “_” and “-”."),
        ({"Book Id": "1\x002", "Title": "NUL id"},
         "“Book Id”: A Goodreads book id has only letters, digits, “.”, “_” and “-”."),
        ({"Book Id": "1" * 33, "Title": "Long id"},
         "“Book Id”: Ensure this value has at most 32 characters (it has 33)."),
        ({"Book Id": "14", "Title": "NUL author", "Author": "Ann\x00"},
         "“Author”: Null characters are not allowed."),
        ({"Book Id": "15", "Title": "NUL\x00title"}, "“Title”: Null characters are not allowed."),
        ({"Book Id": "16", "Title": "NUL note", "Private Notes": "x\x00"},
         "“Private Notes”: contains a NUL character, which cannot be stored"),
    ],
)  # fmt: skip
def test_a_bad_row_fails_alone(bob, cells, reason):
    report = goodreads.import_csv(bob, write_csv(SHORT, [cells, BOOKS[2]], broken=False))

    assert [row.reason for row in report.failed] == [reason]
    assert [row.title for row in report.imported] == ["Want this"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe\x00B\x00o", "not UTF-8"),
        (b"Name,Rating\nx,1\n", "not a Goodreads export"),
        (b"", "not a Goodreads export"),
    ],
)
def test_a_file_that_is_not_an_export(bob, raw, message):
    with pytest.raises(goodreads.GoodreadsError, match=message):
        goodreads.import_csv(bob, raw)


def test_long_titles_are_shortened_not_refused(bob):
    report = goodreads.import_csv(
        bob, write_csv(SHORT, [{"Book Id": "8", "Title": "长" * 400}], broken=False)
    )

    assert len(report.imported) == 1
    assert len(Item.objects.get(owner=bob).title) == 300


def test_the_private_note_never_leaves_through_a_share_or_public_export(bob):
    goodreads.import_csv(bob, write_csv(LONG, BOOKS))
    review = f.review(bob, 2021, title="2021", document="[[library]]")
    _link, token = ShareLink.create_for(review)

    page = Client().get(f"/s/{token}/").content.decode()

    assert "Dune (Dune, #1)" in page  # the book is on the shared page…
    assert "小王" not in page  # …its private note is not
    assert "小王" not in str(export_data(bob, public_only=True))
    assert "小王" not in str(export_extensions(bob, public_only=True))
    public = zip_members(zip_bytes(bob, public_only=True))
    assert not any("小王".encode() in data for data in public.values())
    assert "小王".encode() in zip_members(zip_bytes(bob))["almanac.json"]  # the owner's backup


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("plain text", "plain text"),
        ("line one<br />line two", "line one\nline two"),
        ("<b> spaced </b>bold", "**spaced** bold"),
        ("<strong>好</strong>书", "**好**书"),
        ("<em>it</em> &lt;3 &quot;q&quot;", '_it_ <3 "q"'),
        ('<a href="javascript:alert(1)">x</a>', "x"),
        ("<script>alert(1)</script>ok", "ok"),
        ("<b></b>empty", "empty"),
        ('<a href="https://a.example/(x)">paren</a>', "[paren](https://a.example/%28x%29)"),
    ],
)
def test_review_html_becomes_markdown(html, markdown):
    assert goodreads.review_markdown(html) == markdown


def test_unwrap_and_dates():
    assert goodreads.unwrap('="9780441172719"') == "9780441172719"
    assert goodreads.unwrap('=""') == ""
    assert goodreads.unwrap("0441172717") == "0441172717"
    assert goodreads.parse_date("2021/03/07") == datetime.date(2021, 3, 7)
    assert goodreads.parse_date("") is None
    with pytest.raises(ValueError):
        goodreads.parse_date("07/03/2021")


def test_a_read_book_without_a_read_date_is_finished_in_the_year_it_was_added(bob):
    books = [
        {"Book Id": "21", "Title": "Read, no date", "Date Added": "2019/06/30",
         "Exclusive Shelf": "read"},
        {"Book Id": "22", "Title": "Read on a day", "Date Read": "2020/02/03",
         "Date Added": "2019/06/30", "Exclusive Shelf": "read"},
        {"Book Id": "23", "Title": "Not read", "Date Added": "2019/06/30",
         "Exclusive Shelf": "to-read"},
        {"Book Id": "24", "Title": "Read, added when?", "Date Added": "someday",
         "Exclusive Shelf": "read"},
    ]  # fmt: skip

    report = goodreads.import_csv(bob, write_csv(LONG, books, broken=False))

    assert not report.failed
    undated = Item.objects.get(owner=bob, goodreads_id="21")
    assert (undated.finished_on, undated.finished_precision) == (
        datetime.date(2019, 12, 31),
        "year",
    )
    assert str(undated.finished) == "2019"
    dated = Item.objects.get(owner=bob, goodreads_id="22")
    assert (dated.finished_on, dated.finished_precision) == (datetime.date(2020, 2, 3), "day")
    assert Item.objects.get(owner=bob, goodreads_id="23").finished_on is None
    assert Item.objects.get(owner=bob, goodreads_id="24").finished_on is None
    # It counts in 2019, and a backup writes it as the year it is.
    library = export_data(bob)["library"]
    assert [i["finished_on"] for i in library if i["title"] == "Read, no date"] == ["2019"]
