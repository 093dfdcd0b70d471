"""The REST channel: Rasa's own (`POST /webhooks/rest/webhook`, same name, URL and answers),
guarded and with customer input checked (server/channels/customer.py).

Registered in bot/credentials.yml as ``server.channels.rest.RestInput``, in place of Rasa's
``rest:``: the server's request checks then come with the project's channels themselves.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint

from server.channels.customer import MessageHandler, customer_blueprint, prepare_rasa_process


class RestInput(RasaRestInput):
    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RestInput:
        prepare_rasa_process()
        return cls()

    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        return customer_blueprint(self.name(), on_new_message, super().blueprint)
