"""A real SMTP server (aiosmtpd) on a free local port that keeps every message it receives:
where the after-hours handoff emails go in the tests (importable as `smtp_mailbox`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message as Email

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from tools.launcher import free_port


class Mailbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Email] = []
        self.port = 0

    def handle_message(self, message: Email) -> None:
        self.messages.append(message)


@contextmanager
def running_mailbox() -> Iterator[Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    mailbox.port = controller.port
    try:
        yield mailbox
    finally:
        controller.stop()
