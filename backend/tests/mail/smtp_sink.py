"""A real SMTP receiver for the tests (aiosmtpd): mail the server sends lands in a directory.

    smtp_sink.py DIR [PORT] [--until-killed]

Listens on 127.0.0.1 (PORT, or one the system picks), prints the port on its first line,
and writes each message it receives to DIR as NNNNN.json ({"to", "from", "subject",
"text"}) beside the raw NNNNN.eml. Stops when its standard input closes, so it never
outlives the test process that started it; with --until-killed, only when killed (the
browser tests' runner starts it with no standard input and stops it at the end).
"""

import asyncio
import email
import email.policy
import json
import os
import sys
import threading

from aiosmtpd.smtp import SMTP


class Store:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        self.count += 1
        stem = os.path.join(self.directory, f"{self.count:05}")
        with open(stem + ".eml", "wb") as f:
            f.write(envelope.content)
        record = {
            "to": list(envelope.rcpt_tos),
            "from": envelope.mail_from,
            "subject": str(message["subject"]),
            "text": body.get_content() if body is not None else "",
        }
        # Written whole, then renamed: a reader never sees half a file.
        with open(stem + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(stem + ".tmp", stem + ".json")
        return "250 Message accepted for delivery"


async def main():
    args = [a for a in sys.argv[1:] if a != "--until-killed"]
    directory = args[0]
    port = int(args[1]) if len(args) > 1 else 0
    os.makedirs(directory, exist_ok=True)
    store = Store(directory)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(store), "127.0.0.1", port)
    print(server.sockets[0].getsockname()[1], flush=True)
    done = asyncio.Event()

    def wait_for_eof():
        sys.stdin.read()
        loop.call_soon_threadsafe(done.set)

    if "--until-killed" not in sys.argv:
        threading.Thread(target=wait_for_eof, daemon=True).start()
    await done.wait()
    server.close()


asyncio.run(main())
