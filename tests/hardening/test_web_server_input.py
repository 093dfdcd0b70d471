"""The web server (web/server.py) answers any path and method without a server error."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.text(max_size=80))
@example(path="\x00")
@example(path="../../../etc/passwd")
@example(path="config.json\x00.html")
@example(path="agent/api/")  # the workspace's API: 401 until an agent logs in
def test_any_path_gets_a_page_or_a_client_error(assistant, path):
    response = requests.get(f"{assistant.web_url}/{quote(path)}", timeout=10)

    assert response.status_code in (200, 301, 400, 401, 404, 405)


def test_a_path_with_a_nul_byte_is_a_bad_request_not_a_dropped_connection(assistant):
    response = requests.get(f"{assistant.web_url}/%00", timeout=10)

    assert response.status_code == 400


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO"])
def test_other_methods_than_get_and_head_are_not_allowed(assistant, method):
    response = requests.request(method, f"{assistant.web_url}/", data=b"x", timeout=10)

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
