"""The address form's validator: a complete address fills it, anything typed that is not one
is explained, and the form opening (nothing typed yet) explains nothing."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, nlu_details, responses, run_action, slot_events
from actions import slots
from actions.address import (
    ActionChangeAddress,
    ActionRecordAddressChange,
    ValidateAddressForm,
    as_address,
)
from actions.conversation import ActionAnswerYesNo, ActionFallback
from rasa_sdk.executor import CollectingDispatcher

JULIEN = {slots.VERIFIED_ORDER: "AZ104202", slots.VERIFIED_EMAIL: "jdupont@exemple.fr"}


def validate(value, text: str) -> tuple[dict, list[str]]:
    """Validate `value` typed as `text` by a verified customer while the form asks."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, intent="change_address", slots=JULIEN)
    filled = ValidateAddressForm().validate_new_address(value, dispatcher, tracker, {})
    return filled, responses(dispatcher.messages)


def test_the_form_opening_on_the_request_itself_explains_nothing():
    filled, said = validate(None, "en fait je veux juste changer l'adresse")

    assert filled == {slots.NEW_ADDRESS: None} and said == []


def test_a_message_typed_that_is_not_an_address_is_explained():
    filled, said = validate("je vous l'ai déjà donnée", "je vous l'ai déjà donnée")

    assert filled == {slots.NEW_ADDRESS: None} and said == ["utter_address_not_understood"]


def test_a_complete_address_fills_the_form():
    text = "55 rue Laurier Ouest, Montréal QC H2T 2N6"

    filled, said = validate(text, text)

    assert filled[slots.NEW_ADDRESS]["postal_code"] == "H2T 2N6" and said == []


def test_a_question_asked_instead_of_the_address_is_answered_before_asking_again(shop):
    question = "pourquoi vous pouvez pas garantir ?"

    filled, said = validate(question, question)

    assert filled == {slots.NEW_ADDRESS: None} and said == ["utter_faq_change_address"]


@pytest.mark.parametrize(
    "text",
    [
        "12 rue des Lilas, 69003 Lyon",
        # a Swiss or Belgian postal code (four digits) is no missing postal code
        "je vous l'ai déjà donnée : 14 rue du Lac, 1204 Genève, Suisse",
        "Avenue Louise 54, 1050 Bruxelles, Belgique",
        "12 rue du Lac, Genève. Le code postal c'est 1204",
    ],
)
def test_an_address_outside_canada_and_the_united_states_is_explained_as_such(text):
    filled, said = validate(text, text)

    assert filled == {slots.NEW_ADDRESS: None}
    assert said == ["utter_address_outside_delivery_area"]


@pytest.mark.parametrize(
    "text",
    [
        "stop",
        "arrête",
        "non laisse tomber",
        "laissez faire",
        "non merci, laissez tomber, je garde l'adresse actuelle",
        "non. je ne veux rien changer. stop",
        "euh non finalement je garde l'ancienne adresse",
        "Finalement non, je vais la laisser comme elle est",
        "NON. je ne veux PAS changer mon adresse. arrêtez.",
        "En fait c'est bon, l'adresse actuelle est correcte, pas besoin",
        "Non, en fait je préfère ne rien changer",
        "non",
        "non pas maintenant, je demandais juste",
        "c'était juste une question",
    ],
)
def test_leaving_the_address_question_ends_the_form_and_writes_nothing(text):
    filled, said = validate(text, text)

    assert filled == {slots.NEW_ADDRESS: None, "requested_slot": None}
    assert said == ["utter_address_change_stopped"]


@pytest.mark.parametrize(
    "text", ["ok je vais leur écrire, merci c'est tout", "merci, bonne journée"]
)
def test_a_farewell_to_the_address_question_ends_the_form_with_a_goodbye(text):
    filled, said = validate(text, text)

    assert filled == {slots.NEW_ADDRESS: None, "requested_slot": None}
    assert said == ["utter_goodbye"]


def said_by_the_customer(text: str, intent: str) -> dict:
    parse_data = {"text": text, "intent": {"name": intent}, "entities": nlu_details(text)}
    return {"event": "user", "text": text, "parse_data": parse_data}


@pytest.mark.parametrize(
    ("first", "then", "postal_code"),
    [
        (
            "faut changer l'adresse de ma commande, c'est rendu au 500 rue Sherbrooke Est a "
            "Montreal",
            "H2L 1X5",
            "H2L 1X5",
        ),
        ("je dois changer l'adresse : 1000 route de l'Église", "Québec, QC G1V 3V9", "G1V 3V9"),
    ],
)
def test_an_address_given_in_two_messages_fills_the_form(first, then, postal_code):
    events = [said_by_the_customer(first, "change_address"), said_by_the_customer(then, "inform")]
    tracker = make_tracker(then, intent="inform", slots=JULIEN, events=events)
    dispatcher = CollectingDispatcher()

    filled = ValidateAddressForm().validate_new_address(then, dispatcher, tracker, {})

    assert filled[slots.NEW_ADDRESS]["postal_code"] == postal_code
    assert filled[slots.NEW_ADDRESS]["street_number"] in first
    assert responses(dispatcher.messages) == []


def test_parts_that_do_not_make_an_address_together_are_still_explained():
    first = "je veux changer l'adresse de livraison, c'est à Montréal"
    events = [
        said_by_the_customer(first, "change_address"),
        said_by_the_customer("H2L 1X5", "inform"),
    ]
    tracker = make_tracker("H2L 1X5", intent="inform", slots=JULIEN, events=events)
    dispatcher = CollectingDispatcher()

    filled = ValidateAddressForm().validate_new_address("H2L 1X5", dispatcher, tracker, {})

    assert filled == {slots.NEW_ADDRESS: None}
    # what is missing is said once; the form then asks for the address, no second question
    said = responses(dispatcher.messages)
    assert said == ["utter_address_missing_street_number", "utter_address_missing_street"]


SHOWN = {
    "street_number": "1600",
    "street": "Pennsylvania Ave NW",
    "city": "Washington",
    "region": "DC",
    "postal_code": "20500",
    "country": "US",
}


@pytest.mark.parametrize(
    ("action", "intent", "text", "corrected"),
    [
        (ActionAnswerYesNo, "deny", "Non, c'est le 1650, pas le 1600", {"street_number": "1650"}),
        (ActionFallback, "nlu_fallback", "non c'est plutôt au 1620", {"street_number": "1620"}),
        (ActionChangeAddress, "change_address", "non le code postal c'est 20501",
         {"postal_code": "20501"}),
    ],
)  # fmt: skip
def test_a_correction_to_the_address_shown_is_shown_again_corrected(
    shop, action, intent, text, corrected
):
    pending = {**JULIEN, slots.PENDING_CONFIRMATION: "action_change_address",
               slots.NEW_ADDRESS: SHOWN}  # fmt: skip
    tracker = make_tracker(text, intent=intent, slots=pending)

    messages, events = run_action(action(), tracker)

    new_address = slot_events(events)[slots.NEW_ADDRESS]
    assert new_address == {**SHOWN, **corrected}
    assert "utter_confirm_address" in responses(messages)


def test_a_plain_no_to_the_address_shown_asks_for_the_right_one(shop):
    pending = {**JULIEN, slots.PENDING_CONFIRMATION: "action_change_address",
               slots.NEW_ADDRESS: SHOWN}  # fmt: skip
    tracker = make_tracker("non", intent="deny", slots=pending)

    messages, events = run_action(ActionAnswerYesNo(), tracker)

    assert "utter_confirm_address" not in responses(messages)
    assert slot_events(events)[slots.NEW_ADDRESS] is None
    assert {"event": "followup", "timestamp": None, "name": "address_form"} in events


def test_no_and_leave_to_the_address_shown_drops_the_change(shop):
    pending = {**JULIEN, slots.PENDING_CONFIRMATION: "action_change_address",
               slots.NEW_ADDRESS: SHOWN}  # fmt: skip
    tracker = make_tracker("non laisse faire", intent="deny", slots=pending)

    messages, events = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == ["utter_confirmation_declined"]
    assert not [e for e in events if e.get("event") == "followup"]


def test_a_corrected_number_given_with_the_postal_code_is_taken_in_the_parts():
    events = [
        said_by_the_customer("je veux changer l'adresse : 1600 rue Saint-Denis", "change_address"),
        said_by_the_customer("non attendez c'est le 1650, pas le 1600. H2X 3K2", "inform"),
    ]
    text = "non attendez c'est le 1650, pas le 1600. H2X 3K2"
    tracker = make_tracker(text, intent="inform", slots=JULIEN, events=events)

    filled = ValidateAddressForm().validate_new_address(text, CollectingDispatcher(), tracker, {})

    assert filled[slots.NEW_ADDRESS]["street_number"] == "1650"
    assert "None" not in as_address(filled[slots.NEW_ADDRESS]).one_line()


def test_after_a_goodbye_to_the_address_question_nothing_more_is_asked(shop):
    tracker = make_tracker("merci c'est tout", intent="thank", slots=JULIEN)

    messages, _ = run_action(ActionRecordAddressChange(), tracker)

    assert responses(messages) == []


def test_a_city_typed_alone_between_the_street_and_the_postal_code_is_kept():
    events = [
        said_by_the_customer("je dois changer l'adresse : 1600 rue Saint-Denis", "change_address"),
        said_by_the_customer("Montréal", "inform"),
        said_by_the_customer("H2X 3K2", "inform"),
    ]
    tracker = make_tracker("H2X 3K2", intent="inform", slots=JULIEN, events=events)

    filled = ValidateAddressForm().validate_new_address(
        "H2X 3K2", CollectingDispatcher(), tracker, {}
    )

    assert filled[slots.NEW_ADDRESS]["city"] == "Montréal"
    assert filled[slots.NEW_ADDRESS]["postal_code"] == "H2X 3K2"


def test_a_city_typed_alone_is_told_what_the_address_still_lacks():
    events = [
        said_by_the_customer("je dois changer l'adresse : 1600 rue Saint-Denis", "change_address"),
        said_by_the_customer("Montréal", "inform"),
    ]
    tracker = make_tracker("Montréal", intent="inform", slots=JULIEN, events=events)
    dispatcher = CollectingDispatcher()

    filled = ValidateAddressForm().validate_new_address("Montréal", dispatcher, tracker, {})

    assert filled == {slots.NEW_ADDRESS: None}
    assert responses(dispatcher.messages) == ["utter_address_missing_postal_code"]


def shown_to_confirm() -> dict:
    return {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_confirm_address"}}


@pytest.mark.parametrize(
    "then",
    [
        "1234 St-Denis, Montreal QC H2X3K",  # a postal code cut short
        "12 rue de Rivoli, 75001 Paris, France",  # outside the delivery area
        "H2X 3K2",  # a part that the refused address would complete
        "je garde celle d'avant",
    ],
)
def test_an_address_refused_is_never_proposed_again_when_the_next_one_cannot_be_read(then):
    refused = "je déménage, c'est au 88 Elm Street, Burlington VT 05401"
    events = [
        said_by_the_customer(refused, "change_address"),
        shown_to_confirm(),
        said_by_the_customer("Non", "deny"),
        said_by_the_customer(then, "inform"),
    ]
    tracker = make_tracker(then, intent="inform", slots=JULIEN, events=events)
    dispatcher = CollectingDispatcher()

    filled = ValidateAddressForm().validate_new_address(then, dispatcher, tracker, {})

    assert filled[slots.NEW_ADDRESS] is None
    assert responses(dispatcher.messages)  # what is missing, or why it cannot be used, is said


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("oh non je me suis trompé, c'est l'appartement 6 pas le 5", "deny"),
        ("attendez, c'est l'app 6", "nlu_fallback"),
    ],
)
def test_a_unit_corrected_right_after_the_change_is_recorded_is_confirmed_again(
    own_shop, text, intent
):
    given = nlu_details("55 rue Laurier Ouest, app. 5, Montréal QC H2T 2N6")
    address = next(e["value"] for e in given if e["entity"] == "address")
    own_shop.request_address_change("AZ104202", "jdupont@exemple.fr", address)
    recorded = {
        "event": "bot",
        "text": "…",
        "metadata": {"utter_action": "utter_address_change_recorded"},
    }
    action = ActionAnswerYesNo() if intent == "deny" else ActionFallback()
    said = {"event": "user", "text": text}
    tracker = make_tracker(text, intent=intent, slots=JULIEN, events=[recorded, said])

    messages, events = run_action(action, tracker)

    assert responses(messages) == ["utter_confirm_address"]
    assert slot_events(events)[slots.NEW_ADDRESS]["unit"] == "6"
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_change_address"


@pytest.mark.parametrize(
    ("action", "intent"), [(ActionFallback, "tax_info"), (ActionChangeAddress, "change_address")]
)
def test_a_yes_to_the_address_shown_followed_by_a_question_writes_it_then_answers(
    shop, action, intent
):
    pending = {**JULIEN, slots.PENDING_CONFIRMATION: "action_change_address",
               slots.NEW_ADDRESS: SHOWN}  # fmt: skip
    rest = "Les frais de douane, c'est moi qui les paie ?"
    tracker = make_tracker(
        f"Oui, c'est correct. {rest}",
        intent=intent,
        slots=pending,
        after_the_opener=(rest, "tax_info", 0.9),
    )

    messages, _ = run_action(action(), tracker)

    said = responses(messages)
    assert said[0] == "utter_address_change_recorded"
    assert any(response.startswith("utter_faq_tax_info") for response in said[1:])
    summary = shop.order_summary("AZ104202", "jdupont@exemple.fr")
    assert [r.kind.value for r in summary.requests] == ["address_change"]


@pytest.mark.parametrize(
    "text",
    [
        "oui mais le code postal c'est H2S 1T9, pas 1T8 ?",
        "oui, enfin une seconde, c'est bien l'app 12 ?",
    ],
)
def test_a_yes_taken_back_or_corrected_writes_nothing(shop, text):
    pending = {**JULIEN, slots.PENDING_CONFIRMATION: "action_change_address",
               slots.NEW_ADDRESS: SHOWN}  # fmt: skip
    rest = text.split(" ", 1)[1]
    tracker = make_tracker(
        text, intent="change_address", slots=pending, after_the_opener=(rest, "inform", 0.9)
    )
    before = shop.order_summary("AZ104202", "jdupont@exemple.fr").requests

    messages, _ = run_action(ActionChangeAddress(), tracker)

    assert "utter_address_change_recorded" not in responses(messages)
    assert shop.order_summary("AZ104202", "jdupont@exemple.fr").requests == before


@pytest.mark.parametrize(
    ("action", "intent"), [(ActionAnswerYesNo, "affirm"), (ActionFallback, "nlu_fallback")]
)
@pytest.mark.parametrize(
    "text",
    [
        "oui, euh non attendez une minute, je vérifie le numéro d'appartement avec ma coloc",
        "oui c'est ça... ah non attendez, laissez-moi revérifier le numéro d'appart avant",
        "Oui, mais gardez-la en attente svp, je dois confirmer la date avec le proprio",
    ],
)
def test_a_yes_taken_back_in_the_same_message_writes_nothing(shop, action, intent, text):
    pending = {**JULIEN, slots.PENDING_CONFIRMATION: "action_change_address",
               slots.NEW_ADDRESS: SHOWN}  # fmt: skip
    tracker = make_tracker(text, intent=intent, slots=pending)
    before = shop.order_summary("AZ104202", "jdupont@exemple.fr").requests

    messages, _ = run_action(action(), tracker)

    assert "utter_address_change_recorded" not in responses(messages)
    assert shop.order_summary("AZ104202", "jdupont@exemple.fr").requests == before


@pytest.mark.parametrize(
    ("action", "intent"), [(ActionAnswerYesNo, "affirm"), (ActionFallback, "nlu_fallback")]
)
def test_a_yes_with_a_unit_corrected_shows_the_address_again_with_it(shop, action, intent):
    pending = {**JULIEN, slots.PENDING_CONFIRMATION: "action_change_address",
               slots.NEW_ADDRESS: SHOWN}  # fmt: skip
    tracker = make_tracker("oui mais c'est l'appartement 3", intent=intent, slots=pending)
    before = shop.order_summary("AZ104202", "jdupont@exemple.fr").requests

    messages, events = run_action(action(), tracker)

    assert "utter_confirm_address" in responses(messages)
    assert slot_events(events)[slots.NEW_ADDRESS]["unit"] == "3"
    assert shop.order_summary("AZ104202", "jdupont@exemple.fr").requests == before
