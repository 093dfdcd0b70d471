"""Every refusal a customer channel can return: a stable machine-readable code, a French text.

An HTTP refusal is the JSON object ``{"error": <French text>, "code": <code>, "status": <HTTP
status>}``; a socket.io refusal is a ``bot_uttered`` event ``{"text": <French text>, "error":
<French text>, "code": <code>}`` (the widget shows the text like any answer). Clients act on
the code, which never changes; the text is for people. Same typography as bot/domain.yml
(« », no-break spaces before « : », narrow ones before « ? ! ; »).
"""

from __future__ import annotations

from typing import Any

NBSP = "\u00a0"
NNBSP = "\u202f"


def _quoted(name: str) -> str:
    return f"«{NBSP}{name}{NBSP}»"


# code: (HTTP status, French text with {placeholders})
REFUSALS: dict[str, tuple[int, str]] = {
    "invalid_json": (400, "Le contenu de la requête doit être du JSON encodé en UTF-8."),
    "json_too_deep": (400, "Le JSON de la requête est imbriqué trop profondément."),
    "body_too_large": (413, "La requête ne doit pas dépasser {limit} octets."),
    "not_an_object": (400, "Le contenu de la requête doit être un objet JSON."),
    "invalid_event_list": (
        400,
        "Le contenu de la requête doit être un objet JSON ou une liste non vide d’objets JSON.",
    ),
    "missing_field": (400, "Le champ {field} est obligatoire."),
    "not_a_string": (400, "Le champ {field} doit être un texte."),
    "invalid_text": (400, "Le champ {field} n’est pas un texte Unicode valide."),
    "not_an_object_field": (400, "Le champ {field} doit être un objet JSON."),
    "missing_sender": (400, "Le champ {field} doit nommer la conversation."),
    "invalid_sender": (
        400,
        "Le champ {field} doit compter au plus {limit} caractères imprimables.",
    ),
    "reserved_sender": (
        400,
        "Cet identifiant de conversation appartient à un autre canal{nnbsp}: "
        "choisissez-en un autre.",
    ),
    "reserved_metadata": (400, "La métadonnée {key} est réservée à l’usage interne."),
    "invalid_metadata": (400, "Les métadonnées doivent être un objet JSON."),
    "invalid_message": (400, "Le message doit être un texte non vide."),
    "message_too_long": (413, "Le message ne doit pas dépasser {limit} caractères."),
    "rate_limited": (
        429,
        "Vous m’envoyez beaucoup de messages en peu de temps. "
        "Merci de patienter quelques secondes avant de réessayer.",
    ),
    "unauthorized": (401, "Jeton d’agent manquant ou invalide."),
    "forbidden": (403, "Jeton secret manquant ou invalide."),
    "channel_disabled": (503, "Ce canal n’est pas activé."),
    "internal_error": (
        500,
        "Un problème technique m’empêche de traiter votre message. "
        "Pourriez-vous réessayer dans quelques instants{nnbsp}?",
    ),
}


def _number(value: Any) -> str:
    return f"{value:,}".replace(",", NNBSP) if isinstance(value, int) else str(value)


def refusal_text(code: str, **values: Any) -> str:
    _, template = REFUSALS[code]
    formatted = {key: _number(value) for key, value in values.items()}
    for key in ("field", "key"):
        if key in values:
            formatted[key] = _quoted(str(values[key]))
    return template.format(nnbsp=NNBSP, **formatted)


def refusal(code: str, **values: Any) -> dict[str, Any]:
    """The JSON body of an HTTP refusal."""
    status, _ = REFUSALS[code]
    return {"error": refusal_text(code, **values), "code": code, "status": status}


def status_of(code: str) -> int:
    return REFUSALS[code][0]
