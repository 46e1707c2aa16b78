"""``make bench``: is a large account's year page as fast as a static blog post?

Builds a large account (bench/seed.py) in a fresh SQLite database in a
temporary folder, serves it with gunicorn (2 sync workers, production
settings, loopback only) and measures, for a bounded time each, the year
page, the compare page, /library/, the share page and two references: a bare
Django view returning a constant string, and the share page's HTML saved as
a static file served by whitenoise. It prints a table with each page's ratio
to the static reference, checks the budgets of issue 8, times an import of
10,000 items, and writes the results to docs/performance.md.

    .venv/bin/python bench/run.py [--seconds 8] [--concurrency 4]

The load comes from ``wrk`` when it is installed and from a small threaded
Python client (http.client) otherwise; the table says which.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server  # noqa: E402

BENCH_YEAR = 2024  # has goals set for the next year too: the fullest year page
YEAR_BUDGET_RATIO = 3.0
SIZE_BUDGET = 60 * 1024
IMPORT_ITEMS = 10_000
COMMAND = "make bench"  # which runs .venv/bin/python bench/run.py


# Load generation


@dataclass
class Result:
    name: str
    path: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    alone_ms: float = 0.0  # median of requests sent one at a time: the cost of one page

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _python_load(port: int, path: str, headers: dict, seconds: float, concurrency: int):
    """Each thread keeps one http.client connection open as long as the server lets it
    (gunicorn's sync workers close it after each response; it is then reopened)."""
    import http.client

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        mine: list[float] = []
        bad = 0
        conn = http.client.HTTPConnection(server.HOST, port, timeout=30)
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            mine.append(time.perf_counter() - start)
            bad += not ok
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.perf_counter() - started


_WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format('WRK_JSON {"requests": %d, "errors": %d, "duration_us": %d,'
    .. ' "p50_us": %d, "p95_us": %d}\\n', summary.requests, errors, summary.duration,
    latency:percentile(50), latency:percentile(95)))
end
"""


def measure(
    port: int, name: str, path: str, headers: dict, seconds: float, concurrency: int, tmp: Path
) -> Result:
    result = Result(name, path)
    wrk = shutil.which("wrk")
    # A short warm-up: the first requests of each worker fill Django's caches.
    _python_load(port, path, headers, min(1.0, seconds), concurrency)
    alone, _, _ = _python_load(port, path, headers, min(2.0, seconds / 4), 1)
    result.alone_ms = statistics.median(alone) * 1000
    if wrk:
        script = tmp / "report.lua"
        script.write_text(_WRK_SCRIPT)
        command = [wrk, f"-t{min(2, concurrency)}", f"-c{concurrency}", f"-d{int(seconds)}s"]
        command += ["-s", str(script), "--timeout", "30s"]
        for key, value in headers.items():
            command += ["-H", f"{key}: {value}"]
        out = subprocess.run(
            [*command, f"http://{server.HOST}:{port}{path}"],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
        data = json.loads(re.search(r"WRK_JSON (\{.*\})", out).group(1))
        result.requests, result.errors = data["requests"], data["errors"]
        result.seconds = data["duration_us"] / 1e6
        result.median_ms, result.p95_ms = data["p50_us"] / 1000, data["p95_us"] / 1000
        return result
    latencies, errors, elapsed = _python_load(port, path, headers, seconds, concurrency)
    latencies.sort()
    result.requests, result.errors, result.seconds = len(latencies), errors, elapsed
    result.median_ms = statistics.median(latencies) * 1000
    result.p95_ms = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] * 1000
    return result


def load_client() -> str:
    wrk = shutil.which("wrk")
    if not wrk:
        return "Python threads (http.client), one connection each"
    version = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout
    return (version.split("[")[0].strip() or "wrk") + " (2 threads)"


# The account and the pages


def build(size, tmp: Path) -> dict:
    """Seed the account; returns the paths to measure and the session cookie."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from bench import seed
    from reviews.models import Review
    from sharing.models import ShareLink

    started = time.perf_counter()
    user = seed.build_account("bench", size, photo_year=BENCH_YEAR)
    seconds = time.perf_counter() - started
    review = Review.objects.get(owner=user, year=BENCH_YEAR)
    cookie = server.session_cookie(user)
    pages: list[tuple[str, str | None, bool]] = []  # name, path, logged in

    def route(name: str, args=(), query: str = "") -> str | None:
        try:
            return reverse(name, args=args) + query
        except NoReverseMatch:
            return None

    share_path = None
    if route("sharing:share", ["x"]):
        _, token = ShareLink.create_for(review)
        share_path = route("sharing:share", [token])
    pages.append(("year page", route("reviews:year", [BENCH_YEAR]), True))
    pages.append(("compare page", route("reviews:compare", [BENCH_YEAR]), True))
    pages.append(("/library/ (first page)", route("library:list"), True))
    pages.append(("share page", share_path, False))
    pages.append(("bare Django view", "/bench/hello/", False))

    # The static reference: the share page's HTML (the year page's without a share
    # route) as a file in STATIC_ROOT, which whitenoise indexes when gunicorn starts.
    from django.conf import settings

    if share_path:  # as its readers get it: logged out
        html = Client(SERVER_NAME=server.HOST).get(share_path).content
    else:
        client = Client(SERVER_NAME=server.HOST, HTTP_COOKIE=cookie)
        html = client.get(route("reviews:year", [BENCH_YEAR])).content

    static_file = Path(settings.STATIC_ROOT) / "bench" / "reference.html"
    static_file.parent.mkdir(parents=True, exist_ok=True)
    static_file.write_bytes(html)
    what = "share page" if share_path else "year page"
    reference = "/static/bench/reference.html"
    pages.append((f"static file ({what} HTML)", reference, False))
    return {"user": user, "cookie": cookie, "pages": pages, "seed_seconds": seconds}


SECTION_START = re.compile(
    r'<(?:section|details) class="(?:section|prompts)[^"]*"[^>]*?'
    r'(?:id="([\w-]+)"|aria-label="([^"]+)")'
)


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
    # Which part of the page weighs most: each section on its own, compressed.
    marks = [(m.start(), m.group(1) or m.group(2)) for m in SECTION_START.finditer(html)]
    end = html.find("</article>")
    sections = []
    bounds = [*marks, (end if end > 0 else len(html), None)]
    for (start, name), (stop, _) in zip(bounds, bounds[1:], strict=False):
        chunk = html[start:stop].encode()
        sections.append((name, len(chunk), len(gzip.compress(chunk, 6))))
    weight["sections"] = sorted(sections, key=lambda s: -s[2])
    weight["total_gz"] = weight["html_gz"] + sum(size for _, size in weight["assets"])
    return weight


def time_import(tmp: Path) -> tuple[float, str]:
    """Import 10,000 items into a new account: through ``import_data`` when it exists."""
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError, call_command, get_commands

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
    problem = ""
    if "import_data" in get_commands():
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
        try:
            call_command("import_data", "importer", str(path), stdout=io.StringIO())
        except (CommandError, SystemExit) as error:  # a format that changed since: say so
            problem = f"`import_data` refused the benchmark's file ({error}); "
        else:
            elapsed = time.perf_counter() - started
            count = Item.objects.filter(owner__username="importer").count()
            return elapsed, f"`manage.py import_data importer FILE` ({count:,} items in JSON)"
    from django.db import transaction

    from core import markdown

    owner = get_user_model().objects.get(username="importer")
    started = time.perf_counter()
    with transaction.atomic():
        rows = []
        for data in items:
            fields = {k: v for k, v in data.items() if k not in ("started_on", "finished_on")}
            rows.append(
                Item(
                    owner=owner,
                    started_on=_date(data["started_on"]),
                    finished_on=_date(data["finished_on"]),
                    notes_html=markdown.render(data["notes"]),
                    **fields,
                )
            )
        Item.objects.bulk_create(rows, batch_size=1000)
    elapsed = time.perf_counter() - started
    return elapsed, (
        (problem or "no `import_data` command yet: ")
        + "timed the ORM part of an import instead (build 10,000 "
        "`Item`s, render their notes, `bulk_create` in one transaction; no validation)"
    )


def _date(text: str):
    import datetime

    return datetime.date.fromisoformat(text)


# Report


def machine_facts(client: str) -> list[str]:
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
    python = subprocess.run(
        [sys.executable, "--version"], capture_output=True, text=True
    ).stdout.strip()
    gunicorn = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--version"], capture_output=True, text=True
    ).stdout.strip()
    return [
        f"- `nproc`: {nproc or os.cpu_count()}{f' ({cpu})' if cpu else ''}",
        f"- `python --version`: {python}; Django {django.get_version()}; SQLite "
        f"{sqlite3.sqlite_version}; {gunicorn or 'gunicorn'}",
        f"- OS: {platform.platform()}",
        f"- load: {client}; the client shares the CPUs with the server",
    ]


def report(results: list[Result], skipped: list[str]) -> str:
    static = next((r for r in results if r.name.startswith("static file")), None)
    base = static.median_ms if static and static.requests else None
    lines = [
        "| page | path | requests | errors | median ms | p95 ms | req/s | median ÷ static"
        " | alone ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        ratio = f"{r.median_ms / base:.1f}×" if base else "–"
        path = re.sub(r"/s/[^/]+/", "/s/<token>/", r.path)
        lines.append(
            f"| {r.name} | `{path}` | {r.requests:,} | {r.errors} | {r.median_ms:.2f} | "
            f"{r.p95_ms:.2f} | {r.rps:,.0f} | {ratio} | {r.alone_ms:.2f} |"
        )
    for note in skipped:
        lines.append(f"| {note} | – | – | – | – | – | – | skipped | – |")
    return "\n".join(lines)


def budgets(
    results: list[Result], weight: dict | None, import_seconds: float, import_how: str
) -> list[str]:
    out = []
    year = next((r for r in results if r.name == "year page"), None)
    static = next((r for r in results if r.name.startswith("static file")), None)
    if year and static and static.median_ms:
        ratio = year.median_ms / static.median_ms
        verdict = "holds" if ratio <= YEAR_BUDGET_RATIO else "DOES NOT HOLD"
        out.append(
            f"- Year page median within {YEAR_BUDGET_RATIO:.0f}× the static file: "
            f"{year.median_ms:.1f} ms vs {static.median_ms:.2f} ms = {ratio:.1f}× — **{verdict}**"
        )
    if weight:
        verdict = "holds" if weight["total_gz"] <= SIZE_BUDGET else "DOES NOT HOLD"
        out.append(
            f"- Year page HTML + CSS + JS under 60 KB compressed: "
            f"{weight['total_gz'] / 1024:.1f} KB — **{verdict}**"
        )
    verdict = "holds" if import_seconds < 5 else "does not hold"
    if "ORM part" in import_how:
        verdict += " for the ORM part only (no import command yet)"
    out.append(
        f"- Import of 10,000 items under 5 s (measured, not asserted): {import_seconds:.2f} s"
        f" — {verdict}"
    )
    return out


def weight_table(weight: dict) -> str:
    lines = [
        "| part | bytes | gzip bytes |",
        "| --- | ---: | ---: |",
        f"| HTML | {weight['html_raw']:,} | {weight['html_gz']:,} |",
    ]
    for asset, size in weight["assets"]:
        name = re.sub(r"\.[0-9a-f]{12}\.", ".", asset)
        lines.append(f"| `{name}` | – | {size:,} |")
    lines.append(f"| **total** | | **{weight['total_gz']:,}** |")
    lines += ["", "Sections of the HTML, each compressed on its own (largest first):", ""]
    lines += ["| section | bytes | gzip bytes |", "| --- | ---: | ---: |"]
    for name, raw, gz in weight["sections"]:
        lines.append(f"| {name} | {raw:,} | {gz:,} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8, help="load per page (default 8)")
    parser.add_argument("--concurrency", type=int, default=4, help="parallel clients (4)")
    parser.add_argument("--years", type=int, default=20, help="years in the account (20)")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/performance.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if args.years < 2:
        parser.error(f"--years must be at least 2: the pages measured are {BENCH_YEAR}'s")

    tmp = Path(tempfile.mkdtemp(prefix="almanac-bench-"))
    env = server.production_env(tmp)
    server.setup_django(env)
    from bench.seed import Size

    size = Size(years=args.years, last_year=BENCH_YEAR + 1)
    client = load_client()
    wall = time.perf_counter()
    try:
        print(f"Building the account ({size.years} years) in {tmp} …", flush=True)
        server.prepare_database_and_static()
        built = build(size, tmp)
        print(f"  seeded in {built['seed_seconds']:.1f} s", flush=True)
        results, skipped = [], []
        weight = None
        with server.Gunicorn(env, tmp / "gunicorn.log") as gunicorn:
            print(f"gunicorn on {gunicorn.url}; load: {client}", flush=True)
            for name, path, logged_in in built["pages"]:
                if path is None:
                    skipped.append(f"{name} (route not registered yet)")
                    print(f"  {name}: skipped, the route does not exist yet", flush=True)
                    continue
                headers = {"Cookie": built["cookie"]} if logged_in else {}
                status, _, _ = server.get(gunicorn.port, path, headers)
                if status != 200:
                    skipped.append(f"{name} (answered {status})")
                    print(f"  {name}: skipped, {path} answered {status}", flush=True)
                    continue
                result = measure(
                    gunicorn.port, name, path, headers, args.seconds, args.concurrency, tmp
                )
                results.append(result)
                print(
                    f"  {name:30} median {result.median_ms:7.2f} ms  p95 {result.p95_ms:7.2f} ms"
                    f"  {result.rps:6.0f} req/s  alone {result.alone_ms:7.2f} ms"
                    f"  ({result.requests} requests, {result.errors} errors)",
                    flush=True,
                )
            year_path = next(p for n, p, _ in built["pages"] if n == "year page")
            weight = page_weight(gunicorn.port, year_path, built["cookie"])
        import_seconds, import_how = time_import(tmp)
        print(f"Import of {IMPORT_ITEMS:,} items: {import_seconds:.2f} s ({import_how})")
        table = report(results, skipped)
        checks = budgets(results, weight, import_seconds, import_how)
        print()
        print(table)
        print()
        print(weight_table(weight))
        print()
        print("\n".join(checks))
        elapsed = time.perf_counter() - wall
        if not args.no_doc:
            server.write_doc_section(
                "bench",
                _doc(args, size, built, table, weight, checks, import_seconds, import_how, client),
            )
            print(f"\nWrote {server.DOC.relative_to(server.ROOT)} ({elapsed:.0f} s in all).")
        return 0
    finally:
        if args.keep:
            print(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _doc(args, size, built, table, weight, checks, import_seconds, import_how, client) -> str:
    per_year = (
        f"{size.entries} timeline entries with Markdown bodies, {size.moves} career moves, "
        f"{size.items} library items and {size.goals} goals a year"
    )
    return "\n".join(
        [
            "## Benchmark (`make bench`)",
            "",
            f"Run on {time.strftime('%Y-%m-%d')} with `{COMMAND}` (that is,"
            f" `.venv/bin/python bench/run.py --seconds {args.seconds:g}"
            f" --concurrency {args.concurrency} --years {args.years}`).",
            "",
            f"The account: {size.years} years ({size.first_year}–{size.last_year}), each with"
            f" a review, {per_year}, plus {size.photos} photos on {BENCH_YEAR}'s entries."
            f" Pages are those of {BENCH_YEAR}. gunicorn, 2 sync workers, `DJANGO_DEBUG=0`,"
            " SQLite, on 127.0.0.1; each page is loaded for a fixed time after a 1 s warm-up,"
            f" {args.concurrency} requests in flight. Logged-in pages carry a session cookie.",
            "",
            *server_facts(client),
            "",
            table,
            "",
            f"*median, p95, req/s*: under load ({args.concurrency} requests in flight against"
            " 2 workers, so a request usually waits for another one); *alone*: the median of"
            " requests sent one at a time, the cost of one page. The machine may be shared:"
            " compare ratios, not absolute times, between runs.",
            "",
            "### Budgets",
            "",
            *checks,
            "",
            f"Import: {IMPORT_ITEMS:,} items in {import_seconds:.2f} s — {import_how}.",
            "",
            f"### Weight of the year page ({BENCH_YEAR}, large account)",
            "",
            "gzip level 6 for the HTML (Django does not compress; a proxy would); CSS and JS"
            " as whitenoise serves them to a browser that accepts gzip. Photos excluded.",
            "",
            weight_table(weight),
        ]
    )


def server_facts(client: str) -> list[str]:
    return ["Machine:", "", *machine_facts(client)]


if __name__ == "__main__":
    raise SystemExit(main())
