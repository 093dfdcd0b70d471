"""A French conversation end to end through the REST channel of the real Rasa server."""

from __future__ import annotations

import requests


def test_greeting_is_answered_in_french_with_vouvoiement(assistant, sender_id):
    texts = assistant.texts(sender_id, "Bonjour")

    assert len(texts) == 1
    assert texts[0].startswith("Bonjour")
    assert "Allyzure" in texts[0]
    assert "pour vous" in texts[0]


def test_thanks_then_goodbye_are_answered_politely(assistant, sender_id):
    assistant.texts(sender_id, "Bonjour")

    thanks = assistant.texts(sender_id, "merci beaucoup pour votre aide")
    goodbye = assistant.texts(sender_id, "au revoir, bonne journée")

    assert any("Avec plaisir" in text for text in thanks)
    assert any("bonne journée" in text for text in goodbye)


def test_goodbye_asks_for_a_rating_and_the_rating_is_thanked(assistant, sender_id):
    assistant.texts(sender_id, "Bonjour")

    goodbye = " ".join(assistant.texts(sender_id, "au revoir, bonne journée"))
    rated = " ".join(assistant.texts(sender_id, '/inform{"csat_rating":"4"}'))

    assert "note de 1" in goodbye  # the rating asked after the goodbye
    assert "Merci pour votre note" in rated


def test_a_question_read_as_a_goodbye_is_not_closed(assistant, sender_id):
    assistant.texts(sender_id, "quelles sont vos heures d'ouverture ?")

    answer = " ".join(assistant.texts(sender_id, "et la fin de semaine ?"))

    assert "note de 1" not in answer
    assert "samedi" in answer  # the weekend answered as its days


def test_why_after_who_pays_gets_the_reason_and_ok_merci_closes(assistant, sender_id):
    assistant.texts(sender_id, "Bonjour, combien de temps pour retourner un bijou ?")
    assistant.texts(sender_id, "et qui paie le retour ?")

    why = " ".join(assistant.texts(sender_id, "pourquoi ?"))
    thanks = " ".join(assistant.texts(sender_id, "ok merci"))

    assert "l’erreur vient de nous" in why
    assert "30 jours" not in why  # not the whole return policy again
    assert "Avec plaisir" in thanks
    assert "numéro de commande" not in thanks  # no identification started


def test_bot_challenge_says_it_is_a_virtual_assistant(assistant, sender_id):
    texts = assistant.texts(sender_id, "est-ce que je parle à un robot ?")

    assert any("assistant virtuel" in text for text in texts)


def test_off_topic_question_gets_a_polite_redirection(assistant, sender_id):
    texts = assistant.texts(sender_id, "Quel temps va-t-il faire demain à Montréal ?")

    assert len(texts) == 1
    assert "désolé" in texts[0]


def test_http_api_refuses_requests_without_the_token(assistant):
    response = requests.post(f"{assistant.rasa_url}/model/parse", json={"text": "Bonjour"})

    assert response.status_code == 401


def test_http_api_parses_with_the_token(assistant):
    response = requests.post(
        f"{assistant.rasa_url}/model/parse",
        params={"token": assistant.auth_token},
        json={"text": "Bonjour"},
    )

    assert response.status_code == 200
    assert response.json()["intent"]["name"] == "greet"


def test_demo_page_is_served_in_french_and_points_to_the_rasa_server(assistant):
    page = requests.get(f"{assistant.web_url}/", timeout=10)
    config = requests.get(f"{assistant.web_url}/config.json", timeout=10).json()

    assert page.status_code == 200
    assert 'lang="fr-CA"' in page.text
    assert config["rasaUrl"] == assistant.rasa_url


def test_the_rasa_server_lets_the_web_page_call_it_cross_origin(assistant):
    origin = assistant.web_url.replace("127.0.0.1", "localhost")
    response = requests.post(
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        json={"sender": "cors-check", "message": "Bonjour"},
        headers={"Origin": origin},
        timeout=60,
    )

    assert response.headers.get("Access-Control-Allow-Origin") == origin


def test_a_thank_you_goodbye_asks_the_rating_and_a_typed_rating_is_thanked(assistant, sender_id):
    assistant.texts(sender_id, "c'est quoi le délai de retour ?")

    goodbye = " ".join(assistant.texts(sender_id, "merci, bonne soirée"))
    rated = " ".join(assistant.texts(sender_id, "4/5"))

    assert "bonne soirée" in goodbye  # wished back in kind
    assert "note de 1" in goodbye
    assert "Merci pour votre note" in rated
