"""Two browser windows: a customer in the widget asks for a human, an agent takes the
conversation over in the workspace, answers with the assistant's suggestion, hands it back.

Plus what must be refused or inert: a wrong password, a request without the CSRF token, another
agent's conversation, HTML in a customer's message.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
import requests
from agent_workspace import (
    DESKTOP,
    PHONE,
    SCREENSHOTS_DIR,
    TIMEOUT_MS,
    workspace_page,
)
from playwright.sync_api import expect
from support import create_agent

pytestmark = pytest.mark.slow

# Claire’s shipped order AZ104301 (tests/fixtures/policy_edges.yml).
CLAIRE = "claire.roy@exemple.ca"
QUIET_S = 2.5  # how long the customer's widget must stay silent while a human owns the chat
REFERENCE = re.compile(r"AG-\d{6}-\d{2}|AG-[0-9A-F]{8}")

# Records, in the customer's page, when a bot bubble with the given text first appears.
WATCH_FOR_TEXT = """text => {
  window.__seenAt = null;
  const seen = () => [...document.querySelectorAll('.azw-msg--bot .azw-bubble')]
    .some(b => b.textContent.includes(text));
  new MutationObserver((_, observer) => {
    if (window.__seenAt === null && seen()) { window.__seenAt = Date.now(); observer.disconnect(); }
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""
CLICK_SEND = "() => { const t = Date.now(); document.getElementById('send').click(); return t; }"


@pytest.fixture(scope="module")
def agents(assistant):
    return (
        create_agent(assistant.database_url, "Sophie Tremblay"),
        create_agent(assistant.database_url, "Marc Gagnon"),
    )


def ask_for_a_human(shop) -> str:
    """The customer verifies an order with the assistant, then asks for a human; the handoff
    reference the assistant gives."""
    shop.open()
    shop.open_widget()
    shop.send("Où en est ma commande AZ104301 ?")
    expect(shop.bot_messages.last).to_contain_text("courriel", timeout=TIMEOUT_MS)
    shop.send(CLAIRE)
    expect(shop.bot_messages.filter(has_text="Postes Canada")).to_have_count(1, timeout=TIMEOUT_MS)
    count = shop.bot_messages.count()
    shop.send("Je veux parler à un conseiller")
    shop.wait_for_at_least(count + 1)
    expect(shop.bot_messages.last).to_contain_text("prendre le relais", timeout=TIMEOUT_MS)
    return REFERENCE.search(shop.bot_messages.last.inner_text()).group(0)


def test_an_agent_takes_over_answers_live_with_the_suggestion_and_hands_back(
    browser, shop, assistant, agents
):
    sophie, _ = agents
    reference = ask_for_a_human(shop)
    agent = workspace_page(browser, assistant.web_url, viewport=DESKTOP)
    agent.log_in(sophie)
    expect(agent.queued(reference)).to_have_count(1, timeout=TIMEOUT_MS)
    expect(agent.queued(reference)).to_contain_text("socketio")
    expect(agent.queued(reference)).to_contain_text("demande du client")

    agent.take(reference)
    expect(shop.bot_messages.last).to_contain_text(
        "ici Sophie Tremblay, de l’équipe Allyzure", timeout=TIMEOUT_MS
    )
    expect(agent.order).to_contain_text("AZ104301")
    expect(agent.order).to_contain_text("Expédié")
    expect(agent.order).to_contain_text("Postes Canada")

    # While the agent owns the conversation, the customer's message reaches the agent only.
    answered = shop.bot_messages.count()
    shop.send("Pouvez-vous me dire où est mon colis ?")
    expect(agent.transcript.last).to_contain_text("où est mon colis", timeout=TIMEOUT_MS)
    shop.page.wait_for_timeout(QUIET_S * 1000)
    expect(shop.bot_messages).to_have_count(answered)

    # The assistant's suggestion for that message, with its facts, fills the reply box.
    expect(agent.reply).not_to_have_value("", timeout=TIMEOUT_MS)
    suggestion = agent.reply.input_value()
    expect(agent.page.locator("#facts")).to_contain_text("Intention")
    agent.page.screenshot(path=str(SCREENSHOTS_DIR / "workspace-conversation.png"))
    reply = suggestion + "\n\nJe reste avec vous si vous avez une autre question."
    agent.reply.fill(reply)
    shop.page.evaluate(WATCH_FOR_TEXT, "Je reste avec vous si vous avez une autre question.")
    clicked_at = agent.page.evaluate(CLICK_SEND)
    expect(shop.bot_messages.last).to_contain_text(
        "Je reste avec vous si vous avez une autre question.", timeout=TIMEOUT_MS
    )
    latency_ms = shop.page.evaluate("() => window.__seenAt") - clicked_at
    print(
        f"\nHandoff delivery latency (agent clicks send → customer widget shows): {latency_ms} ms"
    )
    _record_latency(latency_ms)
    expect(agent.status).to_have_text("Réponse envoyée au client.")

    # The audit trail: the agent's name on the message in the tracker, use of the suggestion.
    agent_events = [
        e
        for e in assistant.tracker(shop.session_id())["events"]
        if e.get("event") == "bot" and (e.get("metadata") or {}).get("agent")
    ]
    assert agent_events[-1]["metadata"]["agent"]["name"] == "Sophie Tremblay"
    assert agent_events[-1]["metadata"]["agent"]["suggestion_use"] == "edited"

    agent.button("Redonner la main à l’assistant").click()
    expect(shop.bot_messages.last).to_contain_text(
        "vous redonne la parole avec l’assistant", timeout=TIMEOUT_MS
    )
    count = shop.bot_messages.count()
    shop.send("Quels sont vos délais de livraison ?")
    shop.wait_for_at_least(count + 1)
    expect(shop.bot_messages.nth(count)).to_contain_text("livraison")
    expect(shop.bot_messages.nth(count)).not_to_contain_text("pas bien compris")
    assert shop.console_errors == []


def _record_latency(latency_ms: int) -> None:
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS_DIR / "handoff_latency.json").write_text(
        json.dumps({"agent_send_to_widget_ms": latency_ms}) + "\n"
    )


def test_a_wrong_password_is_refused_in_french_and_opens_nothing(browser, assistant, agents):
    sophie, _ = agents
    agent = workspace_page(browser, assistant.web_url)

    agent.log_in(sophie, password="pas-le-bon-mot-de-passe")

    expect(agent.status).to_have_text("Nom d’utilisateur ou mot de passe incorrect.")
    expect(agent.page.locator("#workspace")).to_be_hidden()
    assert requests.get(f"{assistant.web_url}/agent/api/queue", timeout=10).status_code == 401


def log_in(assistant, account) -> tuple[requests.Session, str]:
    session = requests.Session()
    response = session.post(
        f"{assistant.web_url}/agent/api/login",
        json={"username": account.username, "password": account.password},
        timeout=10,
    )
    response.raise_for_status()
    return session, response.json()["csrf"]


def test_the_session_cookie_is_http_only_and_same_site_strict(assistant, agents):
    sophie, _ = agents
    response = requests.post(
        f"{assistant.web_url}/agent/api/login",
        json={"username": sophie.username, "password": sophie.password},
        timeout=10,
    )

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie


def test_repeated_wrong_passwords_lock_the_account(assistant):
    account = create_agent(assistant.database_url, "Julie Roy")
    for _ in range(5):
        requests.post(
            f"{assistant.web_url}/agent/api/login",
            json={"username": account.username, "password": "mauvais"},
            timeout=10,
        )

    response = requests.post(
        f"{assistant.web_url}/agent/api/login",
        json={"username": account.username, "password": account.password},
        timeout=10,
    )

    assert response.status_code == 429
    assert response.json()["code"] == "locked"


def test_a_state_changing_call_without_the_csrf_token_or_from_another_origin_is_refused(
    assistant, agents, sender_id
):
    sophie, _ = agents
    assistant.texts(sender_id, "je veux parler à un humain")
    session, csrf = log_in(assistant, sophie)
    take = f"{assistant.web_url}/agent/api/take"
    body = {"conversation_id": sender_id}

    without = session.post(take, json=body, timeout=10)
    wrong = session.post(take, json=body, headers={"X-CSRF-Token": "x" + csrf}, timeout=10)
    elsewhere = session.post(
        take, json=body, headers={"X-CSRF-Token": csrf, "Origin": "http://evil.example"}, timeout=10
    )
    as_form = session.post(take, data=body, headers={"X-CSRF-Token": csrf}, timeout=10)

    assert [r.status_code for r in (without, wrong, elsewhere, as_form)] == [403, 403, 403, 400]
    assert without.json()["code"] == "csrf"
    assert elsewhere.json()["code"] == "origin"


def test_another_agents_conversation_can_be_neither_read_nor_written_to(
    assistant, agents, sender_id
):
    sophie, marc = agents
    assistant.texts(sender_id, "je veux parler à un humain")
    sophie_session, sophie_csrf = log_in(assistant, sophie)
    marc_session, marc_csrf = log_in(assistant, marc)
    api = f"{assistant.web_url}/agent/api"
    taken = sophie_session.post(
        f"{api}/take",
        json={"conversation_id": sender_id},
        headers={"X-CSRF-Token": sophie_csrf},
        timeout=30,
    )
    assert taken.status_code == 200

    read = marc_session.get(f"{api}/conversation", params={"id": sender_id}, timeout=10)
    written = marc_session.post(
        f"{api}/send",
        json={"conversation_id": sender_id, "text": "Bonjour, ici Marc"},
        headers={"X-CSRF-Token": marc_csrf},
        timeout=10,
    )
    handed_back = marc_session.post(
        f"{api}/handback",
        json={"conversation_id": sender_id},
        headers={"X-CSRF-Token": marc_csrf},
        timeout=10,
    )

    assert [r.status_code for r in (read, written, handed_back)] == [403, 403, 403]
    assert written.json()["error"] == "Cette conversation est suivie par un autre agent."
    texts = [e.get("text") for e in assistant.tracker(sender_id)["events"]]
    assert "Bonjour, ici Marc" not in texts


def test_html_in_a_customers_message_is_shown_as_text_in_the_workspace(
    browser, shop, assistant, agents
):
    _, marc = agents
    shop.open()
    shop.open_widget()
    shop.send('<img src=x onerror="alert(1)"> je veux parler à un conseiller')
    expect(shop.bot_messages.last).to_contain_text("prendre le relais", timeout=TIMEOUT_MS)
    reference = REFERENCE.search(shop.bot_messages.last.inner_text()).group(0)
    agent = workspace_page(browser, assistant.web_url)
    dialogs = []
    agent.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    agent.log_in(marc)

    agent.queued(reference).click()

    expect(agent.transcript.first).to_contain_text('<img src=x onerror="alert(1)">')
    assert agent.page.locator("#transcript img, #queue img, #summary img").count() == 0
    assert dialogs == []


def test_closing_asks_the_customer_for_a_rating_which_the_lead_sees_in_the_statistics(
    browser, shop, assistant, agents
):
    sophie, _ = agents
    lead = create_agent(assistant.database_url, "Louise Lavoie", role="lead")
    reference = ask_for_a_human(shop)
    agent = workspace_page(browser, assistant.web_url, viewport=DESKTOP)
    agent.log_in(sophie)
    agent.take(reference)
    expect(shop.bot_messages.last).to_contain_text("ici Sophie", timeout=TIMEOUT_MS)

    agent.button("Clore la conversation").click()

    expect(shop.bot_messages.last).to_contain_text(
        "Cette conversation vous a-t-elle aidé\u202f?", timeout=TIMEOUT_MS
    )
    shop.quick_replies.get_by_text("5", exact=True).click()
    expect(shop.bot_messages.last).to_contain_text("Merci pour votre note", timeout=TIMEOUT_MS)

    board = workspace_page(browser, assistant.web_url, viewport=DESKTOP)
    board.log_in(lead)
    board.page.get_by_role("link", name="Statistiques").click()
    table = board.page.get_by_role(
        "table", name="Conversations, transferts, suggestions et satisfaction"
    )
    expect(table.get_by_role("row").filter(has_text="socketio")).not_to_have_count(0)
    expect(table).to_contain_text("demande")
    expect(table).to_contain_text("sur 5")
    plot = board.page.context.request.get(f"{assistant.web_url}/agent/api/stats.png")
    assert plot.headers["content-type"] == "image/png"
    assert plot.body().startswith(b"\x89PNG")
    board.page.wait_for_function(
        "() => document.getElementById('plot').naturalWidth > 0", timeout=TIMEOUT_MS
    )
    board.page.screenshot(path=str(SCREENSHOTS_DIR / "stats.png"), full_page=True)
    csv_text = board.page.context.request.get(f"{assistant.web_url}/agent/api/stats.csv").text()
    header, *rows = csv_text.splitlines()
    assert header.startswith("jour,canal,conversations,sans_conseiller")
    socketio = [row.split(",") for row in rows if ",socketio," in row]
    assert sum(int(row[-2]) for row in socketio) >= 1  # csat_reponses


def test_the_statistics_are_for_support_leads_only(assistant, agents):
    sophie, _ = agents
    session, _ = log_in(assistant, sophie)

    response = session.get(f"{assistant.web_url}/agent/api/stats.csv", timeout=10)

    assert response.status_code == 403
    assert response.json()["code"] == "lead_only"


def test_a_goodbye_in_the_widget_is_followed_by_the_optional_rating(shop):
    shop.open()
    shop.open_widget()
    shop.send("Au revoir, bonne journée")

    expect(shop.bot_messages.last).to_contain_text(
        "Cette conversation vous a-t-elle aidé\u202f?", timeout=TIMEOUT_MS
    )
    expect(shop.quick_replies).to_have_text(["1", "2", "3", "4", "5"])
    shop.quick_replies.get_by_text("4", exact=True).click()
    expect(shop.bot_messages.last).to_contain_text("Merci pour votre note", timeout=TIMEOUT_MS)


def test_workspace_screenshots_at_desktop_and_phone_widths(browser, shop, assistant, agents):
    """Queue, conversation with its suggestion, and order panel, at 1280 px and at 375 px
    (reports/web/workspace-*.png; copies in docs/workspace/)."""
    sophie, _ = agents
    reference = ask_for_a_human(shop)
    agent = workspace_page(browser, assistant.web_url, viewport=DESKTOP)
    agent.log_in(sophie)
    agent.queued(reference).click()
    expect(agent.order).to_contain_text("AZ104301", timeout=TIMEOUT_MS)
    agent.page.screenshot(path=str(SCREENSHOTS_DIR / "workspace-queue-1280.png"), full_page=True)
    agent.page.get_by_role("button", name="Prendre en charge").click()
    expect(shop.bot_messages.last).to_contain_text("ici Sophie", timeout=TIMEOUT_MS)
    shop.send("Pouvez-vous me dire où est mon colis ?")
    expect(agent.reply).not_to_have_value("", timeout=TIMEOUT_MS)
    expect(agent.page.locator("#facts")).to_contain_text("Intention")
    agent.page.screenshot(
        path=str(SCREENSHOTS_DIR / "workspace-conversation-1280.png"), full_page=True
    )

    agent.page.set_viewport_size(PHONE)
    agent.page.screenshot(path=str(SCREENSHOTS_DIR / "workspace-queue-375.png"))
    agent.page.locator("#reply").scroll_into_view_if_needed()
    agent.page.locator("#reply").screenshot(
        path=str(SCREENSHOTS_DIR / "workspace-suggestion-375.png")
    )
    agent.page.locator("#order").scroll_into_view_if_needed()
    agent.page.locator("aside").screenshot(path=str(SCREENSHOTS_DIR / "workspace-order-375.png"))
    width = agent.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone: no sideways scrolling


def test_a_new_handoff_is_pushed_to_an_open_workspace_without_reload_or_polling(
    browser, shop, assistant, agents
):
    _, marc = agents
    agent = workspace_page(browser, assistant.web_url, viewport=DESKTOP)
    polled = []
    agent.page.on(
        "request", lambda request: urlsplit(request.url).path == "/agent/api/queue"
        and polled.append(request.url)
    )  # fmt: skip
    agent.log_in(marc)
    expect(agent.page.locator("#workspace")).to_be_visible()

    reference = ask_for_a_human(shop)

    expect(agent.queued(reference)).to_have_count(1, timeout=TIMEOUT_MS)
    assert polled == []
    assert agent.page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
