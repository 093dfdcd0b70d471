"""Identification: formats explained, one answer for any mismatch, three strikes."""

from __future__ import annotations

import asyncio

import pytest
from action_helpers import make_tracker, responses, run_action, slot_events
from actions import cues, slots
from actions.conversation import ActionAnswerYesNo
from actions.identification import (
    ActionInform,
    ActionSwitchFlow,
    ValidateIdentificationForm,
    email_with_corrected_ending,
)
from actions.tracking import ActionTrackOrder
from rasa_sdk.executor import CollectingDispatcher
from support import read_yaml

from tools.model import BOT_DIR

MARIE = "marie.tremblay@exemple.ca"
DOMAIN = read_yaml(BOT_DIR / "domain.yml")


def validate(tracker):
    dispatcher = CollectingDispatcher()
    form = ValidateIdentificationForm()
    events = asyncio.run(form.get_validation_events(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def form_tracker(order_number=None, email=None, failures=0):
    slots = {
        "order_number": order_number,
        "email": email,
        "identity_failures": failures,
        "requested_slot": "email",
    }
    tracker = make_tracker(text=f"{order_number or ''} {email or ''}", slots=slots)
    tracker.active_loop = {"name": "identification_form"}
    # As after action_extract_slots: the user message, then the extracted candidates.
    candidates = {k: v for k, v in slots.items() if v and k != "requested_slot"}
    tracker.events = [
        {"event": "active_loop", "name": "identification_form"},
        {"event": "user", "text": tracker.latest_message["text"],
         "parse_data": tracker.latest_message},
        *[{"event": "slot", "name": k, "value": v} for k, v in candidates.items()],
    ]  # fmt: skip
    return tracker


def test_matching_order_and_email_verify_the_customer(shop):
    messages, events = validate(form_tracker("AZ104203", MARIE))

    assert slot_events(events)["verified_order"] == "AZ104203"
    assert slot_events(events)["verified_email"] == MARIE
    assert messages == []


def test_email_is_compared_case_insensitively(shop):
    _, events = validate(form_tracker("AZ104203", "Marie.Tremblay@Exemple.CA"))

    assert slot_events(events)["verified_order"] == "AZ104203"


def test_wrong_email_and_wrong_number_get_the_same_answer(shop):
    wrong_email, _ = validate(form_tracker("AZ104203", "someone@exemple.ca"))
    wrong_number, _ = validate(form_tracker("AZ999999", MARIE))

    assert responses(wrong_email) == responses(wrong_number) == ["utter_identity_mismatch"]


def test_a_failed_lookup_counts_keeps_the_number_and_asks_the_email_again(shop):
    # « pardon, c'est jdupont@exemple.fr » then corrects the email alone
    _, events = validate(form_tracker("AZ104203", "someone@exemple.ca", failures=1))

    assert slot_events(events)["identity_failures"] == 2
    assert slot_events(events).get("order_number", "AZ104203") == "AZ104203"
    assert slot_events(events)["email"] is None


@pytest.mark.parametrize(
    "message",
    [
        "Son courriel c'est marie.tremblay@exemple.ca",
        "c'est la commande de mon amie Marie, marie.tremblay@exemple.ca",
    ],
)
def test_identifying_with_someone_elses_order_looks_nothing_up(shop, message):
    tracker = form_tracker("AZ104203", MARIE)
    tracker.latest_message["text"] = message

    messages, events = validate(tracker)

    assert responses(messages) == ["utter_someone_elses_order"]
    assert "verified_order" not in {k for k, v in slot_events(events).items() if v}
    assert slot_events(events)["requested_slot"] is None


def refused_earlier(order_number: str, email: str):
    """A conversation where the order was refused as another person's, then asked again."""
    tracker = form_tracker(order_number, email)
    tracker.events = [
        {"event": "user", "text": f"c'est la commande de ma femme, {order_number}",
         "parse_data": {"entities": [{"entity": "order_number", "value": order_number}]}},
        {"event": "bot", "metadata": {"utter_action": "utter_someone_elses_order"}},
        {"event": "slot", "name": "order_number", "value": None},
        *tracker.events,
    ]  # fmt: skip
    return tracker


def test_an_order_refused_as_someone_elses_stays_refused_when_asked_again(shop):
    messages, events = validate(refused_earlier("AZ104203", MARIE))

    assert responses(messages) == ["utter_someone_elses_order"]
    assert not slot_events(events).get("verified_order")


def test_an_order_not_named_before_the_refusal_is_looked_up(shop):
    tracker = refused_earlier("AZ104203", MARIE)
    tracker.events[0]["parse_data"]["entities"][0]["value"] = "AZ104206"

    _, events = validate(tracker)

    assert slot_events(events)["verified_order"] == "AZ104203"


def test_the_third_failure_ends_the_form(shop):
    messages, events = validate(form_tracker("AZ104203", "someone@exemple.ca", failures=2))

    assert slot_events(events)["requested_slot"] is None
    assert "utter_identity_mismatch" not in responses(messages)


def test_a_malformed_order_number_is_explained():
    dispatcher = CollectingDispatcher()
    result = ValidateIdentificationForm().validate_order_number("12-34", dispatcher, None, {})

    assert result == {"order_number": None}
    assert responses(dispatcher.messages) == ["utter_invalid_order_number"]


def test_an_order_flow_asks_for_identification_first():
    _, events = run_action(ActionTrackOrder(), make_tracker("où est ma commande"))

    followups = [e["name"] for e in events if e["event"] == "followup"]

    assert followups == ["identification_form"]
    assert slot_events(events)["pending_flow"] == "action_track_order"


def test_a_locked_conversation_makes_no_lookup_and_offers_a_human(shop):
    tracker = make_tracker(
        "où est ma commande", slots={"identity_failures": 3, "verified_order": None}
    )
    messages, events = run_action(ActionTrackOrder(), tracker)

    assert responses(messages) == ["utter_identity_locked"]
    assert slot_events(events)["pending_confirmation"] == "action_human_handoff"


def test_a_database_outage_gives_an_apology_and_a_handoff_offer_not_a_crash(monkeypatch, tmp_path):
    from actions.shop import shop_service

    monkeypatch.setenv("ALLYZURE_DATABASE_URL", f"sqlite:///{tmp_path}/missing/dir/shop.db")
    shop_service.cache_clear()
    tracker = make_tracker(
        "où est ma commande",
        slots={"verified_order": "AZ104203", "verified_email": MARIE},
    )
    messages, events = run_action(ActionTrackOrder(), tracker)
    shop_service.cache_clear()

    assert responses(messages) == ["utter_technical_problem"]
    assert slot_events(events)["pending_confirmation"] == "action_human_handoff"


def test_logs_never_show_a_customer_email():
    from actions.base import mask_emails

    assert mask_emails("no row for marie.tremblay@exemple.ca") == "no row for ***@exemple.ca"


def test_where_to_find_the_order_number_asked_during_identification_is_answered_in_place():
    tracker = make_tracker("je le trouve où, le numéro de commande ?", intent="track_order")

    messages, events = run_action(ActionSwitchFlow(), tracker)

    assert responses(messages) == ["utter_faq_order_number"]
    assert not [e for e in events if e.get("event") == "active_loop"]  # the form goes on


def test_an_email_after_an_aside_goes_on_with_the_request_that_asked_for_it():
    tracker = make_tracker(
        MARIE,
        intent="inform",
        slots={
            slots.PENDING_FLOW: "action_return_item",
            slots.PENDING_CONFIRMATION: "personalise:action_tax_info",
        },
    )

    assert ActionInform._flow_in_context(tracker).name() == "action_return_item"


@pytest.mark.parametrize(
    ("message", "someone_else"),
    [
        ("Son courriel c'est marie.tremblay@exemple.ca", True),
        ("Et son numéro de téléphone ?", True),
        ("la commande de mon amie Marie est où ?", True),
        ("ma sœur Julie a commandé une bague", True),
        (
            "je suis la mère de Jean, il a commandé une bague (AZ104202), son mail c'est j@x.fr",
            True,
        ),
        ("je suis la mère de la mariée, j'ai commandé une bague", False),
        ("Bonjour, je suis l'épouse de Julien Dupont, où est sa commande AZ104206 ?", True),
        ("je m'occupe des commandes de ma blonde Sophie, son colis est livré ?", True),
        ("bonjour je suis le conjoint de Sophie Martin, sa réclamation de garantie avance ?", True),
        ("ma mère Marie Tremblay m'a demandé de vérifier où en est son colis AZ104203", True),
        ("mon mari attend des boucles, commande AZ104206, il m'a demandé de vous écrire", True),
        ("ma fille m'a dit que la bague est trop petite, je peux la retourner ?", False),
        ("son adresse c'est marie.tremblay@exemple.ca", True),
        (
            "Bonjour, j'écris pour le compte de mon père Julien Dupont, où en est sa commande ?",
            True,
        ),
        ("c'est jdupont@exemple.fr (l'adresse de papa)", True),
        (
            "je suis l'adjointe administrative de Mme Marie Tremblay. Elle me demande de vérifier",
            True,
        ),
        ("j'écris au nom de ma mère", True),
        ("je déménage, vous pouvez changer l'adresse de ma commande AZ306109 ?", False),
        ("livrez plutôt à l'adresse de ma mère, 12 rue Laurier", False),
        ("le trèfle a perdu son émail sur les bords", False),
        ("ma mère Marie Tremblay m'a demandé d'appeler pour sa commande, je suis son fils", True),
        (
            "je suis l'assistant personnel de M. Dupont, il veut connaître l'état de sa commande",
            True,
        ),
        ("je commande au nom de mon entreprise ?", False),
        (
            "je peux lui envoyer une carte-cadeau électronique directement à son adresse courriel?",
            False,
        ),
        ("son adresse est 12 rue Laurier, je veux la changer", False),
        ("les commandes de mon mari, vous les voyez ?", True),
        # the buyer's own order, a gift or a delivery elsewhere
        ("j'ai commandé pour ma mère, son adresse est 12 rue Laurier", False),
        ("ma fille a reçu sa commande", False),
        ("son numéro de suivi ne marche pas", False),
        ("mon courriel est marie@exemple.ca", False),
    ],
)
def test_someone_elses_order_is_recognised(message, someone_else):
    assert cues.speaks_of_someone_elses_order(message) is someone_else


def test_asking_about_someone_else_after_verification_forgets_the_verified_order(shop):
    verified = {slots.VERIFIED_ORDER: "AZ104203", slots.VERIFIED_EMAIL: MARIE}
    tracker = make_tracker("Et son numéro de téléphone ?", intent="human_handoff", slots=verified)

    messages, events = run_action(ActionTrackOrder(), tracker)

    assert responses(messages) == ["utter_someone_elses_order"]
    assert slot_events(events)[slots.VERIFIED_ORDER] is None
    assert slot_events(events)[slots.VERIFIED_EMAIL] is None


def test_a_corrected_order_number_is_tried_with_the_email_already_given(shop):
    # « oups, c'est AZ104203 » after a failed lookup with Marie's email and a wrong number
    tracker = form_tracker("AZ104203", None, failures=1)
    tracker.slots["tried_email"] = MARIE

    messages, events = validate(tracker)

    assert slot_events(events)["verified_order"] == "AZ104203"
    assert slot_events(events)["tried_email"] is None
    assert messages == []


def test_an_email_ending_corrected_alone_is_tried_with_the_rest_of_the_email(shop):
    # « ah non c'est .ca » after marie.tremblay@exemple.com matched nothing
    tracker = make_tracker("ah non c'est .ca", intent="deny", slots={
        "order_number": "AZ104203", "email": None, "requested_slot": "email",
        "tried_email": "marie.tremblay@exemple.com", "identity_failures": 1,
    })  # fmt: skip
    tracker.active_loop = {"name": "identification_form"}

    events = asyncio.run(ValidateIdentificationForm().run(CollectingDispatcher(), tracker, DOMAIN))

    assert slot_events(events)["verified_order"] == "AZ104203"
    assert slot_events(events)["verified_email"] == MARIE


TRIED = "marie.tremblay@exemple.com"


@pytest.mark.parametrize(
    ("message", "email"),
    [
        ("ah non c'est .ca", "marie.tremblay@exemple.ca"),
        ("c'est .ca pas .com", "marie.tremblay@exemple.ca"),
        ("pas .com, .ca", "marie.tremblay@exemple.ca"),
        ("oups, @exemple.ca", "marie.tremblay@exemple.ca"),
        ("c'est point ca", "marie.tremblay@exemple.ca"),
        ("c'est sur gmail.com", "marie.tremblay@gmail.com"),
        ("ah non c'est .com", None),  # the one tried
        ("non c'est pas ça", None),
        ("laissez faire", None),
        ("AZ104203", None),
    ],
)
def test_an_email_ending_said_alone_corrects_the_email_tried(message, email):
    assert email_with_corrected_ending(TRIED, message) == email


def test_a_failed_lookup_remembers_the_email_tried(shop):
    _, events = validate(form_tracker("AZ999999", MARIE))

    assert slot_events(events)["tried_email"] == MARIE
    assert slot_events(events)["email"] is None


@pytest.mark.parametrize(
    ("message", "context", "flow_asked"),
    [
        # the order given for the question just answered: that question, for that order
        ("c'est pour la commande AZ104205", {slots.PENDING_CONFIRMATION:
         "personalise:action_exchange_item"}, "action_exchange_item"),
        ("Commande AZ098765", {slots.TOPIC: "return_item"}, "action_return_item"),
    ],
)  # fmt: skip
def test_the_order_given_after_a_general_answer_is_checked_for_that_question(
    shop, message, context, flow_asked
):
    tracker = make_tracker(message, intent="inform", slots=context)
    tracker.latest_message["intent_ranking"] = [{"name": "track_order", "confidence": 0.9}]

    messages, events = run_action(ActionInform(), tracker)

    pending = [e["value"] for e in events if e.get("name") == slots.PENDING_FLOW]
    assert pending == [flow_asked]


@pytest.mark.parametrize(
    ("message", "points"),
    [
        ("c'est pour la commande AZ104205", True),
        ("ok ben c'est la AZ104202", True),
        ("AZ104205", True),
        ("oups non je me suis trompée, c'est la AZ104201", True),
        ("où est ma commande AZ104205 ?", False),
        ("annuler AZ104202", False),
    ],
)
def test_a_message_that_only_gives_the_order_is_recognised(message, points):
    assert cues.only_points_at_the_order(message) is points


def test_the_order_given_after_an_exchange_answer_read_as_tracking_checks_the_exchange(shop):
    offered = {slots.PENDING_CONFIRMATION: "personalise:action_exchange_item"}
    tracker = make_tracker("c'est pour la commande AZ104205", intent="track_order", slots=offered)

    messages, events = run_action(ActionTrackOrder(), tracker)

    assert responses(messages)[0] == "utter_before_identification_exchange_item"
    pending = [e["value"] for e in events if e.get("name") == slots.PENDING_FLOW]
    assert pending == ["action_exchange_item"]


def test_where_is_my_order_after_an_exchange_answer_is_still_tracking(shop):
    offered = {slots.PENDING_CONFIRMATION: "personalise:action_exchange_item"}
    tracker = make_tracker("où est ma commande AZ104205 ?", intent="track_order", slots=offered)

    _, events = run_action(ActionTrackOrder(), tracker)

    pending = [e["value"] for e in events if e.get("name") == slots.PENDING_FLOW]
    assert pending == ["action_track_order"]


def test_someone_elses_email_ending_with_a_no_is_refused_not_said_goodbye(shop):
    tracker = make_tracker(
        "Il est occupé. Son courriel c'est jdupont@exemple.fr, ça devrait suffire non?",
        intent="deny",
    )

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == ["utter_someone_elses_order"]


@pytest.mark.parametrize(
    "message",
    [
        "Bonjour, je suis l'adjointe administrative de Mme Marie Tremblay. Elle me demande de "
        "vérifier la date de livraison de sa bague, commande AZ104203, courriel "
        "marie.tremblay@exemple.ca. Merci",
        "Bonjour, j'écris pour le compte de mon père Julien Dupont qui n'est pas à l'aise avec "
        "internet. Pouvez-vous me dire où en est sa commande AZ104206 ?",
    ],
)
def test_someone_writing_for_the_customer_on_the_first_turn_is_refused(shop, message):
    tracker = make_tracker(message, intent="track_order")

    messages, events = run_action(ActionTrackOrder(), tracker)

    assert responses(messages) == ["utter_someone_elses_order"]
    assert not slot_events(events).get("verified_order")


@pytest.mark.parametrize(
    "message",
    [
        "j'ai changé d'adresse courriel, je n'y ai plus accès",
        "je vous dis que j'ai plus accès à l'ancien courriel, je fais comment?",
        "mon ancienne adresse mail existe plus",
    ],
)
def test_a_customer_without_the_order_s_email_is_told_how_else_to_be_helped(shop, message):
    tracker = form_tracker("AZ104205")
    tracker.latest_message["text"] = message

    messages, events = validate(tracker)

    assert responses(messages) == ["utter_email_lost"]
    assert slot_events(events)["requested_slot"] is None  # not asked the email once more


@pytest.mark.parametrize("text", ["je vous l'envoie, c'est mon adresse courriel habituelle"])
def test_an_email_about_to_be_given_is_no_lost_email(text):
    assert not cues.lost_the_email(text)
