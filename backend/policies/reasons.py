"""Stable reason codes of every decision.

The bot maps each code to a response: the values are a contract, never rename one.
"""

from __future__ import annotations

import enum


class ReasonCode(str, enum.Enum):
    # Identity
    VERIFIED = "verified"
    IDENTITY_MISMATCH = "identity_mismatch"  # same answer for a wrong number and a wrong email
    INVALID_ORDER_NUMBER = "invalid_order_number"
    INVALID_EMAIL = "invalid_email"
    IDENTITY_CHECKS_PAUSED = "identity_checks_paused"  # too many failures for this order number

    # Order state, shared by several policies
    ORDER_CANCELLED = "order_cancelled"
    NOT_SHIPPED_YET = "not_shipped_yet"
    NOT_DELIVERED_YET = "not_delivered_yet"
    ALREADY_SHIPPED = "already_shipped"
    ALREADY_CANCELLED = "already_cancelled"

    # Per line
    PERSONALISED_LINE = "personalised_line"
    GIFT_CARD = "gift_card"
    RETURNABLE = "returnable"
    EXCHANGEABLE = "exchangeable"
    DEFECT_OR_SHOP_ERROR = "defect_or_shop_error"  # personalised, allowed because of a defect
    CANCELLABLE = "cancellable"
    COVERED = "covered"
    WARRANTY_EXCLUDED_PRODUCT = "warranty_excluded_product"

    # Returns
    WITHIN_RETURN_WINDOW = "within_return_window"
    HOLIDAY_EXTENSION = "holiday_extension"
    RETURN_WINDOW_EXPIRED = "return_window_expired"
    NO_RETURNABLE_LINE = "no_returnable_line"

    # Exchange
    WITHIN_EXCHANGE_WINDOW = "within_exchange_window"
    EXCHANGE_WINDOW_EXPIRED = "exchange_window_expired"
    NO_EXCHANGEABLE_LINE = "no_exchangeable_line"

    # Cancellation (CANCELLABLE above when the whole order can go)
    PARTIALLY_CANCELLABLE = "partially_cancellable"
    CANCELLATION_WINDOW_EXPIRED = "cancellation_window_expired"
    ALL_LINES_PERSONALISED = "all_lines_personalised"

    # Address change
    ADDRESS_CHANGE_BEST_EFFORT = "address_change_best_effort"

    # Warranty
    WITHIN_WARRANTY = "within_warranty"
    COVERED_DEFECT = "covered_defect"
    WARRANTY_EXPIRED = "warranty_expired"
    NO_COVERED_LINE = "no_covered_line"
    EXCLUDED_LOSS = "excluded_loss"
    EXCLUDED_NORMAL_WEAR = "excluded_normal_wear"
    EXCLUDED_IMPROPER_USE = "excluded_improper_use"
    EXCLUDED_MODIFICATION = "excluded_modification"
    EXCLUDED_NON_ALLYZURE_ITEM = "excluded_non_allyzure_item"

    # Tracking incidents
    IN_TRANSIT = "in_transit"
    DELIVERY_LATE = "delivery_late"
    MARKED_DELIVERED = "marked_delivered"
    WRONG_ITEM_CASE = "wrong_item_case"

    # Taxes
    TAXES_APPLY = "taxes_apply"
    INTERNATIONAL_DUTIES = "international_duties"
    NO_TAX_RATES = "no_tax_rates"

    # Promotions
    PROMO_VALID = "promo_valid"
    PROMO_UNKNOWN = "promo_unknown"
    PROMO_EXPIRED = "promo_expired"
    PROMO_NOT_STARTED = "promo_not_started"
    PROMO_BELOW_MINIMUM = "promo_below_minimum"
    PROMO_FIRST_ORDER_ONLY = "promo_first_order_only"
    PROMO_ONE_PER_ORDER = "promo_one_per_order"

    # Loyalty
    LOYALTY_MEMBER = "loyalty_member"
    NOT_A_MEMBER = "not_a_member"
