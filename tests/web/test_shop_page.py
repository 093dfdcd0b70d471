"""The demo shop page quotes the policy of backend/policy.yml, filled in when served."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests

from backend.formatting import policy_values
from backend.policies import load_policy
from tools.launcher import free_port
from web.server import STATIC_DIR, make_server, with_policy_values


@pytest.fixture(scope="module")
def shop_url() -> Iterator[str]:
    port = free_port()
    server = make_server("127.0.0.1", port, "http://127.0.0.1:5005")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_page_quotes_the_return_exchange_and_warranty_of_the_policy_file(shop_url):
    policy = load_policy()

    page = requests.get(f"{shop_url}/", timeout=10).text

    assert f"{policy.return_days}&nbsp;jours après la livraison" in page
    assert f"{policy.exchange_days}&nbsp;jours après l’achat" in page
    assert f"{policy.warranty_years}&nbsp;ans contre les défauts" in page
    assert "{" not in page


def test_head_announces_the_length_of_the_filled_page(shop_url):
    page = requests.get(f"{shop_url}/index.html", timeout=10)
    head = requests.head(f"{shop_url}/index.html", timeout=10)

    assert head.headers["Content-Length"] == str(len(page.content))


def test_other_braces_are_left_alone():
    values = policy_values(load_policy())

    assert with_policy_values("{return_days} {unknown}", values) == (
        f"{values['return_days']} {{unknown}}"
    )


def test_the_page_file_itself_writes_no_policy_number():
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")

    assert "{return_days}" in page and "30 jours" not in page and "2 ans" not in page
