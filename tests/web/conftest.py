"""Browser fixtures: Debian's Chromium driven by Playwright (never a downloaded browser).

`make test` installs Chromium first (tools/ensure_chromium.sh). Each test gets a fresh browser
context — empty localStorage, so a new conversation — on the page served by the session
`assistant` stack.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from tools.model import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS_DIR = PROJECT_ROOT / "reports" / "web"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
ANSWER_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file() and not shutil.which("chromium"):
        pytest.fail("Chromium is missing: run tools/ensure_chromium.sh (make test does it).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS_DIR


@dataclass
class Shop:
    """The demo shop page with the chat widget, as a customer sees it."""

    page: Page
    url: str
    touch: bool = False  # a phone: opening the panel must not pop the on-screen keyboard up
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self) -> Shop:
        self.page.goto(self.url)
        expect(self.launcher).to_be_visible()
        return self

    @property
    def launcher(self) -> Locator:
        return self.page.get_by_role(
            "button", name="Ouvrir la conversation avec l’assistant Allyzure"
        )

    @property
    def panel(self) -> Locator:
        return self.page.get_by_role("dialog", name="Assistant Allyzure")

    @property
    def input(self) -> Locator:
        return self.page.get_by_role("textbox", name="Votre message")

    @property
    def bot_messages(self) -> Locator:
        return self.page.locator(".azw-msg--bot .azw-bubble")

    @property
    def user_messages(self) -> Locator:
        return self.page.locator(".azw-msg--user .azw-bubble")

    @property
    def quick_replies(self) -> Locator:
        return self.page.get_by_role("group", name="Réponses suggérées").get_by_role("button")

    @property
    def typing_indicator(self) -> Locator:
        return self.page.locator(".azw-typing")

    @property
    def failed_messages(self) -> Locator:
        return self.page.locator(".azw-msg--failed")

    @property
    def retry_buttons(self) -> Locator:
        return self.page.locator(".azw").get_by_role("button", name="Réessayer")

    def open_widget(self) -> None:
        self.launcher.click()
        expect(self.panel).to_be_visible()
        if self.touch:
            expect(self.input).not_to_be_focused()
            expect(self.panel).to_be_focused()
        else:
            expect(self.input).to_be_focused()

    def send(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def wait_for_bot_messages(self, count: int) -> None:
        expect(self.bot_messages).to_have_count(count, timeout=ANSWER_TIMEOUT_MS)

    def wait_for_at_least(self, count: int) -> None:
        self.bot_messages.nth(count - 1).wait_for(timeout=ANSWER_TIMEOUT_MS)

    def wait_until_answered(self) -> None:
        """Every message of the conversation got its answer (none pending in storage)."""
        self.page.wait_for_function(
            "() => !JSON.parse(localStorage.getItem('allyzure-chat:v1') || '{\"messages\":[]}')"
            ".messages.some(m => m.status === 'pending')",
            timeout=ANSWER_TIMEOUT_MS,
        )

    def stored_messages(self) -> list[dict]:
        return self.page.evaluate(
            "() => JSON.parse(localStorage.getItem('allyzure-chat:v1')).messages"
        )

    def session_id(self) -> str:
        return self.page.evaluate(
            "() => JSON.parse(localStorage.getItem('allyzure-chat:v1')).sessionId"
        )


def watched_shop(page: Page, url: str, touch: bool = False) -> Shop:
    """The shop on `page`, recording console errors and dialogs."""
    shop = Shop(page=page, url=url, touch=touch)
    page.on("console", lambda m: m.type == "error" and shop.console_errors.append(m.text))
    page.on("pageerror", lambda error: shop.console_errors.append(str(error)))
    page.on("dialog", lambda dialog: (shop.dialogs.append(dialog.message), dialog.dismiss()))
    return shop


def _shop(browser: Browser, url: str, **context_options) -> Iterator[Shop]:
    context = browser.new_context(locale="fr-CA", **context_options)
    yield watched_shop(context.new_page(), url, touch=context_options.get("has_touch", False))
    context.close()


@pytest.fixture
def shop(browser: Browser, assistant) -> Iterator[Shop]:
    yield from _shop(browser, f"{assistant.web_url}/", viewport=DESKTOP)


@pytest.fixture
def phone_shop(browser: Browser, assistant) -> Iterator[Shop]:
    yield from _shop(
        browser,
        f"{assistant.web_url}/",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def two_tabs(browser: Browser, assistant) -> Iterator[tuple[Shop, Shop]]:
    """Two tabs of the same browser on the shop page: they share its storage."""
    context = browser.new_context(locale="fr-CA", viewport=DESKTOP)
    url = f"{assistant.web_url}/"
    yield watched_shop(context.new_page(), url), watched_shop(context.new_page(), url)
    context.close()


# An accessibility audit injects axe-core into the page: the page's strict CSP would refuse it.
@pytest.fixture
def audited_shop(browser: Browser, assistant) -> Iterator[Shop]:
    yield from _shop(browser, f"{assistant.web_url}/", viewport=DESKTOP, bypass_csp=True)


@pytest.fixture
def audited_phone_shop(browser: Browser, assistant) -> Iterator[Shop]:
    yield from _shop(
        browser,
        f"{assistant.web_url}/",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
