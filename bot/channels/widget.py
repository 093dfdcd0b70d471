"""Rasa's socket.io channel (the website widget) with the message-length limit."""

from __future__ import annotations

from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from channels.message_limit import MessageHandler, refusing_long_messages


class LimitedSocketIOInput(SocketIOInput):
    """Same channel, name and events as Rasa's `socketio`; over-long messages are refused
    before the NLU (the widget itself stops at 1,000 characters, a script need not)."""

    def blueprint(self, on_new_message: MessageHandler) -> Blueprint:
        return super().blueprint(refusing_long_messages(on_new_message))
