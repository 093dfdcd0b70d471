"""The agent console in a real browser: paste a message, see the suggestion and its facts."""

from __future__ import annotations

from playwright.sync_api import expect

TIMEOUT_MS = 60_000


def open_console(browser, assistant):
    page = browser.new_page()
    page.goto(f"{assistant.web_url}/agent/")
    return page


def test_agent_sees_the_suggested_reply_and_the_intent_without_sending_anything(browser, assistant):
    page = open_console(browser, assistant)
    page.get_by_label("Jeton d’agent").fill(assistant.agent_token)
    page.get_by_label("Message du client").fill("où est ma commande AZ104203 ?")
    page.get_by_role("button", name="Prévisualiser la réponse").click()

    expect(page.get_by_role("status")).to_contain_text("rien n’a été envoyé", timeout=TIMEOUT_MS)
    expect(page.get_by_label("Réponse suggérée, modifiable")).to_have_value(
        "Merci. Quelle est l’adresse courriel utilisée pour cette commande\u202f?"
    )
    expect(page.locator("#facts")).to_contain_text("track_order")
    expect(page.locator("#facts")).to_contain_text("order_number = AZ104203")
    page.close()


def test_a_wrong_token_is_refused_in_french(browser, assistant):
    page = open_console(browser, assistant)
    page.get_by_label("Jeton d’agent").fill("pas-le-bon-jeton")
    page.get_by_label("Message du client").fill("Bonjour")
    page.get_by_role("button", name="Prévisualiser la réponse").click()

    expect(page.get_by_role("status")).to_contain_text("Aperçu impossible", timeout=TIMEOUT_MS)
    expect(page.get_by_label("Réponse suggérée, modifiable")).to_have_value("")
    page.close()


def test_a_customer_message_is_shown_as_text_never_as_html(browser, assistant):
    page = open_console(browser, assistant)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.get_by_label("Jeton d’agent").fill(assistant.agent_token)
    page.get_by_label("Message du client").fill("<img src=x onerror=alert(1)> AZ104203")
    page.get_by_role("button", name="Prévisualiser la réponse").click()

    expect(page.get_by_role("status")).to_contain_text("rien n’a été envoyé", timeout=TIMEOUT_MS)
    assert dialogs == []
    assert page.locator("#facts img").count() == 0
    page.close()
