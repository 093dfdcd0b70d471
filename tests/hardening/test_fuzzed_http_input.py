"""Bad input, fuzzed with Hypothesis, over real HTTP against the running assistant.

Whatever a client sends to an endpoint of the product, the answer is never a server error:
a valid message gets a French answer (a request for a shorter one when it is too long),
anything else a 4xx with a clear message; and the conversation still answers « Bonjour ».
Example counts stay small: every example goes through the real stack.
"""

from __future__ import annotations

import json
import time

import pytest
import requests
from hardening_client import greets_normally, new_client, new_sender, rest_send, texts
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MAX_MESSAGE_CHARS = 2000  # server/http_guard.py default

NASTY_MESSAGES = [
    "",
    "   \t\n ",
    "\x00\x01\x07\x1b[31m\x7f",
    "😀🙏💍" * 30,
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "'; DROP TABLE orders; --",
    '" OR 1=1 --',
    "{{7*7}} ${7*7} %s %n",
    '/track_order{"order_number": [1, {"a": null}]}',
    '/greet{"broken":',
    "/nonexistent_intent",
    "AZ-12",
    "AZ1234567",
    "az 000000",
    "#",
    "commande AZ10420",
    "marie@",
    "@exemple.ca",
    "marie..tremblay@@exemple..ca",
    "marie tremblay@exemple.ca",
    "a@b",
    "\u202e\u200b\ufeffAZ104203",
]
order_numbers = st.from_regex(r"(?i)(az|#)?[ -]?\d{0,8}", fullmatch=True)
emails = st.from_regex(r"[a-z.]{0,8}@{0,2}[a-z]{0,6}\.?[a-z]{0,3}", fullmatch=True)
messages = st.one_of(
    st.sampled_from(NASTY_MESSAGES),
    st.text(max_size=300),
    order_numbers,
    emails,
    st.builds(lambda n, e: f"ma commande {n} et mon courriel {e}", order_numbers, emails),
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
FIELDS = [
    "sender",
    "message",
    "text",
    "metadata",
    "input_channel",
    "conversation_id",
    "parse_data",
    "name",
    "entities",
    "message_id",
    "event",
]
bodies = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=4),
    json_values,
)


def endpoints(assistant) -> dict[str, tuple[str, dict, dict]]:
    """Every JSON endpoint the product exposes: (url, query, headers) with valid credentials."""
    token = {"token": assistant.auth_token}
    conversation = f"{assistant.rasa_url}/conversations/fuzz-{new_sender()}"
    return {
        "rest": (f"{assistant.rasa_url}/webhooks/rest/webhook", {}, {}),
        "callback": (f"{assistant.rasa_url}/webhooks/callback/webhook", {}, {}),
        "agent": (
            f"{assistant.rasa_url}/webhooks/agent/preview",
            {},
            {"Authorization": f"Bearer {assistant.agent_token}"},
        ),
        "telegram": (f"{assistant.rasa_url}/webhooks/telegram/webhook", {}, {}),
        "parse": (f"{assistant.rasa_url}/model/parse", token, {}),
        "messages": (f"{conversation}/messages", token, {}),
        "events": (f"{conversation}/tracker/events", token, {}),
        "trigger": (f"{conversation}/trigger_intent", token, {}),
        "execute": (f"{conversation}/execute", token, {}),
        "predict": (f"{conversation}/predict", token, {}),
    }


# The callback channel is fuzzed in test_callback_delivery.py (its replies need a receiver).
ENDPOINT_NAMES = [
    "rest",
    "agent",
    "telegram",
    "parse",
    "messages",
    "events",
    "trigger",
    "execute",
    "predict",
]


def post(assistant, endpoint: str, data: bytes) -> requests.Response:
    url, query, headers = endpoints(assistant)[endpoint]
    headers = {**headers, **new_client(), "Content-Type": "application/json"}
    return requests.post(url, params=query, data=data, headers=headers, timeout=60)


def assert_client_error_is_explained(response: requests.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])
    if response.status_code >= 400:
        body = response.json()
        assert body.get("error") or body.get("message"), response.text[:300]


@FUZZ
@given(message=messages)
@example(message="a" * 100_000)
def test_any_text_message_gets_a_french_answer_and_the_conversation_goes_on(assistant, message):
    sender, client = new_sender(), new_client()

    replies = rest_send(assistant, sender, message, client)

    assert replies, "the assistant stayed silent"
    assert all(reply.get("text") for reply in replies)
    assert greets_normally(assistant, sender, client)


@pytest.mark.parametrize("length", [MAX_MESSAGE_CHARS + 1, 100_000])
def test_a_message_over_the_limit_gets_a_request_for_a_shorter_one_without_nlu(assistant, length):
    sender, client = new_sender(), new_client()

    started = time.monotonic()
    answer = texts(rest_send(assistant, sender, "é" * length, client))
    elapsed = time.monotonic() - started

    assert answer == [
        "Votre message est trop long pour que je puisse le traiter. Pourriez-vous le "
        "résumer en moins de 2\u202f000 caractères\u202f?"
    ]
    assert elapsed < 2, "the long message went through the NLU"
    assert greets_normally(assistant, sender, client)


def test_a_message_at_the_limit_is_understood(assistant):
    message = "Bonjour " + "x" * (MAX_MESSAGE_CHARS - len("Bonjour "))

    answer = texts(rest_send(assistant, new_sender(), message, new_client()))

    assert answer and "trop long" not in answer[0]


@FUZZ
@given(endpoint=st.sampled_from(ENDPOINT_NAMES), body=bodies)
def test_json_of_any_shape_never_gets_a_server_error(assistant, endpoint, body):
    response = post(assistant, endpoint, json.dumps(body).encode())

    assert_client_error_is_explained(response)


def invalid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


@FUZZ
@given(
    endpoint=st.sampled_from(ENDPOINT_NAMES),
    data=st.binary(min_size=1, max_size=200).filter(invalid_utf8),
)
@example(endpoint="rest", data=b'{"sender": "a", "message": "\xff\xfe"}')
def test_bodies_that_are_not_utf8_are_refused_as_client_errors(assistant, endpoint, data):
    response = post(assistant, endpoint, data)

    assert_client_error_is_explained(response)


@pytest.mark.parametrize(
    ("body", "code", "error"),
    [
        ({"message": "Bonjour"}, "missing_field", "Le champ «\u00a0sender\u00a0» est obligatoire."),
        ({"sender": "", "message": "Bonjour"}, "missing_sender", "doit nommer la conversation"),
        ({"sender": "x" * 201, "message": "Bonjour"}, "invalid_sender", "au plus 200 caractères"),
        ({"sender": "a\u0000b", "message": "Bonjour"}, "invalid_sender", "caractères imprimables"),
        ({"sender": "a"}, "missing_field", "«\u00a0message\u00a0» est obligatoire"),
        ({"sender": "a", "message": None}, "not_a_string", "doit être un texte"),
        ({"sender": "a", "message": "\ud800"}, "invalid_text", "n’est pas un texte Unicode"),
        ({"sender": "a", "message": "x", "metadata": [1]}, "not_an_object_field", "objet JSON"),
        ({"sender": "a", "message": "x", "input_channel": 5}, "not_a_string", "input_channel"),
        (
            {"sender": "a", "message": "x", "metadata": {"dry_run": True}},
            "reserved_metadata",
            "«\u00a0dry_run\u00a0» est réservée",
        ),
    ],
)
def test_malformed_rest_messages_get_a_french_400_with_a_stable_code(assistant, body, code, error):
    raw = json.dumps(body).encode()  # ensure_ascii: a lone surrogate stays an escape
    response = requests.post(
        f"{assistant.rasa_url}/webhooks/rest/webhook", data=raw, headers=new_client(), timeout=30
    )

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["status"] == 400
    assert error in response.json()["error"]


def test_a_parse_request_without_text_is_a_client_error(assistant):
    response = post(assistant, "parse", b"{}")

    assert response.status_code == 400
    assert response.json() == {
        "error": "Le champ «\u00a0text\u00a0» est obligatoire.",
        "code": "missing_field",
        "status": 400,
    }


@pytest.mark.parametrize("endpoint", ["rest", "agent", "parse", "messages", "events", "telegram"])
def test_a_body_that_is_not_json_is_refused_in_french_with_a_code(assistant, endpoint):
    """Issue 13, defect 7: `-d hello` got "The request body must be UTF-8 encoded JSON."."""
    response = post(assistant, endpoint, b"hello")

    assert response.status_code in (200, 400, 403)  # Telegram: 403 without its secret
    body = response.json()
    if endpoint == "telegram":
        assert body["code"] == "forbidden" and body["error"].startswith("Jeton secret")
    else:
        assert response.status_code == 400
        assert body["code"] == "invalid_json"
        assert body["error"] == "Le contenu de la requête doit être du JSON encodé en UTF-8."


DEEP = ("[" * 100_000 + "]" * 100_000).encode()
DEEP_IN_FIELD = (
    b'{"sender": "a", "message": "x", "metadata": ' + b'{"a": ' * 50_000 + b"1" + (b"}" * 50_001)
)


@pytest.mark.parametrize("body", [DEEP, DEEP_IN_FIELD], ids=["list", "object"])
@pytest.mark.parametrize("endpoint", ["rest", "callback", "agent", "parse", "messages", "events"])
def test_deeply_nested_json_is_a_french_client_error_not_a_500(assistant, endpoint, body):
    """Issue 13, defect 5: `"[" * 100000 + "]" * 100000` gave a 500 (RecursionError)."""
    response = post(assistant, endpoint, body)

    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"
    assert response.json()["error"] == "Le JSON de la requête est imbriqué trop profondément."


def test_a_deeply_nested_telegram_update_with_the_wrong_secret_is_refused(assistant):
    response = post(assistant, "telegram", DEEP)

    assert response.status_code == 403


def test_tracker_events_may_still_be_posted_as_a_list(assistant):
    response = post(assistant, "events", json.dumps([{"event": "restart"}]).encode())

    assert response.status_code == 200


def test_predict_needs_no_body(assistant):
    url, query, _ = endpoints(assistant)["predict"]
    conversation = url.removesuffix("/predict")
    client = new_client()
    requests.post(
        f"{conversation}/messages",
        params=query,
        headers=client,
        timeout=60,
        json={"text": "Bonjour", "sender": "user"},
    )

    response = requests.post(url, params=query, headers=client, timeout=60)

    assert response.status_code == 200
    assert response.json()["scores"]
