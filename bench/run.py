"""``make bench``: each page's cost as a multiple of the floor, a logged-in view that says "ok".

Builds accounts of several sizes (bench/seed.py) in a fresh database in a
temporary folder (SQLite, or a throwaway PostgreSQL database when
``DATABASE_URL`` names a PostgreSQL server), serves them with gunicorn (2 sync
workers, production settings, loopback only) and measures, in interleaved
rounds, every page against the *floor*: ``/bench/floor/``, a logged-in request
through the full middleware whose view returns ``ok`` (bench/urls.py). Each
round runs every page for a short block in an order rotated from the round
before, at concurrency 1 and then at concurrency = workers; the report gives
p50 and p95 over all rounds and the median of the per-round ratios
``page p50 / floor p50`` (the ratio is what to compare between runs and
machines). A *miss* is the first view after a write: before each request the
bench-only ``/bench/stale/<user>/`` gives the owner a new data version.

    .venv/bin/python bench/run.py [--rounds 5] [--block 12] [--write]

``--write`` (``make bench WRITE=1``) replaces the benchmark section of
docs/performance.md; otherwise the results are only printed.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import io
import json
import os
import platform
import re
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server  # noqa: E402

BENCH_YEAR = 2024  # has goals set for the next year too: the fullest year page
IMPORT_ITEMS = 10_000
SIZE_BUDGET = 60 * 1024
FLOOR = "floor"


# Accounts


@dataclass(frozen=True)
class Account:
    name: str  # also the username
    label: str
    size_kwargs: dict


def accounts():
    from bench.seed import Size

    heavy = Size(years=20, last_year=BENCH_YEAR + 1)
    typical = Size(
        years=5, last_year=BENCH_YEAR + 1, entries=6, moves=4, items=20, goals=4, photos=4
    )
    slim = {"moves": 5, "items": 40, "goals": 5, "photos": 0}
    return {
        "typical": (typical, "a typical year (6 entries, 4 moves, 20 items, 4 goals)"),
        "heavy": (heavy, "a heavy year (150 entries, 20 moves, 250 items, 20+20 goals)"),
        "entries100": (
            Size(years=1, last_year=BENCH_YEAR, entries=100, moves=0, items=0, goals=0, photos=0),
            "100 entries in the year",
        ),
        "entries1600": (
            Size(years=1, last_year=BENCH_YEAR, entries=1600, moves=0, items=0, goals=0, photos=0),
            "1,600 entries in the year",
        ),
        "years20": (
            Size(years=20, last_year=BENCH_YEAR + 1, entries=30, **slim),
            "20 years of 30 entries, 5 moves, 40 items, 5 goals",
        ),
        "years40": (
            Size(years=40, last_year=BENCH_YEAR + 1, entries=30, **slim),
            "40 years of the same",
        ),
    }


@dataclass
class Page:
    name: str
    path: str
    cookie: str | None  # a logged-in page's session cookie
    owner: int | None = None  # miss: this user's pages are made stale before each request
    method: str = "GET"
    body: Callable[[], tuple[bytes, dict]] | None = None  # for a POST: (body, headers)
    after: Callable[[http.client.HTTPResponse], None] | None = None
    concurrent: bool = True  # False: measured at concurrency 1 only (autosave: one text)
    group: str = ""


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)
    round_medians: list[float] = field(default_factory=list)
    errors: int = 0
    timing: list[str] = field(default_factory=list)  # a few Server-Timing headers


def build(tmp: Path, which: list[str]) -> tuple[list[Page], dict]:
    """Seed the accounts; the pages to measure and what the report says about them."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from bench import seed
    from reviews.models import Review
    from sharing.models import ShareLink
    from timeline.models import Photo

    facts = {"seconds": {}}
    pages = [Page(FLOOR, "/bench/floor/", None, group="floor")]
    sizes = accounts()
    for name in which:
        size, label = sizes[name]
        started = time.perf_counter()
        user = seed.build_account(name, size, photo_year=BENCH_YEAR)
        facts["seconds"][name] = time.perf_counter() - started
        cookie = server.session_cookie(user)
        pages[0].cookie = pages[0].cookie or cookie
        year = reverse("reviews:year", args=[BENCH_YEAR])
        if name.startswith(("entries", "years")):
            pages.append(Page(f"{name}: year page, miss", year, cookie, user.pk, group=name))
            continue
        review = Review.objects.get(owner=user, year=BENCH_YEAR)
        _, token = ShareLink.create_for(review)
        share = reverse("sharing:share", args=[token])
        compare = reverse("reviews:compare", args=[BENCH_YEAR])
        export = reverse("sharing:export-md", args=[BENCH_YEAR])
        zip_path = reverse("sharing:export-zip", args=[BENCH_YEAR])
        pages += [
            Page(f"{name}: year page, hit", year, cookie, group=name),
            Page(f"{name}: year page, miss", year, cookie, user.pk, group=name),
            Page(f"{name}: share page, hit", share, None, group=name),
            Page(f"{name}: share page, miss", share, None, user.pk, group=name),
            Page(f"{name}: compare, hit", compare, cookie, group=name),
            Page(f"{name}: compare, miss", compare, cookie, user.pk, group=name),
            Page(f"{name}: export.md, hit", export, cookie, group=name),
            Page(f"{name}: export.md, miss", export, cookie, user.pk, group=name),
            Page(f"{name}: export.zip", zip_path, cookie, group=name),
            Page(f"{name}: /library/", reverse("library:list"), cookie, group=name),
            Page(f"{name}: /career/", reverse("career:list"), cookie, group=name),
            Page(f"{name}: /goals/", reverse("reviews:goals"), cookie, group=name),
        ]
        photo = (
            Photo.objects.filter(owner=user, entry__started_on__year=BENCH_YEAR)
            .filter(entry__private=False)
            .first()
        )
        if photo is not None:
            url = reverse("sharing:photo", args=[token, photo.pk, "thumb"])
            pages.append(Page(f"{name}: share page's photo", url, None, group=name))
        pages.append(_autosave(name, review, cookie))
    facts["users"] = get_user_model().objects.count()
    return pages, facts


def _autosave(name: str, review, cookie: str) -> Page:
    """Autosave of the review's opening document: a POST with a CSRF token, one version on."""
    from django.urls import reverse

    csrf = secrets.token_hex(16)  # an unmasked 32-character secret is a valid cookie value
    state = {"version": review.text_version("document"), "n": 0}
    path = reverse("reviews:text-save", args=["review", review.pk, "document"])

    def body() -> tuple[bytes, dict]:
        state["n"] += 1
        text = f"{review.document}\n\nAutosaved {state['n']}.\n"
        data = urlencode({"text": text, "version": state["version"]}).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{cookie}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "HX-Request": "true",
        }
        return data, headers

    def after(response) -> None:
        version = response.getheader("X-Text-Version")
        if version:
            state["version"] = int(version)

    return Page(
        f"{name}: autosave", path, cookie, method="POST", body=body, after=after,
        concurrent=False, group=name,
    )  # fmt: skip


# Load


def request(port: int, page: Page, host_header: str) -> tuple[float, bool, str]:
    if page.owner is not None:  # a miss: the owner's data "changed" just before
        server.get(port, f"/bench/stale/{page.owner}/")
    headers = {"Host": host_header}
    if page.cookie:
        headers["Cookie"] = page.cookie
    data = None
    if page.body:
        data, extra = page.body()
        headers.update(extra)
        headers["Origin"] = f"http://{host_header}"  # CSRF: the request comes from the site
    conn = http.client.HTTPConnection(server.HOST, port, timeout=60)
    started = time.perf_counter()
    try:
        conn.request(page.method, page.path, body=data, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        ok = response.status in (200, 204)
        if page.after:
            page.after(response)
        return elapsed, ok, response.getheader("Server-Timing") or ""
    except (OSError, http.client.HTTPException):
        return time.perf_counter() - started, False, ""
    finally:
        conn.close()


def block(port: int, page: Page, count: int, concurrency: int) -> tuple[list[float], int, str]:
    """``count`` requests of one page, ``concurrency`` at a time.

    A cached page is first requested a few times unmeasured: a *miss* page of the
    same owner, measured just before, made its copies stale in every worker.
    """
    if page.owner is None and page.method == "GET":
        for _ in range(4):
            request(port, page, f"{server.HOST}:{port}")
    latencies: list[float] = []
    errors = [0]
    timing = [""]
    lock = threading.Lock()
    todo = list(range(count))
    host = f"{server.HOST}:{port}"

    def worker() -> None:
        while True:
            with lock:
                if not todo:
                    return
                todo.pop()
            elapsed, ok, header = request(port, page, host)
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok
                timing[0] = header or timing[0]

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], timing[0]


def run_rounds(
    port: int, pages: list[Page], rounds: int, count: int, concurrency: int
) -> dict[str, Samples]:
    measured = [p for p in pages if concurrency == 1 or p.concurrent]
    samples = {page.name: Samples() for page in measured}
    for page in measured:  # warm-up: each worker's first requests fill Django's caches
        block(port, page, 4, concurrency)
    for n in range(rounds):
        shift = n % len(measured)
        order = measured[shift:] + measured[:shift]
        for page in order:
            latencies, errors, timing = block(port, page, count, concurrency)
            s = samples[page.name]
            s.latencies += latencies
            s.round_medians.append(statistics.median(latencies))
            s.errors += errors
            if timing:
                s.timing.append(timing)
        print(f"  c={concurrency}: round {n + 1}/{rounds} done", flush=True)
    return samples


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


@dataclass
class Row:
    name: str
    group: str
    p50: float
    p95: float
    ratio: float
    requests: int
    errors: int
    timing: str


def summarise(pages: list[Page], samples: dict[str, Samples]) -> list[Row]:
    floor = samples[FLOOR]
    rows = []
    for page in pages:
        s = samples.get(page.name)
        if s is None or not s.latencies:
            continue
        ratios = [m / f for m, f in zip(s.round_medians, floor.round_medians, strict=False)]
        rows.append(
            Row(
                page.name,
                page.group,
                statistics.median(s.latencies) * 1000,
                percentile(s.latencies, 0.95) * 1000,
                statistics.median(ratios),
                len(s.latencies),
                s.errors,
                _timing_summary(s.timing),
            )
        )
    return rows


def _timing_summary(headers: list[str]) -> str:
    """The median of each Server-Timing metric over the rounds: ``db 1.2 / render 3.4``."""
    values: dict[str, list[float]] = {}
    for header in headers:
        for name, dur in re.findall(r"(\w+);(?:desc=\"\w+\";)?dur=([\d.]+)", header):
            values.setdefault(name, []).append(float(dur))
    keep = [n for n in ("db", "render") if n in values]
    return " / ".join(f"{n} {statistics.median(values[n]):.1f}" for n in keep)


# Import, weight, machine


def time_import(tmp: Path) -> tuple[float, str]:
    """Import 10,000 items into a new account with ``manage.py import_data``."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from bench.seed import Texts
    from library.models import Item

    t = Texts(seed=10)
    items = [
        {
            "kind": t.rng.choice(Item.Kind.values),
            "title": t.title(),
            "authors": "A. Writer",
            "url": "",
            "status": "finished",
            "started_on": f"2020-{1 + n % 12:02d}-01",
            "finished_on": f"2020-{1 + n % 12:02d}-20",
            "rating": 1 + n % 5,
            "recommended": n % 10 == 0,
            "notes": t.short() if n % 3 == 0 else "",
            "private": False,
        }
        for n in range(IMPORT_ITEMS)
    ]
    get_user_model().objects.create_user("importer", "importer@example.com", None)
    payload = {
        "format": "annual-review",
        "version": 2,
        "reviews": [],
        "timeline": [],
        "career": [],
        "library": items,
        "goals": [],
        "tallies": [],
    }
    path = tmp / "import.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    started = time.perf_counter()
    call_command("import_data", "importer", str(path), stdout=io.StringIO())
    elapsed = time.perf_counter() - started
    count = Item.objects.filter(owner__username="importer").count()
    return elapsed, f"`manage.py import_data importer FILE` ({count:,} items in JSON)"


def page_weight(port: int, path: str, cookie: str) -> dict:
    """Bytes on the wire, gzip-compressed: the HTML, its CSS and JS (photos excluded)."""
    status, _, body = server.get(port, path, {"Cookie": cookie})
    assert status == 200, f"{path} answered {status}"
    html = body.decode()
    weight = {"html_raw": len(body), "html_gz": len(gzip.compress(body, 6)), "assets": []}
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        _, headers, data = server.get(port, asset, {"Accept-Encoding": "gzip"})
        if headers.get("content-encoding") != "gzip":
            data = gzip.compress(data, 6)
        weight["assets"].append((asset, len(data)))
    weight["total_gz"] = weight["html_gz"] + sum(size for _, size in weight["assets"])
    return weight


def machine_facts(database: str) -> list[str]:
    import django

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    gunicorn = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--version"], capture_output=True, text=True
    ).stdout.strip()
    return [
        f"- `nproc`: {nproc or os.cpu_count()}{f' ({cpu})' if cpu else ''}; load average"
        f" at the start {os.getloadavg()[0]:.1f}",
        f"- Python {platform.python_version()}; Django {django.get_version()}; {database};"
        f" {gunicorn or 'gunicorn'}, 2 sync workers",
        f"- OS: {platform.platform()}",
        "- client: Python threads (http.client), a new connection per request (sync workers"
        " close it), on the same two cores as the server",
    ]


# PostgreSQL


class ThrowawayDatabase:
    """A fresh database on the PostgreSQL server ``DATABASE_URL`` names, dropped afterwards."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = f"almanac_bench_{secrets.token_hex(4)}"

    def __enter__(self) -> str:
        self._admin(f'CREATE DATABASE "{self.name}"')
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"/{self.name}"))

    def __exit__(self, *exc) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(sql)


# Report


BUDGETS = [
    # (what, page, the other page or None for the floor, limit)
    ("typical year, hit", "typical: year page, hit", None, 1.5),
    ("heavy year, hit", "heavy: year page, hit", None, 2.0),
    ("typical share page, hit", "typical: share page, hit", None, 1.5),
    ("heavy share page, hit", "heavy: share page, hit", None, 2.0),
    ("typical compare, hit", "typical: compare, hit", None, 1.5),
    ("heavy compare, hit", "heavy: compare, hit", None, 2.0),
    ("typical export.md, hit", "typical: export.md, hit", None, 1.5),
    ("heavy export.md, hit", "heavy: export.md, hit", None, 2.0),
    ("typical year, miss", "typical: year page, miss", None, 4.0),
    ("heavy year, miss", "heavy: year page, miss", None, 15.0),
    ("autosave", "typical: autosave", None, 2.0),
    ("1,600 entries vs 100", "entries1600: year page, miss", "entries100: year page, miss", 1.5),
    ("40 years vs 20", "years40: year page, miss", "years20: year page, miss", 1.1),
]


def budgets(by_name: dict[str, Row], import_seconds: float | None, weight: dict | None):
    lines = []
    for what, name, other, limit in BUDGETS:
        row = by_name.get(name)
        if row is None or (other and other not in by_name):
            continue
        if other:
            value = row.p50 / by_name[other].p50
            basis = f"{row.p50:.1f} ms vs {by_name[other].p50:.1f} ms"
        else:
            value, basis = row.ratio, f"median of per-round ratios; p50 {row.p50:.1f} ms"
        verdict = "holds" if value <= limit else "**does not hold**"
        lines.append(f"- {what}: {value:.2f}× (≤ {limit:g}×; {basis}) — {verdict}")
    if import_seconds is not None:
        verdict = "holds" if import_seconds <= 2.5 else "**does not hold**"
        lines.append(
            f"- import of {IMPORT_ITEMS:,} items: {import_seconds:.2f} s (≤ 2.5 s) — {verdict}"
        )
    if weight:
        verdict = "holds" if weight["total_gz"] <= SIZE_BUDGET else "**does not hold**"
        lines.append(
            f"- heavy year page, HTML + CSS + JS gzip: {weight['total_gz'] / 1024:.1f} KB"
            f" (≤ 60 KB) — {verdict}"
        )
    return lines


def table(rows: list[Row], concurrency: int) -> str:
    out = [
        f"| page (concurrency {concurrency}) | p50 ms | p95 ms | ÷ floor | requests | errors"
        " | Server-Timing ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        out.append(
            f"| {r.name} | {r.p50:.1f} | {r.p95:.1f} | {r.ratio:.2f}× | {r.requests}"
            f" | {r.errors} | {r.timing} |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (5)")
    parser.add_argument("--block", type=int, default=12, help="requests per page a round (12)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument(
        "--accounts",
        default="typical,heavy,entries100,entries1600,years20,years40",
        help="which accounts to build and measure",
    )
    parser.add_argument("--no-import", action="store_true", help="skip the import timing")
    parser.add_argument("--write", action="store_true", help="write docs/performance.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="almanac-bench-"))
    env = server.production_env(tmp)
    outer_url = os.environ.get("DATABASE_URL", "")
    postgres = outer_url.startswith(("postgres://", "postgresql://"))
    database = ThrowawayDatabase(outer_url) if postgres else None
    wall = time.perf_counter()
    try:
        if database:
            env["DATABASE_URL"] = database.__enter__()
        server.setup_django(env)
        from django.db import connection

        engine = (
            f"PostgreSQL {connection.cursor().connection.info.server_version}"
            if postgres
            else f"SQLite {sqlite3.sqlite_version} (WAL)"
        )
        which = [a.strip() for a in args.accounts.split(",") if a.strip()]
        print(f"Building {', '.join(which)} in {tmp} ({engine}) …", flush=True)
        server.prepare_database_and_static()
        pages, facts = build(tmp, which)
        for name, seconds in facts["seconds"].items():
            print(f"  {name}: seeded in {seconds:.1f} s", flush=True)
        connection.close()
        results: dict[int, list[Row]] = {}
        weight = None
        with server.Gunicorn(env, tmp / "gunicorn.log", workers=args.workers) as gunicorn:
            for page in pages:
                status = _probe(gunicorn.port, page)
                if status not in (200, 204):
                    raise SystemExit(f"{page.name}: {page.path} answered {status}")
            for concurrency in sorted({1, args.workers}):
                samples = run_rounds(gunicorn.port, pages, args.rounds, args.block, concurrency)
                results[concurrency] = summarise(pages, samples)
                print(table(results[concurrency], concurrency), flush=True)
            heavy = next((p for p in pages if p.name == "heavy: year page, hit"), None)
            if heavy:
                weight = page_weight(gunicorn.port, heavy.path, heavy.cookie)
        import_seconds, import_how = (None, "") if args.no_import else time_import(tmp)
        if import_seconds is not None:
            print(f"Import: {import_seconds:.2f} s ({import_how})")
        checks = budgets({r.name: r for r in results[1]}, import_seconds, weight)
        print("\n".join(checks))
        if args.write:
            text = _doc(args, engine, facts, results, checks, import_how, weight)
            section = "bench-postgresql" if postgres else "bench"
            server.write_doc_section(section, text)
            elapsed = time.perf_counter() - wall
            print(f"Wrote {server.DOC.relative_to(server.ROOT)} ({elapsed:.0f} s).")
        return 0
    finally:
        if database:
            from django.db import connections

            connections.close_all()
            database.__exit__(None, None, None)
        if args.keep:
            print(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _probe(port: int, page: Page) -> int:
    host = f"{server.HOST}:{port}"
    _elapsed, ok, _timing = request(port, page, host)
    if ok:
        return 200
    status, _, _ = server.get(port, page.path, {"Cookie": page.cookie} if page.cookie else {})
    return status


def _doc(args, engine, facts, results, checks, import_how, weight) -> str:
    command = "make bench WRITE=1"
    if args.rounds != 5 or args.block != 12:
        command += f" ROUNDS={args.rounds} BLOCK={args.block}"
    sizes = accounts()
    lines = [
        f"## Benchmark (`make bench`, {engine.split(' ')[0]})",
        "",
        f"Run on {time.strftime('%Y-%m-%d')} with `{command}` (that is, `.venv/bin/python"
        f" bench/run.py --rounds {args.rounds} --block {args.block} --write`), {engine}.",
        "",
        "Every page is measured against the **floor**, `/bench/floor/`: a logged-in request"
        " through the full middleware whose view returns `ok` (bench/urls.py). Rounds are"
        f" interleaved: each of the {args.rounds} rounds runs every page for {args.block}"
        " requests, in an order rotated from the round before; *÷ floor* is the median over"
        " rounds of the page's p50 divided by the floor's p50 in the same round. A *hit* is"
        " served from the rendered-page cache; a *miss* is the first view after a write"
        " (`/bench/stale/<user>/` gives the owner a new data version before each request)."
        " *Server-Timing* is the median of the header's `db` and `render` on the last"
        " request of each round.",
        "",
        "Accounts (pages of " + str(BENCH_YEAR) + "):",
        "",
        *[f"- **{name}**: {sizes[name][1]}" for name in facts["seconds"]],
        "",
        "Machine:",
        "",
        *machine_facts(engine),
        "",
    ]
    for concurrency, rows in results.items():
        lines += [table(rows, concurrency), ""]
    lines += ["### Budgets (concurrency 1)", "", *checks, ""]
    if import_how:
        lines += [f"Import: {import_how}.", ""]
    if weight:
        lines += [
            "Weight of the heavy year page: HTML"
            f" {weight['html_raw']:,} bytes, {weight['html_gz']:,} gzip; with CSS and JS"
            f" {weight['total_gz']:,} bytes gzip.",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
