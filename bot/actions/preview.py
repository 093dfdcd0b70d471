"""The agent-assist preview: the channel on which the assistant answers and writes nothing."""

from __future__ import annotations

from rasa_sdk import Tracker

# The agent-assist preview's input channel (server/channels/agent_assist.py): the only one
# allowed to ask for a dry run. Rasa sets a message's input channel itself.
PREVIEW_CHANNEL = "agent"


def is_preview(tracker: Tracker) -> bool:
    """An agent-assist preview: answer as usual but write nothing (dry run).

    Only a message of the agent-preview channel may be one: `dry_run` metadata arriving from
    any customer channel is ignored, so that a customer cannot turn off the recording of
    identity failures (issue 13, defect 1).
    """
    if tracker.get_latest_input_channel() != PREVIEW_CHANNEL:
        return False
    metadata = tracker.latest_message.get("metadata")
    return isinstance(metadata, dict) and metadata.get("dry_run") is True
