"""Address changes: a best-effort request while processing; too late once shipped.

The new address is the one the NLU parsed (bot/components/addresses.py) in any message of
the flow — the first one included (« changez l'adresse de AZ104201 pour 55, rue Laurier… »)
— or asked for by the address form, whose validator explains what is missing from a message
that is not a complete address. The customer confirms the address before the request is
written.
"""

from __future__ import annotations

import re
from typing import Any

from components.addresses import Address, combined_address
from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import cues, slots
from actions.base import (
    AssistantAction,
    Identity,
    OrderBoundAction,
    announce_request,
    ask_confirmation,
    is_preview,
    order_flow,
    report_facts,
    verified_identity,
)
from actions.details import entities, flow_messages
from actions.faq import answer_generally, aspect_of, is_general_question, said_in_last_turns
from actions.other_request import asks_to_cancel
from actions.shop import shop_service
from backend.domain import RequestKind
from backend.policies.reasons import ReasonCode
from backend.services import ShopService

ADDRESS_FORM = "address_form"
FLOW_INTENT = "change_address"
REQUESTED_SLOT = "requested_slot"
ACTION_NAME = "action_change_address"
INCOMPLETE = "incomplete"  # the role of an address entity missing parts (components/details.py)
MAX_ADDRESS_LENGTH = 300
MISSING_RESPONSES = {
    name: f"utter_address_missing_{name}"
    for name in ("street_number", "street", "city", "postal_code")
}


def as_address(value: Any) -> Address | None:
    """The address a slot or entity holds (a dict of fields), if it is a valid one."""
    if not isinstance(value, dict):
        return None
    fields = {name: value.get(name) for name in Address.__dataclass_fields__ if name in value}
    address = Address(**{k: v for k, v in fields.items() if k != "problems"})
    return address if address.valid else None


CONFIRM_ADDRESS = "utter_confirm_address"


def ask_to_confirm(dispatcher: CollectingDispatcher, address: Address) -> list[EventType]:
    events = ask_confirmation(dispatcher, CONFIRM_ADDRESS, ACTION_NAME, address=address.one_line())
    return [SlotSet(slots.NEW_ADDRESS, address.as_dict()), *events]


class ActionChangeAddress(OrderBoundAction):
    request_kind = RequestKind.ADDRESS_CHANGE

    def name(self) -> str:
        return ACTION_NAME

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        if (corrected := correct_the_address(dispatcher, tracker)) is not None:
            return corrected  # « non, le code postal c'est H2L 1X6 » to « la bonne adresse ? »
        if (corrected := correct_the_address_recorded(dispatcher, tracker)) is not None:
            return corrected  # « je me suis trompé, c'est l'app 6 » once the change is recorded
        decision = service.check_address_change(identity.order_number, identity.email)
        report_facts(
            dispatcher,
            tracker,
            flow=self.name(),
            order_number=identity.order_number,
            reason=decision.reason.value,
        )
        if decision.eligible:
            dispatcher.utter_message(response="utter_address_change_best_effort")
            given = as_address(address_given_since_shown(tracker))
            if given is not None:
                return ask_to_confirm(dispatcher, given)
            return [SlotSet(slots.NEW_ADDRESS, None), FollowupAction(ADDRESS_FORM)]
        if decision.reason is ReasonCode.ALREADY_SHIPPED:
            dispatcher.utter_message(
                response="utter_address_change_too_late",
                order_number=identity.order_number,
                carrier=decision.carrier,
                tracking_number=decision.tracking_number,
            )
        else:
            dispatcher.utter_message(
                response="utter_order_cancelled", order_number=identity.order_number
            )
        return []

    def confirm(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        """The customer agreed to the address shown: record the request."""
        address = as_address(tracker.get_slot(slots.NEW_ADDRESS))
        if address is None:
            dispatcher.utter_message(response="utter_anything_else")
            return [SlotSet(slots.NEW_ADDRESS, None)]
        outcome = service.request_address_change(
            identity.order_number,
            identity.email,
            address.as_dict(),
            dry_run=is_preview(tracker),
        )
        shown = address.one_line()[:MAX_ADDRESS_LENGTH]
        announce_request(dispatcher, outcome, "utter_address_change_recorded", address=shown)
        return [SlotSet(slots.NEW_ADDRESS, None)]


class ValidateAddressForm(FormValidationAction):
    """Only a complete, valid address fills the form; anything else is explained."""

    def name(self) -> str:
        return "validate_address_form"

    def validate_new_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        if value is None:
            # The flow cleared the slot as it opened the form: nothing was typed yet, so
            # there is nothing to explain (the form asks its question next).
            return {slots.NEW_ADDRESS: None}
        found = entities(tracker.latest_message, "address")
        said = str(value)
        stops = cues.is_leaving_the_form(said) or cues.opens_with_no(said) or cues.only_asked(said)
        if not found and stops:
            # « stop », « laisse faire », « non », « c'était juste une question »: the form
            # ends, nothing is written (the submit rule then finds no address and asks whether
            # there is anything else)
            dispatcher.utter_message(response="utter_address_change_stopped")
            return {slots.NEW_ADDRESS: None, REQUESTED_SLOT: None}
        if not found and cues.is_closing(str(value)):
            # « ok je vais leur écrire, merci c'est tout »: the customer is done
            dispatcher.utter_message(response="utter_goodbye")
            return {slots.NEW_ADDRESS: None, REQUESTED_SLOT: None}
        complete = [e for e in found if not e.get("role")]
        address = as_address(complete[0]["value"]) if complete else None
        if address is None:
            address = as_address(address_given_since_shown(tracker))
        if address is None:
            address = address_given_in_parts(tracker)
        if address is not None:
            return {slots.NEW_ADDRESS: address.as_dict()}
        if not found and is_a_question(str(value)):
            # « pourquoi vous pouvez pas garantir ? »: answered, then the form asks again.
            aspect = aspect_of(FLOW_INTENT, str(value))
            answer_generally(dispatcher, tracker, shop_service(), FLOW_INTENT, aspect)
            return {slots.NEW_ADDRESS: None}
        explain_what_is_missing(dispatcher, what_is_still_missing(tracker, found))
        return {slots.NEW_ADDRESS: None}


def address_given_since_shown(tracker: Tracker) -> Any:
    """The newest address of the flow's messages since an address was last shown to confirm:
    the one shown was answered (a « non » refused it), and is never proposed again from an
    older message when the next one cannot be read."""
    for parse_data in flow_messages(tracker, FLOW_INTENT, since_said=CONFIRM_ADDRESS):
        for entity in entities(parse_data, "address"):
            if not entity.get("role"):
                return entity.get("value")
    return None


def address_given_in_parts(tracker: Tracker) -> Address | None:
    """The address the flow's messages give together when none gives it whole: the street in
    the request, the postal code once asked. The customer confirms it before it is written."""
    address = parts_put_together(tracker)
    return address if address is not None and address.valid else None


def parts_put_together(tracker: Tracker) -> Address | None:
    """What the flow's messages give of an address, put together (complete or not); None
    when fewer than two messages give a part, or a part is refused (abroad, say)."""
    parts = [
        part
        for parse_data in flow_messages(tracker, FLOW_INTENT, since_said=CONFIRM_ADDRESS)
        if (part := address_part(parse_data)) is not None
    ]
    if len(parts) < 2 or any(part.get("problems") for part in parts):
        return None
    return combined_address(parts)


def what_is_still_missing(tracker: Tracker, found: list[dict]) -> list[dict]:
    """The latest message's address parts, or, when it gives none that says what is missing
    (« Montréal » alone), the parts put together so far: what is missing is said of them."""
    if any(isinstance(e.get("value"), dict) for e in found):
        return found
    together = parts_put_together(tracker)
    if together is None:
        return found
    partial = {**together.as_dict(), "missing": together.missing, "problems": together.problems}
    return [{"entity": "address", "value": partial, "role": INCOMPLETE}]


# « non, c'est le 1650, pas le 1600 », « plutôt au 12 »: the civic number corrected.
CORRECTED_NUMBER = re.compile(
    r"\b(?:c'est|c est|cest|plutot|plutôt|non|mais)\s+(?:le|au)\s+(\d{1,6}[a-zA-Z]?)\b", re.I
)


def correct_the_address(dispatcher: CollectingDispatcher, tracker: Tracker) -> list | None:
    """« non, c'est le 1650, pas le 1600 » to « Est-ce bien la bonne adresse ? »: the address
    shown, with what the customer corrects (the civic number, the postal code, or the whole
    address typed again), asked to be confirmed again; a no that corrects nothing is a no."""
    shown = tracker.get_slot(slots.NEW_ADDRESS)
    if tracker.get_slot(slots.PENDING_CONFIRMATION) != ACTION_NAME or not isinstance(shown, dict):
        return None
    latest = tracker.latest_message
    found = entities(latest, "address")
    complete = [as_address(e.get("value")) for e in found if not e.get("role")]
    if complete and complete[0] is not None:
        return ask_to_confirm(dispatcher, complete[0])
    parts = [e["value"] for e in found if isinstance(e.get("value"), dict)]
    if not parts and (number := CORRECTED_NUMBER.search(latest.get("text") or "")):
        parts = [{"street_number": number.group(1)}]
    if not parts and (unit := correction_in(latest)):
        parts = [unit]  # « oui mais c'est l'appartement 3 »: never written without it
    if not parts and cues.opens_with_no(latest.get("text") or ""):
        if cues.is_leaving_the_form(latest.get("text") or ""):
            return None  # « non laisse faire »: the change is dropped
        # « non » alone: the address shown is wrong, so the right one is asked for
        return [
            SlotSet(slots.PENDING_CONFIRMATION, None),
            SlotSet(slots.NEW_ADDRESS, None),
            FollowupAction(ADDRESS_FORM),
        ]
    if not parts or any(part.get("problems") for part in parts):
        return None
    corrected = combined_address([*parts, shown])
    return ask_to_confirm(dispatcher, corrected) if corrected.valid else None


# « c'est l'appartement 6 pas le 5 », « app 6 », « bureau 1100 »: the unit corrected.
CORRECTED_UNIT = re.compile(
    r"\b(app(?:artement)?|apt|appt|unite|unité|logement|suite|bureau)\.?\s*(?:no\.?\s*|#\s*)?"
    r"(\d{1,5}[a-zA-Z]?)\b",
    re.I,
)
RECORDED = "utter_address_change_recorded"


def correct_the_address_recorded(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """« oh non je me suis trompé, c'est l'appartement 6 pas le 5 » right after the address
    change was recorded: the recorded address with the correction, shown to confirm again (a
    « oui » updates the open request); the « non » closed the conversation and the wrong
    apartment stayed on file."""
    identity = verified_identity(tracker)
    if identity is None or RECORDED not in said_in_last_turns(tracker, 2):
        return None
    part = correction_in(tracker.latest_message)
    if not part:
        return None
    request = shop_service().open_request(
        identity.order_number, identity.email, RequestKind.ADDRESS_CHANGE
    )
    recorded = request.payload.get("new_address") if request else None
    if not isinstance(recorded, dict):
        return None
    corrected = combined_address([part, recorded])
    return ask_to_confirm(dispatcher, corrected) if corrected.valid else None


def correction_in(parse_data: dict[str, Any]) -> dict[str, Any]:
    """The address fields a message corrects: a whole address, parts of one, a civic number
    or a unit."""
    complete = [e["value"] for e in entities(parse_data, "address") if not e.get("role")]
    if complete and isinstance(complete[0], dict):
        return dict(complete[0])
    part = address_part(parse_data) or {}
    if unit := CORRECTED_UNIT.search(parse_data.get("text") or ""):
        kind = unit.group(1).lower()
        part["unit"] = unit.group(2)
        part["unit_kind"] = kind if kind in ("suite", "bureau") else None
    return part


def address_part(parse_data: dict[str, Any]) -> dict[str, Any] | None:
    """The part of an address one message gives, with the civic number it corrects (« non
    attendez, c'est le 1650, pas le 1600. H2X 3K2 »)."""
    found = [
        e["value"]
        for e in entities(parse_data, "address")
        if e.get("role") == INCOMPLETE and isinstance(e.get("value"), dict)
    ]
    text = parse_data.get("text") or ""
    part = dict(found[0]) if found else {}
    if number := CORRECTED_NUMBER.search(text):
        part["street_number"] = number.group(1)
    if not part and (city := city_alone(text)):
        part["city"] = city  # « Montréal », typed on its own between the street and the code
    return part or None


# « Montréal », « Saint-Jean-sur-Richelieu »: a place name typed alone, no digit, no question.
CITY_ALONE = re.compile(r"[^\W\d_][\w'’ -]{1,38}[^\W\d_]")


def city_alone(text: str) -> str | None:
    """The city a message gives on its own, if it is nothing but a place name."""
    name = text.strip(" .,!")
    if len(name.split()) > 3 or not CITY_ALONE.fullmatch(name) or any(c.isdigit() for c in name):
        return None
    if cues.is_closing(name) or cues.is_leaving_the_form(name) or cues.opens_with_yes(name):
        return None
    words = set(cues.words_of(name).split())
    if cues.opens_with_no(name) or words & NOT_A_CITY:
        return None
    return name


# Words of a sentence or a reply, never of a city's name.
NOT_A_CITY = set(
    "merci d'accord bien parfait super bonjour allo salut je j' tu vous il elle on nous moi "
    "pas sais est c'est ne ca quoi comment pourquoi".split()
)


def is_a_question(text: str) -> bool:
    return "?" in text or is_general_question(text, FLOW_INTENT)


def explain_what_is_missing(dispatcher: CollectingDispatcher, found: list[dict]) -> None:
    partial = next((e["value"] for e in found if isinstance(e.get("value"), dict)), None)
    if partial is None:
        dispatcher.utter_message(response="utter_address_not_understood")
    elif "outside_delivery_area" in (partial.get("problems") or []):
        dispatcher.utter_message(response="utter_address_outside_delivery_area")
    elif partial.get("problems"):
        dispatcher.utter_message(
            response="utter_address_postal_code_mismatch", postal_code=partial.get("postal_code")
        )
    else:
        missing = [name for name in partial.get("missing") or [] if name in MISSING_RESPONSES]
        for name in missing:
            dispatcher.utter_message(response=MISSING_RESPONSES[name])
        if not missing:  # the form asks for the whole address next: one question, not two
            dispatcher.utter_message(response="utter_address_missing")


class ActionRecordAddressChange(AssistantAction):
    """Runs when the address form is complete: show the address and ask to confirm it."""

    def name(self) -> str:
        return "action_record_address_change"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        address = as_address(tracker.get_slot(slots.NEW_ADDRESS))
        if address is None and asks_to_cancel(tracker.latest_message.get("text") or ""):
            # « non laisse faire l'adresse, je veux juste annuler »: the address is left, the
            # cancellation asked in the same words is answered
            cancellation = order_flow("action_cancel_order")
            if cancellation is not None:
                return [
                    SlotSet(slots.NEW_ADDRESS, None),
                    *cancellation.act(dispatcher, tracker, domain),
                ]
        if verified_identity(tracker) is None or address is None:
            if not cues.is_closing(tracker.latest_message.get("text") or ""):
                dispatcher.utter_message(response="utter_anything_else")  # not after a goodbye
            return [SlotSet(slots.NEW_ADDRESS, None)]
        return ask_to_confirm(dispatcher, address)
