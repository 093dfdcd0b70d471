"""The scripted French conversation every virtual customer plays, and how answers are checked.

A turn is wrong when its reply misses the words its step must contain, or names an order
number other than the customer's own (another customer's data would be a serious bug).
Checks are substring tests on the joined reply texts: cheap enough to run on every turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bench.fixture import BenchCustomer

ORDER_NUMBER = re.compile(r"\bAZ\d{6}\b")
# The example the assistant gives when it asks for an order number (domain.yml): nobody's order.
EXAMPLE_ORDER_NUMBER = "AZ104233"
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "’": "'"})

# The return deadline of every bench order: delivered on 20 November 2026 (BENCH_NOW − 5 days),
# returnable for 30 days, the last one included.
RETURN_DEADLINE = "20 décembre 2026"


@dataclass(frozen=True)
class Step:
    """One customer message (may use {order_number}, {email}) and what its reply must say."""

    name: str
    message: str
    expects: tuple[str, ...]


SCRIPT: tuple[Step, ...] = (
    Step("greet", "Bonjour", ("Allyzure",)),
    Step("ask_tracking", "je voudrais suivre ma commande", ("numéro de commande",)),
    Step("order_number", "c'est la {order_number}", ("courriel",)),
    Step("email", "{email}", ("{order_number}", "Livré", "{first_name}")),
    Step("return", "je voudrais la retourner", ("{order_number}", RETURN_DEADLINE)),
    Step("decline", "non merci, pas maintenant", ("je ne fais rien",)),
    Step("thanks", "merci beaucoup", ("plaisir",)),
    Step("goodbye", "au revoir", ("Merci d'avoir écrit",)),
)


@dataclass(frozen=True)
class Turn:
    step: str
    message: str
    expects: tuple[str, ...]


def turns_for(customer: BenchCustomer, script: tuple[Step, ...] = SCRIPT) -> list[Turn]:
    """The script with the customer's own order number, email and first name filled in."""
    values = {
        "order_number": customer.order_number,
        "email": customer.email,
        "first_name": customer.first_name,
    }
    return [
        Turn(
            step=step.name,
            message=step.message.format(**values),
            expects=tuple(expected.format(**values) for expected in step.expects),
        )
        for step in script
    ]


def reply_texts(replies: object) -> list[str]:
    """The texts of a REST channel answer (a list of messages); anything else has none."""
    if not isinstance(replies, list):
        return []
    return [reply["text"] for reply in replies if isinstance(reply, dict) and reply.get("text")]


def answer_error(texts: list[str], turn: Turn, customer: BenchCustomer) -> str | None:
    """Why the reply is wrong for this turn, or None when it is right."""
    if not texts:
        return "empty reply"
    joined = "\n".join(texts).translate(_SPACES)
    foreign = set(ORDER_NUMBER.findall(joined)) - {customer.order_number, EXAMPLE_ORDER_NUMBER}
    if foreign:
        return f"another customer's order in the reply: {', '.join(sorted(foreign))}"
    missing = [expected for expected in turn.expects if expected.translate(_SPACES) not in joined]
    if missing:
        return f"reply of step {turn.step} lacks {missing!r}"
    return None
