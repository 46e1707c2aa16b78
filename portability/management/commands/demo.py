"""``manage.py demo``: a fictional user, ``demo``, with three years of reviews.

林晓 (Lin Xiao) is an invented backend engineer: 2023 at 青岚数据 (Qinglan Data),
2024 through its acquisition by Northwind Labs, 2025 at a small start-up,
Larkspur Works, and goals set for 2026. Every person, company, book, paper,
talk and project in it is made up; every link points at example.com.

The account's data is a backup in ``portability/demo/``: ``data.json`` in the
interchange format (version 2: each year one document, whose embeds name rows
by the keys the file gives them) and ``almanac.json`` for what the format has
no room for (carried-over goals). Both are exactly what ``export_data demo -o FILE.zip``
writes, so the way to change them is to edit the account and export it again
(a test holds them to that). They are loaded through the importer, in the
same transaction that creates the user; an existing ``demo`` user is left as
it is, so running the command twice changes nothing.

The login address it prints is the one given with ``--address`` (``make run``
passes the host and port it serves on); without it, only the path is printed,
since the command cannot know where a server listens.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from portability.interchange import import_data

DATA = Path(__file__).resolve().parents[2] / "demo"
USERNAME = "demo"
PASSWORD = "demo-almanac-2025"
USER = {"email": "demo@example.com", "first_name": "林晓"}
# A server bound to every address is reached on this machine through loopback.
LOOPBACK = {"0.0.0.0": "127.0.0.1", "::": "::1", "0": "127.0.0.1"}


def base_url(address: str) -> str:
    """``http://host:port`` for runserver's ``host:port`` (or a bare port)."""
    host, sep, port = address.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", address
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"--address must be HOST:PORT (e.g. 127.0.0.1:8000), not {address!r}.")
    host = LOOPBACK.get(host, host)
    try:
        if ipaddress.ip_address(host).version == 6:
            host = f"[{host}]"
    except ValueError:
        pass  # a name such as localhost
    return f"http://{host}:{port}"


def load(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


class Command(BaseCommand):
    help = "Create the fictional user 'demo' and three years of its reviews, once."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when the database has no user at all (what `make run` uses).",
        )
        parser.add_argument(
            "--address",
            help="HOST:PORT the server listens on, to print the login address "
            "(without it, only the path is printed).",
        )

    def handle(self, *args, **options) -> None:
        path = reverse("login")
        if options["address"]:
            where = f"log in at {base_url(options['address'])}{path}"
        else:
            where = f"log in at {path} on the address your server listens on"
        login = f"Demo account ready: user {USERNAME}, password {PASSWORD} — {where}"
        User = get_user_model()
        if options["if_empty"] and User.objects.exists():
            if User.objects.filter(username=USERNAME).exists():
                self.stdout.write(login)
            else:
                self.stdout.write("The database has users already; no demo account was added.")
            return
        if User.objects.filter(username=USERNAME).exists():
            # Someone's account, or the demo as its visitors left it: neither is refilled.
            self.stdout.write("The demo account already exists; nothing changed.")
            self.stdout.write(login)
            return
        with transaction.atomic():
            user = User.objects.create_user(USERNAME, password=PASSWORD, **USER)
            report = import_data(user, load("data.json"), extensions=load("almanac.json"))
            if report.problems:
                problems = "\n".join(map(str, report.problems))
                raise CommandError(f"The demo data does not import:\n{problems}")
        self.stdout.write(self.style.SUCCESS(login))
