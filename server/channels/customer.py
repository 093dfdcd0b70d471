"""What every input channel of the project brings to the Rasa process it runs in.

Rasa builds the channels named in bot/credentials.yml (`from_credentials`) before it builds its
web app, then registers each channel's blueprint on that app: the two extension points used
here, so that a plain `rasa run` with the project's configuration is served exactly like
`make run`.

- `prepare_rasa_process()`, from each channel's `from_credentials`: the patches of Rasa's own
  functions (server/patches.py), or a refusal to start on a Rasa they were not written for;
- `serving(blueprint)`: when the server starts, the HTTP guard's request checks (rate limit,
  body checks, message length: server/http_guard.py) are registered on the whole app, once,
  whichever of the project's channels comes first;
- `customer_blueprint(...)`: a customer channel's blueprint whose messages go through
  server/customer_input.py before the dialogue engine.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sanic import Blueprint, Sanic

from server import http_guard, patches
from server.customer_input import customer_handler

MessageHandler = Callable[[Any], Awaitable[Any]]
GUARDED_FLAG = "allyzure_http_guard"


def prepare_rasa_process() -> None:
    """Install the patches of Rasa's functions (once per process; see server/patches.py)."""
    patches.install()


def guard(app: Sanic) -> None:
    """Register the HTTP guard's middlewares on `app`, once whatever the number of channels."""
    if getattr(app.ctx, GUARDED_FLAG, False):
        return
    setattr(app.ctx, GUARDED_FLAG, True)
    http_guard.register(app)


def serving(blueprint: Blueprint, on_start: Callable[[Sanic], None] | None = None) -> Blueprint:
    """`blueprint`, which guards the app that serves it (and tells `on_start` about that app)."""

    async def guard_the_app(app: Sanic, _loop: Any) -> None:
        guard(app)
        if on_start is not None:
            on_start(app)

    blueprint.listener("before_server_start")(guard_the_app)
    return blueprint


def customer_blueprint(
    channel_name: str,
    on_new_message: MessageHandler,
    build: Callable[[MessageHandler], Blueprint],
) -> Blueprint:
    """The blueprint `build` makes, handing each message to Rasa through customer_input."""
    served: dict[str, Sanic] = {}

    def agent() -> Any:
        app = served.get("app")
        return getattr(app.ctx, "agent", None) if app is not None else None

    blueprint = build(customer_handler(on_new_message, channel_name, agent))
    return serving(blueprint, on_start=lambda app: served.update(app=app))
