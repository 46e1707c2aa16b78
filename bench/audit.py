"""``make audit``: Lighthouse on the demo account's year page and on its share page.

Loads ``manage.py demo`` into a fresh SQLite database in a temporary folder,
serves it with gunicorn on 127.0.0.1 (production settings over plain HTTP),
makes a share link, and runs Lighthouse 12 with Debian's Chromium, headless,
on the year page (logged in: the session cookie goes in ``--extra-headers``)
and on the share page (logged out). Prints the four category scores with
every audit that cost points, and writes them to docs/performance.md.

    make audit        # installs lighthouse and axe-core into ./node_modules first

axe-core is run by the browser test tests/browser/test_axe.py, not here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server  # noqa: E402

CHROME = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run --disable-quic"
    " --disable-dev-shm-usage"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
COMMAND = "make audit"  # npm i lighthouse and axe-core if missing, then bench/audit.py

# Audits that contradict a decision made on purpose, and why.
BY_DESIGN = {
    ("share page", "is-crawlable"): (
        'the share page is `noindex, nofollow` by design (a `<meta name="robots">` and an'
        " `X-Robots-Tag` header): it is a private capability link, and search engines must"
        " not list it. Lighthouse's SEO category scores that as a failure of"
        ' "Page isn\'t blocked from indexing"; everything else in the category is met.'
    ),
}


def lighthouse_bin() -> Path:
    path = server.ROOT / "node_modules" / ".bin" / "lighthouse"
    if not path.exists():
        raise SystemExit(
            "Lighthouse is not installed: run `make audit`, or"
            " `npm i -E --no-save --no-audit --no-fund lighthouse@12.2.3 axe-core@4.14.1`"
        )
    return path


def run_lighthouse(url: str, out: Path, headers: dict[str, str] | None = None) -> dict:
    command = [
        str(lighthouse_bin()),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    if headers:
        command.append(f"--extra-headers={json.dumps(headers)}")
    env = {**os.environ, "CHROME_PATH": CHROME}
    subprocess.run(command, cwd=server.ROOT, env=env, check=True, timeout=240)
    return json.loads(out.read_text(encoding="utf-8"))


def summarize(name: str, report: dict) -> dict:
    """Scores out of 100, and the audits that lost points in each category."""
    scores, lost = {}, {}
    for key in CATEGORIES:
        category = report["categories"][key]
        scores[key] = round((category["score"] or 0) * 100)
        failing = []
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            scored = audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
            score = audit.get("score")
            if ref.get("weight", 0) and scored and score is not None and score < 1:
                value = audit.get("displayValue", "") or _nodes(audit)
                failing.append((ref["id"], audit["title"], value))
        lost[key] = failing
    return {"name": name, "scores": scores, "lost": lost}


def _nodes(audit: dict, limit: int = 4) -> str:
    """The elements an accessibility audit flagged, as CSS selectors."""
    items = (audit.get("details") or {}).get("items") or []
    selectors = [item["node"]["selector"] for item in items if "node" in item]
    if not selectors:
        return ""
    more = f" and {len(selectors) - limit} more" if len(selectors) > limit else ""
    return ", ".join(f"`{s}`" for s in selectors[:limit]) + more


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=Path, help="also keep Lighthouse's JSON reports here")
    args = parser.parse_args(argv)
    if not Path(CHROME).exists():
        raise SystemExit(f"{CHROME} is missing: apt-get install -y chromium")
    lighthouse_bin()
    tmp = Path(tempfile.mkdtemp(prefix="almanac-audit-"))
    env = server.production_env(tmp)
    server.setup_django(env)
    try:
        server.prepare_database_and_static()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.urls import reverse

        from reviews.models import Review
        from sharing.models import ShareLink

        call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        user = get_user_model().objects.get(username="demo")
        review = Review.objects.filter(owner=user).order_by("-year").first()
        _, token = ShareLink.create_for(review)
        cookie = server.session_cookie(user)
        results = []
        with server.Gunicorn(env, tmp / "gunicorn.log") as gunicorn:
            pages = [
                ("year page", reverse("reviews:year", args=[review.year]), {"Cookie": cookie}),
                ("share page", reverse("sharing:share", args=[token]), None),
            ]
            for name, path, headers in pages:
                print(f"Lighthouse: {name} …", flush=True)
                report = run_lighthouse(gunicorn.url + path, tmp / f"{len(results)}.json", headers)
                results.append(summarize(name, report) | {"path": path})
                version = report.get("lighthouseVersion", "")
                if args.reports:
                    args.reports.mkdir(parents=True, exist_ok=True)
                    target = args.reports / f"lighthouse-{name.replace(' ', '-')}.json"
                    target.write_text(json.dumps(report, indent=1), encoding="utf-8")
        text = _doc(results, review.year, version)
        print()
        print(text)
        server.write_doc_section("audit", text)
        print(f"\nWrote {server.DOC.relative_to(server.ROOT)}.")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _doc(results: list[dict], year: int, version: str) -> str:
    lines = [
        "## Audits (`make audit`)",
        "",
        f"Run on {time.strftime('%Y-%m-%d')} with `{COMMAND}`: Lighthouse {version} (default"
        " mobile settings, simulated throttling), Chromium headless, against gunicorn on"
        f" 127.0.0.1 serving the demo account (`manage.py demo`), year {year}; the year page"
        " logged in (session cookie), the share page logged out.",
        "",
        "| page | Performance | Accessibility | Best Practices | SEO |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        s = result["scores"]
        lines.append(
            f"| {result['name']} | {s['performance']} | {s['accessibility']} |"
            f" {s['best-practices']} | {s['seo']} |"
        )
    lines += ["", "Audits that cost points:", ""]
    any_lost = False
    for result in results:
        for category, failing in result["lost"].items():
            for audit_id, title, value in failing:
                any_lost = True
                why = BY_DESIGN.get((result["name"], audit_id))
                detail = f" ({value})" if value else ""
                note = f" — by design: {why}" if why else ""
                lines.append(f"- {result['name']}, {category}: `{audit_id}` {title}{detail}{note}")
    if not any_lost:
        lines.append("- none")
    lines += [
        "",
        "The year page is private (it needs a login), so its SEO score is informative only;"
        " the issue's SEO target is the share page's, where the only audit that can fail is"
        " the one that checks the page may be indexed — and it must not be.",
        "",
        "axe-core (zero violations on every page) is checked by `tests/browser/test_axe.py`,"
        " which runs in `make test` whenever `node_modules/axe-core` is present.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
