"""The responses of bot/domain.yml, with the shop's policy numbers as response variables.

Named in bot/endpoints*.yml (`nlg: type: server.nlg.PolicyResponses`), Rasa's extension point
for a custom response generator. Every response — uttered by a rule or by a custom action —
may quote `{return_days}`, `{exchange_days}`, `{cancel_hours}`, `{warranty_years}`,
`{holiday_from}`, `{holiday_until}` and `{holiday_return_until}` (backend.formatting
`policy_values`), read from backend/policy.yml when the server starts: the numbers are written
there only, and changing one changes every answer. A value an action passes itself wins.
`{farewell}` is the customer's own wish of the moment (« bonne soirée » answered in kind).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from backend.formatting import policy_values
from backend.policies import PolicyConfig, load_policy


class PolicyResponses(TemplatedNaturalLanguageGenerator):
    """Rasa's response generator, with the policy's values among the response variables."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        domain: Domain | None = None,
        policy: PolicyConfig | None = None,
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)
        self.values = policy_values(policy or load_policy())

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        said = {}
        if self.quotes_the_farewell(utter_action):
            latest = tracker.latest_message.text if tracker.latest_message else ""
            said["farewell"] = farewell_for(latest)
        return await super().generate(
            utter_action, tracker, output_channel, **{**self.values, **said, **kwargs}
        )

    def quotes_the_farewell(self, utter_action: str) -> bool:
        """Whether the response quotes `{farewell}`: only then are the customer's words read.
        Read from the responses of the model loaded (Rasa sets them once a model is loaded,
        after this generator is built)."""
        variations = self.responses.get(utter_action) or []
        return any("{farewell}" in (variation.get("text") or "") for variation in variations)


_EVENING = re.compile(r"\b(soir|soiree|bonsoir|nuit)\b")


def farewell_for(text: str | None) -> str:
    """« bonne soirée » to a customer who wished one (or said « bonsoir », « bonne nuit »),
    else « bonne journée »: `{farewell}` in the goodbye."""
    words = unicodedata.normalize("NFD", (text or "").lower())
    plain = "".join(c for c in words if not unicodedata.combining(c))
    return "bonne soirée" if _EVENING.search(plain) else "bonne journée"
