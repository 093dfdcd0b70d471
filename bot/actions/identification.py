"""Identification: order number and email, validated and checked against the shop.

A wrong number and a wrong email get the same answer, so nobody learns which one exists.
After three failed look-ups the conversation makes no more look-ups and offers a human.
Across conversations the backend pauses the checks of an order number, an email or a client
that failed too often (policy.yml `identity_checks`): the customer is told, as for a technical
problem, to retry in a few minutes or talk to a human — nothing says whether the order exists.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import cues, slots
from actions.base import (
    HANDOFF_ACTION,
    AssistantAction,
    OrderBoundAction,
    apologise,
    ask_confirmation,
    flow_for_intent,
    flow_offered_or_answered,
    identity_locked,
    is_preview,
    order_flow,
    verified_identity,
)
from actions.details import said
from actions.faq import (
    PERSONALISE_PREFIX,
    SOMEONE_ELSES,
    WHERE_TO_LOOK,
    answer_generally,
    answer_in_context,
    aspect_of,
    give_the_help,
    leave_the_form,
    order_number_help,
    someone_elses_order,
    topic_named_in,
)
from actions.general import ActionGeneralAnswer
from actions.shop import shop_service
from actions.shop_info import ActionPromoCode, ActionPromotions
from backend.identity import normalise_email, normalise_order_number
from backend.policies import ReasonCode

REQUESTED_SLOT = "requested_slot"
DEFAULT_FLOW = "action_track_order"
# A second intent must hold a real share of the calibrated intent probabilities to be trusted
# (the SVM gives small shares to neighbours: « et la commande AZ… ? » is 0.09 wrong_item).
MIN_FLOW_CONFIDENCE = 0.25
# Metadata the Rasa server adds to a customer's message (server/customer_input.py).
CLIENT_METADATA = "allyzure_client"


def refused_as_someone_elses(tracker: Tracker, values: dict[str, Any]) -> bool:
    """Whether the order number or the email to look up was named in this conversation
    before the assistant refused it as another person's: asked again, it stays refused (a
    tester who had said « la commande de ma femme » got her order by asking a second time)."""
    refused_at = max(
        (i for i, event in enumerate(tracker.events) if said(event) == SOMEONE_ELSES),
        default=None,
    )
    if refused_at is None:
        return False
    asked = {str(value).strip().lower() for value in values.values() if value}
    return bool(asked & identifiers_named(tracker.events[:refused_at]))


def identifiers_named(events: list[dict[str, Any]]) -> set[str]:
    """The order numbers and emails the customer gave or the slots held, in lower case."""
    named = set()
    for event in events:
        if event.get("event") == "slot" and event.get("name") in (slots.ORDER_NUMBER, slots.EMAIL):
            named.add(str(event.get("value") or "").strip().lower())
        for entity in (event.get("parse_data") or {}).get("entities") or []:
            if entity.get("entity") in (slots.ORDER_NUMBER, slots.EMAIL):
                named.add(str(entity.get("value") or "").strip().lower())
    return named - {""}


class ValidateIdentificationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_identification_form"

    def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        number = normalise_order_number(str(value)) if value else None
        if number is None:
            dispatcher.utter_message(response="utter_invalid_order_number")
        tried = tracker.get_slot(slots.TRIED_EMAIL) if tracker is not None else None
        if number and tried and not tracker.get_slot(slots.EMAIL):
            # « oups, c'est AZ104202 » after a failed lookup: the email given is tried with it
            return {slots.ORDER_NUMBER: number, slots.EMAIL: tried}
        return {slots.ORDER_NUMBER: number}

    def extract_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        """« ah non c'est .ca » right after an email that matched nothing: that email with the
        ending corrected is the one to try. It was read as a « non » and stopped the check."""
        latest = tracker.latest_message
        if tracker.get_slot(REQUESTED_SLOT) != slots.EMAIL or any(
            entity.get("entity") == "email" for entity in latest.get("entities") or []
        ):
            return {}
        tried = tracker.get_slot(slots.TRIED_EMAIL)
        corrected = email_with_corrected_ending(tried, latest.get("text") or "") if tried else None
        return {slots.EMAIL: corrected} if corrected else {}

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        email = normalise_email(str(value)) if value else None
        if email is None:
            dispatcher.utter_message(response="utter_invalid_email")
        return {slots.EMAIL: email}

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[EventType]:
        """Validate the formats, then look the pair up once both are known."""
        text = tracker.latest_message.get("text") or ""
        if cues.speaks_of_someone_elses_order(text):
            return someone_elses_order(dispatcher)
        if not tracker.get_slot(slots.EMAIL) and cues.lost_the_email(text):
            # « je n'ai plus accès à l'ancien courriel »: asked again, it was a loop
            dispatcher.utter_message(response="utter_email_lost")
            return [SlotSet(slots.PENDING_FLOW, None), SlotSet(REQUESTED_SLOT, None)]
        events = await super().get_validation_events(dispatcher, tracker, domain)
        values = {
            slots.ORDER_NUMBER: tracker.get_slot(slots.ORDER_NUMBER),
            slots.EMAIL: tracker.get_slot(slots.EMAIL),
        }
        values.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
        if refused_as_someone_elses(tracker, values):
            return someone_elses_order(dispatcher)
        if values[slots.ORDER_NUMBER] and values[slots.EMAIL]:
            try:
                events.extend(await asyncio.to_thread(self._look_up, dispatcher, tracker, values))
            except Exception as error:  # noqa: BLE001 - apologise and end the form
                return [
                    *events,
                    *apologise(dispatcher, self.name(), error),
                    SlotSet(REQUESTED_SLOT, None),
                ]
        return events

    def _look_up(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, values: dict[str, str]
    ) -> list[EventType]:
        check = shop_service().verify_identity(
            values[slots.ORDER_NUMBER],
            values[slots.EMAIL],
            client=message_client(tracker),
            dry_run=is_preview(tracker),
        )
        if check.verified:
            return [
                SlotSet(slots.VERIFIED_ORDER, check.order_number),
                SlotSet(slots.VERIFIED_EMAIL, values[slots.EMAIL]),
                SlotSet(slots.TRIED_EMAIL, None),
            ]
        if check.reason is ReasonCode.IDENTITY_CHECKS_PAUSED:
            return checks_paused(dispatcher)
        failures = (tracker.get_slot(slots.IDENTITY_FAILURES) or 0) + 1
        # The number stays: « pardon, c'est jdupont@exemple.fr » corrects the email alone, and a
        # new number replaces it (the same answer whichever was wrong reveals neither).
        events: list[EventType] = [
            SlotSet(slots.IDENTITY_FAILURES, failures),
            SlotSet(slots.EMAIL, None),
            SlotSet(slots.TRIED_EMAIL, values[slots.EMAIL]),
        ]
        if failures >= slots.MAX_IDENTITY_FAILURES:
            # Ends the form; action_resume_flow then offers a human.
            return [*events, SlotSet(REQUESTED_SLOT, None)]
        dispatcher.utter_message(response="utter_identity_mismatch")
        return events


# The ending of an email said alone: « .ca », « @exemple.ca », « exemple.ca », « point ca »;
# one after « pas » is the wrong one (« c'est .ca pas .com »).
_EMAIL_ENDING = re.compile(
    r"(?<![\w.@-])(?P<not>(?:pas|non|et non|au lieu de)\s+(?:le |la |du )?)?"
    r"(?P<ending>@[a-z0-9-]+(?:\.[a-z0-9-]+)+|(?:[a-z0-9-]+)?(?:\.[a-z0-9-]+)*\.[a-z]{2,6})\b"
    r"|\bpoint (?P<spoken>ca|com|fr|net|org|be|ch|us)\b"
)


def email_with_corrected_ending(tried: str, text: str) -> str | None:
    """`tried` with the domain or its last part replaced by the ending the message gives, if it
    gives one (and it changes something)."""
    for found in _EMAIL_ENDING.finditer(text.lower()):
        if found.group("not"):
            continue
        ending = found.group("ending") or "." + found.group("spoken")
        local, _, domain = tried.partition("@")
        if ending.startswith("@"):
            domain = ending[1:]
        elif ending.startswith("."):
            domain = domain.rsplit(".", 1)[0] + ending
        else:
            domain = ending
        corrected = normalise_email(f"{local}@{domain}")
        return corrected if corrected != tried else None
    return None


def message_client(tracker: Tracker) -> str | None:
    """Who sent the message, as the Rasa server names it in the message's metadata (a digest
    of the client address, server/customer_input.py); None when the channel names nobody.
    Customers cannot set this key: their channels drop or refuse it."""
    metadata = tracker.latest_message.get("metadata")
    client = metadata.get(CLIENT_METADATA) if isinstance(metadata, dict) else None
    return client if isinstance(client, str) else None


def checks_paused(dispatcher: CollectingDispatcher) -> list[EventType]:
    """End the form without counting a failure: retry later, or a human now. Said as a
    protection, not a technical fault (the owner of an order someone else tried to guess
    meets it too), and without a word on the order or the attempts."""
    return [
        SlotSet(slots.ORDER_NUMBER, None),
        SlotSet(slots.EMAIL, None),
        SlotSet(REQUESTED_SLOT, None),
        *ask_confirmation(dispatcher, "utter_identity_checks_paused", HANDOFF_ACTION),
    ]


class ActionResumeFlow(AssistantAction):
    """Runs after identification: continue the flow that asked for it."""

    def name(self) -> str:
        return "action_resume_flow"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if identity_locked(tracker):
            return ask_confirmation(dispatcher, "utter_identity_locked", "action_human_handoff")
        identity = verified_identity(tracker)
        flow = order_flow(tracker.get_slot(slots.PENDING_FLOW) or "")
        if identity is None or flow is None:
            if not tracker.get_slot(slots.PENDING_CONFIRMATION):  # else a question is pending
                dispatcher.utter_message(response="utter_anything_else")
            return [SlotSet(slots.PENDING_FLOW, None)]
        first_name = shop_service().customer_first_name(identity.order_number, identity.email)
        dispatcher.utter_message(
            response="utter_identity_verified",
            first_name=first_name,
            order_number=identity.order_number,
        )
        return [
            SlotSet(slots.PENDING_FLOW, None),
            *flow.answer_verified(dispatcher, tracker, identity),
        ]


class ActionSwitchFlow(AssistantAction):
    """Another order question during identification: answer that one once identified."""

    def name(self) -> str:
        return "action_switch_flow"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = tracker.latest_message.get("intent", {}).get("name") or ""
        text = tracker.latest_message.get("text") or ""
        if cues.is_leaving_the_form(text):
            dispatcher.utter_message(response="utter_identification_stopped")
            return [SlotSet(slots.PENDING_FLOW, None), *leave_the_form()]
        if cues.has_no_order_yet(text):
            return answer_without_an_order(dispatcher, tracker)
        if (help_needed := order_number_help(tracker)) is not None:
            # « je le trouve où, le numéro ? »: where (then the form asks again); without
            # the confirmation email, or told where already, a person instead of the form
            given = give_the_help(dispatcher, help_needed)
            return given if help_needed == WHERE_TO_LOOK else [*given, *leave_the_form()]
        flow = flow_for_intent(intent)
        service = shop_service()
        answered = answer_in_context(dispatcher, tracker, service, intent)
        if answered is None and flow is None:  # a general intent: promotions, statuses…
            answered = general_answer(intent).act(dispatcher, tracker, domain)
        if answered is not None:
            return [*answered, *leave_the_form()]
        return [SlotSet(slots.PENDING_FLOW, flow.name())] if flow else []


def answer_without_an_order(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """« j'ai pas encore commandé, c'est juste pour savoir » while the order number is asked:
    the question that asked for it, answered generally (the number asked again would ignore
    what was just said); with nothing asked, an invitation to ask."""
    flow = order_flow(tracker.get_slot(slots.PENDING_FLOW) or "")
    left = leave_the_form() if tracker.active_loop_name else []
    cleared = [SlotSet(slots.PENDING_FLOW, None), SlotSet(slots.PENDING_CONFIRMATION, None)]
    # « je n'ai pas de commande, vos bagues sont-elles garanties ? »: the question asked
    topic = flow.topic() if flow else topic_named_in(tracker.latest_message.get("text") or "")
    if topic is None:
        dispatcher.utter_message(response="utter_no_order_needed")
        return [*cleared, *left]
    text = tracker.latest_message.get("text") or ""
    aspect = aspect_of(topic, text)  # « …, garantis combien de temps ? »: the duration
    answered = answer_generally(dispatcher, tracker, shop_service(), topic, aspect)
    return [*cleared, *answered, *left]


def general_answer(intent: str) -> AssistantAction:
    """The action that answers a general intent outside identification."""
    actions = {"promotions": ActionPromotions, "promo_code": ActionPromoCode}
    return actions.get(intent, ActionGeneralAnswer)()


class ActionInform(AssistantAction):
    """An order number or email given out of the blue: guess the question, else show the order.

    "annuler AZ104202 jdupont@exemple.fr" is classified `inform` because of the identifiers;
    the intent ranking still shows what the customer wants.
    """

    def name(self) -> str:
        return "action_inform"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        pending = order_flow(tracker.get_slot(slots.PENDING_FLOW) or "")
        in_context = pending or flow_offered_or_answered(tracker)
        if in_context is not None and cues.only_points_at_the_order(text):
            # « c'est pour la commande AZ104205 » after « puis-je échanger un bracelet ? »: the
            # question asked, for that order; not its tracking
            return in_context.act(dispatcher, tracker, domain)
        ranking = tracker.latest_message.get("intent_ranking") or []
        for candidate in ranking:
            flow = flow_for_intent(candidate.get("name"))
            if flow and candidate.get("confidence", 0) >= MIN_FLOW_CONFIDENCE:
                return flow.act(dispatcher, tracker, domain)
        return (self._flow_in_context(tracker) or order_flow(DEFAULT_FLOW)).act(
            dispatcher, tracker, domain
        )

    @staticmethod
    def _flow_in_context(tracker: Tracker) -> OrderBoundAction | None:
        """The flow the conversation was about: the one that asked for identification (the
        customer's request, even when a question answered meanwhile offered to check something
        else: « je veux retourner ma manchette », then a tax question, then the email), else
        the one a general answer offered to personalise."""
        offered = tracker.get_slot(slots.PENDING_CONFIRMATION) or ""
        pending = tracker.get_slot(slots.PENDING_FLOW) or ""
        return order_flow(pending) or order_flow(offered.removeprefix(PERSONALISE_PREFIX))
