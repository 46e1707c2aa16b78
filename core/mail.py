"""Mail in development: printed in the terminal as a person reads it.

Django's console backend prints the message as it would travel, so a line
longer than 78 characters turns the body into quoted-printable (the reset
link broken over two lines with ``=``) and any Chinese turns it into base64:
the link cannot be copied. This one prints the headers decoded and the text
as text.
"""

from __future__ import annotations

from django.core.mail.backends.console import EmailBackend

HEADERS = ("Subject", "From", "To", "Cc", "Date")


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message) -> None:
        msg = message.message()
        for name in HEADERS:
            if msg[name] is not None:
                self.stream.write(f"{name}: {msg[name]}\n")
        body = msg.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        self.stream.write(f"\n{text.rstrip()}\n")
        self.stream.write("-" * 79 + "\n")
