"""A turn is wrong when its reply is empty, lacks its step's words, or names another order."""

from bench.conversation import SCRIPT, answer_error, reply_texts, turns_for
from bench.fixture import bench_customers

ALICE, BOB = bench_customers(2)


def tracking_turn(customer):
    return next(turn for turn in turns_for(customer) if turn.step == "email")


def test_the_script_is_a_full_conversation_of_about_eight_turns():
    assert [step.name for step in SCRIPT][0] == "greet"
    assert [step.name for step in SCRIPT][-1] == "goodbye"
    assert 7 <= len(SCRIPT) <= 9


def test_the_customers_own_order_number_and_email_are_sent():
    messages = [turn.message for turn in turns_for(ALICE)]

    assert any(ALICE.order_number in message for message in messages)
    assert ALICE.email in messages


def test_the_tracking_answer_with_the_customers_order_is_right():
    reply = [f"Votre commande {ALICE.order_number} est au statut « Livré », {ALICE.first_name}."]

    assert answer_error(reply, tracking_turn(ALICE), ALICE) is None


def test_an_answer_about_another_customers_order_is_wrong():
    reply = [f"Votre commande {BOB.order_number} est au statut « Livré », {ALICE.first_name}."]

    error = answer_error(reply, tracking_turn(ALICE), ALICE)

    assert error is not None
    assert BOB.order_number in error


def test_an_empty_reply_is_wrong():
    assert answer_error([], tracking_turn(ALICE), ALICE) == "empty reply"


def test_a_reply_missing_the_steps_words_is_wrong():
    assert answer_error(["Je n’ai pas compris."], tracking_turn(ALICE), ALICE) is not None


def test_typographic_spaces_and_apostrophes_do_not_make_a_right_answer_wrong():
    goodbye = turns_for(ALICE)[-1]

    assert answer_error(["Merci d’avoir écrit à Allyzure."], goodbye, ALICE) is None


def test_only_the_text_of_the_rest_messages_is_checked():
    replies = [{"recipient_id": "x", "text": "Bonjour"}, {"recipient_id": "x", "image": "i.png"}]

    assert reply_texts(replies) == ["Bonjour"]
    assert reply_texts({"error": "oops"}) == []


def test_the_example_number_in_the_question_for_an_order_number_is_nobodys_order():
    ask = next(turn for turn in turns_for(ALICE) if turn.step == "ask_tracking")
    reply = ["Quel est votre numéro de commande (par exemple AZ104233) ?"]

    assert answer_error(reply, ask, ALICE) is None
