"""Behaviour shared by the order-bound flows: identification first, then one service call.

A flow action (tracking, returns, cancellation…) only implements `respond`: read the
decision from the backend and choose the response. Identification, the failure limit,
confirmation before any write and the agent-preview mode live here once.
rasa_sdk registers every concrete `Action` subclass it finds, so the bases are abstract.
"""

from __future__ import annotations

import abc
import asyncio
import functools
import importlib
import logging
import pkgutil
import re
from dataclasses import dataclass
from typing import Any

from components.entities import ALSO_NAMED
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import cues, slots
from actions.arrived import received_before_the_tracking
from actions.details import (
    gives_only_flow_details,
    names_a_piece,
    names_lines_unclearly,
    names_only_an_item,
)
from actions.faq import (
    PERSONALISABLE,
    PERSONALISE_PREFIX,
    REFUSED_DELIVERY,
    answer_in_context,
    answer_the_other_questions,
    open_request,
    said_in_last_turns,
    said_last_turn,
    unstated_practice_asked,
)
from actions.intents import FLOW_TOPICS, ORDER_FLOWS
from actions.other_request import other_request, then_the_other_request
from actions.outcomes import cancellation_refund_asked, reason_in
from actions.preview import is_preview
from actions.request_status import tell_the_requests
from actions.shop import shop_service
from actions.values import PREVIEW_REFERENCE, day
from actions.withdrawal import withdrawn_right_after_the_handoff
from actions.yes_no import HANDOFF_ACTION, ask_confirmation
from backend.domain import RequestKind
from backend.services import RequestOutcome, RequestView, ShopService

IDENTIFICATION_FORM = "identification_form"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identity:
    order_number: str
    email: str


def verified_identity(tracker: Tracker) -> Identity | None:
    order_number = tracker.get_slot(slots.VERIFIED_ORDER)
    email = tracker.get_slot(slots.VERIFIED_EMAIL)
    return Identity(order_number, email) if order_number and email else None


def identity_locked(tracker: Tracker) -> bool:
    failures = tracker.get_slot(slots.IDENTITY_FAILURES) or 0
    return failures >= slots.MAX_IDENTITY_FAILURES


def report_facts(dispatcher: CollectingDispatcher, tracker: Tracker, **facts: Any) -> None:
    """In an agent-assist preview, show the agent the facts behind the answer."""
    if is_preview(tracker):
        clean = {
            key: value if isinstance(value, int | float | bool) or value is None else str(value)
            for key, value in facts.items()
        }
        dispatcher.utter_message(json_message={"agent_facts": clean})


def announce_request(
    dispatcher: CollectingDispatcher, outcome: RequestOutcome, response: str, **values: Any
) -> list[EventType]:
    """Tell the customer the reference of the request just created (or found again)."""
    if outcome.request is None:
        dispatcher.utter_message(response="utter_case_not_possible")
    elif outcome.conflicting:  # the same pieces already have a return, exchange or case
        created = outcome.request.created_at
        return ask_confirmation(
            dispatcher,
            "utter_request_for_the_same_pieces",
            HANDOFF_ACTION,
            reference=outcome.request.reference or PREVIEW_REFERENCE,
            created_on=day(created.date()) if created else "",
        )
    else:
        reference = outcome.request.reference or PREVIEW_REFERENCE
        dispatcher.utter_message(response=response, reference=reference, **values)
    return []


EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


def mask_emails(text: str) -> str:
    """Logs keep the domain of an email, never the mailbox."""
    return EMAIL_IN_TEXT.sub(r"***@\1", text)


class AssistantAction(Action, abc.ABC):
    """Every action of the assistant: an unexpected error never ends the conversation.

    A database outage or a bug produces a polite apology with a handoff offer; the log says
    what failed without personal data (emails masked, no traceback at error level).
    `act` runs in a worker thread: the shop calls block, and a slow database must not stall
    the other conversations this action server is answering.
    """

    @abc.abstractmethod
    def name(self) -> str: ...

    @abc.abstractmethod
    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            return await asyncio.to_thread(self.act_on_the_message, dispatcher, tracker, domain)
        except Exception as error:  # noqa: BLE001 - the conversation must go on
            return apologise(dispatcher, self.name(), error)

    def act_on_the_message(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """`act`, unless the message takes back the request for a person just made or names
        it withdrawn, or says yes to the write waiting for it and then asks something: whatever
        intent its words classify as, every action reads these first, here, once. (The
        request for a person's own action withdraws it in its `act`.)"""
        if self.name() != HANDOFF_ACTION and (
            withdrawn := withdrawn_right_after_the_handoff(dispatcher, tracker)
        ):
            # « laissez faire, annulez ça… juste une question : vous êtes ouverts quand ? »:
            # withdrawn, and the question after it answered (it was read as an order's
            # cancellation). actions.conversation imports this module: imported here.
            from actions.conversation import answer_conversation_cue

            question = re.split(r"[.!:;]\s+", tracker.latest_message.get("text") or "")[-1]
            asked = (
                answer_conversation_cue(dispatcher, tracker, question) if "?" in question else None
            )
            return [*withdrawn, *(asked or [])]
        if cues.says_the_answer_missed(tracker.latest_message.get("text") or ""):
            # « euh c'est pas ce que j'ai demandé »: an apology and the question asked again,
            # not the wrong item's steps its words classify as
            dispatcher.utter_message(response="utter_sorry_question_missed")
            return []
        if yes_to_the_write_then_a_question(tracker):
            # « Oui svp. Le remboursement va prendre combien de temps ? »: its words classify
            # as the question, and the write was left undone while the customer left thinking
            # it done (a tester's cancellation)
            from actions.conversation import answer_after_the_opener, answer_the_pending_question

            done = answer_the_pending_question(dispatcher, tracker, agreed=True)
            return [*done, *(answer_after_the_opener(dispatcher, tracker, domain) or [])]
        return self.act(dispatcher, tracker, domain)


def yes_to_the_write_then_a_question(tracker: Tracker) -> bool:
    """A write waits for its « oui » (not an offer to check the order), the message opens
    with a plain yes, and asks something after it."""
    pending = tracker.get_slot(slots.PENDING_CONFIRMATION) or ""
    if not pending or pending.startswith(PERSONALISE_PREFIX):
        return False
    latest = tracker.latest_message
    if latest.get("intent", {}).get("name") == "affirm":
        return False  # action_answer_yes_no reads it
    text = latest.get("text") or ""
    rest = (latest.get("after_the_opener") or {}).get("text") or ""
    if not rest or "?" not in rest or not cues.opens_with_yes(text):
        return False
    # « oui mais le code postal c'est H2S 1T9 ? », « oui, enfin une seconde… »: a yes taken
    # back or corrected, never a write (a tester's wrong postal code was written)
    corrects = _TAKEN_BACK.search(cues.words_of(rest)) or any(
        entity.get("entity") == "address" for entity in latest.get("entities") or []
    )
    return not corrects


_TAKEN_BACK = re.compile(
    r"^(mais|par contre|enfin|attend\w*|une (seconde|minute)|sauf|juste que|pas |non\b|euh)"
)


def requests_asked_about(
    dispatcher: CollectingDispatcher, tracker: Tracker, identity: Identity
) -> list[EventType] | None:
    """How the order's requests stand, when the customer asks (actions/request_status.py)."""
    return tell_the_requests(
        dispatcher, tracker, shop_service(), identity.order_number, identity.email
    )


def apologise(dispatcher: CollectingDispatcher, action: str, error: Exception) -> list[EventType]:
    logger.error("%s failed: %s: %s", action, type(error).__name__, mask_emails(str(error))[:300])
    logger.debug("%s failure details", action, exc_info=error)
    dispatcher.messages.clear()  # nothing half-done reaches the customer
    return ask_confirmation(dispatcher, "utter_technical_problem", HANDOFF_ACTION)


class OrderBoundAction(AssistantAction, abc.ABC):
    """A flow that needs a verified order number and email before it answers."""

    # The request this flow offers to create, if any: when one is already open for the
    # order, the customer is given its reference instead of a second offer.
    request_kind: RequestKind | None = None

    @abc.abstractmethod
    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        """Answer for a verified order."""

    def confirm(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        """Carry out the write the customer just agreed to (flows that ask override it)."""
        dispatcher.utter_message(response="utter_anything_else")
        return []

    def note_a_preference_while_offered(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType] | None:
        """« je préférerais un remboursement » while this flow's offer waits for a yes: the
        wish noted and the question asked again (flows whose request records one override
        it); None when the message states no such wish."""
        return None

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if identity_locked(tracker):
            return ask_confirmation(dispatcher, "utter_identity_locked", HANDOFF_ACTION)
        if (noted := preference_noted_while_offered(dispatcher, tracker)) is not None:
            return noted  # whatever intent the wish was read as
        if (confirmed := confirm_with_the_reason_given(dispatcher, tracker)) is not None:
            return confirmed
        if (flow := flow_an_item_continues(tracker, self.topic())) is not None:
            return flow.act(dispatcher, tracker, domain)
        if (first := cancellation_first(tracker, self.topic())) is not None:
            return first.act(dispatcher, tracker, domain)
        if (asked := flow_the_order_was_given_for(tracker, self.topic())) is not None:
            return asked.act(dispatcher, tracker, domain)
        if (check := progress_asked_about(tracker)) is not None:
            return check.answer_verified(dispatcher, tracker, verified_identity(tracker))
        text = tracker.latest_message.get("text") or ""
        if unstated_practice_asked(text) == REFUSED_DELIVERY:
            # « et si je refuse le colis, vous me remboursez ? » is no cancellation's refund
            dispatcher.utter_message(response=REFUSED_DELIVERY)
            return []
        if (refund := cancellation_refund_asked(dispatcher, tracker)) is not None:
            return refund  # « j'ai annulé le bracelet, le remboursement arrive quand ? »
        identity = verified_identity(tracker)
        if identity is not None and (told := requests_asked_about(dispatcher, tracker, identity)):
            return told  # « RA-104204-01, quand est-ce que je serai remboursée ? »
        answered = answer_in_context(dispatcher, tracker, shop_service(), self.topic())
        if answered is not None:
            return answered
        if identity is None:
            # Say what will be checked, so the questions that follow make sense.
            dispatcher.utter_message(response=f"utter_before_identification_{self.topic()}")
            answer_the_other_questions(dispatcher, tracker, shop_service(), flow_topic=self.topic())
            return [SlotSet(slots.PENDING_FLOW, self.name()), FollowupAction(IDENTIFICATION_FORM)]
        if (other := mentioned_order(tracker)) and other != identity.order_number:
            return switch_order(self.name(), other, identity)
        return self.answer_verified(dispatcher, tracker, identity)

    def answer_verified(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, identity: Identity
    ) -> list[EventType]:
        """The flow's answer for a verified order, whether asked now or once identification
        ended: the topic and the decision are remembered for the follow-ups, and a request
        already open is pointed to instead of offered again."""
        service = shop_service()
        if (told := requests_asked_about(dispatcher, tracker, identity)) is not None:
            return told  # « où en est ma demande RA-104204-01 ? », asked before the check
        already_said = len(dispatcher.messages)
        events = self.respond(dispatcher, tracker, service, identity)
        if offers_a_write(events, self.name()) and self.request_kind is not None:
            existing = open_request(
                service, identity.order_number, identity.email, self.request_kind
            )
            if existing is not None:
                events = point_to_the_open_request(dispatcher, events, existing)
        decision = decision_uttered(dispatcher, since=already_said)
        said_again(dispatcher, tracker, since=already_said)
        events = received_before_the_tracking(dispatcher, tracker, events, decision, self.topic())
        events = then_the_other_request(dispatcher, tracker, events, self.topic())
        answered = len(dispatcher.messages)
        other = order_also_named(tracker)
        said_before = OTHER_ORDER in said_in_last_turns(tracker, 3)
        if other and other != identity.order_number and not said_before:
            dispatcher.utter_message(response=OTHER_ORDER, order_number=other)
        # « où est ma commande AZ… ? et c'est quoi le délai de retour ? »
        answer_the_other_questions(dispatcher, tracker, service, flow_topic=self.topic())
        self.before_the_closing_question(dispatcher, events, since=answered)
        # « et je vais être remboursée quand ? » after « votre commande a été annulée » asks
        # about the cancellation, whatever flow found it cancelled
        said = {m.get("response") for m in dispatcher.messages[already_said:]}
        topic = "cancel_order" if said & CANCELLED_ORDER_ANSWERS else self.topic()
        return [
            SlotSet(slots.PENDING_CONFIRMATION, None),
            SlotSet(slots.TOPIC, topic),
            *events,
            SlotSet(slots.LAST_DECISION, decision),
        ]

    def before_the_closing_question(
        self, dispatcher: CollectingDispatcher, events: list[EventType], since: int
    ) -> None:
        """What was said after the flow's answer (the other order seen, the other questions
        answered) goes before the question the answer ends with, if it ends with one: said
        after its buttons, it would be missed."""
        added = dispatcher.messages[since:]
        if added and offers_a_write(events, self.name()) and since > 0:
            del dispatcher.messages[since:]
            dispatcher.messages[since - 1 : since - 1] = added

    def topic(self) -> str:
        """The conversation topic this flow answers: the intent the flow registry
        (bot/actions/intents.py ORDER_FLOWS) gives it."""
        return FLOW_TOPICS[self.name()]


# What a flow says of an order found cancelled.
CANCELLED_ORDER_ANSWERS = {"utter_order_cancelled", "utter_cancel_already_cancelled"}


def preference_noted_while_offered(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """The pending offer's flow noting a preference just stated, if it records one."""
    flow = order_flow(tracker.get_slot(slots.PENDING_CONFIRMATION) or "")
    return flow.note_a_preference_while_offered(dispatcher, tracker) if flow else None


def note_the_wish_and_ask_again(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    offer: str,
    noted: dict[str, str],
    question: str,
) -> list[EventType] | None:
    """« je préférerais un remboursement » while `offer` waits for a yes: the wish said back
    (`noted`: preference → response; it goes with the request) and `question` asked again;
    None when the latest message words no such wish or another offer waits."""
    if tracker.get_slot(slots.PENDING_CONFIRMATION) != offer:
        return None
    wish = wish_worded(tracker)
    if wish not in noted:
        return None
    dispatcher.utter_message(response=noted[wish])
    return ask_confirmation(dispatcher, question, offer)


def wish_worded(tracker: Tracker) -> str | None:
    """The preference (refund, replacement, exchange, store credit) the latest message states
    as a wish (`cues.says_what_is_wanted`), if any."""
    latest = tracker.latest_message
    wished = [
        entity.get("value")
        for entity in latest.get("entities") or []
        if entity.get("entity") == "preference"
    ]
    if not wished or not cues.says_what_is_wanted(latest.get("text") or ""):
        return None
    return wished[-1]


def offers_a_write(events: list[EventType], flow_name: str) -> bool:
    """The flow ended with a question whose « oui » writes a request."""
    return any(
        event.get("event") == "slot"
        and event.get("name") == slots.PENDING_CONFIRMATION
        and event.get("value") == flow_name
        for event in events
    )


# What the customer is told when the request they are offered already exists.
OPEN_REQUEST_RESPONSES = {
    RequestKind.RETURN: "utter_return_already_open",
    RequestKind.EXCHANGE: "utter_exchange_already_open",
    RequestKind.WARRANTY_CLAIM: "utter_warranty_claim_already_open",
    RequestKind.MISSING_PARCEL: "utter_missing_parcel_already_open",
    RequestKind.WRONG_ITEM: "utter_wrong_item_already_open",
    RequestKind.ADDRESS_CHANGE: "utter_address_change_already_open",
}


def point_to_the_open_request(
    dispatcher: CollectingDispatcher, events: list[EventType], existing: RequestView
) -> list[EventType]:
    """Replace the flow's closing offer by the reference of the request already open: asking
    twice must not look like a second request (the facts before the offer stay)."""
    dispatcher.messages.pop()  # the offer is always the flow's last message
    noted = [m for m in dispatcher.messages if m.get("response") in NOTED_WITH_THE_REQUEST]
    for message in noted:  # « transmise avec votre demande »: no request is written now
        dispatcher.messages.remove(message)
    tell_the_open_request(dispatcher, existing)
    if noted:
        dispatcher.utter_message(
            response="utter_preference_for_the_open_request",
            reference=existing.reference or PREVIEW_REFERENCE,
        )
    return [e for e in events if e.get("name") != slots.PENDING_CONFIRMATION]


# Wishes said back as going with the request about to be written.
NOTED_WITH_THE_REQUEST = {
    "utter_preference_refund_noted",
    "utter_preference_store_credit_noted",
    "utter_warranty_preference_refund",
    "utter_warranty_preference_replacement",
    "utter_missing_parcel_preference_refund",
    "utter_missing_parcel_preference_store_credit",
    "utter_missing_parcel_preference_resend",
    "utter_wrong_item_preference_refund",
    "utter_wrong_item_preference_store_credit",
}


def tell_the_open_request(dispatcher: CollectingDispatcher, existing: RequestView) -> None:
    """« Une réclamation de garantie est déjà ouverte pour cette commande : GA-… »."""
    dispatcher.utter_message(
        response=OPEN_REQUEST_RESPONSES[existing.kind],
        reference=existing.reference or PREVIEW_REFERENCE,
        created_on=day(existing.created_at.date()) if existing.created_at else "",
    )


def cancellation_first(tracker: Tracker, topic: str) -> OrderBoundAction | None:
    """« je veux annuler ma commande et aussi changer l'adresse », classified as the address
    change: the cancellation goes first (its window is hours, and it makes the other request
    moot); the other one is offered once it is answered (`then_the_other_request`)."""
    text = tracker.latest_message.get("text") or ""
    if topic == "cancel_order" or other_request(text, topic) != "cancel_order":
        return None
    return order_flow(ORDER_FLOWS["cancel_order"])


def flow_the_order_was_given_for(tracker: Tracker, topic: str) -> OrderBoundAction | None:
    """« c'est pour la commande AZ104205 » right after a general answer about exchanges, read
    as a tracking request: the flow of the question just answered, for that order."""
    text = tracker.latest_message.get("text") or ""
    if topic not in TRACKING_TOPICS or not cues.only_points_at_the_order(text):
        return None
    flow = flow_offered_or_answered(tracker)
    return flow if flow is not None and flow.topic() not in TRACKING_TOPICS else None


def flow_offered_or_answered(tracker: Tracker) -> OrderBoundAction | None:
    """The flow a general answer offered to personalise, else the one of the topic it
    answered (an answer that ended without the offer: « jusqu'à quand pour les fêtes ? »)."""
    offered = (tracker.get_slot(slots.PENDING_CONFIRMATION) or "").removeprefix(PERSONALISE_PREFIX)
    answered = PERSONALISABLE.get(tracker.get_slot(slots.TOPIC) or "", "")
    return order_flow(offered) or order_flow(answered)


# Topics after which « c'est normal ? » asks about the parcel's progress.
TRACKING_TOPICS = {"track_order", "tracking_issue", "order_status_info", "missing_parcel"}


def progress_asked_about(tracker: Tracker) -> OrderBoundAction | None:
    """« ça fait 3 jours au centre de distribution, c'est normal ? » about the verified
    order's parcel: the missing-parcel check answers it (on time, late, or delivered), not
    the general ways to track an order."""
    text = tracker.latest_message.get("text") or ""
    topic = tracker.get_slot(slots.TOPIC)
    if topic not in TRACKING_TOPICS or verified_identity(tracker) is None:
        return None
    if cues.asks_when_it_arrives(text):  # « elle devrait arriver quand ? »: its estimate
        return order_flow(ORDER_FLOWS["track_order"])
    if not cues.asks_if_normal(text):
        return None
    return order_flow(ORDER_FLOWS["missing_parcel"])


QUESTION_WORDS = re.compile(r"\b(quand|combien|comment|pourquoi|quoi|ou|est-ce|qui|quel(le)?s?)\b")


def said_again(dispatcher: CollectingDispatcher, tracker: Tracker, since: int) -> None:
    """« le fermoir est cassé, il était comme ça dans la boîte » right after the answer that
    already took it into account: the same responses, word for word, would be a wall of text
    the customer just read. They are replaced by « elle ne change pas ma réponse » and the
    answer's last message (its question, or the request to point to). A question is answered
    in full (« elle arrive quand ? »: the answer holds the date), and so is a message naming a
    piece, which may change the lines and so the amounts."""
    now = [message.get("response") for message in dispatcher.messages[since:]]
    before = said_last_turn(tracker)
    text = tracker.latest_message.get("text") or ""
    if len(now) < 2 or before[-len(now) :] != now or names_a_piece(tracker.latest_message):
        return
    if "?" in text or QUESTION_WORDS.search(cues.words_of(text)):
        return
    last = dispatcher.messages[-1]
    del dispatcher.messages[since:]
    dispatcher.utter_message(response="utter_same_answer")
    dispatcher.messages.append(last)


def decision_uttered(dispatcher: CollectingDispatcher, since: int = 0) -> str | None:
    """The first response the flow answered with (after the `since` messages said before
    it): the decision a « je fais quoi alors ? » is about (actions.faq.ALTERNATIVES)."""
    said = dispatcher.messages[since:]
    return next((m["response"] for m in said if m.get("response")), None)


def mentioned_order(tracker: Tracker) -> str | None:
    return next(tracker.get_latest_entity_values(slots.ORDER_NUMBER), None)


OTHER_ORDER = "utter_other_order_mentioned"


def order_also_named(tracker: Tracker, messages: int = 3) -> str | None:
    """A second order number of a recent message (« annuler AZ104201 et savoir où est
    AZ104203 »): the flow answered the first; the customer is told the other was seen."""
    seen = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        for entity in (event.get("parse_data") or {}).get("entities") or []:
            if entity.get("entity") == slots.ORDER_NUMBER and entity.get("role") == ALSO_NAMED:
                return entity.get("value")
        seen += 1
        if seen >= messages:
            break
    return None


def switch_order(flow_name: str, order_number: str, previous: Identity) -> list[EventType]:
    """Another order number: verify it (with the same email first) before answering."""
    return [
        SlotSet(slots.VERIFIED_ORDER, None),
        SlotSet(slots.VERIFIED_EMAIL, None),
        SlotSet(slots.ORDER_NUMBER, order_number),
        SlotSet(slots.EMAIL, previous.email),
        SlotSet(slots.PENDING_FLOW, flow_name),
        FollowupAction(IDENTIFICATION_FORM),
    ]


@functools.cache
def load_the_flows() -> None:
    """Import every module of the actions package, as the action server does: a flow handing
    over to another (a cancellation asked first, an offer accepted) finds it loaded even where
    only some modules were imported (a test, a tool)."""
    package = importlib.import_module("actions")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"actions.{module.name}")


def all_subclasses(cls: type) -> list[type]:
    found = []
    for subclass in cls.__subclasses__():
        found.extend([subclass, *all_subclasses(subclass)])
    return found


def flow_for_intent(intent: str | None) -> OrderBoundAction | None:
    """The order flow that answers `intent` (bot/actions/intents.py), if it needs one."""
    return order_flow(ORDER_FLOWS.get(intent or "", ""))


# Offers to write a request that also ask why (« Dites-moi aussi pourquoi… »).
RETURN_OR_EXCHANGE = {"return_item", "exchange_item"}
QUESTIONS_WITH_REASON = {"utter_confirm_return_with_reason", "utter_confirm_exchange_with_reason"}


def confirm_with_the_reason_given(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """« Elles sont arrivées cassées » in answer to « Souhaitez-vous que je crée la demande ?
    Dites-moi aussi pourquoi » is a yes that gives its reason: the request is written with it.
    Whatever its words classify as, reading it as a new question would ignore the one asked;
    None when the message gives no reason, says no, or nothing of the kind was asked."""
    flow = order_flow(tracker.get_slot(slots.PENDING_CONFIRMATION) or "")
    identity = verified_identity(tracker)
    if flow is None or identity is None:
        return None
    if not answered_in_the_previous_turn(tracker, QUESTIONS_WITH_REASON):
        return None
    intent = tracker.latest_message.get("intent", {}).get("name")
    said = tracker.latest_message.get("text") or ""
    if intent == "deny" or cues.opens_with_no(said):
        return None  # « non, finalement je préfère un échange »: a no, whatever reason follows
    if cues.is_leaving_the_form(said) or cues.is_closing(said):
        return None  # « annule », « laisse faire »: a reason may be read into it, never a yes
    if intent in RETURN_OR_EXCHANGE and intent != flow.topic() and not a_plain_yes(said, flow):
        return None  # the other request asked instead (an exchange rather than the return)
    if reason_in(tracker.latest_message) is None:
        return None
    service = shop_service()
    lines = service.order_summary(identity.order_number, identity.email).lines
    if names_lines_unclearly(tracker, flow.topic(), [line.name for line in lines]):
        return None  # « ma blonde aime pas le collier » on an order without one: the flow asks
    confirmed = flow.confirm(dispatcher, tracker, service, identity)
    return [SlotSet(slots.PENDING_CONFIRMATION, None), *confirmed]


# The words that name each of the two requests a yes with a reason may confirm.
NAMES_THE_REQUEST = {
    "return_item": re.compile(r"\bretour|retourn|rembours"),
    "exchange_item": re.compile(r"echang"),
}


def a_plain_yes(text: str, flow: OrderBoundAction) -> bool:
    """« Oui, il est arrivé endommagé » typed to the exchange's question (its button's title):
    a yes to the request asked, though « endommagé » classifies as a return; « oui mais je
    préfère un remboursement » names the other request."""
    other = next((t for t in NAMES_THE_REQUEST if t != flow.topic()), "")
    words = cues.words_of(text)
    return cues.opens_with_yes(text) and not NAMES_THE_REQUEST[other].search(words)


def answered_in_the_previous_turn(tracker: Tracker, responses: set[str]) -> bool:
    """Whether the assistant's answer to the customer's previous message was one of
    `responses`."""
    return bool(responses.intersection(said_last_turn(tracker)))


# Flows whose answer is about some lines of the order: a message naming only a line continues
# them (« le collier » after the return answer is the line to return, not a warranty claim).
FLOWS_ABOUT_LINES = {"return_item", "exchange_item", "warranty_claim", "wrong_item", "cancel_order"}


def flow_an_item_continues(tracker: Tracker, own_topic: str = "") -> OrderBoundAction | None:
    """The conversation's flow, when the latest message only names a line of the order (or adds
    one: « et le médaillon aussi ? ») and that flow is about lines: the customer is saying
    which one, not starting another flow."""
    topic = tracker.get_slot(slots.TOPIC)
    if topic == own_topic or topic not in FLOWS_ABOUT_LINES:
        return None
    latest = tracker.latest_message
    adds_a_piece = names_a_piece(latest) and cues.adds_to_the_request(latest.get("text") or "")
    if not names_only_an_item(latest) and not adds_a_piece:
        return None
    return order_flow(ORDER_FLOWS[topic])


def flow_a_detail_continues(tracker: Tracker) -> OrderBoundAction | None:
    """The conversation's flow about lines, when a message its words could not classify gives
    only that flow's details (which line, why, what the customer wants): « ma blonde aime pas
    le collier » after the return answer is about that return."""
    topic = tracker.get_slot(slots.TOPIC)
    if topic not in FLOWS_ABOUT_LINES or not gives_only_flow_details(tracker.latest_message):
        return None
    return order_flow(ORDER_FLOWS[topic])


def order_flow(action_name: str) -> OrderBoundAction | None:
    """The concrete flow action registered under `action_name`, if any."""
    load_the_flows()
    for flow_class in all_subclasses(OrderBoundAction):
        if not getattr(flow_class, "__abstractmethods__", None):
            flow = flow_class()
            if flow.name() == action_name:
                return flow
    return None
