"""The chat widget in a real headless Chromium, on the demo shop page, against the real stack."""

from __future__ import annotations

import json
import re

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

GREETING_BUTTONS = ["Suivre ma commande", "Faire un retour", "Parler à un conseiller"]
XSS = "<img src=x onerror=alert(1)>"


def relative_luminance(css_colour: str) -> float:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css_colour)[:3])

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def colours(locator) -> tuple[str, str]:
    return locator.evaluate(
        "node => [getComputedStyle(node).color, getComputedStyle(node).backgroundColor]"
    )


def test_greeting_is_answered_in_french_with_three_quick_replies(shop, screenshots_dir):
    shop.open()
    shop.open_widget()

    shop.send("Bonjour")

    shop.wait_for_bot_messages(1)
    expect(shop.user_messages).to_have_text(["Bonjour"])
    expect(shop.bot_messages.first).to_have_text(re.compile(r"^Bonjour"))
    expect(shop.quick_replies).to_have_text(GREETING_BUTTONS)
    expect(shop.input).to_have_attribute("placeholder", "Écrivez votre message…")
    expect(shop.typing_indicator).to_be_hidden()
    shop.panel.page.screenshot(path=str(screenshots_dir / "widget.png"))
    assert shop.console_errors == []  # includes Content-Security-Policy violations


def test_quick_reply_sends_its_payload_and_shows_its_title(shop, assistant):
    shop.open()
    shop.open_widget()
    shop.send("Bonjour")
    shop.wait_for_bot_messages(1)

    shop.quick_replies.filter(has_text="Suivre ma commande").click()

    expect(shop.user_messages).to_have_text(["Bonjour", "Suivre ma commande"])
    shop.wait_for_at_least(2)
    shop.wait_until_answered()  # the server acknowledged: the tracker is saved
    tracker = requests.get(
        f"{assistant.rasa_url}/conversations/{shop.session_id()}/tracker",
        params={"token": assistant.auth_token},
        timeout=30,
    ).json()
    user_texts = [event["text"] for event in tracker["events"] if event["event"] == "user"]
    assert user_texts == ["Bonjour", "/track_order"]
    assert tracker["latest_message"]["intent"]["name"] == "track_order"
    # The greeting's buttons belong to an answered question: they are gone.
    expect(shop.quick_replies.filter(has_text="Faire un retour")).to_have_count(0)


def test_conversation_survives_a_page_reload(shop, assistant):
    shop.open()
    shop.open_widget()
    shop.send("Bonjour")
    shop.wait_for_bot_messages(1)
    greeting = shop.bot_messages.first.inner_text()
    session_before = shop.session_id()

    shop.page.reload()

    expect(shop.panel).to_be_visible()  # it was open: it stays open
    expect(shop.user_messages).to_have_text(["Bonjour"])
    expect(shop.bot_messages).to_have_text([greeting])
    expect(shop.quick_replies).to_have_text(GREETING_BUTTONS)
    assert shop.session_id() == session_before

    shop.send("est-ce que je parle à un robot ?")
    shop.wait_for_bot_messages(2)
    expect(shop.bot_messages.nth(1)).to_contain_text("assistant virtuel")
    shop.wait_until_answered()  # the server acknowledged: the tracker is saved
    tracker = requests.get(
        f"{assistant.rasa_url}/conversations/{session_before}/tracker",
        params={"token": assistant.auth_token},
        timeout=30,
    ).json()
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == [
        "Bonjour",
        "est-ce que je parle à un robot ?",
    ]


def test_html_typed_by_the_customer_is_shown_as_text_and_never_runs(shop):
    shop.open()
    shop.open_widget()
    shop.page.evaluate("() => { window.__pwned = false; }")

    shop.send(XSS)
    shop.send('<svg onload="window.__pwned = true"></svg>')

    expect(shop.user_messages).to_have_text([XSS, '<svg onload="window.__pwned = true"></svg>'])
    shop.wait_for_at_least(1)
    shop.page.wait_for_timeout(500)  # let any injected handler fire, had one been created
    assert shop.dialogs == []
    assert shop.page.evaluate("() => window.__pwned") is False
    assert shop.page.locator(".azw img, .azw-messages svg").count() == 0
    stored = shop.page.evaluate("() => localStorage.getItem('allyzure-chat:v1')")
    assert XSS in json.loads(stored)["messages"][0]["text"]

    # Restoring the history after a reload must not interpret it either.
    shop.page.reload()
    expect(shop.user_messages.first).to_have_text(XSS)
    assert shop.dialogs == []
    assert shop.page.locator(".azw img").count() == 0


def test_bot_text_is_rendered_as_text_and_only_web_addresses_become_links(shop):
    """A reply naming a product "<img …>" and carrying links, served in place of the REST
    channel (socket.io blocked): markup stays text, http(s) URLs become safe links."""
    malicious = [
        {
            "recipient_id": "x",
            "text": (
                'Votre article <img src=x onerror="window.__pwned = true"> est prêt. '
                "Suivez-le sur https://www.postescanada.ca/track?id=7023&lang=fr. <b>Merci</b> "
                "Ou javascript:window.__pwned=true, ou écrivez à support@allyzure.com."
            ),
            "buttons": [{"title": "<b>Oui</b>", "payload": "/affirm"}],
        }
    ]
    shop.page.route("**/socket.io/**", lambda route: route.abort())
    shop.page.route(
        "**/webhooks/rest/webhook",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(malicious)
        ),
    )
    shop.open()
    shop.open_widget()
    shop.page.evaluate("() => { window.__pwned = false; }")

    shop.send("Où est mon colis ?")

    shop.wait_for_bot_messages(1)
    bubble = shop.bot_messages.first
    expect(bubble).to_contain_text('<img src=x onerror="window.__pwned = true">')
    expect(bubble).to_contain_text("javascript:window.__pwned=true")
    expect(bubble).to_contain_text("<b>Merci</b>")
    links = bubble.get_by_role("link")
    expect(links).to_have_count(2)
    tracking = "https://www.postescanada.ca/track?id=7023&lang=fr"
    assert links.nth(0).get_attribute("href") == tracking
    # The sentence's full stop is not part of the address; the new tab is announced.
    expect(links.nth(0)).to_have_text(f"{tracking} (s’ouvre dans un nouvel onglet)")
    assert links.nth(0).get_attribute("target") == "_blank"
    assert links.nth(0).get_attribute("rel") == "noopener noreferrer"
    assert links.nth(1).get_attribute("href") == "mailto:support@allyzure.com"
    expect(shop.quick_replies).to_have_text(["<b>Oui</b>"])
    assert bubble.locator("img, b").count() == 0
    shop.page.wait_for_timeout(500)
    assert shop.page.evaluate("() => window.__pwned") is False
    assert shop.dialogs == []


def test_an_address_the_customer_typed_never_comes_back_as_a_link(shop):
    """Issue 13, defect 9: a `http://` URL typed as a new delivery address came back, in the
    assistant's confirmation, as a clickable link. What the customer typed stays text; only
    https URLs the assistant wrote itself become links."""
    typed = "https://evil.example/colis et http://evil.example/suivi"
    echo = [
        {
            "recipient_id": "x",
            "text": f"Nouvelle adresse notée : {typed}. Suivi : "
            "http://www.postescanada.ca/track ou https://www.postescanada.ca/track?id=7023.",
        }
    ]
    shop.page.route("**/socket.io/**", lambda route: route.abort())
    shop.page.route(
        "**/webhooks/rest/webhook",
        lambda route: route.fulfill(status=200, content_type="application/json",
                                    body=json.dumps(echo)),
    )  # fmt: skip
    shop.open()
    shop.open_widget()

    shop.send(typed)

    shop.wait_for_bot_messages(1)
    bubble = shop.bot_messages.first
    expect(bubble).to_contain_text("https://evil.example/colis")
    links = bubble.get_by_role("link")
    expect(links).to_have_count(1)
    assert links.first.get_attribute("href") == "https://www.postescanada.ca/track?id=7023"


def test_socket_io_carries_the_conversation_when_it_is_available(shop, assistant):
    requested = []
    shop.page.on("request", lambda r: requested.append((r.method, r.url)))
    shop.open()
    shop.open_widget()

    shop.send("Bonjour")

    shop.wait_for_bot_messages(1)
    expect(shop.quick_replies).to_have_count(3)
    socket_io = f"{assistant.rasa_url}/socket.io/"
    assert any(m == "POST" and url.startswith(socket_io) for m, url in requested)
    assert not any("/webhooks/rest/" in url for _, url in requested)
    allowed = (assistant.web_url, assistant.rasa_url, "data:")
    assert [url for _, url in requested if not url.startswith(allowed)] == []  # no CDN


def test_rest_channel_takes_over_when_socket_io_is_unreachable(shop):
    rest_calls = []
    shop.page.route("**/socket.io/**", lambda route: route.abort())
    shop.page.on("request", lambda r: "/webhooks/rest/" in r.url and rest_calls.append(r))
    shop.open()
    shop.open_widget()

    shop.send("Bonjour")

    shop.wait_for_bot_messages(1)
    expect(shop.bot_messages.first).to_have_text(re.compile(r"^Bonjour"))
    expect(shop.quick_replies).to_have_text(GREETING_BUTTONS)
    assert len(rest_calls) == 1
    assert json.loads(rest_calls[0].post_data) == {
        "sender": shop.session_id(),
        "message": "Bonjour",
        "metadata": {"language": "fr"},
    }


def test_typing_indicator_shows_while_the_assistant_answers(shop):
    held = []
    shop.page.route("**/socket.io/**", lambda route: route.abort())
    # The REST call is held here and answered later, by the test.
    shop.page.route("**/webhooks/rest/webhook", lambda route: held.append(route))
    shop.open()
    shop.open_widget()

    shop.send("Bonjour")

    expect(shop.typing_indicator).to_be_visible()
    expect(shop.typing_indicator).to_have_attribute("role", "status")
    expect(shop.typing_indicator).to_contain_text("L’assistant écrit…")
    for _ in range(100):  # let the held request reach the handler
        if held:
            break
        shop.page.wait_for_timeout(100)
    assert len(held) == 1
    held[0].fulfill(
        status=200,
        content_type="application/json",
        body=json.dumps([{"recipient_id": "x", "text": "Bonjour ! Que puis-je faire pour vous ?"}]),
    )
    shop.wait_for_bot_messages(1)
    expect(shop.typing_indicator).to_be_hidden()


def test_an_unreachable_assistant_is_announced_in_french(shop):
    shop.page.route("**/socket.io/**", lambda route: route.abort())
    shop.page.route("**/webhooks/rest/webhook", lambda route: route.abort())
    shop.open()
    shop.open_widget()

    shop.send("Bonjour")

    alert = shop.page.locator(".azw").get_by_role("alert")
    expect(alert).to_contain_text("momentanément indisponible")
    expect(shop.typing_indicator).to_be_hidden()
    # The question stays, marked as unanswered, with a way to send it again.
    expect(shop.failed_messages.locator(".azw-bubble")).to_have_text(["Bonjour"])
    expect(shop.retry_buttons).to_have_count(1)


def test_keyboard_only_customer_can_open_chat_answer_and_close(shop):
    shop.open()
    for _ in range(30):
        shop.page.keyboard.press("Tab")
        if shop.launcher.evaluate("node => node === document.activeElement"):
            break
    expect(shop.launcher).to_be_focused()
    expect(shop.launcher).to_have_attribute("aria-expanded", "false")

    shop.page.keyboard.press("Enter")

    expect(shop.panel).to_be_visible()
    expect(shop.launcher).to_have_attribute("aria-expanded", "true")
    expect(shop.input).to_be_focused()
    shop.page.keyboard.type("Bonjour")
    shop.page.keyboard.press("Enter")
    shop.wait_for_bot_messages(1)
    expect(shop.quick_replies).to_have_count(3)

    shop.page.keyboard.press("Shift+Tab")  # from the input back to the last suggestion
    expect(shop.quick_replies.last).to_be_focused()
    shop.page.keyboard.press("Enter")
    expect(shop.user_messages.last).to_have_text("Parler à un conseiller")
    expect(shop.input).to_be_focused()
    shop.wait_for_at_least(2)

    shop.page.keyboard.press("Escape")
    expect(shop.panel).to_be_hidden()
    expect(shop.launcher).to_be_focused()


def test_widget_is_labelled_for_assistive_technologies(shop):
    shop.open()
    shop.open_widget()

    log = shop.page.get_by_role("log", name="Messages de la conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(shop.page.get_by_role("button", name="Fermer la conversation")).to_be_visible()
    expect(shop.page.get_by_role("button", name="Envoyer le message")).to_be_visible()
    expect(shop.panel).to_have_attribute("aria-modal", "false")
    expect(shop.launcher).to_have_attribute("aria-controls", "azw-panel")
    assert shop.page.locator(".azw").get_attribute("lang") == "fr"


def test_text_colours_have_enough_contrast(shop):
    shop.open()
    shop.open_widget()
    shop.send("Bonjour")
    shop.wait_for_bot_messages(1)

    checks = {
        "header": shop.page.locator(".azw-header"),
        "bot message": shop.bot_messages.first,
        "customer message": shop.user_messages.first,
        "launcher": shop.launcher,
        "send button": shop.page.locator(".azw-send"),
    }
    for name, locator in checks.items():
        foreground, background = colours(locator)
        assert contrast_ratio(foreground, background) >= 4.5, name
    foreground, background = colours(shop.quick_replies.first)
    assert contrast_ratio(foreground, background) >= 4.5
    placeholder = shop.input.evaluate("node => getComputedStyle(node, '::placeholder').color")
    assert contrast_ratio(placeholder, "rgb(255, 255, 255)") >= 4.5


def test_phone_screen_of_375_pixels_shows_the_whole_chat(phone_shop, screenshots_dir):
    shop = phone_shop.open()
    assert shop.page.evaluate("() => document.documentElement.scrollWidth") <= 375
    shop.open_widget()

    shop.send("Bonjour")

    shop.wait_for_bot_messages(1)
    expect(shop.quick_replies).to_have_count(3)
    panel = shop.panel.bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 375
    assert panel["y"] >= 0 and panel["y"] + panel["height"] <= 740
    for control in (shop.input, shop.page.get_by_role("button", name="Fermer la conversation")):
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        assert box["y"] >= 0 and box["y"] + box["height"] <= 740
        assert box["height"] >= 44  # comfortable touch target
    assert shop.page.evaluate("() => document.documentElement.scrollWidth") <= 375
    shop.page.screenshot(path=str(screenshots_dir / "widget-mobile.png"))


def test_options_come_from_the_script_tag(shop, assistant):
    """An embedding page on its own: the tag's data-* attributes set the server, the title and
    the colour; the text colour follows the colour to keep the contrast."""
    config_requests = []
    host_page = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Hôte</title>'
        f'<script src="/widget.js" defer data-server-url="{assistant.rasa_url}" '
        'data-title="Service client Bijoux" data-primary-color="#f6e7c8" data-position="left">'
        "</script></head><body><p>Une autre page qui intègre le widget.</p></body></html>"
    )
    shop.page.on("request", lambda r: "/config.json" in r.url and config_requests.append(r.url))
    # Any other page of the site (a 404 keeps the server's strict CSP) replaced by the host page.
    shop.page.goto(f"{assistant.web_url}/une-autre-page")
    shop.page.set_content(host_page)
    panel = shop.page.get_by_role("dialog", name="Service client Bijoux")

    shop.launcher.click()
    expect(panel).to_be_visible()
    shop.send("Bonjour")

    shop.wait_for_bot_messages(1)
    foreground, background = colours(shop.page.locator(".azw-header"))
    assert background == "rgb(246, 231, 200)"
    assert contrast_ratio(foreground, background) >= 4.5
    assert shop.launcher.bounding_box()["x"] < 100  # left corner
    assert config_requests == []


def test_demo_page_keeps_a_strict_content_security_policy(assistant):
    response = requests.get(f"{assistant.web_url}/", timeout=10)
    policy = response.headers["Content-Security-Policy"]

    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert assistant.rasa_url in policy  # the only other place the page may talk to
    assert "<script>" not in response.text  # no inline script: only <script src=…>


def test_widget_script_and_vendored_socket_io_are_served(assistant):
    widget = requests.get(f"{assistant.web_url}/widget.js", timeout=10)
    vendored = requests.get(f"{assistant.web_url}/vendor/socket.io.min.js", timeout=10)

    assert widget.status_code == 200
    assert "javascript" in widget.headers["Content-Type"]
    assert not re.search(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write", widget.text)
    assert vendored.status_code == 200
    assert "Socket.IO v4" in vendored.text[:200]
