"""Nobody at work: outside the opening hours the customer is told when to expect an answer, and
the conversation's summary is emailed to the support address through a real SMTP server
(aiosmtpd, started here) by the real action server.

The session stack's hours include the frozen test time (a Wednesday, noon); this module starts
its own stack whose team works only on weekends."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import requests
from smtp_mailbox import Mailbox, running_mailbox
from stacks import demo_shop, stack_config
from support import joined

from tools.launcher import Stack

pytestmark = pytest.mark.slow

MARIE = "marie.tremblay@exemple.ca"


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    """The module's stack sends to one mailbox for all its tests."""
    with running_mailbox() as mailbox:
        yield mailbox


@pytest.fixture(scope="module")
def weekend_stack(trained_model, tmp_path_factory, mailbox) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("after-hours")
    environment = {
        "ALLYZURE_DATABASE_URL": demo_shop(workdir),
        "ALLYZURE_SUPPORT_HOURS": "sat-sun 10:00-16:00",
        "ALLYZURE_SMTP_HOST": "127.0.0.1",
        "ALLYZURE_SMTP_PORT": str(mailbox.port),
        "ALLYZURE_SUPPORT_EMAIL": "conseillers@allyzure.com",
    }
    config = stack_config(trained_model, workdir, environment, web=False)
    with Stack(config, log_dir=workdir / "logs"):
        yield config.rasa_url


def say(rasa_url: str, sender: str, text: str) -> str:
    response = requests.post(
        f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
    )
    response.raise_for_status()
    return joined([reply["text"] for reply in response.json() if "text" in reply])


def test_outside_opening_hours_the_summary_is_emailed_and_the_customer_told_when(
    weekend_stack, mailbox
):
    sender = f"test-{secrets.token_hex(6)}"
    say(weekend_stack, sender, "Où en est ma commande AZ104203 ?")
    say(weekend_stack, sender, MARIE)

    answer = say(weekend_stack, sender, "Je veux parler à un conseiller")

    assert "notre équipe n’est pas disponible en ce moment" in answer
    assert "à partir du samedi 28 novembre 2026 à 10 h 00 (heure de l’Est)" in answer
    [email] = mailbox.messages
    assert email["To"] == "conseillers@allyzure.com"
    assert email["Reply-To"] == MARIE
    assert "AG-104203" in email["Subject"]
    body = email.get_payload(decode=True).decode("utf-8")
    assert "Commande vérifiée : AZ104203" in body.replace("\u00a0", " ")
    assert "Je veux parler à un conseiller" in body
    assert "samedi 28 novembre 2026" in body
