"""The names the handoff shares between the dialogue policy and the actions.

bot/components/handed_over.py (a Rasa policy) reads them; bot/actions/conversation.py sets the
slot and names the action. They live apart from the policy so that the action server can
import them without loading Rasa's policies (and TensorFlow with them).
"""

HANDOFF_STATE_SLOT = "handoff_state"
# "waiting": queued, nothing said since; "acknowledged": the one acknowledgment was sent.
WAITING_STATES = frozenset({"waiting", "acknowledged"})
WHILE_HANDED_OVER_ACTION = "action_while_handed_over"
