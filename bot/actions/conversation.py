"""Yes/no answers, fallbacks and the handoff to a human."""

from __future__ import annotations

import re
from typing import Any

from components.handoff_state import HANDOFF_STATE_SLOT, WHILE_HANDED_OVER_ACTION
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import cues, slots
from actions.address import correct_the_address, correct_the_address_recorded
from actions.base import (
    HANDOFF_ACTION,
    IDENTIFICATION_FORM,
    AssistantAction,
    OrderBoundAction,
    announce_request,
    ask_confirmation,
    confirm_with_the_reason_given,
    flow_a_detail_continues,
    is_preview,
    order_flow,
    preference_noted_while_offered,
    progress_asked_about,
    verified_identity,
)
from actions.cues import words_of
from actions.details import names_a_piece, recent_messages
from actions.exchange import ASK_DEFECT
from actions.faq import (
    PERSONAL_ASPECTS,
    PERSONALISABLE,
    PERSONALISATION_CHANGE,
    PERSONALISE_PREFIX,
    answer_generally,
    answer_several_questions,
    answer_shipping,
    answer_the_other_questions,
    answer_what_next,
    answer_what_now,
    answer_why,
    aspect_of,
    fraud_reported,
    gift_card_still_missing,
    is_general_question,
    leave_the_form,
    offer_choices,
    order_number_missing,
    region_in,
    said_in_the_conversation,
    said_last_turn,
    someone_elses_order,
    stop_the_conversation,
    stop_what_is_pending,
    topic_named_in,
    unstated_practice_asked,
    write_waiting,
)
from actions.identification import ActionInform, answer_without_an_order
from actions.intents import ORDER_FLOWS
from actions.opening_hours import (
    OPENING_HOURS_TOPIC,
    day_asked,
    hours_and_a_person_offered,
    tell_the_opening_hours,
)
from actions.other_request import then_the_other_request
from actions.shop import help_desk, shop_clock, shop_service
from actions.shop_info import ActionPromoCode, ActionPromotions, promo_code_follow_up
from actions.warranty import cause_ruled_out_while_offered
from actions.withdrawal import (
    withdraw_the_request_for_a_person,
    withdrawn_right_after_the_handoff,
)
from backend.clock import SystemClock
from backend.handoff import (
    Availability,
    Handoff,
)

# « revenir à l'assistant », « je préfère continuer avec l'assistant », « retour au bot ».
_BACK_WORDS = {"revenir", "retour", "retourner", "reprendre", "continuer", "repasser"}
_ASSISTANT_WORDS = {"assistant", "assistante", "bot", "robot", "chatbot"}

MISUNDERSTOOD = {"nlu_fallback", "out_of_scope"}


def conversation_summary(tracker: Tracker) -> str:
    """What an agent needs to pick the conversation up: intents, order, last messages."""
    user_turns = [e for e in tracker.events if e.get("event") == "user"]
    intents = [turn.get("parse_data", {}).get("intent", {}).get("name") for turn in user_turns]
    identity = verified_identity(tracker)
    lines = [
        f"Intentions : {', '.join(i for i in intents if i) or 'aucune'}",
        f"Commande vérifiée : {identity.order_number if identity else 'aucune'}",
        "Derniers messages du client :",
        *[f"- {turn.get('text') or ''}"[:300] for turn in user_turns[-5:]],
    ]
    return "\n".join(lines)


# The assistant's last words before « oui » to a handoff offer tell why it was offered.
HANDOFF_REASONS = {
    "utter_offer_handoff": "misunderstood",
    "utter_sorry_angry": "angry",
    "utter_identity_locked": "identification",
    "utter_technical_problem": "identification",
    "utter_identity_checks_paused": "identification",
}


def handoff_reason(tracker: Tracker) -> str:
    """asked, misunderstood (twice), angry, identification (failed): for the support lead.
    Only what the assistant said just before the customer's latest message counts."""
    events = list(tracker.events)
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    start = users[-2] if len(users) > 1 else 0
    end = users[-1] if users else len(events)
    for event in reversed(events[start:end]):
        response = (event.get("metadata") or {}).get("utter_action")
        if event.get("event") == "bot" and response in HANDOFF_REASONS:
            return HANDOFF_REASONS[response]
    return "asked"


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Queue the conversation for a human (backend/handoff.py): live in this chat while the
    team is at work on a channel an agent can write to, else by email."""
    identity = verified_identity(tracker)
    channel = tracker.get_latest_input_channel()
    preview = is_preview(tracker)
    outcome = shop_service().create_handoff(
        conversation_summary(tracker),
        order_number=identity.order_number if identity else None,
        email=identity.email if identity else None,
        conversation_id=tracker.sender_id,
        dry_run=preview,
        channel=channel,
        reason=handoff_reason(tracker),
        queued_at=SystemClock().now(),
    )
    availability = Availability(live=False)
    if outcome.request is not None and outcome.request.reference and not preview:
        availability = help_desk().handed_over(
            Handoff(
                reference=outcome.request.reference,
                conversation_id=tracker.sender_id,
                channel=channel,
                reason=outcome.request.payload.get("reason") or "asked",
                summary=outcome.request.payload.get("summary") or "",
                order_number=outcome.request.order_number,
                customer_email=identity.email if identity else None,
            ),
            shop_clock().now(),
        )
    waiting: list[EventType] = []
    if availability.live:
        response, values = "utter_handoff_live", {}
        waiting = [SlotSet(HANDOFF_STATE_SLOT, "waiting")]
    elif availability.next_opening:
        response = "utter_handoff_after_hours_" + ("by_email" if identity else "write_to_support")
        values = {"next_opening": availability.next_opening}
    else:
        response = "utter_handoff_by_email" if identity else "utter_handoff_write_to_support"
        values = {}
    return [
        *announce_request(dispatcher, outcome, response, **values),
        SlotSet(slots.PENDING_CONFIRMATION, None),
        *waiting,
    ]


def wants_the_assistant_back(text: str) -> bool:
    """« revenir à l’assistant » (the button of utter_handoff_waiting) and its variants."""
    words = set(words_of(text).replace("'", " ").split())
    return bool(words & _BACK_WORDS) and bool(words & _ASSISTANT_WORDS)


class ActionWhileHandedOver(AssistantAction):
    """A customer's message while the conversation waits for an agent (docs/handoff.md): kept
    for the agent's transcript; the first one gets one short acknowledgment, the rest nothing;
    « revenir à l’assistant » takes the conversation out of the queue — unless an agent took
    it meanwhile, who then answers."""

    def name(self) -> str:
        return WHILE_HANDED_OVER_ACTION

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if wants_the_assistant_back(text) and not is_preview(tracker):
            return withdraw_the_request_for_a_person(dispatcher, tracker)
        if tracker.get_slot(HANDOFF_STATE_SLOT) == "waiting":
            dispatcher.utter_message(response="utter_handoff_waiting")
            return [SlotSet(HANDOFF_STATE_SLOT, "acknowledged")]
        return []


class ActionHumanHandoff(AssistantAction):
    def name(self) -> str:
        return HANDOFF_ACTION

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if (withdrawn := withdrawn_right_after_the_handoff(dispatcher, tracker)) is not None:
            return withdrawn  # « annulez ma demande de conseiller »
        text = tracker.latest_message.get("text") or ""
        if cues.is_sarcastic(text):  # « bravo le service client 👏 »: an apology, no request
            return ask_confirmation(dispatcher, "utter_sorry_not_helped", HANDOFF_ACTION)
        if cues.asks_opening_hours(text) and "?" in text:
            # « quelqu'un du service client est disponible maintenant ? », « je peux vous
            # joindre le samedi ? »: when, then the offer
            return hours_and_a_person_offered(dispatcher, text)
        if cues.asks_for_contact(text):
            # « c'est quoi votre numéro de téléphone ? » asks how to reach the team: the
            # answer, and a person offered, not a request opened unasked
            return ask_confirmation(dispatcher, "utter_contact_details", HANDOFF_ACTION)
        if cues.asks_when_the_team_answers(text) and "?" in text:
            # « combien de temps pour qu'un conseiller me réponde ? »: the delay, then the offer
            dispatcher.utter_message(response="utter_response_time")
            return ask_confirmation(dispatcher, "utter_offer_a_person", HANDOFF_ACTION)
        return hand_off(dispatcher, tracker)


class ActionAnswerYesNo(AssistantAction):
    """Routes « oui » / « non » to the question the assistant asked last, if any."""

    def name(self) -> str:
        return "action_answer_yes_no"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        pending = tracker.get_slot(slots.PENDING_CONFIRMATION)
        text = tracker.latest_message.get("text") or ""
        if parcel_found(dispatcher, tracker, text):  # « non c'est bon je l'ai reçu »
            return [SlotSet(slots.PENDING_CONFIRMATION, None)]
        if cues.reports_fraud(text):  # « Non, c'est une FRAUDE » to the offer of a case
            return fraud_reported(dispatcher)
        if cues.speaks_of_someone_elses_order(text):
            # « son courriel c'est…, ça devrait suffire non ? » is no « non »: it was read as a
            # goodbye, and the refusal must be said again
            return someone_elses_order(dispatcher)
        if not pending and ASK_DEFECT in said_last_turn(tracker) and cues.opens_with_no(text):
            # « Non, il n'y a pas de défaut » typed to « Est-ce le cas ? » about an engraved
            # piece: the exchange's answer (not exchangeable), not a goodbye
            exchange = order_flow(ORDER_FLOWS["exchange_item"])
            if exchange is not None:
                return exchange.act(dispatcher, tracker, domain)
        if (corrected := correct_the_address(dispatcher, tracker)) is not None:
            return corrected  # « non, c'est le 1650 »
        if (corrected := correct_the_address_recorded(dispatcher, tracker)) is not None:
            return corrected  # « oh non, c'est l'appartement 6 pas le 5 » once recorded
        if not pending and (checked := promo_code_follow_up(dispatcher, tracker)) is not None:
            return checked  # « ok et BIENVENUE10 ? »
        if (noted := preference_noted_while_offered(dispatcher, tracker)) is not None:
            return noted  # « non, je préfère un remboursement »
        if (kept := cause_ruled_out_while_offered(dispatcher, tracker)) is not None:
            return kept  # « non je l'ai pas fait modifier, c'est cassé tout seul »
        offering = not pending or pending.startswith(PERSONALISE_PREFIX)
        if pending and offering and cues.takes_the_answer_in(text):
            return thanks_for_the_answer(dispatcher)  # « ok super » to « je regarde ? »
        if (pending or "").startswith(PERSONALISE_PREFIX) and offer_left_behind(tracker, text):
            return thanks_for_the_answer(dispatcher)  # « ok » to the answer said after it
        if offering and cues.is_closing(text):  # « c'est tout » to « je regarde ? »: goodbye
            dispatcher.utter_message(response="utter_goodbye")
            # « bon ok c'est tout » while the order number is asked: the questions end too
            left = leave_the_form() if tracker.active_loop_name else the_rating_asked(tracker)
            return [SlotSet(slots.PENDING_CONFIRMATION, None), *left]
        classified_yes = tracker.latest_message.get("intent", {}).get("name") == "affirm"
        # « ça marche pas », « c'est poche » read like « ça marche », « c'est bon », and « ok
        # laisse faire », « bon ok, c'est tout » like « ok »: never a yes.
        agreed = classified_yes and not (
            cues.says_it_is_not(text)
            or cues.takes_back_the_yes(text)
            or cues.is_leaving_the_form(text)
            or cues.is_closing(text)
            or cues.contests_a_refusal(text)  # « c'est injuste ça »
            or cues.is_frustrated(text)
        )
        if not pending and classified_yes and not agreed:
            answered = answer_conversation_cue(dispatcher, tracker, text)
            if answered is None:
                # « ok bon tant pis » after a refusal: nothing to stop, nothing misunderstood
                leaving = cues.is_leaving_the_form(text)
                dispatcher.utter_message(
                    response="utter_anything_else" if leaving else "utter_please_rephrase"
                )
            return answered or []
        if not (pending and agreed) and (correction := correction_of_the_line(tracker)):
            return correction.act(dispatcher, tracker, domain)
        question = (
            len(words_of(text).split()) > 3
            and not (pending and cues.opens_with_yes(text))
            and (is_general_question(text) or a_question_not_an_answer(text))
        )
        # « ça me laisse jusqu'à quand ? » is a question, not a « oui »
        if question and (answered := answer_about_topic(dispatcher, tracker, text)) is not None:
            return answered
        if question and pending and classified_yes and not cues.opens_with_yes(text):
            # « ok, et pour une cliente de Seattle c'est en USD ? » to « je transmets votre
            # demande ? »: a question read as a yes is answered as a question, never agreed
            return ActionFallback().act(dispatcher, tracker, domain)
        if not agreed and (asked := request_after_a_no(dispatcher, tracker, domain)) is not None:
            return asked
        if not pending and not agreed and not cues.is_closing(text):
            # « Non, pardon, je voulais dire en Alberta. » after the Ontario rates: a
            # correction of the question just answered, not a goodbye
            corrected = answer_about_topic(dispatcher, tracker, text, aspects_only=True)
            if corrected is not None:
                return corrected
        return answer_the_pending_question(dispatcher, tracker, agreed)


# « ok mais », « oui mais », « d'accord mais »: what follows takes the answer back.
_BUT = re.compile(r"^(ok|okay|oui|ouais|d'accord|daccord|bon|ben)\W*\s*mais\b")


def a_question_not_an_answer(text: str) -> bool:
    """« ok mais c'est pas de l'usure normale ça ? » to « je regarde votre commande ? »: a
    question that takes the answer back, not a no (it was read as one, and dropped)."""
    return "?" in text and bool(_BUT.search(words_of(text)))


# What a « non » message may be read as that is no request of its own.
NOT_A_REQUEST = {
    "deny", "affirm", "goodbye", "thank", "greet", "inform", "out_of_scope", "nlu_fallback",
    "bot_challenge",
}  # fmt: skip
# How likely, in the classifier's ranking, the request after the « non » must be: the « non »
# takes most of the probability (« non je veux que vous ouvriez une demande » is 0.87 deny).
REQUEST_AFTER_NO_MIN_CONFIDENCE = 0.03


def request_after_a_no(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[EventType] | None:
    """« Non je veux que vous ouvriez une demande maintenant, ça fait 5 jours sans scan »: the
    « non » declines what was offered, and the request after it is answered, not taken for a
    goodbye. The request is the classifier's most likely intent after the no."""
    text = tracker.latest_message.get("text") or ""
    if not cues.no_then_a_request(text):
        return None
    ranking = tracker.latest_message.get("intent_ranking") or []
    intent = next(
        (
            entry["name"]
            for entry in ranking
            if entry["name"] not in NOT_A_REQUEST
            and entry.get("confidence", 0.0) >= REQUEST_AFTER_NO_MIN_CONFIDENCE
        ),
        None,
    )
    intent = request_after_the_opener(tracker) or topic_named_in(text, False) or intent
    if intent is None:
        # a request, not a goodbye, even when it cannot be placed
        dispatcher.utter_message(response="utter_please_rephrase")
        return [SlotSet(slots.PENDING_CONFIRMATION, None)]
    events: list[EventType] = [SlotSet(slots.PENDING_CONFIRMATION, None)]
    if write_waiting(tracker):
        dispatcher.utter_message(response="utter_confirmation_declined")  # nothing written
    return [*events, *act_as(intent, dispatcher, tracker, domain)]


# How sure the classifier must be of what follows a message's opener (components/questions.py
# `after_the_opener`) for it to be answered as that request.
REST_MIN_CONFIDENCE = 0.4


def request_after_the_opener(tracker: Tracker) -> str | None:
    """The intent of what follows « merci ! », « bonjour, », « non » in the latest message,
    classified apart from the opener, when it is a request of its own."""
    rest = tracker.latest_message.get("after_the_opener") or {}
    intent = rest.get("name")
    if intent in NOT_A_REQUEST or rest.get("confidence", 0.0) < REST_MIN_CONFIDENCE:
        return None
    return intent


def act_as(
    intent: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[EventType]:
    """Answer the latest message as a request of `intent`, whatever it was classified as."""
    if intent == "human_handoff":
        return hand_off(dispatcher, tracker)
    if (flow := order_flow(ORDER_FLOWS.get(intent, ""))) is not None:
        return flow.act(dispatcher, tracker, domain)
    if intent == "promotions":
        return ActionPromotions().act(dispatcher, tracker, domain)
    if intent == "promo_code":
        return ActionPromoCode().act(dispatcher, tracker, domain)
    aspect = aspect_of(intent, tracker.latest_message.get("text") or "")
    return answer_generally(dispatcher, tracker, shop_service(), intent, aspect)


def answer_after_the_opener(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[EventType] | None:
    """« Merci beaucoup ! Et vous livrez au Yukon ? », « Bonjour, livrez-vous en Belgique ? »:
    read whole as thanks or a greeting, the message asks something after them, and that is
    what gets answered (a bare thanks or greeting: None)."""
    rest = tracker.latest_message.get("after_the_opener") or {}
    if not rest:
        return None
    if (intent := request_after_the_opener(tracker)) is not None:
        return act_as(intent, dispatcher, tracker, domain)
    said = rest.get("text") or ""
    if cues.asks_something(said) and not (cues.is_closing(said) or cues.is_small_talk(said)):
        return ActionFallback().act(dispatcher, tracker, domain)  # the cues, then the topic
    return None  # « Coucou, ça va toi ? »: the greeting answers it


MISSING_PARCEL_CASE = "action_missing_parcel"


def parcel_found(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> bool:
    """« non c'est bon, je l'ai trouvé » to the offer of a missing-parcel case: glad, and no
    case (the words classify as nothing, and « reformulez » would answer the best news)."""
    offered = tracker.get_slot(slots.PENDING_CONFIRMATION) == MISSING_PARCEL_CASE
    if not (offered and cues.says_it_was_found(text)):
        return False
    dispatcher.utter_message(response="utter_parcel_found")
    return True


def correction_of_the_line(tracker: Tracker) -> OrderBoundAction | None:
    """« ah non, les boucles » after an answer about a line: the flow about lines goes on with
    the piece named, instead of the « non » ending the conversation or declining the offer.
    A « oui » to an offer is its answer (the piece it names is then the line written), and a
    « non » that names no piece keeps its meaning."""
    if tracker.active_loop_name or not names_a_piece(tracker.latest_message):
        return None
    return flow_a_detail_continues(tracker)


def answer_the_pending_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, agreed: bool
) -> list[EventType]:
    """Carry out what « oui » or « non » answers: the write offered, the personalised check,
    the handoff; with nothing pending, a yes asks how to help and a no says goodbye."""
    pending = tracker.get_slot(slots.PENDING_CONFIRMATION)
    cleared: list[EventType] = [SlotSet(slots.PENDING_CONFIRMATION, None)]
    if not pending:
        # « non » / « non merci » to « Puis-je vous aider avec autre chose ? » ends the
        # conversation; asking the same question again would loop.
        dispatcher.utter_message(response="utter_how_can_i_help" if agreed else "utter_goodbye")
        if agreed or tracker.active_loop_name:
            return cleared
        return [*cleared, *the_rating_asked(tracker)]
    if pending.startswith(PERSONALISE_PREFIX):
        return [*cleared, *personalise(dispatcher, tracker, pending, agreed)]
    if not agreed and (went_on := go_on_after_the_anger(dispatcher, tracker)) is not None:
        return [*cleared, *went_on]
    if not agreed:
        dispatcher.utter_message(response="utter_confirmation_declined")
        return cleared
    if pending == HANDOFF_ACTION:
        return hand_off(dispatcher, tracker)
    flow, identity = order_flow(pending), verified_identity(tracker)
    if flow is None or identity is None:
        dispatcher.utter_message(response="utter_anything_else")
        return cleared
    confirmed = flow.confirm(dispatcher, tracker, shop_service(), identity)
    return [*cleared, *then_the_other_request(dispatcher, tracker, confirmed, flow.topic())]


def go_on_after_the_anger(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """« Non, continuer ici » to the person offered for an angry message: the request the
    angry message made (« je veux annuler ma commande de merde ») is taken up here, not
    dropped with « je ne fais rien »."""
    if "utter_sorry_angry" not in said_last_turn(tracker):
        return None
    before = recent_messages(tracker, 2)[1:]
    intent = ((before[0].get("intent") or {}).get("name") or "") if before else ""
    if intent not in ORDER_FLOWS and intent not in PERSONALISABLE:
        return None
    dispatcher.utter_message(response="utter_go_on_here")
    return act_as(intent, dispatcher, tracker, {})


def personalise(
    dispatcher: CollectingDispatcher, tracker: Tracker, offer: str, agreed: bool
) -> list[EventType]:
    """The answer to « Voulez-vous que je vérifie votre commande ? » after a general answer: the
    flow offered, through identification unless the order is already verified (asking for it
    again would greet the customer a second time)."""
    if not agreed:
        dispatcher.utter_message(response="utter_offer_declined")
        return []
    flow = offer.removeprefix(PERSONALISE_PREFIX)
    identity = verified_identity(tracker)
    if identity is not None and (verified_flow := order_flow(flow)) is not None:
        # answered here: a flow run as a follow-up action leaves the next prediction to the
        # policies, which know no rule after it and fell back to « reformulez »
        return verified_flow.answer_verified(dispatcher, tracker, identity)
    return [SlotSet(slots.PENDING_FLOW, flow), FollowupAction(IDENTIFICATION_FORM)]


# The answers that tell the customer they were not understood.
NOT_UNDERSTOOD = {
    "utter_please_rephrase",
    "utter_clarify",
    "utter_out_of_scope",
    "utter_offer_handoff",
    "utter_offer_handoff_out_of_scope",
}
# A message the classifier could not place with confidence may still lean towards a subject:
# the subjects it leans towards above this confidence are offered as buttons (Rasa's
# two-stage fallback idea), at most this many, instead of a bare « reformulez ».
CLARIFY_MIN_CONFIDENCE = 0.2
CLARIFY_MAX_CHOICES = 2
CLARIFY_OPTIONS = "utter_clarify_options"


def consecutive_fallbacks(tracker: Tracker) -> int:
    """Messages in a row, up to the latest, that were out of scope or not understood and
    got « je n'ai pas compris »: small talk or a frustrated message the assistant did
    answer does not count towards offering a human."""
    count = 0
    answers: set[str] = set()
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            answers.add((event.get("metadata") or {}).get("utter_action") or "")
            continue
        if event.get("event") != "user":
            continue
        if event.get("parse_data", {}).get("intent", {}).get("name") not in MISUNDERSTOOD:
            break
        if count and not answers & NOT_UNDERSTOOD:
            break
        count += 1
        answers = set()
    return count


def write_still_to_confirm(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str
) -> list[EventType] | None:
    """A message not understood while a write waits for its « oui »: « hmm laisse faire
    finalement » declines it; anything else asks for the yes or no again, so that a later
    « oui » answers a question just asked, not one an out-of-scope answer came between (a
    tester's « oui c'est ça » wrote an address after « laisse faire » got that answer)."""
    pending = write_waiting(tracker)
    if not pending:
        return None  # an offer to check the order or of a person: the question goes on
    if cues.is_leaving_the_form(text):
        return answer_the_pending_question(dispatcher, tracker, agreed=False)
    return ask_confirmation(dispatcher, "utter_confirm_yes_or_no", pending)


class ActionFallback(AssistantAction):
    """A first message out of scope or not understood gets its answer; two in a row, a human."""

    def name(self) -> str:
        return "action_fallback"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if (rated := rating_typed(dispatcher, tracker)) is not None:
            return rated
        if cues.is_in_english(text):  # « I want to speak to a human please »
            return ask_confirmation(dispatcher, "utter_french_only", HANDOFF_ACTION)
        if (confirmed := confirm_with_the_reason_given(dispatcher, tracker)) is not None:
            return confirmed
        if not tracker.active_loop_name and (flow := flow_a_detail_continues(tracker)):
            return flow.act(dispatcher, tracker, domain)  # « les boucles » after the return answer
        if (corrected := correct_the_address(dispatcher, tracker)) is not None:
            return corrected  # « oui mais c'est l'appartement 3 »: shown again, not written
        if (
            tracker.get_slot(slots.PENDING_CONFIRMATION)
            and cues.opens_with_yes(text)
            and ("?" not in text)
        ):
            # « oui j'ai regardé partout » to « j'ouvre un dossier ? »: the rest of the words
            # may classify as nothing, the oui still answers the question.
            return answer_the_pending_question(dispatcher, tracker, agreed=True)
        if parcel_found(dispatcher, tracker, text):
            return [SlotSet(slots.PENDING_CONFIRMATION, None)]
        if (corrected := correct_the_address_recorded(dispatcher, tracker)) is not None:
            return corrected
        if (checked := promo_code_follow_up(dispatcher, tracker)) is not None:
            return checked
        if (noted := preference_noted_while_offered(dispatcher, tracker)) is not None:
            return noted
        if (
            is_a_bare_question_mark(text)
            and answered_before(tracker)
            and not tracker.get_slot(slots.PENDING_CONFIRMATION)
        ):
            dispatcher.utter_message(response="utter_what_is_unclear")  # not the block again
            return []
        answered = answer_conversation_cue(dispatcher, tracker, text)
        if answered is None:
            answered = answer_about_topic(dispatcher, tracker, text)
        if answered is None and (leaning := topic_leaned_towards(tracker, text)) is not None:
            # « c'est quoi les étapes si un colis est perdu ? » just below the threshold
            aspect = aspect_of(leaning, text)
            answered = answer_generally(dispatcher, tracker, shop_service(), leaning, aspect)
        if answered is None:
            answered = answer_several_questions(dispatcher, tracker, shop_service())
        if answered is not None:
            return [*answered, *leave_the_form()] if tracker.active_loop_name else answered
        intent = tracker.latest_message.get("intent", {}).get("name")
        if consecutive_fallbacks(tracker) >= 2:
            # a second question outside the shop's subjects was understood: never « je
            # n'arrive toujours pas à comprendre »
            offer = "utter_offer_handoff_out_of_scope" if intent == "out_of_scope" else None
            return ask_confirmation(dispatcher, offer or "utter_offer_handoff", HANDOFF_ACTION)
        if (asked := write_still_to_confirm(dispatcher, tracker, text)) is not None:
            return asked
        if intent == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        choices = [] if tracker.active_loop_name else clarification_choices(tracker, domain)
        if choices:
            dispatcher.utter_message(response="utter_clarify", buttons=choices)
        else:
            dispatcher.utter_message(response="utter_please_rephrase")
        return []


OFFER_TO_CHECK = "utter_faq_offer_personalised"


def offer_left_behind(tracker: Tracker, text: str) -> bool:
    """A bare « ok » when the offer to check the order was made turns ago and another answer
    followed it: the answer taken in, not a yes to the old offer (a tester was asked for the
    order number)."""
    return cues.is_a_bare_ok(text) and OFFER_TO_CHECK not in said_last_turn(tracker)


def answered_before(tracker: Tracker) -> bool:
    """Whether the assistant has said something in this conversation yet."""
    return any(event.get("event") == "bot" and event.get("text") for event in tracker.events)


def is_a_bare_question_mark(text: str) -> bool:
    """« ? », « ?? », « ❓ »: the customer did not follow, and says no more."""
    return "?" in text.replace("❓", "?").replace("❔", "?") and not re.search(r"\w", text)


# How sure the classifier must be of a subject, below its fallback threshold, for a general
# question to get that subject's general answer: a general answer asks nothing and writes
# nothing, so a near miss costs little, and « reformulez » answers nothing at all.
LEANING_MIN_CONFIDENCE = 0.5


def topic_leaned_towards(tracker: Tracker, text: str) -> str | None:
    """The FAQ subject a general question not understood with confidence leans towards."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    candidates = [c for c in ranking if c.get("name") not in {"nlu_fallback", "out_of_scope"}]
    if not candidates:
        return None
    best = candidates[0]
    topic = str(best.get("name"))
    if best.get("confidence", 0.0) < LEANING_MIN_CONFIDENCE or topic not in PERSONALISABLE:
        return None
    return topic if "?" in text and is_general_question(text, topic) else None


def clarification_choices(tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
    """The buttons of the subjects a message not understood leans towards, most likely first.

    The buttons come from the domain's catalogue `utter_clarify_options` (their titles are
    customer text, and their payloads are thereby the assistant's own, which the customer
    input guard lets through)."""
    catalogue = domain.get("responses", {}).get(CLARIFY_OPTIONS) or [{}]
    options = {button["payload"]: button for button in catalogue[0].get("buttons", [])}
    ranking = tracker.latest_message.get("intent_ranking") or []
    leaning = [
        options[f"/{candidate.get('name')}"]
        for candidate in ranking
        if f"/{candidate.get('name')}" in options
        and candidate.get("confidence", 0.0) >= CLARIFY_MIN_CONFIDENCE
    ]
    return leaning[:CLARIFY_MAX_CHOICES]


def answer_conversation_cue(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str
) -> list[EventType] | None:
    """A message about the conversation itself (leaving, angry, small talk, no order number,
    a vague opener, shipping): its answer, or None when it is none of these."""
    if cues.is_closing(text):
        dispatcher.utter_message(response="utter_goodbye")
        return [SlotSet(slots.PENDING_CONFIRMATION, None)]
    if cues.reports_fraud(text):
        return fraud_reported(dispatcher)
    if cues.speaks_of_someone_elses_order(text):
        return someone_elses_order(dispatcher)
    if (stopped := stop_what_is_pending(dispatcher, tracker)) is not None:
        return stopped
    if (done := stop_the_conversation(dispatcher, tracker)) is not None:
        return done
    if cues.has_no_order_yet(text):
        return answer_without_an_order(dispatcher, tracker)
    if (missing := order_number_missing(dispatcher, tracker)) is not None:
        return missing
    if (next_steps := answer_what_next(dispatcher, tracker)) is not None:
        return next_steps
    if (alternatives := answer_what_now(dispatcher, tracker, shop_service())) is not None:
        return alternatives
    if (explained := answer_why(dispatcher, tracker)) is not None:
        return explained
    if (checked := gift_card_still_missing(dispatcher, tracker)) is not None:
        return checked
    if (followed := answer_about_topic(dispatcher, tracker, text, aspects_only=True)) is not None:
        return followed
    if cues.is_leaving_the_form(text) and tracker.active_loop_name:
        dispatcher.utter_message(response="utter_identification_stopped")
        return []
    if cues.is_angry(text):
        return ask_confirmation(dispatcher, "utter_sorry_angry", HANDOFF_ACTION)
    if cues.is_frustrated(text) or cues.is_sarcastic(text):
        dispatcher.utter_message(response="utter_sorry_frustrated")
        return []
    if cues.is_small_talk(text):
        dispatcher.utter_message(response="utter_small_talk")
        return []
    if cues.is_vague_opener(text):
        return offer_choices(dispatcher)
    if cues.is_shipping_question(text):
        return answer_shipping(dispatcher, text)
    asks_about_a_day = tracker.get_slot(slots.TOPIC) == OPENING_HOURS_TOPIC and day_asked(text)
    if cues.asks_opening_hours(text) or asks_about_a_day:  # then « et le samedi ? »
        return tell_the_opening_hours(dispatcher, text)
    if cues.asks_for_contact(text):
        return ask_confirmation(dispatcher, "utter_contact_details", HANDOFF_ACTION)
    if cues.changes_the_personalisation(text):
        return ask_confirmation(dispatcher, PERSONALISATION_CHANGE, HANDOFF_ACTION)
    if (practice := unstated_practice_asked(text)) is not None:
        dispatcher.utter_message(response=practice)
        # « combien de temps pour faire graver une bague, et vous acceptez paypal ? »
        answer_the_other_questions(dispatcher, tracker, shop_service(), practice)
        return []
    if cues.asks_about_gift_cards(text):
        dispatcher.utter_message(response="utter_faq_gift_cards")
        return [SlotSet(slots.TOPIC, "gift_cards")]  # its follow-ups are about gift cards
    for cue, response in PLAIN_ANSWERS:
        if cue(text):
            dispatcher.utter_message(response=response)
            return []
    return None


# Questions around the shop that get one answer, with nothing left pending.
PLAIN_ANSWERS = (
    (cues.is_payment_question, "utter_payment_methods"),
    (cues.asks_when_the_team_answers, "utter_response_time"),
    (cues.is_product_question, "utter_product_question"),
)


_QUESTION = re.compile(r"\?|\b(quoi|comment|quand|pourquoi|combien|ou|est-ce|qui)\b")


def answer_about_topic(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str, aspects_only: bool = False
) -> list[EventType] | None:
    """A message the classifier could not place, read as a follow-up about the topic of the
    conversation: the aspect it names, or (a question still) the topic's general answer."""
    identity = verified_identity(tracker)
    if identity is not None and (check := progress_asked_about(tracker)) is not None:
        return check.answer_verified(dispatcher, tracker, identity)  # « c'est normal ? »
    topic = tracker.get_slot(slots.TOPIC)
    if topic == OPENING_HOURS_TOPIC:
        topic = None  # no FAQ block of its own: « et le samedi ? » is answered by the cues
    named = None
    if not topic or (aspects_only is False and aspect_of(topic, text) is None):
        named = topic_named_in(text)
        topic = named or topic
    if not topic:
        return None
    aspect = aspect_of(topic, text)
    if aspect is None and (aspects_only or not _QUESTION.search(words_of(text))):
        return None
    if aspect is None and named is None and not reads_as_a_follow_up(tracker, text):
        return None
    flow = order_flow(ORDER_FLOWS.get(topic, ""))
    # « et si je l'avais fait livrer à Montréal ? »: a region named is that region's rule
    personal = aspect in PERSONAL_ASPECTS and not (aspect == "region" and region_in(text))
    if identity is not None and flow is not None and personal:
        # « j'ai regardé partout, rien » about the verified order's parcel: the flow's own
        # answer, not the general one that asks for the order again
        return flow.answer_verified(dispatcher, tracker, identity)
    return answer_generally(dispatcher, tracker, shop_service(), topic, aspect)


_CONTINUATION = re.compile(r"^(et|pis|puis|mais|aussi|alors|sinon|pour|si|dans)\b")
# « comment faire pour pas les rater ? », « comment ça se fait ? »: a pronoun standing for
# what was just answered.
_POINTS_BACK = re.compile(r"\b(ca|cela|ceci|pareil)\b|\b(les|le|la|l'|en|y) ?\w+(er|ir|re)\b")
# « ça coûte combien ? », « c'est gratuit ? »: too short to carry a subject of their own.
FOLLOW_UP_MAX_WORDS = 4


def reads_as_a_follow_up(tracker: Tracker, text: str) -> bool:
    """A question the classifier could not place is about the conversation's topic when its
    form says so: it opens like a continuation (« et pour les États-Unis ? », « mais si… »),
    points back with a pronoun (« comment faire pour pas les rater ? ») or is too short to
    name a subject. A full question the classifier is sure is out of the
    shop's scope (« est-ce que je peux payer avec PayPal ? » after a shipping answer) is a new
    subject: answering it with the topic's answer once more would answer what was not asked."""
    if tracker.latest_message.get("intent", {}).get("name") != "out_of_scope":
        return True
    words = words_of(text).replace("?", " ").split()
    joined = " ".join(words)
    return (
        len(words) <= FOLLOW_UP_MAX_WORDS
        or bool(_CONTINUATION.match(joined))
        or bool(_POINTS_BACK.search(joined))
    )


class ActionGoodbye(AssistantAction):
    """« bye », « merci, bonne journée »: a goodbye, then the satisfaction question. A
    question the classifier read as a goodbye (« et la fin de semaine ? », « pourquoi
    pas ? ») is answered like any message it could not place: ending the conversation on
    it would leave the question unanswered."""

    def name(self) -> str:
        return "action_goodbye"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if cues.asks_something(text) and not cues.is_closing(text):
            return ActionFallback().act(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_goodbye")
        return [FollowupAction(ASK_THE_RATING)]


ASK_THE_RATING = "utter_ask_csat"


def the_rating_asked(tracker: Tracker) -> list[EventType]:
    """After a goodbye however it is worded (« merci, bonne soirée », « non merci »), the
    rating question, once per conversation: only « au revoir » asked it."""
    asked = said_in_the_conversation(tracker, ASK_THE_RATING)
    return [] if asked else [FollowupAction(ASK_THE_RATING)]


class ActionGreet(AssistantAction):
    """A greeting gets the assistant's welcome; « Bonjour, livrez-vous en Belgique ? », read
    whole as a greeting, gets its question answered instead."""

    def name(self) -> str:
        return "action_greet"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if cues.is_in_english(tracker.latest_message.get("text") or ""):
            return ask_confirmation(dispatcher, "utter_french_only", HANDOFF_ACTION)
        if (asked := answer_after_the_opener(dispatcher, tracker, domain)) is not None:
            return asked
        dispatcher.utter_message(response="utter_greet")
        return []


class ActionThank(AssistantAction):
    """« merci » gets a welcome; « merci, bonne soirée » or thanks after the last question
    end the conversation, without asking once more whether there is anything else."""

    def name(self) -> str:
        return "action_thank"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if (rated := rating_typed(dispatcher, tracker)) is not None:
            return rated  # « merci, 5/5 »
        if (asked := answer_after_the_opener(dispatcher, tracker, domain)) is not None:
            return asked  # « merci ! et vous livrez au Yukon ? »
        if cues.thanks_for_nothing(text) or cues.is_sarcastic(text):  # never « Avec plaisir ! »
            return ask_confirmation(dispatcher, "utter_sorry_not_helped", HANDOFF_ACTION)
        pending = tracker.get_slot(slots.PENDING_CONFIRMATION) or ""
        if pending.startswith(PERSONALISE_PREFIX) and cues.takes_the_answer_in(text):
            return thanks_for_the_answer(dispatcher)  # « d'accord merci » to « je regarde ? »
        if pending and cues.opens_with_yes(text):
            # « oui, merci » to « Souhaitez-vous que je crée la demande ? » is a yes
            return answer_the_pending_question(dispatcher, tracker, agreed=True)
        if cues.is_closing(text):
            dispatcher.utter_message(response="utter_goodbye")
            if tracker.active_loop_name:  # « merci, bonne journée » ends the questions too
                return [SlotSet(slots.PENDING_CONFIRMATION, None), *leave_the_form()]
            return [SlotSet(slots.PENDING_CONFIRMATION, None), *the_rating_asked(tracker)]
        else:
            dispatcher.utter_message(response="utter_you_are_welcome")
        return [SlotSet(slots.PENDING_CONFIRMATION, None)]


def thanks_for_the_answer(dispatcher: CollectingDispatcher) -> list[EventType]:
    """« d'accord merci » to the offer to check the order: the answer was enough, the offer
    is not taken up (starting the order check would ask for a number nobody wants to give)."""
    dispatcher.utter_message(response="utter_you_are_welcome")
    return [SlotSet(slots.PENDING_CONFIRMATION, None)]


RATING_DIGIT = re.compile(r"(?<!\d)([1-5])(?!\d)")
OUT_OF_FIVE = re.compile(r"(?:/|\bsur)\s*5\b")


RATING_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}
RATING_WORDS_MAX = 4


def rating_of(tracker: Tracker) -> int | None:
    """The 1–5 rating of the latest message: a button's entity, or the one digit typed
    (« 4 sur 5 », « 4/5 », « 5 étoiles »), or a short « cinq sur cinq »."""
    entity = next(tracker.get_latest_entity_values("csat_rating"), None)
    text = str(entity) if entity is not None else (tracker.latest_message.get("text") or "")
    digits = set(RATING_DIGIT.findall(OUT_OF_FIVE.sub(" ", text)))
    words = words_of(text).replace("/", " ").split()
    if not digits and len(words) <= RATING_WORDS_MAX:
        named = [RATING_WORDS[word] for word in words if word in RATING_WORDS]
        digits = {str(named[0])} if named else set()
    return int(digits.pop()) if len(digits) == 1 else None


def rating_typed(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """« 5 », « 4/5 », « cinq » right after the rating question: the classifier reads a bare
    number as out of scope, and the rule for the rating buttons never ran; the rating is
    recorded whatever intent it was read as."""
    if ASK_THE_RATING not in said_last_turn(tracker) or rating_of(tracker) is None:
        return None
    return ActionRateConversation().act(dispatcher, tracker, {})


class ActionRateConversation(AssistantAction):
    """Store the customer's optional answer to « Cette conversation vous a-t-elle aidé ? »;
    anything else said after the question is handled as the `inform` it was classified."""

    def name(self) -> str:
        return "action_rate_conversation"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        rating = rating_of(tracker)
        if rating is None:
            return ActionInform().act(dispatcher, tracker, domain)
        if not is_preview(tracker):
            help_desk().rate(
                tracker.sender_id,
                tracker.get_latest_input_channel(),
                rating,
                SystemClock().now(),  # the real time, like the conversation's events
            )
        dispatcher.utter_message(response="utter_thanks_for_rating")
        return []
