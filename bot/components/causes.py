"""Why the customer writes: the return reason, the warranty cause and the wanted outcome.

Each category has cue words, compared by their spaCy lemma (and by the word itself, since the
small model mis-lemmatises some participles: « décrochée »), without accents; a word cue
inside a negation's scope (components/negation.py) does not count: « je ne l'ai jamais
échappé », « pas perdue », « ni rayée ni tordue ». Phrase cues that carry their own negation
(« ne me plaît pas », « pas le bon article », « ne ferme plus ») are matched on the words.
When several categories are found, the order of the tables decides (the most specific first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from components.negation import is_negated, plain, segment_ids


@dataclass(frozen=True)
class Cues:
    """Cue words (a trailing `*` makes a prefix) and phrases (regexes on the plain text)."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Found:
    """One category found in a message, and whether a negation denies it."""

    label: str
    negated: bool
    start: int
    end: int


def _word_matches(token: Any, cue: str) -> bool:
    forms = {plain(token.lemma_ or token.text), plain(token.text)}
    if cue.endswith("*"):
        return any(form.startswith(cue[:-1]) for form in forms)
    return cue in forms


def find(doc: Any, tables: Iterable[tuple[str, Cues]], text: str | None = None) -> list[Found]:
    """Every cue of every category in `doc`, negated or not, in table order then text order."""
    text = doc.text if text is None else text
    simple = plain(text)
    segments = segment_ids(doc)
    tables = list(tables)
    phrases: list[Found] = []
    for label, cues in tables:
        for pattern in cues.phrases:
            for match in re.finditer(pattern, simple):
                negated = _phrase_negated(doc, segments, match.start(), match.group(0))
                phrases.append(Found(label, negated, match.start(), match.end()))
    found = list(phrases)
    for label, cues in tables:
        for token in doc:
            if any(_word_matches(token, cue) for cue in cues.words):
                if _inside_phrase(token, phrases):
                    continue
                negated = is_negated(token, doc, segments)
                found.append(Found(label, negated, token.idx, token.idx + len(token.text)))
    return found


def _phrase_negated(doc: Any, segments: list[int], start: int, phrase: str) -> bool:
    """A phrase holding its own negation (« ne me plaît pas ») is what it says; another one
    (« fait tomber ») is negated like its first word (« je ne l'ai pas fait tomber »)."""
    if set(re.findall(r"[a-z']+", phrase)) & {"ne", "n'", "pas", "plus", "jamais", "ni"}:
        return False
    first = next((token for token in doc if token.idx + len(token.text) > start), None)
    return first is not None and is_negated(first, doc, segments)


def _inside_phrase(token: Any, phrases: list[Found]) -> bool:
    return any(f.start <= token.idx < f.end for f in phrases)


# --- Warranty: what happened to the piece -------------------------------------------------

STONE_WORDS = (
    r"(pierre|perle|diamant|zircon|strass|cristal|brillant|email|maille|chaton|pendentif|"
    r"breloque|charm|fermoir|attache|anneau|griffe)s?"
)
DEFECT_CUES = Cues(
    words=tuple(
        "defaut* defectu* cass* bris* fermoir* soudure* decoll* decroch* detach* dessert* "
        "dessoud* lach* fabrication fissur* rompu* rompre oxyd* noirci* terni* rouill* cede "
        "cedee craque* plie* descell* defai* defait* ecaill* pele pelee pelent decolor* verdi* "
        "effiloch* devis* dorure placage plaquage".split()
    ),
    phrases=(
        STONE_WORDS + r" (est |sont |s'est |se sont |etait |etaient )?(deja )?"
        r"(tombee?s?|partie?s?)",
        r"(perdu|perd|perdent|perdre) (une|la|des|ses|sa|son|un|le|mes|ma|leur|leurs) (petite )?"
        r"(" + STONE_WORDS + r"|couleur|eclat|dorure|placage|brillance|vernis)",
        r"(ne|n') ?(ferme|fonctionne|tient|marche|s'ouvre|se ferme) (plus|pas)",
        r"change(r)? de couleur",
        r"\btout(e)? seule?\b",
        r"(devenu|devenue|devenus|devenues|est|sont) (tout |toute )?(noir|noire|noirs|vert|verte)",
        r"(perd|perdu|perdent) (sa|son|ses|leur|leurs) (couleur|eclat|dorure|placage|brillance)",
        r"doigt (tout )?vert",
    ),
)
WARRANTY_CAUSES: list[tuple[str, Cues]] = [
    (
        "non_allyzure_item",
        Cues(
            phrases=(
                r"pas (ete )?achete(e|s|es)? (chez vous|chez allyzure|sur votre site|ici)",
                r"achete(e|s|es)? (ailleurs|dans une autre|chez un autre|sur amazon|sur etsy)",
                r"(une )?autre (bijouterie|boutique|marque|magasin|site)",
                r"pas (un bijou |une piece )?(de chez vous|d'allyzure|allyzure)",
                r"(ne|n') ?(vient|provient) pas de chez vous",
                r"pas (un|une) (produit|bijou|article|piece) (de chez vous|allyzure|d'allyzure)",
                r"achete(e|s|es)? chez (?!vous|allyzure)[a-z]+",
                r"(vient|viennent|provient|achete\w*|pris\w*|trouve\w*) (d'une|dans une|a une|"
                r"chez une?|au|sur|en) (bijouterie|boutique|marche|magasin|friperie|brocante|"
                r"kiosque|vente)",
                r"\b(amazon|etsy|aliexpress|temu|shein|ebay|kijiji|marketplace|pandora|"
                r"swarovski|tiffany|birks|mejuri)\b",
            ),
        ),
    ),
    (
        "modification",
        Cues(
            words=tuple(
                "repar* modifi* bijoutier* agrandi* retreci* redimension* ajust* ressoud* "
                "transform* raccourc* rallong* retouch*".split()
            ),
            phrases=(
                r"mise a (la )?taille",
                r"mettre a (la )?taille",
                r"fait (re)?souder",
                r"fait graver (ailleurs|par)",
                r"(fait )?(change|changer|remplace|remplacer) (le|la|les) (fermoir|chaine|pierre|"
                r"attache|anneau) (par|chez|moi)",
                r"moi-meme|moi meme",
            ),
        ),
    ),
    (
        "loss",
        Cues(
            words=tuple(
                "perdre perdu* perte egar* voler vole volee vol disparu* disparaitre "
                "introuvable cambriol*".split()
            ),
            phrases=(r"(ne|n') ?(la|le|les) (retrouve|trouve) (plus|pas)",),
        ),
    ),
    (
        "improper_use",
        Cues(
            words=tuple(
                "echapp* choc chocs cogn* heurt* ecras* chlore piscine javel coinc* spa sauna "
                "dentifrice vinaigre mordu* machouill*".split()
            ),
            phrases=(
                r"(fait|faite|faites|laisse|laissee) tomber",
                r"tombe(e|s|es)? (par terre|au sol|sur le sol|dans)",
                r"produits? (chimique|menager|nettoyant|de nettoyage)",
                r"(marche|assise?|assis) dessus",
                r"eau (salee|de mer)|dans la mer|a la plage|(a|sous) la douche",
                r"(mal|pas bien) (entretenu|range)",
                r"tire dessus|en faisant du sport|au gym",
            ),
        ),
    ),
    (
        "normal_wear",
        Cues(
            words=tuple(
                "usure use usee uses usees rayure* raye* rayer egratign* eraf* frott*".split()
            ),
            phrases=(r"a force de (la |le |les )?porter", r"avec le temps"),
        ),
    ),
    ("defect", DEFECT_CUES),
]
WARRANTY_ORDER = [label for label, _ in WARRANTY_CAUSES]


def warranty_cause(doc: Any) -> tuple[str | None, list[str]]:
    """The warranty cause the message states (or None), and the causes it denies."""
    found = find(doc, WARRANTY_CAUSES)
    positive = {f.label for f in found if not f.negated}
    negated = {f.label for f in found if f.negated}
    # A cause the customer denies somewhere (« pas juste usée ») is not theirs when another
    # one is stated without denial (« c'est la griffe qui est cassée »).
    undenied = positive - negated
    cause = next((label for label in WARRANTY_ORDER if label in (undenied or positive)), None)
    return cause, sorted(negated - positive)


# --- Returns: why the item comes back ------------------------------------------------------

# Damage found when the parcel arrived (same sentence), unless time or wear passed since.
ARRIVAL = re.compile(
    r"\b(arrive|arrivee|arrives|arrivees|arriver|recu|recue|recus|recues|reception|"
    r"livre|livree|livres|livrees|livraison|colis|deball\w*|ouvert\w*|ouvrant|ouvrir|"
    r"ouverture|boite|emballage|sorti\w* de|deja|paquet|enveloppe|ecrin|pochette)\b"
)
TIME_PASSED = re.compile(r"\b(apres|au bout|depuis|il y a|plus tard|a force)\b")
WORN = re.compile(r"(?<!jamais )(?<!pas )\bport(e|ee|es|ees|ant|ais|ait)\b")
DAMAGE_CUES = Cues(
    words=tuple(
        "cass* bris* abim* endommag* ecras* tordu* tordre fissur* raye* rayure* egratign* "
        "bossel* cabossel* deform* fendu* ebrech* dessoud* decoll* decroch* detach*".split()
    ),
    phrases=(STONE_WORDS + r" (manque|manquant|manquante|manquent)",),
)
RETURN_REASONS: list[tuple[str, Cues]] = [
    (
        "wrong_item",
        Cues(
            phrases=(
                r"mauvais(e)? (article|produit|bijou|modele|colis|item|couleur|commande|"
                r"bague|collier|bracelet|pendentif|boucles?|metal|pierre)",
                r"pas (le|la|les) (bon|bonne|bons|bonnes)( (article|produit|bijou|modele|"
                r"couleur|commande|bague|collier|bracelet|pendentif|chose|piece))?\b"
                r"(?! taille)",
                r"pas (ce|celui|celle|ceux|celles) (que|qu'on|qu') ?(j'ai|j'avais|nous avons|"
                r"on a|j ai) commande",
                r"pas (l'article|le bijou|le produit|le modele) (que j'ai )?commande",
                r"(au lieu|a la place) d(e|u|es|')",
                r"(?<!par )\berreur\b(?! de ma part)",
                r"(faute|erreur)s? (de |dans (la |le )?)?(gravure|nom|prenom|orthographe)",
                r"mal grave|gravure (erronee|fausse|incorrecte)|pas (le bon|la bonne) (nom|prenom|"
                r"gravure|inscription)",
                r"pas (ca|cela) que j'?(ai|avais) commande",
                r"differente? de (ce que|celle|celui|ma commande|la commande|la photo)",
                r"(vous|on) (vous etes|s'est|se sont|m'a|m'avez) (trompe|envoye (un|une) autre)",
                r"(mauvaise|pas la bonne) taille.{0,40}(commande|au lieu|envoye|recu)",
                r"(commande|commandee?) .{0,40}(recu|envoye|livre)e? (un|une|le|la|des|du|en)\b",
                r"alors que j'?(ai|avais) commande",
                r"(ne )?correspond pas a (ma|la) commande",
                r"pas conforme",
                r"(envoye|recu|livre)e? (un|une|le|la) (autre|mauvais)",
            ),
        ),
    ),
    ("damaged_on_arrival", Cues()),  # damage cues + arrival (see return_reason)
    ("defective", Cues()),  # defect cues, or damage without arrival
    (
        "wrong_size",
        Cues(
            words=("taille", "tailles", "pointure", "serre", "serree", "serrent", "jointure"),
            phrases=(
                r"trop (petit|grand|large|serre|court|long|etroit|ample|lache|juste|gros|fin)"
                r"(e|s|es)?",
                r"pas (a )?(la |ma )?(bonne )?taille",
                r"(mauvaise|autre|plus (petite|grande)) taille",
                r"(ne|n') ?(me |lui )?(va|vont|rentre|rentrent|passe|passent|fait|ferme) pas"
                r"( (a|au|autour)|$|,| du tout)",
                r"(mon|son|au|a mon) (doigt|poignet|cou)",
                r"trompe(e)? de taille",
                r"tourne (sur|autour)|glisse (de|du|sur|autour)",
                r"(grandeur|longueur|diametre) ",
                r"plus (petit|grand|large|serre|court|long)e?s? que",
            ),
        ),
    ),
    (
        "changed_mind",
        Cues(
            words=("decu*", "deception", "regrett*", "prefer*"),
            phrases=(
                r"chang\w* d'(avis|idee)",
                r"\btrop (pale|fonce|voyant|clinquant|brillant|terne|lourd|massif|discret|simple|"
                r"cher|chere|jaune|rose|blanc|orange|flashy|chargee?)s?\b",
                r"pas (vraiment )?(mon|ma|a mon) (style|genre|gout|teint|couleur|truc)",
                r"(ne|n') ?(me|lui) ressemble pas|ne va pas avec",
                r"(n'en|en) veux (plus|pas)",
                r"par erreur|par megarde|clique deux fois|commande (en )?double",
                r"trompee? de (modele|couleur|article|bijou)",
                r"(ne|n') ?(la|le|les|l') ?(porte|porterai|mets|mettrai) (pas|jamais|plus)",
                r"plus (vraiment |trop )?(envie|besoin)",
                r"(ne|n') ?(me |lui |nous )?(plai[st]?|plaisent|convien(t|nent)|conviens) "
                r"(pas|plus)",
                r"(n'a|n'ont) pas plu",
                r"pas (a|de) mon gout|pas mon style|pas mon genre|pas (trop )?mon truc",
                r"finalement",
                r"en double|deux fois",
                r"(aime|aimes) pas|(aime|aimes) plus",
                r"pas (si|aussi|tres) (joli|jolie|beau|belle)",
                r"pas comme (sur|dans|en) (la |les )?(photo|image)",
                r"pas (vraiment )?(satisfait|convaincu|fan)",
                r"moins cher ailleurs",
                r"(je me suis|je me suis) trompee?(?! de taille)",
            ),
        ),
    ),
]
REASON_ORDER = [label for label, _ in RETURN_REASONS]


def _arrived_broken(text: str, damage: list[Found]) -> bool:
    """Is a damage cue in a sentence that speaks of the arrival, with no time passed since?"""
    if TIME_PASSED.search(text) or WORN.search(text):
        return False
    for sentence in re.finditer(r"[^.!?]+", text):
        if ARRIVAL.search(sentence.group(0)) and any(
            sentence.start() <= f.start < sentence.end() for f in damage
        ):
            return True
    return False


def return_reason(doc: Any) -> tuple[str | None, list[str]]:
    """Why the item comes back (or None), and the reasons the message denies."""
    tables = [*RETURN_REASONS, ("damage", DAMAGE_CUES), ("defect", DEFECT_CUES)]
    found = find(doc, tables)
    positive = {f.label for f in found if not f.negated}
    labels = positive - {"damage", "defect"}
    if "defect" in positive:
        labels.add("defective")
    if "damage" in positive:  # broken on arrival is the shop's; broken later, a defect
        damage = [f for f in found if f.label == "damage" and not f.negated]
        labels.add(
            "damaged_on_arrival" if _arrived_broken(plain(doc.text), damage) else "defective"
        )
    reason = next((label for label in REASON_ORDER if label in labels), None)
    rename = {"damage": "damaged_on_arrival", "defect": "defective"}
    negated = {rename.get(f.label, f.label) for f in found if f.negated}
    return reason, sorted(negated - labels)


# --- What the customer wants ---------------------------------------------------------------

PREFERENCES: list[tuple[str, Cues]] = [
    (
        "store_credit",
        Cues(
            phrases=(
                r"credits? (en |d'|de )?(magasin|boutique|achat)",
                r"\bavoir\b(?= (en|sur|a|pour|de|d'))",
                r"bons? d'achat",
                r"credit (sur|dans|a) (mon|votre) compte",
                r"(en|sous forme de) carte[- ]cadeau",
                r"(?<!carte de )\bcredit\b(?! (sur|a) (ma|la|mon) (carte|visa|mastercard))",
            ),
        ),
    ),
    (
        "exchange",
        Cues(
            words=("echang*",),
            phrases=(r"contre (un|une) (autre|plus)", r"(autre|plus (petite|grande)) taille"),
        ),
    ),
    (
        "replacement",
        Cues(
            words=("remplac*",),
            phrases=(
                r"(un|une) (autre )?(neuf|neuve|nouveau|nouvelle)( identique| pareille?)?\b",
                r"(la|le) meme (chose|modele|bague|bijou|piece|article|collier|bracelet)",
                r"(un|une) (autre )?(pareil|pareille|identique|semblable)",
            ),
        ),
    ),
    (
        "refund",
        Cues(
            words=("rembours*",),
            phrases=(
                r"(mon|mes|notre) argent",
                r"ravoir (mon|mes) (argent|sous)",
                r"(sur|a) (ma|la|mon) (carte|compte bancaire|visa|mastercard)",
                r"carte de credit|mode de paiement",
            ),
        ),
    ),
]
PREFERENCE_ORDER = [label for label, _ in PREFERENCES]
INSTEAD = re.compile(
    r"(au lieu|plutot|a la place|pas)( qu?e?)?( d'| de| du| des| un| une| la| le| les| l'| me|"
    r" m'| en)*\s*$"
)


def preference(doc: Any) -> str | None:
    """The outcome the customer asks for; None when denied, absent or offered as a choice."""
    found = find(doc, PREFERENCES)
    simple = plain(doc.text)
    kept = [
        f for f in found
        if not f.negated and not INSTEAD.search(simple[max(0, f.start - 30): f.start])
    ]  # fmt: skip
    labels = []
    for f in sorted(kept, key=lambda f: f.start):
        if f.label not in labels:
            labels.append(f.label)
    if not labels:
        return None
    if len(labels) > 1 and _offered_as_choice(simple, kept):
        return None
    return labels[0]


def _offered_as_choice(simple: str, kept: list[Found]) -> bool:
    """« remboursement ou crédit ? »: options asked about, no choice stated."""
    ordered = sorted(kept, key=lambda f: f.start)
    return any(
        re.search(r"\bou\b", simple[a.end: b.start]) and a.label != b.label
        for a, b in zip(ordered, ordered[1:], strict=False)
    )  # fmt: skip
