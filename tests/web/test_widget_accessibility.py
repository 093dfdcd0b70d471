"""axe-core's WCAG 2.1 A and AA rules on the chat widget in each of its states: a conversation
with suggestions, an unanswered message while the connection is lost, the closed launcher with
unread replies, and the modal panel of a phone. axe-core is vendored in tests/web/vendor/ by
`make vendor` (web/package-lock.json)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ANSWER_TIMEOUT_MS = 30_000


def violations(shop) -> list[tuple[str, list]]:
    """axe's violations on the page, each as (rule, the first offending elements)."""
    if not shop.page.evaluate("() => typeof axe !== 'undefined'"):
        shop.page.add_script_tag(path=str(AXE))
    result = shop.page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_A_AA
    )
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]


def test_every_state_of_the_widget_passes_wcag_21_aa_on_a_computer(audited_shop):
    shop = audited_shop.open()
    shop.open_widget()
    shop.send("Bonjour")
    shop.wait_for_bot_messages(1)
    expect(shop.quick_replies).to_have_count(3)
    assert violations(shop) == []

    shop.page.route("**/socket.io/**", lambda route: route.fulfill(status=502))
    shop.page.route("**/webhooks/rest/**", lambda route: route.fulfill(status=502))
    shop.send("est-ce que je parle à un robot ?")
    expect(shop.failed_messages).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    expect(shop.page.locator(".azw-connection")).to_be_visible()
    assert violations(shop) == []

    shop.page.unroute("**/socket.io/**")
    shop.page.unroute("**/webhooks/rest/**")
    shop.input.fill("merci")
    shop.page.evaluate(
        "() => { document.querySelector('.azw-form').requestSubmit(); AllyzureChat.close(); }"
    )
    expect(shop.page.locator(".azw-badge")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    assert violations(shop) == []


def test_the_modal_panel_passes_wcag_21_aa_on_a_phone(audited_phone_shop):
    shop = audited_phone_shop.open()
    shop.open_widget()
    shop.send("Bonjour")
    shop.wait_for_bot_messages(1)
    expect(shop.panel).to_have_attribute("aria-modal", "true")

    assert violations(shop) == []
