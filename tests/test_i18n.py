"""The interface in English and Simplified Chinese, complete (issue 9).

The catalog checks read ``locale/zh_Hans/LC_MESSAGES/django.po`` with a small
parser of their own (no polib) and the compiled ``django.mo`` with the
standard library's ``gettext``, so they need neither gettext nor a new
dependency. Only the check that the catalog holds every marked string runs
``makemessages`` and so needs gettext's tools; it is skipped without them.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from library.models import Item
from reviews.models import Goal, Revision
from sharing.models import ShareLink
from tests import factories as f
from timeline.models import Photo

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
TEMPLATES = Path(settings.BASE_DIR) / "templates"
SOURCE_DIRS = ["accounts", "config", "core", "library", "reviews", "timeline", "templates"]


# --- the catalog ---------------------------------------------------------------------


@dataclass
class Message:
    msgid: str = ""
    context: str | None = None
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return self.context, self.msgid, self.plural


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # a PO string is a C string; Python reads it the same


def read_po(path: Path) -> list[Message]:
    """Every live message of a PO file; the header (msgid "") and obsolete ones left out.

    Messages are separated by blank lines, as gettext's tools write them.
    """
    messages: list[Message] = []
    number = 0
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        message = Message(line=number + 1)
        number += block.count("\n") + 2
        target: tuple[str, int] | None = None
        for line in block.strip().splitlines():
            line = line.strip()
            if line.startswith("#,"):
                message.fuzzy |= "fuzzy" in {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue  # a comment, a reference, or an obsolete message (#~)
            elif line.startswith('"'):
                assert target is not None, f"{path}:{message.line}: {block!r}"
                name, index = target
                if name == "msgstr":
                    message.strings[index] += _unquote(line)
                else:
                    setattr(message, name, (getattr(message, name) or "") + _unquote(line))
            else:
                keyword, _, rest = line.partition(" ")
                if keyword.startswith("msgstr"):
                    index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                    message.strings[index] = _unquote(rest)
                    target = ("msgstr", index)
                else:
                    name = {"msgctxt": "context", "msgid": "msgid", "msgid_plural": "plural"}
                    assert keyword in name, f"{path}:{message.line}: cannot read {line!r}"
                    setattr(message, name[keyword], _unquote(rest))
                    target = (name[keyword], 0)
        if message.msgid:
            messages.append(message)
    return messages


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd%]")


def placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


def test_the_reader_understands_the_po_format(tmp_path):
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py\nmsgid "Saved"\nmsgstr "已保存"\n\n'
        '#, fuzzy\nmsgid "Not saved"\nmsgstr "未保存"\n\n'
        'msgctxt "quarter of a year"\nmsgid "Q1"\nmsgstr "第一季度"\n\n'
        'msgid "%(counter)s goal"\nmsgid_plural "%(counter)s goals"\nmsgstr[0] ""\n\n'
        'msgid ""\n"a long "\n"line"\nmsgstr "长\\"行\\""\n\n'
        '#~ msgid "gone"\n#~ msgstr "没了"\n',
        encoding="utf-8",
    )
    saved, fuzzy, quarter, goals, long = read_po(sample)
    assert (saved.msgid, saved.strings, saved.fuzzy) == ("Saved", {0: "已保存"}, False)
    assert fuzzy.fuzzy and not saved.fuzzy
    assert quarter.key == ("quarter of a year", "Q1", None) and quarter.strings[0] == "第一季度"
    assert goals.plural == "%(counter)s goals" and goals.strings == {0: ""}
    assert long.msgid == "a long line" and long.strings[0] == '长"行"'


def test_every_message_has_a_chinese_translation():
    messages = read_po(PO)
    assert len(messages) > 300
    untranslated = [
        f"line {m.line}: {m.msgid!r}"
        for m in messages
        if m.fuzzy or not m.strings or any(not s.strip() for s in m.strings.values())
    ]
    assert untranslated == [], "translate these in django.po (and drop any fuzzy flag)"


def test_translations_keep_every_placeholder():
    broken = []
    for m in read_po(PO):
        for text in m.strings.values():
            # Chinese has one plural form: it reads the plural's placeholders.
            if placeholders(text) != placeholders(m.plural or m.msgid):
                broken.append(f"line {m.line}: {m.msgid!r} -> {text!r}")
    assert broken == []


def test_the_compiled_catalog_is_up_to_date():
    """django.mo is committed (a fresh machine needs no gettext) and must match django.po."""
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    stale = []
    for m in read_po(PO):
        key = f"{m.context}\x04{m.msgid}" if m.context is not None else m.msgid
        if m.plural is None:
            ok = catalog.get(key) == m.strings.get(0)
        else:
            ok = all(catalog.get((key, n)) == text for n, text in m.strings.items())
        if not ok:
            stale.append(m.msgid)
    assert stale == [], "run: make messages"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext")
def test_the_catalog_holds_every_marked_string(tmp_path, settings, monkeypatch):
    """makemessages over the sources finds nothing that django.po lacks."""
    for name in SOURCE_DIRS:
        (tmp_path / name).symlink_to(Path(settings.BASE_DIR) / name)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["zh_Hans"], symlinks=True, verbosity=0)
    fresh = {m.key for m in read_po(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po")}
    missing = fresh - {m.key for m in read_po(PO)}
    assert sorted(map(str, missing)) == [], "run make messages, translate, make messages"


# --- templates -----------------------------------------------------------------------

# Words that are the same in every language: the product's name.
ALLOWED_WORDS = {"Almanac"}
# Attributes whose value people read or hear.
VISIBLE_ATTRIBUTES = re.compile(
    r"""\s(?:alt|title|placeholder|aria-label|aria-description|hx-confirm|data-msg-[\w-]+|"""
    r"""data-copied|data-copy-failed)\s*=\s*("[^"]*"|'[^']*')""",
    re.IGNORECASE,
)
TEMPLATE_SYNTAX = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL),
    # Blocks that base.html places inside a tag hold class names and attributes.
    re.compile(r"{%\s*block (?:main_class|body_attrs|html_attrs)\s*%}.*?{%\s*endblock\s*%}"),
    re.compile(r"{#.*?#}", re.DOTALL),
    re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.DOTALL),
    re.compile(r"{%.*?%}", re.DOTALL),
    re.compile(r"{{.*?}}", re.DOTALL),
]
INVISIBLE_ELEMENTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
# A word: two Latin letters in a row ("v3" and "×" pass), or any letter of another script.
WORD = re.compile(r"[^\W\d_]{2,}|[^\W\d_a-zA-Z]")


def unmarked_text(source: str) -> list[str]:
    """Words a reader would see that no translation tag covers."""
    for pattern in TEMPLATE_SYNTAX:
        source = pattern.sub(" ", source)
    source = INVISIBLE_ELEMENTS.sub(" ", source)
    attributes = [value[1:-1] for value in VISIBLE_ATTRIBUTES.findall(source)]
    text = re.sub(r"<[^>]*>", " ", source)
    words = [w for chunk in (text, *attributes) for w in WORD.findall(chunk)]
    return [w for w in words if w not in ALLOWED_WORDS]


def test_the_scan_finds_unmarked_text():
    assert unmarked_text('<p>{% translate "Saved" %} Saved</p>') == ["Saved"]
    assert unmarked_text('<img alt="A photo" src="x.png">') == ["photo"]
    assert unmarked_text("<h2>时间线</h2><p>年</p>") == ["时间线", "年"]
    assert (
        unmarked_text(
            '{% load i18n %}<a class="brand" href="{% url \'home\' %}">Almanac</a>'
            "{# a note #}{% comment %}Context: year{% endcomment %}"
            "<p aria-label=\"{% translate 'Main' %}\">{% blocktranslate %}In {{ year }}"
            "{% endblocktranslate %} · 3/5 → {{ item.title }}</p><script>go()</script>"
        )
        == []
    )


def test_templates_have_no_unmarked_visible_text():
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        words = unmarked_text(path.read_text(encoding="utf-8"))
        if words:
            found[str(path.relative_to(TEMPLATES))] = words
    assert found == {}, "wrap these in {% translate %} or {% blocktranslate %}"


# --- the same page in both languages -------------------------------------------------


@pytest.fixture
def year_2020(alice):
    # No review yet: the page shows the new year's template in the interface's language
    # (a review's own headings are in the language it is written in).
    f.entry(alice, "2020-07-02", title="Hike", ended_on="2020-11-09")
    return 2020


def test_without_a_preference_the_interface_is_english(alice_client, year_2020):
    html = alice_client.get("/2020/").content.decode()

    assert '<html lang="en"' in html
    assert "Timeline" in html and "时间线" not in html


@pytest.mark.parametrize("header", ["zh-Hans", "zh-CN,zh;q=0.9,en;q=0.5", "zh-hans-cn"])
def test_the_browser_language_chooses_chinese(alice_client, year_2020, header):
    html = alice_client.get("/2020/", HTTP_ACCEPT_LANGUAGE=header).content.decode()

    assert '<html lang="zh-Hans"' in html
    assert "时间线" in html and ">Timeline<" not in html
    assert "第三季度 · 7月 – 9月" in html and "7月 – 11月" in html
    assert 'data-msg-saved="已保存"' in html  # the editor's status messages


def test_an_unknown_browser_language_falls_back_to_english(alice_client, year_2020):
    html = alice_client.get("/2020/", HTTP_ACCEPT_LANGUAGE="fr-FR").content.decode()

    assert '<html lang="en"' in html and "Timeline" in html


def test_the_switcher_sets_a_remembered_language(alice_client, year_2020):
    html = alice_client.get("/2020/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'value="zh-hans"' in html

    response = alice_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/2020/"})

    assert response.status_code == 302 and response["Location"] == "/2020/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    html = alice_client.get("/2020/").content.decode()
    assert '<html lang="zh-Hans"' in html and "时间线" in html
    assert 'value="en"' in html  # and offers the way back

    # The choice wins over the browser's language, both ways.
    alice_client.post("/i18n/setlang/", {"language": "en", "next": "/2020/"})
    html = alice_client.get("/2020/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert '<html lang="en"' in html and "Timeline" in html


def test_the_switcher_works_on_the_login_page_for_anonymous_visitors(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in html

    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-Hans"' in html and "登录" in html


def test_the_switcher_refuses_an_unknown_language_and_a_foreign_next(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})

    assert response.status_code == 302 and response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_every_page_speaks_chinese(alice_client, year_2020):
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans"}
    pages = {
        "/years/": "你的每一年",
        "/2020/compare/": "对比",
        "/library/": "书架",
        "/career/": "职业",
        "/goals/": "目标",
        "/2020/settings/": "标题",
        "/2020/share/": "分享",
        "/accounts/password_change/": "修改密码",
    }
    for url, word in pages.items():
        html = alice_client.get(url, **zh).content.decode()
        assert word in html, url
        assert '<html lang="zh-Hans"' in html, url


def test_a_select_without_a_choice_asks_in_the_interfaces_language(alice_client, year_2020):
    """Django 6.1's own blank choice has no Chinese yet: Almanac brings its own."""
    english = alice_client.get("/edit/move/new/?year=2020").content.decode()
    chinese = alice_client.get("/edit/move/new/?year=2020", HTTP_ACCEPT_LANGUAGE="zh-Hans")

    assert '<option value="" selected>Choose…</option>' in english
    assert '<option value="" selected>请选择…</option>' in chinese.content.decode()
    assert "Select an option" not in english + chinese.content.decode()


# --- every rendered page, in Chinese --------------------------------------------------

# Latin words a Chinese page may show: names of products, formats and keys, and the
# language switch and language choices, each named in itself.
LATIN_ALLOWED = {
    "Almanac", "Markdown", "JSON", "json", "zip", "csv", "CSV", "md", "markdown", "txt",
    "Goodreads", "goodreads", "com", "MB", "JPEG", "PNG", "WebP", "Ctrl", "Enter", "Esc",
    "Tab", "HTML", "URL", "English", "Deutsch", "Français", "Español", "CC", "BY", "NC",
    "SA", "ISBN", "Shift", "Hugo", "Jekyll",
}  # fmt: skip
# Terms Chinese writers use as they are, and the English menu of another site to follow.
LATIN_PHRASES = re.compile(
    r"front matter|index\.md|content 目录|My Books → Import and export → Export library"
)
# What the user typed (a textarea's text) or code is no interface word.
VISIBLE_TEXT_SKIPPED = {"script", "style", "template", "svg", "code", "pre", "kbd", "textarea"}
# Addresses, the "#a1b2" a share link is told apart by, and the "{status}" a script fills in.
URL = re.compile(r"(?:https?://|/)[\w\-./?=&%#:;~+]+|#\w+|\{\w+\}")
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
# Every user text below is Chinese, so any other Latin word is the interface's.
TEXT = "这一年学到的东西"


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the attributes read aloud."""

    SPOKEN = {"alt", "title", "placeholder", "aria-label", "aria-description", "hx-confirm",
              "data-copied", "data-copy-failed"}  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in VISIBLE_TEXT_SKIPPED:
            self.skipping += 1
        for name, value in attrs:
            if value and (name in self.SPOKEN or name.startswith("data-msg-")):
                self.parts.append(value)
            if tag == "input" and name == "value" and value and ("type", "submit") in attrs:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in VISIBLE_TEXT_SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def english_words(html: str) -> list[str]:
    """Latin words of a page's visible text, URLs and the allowed names left out."""
    parser = _VisibleText()
    parser.feed(html)
    text = LATIN_PHRASES.sub(" ", URL.sub(" ", " ".join(parser.parts)))
    return [w for w in LATIN_WORD.findall(text) if w not in LATIN_ALLOWED]


def test_the_english_scan_finds_interface_words_and_nothing_else():
    html = (
        '<p title="Edit">保存 <a href="/x/">Almanac</a> http://testserver/s/AbCd/</p>'
        "<script>go()</script><select><option>- Select an option -</option></select>"
        '<div data-msg-saved="Saved"></div><code>[[timeline]]</code>'
    )
    assert english_words(html) == ["Edit", "Select", "an", "option", "Saved"]


@dataclass
class ChineseAccount:
    """An account whose every text is Chinese, with the objects the page URLs name."""

    owner: object
    first: dict[str, object] = field(default_factory=dict)
    token: str = ""

    def revision(self, kind: str) -> int:
        from tests.pages import TEXT_FIELDS

        return (
            Revision.objects.filter(object_id=self.first[kind].pk, field=TEXT_FIELDS[kind])
            .earliest("id")
            .pk
        )


@pytest.fixture
def chinese_account(django_user_model):
    from reviews.document import compose

    owner = django_user_model.objects.create_user("小明", "", "correct-horse-battery")
    review = f.review(
        owner,
        2020,
        title="二〇二〇",
        language="zh-Hans",
        author_name="小明",
        license="署名",
        document=compose(2020, "zh-Hans", {"intro": TEXT}) + "\n\n[[compare paper]]\n\n[[years]]",
    )
    f.review(owner, 2019, title="二〇一九", language="zh-Hans", document=TEXT)
    account = ChineseAccount(owner)
    account.first = {
        "review": review,
        "entry": f.entry(owner, "2020-07-02", "2020-11-09", title="徒步", body=TEXT),
        "move": f.move(owner, "2020-04-01", organization="青岚数据", role="工程师", note=TEXT),
        "item": f.item(owner, "2020-03-01", title="一本书", authors="某人", notes=TEXT),
        "goal": f.goal(
            owner,
            2020,
            title="读十二篇论文",
            description=TEXT,
            outcome=TEXT,
            metric_kind=Item.Kind.PAPER,
            metric_target=12,
        ),  # fmt: skip
    }
    f.item(owner, "2019-05-01", title="另一篇", kind=Item.Kind.PAPER)
    f.item(owner, None, title="想读的书")
    f.goal(owner, 2019, title="去年的目标", status=Goal.Status.ACHIEVED)
    f.goal(owner, 2021, title="明年的目标")
    Photo.objects.create(
        owner=owner, entry=account.first["entry"], image="photos/a.jpg",
        thumbnail="photos/a-thumb.jpg", width=8, height=6, caption="山顶",
    )  # fmt: skip
    from tests.pages import TEXT_FIELDS

    for kind, name in TEXT_FIELDS.items():
        obj = account.first[kind]
        Revision.objects.create(
            owner=owner,
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            field=name,
            text=TEXT,
            version=1,
        )
    _link, account.token = ShareLink.create_for(review, also=[2019])
    return account


def _chinese_pages():
    from tests.pages import PAGES

    return [pytest.param(page, id=page.name) for page in PAGES]


@pytest.mark.parametrize("listed", _chinese_pages())
def test_every_rendered_page_speaks_only_chinese(listed, chinese_account, client):
    """Each page a browser can GET, as a full page and as an htmx fragment, under zh-Hans."""
    if not listed.anonymous:
        client.force_login(chinese_account.owner)
    url = listed.url(chinese_account)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(url, headers={"Accept-Language": "zh-Hans", **headers})
        if response.status_code in (301, 302) or "text/html" not in response["Content-Type"]:
            continue
        found = english_words(response.content.decode())
        assert found == [], f"{url} {headers}: English on a Chinese page: {found}"


def test_forms_with_errors_and_other_pages_speak_only_chinese(chinese_account, client):
    """What the page list does not hold: refused forms, the share page of another year,
    the password pages, and a year with nothing in it."""
    client.force_login(chinese_account.owner)
    zh = {"Accept-Language": "zh-Hans"}
    token = chinese_account.token
    responses = {
        f"new {kind}": client.post(f"/edit/{kind}/new/?year=2020", {"year": "2020"}, headers=zh)
        for kind in ("entry", "move", "item", "goal")
    }
    responses["settings refused"] = client.post(
        "/2020/settings/", {"language": "某语言", "title": "", "license": ""}, headers=zh
    )
    responses["share another year"] = client.get(f"/s/{token}/2019/", headers=zh)
    responses["empty year"] = client.get("/2005/", headers=zh)
    responses["compare refused"] = client.get("/2020/compare/?with=某年", headers=zh)
    responses["password changed"] = client.get("/accounts/password_change/done/", headers=zh)
    client.logout()
    for path in ("/accounts/password_reset/", "/accounts/password_reset/done/",
                 "/accounts/reset/MQ/set-password/", "/accounts/reset/done/"):  # fmt: skip
        responses[path] = client.get(path, headers=zh, follow=True)
    responses["login refused"] = client.post(
        "/accounts/login/", {"username": "小明", "password": "错"}, headers=zh
    )
    for name, response in responses.items():
        assert response.status_code < 500, name
        assert english_words(response.content.decode()) == [], name
