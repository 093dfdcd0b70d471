"""Wrong item received: apology, shop-paid return, expedited replacement, a case on confirmation.

The case is about the lines the customer names (« le collier a le mauvais prénom »), or the
order as a whole when they name none; a phrase fitting several lines gets the question which.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import cues
from actions.base import (
    Identity,
    OrderBoundAction,
    announce_request,
    ask_confirmation,
    is_preview,
    note_the_wish_and_ask_again,
    report_facts,
)
from actions.details import chosen_skus, flow_messages, stated_preference
from actions.outcomes import ask_which_line
from actions.values import enumeration
from backend.domain import RequestKind
from backend.services import ShopService

FLOW_INTENT = "wrong_item"
CASE_OFFER = "action_wrong_item"
# « je préfère être remboursée plutôt que de recevoir le bon » : noted with the case, for the
# team to decide; the right piece is what the FAQ promises.
PREFERENCE_RESPONSES = {
    "refund": "utter_wrong_item_preference_refund",
    "store_credit": "utter_wrong_item_preference_store_credit",
}


def preference_stated_while_the_case_is_offered(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """« je préférerais être remboursée » while « j'ouvre le dossier ? » waits: noted (it goes
    with the case) and the question asked again, instead of the returns refund process."""
    return note_the_wish_and_ask_again(
        dispatcher, tracker, CASE_OFFER, PREFERENCE_RESPONSES, "utter_confirm_wrong_item_case"
    )


def wrong_lines(
    tracker: Tracker, service: ShopService, identity: Identity
) -> tuple[list[str] | None, list[str]]:
    """(SKUs of the lines the customer named, None for the order as a whole; the candidate
    line names when what they named fits several lines)."""
    every_line = service.check_wrong_item(identity.order_number, identity.email).lines
    return chosen_skus(tracker, FLOW_INTENT, every_line)


class ActionWrongItem(OrderBoundAction):
    request_kind = RequestKind.WRONG_ITEM

    def name(self) -> str:
        return "action_wrong_item"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        whole_order = service.check_wrong_item(identity.order_number, identity.email)
        skus, candidates = chosen_skus(tracker, FLOW_INTENT, whole_order.lines)
        if candidates:
            return ask_which_line(dispatcher, FLOW_INTENT, candidates)
        decision = whole_order
        if skus is not None:  # lines named: decided for those
            decision = service.check_wrong_item(identity.order_number, identity.email, skus)
        report_facts(
            dispatcher,
            tracker,
            flow=self.name(),
            order_number=identity.order_number,
            reason=decision.reason.value,
        )
        if not decision.eligible:
            dispatcher.utter_message(
                response="utter_wrong_item_not_shipped", order_number=identity.order_number
            )
            return []
        dispatcher.utter_message(
            response="utter_wrong_item_apology", order_number=identity.order_number
        )
        if skus is not None:
            named = enumeration(line.name for line in decision.lines)
            dispatcher.utter_message(response="utter_wrong_item_lines", items=named)
        if (wanted := stated_preference(tracker, FLOW_INTENT)) in PREFERENCE_RESPONSES:
            dispatcher.utter_message(response=PREFERENCE_RESPONSES[wanted])
        return ask_confirmation(dispatcher, "utter_confirm_wrong_item_case", self.name())

    def note_a_preference_while_offered(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType] | None:
        return preference_stated_while_the_case_is_offered(dispatcher, tracker)

    def confirm(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        skus, _ = wrong_lines(tracker, service, identity)
        wanted = stated_preference(tracker, FLOW_INTENT)
        outcome = service.open_wrong_item_case(
            identity.order_number,
            identity.email,
            what_came_instead(tracker),
            skus=skus,
            preference=wanted if wanted in PREFERENCE_RESPONSES else None,
            dry_run=is_preview(tracker),
        )
        return announce_request(dispatcher, outcome, "utter_wrong_item_case_opened")


# What the team reads of the customer's words on the case: enough to know what came.
DESCRIPTION_MAX = 500


def what_came_instead(tracker: Tracker) -> str:
    """The customer's own words about the piece received, for the team that reads the case
    (it was written empty): the flow's typed messages, oldest first, without the buttons and
    the bare « oui » that confirmed it."""
    typed = [
        str(m.get("text") or "")
        for m in flow_messages(tracker, FLOW_INTENT)
        if m.get("text") and not str(m["text"]).startswith("/")
    ]
    said = [text for text in reversed(typed) if not is_a_bare_yes(text)]
    return " / ".join(said)[:DESCRIPTION_MAX]


def is_a_bare_yes(text: str) -> bool:
    return cues.opens_with_yes(text) and len(cues.words_of(text).split()) <= 3
