"""A message naming only a line of the order (« les boucles », « celle en or ») continues the
conversation's flow about lines, whatever intent its words classify as: after the return
answer, « les boucles » says which line to return, it does not start a warranty claim."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action
from actions import slots
from actions.conversation import ActionFallback
from actions.details import names_only_an_item
from actions.returns import ActionReturnItem
from actions.warranty import ActionWarrantyClaim

SOPHIE = {slots.VERIFIED_ORDER: "AZ104204", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}


def item(value: str, role: str | None = None) -> dict:
    return {"entity": "item", "value": value, **({"role": role} if role else {})}


@pytest.mark.parametrize(
    ("text", "found", "only_an_item"),
    [
        ("les boucles", [item("boucle")], True),
        ("juste les boucles d'oreilles svp", [item("boucle oreille")], True),
        ("celle en perles", [item("perle")], True),
        ("les boucles sont arrivées cassées", [item("boucle"), {"entity": "reason"}], False),
        ("les boucles, c'est couvert ?", [item("boucle")], False),
        ("merci beaucoup", [item("merci", "words")], False),
        ("AZ104204", [{"entity": "order_number", "value": "AZ104204"}], False),
        (
            "je voudrais savoir si les boucles d'oreilles en perles sont encore garanties",
            [item("boucle oreille perle")],
            False,
        ),
    ],
)
def test_a_message_names_only_an_item_when_it_says_nothing_else(text, found, only_an_item):
    assert names_only_an_item({"text": text, "entities": found}) is only_an_item


def test_a_line_named_after_the_return_answer_continues_the_return(shop):
    assert ActionReturnItem().name() == "action_return_item"  # the flow registry knows it
    tracker = make_tracker(
        "les boucles", intent="warranty_claim", slots={**SOPHIE, slots.TOPIC: "return_item"}
    )

    messages, events = run_action(ActionWarrantyClaim(), tracker)

    assert "utter_return_eligible" in responses(messages)
    assert not any(name.startswith("utter_warranty") for name in responses(messages))
    assert {"event": "slot", "name": slots.TOPIC, "value": "return_item", "timestamp": None} in (
        events
    )


@pytest.mark.parametrize(
    "topic", [None, "track_order", "warranty_claim"], ids=["no topic", "tracking", "same flow"]
)
def test_a_line_named_outside_a_flow_about_lines_is_read_as_classified(shop, topic):
    tracker = make_tracker(
        "les boucles", intent="warranty_claim", slots={**SOPHIE, slots.TOPIC: topic}
    )

    messages, _ = run_action(ActionWarrantyClaim(), tracker)

    assert any(name.startswith("utter_warranty") for name in responses(messages))
    assert "utter_return_eligible" not in responses(messages)


def test_a_line_named_in_words_the_classifier_cannot_place_still_continues_the_return(shop):
    tracker = make_tracker(
        "les boucles", intent="nlu_fallback", slots={**SOPHIE, slots.TOPIC: "return_item"}
    )

    messages, _ = run_action(ActionFallback(), tracker)

    assert "utter_return_eligible" in responses(messages)
    assert "utter_please_rephrase" not in responses(messages)
