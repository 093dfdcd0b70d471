"""General answers from the FAQ, and what the conversation is about.

A question about how the shop works (« combien de temps pour retourner un article ? ») is
answered from the FAQ without asking who the customer is, and the answer offers to check the
customer's own order; a request about the customer's own order (« je veux retourner ma
bague ») goes to its flow, which identifies the customer first. Every answer remembers its
topic (the `topic` slot), so that a short follow-up (« et qui paie ? », « et pour les
fêtes ? ») is answered about that topic instead of being read on its own.

Which part of a topic a question is about (its *aspect*) is read from the normalised text
with the patterns below; the French answers are the `utter_faq_<topic>[_<aspect>]`
responses of domain.yml, and the policy numbers they quote come from policy.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import cues, slots
from actions.details import said
from actions.shop import shop_clock
from actions.values import cart_amount, day, money, time_of_day
from actions.yes_no import HANDOFF_ACTION, ask_confirmation
from backend.domain import PromotionFacts, RequestKind
from backend.formatting import format_percent
from backend.policies.common import Payer
from backend.policies.taxes import TaxBreakdown
from backend.services import RequestView, ShopService

# --- Reading the question ---------------------------------------------------------------

_OWN_THING = (
    r"\b(ma|mon|mes|notre|nos) (commande|colis|paquet|bague|collier|bracelet|bijoux?|"
    r"boucles?|pendentif|articles?|achat|jonc|chaine|carte(?! (de credit|bancaire|visa|"
    r"mastercard|de debit))|montre|envoi|livraison|retour|echange|reclamation|dossier|"
    r"remboursement)"
)
_ASKS_FOR_ACTION = (
    r"(?<!si )\b(je|j') ?(veux|voudrais|veut|souhaite|souhaiterais|desire|aimerais)\b"
    r"|\bj'?aimerais\b"
    r"|\bmon solde\b|combien de points"
)
# Questions about the rules, whatever else the message holds.
_ABOUT_THE_RULES = re.compile(
    r"combien de (temps|jours|semaines)|quel(le)?s? (est |sont )?(le |la |les |votre |vos )?"
    r"(delai|politique|condition|regle|frais|taux|taxe|duree|periode)"
    r"|jusqu'? ?(a|au) quand|comment (ca |cela )?(marche|fonctionne|se passe|se fait)"
    r"|que se passe-t-il|qu'est-ce qui se passe|qu'arrive-t-il"
    r"|c'est quoi|\bc quoi|qu'est-ce qu|\b(le|du|un|les) delais?\b"
    r"|\bvous (acceptez|faites|offrez|livrez|remboursez|couvrez|prenez"
    r"|proposez|avez|collaborez|organisez|envoyez|expediez)|\b(avez|faites|offrez|livrez|"
    r"remboursez|acceptez|proposez)-vous|\bvotre (garantie|politique|delai|programme)"
    r"|\b(la|votre) politique|\ben general\b|\bdans quel(s)? cas|\bqui (paie|paye|rembourse)"
    r"|\b(je fais|jfais|je dois faire|dois-je|faut-il|que faire|quoi faire|je fais quoi)\b"
    r"|qu'est-ce que (je|j'|on) |comment (je|j'|on) (fais|fait|dois|peux|peut)|\bcomment faire"
    r"|que (dois|puis)-je|\bou (est-ce que )?(je|j'|on) (vois|voit|trouve|peux|peut)"
    r"|\best-ce qu'?(on|il|vous)|\best-ce que (les|la|le|c'est)"
    r"|\bles (frais|taxes|retours|echanges|annulations|articles|bijoux|cartes)"
    r"|\bun (article|bijou|produit)\b"
    # « je veux juste savoir comment le suivre moi-même »: how it is done, not a request
    r"|\bsavoir comment\b|\bpar moi-meme|\bmoi-meme\b"
)
# "Can I…" questions: about the rules unless the customer names their own order or item.
_CAN_I = re.compile(
    r"\b(je|on) (peux|peut|pourrais|pourrait)\b|\bpuis-je\b|\bpeut-on\b|\best-il possible"
    r"|\bpossible de\b|\bai-je le droit|\ba-t-on le droit"
)
# Topics where a customer describes what happened (« j'ai reçu le mauvais bracelet ») and the
# FAQ's steps are the answer; their order is offered, not demanded.
SITUATIONS = {"tracking_issue", "missing_parcel", "wrong_item", "warranty_claim"}


def is_general_question(text: str, topic: str = "") -> bool:
    """A question about how the shop works, not a request about the customer's own order."""
    words = cues.words_of(text)
    if _ABOUT_THE_RULES.search(words):
        return True
    if re.search(_ASKS_FOR_ACTION, words):
        return False
    if _CAN_I.search(words):
        return True  # « mon collier gravé, je peux le retourner ? »: the rule, then an offer
    if topic in SITUATIONS:
        return True
    return not re.search(_OWN_THING, words) and text.strip().endswith("?")


# --- Aspects of each topic ----------------------------------------------------------------


@dataclass(frozen=True)
class Aspect:
    """One part of a topic's FAQ, recognised by a pattern of the normalised text."""

    name: str
    pattern: re.Pattern[str]


def _aspects(*pairs: tuple[str, str]) -> tuple[Aspect, ...]:
    return tuple(Aspect(name, re.compile(pattern)) for name, pattern in pairs)


_WHO_PAYS = (
    r"qui (le |la |les |en )?(paie|paye)|\bpaie\b|\bpaye\b|payer"
    r"|(a|aux) (mes|ma|vos|votre) (frais|charge)|gratuit|frais"
)
_HOLIDAYS = r"fetes|noel|vacances|decembre|prolong|temps des fetes|black friday"
_OCCASIONS = r"fete|saint-valentin|st-valentin|paques|occasion|anniversaire|cyber"
# « et si c'est vous qui vous trompez dans la gravure ? »: the FAQ's « erreur de notre part »
_SHOP_ERROR = (
    r"(c'est vous qui|si vous) (vous )?(trompez|vous etes trompes|faites une erreur|"
    r"avez fait une erreur|faites une faute|avez fait une faute)"
    r"|erreur de (votre part|gravure de votre part)|votre erreur|faute de votre part"
    r"|si vous gravez (le |la |un |une )?(mauvais|mauvaise|faux|fausse|mal)"
    r"|\ba cause de vous\b|\bpar votre faute\b|\bvous vous etes trompes?\b"
)
_PERSONALISED = r"personnalis|grave|gravure|cartes?.?cadeaux?|carte kdo"
# Big cities, named for their province or state (« pis si c'était livré à Toronto ? »): a
# region for the tax answer (REGIONS) and for the tax follow-ups' aspect.
CITIES: dict[str, tuple[str, str, str]] = {
    "montreal": ("CA", "QC", "à Montréal (Québec)"),
    "gatineau": ("CA", "QC", "à Gatineau (Québec)"),
    "toronto": ("CA", "ON", "à Toronto (Ontario)"),
    "ottawa": ("CA", "ON", "à Ottawa (Ontario)"),
    "vancouver": ("CA", "BC", "à Vancouver (Colombie-Britannique)"),
    "calgary": ("CA", "AB", "à Calgary (Alberta)"),
    "edmonton": ("CA", "AB", "à Edmonton (Alberta)"),
    "winnipeg": ("CA", "MB", "à Winnipeg (Manitoba)"),
    "halifax": ("CA", "NS", "à Halifax (Nouvelle-Écosse)"),
    "moncton": ("CA", "NB", "à Moncton (Nouveau-Brunswick)"),
    "boston": ("US", "MA", "à Boston (Massachusetts)"),
    "miami": ("US", "FL", "à Miami (Floride)"),
    "los angeles": ("US", "CA", "à Los Angeles (Californie)"),
    "houston": ("US", "TX", "à Houston (Texas)"),
}
# The pieces of jewellery an offer may name (« sur les bagues aussi ? »).
_PIECES = (
    r"(bague|collier|bracelet|boucle|pendentif|chaine|jonc|alliance|broche|gourmette|creole"
    r"|montre|charm|breloque)s?"
)

ASPECTS: dict[str, tuple[Aspect, ...]] = {
    "return_item": _aspects(
        ("shop_error", _SHOP_ERROR),
        ("lost_ra", r"(perdu|egare|retrouve pas|plus|oublie).{0,20}(\bra\b|autorisation)"),
        # « je l'envoie où ? », « à quelle adresse je le renvoie ? »
        (
            "send_to",
            r"(envoi|envoy|expedi|post|renvoi|renvoy)\w*\b.{0,12}\bou\b|\bou\b.{0,20}"
            r"(envoi|envoy|expedi|poster|renvoi|renvoy)|adresse de retour|quelle adresse",
        ),
        ("holiday", _HOLIDAYS),
        ("non_returnable", _PERSONALISED + r"|pas (etre )?retourn|non retournable|exclu"),
        ("refund", r"rembours|inspect|credit|argent|recuperer"),
        ("shipping", _WHO_PAYS + r"|cout|expedition|livraison"),
        ("defective", r"defectu|defaut|abime|endommag|casse|brise|arrive(e|es|s)? (casse|abime)"),
        ("conditions", r"condition|porte|emballage|etiquette|boite|ouvert|essaye|critere"),
        ("how", r"comment|etape|proced|numero ra|\bra\b|autorisation"),
        ("window", r"quand|combien de temps|delai|jours|compter|commence|part de|date"),
    ),
    "exchange_item": _aspects(
        ("shop_error", _SHOP_ERROR),
        ("personalised", _PERSONALISED),
        ("price", r"difference de prix|plus cher|moins cher|prix|valeur"),
        ("shipping", _WHO_PAYS + r"|envoi|renvoyer|expedi|perdu"),
        ("conditions", r"condition|porte|emballage|etiquette|utilise"),
        ("how", r"comment|etape|proced|taille"),
        ("window", r"quand|combien de temps|delai|jours|compter|commence|part de|date"),
    ),
    "cancel_order": _aspects(
        ("shop_error", _SHOP_ERROR),
        ("personalised", _PERSONALISED),
        (
            "too_late",
            r"trop tard|expedi|impossible|depasse|apres|plus tard|pas encore|deja|solution",
        ),
        ("refund", r"rembours|argent|credit"),
        ("how", r"comment|etape|proced"),
    ),
    "change_address": _aspects(
        ("shipped", r"expedi|en route|transporteur|trop tard|parti|envoye|remis|en chemin"),
    ),
    "warranty_claim": _aspects(
        ("start", r"a partir de quand|commence|compter|debut|date d'achat|part de quand"),
        ("promotional", r"promo|solde|rabais|vente"),
        (
            "claim",
            r"comment|\bcmt\b|reclam|proced|demarche|photo|preuve|etape|inspection|envoi|envoye|renvo"
            r"|retourner",
        ),
        # « et si je la fais réparer ailleurs ? », « agrandir chez mon bijoutier »
        (
            "third_party",
            r"(repar|modifi|agrandi|retreci|ajust|ressoud|soud|raccourc|rallong)\w*\b.{0,40}"
            r"(ailleurs|bijoutier|tiers|quelqu'un d'autre|autre (bijouterie|boutique|magasin))"
            r"|(bijoutier|tiers|ailleurs).{0,40}(repar|modifi|agrandi|retreci|ajust|soud)",
        ),
        ("exclusions", r"couvr|couvert|perdu|rayure|usure|exclu|tombe|echappe|modifi|tiers|repar"),
        ("remedy", r"rembours|remplac|echange"),
        ("duration", r"combien|duree|temps|ans|annee|quand"),
    ),
    "track_order": _aspects(
        (
            "no_account",
            r"pas (de|d'|un|cree de|cree un|ouvert de|fait de) ?compte|sans compte"
            r"|aucun compte|pas inscrit|pas de profil",
        ),
        (
            "late",
            r"(arrive|recoi|recu|rentre|livre)[a-z]* (toujours |jamais )?(pas|jamais)\b"
            r"|si jamais|en retard|retard|perdu|egare|n'est (toujours )?pas (la|arrive)",
        ),
        ("statuses", r"statut|veut dire|signifie|\blivree?s?\b|\bexpediee?s?\b|traitement"),
    ),
    "order_status_info": _aspects(),
    "tracking_issue": _aspects(
        # « j'ai commandé avant-hier, c'est normal ? »: no tracking before the order ships
        (
            "recent",
            r"(commande|achete|passe ma commande|paye)\w* (il y a (un|deux|2|1|quelques) jours?"
            r"|avant-hier|hier|recemment|cette semaine|ce matin|aujourd'hui)"
            r"|(vient|viens|venons) de (la |le )?(commander|passer|payer|l'acheter)",
        ),
        (
            "delay",
            r"combien de temps|delai|quand|bouge pas|mise a jour|normal|avant-hier|hier"
            r"|recemment|vient de",
        ),
    ),
    "missing_parcel": _aspects(
        ("resolution", r"rembours|renvoy|nouvel envoi|reexpedi|mon argent|remplac"),
        ("delay", r"combien de temps|delai|quand|prendre|attendre|longtemps"),
        ("done_checks", r"deja|j'ai (demande|verifie|regarde|cherche)|partout"),
    ),
    "wrong_item": _aspects(
        # « je dois le renvoyer avant ? »: the right piece leaves once the wrong one is back
        ("delay", r"combien de temps|delai|quand|rapide|longtemps|attendre|avant|d'abord"),
        ("shipping", _WHO_PAYS + r"|retourner|renvoyer|etiquette"),
    ),
    "tax_info": _aspects(
        # « UPS m'a fait payer la douane, vous me la remboursez ? »: duties are the destination
        # country's, not a tax the shop charged and refunds with a return
        ("customs_refund", r"(douane|droits)\b.*\brembours|rembours.*\b(douane|droits)\b"),
        # « et la taxe, elle est remboursée ? »: with the items returned, not a rate
        ("refunded", r"rembours"),
        # « et qui paie ces frais, moi ou vous ? »
        (
            "who_pays",
            r"\bqui (les |la |le |en )?(paie|paye|payera|va payer|regle)|a ma charge"
            r"|c'est (moi|vous) qui (paie|paye)",
        ),
        (
            "region",
            r"international|etranger|europe|france|belgique|suisse|douane|droits|etats|usa|\bus\b"
            r"|bruxelles|paris|geneve|lausanne|allemagne|royaume-uni|italie|espagne|maroc"
            r"|americ|quebec|ontario|colombie|alberta|manitoba|saskatchewan|ecosse|brunswick"
            r"|edouard|terre-neuve|yukon|nunavut|territoires|new york|californie|floride|texas"
            r"|vermont|maine|massachusetts|province|" + "|".join(CITIES),
        ),
    ),
    "promotions": _aspects(
        ("flash", r"flash|eclair|duree limitee|limitee"),
        ("several_codes", r"plusieurs codes|deux codes|cumul|combiner|2 codes"),
        ("codes", r"code"),
        ("influencers", r"influenc|collab"),
        ("suggest", r"sugger|suggest|idee|proposer"),
        ("seasonal", _HOLIDAYS + "|" + _OCCASIONS + r"|saison|evenement"),
        ("stay_informed", r"informe|infolettre|newsletter|manquer|courant|savoir|abonn"),
        # « ça finit quand ? », « sur les bagues aussi ? », « il faut un minimum ? » after an
        # offer was named: the offers on now, what they cover, their end and minimum
        (
            "on_now",
            r"\bquand\b|finit|termine|\bfin\b|jusqu|\bdure|s'appliqu"
            rf"|\bsur (les|tous les|toutes les|la|le|mes) (bijoux|{_PIECES})"
            r"|minimum|en ce moment|actuel|valable|marche (sur|pour)",
        ),
    ),
    "loyalty_program": _aspects(
        # the FAQ says nothing of it: « oui, nous avons un programme » read as « ça expire »
        ("expiry", r"expir|perim|date limite|perd(re|ent|s)? (mes |les |leurs )?points"),
        ("join", r"inscri|adher|rejoindre|joindre|membre|devenir|creer un compte|faire partie"),
        # « 1 point ça vaut combien ? », « combien de points par dollar ? »: the FAQ says neither
        (
            "value",
            r"(vaut|valent|valeur|equivaut|equivalent).{0,25}points?|points?.{0,25}(vaut|valent"
            r"|valeur|en dollars|en argent)|points? (par|pour (chaque|un|1)) (dollar|\$)"
            r"|combien de points (je )?(gagne|accumule|obtiens|on gagne)",
        ),
        ("redeem", r"echanger|utiliser|racheter|depenser|recompense|servir"),
        ("balance", r"\bou\b|voir|trouve|solde|portefeuille|consulter|verifier|combien|compte"),
    ),
}
ASPECTS["order_number"] = _aspects(
    ("deleted", r"supprim|efface|perdu|plus (le|de) courriel|pas de compte|pas recu|trouve pas"),
)
# « Vous livrez en Belgique ? » then « et en combien de temps ? »: the FAQ has no shipping
# section, the cue's answer (cues.is_shipping_question) and its follow-ups say what is known.
ASPECTS["shipping"] = _aspects(
    ("delay", r"combien de temps|delai|\bquand\b|\bjours\b|semaines?|rapide|vite|\blongs?\b"),
    ("cost", r"combien|frais|\bcout|\bprix\b|gratuit|\bcher\b|payant"),
)
# « vous vendez des cartes-cadeaux ? », then « elles sont valides combien de temps ? », « et si
# la personne en veut pas, je peux me faire rembourser ? », « elle a jamais reçu le code »
ASPECTS["gift_cards"] = _aspects(
    (
        "missing",
        r"(pas|jamais|toujours pas|rien) (encore )?(recu|eu|arrive|vu)|\bcode\b|courriel"
        r"|e-?mail|spam|indesirable",
    ),
    ("exchange", r"echang|contre un bijou|payer"),
    ("refund", r"rembours|retourn|argent|annul|revend"),
    ("validity", r"valid|valable|expir|combien de temps|duree|date limite|perim|jusqu"),
)
# The gift-card answers cover refunds, exchanges and a code never received: words that name
# another topic (« rembourser », « pas reçu ») stay within this one.
KEEPS_ITS_WORDS = {"gift_cards"}
ASPECTS["loyalty_balance"] = ASPECTS["loyalty_program"]
ASPECTS["promo_code"] = ASPECTS["promotions"]

# Topics answered generally under another topic's texts.
_ANSWERED_AS = {"loyalty_balance": "loyalty_program", "promo_code": "promotions"}


def aspect_of(topic: str, text: str) -> str | None:
    """The first aspect of `topic` the message is about, or None for the topic in general."""
    words = cues.words_of(text)
    return next((a.name for a in ASPECTS.get(topic, ()) if a.pattern.search(words)), None)


# Aspects a follow-up may ask about whatever the topic (« et la carte-cadeau ? » after a
# wrong-item case): answered from the topic that holds them.
SHARED_ASPECTS = ((re.compile(_PERSONALISED), "return_item", "non_returnable"),)


def shared_aspect(text: str) -> tuple[str, str] | None:
    words = cues.words_of(text)
    return next(((t, a) for pattern, t, a in SHARED_ASPECTS if pattern.search(words)), None)


# --- Regions, for the general tax answer ---------------------------------------------------

REGIONS: dict[str, tuple[str, str, str]] = {
    # normalised name → (country, region code, name as written in an answer)
    "quebec": ("CA", "QC", "au Québec"),
    "ontario": ("CA", "ON", "en Ontario"),
    "colombie-britannique": ("CA", "BC", "en Colombie-Britannique"),
    "colombie britannique": ("CA", "BC", "en Colombie-Britannique"),
    "alberta": ("CA", "AB", "en Alberta"),
    "manitoba": ("CA", "MB", "au Manitoba"),
    "saskatchewan": ("CA", "SK", "en Saskatchewan"),
    "nouvelle-ecosse": ("CA", "NS", "en Nouvelle-Écosse"),
    "nouvelle ecosse": ("CA", "NS", "en Nouvelle-Écosse"),
    "nouveau-brunswick": ("CA", "NB", "au Nouveau-Brunswick"),
    "nouveau brunswick": ("CA", "NB", "au Nouveau-Brunswick"),
    "ile-du-prince-edouard": ("CA", "PE", "à l’Île-du-Prince-Édouard"),
    "terre-neuve": ("CA", "NL", "à Terre-Neuve-et-Labrador"),
    "yukon": ("CA", "YT", "au Yukon"),
    "nunavut": ("CA", "NU", "au Nunavut"),
    "territoires du nord-ouest": ("CA", "NT", "dans les Territoires du Nord-Ouest"),
    "new york": ("US", "NY", "dans l’État de New York"),
    "californie": ("US", "CA", "en Californie"),
    "floride": ("US", "FL", "en Floride"),
    "texas": ("US", "TX", "au Texas"),
    "vermont": ("US", "VT", "au Vermont"),
    "maine": ("US", "ME", "dans le Maine"),
    "massachusetts": ("US", "MA", "au Massachusetts"),
    **CITIES,
}
_UNITED_STATES = re.compile(r"etats-unis|etats unis|\busa?\b|americ|aux us\b")
_ABROAD = re.compile(
    r"europe|france|belgique|suisse|international|etranger|mexique|hors du|bruxelles|paris"
    r"|geneve|lausanne|zurich|liege|namur|lyon|marseille|allemagne|royaume-uni|angleterre"
    r"|italie|espagne|maroc|luxembourg"
)
# « et les frais de douane ? »: duties are the destination country's, never a province's tax
_CUSTOMS = re.compile(r"douane|droits (d'importation|de douane)")


# Whole words only: « semaine » holds « maine », « laval » is a city, « vallée » is not.
_REGION_NAMES = re.compile(
    r"\b(" + "|".join(re.escape(name) for name in sorted(REGIONS, key=len, reverse=True)) + r")\b"
)


def region_in(text: str) -> tuple[str, str, str] | None:
    """The province, state or big city the message names, as a whole word: the one the
    parcel goes to when it names several (« j'habite à Toronto, je fais livrer à Québec »:
    the taxes are the delivery address's, a tester was quoted Ontario's), else the first."""
    words = cues.words_of(text)
    named = list(_REGION_NAMES.finditer(words))
    if not named:
        return None
    delivered = [
        m for m in named if _DELIVERED_TO.search(words[max(0, m.start() - 60) : m.start()])
    ]
    return REGIONS[(delivered or named)[0].group(1)]


# « je fais livrer à Québec », « envoyé en Floride », « livraison au Manitoba »
_DELIVERED_TO = re.compile(r"\b(livr|envoy|expedi|destination|adresse de livraison)\w*\b[^.]*$")


# Practices customers ask about that the FAQ does not state (« faut-il signer à la livraison ? »,
# « je peux aller le chercher en magasin ? »): each gets its own short answer saying what is
# known and where to ask, instead of the nearest topic's block (the missing-parcel steps, the
# statuses…). Read before the topic's own aspects.
REFUSED_DELIVERY = "utter_practice_refuse_delivery"
UNSTATED_PRACTICES = (
    (
        # « c'est en USD ? », « je paie en francs suisses ou en dollars ? »
        "utter_practice_currency",
        re.compile(
            r"\b(quelle|en|la|de) (devise|monnaie)\b"
            r"|\b(c'est|payer?|paie|paye|factur\w*|prix|affich\w*|coute\w*) en (usd|cad|chf|euros?"
            r"|francs?|dollars? (americains?|canadiens?|us))\b"
            r"|\b(usd|cad|chf|euros?|francs? suisses|dollars? (americains?|canadiens?)) ou (en )?"
            r"(usd|cad|chf|euros?|francs?|dollars?)\b"
        ),
    ),
    (
        # « combien de temps pour faire graver une bague ? », « la gravure rallonge le délai ? »
        "utter_practice_engraving_time",
        re.compile(
            r"\b(delai|combien de temps|temps|jours?) (de |d'|pour )(la |une |un |faire )?"
            r"(faire )?(gravure|graver|personnalis\w*)"
            r"|\b(gravure|personnalisation)s? (prend|prendra|demande|ajoute|rajoute|rallonge"
            r"|retarde)\w*"
            r"|\bfai\w* graver\b.{0,40}\b(combien|delai|long|prend|jours)"
            r"|\b(plus long|plus de temps|retard\w*|rallong\w*)\b.{0,30}\b(grav|personnalis)\w*"
            r"|\b(grav|personnalis)\w*\b.{0,30}\b(plus long|plus de temps)\b"
        ),
    ),
    (
        # « je peux utiliser une carte-cadeau sur un article en solde ? »
        "utter_practice_gift_card_on_sale",
        re.compile(
            r"^(?=.*\bcartes?[- ]cadeaux?\b)(?=.*\b(soldes?|soldee?s?|rabais|promo\w*"
            r"|reductions?|en vente|escomptes?|speciale?s?)\b)(?=.*\b(utilis\w*|pay\w*|paie"
            r"|servir|sert|appliqu\w*|cumul\w*|combin\w*|valables?|accept\w*|marche|fonctionne)\b)"
        ),
    ),
    (
        "utter_practice_at_delivery",
        re.compile(
            r"\bsign(e|er|ature)\b.{0,40}(livr|colis|reception|livreur|transporteur|facteur)"
            r"|(livr|colis|livreur|transporteur|facteur).{0,40}\bsign(e|er|ature)\b"
            r"|\b(si|quand|et si) (je (ne )?suis|on (n')?est|personne (n')?est|y'?a personne)"
            r" (pas|absent)|absente?s? (lors de|a|pour) la livraison|pas (la|chez moi) (lors de"
            r"|pour|a) la livraison"
        ),
    ),
    (
        "utter_practice_pickup",
        re.compile(
            r"(cueillette|ramass|recuper|chercher|retirer|retrait)\w*.{0,30}(en magasin|en "
            r"boutique|succursale|entrepot|sur place|point relais|comptoir)|point relais"
            r"|boutique physique|(?<!credit )(?<!avoir )(?<!bon )\ben magasin\b"
            r"|(?<!credit en )(?<!avoir en )\bmagasin (a|en|au|physique)\b(?! lieu)"
        ),
    ),
    (
        "utter_practice_carrier",
        re.compile(
            r"\bquels? (est le |sont les )?transporteurs?\b|transporteurs? (utilis|vous)"
            r"|(avec|par) qui (vous )?(livrez|envoyez|expediez)|\bc'est quel transporteur"
        ),
    ),
    (
        "utter_practice_size_guide",
        re.compile(
            r"(guide|tableau|charte) des (tailles|grandeurs)|(connaitre|savoir|trouver|mesurer)"
            r" (ma|sa|la|votre|mon) (taille|grandeur|tour de doigt)|quelle (taille|grandeur) "
            r"(choisir|prendre|commander)|\btour de doigt\b|mesurer (mon|son|le) doigt"
        ),
    ),
    (
        "utter_practice_price_adjustment",
        re.compile(
            r"^(?!.*\bcartes?[- ]cadeaux?\b).*(baisse|diminu|solde|rabais|en vente|en promo)\w*"
            r"[^.?!]{0,60}(difference"
            r"|rembours|ajust)|ajustement de prix|protection (de|du) prix"
        ),
    ),
    (
        REFUSED_DELIVERY,
        re.compile(
            r"\brefus\w* (le |la |mon |ma |de prendre |de recevoir )?(colis|livraison|paquet)"
            r"|\b(la|le|les) refuse[rz]? (au|a la|a l'|aupres du) (facteur|livreur|livraison"
            r"|porte|transporteur)|\brefuser (la|le) (colis|livraison)"
        ),
    ),
    (
        "utter_practice_code_after_purchase",
        re.compile(
            r"\bapres coup\b|retroactiv|(appliquer|utiliser|mettre|ajouter)\w* (le |un |mon |ce )?"
            r"(code|rabais|coupon)\w* (sur|a) (une |ma |la )?commande (deja|passee)"
            r"|oublie\w* (de mettre |d'utiliser |d'appliquer |d'entrer )?(le |mon |un )?"
            r"(code|coupon)"
        ),
    ),
    (
        "utter_practice_unsubscribe",
        re.compile(
            r"desabonn|desinscri|plus recevoir (vos|les|votre|de) (courriels|infolettres?|e-?mails?"
            r"|mails?|pubs?|promos?)|(supprimer|fermer|effacer) (mon|le) compte"
            r"|(effacer|supprimer) mes (donnees|informations)"
        ),
    ),
)


def unstated_practice_asked(text: str) -> str | None:
    """The answer to a practice the FAQ does not state, if the message asks about one."""
    words = cues.words_of(text)
    return next(
        (response for response, pattern in UNSTATED_PRACTICES if pattern.search(words)), None
    )


# --- Answering -----------------------------------------------------------------------------


def general_response(topic: str, aspect: str | None) -> str:
    base = _ANSWERED_AS.get(topic, topic)
    return f"utter_faq_{base}_{aspect}" if aspect else f"utter_faq_{base}"


# « j'ai perdu une boucle, c'est couvert ? »: the cause the question names decides, a yes or a
# no, before the whole list of exclusions.
COVERED = "utter_faq_warranty_claim_defect"
COVERED_OR_NOT = {
    "defect": COVERED,
    **{
        cause: f"utter_faq_warranty_claim_not_covered_{cause}"
        for cause in ("loss", "normal_wear", "improper_use", "modification", "non_allyzure_item")
    },
}
# « c'est couvert ? », « la garantie marche pour… ? », « c'est garanti ? »: is it covered; not
# « comment je fais jouer la garantie ? », which asks for the steps.
_IS_IT_COVERED = re.compile(
    r"\b(couver|couvre|garanti|pris en charge|prise en charge|marche|fonctionne|tient|"
    r"s'applique|compte)"
)


_SUPPOSING = re.compile(r"^(et |pis |mais )?si\b")
# Scratches found when the parcel was opened are no wear: the piece arrived damaged.
MARKED_ON_ARRIVAL = "utter_faq_warranty_claim_marked_on_arrival"
_MARKS = re.compile(r"\b(ray\w*|egratign\w*|marque\w*|abim\w*)")
_AT_ARRIVAL = re.compile(
    r"\b(deja|des) (la |l')?(livraison|reception|arrivee|deballage|ouverture)"
    r"|quand (je l'ai|je les ai|j'ai) (recu|deballe|ouvert)\w*|\ben (la |le |les )?deball\w*"
    r"|a (la )?(livraison|reception|l'arrivee|l'ouverture)|sorti\w* de (la |l')?(boite|ecrin)"
)
# The gold of a plated piece wearing off: normal wear, the FAQ's exclusion, unless it goes
# abnormally fast (then a defect the team assesses).
PLATING_WEAR = "utter_faq_warranty_claim_plating"
_PLATING_WEAR = re.compile(
    r"\b(placage|plaque|plaquee|dorure|vermeil|couleur doree|or)\b.{0,40}"
    r"\b(part|partie|s'en va|s'efface|efface|s'use|usee?|ternit|terni|noirci|degrade|pale)"
    r"|\b(part|s'en va|s'efface|s'use|ternit)\b.{0,30}\b(placage|dorure)"
)


TARNISH = "utter_faq_warranty_claim_tarnish"
# « il est arrivé tout noirci »: not worn yet, the piece came that way
_ARRIVED_SO = re.compile(r"\b(arrive|recu|deballe|ouvert)\w*\b.{0,30}\b(noirci|terni|oxyd)")
# « la garantie couvre le noircissement ? », « mon argent a terni »: silver darkening with air
# and wear, care rather than a defect (a tester's « Oui : un défaut est couvert »)
_TARNISH = re.compile(
    r"\b(noirci\w*|noircissement|terni\w*|ternit|oxyd\w*|tache[sr]? noire?s?"
    r"|devenue?s? (toute?s? |tout )?(noire?s?|grise?s?|terne?s?)|vire au noir|fonce)\b"
)


def covered_or_not(tracker: Tracker, topic: str, aspect: str | None) -> str | None:
    """Whether the warranty covers the one cause the latest message names, if it asks
    whether something is covered and names one."""
    if topic != "warranty_claim" or aspect not in {None, "exclusions"}:
        return None
    words = cues.words_of(tracker.latest_message.get("text") or "")
    if _PLATING_WEAR.search(words):
        return PLATING_WEAR  # « la dorure qui part, c'est couvert ? »: wear, unless too fast
    if _TARNISH.search(words) and not _ARRIVED_SO.search(words):
        return TARNISH
    if _MARKS.search(words) and _AT_ARRIVAL.search(words):
        return MARKED_ON_ARRIVAL  # « les rayures étaient là au déballage »: no wear at all
    # « et si je l'échappe ? » right after a verdict, or after the warranty's rule, asks the
    # same question for that cause
    last = tracker.get_slot(slots.LAST_DECISION) or ""
    after_a_verdict = last in COVERED_OR_NOT.values()
    after_the_rule = last.startswith(general_response(topic, None)) and _SUPPOSING.match(words)
    if not (_IS_IT_COVERED.search(words) or after_a_verdict or after_the_rule):
        return None
    causes = {
        entity.get("value")
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") == "warranty_cause"
    }
    return COVERED_OR_NOT.get(causes.pop()) if len(causes) == 1 else None


_NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
            "sept": 7, "huit": 8, "neuf": 9, "dix": 10}  # fmt: skip
# « acheté il y a 3 ans », « ça fait deux ans que je l'ai », « depuis 18 mois »
_AGE = re.compile(
    r"\b(?:il y a|depuis|ca fait|ça fait|fait)\s+(\d{1,2}|"
    + "|".join(_NUMBERS)
    + r")\s+(ans?|annees?|mois)\b"
)


_MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
           "juillet": 7, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
           "decembre": 12}  # fmt: skip
# « acheté en février 2024 », « depuis mars 2024 », « commandé le 3 mai 2024 », « en 2023 »
_BOUGHT_IN = re.compile(
    r"\b(?:en|depuis|le \d{1,2}(?:er)?|de|d')\s*(?:(" + "|".join(_MONTHS) + r")\s+)?(20\d\d)\b"
    r"(?!\s*\$)"
)


# « offerte pour Noël l'an passé », « à Noël dernier »; « l'an dernier », « l'année passée »
_LAST_CHRISTMAS = re.compile(r"\bnoel (dernier|passe|de l'an (dernier|passe)|l'an (dernier|passe))")
_LAST_YEAR = re.compile(r"\bl'an (dernier|passe)\b|\bl'annee (derniere|passee)\b")


def age_in_months(text: str) -> int | None:
    """How old the customer says their piece is, in months, if they say it."""
    age = _AGE.search(cues.words_of(text))
    if age is None:
        return None
    number = int(age.group(1)) if age.group(1).isdigit() else _NUMBERS[age.group(1)]
    return number if age.group(2) == "mois" else number * 12


def age_range(text: str, today: date) -> tuple[int, int] | None:
    """The youngest and oldest the piece can be, in whole months, from its age (« il y a 3
    ans ») or its purchase date (« en février 2024 »; « en 2023 » spans the year)."""
    if (months := age_in_months(text)) is not None:
        return months, months
    words = cues.words_of(text)
    if _LAST_CHRISTMAS.search(words):
        christmas_year = today.year - 1 if (today.month, today.day) < (12, 25) else today.year
        months = (today.year - christmas_year) * 12 + today.month - 12
        return months, months
    if _LAST_YEAR.search(words):
        return today.month, today.month + 11
    bought = _BOUGHT_IN.search(words)
    if bought is None or int(bought.group(2)) > today.year:
        return None
    year = int(bought.group(2))
    first, last = (_MONTHS[bought.group(1)],) * 2 if bought.group(1) else (1, 12)
    since = (today.year - year) * 12 + today.month
    if since - last < 0:
        return None  # a month still to come
    return since - last, since - first


def months_said(months: int) -> str:
    """« 2 ans et 10 mois », « 18 mois » → as a customer would say it: « 1 an et 6 mois »."""
    years, rest = divmod(months, 12)
    parts = [f"{years} an{'s' if years > 1 else ''}"] if years else []
    if rest or not years:
        parts.append(f"{rest} mois")
    return " et ".join(parts)


def warranty_for_its_age(
    dispatcher: CollectingDispatcher, tracker: Tracker, service: ShopService, topic: str
) -> list[EventType] | None:
    """« Je l'ai acheté il y a 3 ans, la pierre s'est détachée : c'est encore garanti ? »: a
    piece older than the warranty is not covered, whatever the cause (a « oui, un défaut est
    couvert » would promise it); one clearly younger is, for a defect; at the limit the day
    of purchase decides, which the order gives."""
    if topic != "warranty_claim" or tracker.get_slot(slots.VERIFIED_ORDER):
        return None
    text = tracker.latest_message.get("text") or ""
    ages = age_range(text, shop_clock().today())
    if ages is None:
        return None
    youngest, oldest = ages
    limit = service.policy.warranty_years * 12
    if youngest > limit:
        response = "utter_faq_warranty_claim_too_old"
        age = months_said(youngest) if youngest == oldest else f"au moins {months_said(youngest)}"
    elif oldest < limit:
        response = "utter_faq_warranty_claim_in_time"
        age = months_said(oldest) if youngest == oldest else f"au plus {months_said(oldest)}"
    else:
        response = "utter_faq_warranty_claim_at_the_limit"
        age = months_said(youngest) if youngest == oldest else f"environ {months_said(youngest)}"
    dispatcher.utter_message(response=response, age=age)
    return [SlotSet(slots.TOPIC, topic), SlotSet(slots.LAST_DECISION, response)]


HOLIDAY_EXTENSION = "utter_faq_return_item_holiday"
HOLIDAY_EXTENSION_PAST = "utter_faq_return_item_holiday_past"

# A pending confirmation "personalise:<flow>": « oui » starts that flow for the customer's order.
PERSONALISE_PREFIX = "personalise:"


# A return or an exchange is asked within about a month (policy.yml: 30 days after the
# delivery or the purchase): a piece two months old or more is past it, whatever the day.
WINDOW_TOPICS = {"return_item": "utter_faq_return_item_past", "exchange_item":
                 "utter_faq_exchange_item_past"}  # fmt: skip
CLEARLY_PAST_MONTHS = 2


def window_passed_for_its_age(
    dispatcher: CollectingDispatcher, tracker: Tracker, topic: str
) -> list[EventType] | None:
    """« Ma petite-fille me l'a offerte à Noël l'an passé, on peut l'échanger ? »: a piece said
    bought months ago is past the return or exchange window, and the customer is told so
    plainly (an elderly customer was given the whole exchange rule three times); a holiday
    extension or a recent purchase is left to the rule."""
    response = WINDOW_TOPICS.get(topic)
    if response is None or tracker.get_slot(slots.VERIFIED_ORDER):
        return None
    ages = age_range(tracker.latest_message.get("text") or "", shop_clock().today())
    if ages is None or ages[0] < CLEARLY_PAST_MONTHS:
        return None
    dispatcher.utter_message(response=response, age=months_said(ages[0]))
    return [SlotSet(slots.TOPIC, topic), SlotSet(slots.LAST_DECISION, response)]


def in_season(response: str, service: ShopService) -> str:
    """« Oui, prolongé » would quote a past season: the holiday extension's answer once no
    extension is in force."""
    if response == HOLIDAY_EXTENSION and not service.holiday_extension_in_force():
        return HOLIDAY_EXTENSION_PAST
    return response


# Topics whose general answer ends with an offer to check the customer's own order.
PERSONALISABLE = {
    "return_item": "action_return_item",
    "exchange_item": "action_exchange_item",
    "cancel_order": "action_cancel_order",
    "change_address": "action_change_address",
    "warranty_claim": "action_warranty_claim",
    "track_order": "action_track_order",
    "order_status_info": "action_track_order",
    "tracking_issue": "action_tracking_issue",
    "missing_parcel": "action_missing_parcel",
    "wrong_item": "action_wrong_item",
    "tax_info": "action_tax_info",
    "loyalty_program": "action_loyalty_balance",
    "loyalty_balance": "action_loyalty_balance",
}


def answer_generally(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    service: ShopService,
    topic: str,
    aspect: str | None = None,
) -> list[EventType]:
    """The FAQ's answer for `topic` (the aspect asked about, if any), then an offer to
    personalise it when the customer's own order would make it exact."""
    aspect = (
        still_personalised(tracker, topic)
        or aspect_of_its_own_question(tracker, topic)
        or aspect
        or carried_aspect(tracker, topic)
    )
    if (sent := open_return_asked_about(tracker, service, topic, aspect)) is not None:
        dispatcher.utter_message(response="utter_return_send_to_open", reference=sent.reference)
        return [SlotSet(slots.TOPIC, topic)]
    if (payer := return_payer_decided(tracker, service, topic, aspect)) is not None:
        dispatcher.utter_message(response=payer)
        return [SlotSet(slots.TOPIC, topic), SlotSet(slots.LAST_DECISION, payer)]
    if (aged := warranty_for_its_age(dispatcher, tracker, service, topic)) is not None:
        return aged  # « acheté il y a 3 ans, c'est encore garanti ? »: no, whatever the cause
    if (late := window_passed_for_its_age(dispatcher, tracker, topic)) is not None:
        return late  # « offerte à Noël l'an passé, on peut l'échanger ? »: no, too late
    verdict = covered_or_not(tracker, topic, aspect)
    if verdict is not None and verdict != COVERED:
        dispatcher.utter_message(response=verdict)  # excluded: no order would change it
        return [SlotSet(slots.TOPIC, topic), SlotSet(slots.LAST_DECISION, verdict)]
    response = in_season(verdict or general_response(topic, aspect), service)
    if same_rule_elsewhere(tracker, topic, response):
        dispatcher.utter_message(response="utter_same_rule_everywhere")
        return [SlotSet(slots.TOPIC, topic)]
    flow = PERSONALISABLE.get(topic)
    offer = (
        flow
        and not tracker.get_slot(slots.VERIFIED_ORDER)
        and order_would_change_the_answer(topic, aspect)
        and not offered_already(tracker)
    )
    text = tracker.latest_message.get("text") or ""
    say_the_response(dispatcher, tracker, service, response, text)
    answer_the_other_questions(dispatcher, tracker, service, response, topic)
    events: list[EventType] = [SlotSet(slots.TOPIC, topic), SlotSet(slots.LAST_DECISION, response)]
    if offer:
        dispatcher.utter_message(response=OFFER)
        events.append(SlotSet(slots.PENDING_CONFIRMATION, f"{PERSONALISE_PREFIX}{flow}"))
    elif flow and tracker.get_slot(slots.PENDING_CONFIRMATION):
        # the offer made just before now stands for this topic: « oui » or « c'est pour la
        # commande AZ… » checks what was asked last
        events.append(SlotSet(slots.PENDING_CONFIRMATION, f"{PERSONALISE_PREFIX}{flow}"))
    return events


# A question of a message that asks several is answered when the classifier is this sure of
# its subject: below it, a wrong extra block would cost more than the question left for the
# customer to ask again.
OTHER_QUESTION_MIN_CONFIDENCE = 0.7
# Subjects the FAQ answers without an order.
FAQ_TOPICS = {*PERSONALISABLE, "promotions", "promo_code", "order_status_info"}


def questions_asked(tracker: Tracker) -> list[tuple[str, str]]:
    """(intent, text) of each question of the latest message, when it asks several
    (components/questions.py); the intent is "" when the classifier is not sure of it."""
    return [
        (question["name"] if placed(question) else "", question["text"])
        for question in tracker.latest_message.get("questions") or []
    ]


def placed(question: dict[str, Any]) -> bool:
    """Whether the classifier is sure of a question's subject, and it is one of the shop's."""
    return (
        question["confidence"] >= OTHER_QUESTION_MIN_CONFIDENCE
        and question["name"] not in NOT_A_SUBJECT
    )


NOT_A_SUBJECT = {"out_of_scope", "nlu_fallback"}


def answer_the_other_questions(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    service: ShopService,
    answered: str = "",
    topic: str = "",
    flow_topic: str = "",
) -> None:
    """« C'est quoi le délai de retour ? Et vous livrez en Belgique ? »: after the response
    `answered`, each other question of the message gets its own general answer, once each;
    a question that needs the customer's order is left to its flow, and a question about
    `flow_topic` to the flow answering it."""
    given = {_same_answer(answered)}
    for intent, text in questions_asked(tracker):
        if flow_topic and intent == flow_topic:
            continue
        response = response_to_question(service, intent, text, topic or flow_topic)
        if response is not None and _same_answer(response) not in given:
            say_the_response(dispatcher, tracker, service, response, text)
            given.add(_same_answer(response))


def _same_answer(response: str) -> str:
    """The rates of a region come from the tax answer whichever aspect asked for them."""
    return general_response("tax_info", None) if response in _WITH_THE_RATES else response


def own_question(tracker: Tracker, intent: str) -> str:
    """The question about `intent` of a message that asks several (« où est ma commande ? et
    c'est quoi le délai de retour ? »: whether the tracking is a general question is read
    from its own words); the whole message otherwise."""
    own = (text for asked, text in questions_asked(tracker) if asked == intent)
    return next(own, None) or tracker.latest_message.get("text") or ""


def aspect_of_its_own_question(tracker: Tracker, topic: str) -> str | None:
    """« combien de temps pour un échange et qui paie le retour ? »: of a message that asks
    several questions, the aspect of `topic` is read from the question about it (here the
    window), not from the whole message (where « paie » would make it the shipping)."""
    own = (text for intent, text in questions_asked(tracker) if intent == topic)
    return next((aspect for text in own if (aspect := aspect_of(topic, text))), None)


def answer_several_questions(
    dispatcher: CollectingDispatcher, tracker: Tracker, service: ShopService
) -> list[EventType] | None:
    """A message of several questions that, read whole, the classifier could not place: the
    first question on a FAQ subject is answered, then the others."""
    for intent, text in questions_asked(tracker):
        if intent in FAQ_TOPICS and is_general_question(text, intent):
            return answer_generally(dispatcher, tracker, service, intent, aspect_of(intent, text))
    return None


def response_to_question(
    service: ShopService, intent: str, text: str, topic: str = ""
) -> str | None:
    """The response that answers one question without an order (an unstated practice,
    shipping, payment or a FAQ topic's aspect); None when it needs the order or is no
    question the FAQ answers."""
    if (practice := unstated_practice_asked(text)) is not None:
        return practice
    if cues.asks_about_gift_cards(text):
        return general_response("gift_cards", aspect_of("gift_cards", text))
    own_aspect = aspect_of(intent, text)
    if own_aspect is None and cues.is_shipping_question(text):
        return general_response("shipping", aspect_of("shipping", text))
    if own_aspect is None and cues.is_payment_question(text):
        return "utter_payment_methods"
    if intent in FAQ_TOPICS and is_general_question(text, intent):
        return in_season(general_response(intent, own_aspect), service)
    if not intent and topic and (aspect := aspect_of(topic, text)) is not None:
        # « la garantie, c'est combien de temps ? Elle couvre quoi ? »: too short to place
        # alone, the second question asks another aspect of the first one's topic
        return in_season(general_response(topic, aspect), service)
    return None


def say_the_response(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    service: ShopService,
    response: str,
    text: str,
) -> None:
    """The FAQ's `response`, with the shop's figures where it has some (tax rates, the
    offers on now, a place shipped to) read from `text`."""
    if response in _WITH_THE_RATES:
        _answer_taxes(dispatcher, tracker, service, text)
    elif response == general_response("shipping", None):
        answer_shipping(dispatcher, text)  # « vous livrez au Yukon ? »: yes, for a place
    elif response == PROMOTIONS_ON_NOW:
        tell_the_promotions_on_now(dispatcher, service, response, text)
    else:
        # The policy numbers are filled in by the Rasa server (server/nlg.py).
        dispatcher.utter_message(response=response)


_WITH_THE_RATES = {general_response("tax_info", None), general_response("tax_info", "region")}


OFFER = "utter_faq_offer_personalised"

# The same aspect under another topic's name (« non retournable » for a return is
# « personnalisé » for an exchange).
SAME_ASPECT = {"non_returnable": "personalised", "personalised": "non_returnable"}
CARRIED_MAX_WORDS = 5


# Each topic's rule for a personalised piece.
PERSONALISED_RULE = {
    "return_item": "non_returnable",
    "exchange_item": "personalised",
    "cancel_order": "personalised",
}
PERSONALISATION_CHANGE = "utter_personalisation_change"
_NOT_PERSONALISED = re.compile(r"pas (grave|personnalise)|sans gravure|un autre bijou|non grave")
_THE_EXCEPTIONS = {"shop_error", "defective"}


def still_personalised(tracker: Tracker, topic: str) -> str | None:
    """« les bagues gravées ne se retournent pas », then « et un échange pour une autre
    taille ? »: the piece is still the engraved one, and the answer is the exchange's rule for
    personalised pieces, never a plain « oui, une autre taille » (a bride was told so)."""
    last = tracker.get_slot(slots.LAST_DECISION) or ""
    previous = tracker.get_slot(slots.TOPIC)
    if previous == topic or topic not in PERSONALISED_RULE:
        return None
    engraving_changed = PERSONALISATION_CHANGE in said_in_last_turns(tracker, RECENT_TURNS)
    if not engraving_changed and not any(
        last.endswith(f"_{rule}") for rule in PERSONALISED_RULE.values()
    ):
        return None  # « et si le collier arrive avec « Jullie », je pourrai l'échanger ? »
    words = cues.words_of(tracker.latest_message.get("text") or "")
    if _NOT_PERSONALISED.search(words) or aspect_of(topic, words) in _THE_EXCEPTIONS:
        return None  # another piece, or « et si c'est vous qui vous trompez ? »
    return PERSONALISED_RULE[topic]


def carried_aspect(tracker: Tracker, topic: str) -> str | None:
    """« et échangés ? » right after « les articles personnalisés ne peuvent pas être
    retournés », « et pour un échange ? » right after the return window: a short question
    naming another topic asks the aspect just answered, for that topic (when it has it)."""
    text = tracker.latest_message.get("text") or ""
    previous = tracker.get_slot(slots.TOPIC)
    last = tracker.get_slot(slots.LAST_DECISION) or ""
    if not previous or previous == topic or len(cues.words_of(text).split()) > CARRIED_MAX_WORDS:
        return None
    prefix = f"{general_response(previous, None)}_"
    if not last.startswith(prefix):
        return None
    aspect = last.removeprefix(prefix)
    aspect = SAME_ASPECT.get(aspect, aspect)
    return aspect if aspect in {a.name for a in ASPECTS.get(topic, ())} else None


def offered_already(tracker: Tracker) -> bool:
    """The check of the customer's order was offered in the last two answers, or turned down
    in this conversation, or the customer said they have no order: offering it after every
    general answer nags."""
    if OFFER in said_in_last_turns(tracker, 2):
        return True
    declined = said_in_the_conversation(tracker, "utter_offer_declined")
    return declined or said_to_have_no_order(tracker)


def said_in_the_conversation(tracker: Tracker, response: str) -> bool:
    """Whether the assistant said `response` at any point of this conversation."""
    return any(said(event) == response for event in tracker.events)


def said_to_have_no_order(tracker: Tracker) -> bool:
    """« je n'ai pas de commande », « je me renseigne avant d'acheter », said in this
    conversation."""
    return any(
        event.get("event") == "user" and cues.has_no_order_yet(event.get("text") or "")
        for event in tracker.events
    )


_PLACES = re.compile(
    r"\b(quebec|ontario|alberta|manitoba|saskatchewan|colombie-britannique|nouvelle-ecosse"
    r"|nouveau-brunswick|terre-neuve|ile-du-prince-edouard|yukon|nunavut|new york|californie"
    r"|floride|texas)\b"
)
# Topics whose answer depends on where the order goes: the destination is their aspect.
BY_DESTINATION = {"tax_info", "shipping"}
# How many of the customer's previous messages a rule still counts as just given after.
RECENT_TURNS = 3


def same_rule_elsewhere(tracker: Tracker, topic: str, response: str) -> bool:
    """« et pour les États-Unis ? » shortly after a rule of the topic that does not depend on
    the destination (the whole rule or one of its aspects, right after it or after its
    « pourquoi ? »): « oui, la même », not a block of text again."""
    words = cues.words_of(tracker.latest_message.get("text") or "")
    place = _PLACES.search(words) or _UNITED_STATES.search(words) or _ABROAD.search(words)
    rules = general_response(topic, None)  # « utter_faq_return_item », and its aspects after it
    recent = said_in_last_turns(tracker, RECENT_TURNS)
    return (
        topic not in BY_DESTINATION
        and place is not None
        and only_the_place_asked(words, place)
        and any(r == response or r.startswith(rules) for r in recent)
    )


# Words a follow-up on another place may hold besides the place: « et pour les États-Unis ? »,
# « c'est pareil en Belgique ? », « même chose au Québec ».
_AROUND_A_PLACE = set(
    "et pis mais pour en au aux a le la les l' du de des dans c'est pareil meme chose ca aussi "
    "idem vers depuis ?".split()
)


def only_the_place_asked(words: str, place: re.Match[str]) -> bool:
    """Whether the message asks nothing but the place: « et le renvoi depuis la Belgique, c'est
    à mes frais ? » asks who pays, and was answered « oui, c'est la même règle » (a tester
    counted three rules made up that way)."""
    rest = (words[: place.start()] + " " + words[place.end() :]).replace("?", " ? ").split()
    return all(word in _AROUND_A_PLACE or len(word) <= 2 for word in rest)


# Aspects whose answer is the same for every order (« j'ai égaré mon numéro RA »).
ALWAYS_GENERAL = {"lost_ra"}

# Answers that already end with a question or need no order to be complete.
NO_OFFER_AFTER = {"holiday", "non_returnable", "promotional", "price", "region"}
# Topics whose general answer is already the whole answer for anyone.
WHOLE_FOR_ANYONE = {"loyalty_program", "loyalty_balance", "order_status_info"}


def order_would_change_the_answer(topic: str, aspect: str | None) -> bool:
    """Whether the customer's order would make the general answer exact (its dates, its
    lines, its status): only then is checking it offered. Who pays, how, the conditions, a
    region's rates or the loyalty programme are the same rule for every order, and the offer
    after them nagged (testers counted it after 41 answers in 59 conversations)."""
    if aspect is None:
        return topic not in WHOLE_FOR_ANYONE
    return aspect in PERSONAL_ASPECTS and aspect not in NO_OFFER_AFTER


PROMOTIONS_ON_NOW = "utter_faq_promotions_on_now"


_A_PIECE = re.compile(rf"\b{_PIECES}\b")
_MINIMUM = re.compile(r"minimum|montant minim|a partir de combien|des combien|seuil")


def tell_the_promotions_on_now(
    dispatcher: CollectingDispatcher, service: ShopService, response: str, text: str = ""
) -> None:
    """Each offer on now with what it covers (its title), its code, minimum and end, under
    `response`; that none is on, when none is. « sur les bagues aussi ? » gets whether an
    offer covers them, « il faut un minimum ? » the offers' minimums."""
    promotions = service.active_promotions()
    if not promotions:
        dispatcher.utter_message(response="utter_no_active_promotions")
        return
    listing = "\n".join(_promotion_line(promotion) for promotion in promotions)
    words = cues.words_of(text)
    if (piece := _A_PIECE.search(words)) is not None:
        kind = piece.group(1)
        covering = [p for p in promotions if offer_covers(p, kind)]
        dispatcher.utter_message(
            response="utter_promotions_cover_it" if covering else "utter_promotions_skip_it",
            kind=f"{kind}s",
            promotions="\n".join(_promotion_line(p) for p in covering) or listing,
        )
    elif _MINIMUM.search(words):
        with_minimum = any(promotion.min_subtotal for promotion in promotions)
        dispatcher.utter_message(
            response="utter_promotions_minimums" if with_minimum else "utter_promotions_no_minimum",
            promotions=listing,
        )
    else:
        dispatcher.utter_message(response=response, promotions=listing)


def offer_covers(promotion: PromotionFacts, kind: str) -> bool:
    """Whether the offer's title names that kind of piece, or jewellery in general."""
    title = cues.words_of(promotion.title)
    return kind in title or "bijou" in title or not _A_PIECE.search(title)


def _promotion_line(promotion: PromotionFacts) -> str:
    """« - 25 % sur les bijoux des fêtes dès 150 $ — code FETES25, jusqu'au … à … »: the
    minimum is added when the title does not already state it."""
    minimum = ""
    if promotion.min_subtotal and "$" not in promotion.title:
        minimum = f", dès {money(promotion.min_subtotal, 'CAD')} d’achat"
    code = f" — code {promotion.code}" if promotion.code else ""
    ends = f", jusqu’au {day(promotion.ends_at)} à {time_of_day(promotion.ends_at)}"
    return f"- {promotion.title}{code}{minimum}{ends}"


def _answer_taxes(
    dispatcher: CollectingDispatcher, tracker: Tracker, service: ShopService, text: str
) -> None:
    words = cues.words_of(text)
    region = region_in(text)
    to_the_states = bool(_UNITED_STATES.search(words)) or (region is not None and region[0] == "US")
    if _CUSTOMS.search(words) and to_the_states:
        dispatcher.utter_message(response="utter_faq_tax_info_customs_united_states")
    elif region is not None:
        price = cart_amount(text) or amount_said_before(tracker)
        _answer_region_taxes(dispatcher, service, *region, price=price)
    elif _UNITED_STATES.search(words):
        dispatcher.utter_message(response="utter_faq_tax_info_united_states")
    elif _ABROAD.search(words) or _CUSTOMS.search(words):
        dispatcher.utter_message(response="utter_faq_tax_info_international")
    else:
        dispatcher.utter_message(response="utter_faq_tax_info")


def amount_said_before(tracker: Tracker, messages: int = 3) -> Decimal | None:
    """The price of the customer's recent messages about taxes (« une bague à 250 $ au
    Québec ? », then « et en Ontario ? »)."""
    earlier = [e for e in tracker.events if e.get("event") == "user"][-messages - 1 : -1]
    amounts = (cart_amount(event.get("text") or "") for event in reversed(earlier))
    return next((amount for amount in amounts if amount is not None), None)


def _answer_region_taxes(
    dispatcher: CollectingDispatcher,
    service: ShopService,
    country: str,
    code: str,
    name: str,
    price: Decimal | None = None,
) -> None:
    rates = service.tax_rates(country, code, price)
    if not rates.components:
        dispatcher.utter_message(response="utter_faq_tax_info_region_unknown", region=name)
        return
    currency = "CAD" if country == "CA" else "USD"
    _say_the_rates(dispatcher, rates, name, currency)
    if price is not None and rates.total_amount is not None:
        # « combien de taxes sur une bague à 249 $ en Ontario ? »: the amount, not only the rate
        dispatcher.utter_message(
            response="utter_faq_tax_info_on_price",
            price=money(price, currency),
            taxes=money(rates.total_amount, currency),
            total=money(price + rates.total_amount, currency),
        )


def _say_the_rates(
    dispatcher: CollectingDispatcher, rates: TaxBreakdown, name: str, currency: str
) -> None:
    if len(rates.components) == 1:  # « la taxe de vente de 8,875 % », not « …, soit 8,875 % »
        (only,) = rates.components
        dispatcher.utter_message(
            response="utter_faq_tax_info_region_single",
            region=name,
            component=only.name,
            rate=format_percent(only.rate),
        )
        return
    components = " et ".join(
        f"{component.name} {format_percent(component.rate)}" for component in rates.components
    )
    total = format_percent(rates.total_rate)
    dispatcher.utter_message(
        response="utter_faq_tax_info_region",
        region=name,
        components=components,
        total=total,
        example=money(100 * (1 + rates.total_rate), currency),
    )


def answer_in_context(
    dispatcher: CollectingDispatcher, tracker: Tracker, service: ShopService, intent: str
) -> list[EventType] | None:
    """Answer a message of `intent` from the FAQ when it needs no order, else None.

    In order: a short follow-up about the conversation's topic (« et qui paie ? » after a
    wrong-item case is about that case, whatever its words classify as); a customer with no
    order number; a shipping question; a general question, for a customer not identified
    (an identified customer gets the exact answer for their order from the flow).
    """
    text = tracker.latest_message.get("text") or ""
    if cues.reports_fraud(text):
        return fraud_reported(dispatcher)
    if cues.speaks_of_someone_elses_order(text):
        return someone_elses_order(dispatcher)
    if (stopped := stop_what_is_pending(dispatcher, tracker)) is not None:
        return stopped
    if (done := stop_the_conversation(dispatcher, tracker)) is not None:
        return done
    if (missing := order_number_missing(dispatcher, tracker)) is not None:
        return missing
    if cues.asks_for_a_person(text):
        # « je veux un conseiller pour renvoyer la carte-cadeau »: the person asked for, not
        # the topic the rest of the words classify as
        return [FollowupAction(HANDOFF_ACTION)]
    if (next_steps := answer_what_next(dispatcher, tracker)) is not None:
        return next_steps
    if (alternatives := answer_what_now(dispatcher, tracker, service)) is not None:
        return alternatives
    if (explained := answer_why(dispatcher, tracker)) is not None:
        return explained
    if cues.changes_the_personalisation(text):
        return ask_confirmation(dispatcher, PERSONALISATION_CHANGE, HANDOFF_ACTION)
    if cues.asks_to_reactivate(text):  # « ma commande annulée, je peux la réactiver ? »
        return ask_confirmation(dispatcher, "utter_reactivate_cancelled_order", HANDOFF_ACTION)
    if (practice := unstated_practice_asked(text)) is not None and not (
        practice == "utter_practice_carrier" and tracker.get_slot(slots.VERIFIED_ORDER)
    ):  # the carrier of a verified order is in its tracking
        dispatcher.utter_message(response=practice)
        return []
    if (checked := gift_card_still_missing(dispatcher, tracker)) is not None:
        return checked
    if cues.asks_about_gift_cards(text):  # « la carte-cadeau, elle expire quand ? » anywhere
        return answer_generally(
            dispatcher, tracker, service, "gift_cards", aspect_of("gift_cards", text)
        )
    if (followed := follow_up_on_topic(dispatcher, tracker, service, intent)) is not None:
        return followed
    if cues.misses_the_gift_card(text) and not tracker.get_slot(slots.VERIFIED_ORDER):
        # « mon chum a jamais reçu le courriel de la carte-cadeau »: no parcel to look for
        offered = ask_confirmation(dispatcher, "utter_e_gift_card_by_email", HANDOFF_ACTION)
        return [SlotSet(slots.TOPIC, "gift_cards"), *offered]
    if cues.is_angry(text):
        return ask_confirmation(dispatcher, "utter_sorry_angry", HANDOFF_ACTION)
    if cues.asks_what_a_lost_parcel_gets(text):
        # « si Postes Canada perd mon colis, vous me remboursez ? »: no return's refund
        return answer_generally(dispatcher, tracker, service, "missing_parcel", "resolution")
    if cues.asks_about_a_cancellation_refund(text) and not tracker.get_slot(slots.VERIFIED_ORDER):
        # « si j'annule, les frais de port me sont rendus ? », read as a return or a shipping
        # cost: « frais d'expédition non remboursables » would be wrong for a cancellation
        # (an identified customer's own cancellation is told by the flow)
        return answer_generally(dispatcher, tracker, service, "cancel_order", "refund")
    own_aspect = aspect_of(tracker.get_slot(slots.TOPIC) or intent, text)
    if own_aspect is None and cues.is_shipping_question(text):
        return answer_shipping(dispatcher, text)
    if own_aspect is None and cues.is_payment_question(text):
        dispatcher.utter_message(response="utter_payment_methods")
        return []
    if cues.is_frustrated(text):
        dispatcher.utter_message(response="utter_sorry_brief")
    if latest_mentions_an_order(tracker):
        return None
    if tracker.get_slot(slots.VERIFIED_ORDER):
        return answer_rule_for_identified(dispatcher, tracker, service, intent)
    own = own_question(tracker, intent)
    aspect = aspect_of(intent, own)
    if (
        aspect in ALWAYS_GENERAL
        or is_general_question(own, intent)
        or said_to_have_no_order(tracker)
    ):
        # « je n'ai pas de commande, c'est une question générale », said earlier: the rule,
        # never the order number asked again
        return answer_generally(dispatcher, tracker, service, intent, aspect)
    if cues.is_vague_opener(text):
        return offer_choices(dispatcher)
    return None


# Aspects the flow answers exactly for the customer's order (their dates, their lines);
# the others (who pays, conditions, how…) are the same rule for every order.
PERSONAL_ASPECTS = {
    "window", "holiday", "duration", "start", "delay", "too_late", "shipped", "claim",
    "exclusions", "balance", "statuses", "done_checks", "region", "recent",
}  # fmt: skip


def answer_rule_for_identified(
    dispatcher: CollectingDispatcher, tracker: Tracker, service: ShopService, intent: str
) -> list[EventType] | None:
    """An identified customer asking how a rule works (« et le retour, je le paie ? ») gets
    the rule (or what was decided for their open request), not the whole flow again."""
    text = own_question(tracker, intent)
    aspect = aspect_of(intent, text)
    if aspect is None or aspect in PERSONAL_ASPECTS or not is_general_question(text, intent):
        return None
    return answer_generally(dispatcher, tracker, service, intent, aspect)


_RETURN_SHIPPING = ("return_item", "shipping")
_EXCHANGE_SHIPPING = ("exchange_item", "shipping")
_RETURN_SEND_TO = ("return_item", "send_to")


def open_request(
    service: ShopService, order_number: str, email: str, kind: RequestKind
) -> RequestView | None:
    """The order's open request of `kind`, if any."""
    return service.open_request(order_number, email, kind)


def open_return(tracker: Tracker, service: ShopService) -> RequestView | None:
    """The verified order's open return, if any."""
    return open_request_of(tracker, service, RequestKind.RETURN)


def open_request_of(
    tracker: Tracker, service: ShopService, kind: RequestKind
) -> RequestView | None:
    """The verified order's open request of `kind`, if any."""
    order_number = tracker.get_slot(slots.VERIFIED_ORDER)
    email = tracker.get_slot(slots.VERIFIED_EMAIL)
    return open_request(service, order_number, email, kind)


def open_return_asked_about(
    tracker: Tracker, service: ShopService, topic: str, aspect: str | None
) -> RequestView | None:
    """The identified customer's open return when they ask where to send it: its number and
    the emailed address answer, not the general steps that offer to create one."""
    if (topic, aspect) != _RETURN_SEND_TO or not tracker.get_slot(slots.VERIFIED_ORDER):
        return None
    return open_return(tracker, service)


def return_payer_decided(
    tracker: Tracker, service: ShopService, topic: str, aspect: str | None
) -> str | None:
    """The identified customer asking who pays the return gets who pays *theirs*: as decided
    for their open return, else as the return answer just given for their order said (« et
    qui paie ? » after « elles sont arrivées brisées » is us, not the general « à votre
    charge, sauf si… »)."""
    if not tracker.get_slot(slots.VERIFIED_ORDER):
        return None
    if (topic, aspect) == _EXCHANGE_SHIPPING:
        # « comment je vous renvoie la paire abîmée ? » after the exchange of a damaged piece:
        # at our cost, as the exchange was written, not the general « à vos frais »
        exchange = open_request_of(tracker, service, RequestKind.EXCHANGE)
        payer = exchange.payload.get("return_shipping_paid_by") if exchange else None
        return EXCHANGE_PAYER_RESPONSES[Payer(payer)] if payer else None
    if (topic, aspect) != _RETURN_SHIPPING:
        return None
    existing = open_return(tracker, service)
    if existing is not None and (payer := existing.payload.get("return_shipping_paid_by")):
        return PAYER_RESPONSES[Payer(payer)]
    if (payer_now := payer_of_the_reason_said(tracker)) is not None:
        return PAYER_RESPONSES[payer_now]
    return payer_said_for_the_order(tracker)


# Who pays the return for each reason a message gives or supposes (backend: the shop when
# the item received is defective, damaged or not what was ordered).
_PAYER_BY_REASON = {
    "changed_mind": Payer.CUSTOMER,
    "wrong_size": Payer.CUSTOMER,
    "defective": Payer.SHOP,
    "damaged_on_arrival": Payer.SHOP,
    "wrong_item": Payer.SHOP,
}


def payer_of_the_reason_said(tracker: Tracker) -> Payer | None:
    """« j'ai jamais dit qu'elle était défectueuse, j'ai changé d'idée : qui paie ? », « si
    j'ai changé d'avis, c'est à mes frais ? »: the reason the question gives decides, not what
    was said for the order before."""
    payers = (
        _PAYER_BY_REASON.get(entity.get("value"))
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") in ("reason", "supposed_reason")
    )
    return next((payer for payer in payers if payer is not None), None)


EXCHANGE_PAYER_RESPONSES = {
    Payer.CUSTOMER: "utter_faq_exchange_item_shipping",
    Payer.SHOP: "utter_exchange_shipping_paid_by_shop",
}


# Who pays a return's shipping, as the return flow (actions.returns) says it.
PAYER_RESPONSES = {
    Payer.CUSTOMER: "utter_return_shipping_paid_by_customer",
    Payer.SHOP: "utter_return_shipping_paid_by_shop",
}


def payer_said_for_the_order(tracker: Tracker) -> str | None:
    """Who pays the return, as the assistant last said it for the order verified now; what
    was said before that order was verified is about another order, or none."""
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == slots.VERIFIED_ORDER:
            return None
        if (response := said(event)) in PAYER_RESPONSES.values():
            return response
    return None


def stop_what_is_pending(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """« stop », « laisse faire » while a question is pending declines it, whatever its words
    classify as (« stop » can read like « annuler »)."""
    pending = tracker.get_slot(slots.PENDING_CONFIRMATION)
    if not pending or not cues.is_leaving_the_form(tracker.latest_message.get("text") or ""):
        return None
    offer = pending.startswith(PERSONALISE_PREFIX)
    dispatcher.utter_message(
        response="utter_offer_declined" if offer else "utter_confirmation_declined"
    )
    return [SlotSet(slots.PENDING_CONFIRMATION, None)]


def fraud_reported(dispatcher: CollectingDispatcher) -> list[EventType]:
    """« on a utilisé ma carte, je n'ai jamais passé cette commande »: no parcel to look for
    and no item to return; the bank to warn, and a person offered at once."""
    return [
        SlotSet(slots.PENDING_CONFIRMATION, None),
        *ask_confirmation(dispatcher, "utter_fraud_reported", HANDOFF_ACTION),
    ]


SOMEONE_ELSES = "utter_someone_elses_order"


def someone_elses_order(dispatcher: CollectingDispatcher) -> list[EventType]:
    """« son courriel c'est… »: the order is another person's. Nothing is looked up, the
    identification ends, and whatever was verified in this conversation is forgotten."""
    dispatcher.utter_message(response=SOMEONE_ELSES)
    return [
        SlotSet(slots.ORDER_NUMBER, None),
        SlotSet(slots.EMAIL, None),
        SlotSet(slots.VERIFIED_ORDER, None),
        SlotSet(slots.VERIFIED_EMAIL, None),
        SlotSet(slots.PENDING_FLOW, None),
        SlotSet("requested_slot", None),
    ]


def stop_the_conversation(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """« stop » with nothing pending and no question being asked: the customer is done
    (« stop » classifies like « annuler », and starting a cancellation would be absurd)."""
    text = tracker.latest_message.get("text") or ""
    if tracker.active_loop_name or not cues.is_bare_stop(text):
        return None
    dispatcher.utter_message(response="utter_stopped")
    return [SlotSet(slots.PENDING_CONFIRMATION, None), SlotSet(slots.PENDING_FLOW, None)]


def follow_up_on_topic(
    dispatcher: CollectingDispatcher, tracker: Tracker, service: ShopService, intent: str
) -> list[EventType] | None:
    """A follow-up (« et pour les fêtes ? », « à partir de quand ça compte ? ») about the
    topic of the conversation: the message asks about one of the topic's aspects and names
    no other topic, whatever intent its words classify as."""
    text = tracker.latest_message.get("text") or ""
    topic = tracker.get_slot(slots.TOPIC)
    if not topic or topic == intent:
        return None
    if moves_to_its_own_topic(tracker, topic, intent):
        return None
    named = topic_named_in(text, shared_words=False)
    if named not in (None, topic) and topic not in KEEPS_ITS_WORDS:
        return None
    aspect = aspect_of(topic, text)
    if aspect is None and (shared := shared_aspect(text)) is not None:
        topic, aspect = shared
    if aspect is None:
        return None
    return answer_generally(dispatcher, tracker, service, topic, aspect)


# How a customer names a topic to turn it down: « pas la garantie : un RETOUR ».
_TOPIC_WORDS = {"warranty_claim": "garantie", "return_item": "retour", "exchange_item": "echange",
                "cancel_order": "annulation"}  # fmt: skip
SURE_INTENT = 0.9
# « je préférerais le retourner », « je veux plutôt l'échanger »: the request wished, by verb
_WISH_TO = (
    r"\b(je |j')(prefere\w*|veux|voudrais|aimerais|souhaite\w*) (plutot |donc |juste )?"
    r"(le |la |les |l')?"
)
_WISHED_ACTIONS = {"return_item": r"(retourn|renvoy)", "exchange_item": r"echang",
                   "cancel_order": r"annul"}  # fmt: skip


def moves_to_its_own_topic(tracker: Tracker, topic: str, intent: str) -> bool:
    """« Je préférerais le retourner et être remboursée » after the warranty's answer wishes
    the return its words classify as, surely; « non, pas la garantie : un RETOUR » turns the
    topic down: neither is a follow-up on it (a tester got the warranty's block three times)."""
    latest = tracker.latest_message
    text = latest.get("text") or ""
    words = cues.words_of(text)
    sure = (latest.get("intent") or {}).get("confidence", 0) >= SURE_INTENT
    verbs = _WISHED_ACTIONS.get(intent)
    if sure and verbs and re.search(_WISH_TO + verbs, words):
        return True
    # « et un retour alors ? », « sinon, un échange ? » after the exchange's or the return's
    # answer: the other request, named
    own = _TOPIC_WORDS.get(intent)
    if sure and own and re.search(rf"\b(et|sinon|plutot)\b\W*(\w+ ){{0,2}}{own}", words):
        return True
    word = _TOPIC_WORDS.get(topic)
    return bool(word) and bool(
        re.search(rf"\bpas (la |le |l'|de |d'|d'une |un |une )?{word}", words)
    )


# What can still be done after a refusal (« je fais quoi alors ? »): the decision's response
# → the answer, and the flow a « oui » starts (None: the answer asks nothing).
_NOT_RETURNABLE = ("utter_alternatives_non_returnable", "action_warranty_claim")
_WINDOW_OVER = ("utter_alternatives_window_expired", "action_warranty_claim")
_TOO_LATE_TO_CANCEL = ("utter_alternatives_cancel_too_late", "action_return_item")
_WARRANTY_REFUSED = ("utter_alternatives_warranty_refused", HANDOFF_ACTION)
_ESCALATE = ("utter_alternatives_escalate", HANDOFF_ACTION)
ALTERNATIVES: dict[str, tuple[str, str | None]] = {
    "utter_faq_return_item_non_returnable": _NOT_RETURNABLE,
    "utter_faq_exchange_item_personalised": _NOT_RETURNABLE,
    "utter_faq_cancel_order_personalised": _NOT_RETURNABLE,
    "utter_faq_cancel_order_too_late": _TOO_LATE_TO_CANCEL,
    "utter_faq_change_address_shipped": ("utter_alternatives_address_too_late", None),
    "utter_faq_warranty_claim_exclusions": _WARRANTY_REFUSED,
    "utter_return_no_returnable_line": _NOT_RETURNABLE,
    "utter_return_named_lines_not_returnable": _NOT_RETURNABLE,
    "utter_exchange_no_exchangeable_line": _NOT_RETURNABLE,
    "utter_cancel_all_personalised": _NOT_RETURNABLE,
    "utter_exchange_personalised_ask_defect": _NOT_RETURNABLE,
    "utter_return_window_expired": _WINDOW_OVER,
    "utter_exchange_window_expired": _WINDOW_OVER,
    "utter_cancel_window_expired": _TOO_LATE_TO_CANCEL,
    "utter_cancel_already_shipped": _TOO_LATE_TO_CANCEL,
    "utter_address_change_too_late": ("utter_alternatives_address_too_late", None),
    "utter_warranty_expired": _WARRANTY_REFUSED,
    "utter_warranty_no_covered_line": _WARRANTY_REFUSED,
    "utter_warranty_excluded_loss": _WARRANTY_REFUSED,
    "utter_warranty_excluded_wear": _WARRANTY_REFUSED,
    "utter_warranty_excluded_improper_use": _WARRANTY_REFUSED,
    "utter_warranty_excluded_modification": _WARRANTY_REFUSED,
    "utter_warranty_excluded_non_allyzure": _WARRANTY_REFUSED,
    # the general « Non : … » for one cause (COVERED_OR_NOT)
    **dict.fromkeys((r for r in COVERED_OR_NOT.values() if r != COVERED), _WARRANTY_REFUSED),
    # « je n'ai jamais demandé d'annulation ! » about an order found cancelled
    "utter_order_cancelled": _ESCALATE,
    # Asked again once the alternatives were given: a person can look at the case.
    "utter_alternatives_non_returnable": _ESCALATE,
    "utter_alternatives_window_expired": _ESCALATE,
    "utter_alternatives_cancel_too_late": _ESCALATE,
    "utter_alternatives_address_too_late": _ESCALATE,
    "utter_alternatives_escalate": _ESCALATE,
    "utter_contest_cancel_window": _TOO_LATE_TO_CANCEL,
}


# « pourquoi ? » after a rule or a decision: why the shop decides so, as its FAQ gives it.
_PERSONALISED_WHY = "utter_why_personalised"
_WARRANTY_WHY = "utter_why_warranty_exclusions"
WHY: dict[str, str] = {
    "utter_faq_return_item_shipping": "utter_why_return_shipping",
    "utter_return_shipping_paid_by_customer": "utter_why_return_shipping",
    "utter_return_shipping_unless_shop_fault": "utter_why_return_shipping",
    "utter_return_shipping_paid_by_shop": "utter_why_return_shipping_paid_by_shop",
    "utter_faq_return_item_non_returnable": _PERSONALISED_WHY,
    "utter_return_line_personalised": _PERSONALISED_WHY,
    "utter_faq_exchange_item_personalised": _PERSONALISED_WHY,
    "utter_faq_cancel_order_personalised": _PERSONALISED_WHY,
    "utter_cancel_all_personalised": _PERSONALISED_WHY,
    "utter_exchange_personalised_ask_defect": _PERSONALISED_WHY,
    "utter_return_not_delivered": "utter_why_not_delivered",
    "utter_return_not_delivered_holiday": "utter_why_not_delivered",
    "utter_return_not_delivered_cancel_possible": "utter_why_not_delivered",
    "utter_exchange_not_delivered": "utter_why_not_delivered",
    "utter_cancel_window_expired": "utter_why_cancel_window",
    "utter_faq_cancel_order_too_late": "utter_why_cancel_window",
    "utter_faq_change_address": "utter_why_address",
    "utter_faq_change_address_shipped": "utter_why_address",
    "utter_address_change_too_late": "utter_why_address",
    "utter_faq_warranty_claim_exclusions": _WARRANTY_WHY,
    "utter_faq_warranty_claim_third_party": _WARRANTY_WHY,
    "utter_warranty_excluded_loss": _WARRANTY_WHY,
    "utter_warranty_excluded_wear": _WARRANTY_WHY,
    "utter_warranty_excluded_improper_use": _WARRANTY_WHY,
    "utter_warranty_excluded_modification": _WARRANTY_WHY,
    "utter_warranty_excluded_non_allyzure": _WARRANTY_WHY,
}


def answer_why(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """« pourquoi ? » right after a rule or a decision gets the reason for it, not the topic's
    whole policy again; the question the answer ended with (« voulez-vous… ? ») stays open."""
    if not cues.asks_why(tracker.latest_message.get("text") or ""):
        return None
    explained = next((WHY[said] for said in reversed(said_last_turn(tracker)) if said in WHY), None)
    if explained is None:
        return None
    dispatcher.utter_message(response=explained)
    return []


def said_last_turn(tracker: Tracker) -> list[str]:
    """The responses of the assistant's answer to the customer's previous message, in order."""
    return said_in_last_turns(tracker, 1)


def said_in_last_turns(tracker: Tracker, turns: int) -> list[str]:
    """The responses of the assistant's answers to the customer's `turns` previous messages,
    in order."""
    responses: list[str] = []
    user_messages_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            user_messages_seen += 1
            if user_messages_seen > turns:
                break
        elif event.get("event") == "bot" and user_messages_seen >= 1:
            responses.insert(0, said(event) or "")
    return responses


# A refusal the customer pushes back on: the rule again, and a person who can look at it.
CONTESTED = {
    "utter_cancel_window_expired": "utter_contest_cancel_window",
    "utter_cancel_already_shipped": "utter_alternatives_escalate",
}


# What happens once a request is written, for « il va se passer quoi maintenant ? ».
NEXT_STEPS = {
    "utter_missing_parcel_case_opened": "utter_next_missing_parcel",
    "utter_return_created": "utter_next_return",
    "utter_exchange_created": "utter_next_exchange",
    "utter_warranty_claim_opened": "utter_next_warranty_claim",
    "utter_wrong_item_case_opened": "utter_next_wrong_item",
    # a request for a person: how the answer comes, and what is left to do
    "utter_handoff_by_email": "utter_next_handoff_by_email",
    "utter_handoff_after_hours_by_email": "utter_next_handoff_by_email",
    "utter_handoff_write_to_support": "utter_next_handoff_write_to_support",
    "utter_handoff_after_hours_write_to_support": "utter_next_handoff_write_to_support",
}
_WHAT_NEXT = re.compile(
    r"(va|vas|ca va) se passer|se passe quoi|c'est quoi la suite|\bla suite\b|prochaines? etapes?"
    r"|et (maintenant|apres|ensuite)\b|quoi maintenant|je (fais|dois faire) quoi maintenant"
    r"|(il|elle|on|quelqu'un|le conseiller|la conseillere) (va|vont) (me )?(rappeler|contacter"
    r"|ecrire|repondre|joindre)|\bme (rappeler|rappeller|contacter) comment\b"
    r"|(faire|dois faire) quelque chose de mon cote|se passe (comment|quoi) ensuite"
)


def answer_what_next(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """« il va se passer quoi maintenant ? » right after a request was opened: what the team
    does next and what the customer has to do, not the steps before the request."""
    text = cues.words_of(tracker.latest_message.get("text") or "")
    if not (_WHAT_NEXT.search(text) or cues.asks_what_now(text)):
        return None
    opened = next((NEXT_STEPS[r] for r in said_in_last_turns(tracker, 2) if r in NEXT_STEPS), None)
    if opened is None:
        return None
    dispatcher.utter_message(response=opened)
    return []


def answer_what_now(
    dispatcher: CollectingDispatcher, tracker: Tracker, service: ShopService
) -> list[EventType] | None:
    """After a refusal, « je fais quoi alors ? » gets what can still be done and « c'est
    vraiment impossible ? » a person who can look at the case; never the refused flow again."""
    decision = tracker.get_slot(slots.LAST_DECISION)
    text = tracker.latest_message.get("text") or ""
    if decision not in ALTERNATIVES:
        return what_a_yes_does(dispatcher, tracker, text)
    if cues.contests_a_refusal(text):
        response, flow = CONTESTED.get(decision, _ESCALATE[0]), HANDOFF_ACTION
        if ALTERNATIVES[decision][1] == HANDOFF_ACTION:
            response = ALTERNATIVES[decision][0]  # that answer already offers a person
    elif cues.asks_what_now(text):
        response, flow = ALTERNATIVES[decision]
    else:
        return None
    if flow is None:  # the policy numbers are filled in by the Rasa server (server/nlg.py)
        dispatcher.utter_message(response=response)
        return [SlotSet(slots.PENDING_CONFIRMATION, None), SlotSet(slots.LAST_DECISION, response)]
    pending = flow if flow == HANDOFF_ACTION else f"{PERSONALISE_PREFIX}{flow}"
    return [
        *ask_confirmation(dispatcher, response, pending),
        SlotSet(slots.LAST_DECISION, response),
    ]


def what_a_yes_does(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str
) -> list[EventType] | None:
    """« qu'est-ce que je dois faire ? » while a request waits for the customer's yes: the
    question is what to do now, and the answer is to say yes (or no); the question stays."""
    pending = write_waiting(tracker)
    if not pending or not cues.asks_what_now(text):
        return None
    return ask_confirmation(dispatcher, "utter_what_now_pending", pending)


def write_waiting(tracker: Tracker) -> str:
    """The flow whose request waits for the customer's « oui », if one does: not an offer to
    check the order, nor of a person."""
    pending = tracker.get_slot(slots.PENDING_CONFIRMATION) or ""
    if pending.startswith(PERSONALISE_PREFIX) or pending == HANDOFF_ACTION:
        return ""
    return pending


# Words that name a topic on their own, for a message the classifier could not place.
TOPIC_WORDS = (
    ("warranty_claim", re.compile(r"garanti")),
    ("exchange_item", re.compile(r"echang")),
    ("cancel_order", re.compile(r"annul")),
    ("tax_info", re.compile(r"taxe|tps|tvq|tvh|douane")),
    ("loyalty_program", re.compile(r"fidelit|mes points|loyalty")),
    ("promotions", re.compile(r"promo|evenement|vente flash|soldes|rabais|influenc|infolettre")),
    (
        "missing_parcel",
        re.compile(
            r"colis (perdu|manquant|jamais|introuvable)|pas recu|rien recu|introuvable"
            r"|(on|je|j') ?(ne )?(la|le|les|l') ?(trouve|retrouve) (pas|nulle part|plus)"
        ),
    ),
    (
        "track_order",
        re.compile(
            r"\bsuivi\b|suivre|livreur|transporteur|ou (est|se trouve|en est) (ma|mon|le|la)"
        ),
    ),
)


# Words that suggest a topic but are shared with others (a refund follows a cancellation
# too): they place a message that has no topic, never pull a follow-up away from its topic.
SHARED_TOPIC_WORDS = (
    (
        "return_item",
        re.compile(r"retour|retourner|ramen|rapport|rembours|renvo[iy]|repris|reprend"),
    ),
)


def topic_named_in(text: str, shared_words: bool = True) -> str | None:
    words = cues.words_of(text)
    pairs = (*TOPIC_WORDS, *SHARED_TOPIC_WORDS) if shared_words else TOPIC_WORDS
    return next((topic for topic, pattern in pairs if pattern.search(words)), None)


def latest_mentions_an_order(tracker: Tracker) -> bool:
    entities = tracker.latest_message.get("entities") or []
    return any(e.get("entity") in (slots.ORDER_NUMBER, slots.EMAIL) for e in entities)


_HOME_COUNTRIES = {"canada": "au Canada", "etats-unis": "aux États-Unis", "usa": "aux États-Unis"}


def gift_card_still_missing(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """« j'ai regardé dans mes spams, rien » about an e-gift card: a person who can send it
    again, not the advice to look in the spam folder once more."""
    text = tracker.latest_message.get("text") or ""
    if tracker.get_slot(slots.TOPIC) != "gift_cards" or not cues.reports_checks_done(text):
        return None
    return ask_confirmation(dispatcher, "utter_gift_card_still_missing", HANDOFF_ACTION)


def answer_shipping(dispatcher: CollectingDispatcher, text: str) -> list[EventType]:
    """Shipping has no FAQ section: what is known, or its cost or delay when asked; « vous
    livrez au Yukon ? » gets a yes for a province or state of the two countries the shop
    sells in."""
    aspect = aspect_of("shipping", text)
    place = home_destination(text)
    if aspect is None and place is not None:
        dispatcher.utter_message(response="utter_faq_shipping_home", region=place)
    else:
        dispatcher.utter_message(response=general_response("shipping", aspect))
    return [SlotSet(slots.TOPIC, "shipping")]


def home_destination(text: str) -> str | None:
    """« au Yukon », « aux États-Unis »: a place in Canada or the United States named, as
    written in an answer; None for anywhere else or no place."""
    if (region := region_in(text)) is not None:
        return region[2]
    words = cues.words_of(text)
    if _ABROAD.search(words):
        return None
    named = (name for key, name in _HOME_COUNTRIES.items() if re.search(rf"\b{key}\b", words))
    return next(named, None)


def where_to_find_the_order_number(dispatcher: CollectingDispatcher) -> list[EventType]:
    dispatcher.utter_message(response="utter_faq_order_number")
    return [SlotSet(slots.PENDING_CONFIRMATION, None), SlotSet(slots.TOPIC, "order_number")]


def order_number_missing(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """The customer has no order number: where to find it; without the confirmation email
    (deleted, never received, which address), or once told where to look, a person who can
    find the order by name and email — never the number asked again and again."""
    help_needed = order_number_help(tracker)
    return give_the_help(dispatcher, help_needed) if help_needed else None


def give_the_help(dispatcher: CollectingDispatcher, help_needed: str) -> list[EventType]:
    """Where to find the order number (`WHERE_TO_LOOK`), or a person offered (`A_PERSON`)."""
    if help_needed == WHERE_TO_LOOK:
        return where_to_find_the_order_number(dispatcher)
    dispatcher.utter_message(response="utter_faq_order_number_deleted")
    offered = ask_confirmation(dispatcher, "utter_offer_a_person", HANDOFF_ACTION)
    return [SlotSet(slots.TOPIC, "order_number"), *offered]


WHERE_TO_LOOK = "where_to_look"
A_PERSON = "a_person"


def order_number_help(tracker: Tracker) -> str | None:
    """What a customer without their order number needs: `WHERE_TO_LOOK`, `A_PERSON`, or
    None when the latest message says nothing of the kind."""
    text = tracker.latest_message.get("text") or ""
    asked = tracker.get_slot("requested_slot") == slots.ORDER_NUMBER
    lacks = cues.lacks_order_number(text) or (asked and cues.number_not_at_hand(text))
    if cues.lacks_the_confirmation(text) or (lacks and told_where_to_look(tracker)):
        return A_PERSON
    return WHERE_TO_LOOK if lacks else None


def told_where_to_look(tracker: Tracker) -> bool:
    """The assistant already said, in this conversation, where the order number is found."""
    return said_in_the_conversation(tracker, "utter_faq_order_number")


def offer_choices(dispatcher: CollectingDispatcher) -> list[EventType]:
    """A vague « j'ai un problème avec ma commande »: what kind of problem, in one tap."""
    dispatcher.utter_message(response="utter_what_is_wrong")
    return []


def leave_the_form() -> list[EventType]:
    """A question answered during identification ends the identification: the answer offers
    to check the order, and asking for its number again at once would ignore that."""
    return [ActiveLoop(None), SlotSet("requested_slot", None), FollowupAction("action_listen")]
