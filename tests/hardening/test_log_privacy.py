"""No customer email or street address reaches the services' logs (INFO and above).

A conversation identifies two customers, makes a return and changes an address; then
everything the three services have logged since the suite started them (this test and any
before it, through the same stack) must contain neither the emails nor the addresses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hardening_client import new_client, new_sender, rest_send, texts

pytestmark = pytest.mark.slow

MARIE = "marie.tremblay@exemple.ca"
SOPHIE = "sophie.martin@exemple.com"
RETURN_REQUEST = "je voudrais retourner ma commande AZ104204"
ADDRESS_REQUEST = "je dois changer l'adresse de la commande AZ104201"
NEW_ADDRESS = "4500 rue Saint-Denis, Montréal QC H2J 2L3"
PERSONAL_DATA = [
    MARIE,
    SOPHIE,
    "marie.tremblay",
    "sophie.martin",
    "4500 rue Saint-Denis",
    "H2J 2L3",
    "1200 rue Sainte-Catherine",  # AZ104201's shipping address, shown to Marie
    "H3B 1K9",
    "350 5th Ave",  # AZ104204's
]


def service_logs(log_dir: Path) -> dict[str, str]:
    return {
        path.stem: path.read_bytes().decode("utf-8", errors="replace")
        for path in sorted(log_dir.glob("*.log"))
    }


def say(assistant, sender: str, client: dict, *messages: str) -> str:
    return " ".join(" ".join(texts(rest_send(assistant, sender, m, client))) for m in messages)


def test_emails_and_addresses_stay_out_of_the_service_logs(assistant):
    client = new_client()

    returned = say(assistant, new_sender(), client, RETURN_REQUEST, SOPHIE, "oui")
    moved = say(assistant, new_sender(), client, ADDRESS_REQUEST, MARIE, NEW_ADDRESS, "oui")
    logs = service_logs(assistant.stack.log_dir)

    assert "RA-104204" in returned and "AD-104201" in moved  # the flows really ran
    assert logs.get("actions") and logs.get("rasa")  # the right files, with start-up lines
    leaked = {
        service: [data for data in PERSONAL_DATA if data.lower() in text.lower()]
        for service, text in logs.items()
    }
    assert leaked == {service: [] for service in logs}
