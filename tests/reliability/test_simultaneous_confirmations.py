"""Twenty conversations on two Rasa and two action servers confirm the same write on the same
order at the same instant (issue 19, defect 1, over REST on the production profile): one
request is written, and all twenty customers are given its reference."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from support import joined, shop_service_on

from .conftest import crowd_order

CONVERSATIONS = 20
MARIE = "marie.tremblay@exemple.ca"
JULIEN = "jdupont@exemple.fr"


@dataclass(frozen=True)
class Write:
    """A write use case: the request, then the email and any details the flow asks for, the
    decisive message, what it writes, and whether the one who made the write is told its
    reference (a cancellation says « C’est fait », the later ones « déjà faite », with the
    reference)."""

    request: str
    order: str
    email: str
    decisive: str
    kind: str
    reference_prefix: str
    winner_told_reference: bool = True
    details: tuple[str, ...] = ()


def crowd_write(index: int, request: str, kind: str, prefix: str) -> Write:
    number, email = crowd_order(index)
    return Write(f"{request} {number}", number, email, "oui", kind, prefix)


WRITES = {
    "cancellation": Write(
        "je veux annuler ma commande AZ104201", "AZ104201", MARIE, "oui", "cancellation", "AN",
        winner_told_reference=False,
    ),
    "address change": Write(
        "je dois changer l'adresse de la commande AZ104202", "AZ104202", JULIEN,
        "oui", "address_change", "AD",
        details=("4500 rue Saint-Denis, Montréal QC H2J 2L3",),
    ),
    "return": crowd_write(21, "je voudrais retourner ma commande", "return", "RA"),
    "exchange": crowd_write(22, "je voudrais échanger ma commande", "exchange", "EC"),
    "warranty claim": crowd_write(
        23, "le fermoir de mon bracelet est cassé, commande", "warranty_claim", "GA"
    ),
    "wrong item case": crowd_write(24, "j'ai reçu le mauvais article", "wrong_item", "AE"),
    "missing parcel case": crowd_write(
        25, "mon colis est marqué livré mais rien reçu", "missing_parcel", "CM"
    ),
}  # fmt: skip


def in_parallel(function, items: list) -> list:
    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(function, items))


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES)
def test_twenty_simultaneous_confirmations_write_once_and_all_get_the_reference(
    production, monkeypatch, write
):
    assistant = production.running
    senders = [f"simultaneous-{write.kind}-{index:02d}" for index in range(CONVERSATIONS)]

    def prepare(sender: str) -> str:
        assistant.texts(sender, write.request)
        last_question = joined(assistant.texts(sender, write.email))
        for detail in write.details:
            last_question = joined(assistant.texts(sender, detail))
        return last_question

    questions = in_parallel(prepare, senders)
    start = threading.Barrier(CONVERSATIONS)

    def decide(sender: str) -> str:
        start.wait(timeout=60)
        return joined(assistant.texts(sender, write.decisive))

    answers = in_parallel(decide, senders)
    shop = shop_service_on(assistant.database_url, monkeypatch)
    requests = shop.order_summary(write.order, write.email).requests
    kinds = [request.kind.value for request in requests]
    pattern = re.compile(rf"\b{write.reference_prefix}-{write.order[2:]}-\d+\b")
    references = [set(pattern.findall(answer)) for answer in answers]

    told_done = [answer for answer, found in zip(answers, references, strict=True) if not found]

    assert all(questions), questions
    assert kinds.count(write.kind) == 1
    assert len(set.union(*references)) == 1  # everyone was given the same request
    assert all(len(found) <= 1 for found in references), answers
    if write.winner_told_reference:
        assert told_done == [], answers
    else:
        assert len(told_done) == 1 and "C’est fait" in told_done[0], answers
