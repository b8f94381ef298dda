"""A real SMTP server for the web app's e-mail tests (crates/aftercare-web/tests/api/mail.rs).

Usage: python3 smtp_sink.py PORT

Listens on 127.0.0.1:PORT with PyPI aiosmtpd, prints READY once it accepts connections, then one
JSON line per message it accepts (envelope, then subject, Message-ID, text and HTML bodies as the
standard library's e-mail parser decodes them, and the raw message), flushed before the server
answers 250, so a message the app saw accepted is already on stdout. Stops when stdin closes.
"""

import email
import email.policy
import json
import sys

from aiosmtpd.controller import Controller


class Sink:
    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        line = json.dumps(
            {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "subject": str(message["subject"]),
                "message_id": str(message["message-id"]),
                "text": text.get_content() if text is not None else None,
                "html": html.get_content() if html is not None else None,
                "raw": raw.decode("utf-8", "replace"),
            }
        )
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        return "250 Message accepted for delivery"


def main():
    port = int(sys.argv[1])
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    print("READY", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
