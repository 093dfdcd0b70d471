"""Names of the slots the actions read and write (declared in domain.yml)."""

ORDER_NUMBER = "order_number"
EMAIL = "email"
VERIFIED_ORDER = "verified_order"
VERIFIED_EMAIL = "verified_email"
IDENTITY_FAILURES = "identity_failures"
# The email of the last failed lookup: tried again with a corrected order number.
TRIED_EMAIL = "tried_email"
PENDING_FLOW = "pending_flow"
PENDING_CONFIRMATION = "pending_confirmation"
PROMO_CODE = "promo_code"
NEW_ADDRESS = "new_address"
WARRANTY_CAUSE = "warranty_cause"
TOPIC = "topic"
LAST_DECISION = "last_decision"
AGENT_NAME = "agent_name"

MAX_IDENTITY_FAILURES = 3
