"""The agent workspace as an agent sees it (accounts: support.create_agent, the real CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Browser, Locator, Page, expect
from support import Account

from tools.model import PROJECT_ROOT

TIMEOUT_MS = 60_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
SCREENSHOTS_DIR = PROJECT_ROOT / "reports" / "web"


@dataclass
class Workspace:
    page: Page
    url: str

    def open(self) -> Workspace:
        self.page.goto(self.url)
        return self

    def log_in(self, account: Account, password: str | None = None) -> None:
        self.page.get_by_label("Nom d’utilisateur").fill(account.username)
        self.page.get_by_label("Mot de passe").fill(password or account.password)
        self.page.get_by_role("button", name="Se connecter").click()

    @property
    def status(self) -> Locator:
        return self.page.locator("#status")

    @property
    def queue(self) -> Locator:
        return self.page.locator("#queue .card-open")

    @property
    def mine(self) -> Locator:
        return self.page.locator("#mine .card-open")

    @property
    def transcript(self) -> Locator:
        return self.page.locator("#transcript .line")

    @property
    def reply(self) -> Locator:
        return self.page.get_by_label("Votre réponse au client")

    @property
    def order(self) -> Locator:
        return self.page.locator("#order")

    def queued(self, reference: str) -> Locator:
        return self.queue.filter(has_text=reference)

    def take(self, reference: str) -> None:
        self.queued(reference).click()
        self.page.get_by_role("button", name="Prendre en charge").click()
        expect(self.mine.filter(has_text=reference)).to_have_count(1, timeout=TIMEOUT_MS)

    def button(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name)


def workspace_page(browser: Browser, web_url: str, **context_options) -> Workspace:
    context = browser.new_context(locale="fr-CA", **context_options)
    page = context.new_page()
    return Workspace(page=page, url=f"{web_url}/agent/").open()
