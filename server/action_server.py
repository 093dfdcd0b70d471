"""Start the action server (rasa_sdk) on loopback, answering only the Rasa server.

`python -m rasa_sdk` listens on every interface (0.0.0.0) and runs any action for anyone who
can reach it: a forged `POST /webhook` with a hand-made tracker could check emails against
orders with no limit. Here, with the same command-line options as `python -m rasa_sdk`:

- the server listens on `ALLYZURE_ACTIONS_HOST` (default 127.0.0.1; the production profile's
  nginx reaches its action servers on loopback too);
- every request but `GET /health` must carry the shared secret `ACTION_SERVER_TOKEN` in the
  `X-Allyzure-Action-Token` header, compared in constant time; the Rasa server sends it
  (`headers` of `action_endpoint` in bot/endpoints*.yml). Without a configured secret every
  call is refused: the action server never runs open;
- no CORS headers: no browser page has any business calling it.
"""

from __future__ import annotations

import hmac
import logging
import os
import sys
from collections.abc import Callable

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

HOST_VARIABLE = "ALLYZURE_ACTIONS_HOST"
TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
TOKEN_HEADER = "X-Allyzure-Action-Token"
DEFAULT_HOST = "127.0.0.1"
OPEN_PATHS = ("/health",)

logger = logging.getLogger(__name__)


def token_matches(expected: str, received: str | None) -> bool:
    """Constant-time comparison; an unset expected token refuses everything."""
    if not expected or received is None:
        return False
    return hmac.compare_digest(expected.encode(), received.encode())


def token_checker(expected: str) -> Callable:
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS and request.method in ("GET", "HEAD"):
            return None
        if token_matches(expected, request.headers.get(TOKEN_HEADER)):
            return None
        logger.warning("Action server call refused: missing or wrong token.")
        return json_response(
            {
                "error": "Jeton du serveur d’actions manquant ou invalide.",
                "code": "unauthorized",
                "status": 401,
            },
            status=401,
        )

    return require_token


def create_app(actions: str, token: str) -> Sanic:
    from rasa_sdk.endpoint import create_app as create_sdk_app
    from rasa_sdk.plugin import plugin_manager

    app = create_sdk_app(actions, cors_origins=None)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    app.register_middleware(token_checker(token), "request")
    return app


def main(argv: list[str] | None = None) -> None:
    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
    from rasa_sdk.endpoint import create_argument_parser

    args = create_argument_parser().parse_args(argv)
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()

    token = os.environ.get(TOKEN_VARIABLE) or ""
    if not token:
        logger.error("%s is not set: every action call will be refused.", TOKEN_VARIABLE)
    host = os.environ.get(HOST_VARIABLE) or DEFAULT_HOST
    app = create_app(args.actions, token)
    logger.info("Action endpoint is up and running on http://%s:%s", host, args.port)
    app.run(host, args.port, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    sys.argv[0] = "rasa_sdk"
    main()
