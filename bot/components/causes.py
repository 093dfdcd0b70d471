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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from components.negation import aligned_plain, is_negated, plain, segment_ids


@dataclass(frozen=True)
class Cues:
    """Cue words (a trailing `*` makes a prefix) and phrases (regexes on the plain text)."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    # Phrases that set the scene rather than state a fact, so a negation does not deny them:
    # « elle rentre pas sur mon doigt » still speaks of the size.
    scene: tuple[str, ...] = ()


@dataclass(frozen=True)
class Found:
    """One category found in a message, and whether a negation denies it."""

    label: str
    negated: bool
    start: int
    end: int


KNOWN_FORMS = 50_000  # distinct word forms whose answer each word-cue table keeps


@cache
def _word_cue(cues: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a plain form is one of the cue words (a trailing `*` makes a prefix), with the
    answers kept: the same words come back in message after message."""
    exact = frozenset(cue for cue in cues if not cue.endswith("*"))
    prefixes = tuple(cue[:-1] for cue in cues if cue.endswith("*"))

    @lru_cache(maxsize=KNOWN_FORMS)
    def matches(form: str) -> bool:
        return form in exact or bool(prefixes) and form.startswith(prefixes)

    return matches


@cache
def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(phrase)


def _matching_tokens(forms: list[tuple[str, str]], cues: tuple[str, ...]) -> tuple[int, ...]:
    """The tokens (by index) whose plain lemma or word is one of the cue words."""
    matches = _word_cue(cues)
    return tuple(i for i, (lemma, word) in enumerate(forms) if matches(lemma) or matches(word))


# « ce n'est pas la taille qui m'embête »: what a negated cleft names as the trouble is not.
DENIED_CLEFT = re.compile(
    r"\b(ce n'est|c'est|c'etait|ce n'etait|c) pas [^,.;:!?]{1,40}? qui (me |m'|nous |nous )?"
    r"(embete|derange|gene|pose|ennuie|inquiete|agace|deplait|pose probleme|est le probleme)"
)
# « je l'ai échappée une fois mais elle n'a rien eu »: the cause before it did no harm.
HARMLESS = re.compile(
    r"\bmais (elle|il|ca|rien|ils|elles) (n'a|n'ont|n'avait|n'avaient|a|ont)? ?"
    r"(rien|pas) (eu|casse|fait|subi|abime)|\bsans (aucun )?(dommage|consequence|mal)\b"
)


# « je l'enlève pour faire la vaisselle », « je la retire avant d'aller au gym »: what the
# customer takes the piece off for did not happen to it.
# « je veux qu'on me la répare », « pouvez-vous l'ajuster »: asked of the shop, not done to it.
ASKED_OF_THE_SHOP = re.compile(
    r"\b(qu'on|que vous|pouvez-vous|pourriez-vous|vous pouvez|vous pourriez|est-ce que vous|"
    # « je voudrais la faire réparer »: a repair wished for, not one done elsewhere
    r"possible de|je voudrais|j'aimerais|je veux|jveux|je souhaite|je souhaiterais) "
    r"(me |la |le |les |l'|nous |faire )*(repar|ajust|modifi|agrandi|retreci|"
    r"raccourc|rallong|ressoud)\w*"
)
TAKEN_OFF = re.compile(
    r"\b(enleve|enlevais|enleverai|enlever|retire|retirais|retirer|ote|otais|oter)s?\b"
    r"[^.!?;]{0,12}?\b(pour|avant de|avant d'|quand|pendant|lorsque|chaque fois que)\b"
    r"(?:(?!\b(mais|pourtant|cependant|quand meme|et (elle|il|ils|elles|ca|la|le|les))\b)"
    r"[^.!?;,])*"
)


# « l'échanger contre la chevalière en taille 9 »: the size of the piece asked for in exchange
# says nothing of the one sent back (but « contre la taille 58 » does).
TARGET_SIZE = re.compile(
    r"\bcontre (un|une|la|le|les|l') ?(?!taille|grandeur|pointure|longueur)\w+[^,.;!?]{0,30}?"
    r"\b(en|de) (taille|grandeur|pointure|longueur) \w+"
)


# « je pensais qu'il était mal fait… mais en fait il est trop serré », « j'ai cru d'abord que
# c'était un défaut, mais c'est ma crème »: a belief the customer takes back.
RETRACTED_BELIEF = re.compile(
    r"\b(je pensais|je croyais|j'ai (d'abord |cru d'abord|au debut )?cru|j'avais cru|"
    r"je me disais|on aurait dit)( d'abord| au debut)? qu[^.!?]{0,160}?"
    r"(?=\b(mais|en fait|en realite|finalement)\b)"
)


# « il a failli la perdre », « j'ai presque échappé le jonc »: what nearly happened did not.
NEARLY = re.compile(
    r"\b(failli|faillit|faillir|presque|manque de|a deux doigts de|pas passe loin de)"
    r" (la |le |les |l')?(perdre|perdu\w*|echapp\w*|casser|casse\w*|briser|brise\w*)"
)
# « les fiançailles sont rompues », « j'ai le cœur brisé »: broken, but no piece.
NOT_OF_A_PIECE = re.compile(
    r"\b(fiancailles|relation|couple|mariage|engagement|promesse|contrat|co?e?ur)"
    r" (sont |est |a ete |ont ete |se sont |s'est )?(rompue?s?|brise\w*|casse\w*)"
)


def _denied_spans(simple: str) -> list[tuple[int, int]]:
    """Spans of the plain text whose cues are denied by the sentence around them."""
    spans = [(m.start(), m.end()) for m in (*DENIED_CLEFT.finditer(simple),
                                            *TAKEN_OFF.finditer(simple),
                                            *ASKED_OF_THE_SHOP.finditer(simple),
                                            *RETRACTED_BELIEF.finditer(simple),
                                            *NEARLY.finditer(simple))]  # fmt: skip
    for harmless in HARMLESS.finditer(simple):
        sentence_start = max(simple.rfind(mark, 0, harmless.start()) for mark in ".!?")
        spans.append((sentence_start + 1, harmless.start()))
    return spans


@dataclass(frozen=True)
class CueHits:
    """Where one cue table matches a message, before any negation is read: its phrase
    matches (start, end, matched text), its scene matches, the tokens its words match."""

    phrases: tuple[tuple[int, int, str], ...]
    scene: tuple[tuple[int, int], ...]
    tokens: tuple[int, ...]


class CueScan:
    """The cue tables matched on one message, each table once however many questions (reason,
    warranty cause, preference, whether to parse) ask for it, and each word's negation read
    once. The matches depend on the words and their lemmas, the negations on the parse too:
    `cue_scan` gives a new scan when either analysis was added to the doc since."""

    def __init__(self, doc: Any, text: str) -> None:
        self.doc = doc
        self.simple = aligned_plain(text)
        # Each token's plain lemma and plain word.
        self.forms = [(plain(t.lemma_ or t.text), plain(t.text)) for t in doc]
        self.segments = segment_ids(doc)
        self.denied = _denied_spans(self.simple)
        self.not_of_a_piece = [(m.start(), m.end()) for m in NOT_OF_A_PIECE.finditer(self.simple)]
        self._hits: dict[Cues, CueHits] = {}
        self._negated: dict[int, bool] = {}
        self._phrase_negated: dict[int, bool] = {}

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        """A doc pickled with its user data (Rasa's cross-validation copies the messages) does
        not carry the scan: it refers to the doc itself, which made the pickling recurse
        without end (`make eval-nlu` failed); `cue_scan` rebuilds it when asked."""
        return (_no_scan, ())

    def hits(self, cues: Cues) -> CueHits:
        found = self._hits.get(cues)
        if found is None:
            found = self._hits[cues] = CueHits(
                phrases=tuple(
                    (m.start(), m.end(), m.group(0))
                    for pattern in cues.phrases
                    for m in _pattern(pattern).finditer(self.simple)
                ),
                scene=tuple(
                    (m.start(), m.end())
                    for pattern in cues.scene
                    for m in _pattern(pattern).finditer(self.simple)
                ),
                tokens=_matching_tokens(self.forms, cues.words) if cues.words else (),
            )
        return found

    def negated(self, token: Any) -> bool:
        if token.i not in self._negated:
            self._negated[token.i] = is_negated(token, self.doc, self.segments)
        return self._negated[token.i]

    def phrase_negated(self, start: int, phrase: str) -> bool:
        """A phrase holding its own negation (« ne me plaît pas ») is what it says; another
        one (« fait tomber ») is negated like its first word (« je ne l'ai pas fait
        tomber »)."""
        if set(re.findall(r"[a-z']+", phrase)) & {
            "ne",
            "n'",
            "pas",
            "plus",
            "pu",
            "pus",
            "jamais",
            "ni",
        }:
            return False
        if start not in self._phrase_negated:
            first = next((t for t in self.doc if t.idx + len(t.text) > start), None)
            self._phrase_negated[start] = first is not None and self.negated(first)
        return self._phrase_negated[start]


def _no_scan() -> None:
    """What a pickled scan becomes (CueScan.__reduce__)."""
    return None


def cue_scan(doc: Any, text: str | None = None) -> CueScan:
    """The scan of `doc`, kept on it (`doc.user_data`) while its analysis stays the same."""
    text = doc.text if text is None else text
    state = (text, doc.has_annotation("LEMMA"), doc.has_annotation("DEP"))
    kept = doc.user_data.get("allyzure_cue_scan")
    if kept is None or kept[0] != state or kept[1] is None:
        kept = doc.user_data["allyzure_cue_scan"] = (state, CueScan(doc, text))
    return kept[1]


def find(doc: Any, tables: Iterable[tuple[str, Cues]], text: str | None = None) -> list[Found]:
    """Every cue of every category in `doc`, negated or not, in table order then text order."""
    scan = cue_scan(doc, text)
    tables = list(tables)
    phrases: list[Found] = []
    for label, cues in tables:
        hits = scan.hits(cues)
        for start, end, matched in hits.phrases:
            phrases.append(Found(label, scan.phrase_negated(start, matched), start, end))
        phrases.extend(Found(label, False, start, end) for start, end in hits.scene)
    found = list(phrases)
    for label, cues in tables:
        for i in scan.hits(cues).tokens:
            token = doc[i]
            if _inside_phrase(token, phrases):
                continue
            found.append(Found(label, scan.negated(token), token.idx, token.idx + len(token.text)))
    found = [f for f in found if not _broken_but_no_piece(f, scan.not_of_a_piece)]
    return [_deny_inside(f, scan.denied) for f in found]


def _broken_but_no_piece(found: Found, spans: list[tuple[int, int]]) -> bool:
    return found.label in {"defect", "damage"} and any(a <= found.start < b for a, b in spans)


def _deny_inside(found: Found, spans: list[tuple[int, int]]) -> Found:
    if found.negated or not any(start <= found.start < end for start, end in spans):
        return found
    return Found(found.label, True, found.start, found.end)


def _inside_phrase(token: Any, phrases: list[Found]) -> bool:
    return any(f.start <= token.idx < f.end for f in phrases)


# --- Warranty: what happened to the piece -------------------------------------------------

# Gems by name (« a perdu son émeraude »): a stone of the piece, like « pierre ».
GEMS = (
    "emeraude|rubis|saphir|amethyste|topaze|opale|grenat|onyx|turquoise|quartz|jade|citrine|"
    "peridot|aigue-marine|tanzanite|morganite|nacre|gemme|brillant|diamant|zircon|strass|cristal"
)
STONE_WORDS = (
    r"(pierre|perle|" + GEMS + r"|email|maille|maillon|chaton|pendentif|"
    r"breloque|charm|fermoir|attache|anneau|griffe)s?"
)
# A surface or finish that can wear off or change colour.
FINISHES = r"(plaque|placage|dorure|couleur|email|vernis|gravure|rhodium|rhodiage|finition|teinte)"
# How a piece looks once its finish has gone (« rendue terne », « devenue toute laiteuse »).
DULL_LOOKS = (
    r"(noire?s?|verte?s?|grise?s?|ternes?|laiteu(x|se|ses)|opaques?|troubles?|brune?s?|"
    r"jaunie?s?|noircie?s?)"
)
# A link or clasp come open: « un maillon ouvert », « le fermoir s'est ouvert ».
OPENED = (
    r"(maillon|fermoir|anneau|attache|mousqueton|crochet|tige)s? (qui )?"
    r"(s'est |se sont |s'|est |sont )?(ouvert|ouverte|ouverts|ouvertes|ouvre)\b"
)
# Broken into pieces: « arrivé en morceaux », « elle est en deux morceaux ».
IN_PIECES = r"\ben (deux |trois |mille |plusieurs |petits )?(morceaux|miettes|pieces detachees)\b"
DEFECT_CUES = Cues(
    words=tuple(
        "defaut* defectu* cass* bris* fermoir* soudure* decoll* decroch* detach* dessert* "
        "dessoud* lach* fabrication fissur* rompu* rompre oxyd* noirci* terni* rouill* cede "
        "cedee craque* plie* descell* defai* defait* ecaill* pele pelee pelent decolor* verdi* "
        "effiloch* devis* dorure placage plaquage fendu fendue fendus fendues fendre "
        "tache tachee taches tachees tacher tachent effac* estomp* cloqu* arrach* pete "
        "petee petes petees fele felee feles felees felure felures ebrech* terne ternes".split()
    ),
    phrases=(
        STONE_WORDS + r"( \w+)? (qui )?(est |sont |s'est |se sont |etait |etaient |a |ont )?"
        r"(deja )?(tombee?s?|tombent|partie?s?|partent|saute|sautee?s?|sautent)\b",
        STONE_WORDS + r"( \w+)? (bouge|bougent|branle|branlent|tourne dans|se promen\w*)",
        # the plating or the colour going: « le plaqué or part », « la couleur vire au noir »
        FINISHES + r"( or| argent| \w+)? (est |sont |s'est |s'en |se |s'|a |ont )?"
        r"(completement |toute? |deja |presque |carrement )?"
        r"(part|partent|parti|partie|va|vont|efface|effacent|estompe|disparait|disparu)\b",
        r"\b(vire|virent|vire|virer|tourne|tournent)( au| a)? (noir|vert|gris|jaune|brun)",
        r"\b(a|ont|avait|avaient) (fonce|jauni|noirci|grisi|bruni)\b",
        r"on (voit|vois) (le |la |l')?(metal|cuivre|laiton|acier|gris|noir|dessous)",
        r"(mauvaise|pietre|mediocre) qualite|qualite (mediocre|douteuse|pourrie)",
        OPENED,
        IN_PIECES,
        r"(perdu|perd|perds|perdent|perdre|perdait|perdra|perdrait) (toute |tout |toutes |tous )?"
        r"(une|la|des|ses|sa|son|un|le|mes|ma|leur|leurs) (petite )?"
        r"(" + STONE_WORDS + r"|couleur|eclat|dorure|placage|brillance|vernis)",
        r"(ne|n') ?(ferme|ferment|fonctionne|tient|tiennent|marche|s'ouvre|se ferme) (plus|pas)",
        r"change(r)? de couleur",
        r"\btout(e)? seule?\b",
        r"(devenu|devenue|devenus|devenues|rendu|rendue|rendus|rendues|est|sont) "
        r"(tout |toute |toutes |tous )?" + DULL_LOOKS + r"\b",
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
                r"(vient|viennent|provient|achete\w*|pris\w*|trouve\w*) ([\w']+ ){0,2}"
                r"(d'une|dans une|a une|"
                r"chez une?|au|sur|en|sur un|d'un)( petite?| grande?| autre)? (bijouterie|boutique|"
                r"marche|magasin|friperie|brocante|kiosque|vente|site)",
                r"\bpas chez vous\b",
                r"contrefa(c|s)on|site etranger",
                r"\b(amazon|etsy|aliexpress|temu|shein|ebay|kijiji|marketplace|pandora|"
                r"swarovski|tiffany|birks|mejuri|costco|walmart|winners|simons|ardene|claire's|"
                r"la baie|hudson's bay|sears|zellers|michael hill|peoples|bijouterie italienne)\b",
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
                r"fait (refaire|replaquer|reparer|plaquer|rhodier|graver|agrandir|retrecir|"
                r"ajuster|modifier|transformer|raccourcir|rallonger|changer|rajouter|ajouter|"
                r"poser|percer|couper|sertir|ressertir|souder|regraver)",
                r"chez (un|une|le|la|mon|ma) (artisan|orfevre|joaillier|bijoutier)",
                r"fait graver (ailleurs|par)",
                r"(fait )?(change|changer|remplace|remplacer) (le|la|les) (fermoir|chaine|pierre|"
                r"attache|anneau|maillon|mousqueton) (par|chez|moi|pour)",
                # « je l'ai coupée moi-même », « j'ai moi-même essayé de… », not « je vais
                # écrire au support moi-même » nor « un cadeau à moi-même »
                r"\b(resserr|raccourc|lim|coup|tord|perc|grav|chang|enlev|ajout|ajust|refai|"
                r"redress|pol|ressert|modifi|repar|soud|retir|agrandi|retreci|pli)\w* "
                r"([\w']+ ){0,5}?moi[- ]?(meme|mm)\b|\bmoi[- ]?(meme|mm) (essaye|tente|voulu)\b",
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
            phrases=(
                r"(ne|n') ?(la|le|les) (retrouve|trouve) (plus|pas)",
                # « quand je suis revenue, elle était pus là »
                r"\b(etait|est|sont|etaient) (plus|pus|pu) (la|nulle part)\b",
                # left somewhere: « je l'ai oubliée dans un hôtel »
                r"\b(l'|la |le |les )(ai |a |avons |ont |avais |avait )?oublie(e|s|es)? "
                r"(dans|sur|a|au|chez|quelque part)\b",
                # « je l'ai jamais retrouvée », « on l'a pas retrouvé »
                r"\b(l'|la |le |les )(ai |a |avons |ont |avais |avait )?(jamais|pas|plus|pu) "
                r"(re)?trouve(e|s|es)?\b",
            ),
        ),
    ),
    (
        "improper_use",
        Cues(
            words=tuple(
                "echapp* choc chocs cogn* heurt* ecras* chlore piscine javel coinc* spa sauna "
                "dentifrice vinaigre mordu* machouill* jardiner bricoler laveuse secheuse "
                "javellisant chute chutes mache machee maches machees".split()
            ),
            phrases=(
                r"(fait|faite|faites|laisse|laissee) tomber",
                r"tombe(e|s|es)? (par terre|au sol|dans|"
                r"sur le (sol|plancher|carrelage|trottoir|beton))",
                r"produits? (chimique|menager|nettoyant|de nettoyage)",
                r"(marche|assise?|assis) dessus",
                r"eau (salee|de mer)|dans la mer|a la plage|(a|sous) la douche",
                r"(mal|pas bien) (entretenu|range)",
                r"tire dessus|en faisant du sport|au gym",
                # worn for rough work or played with: « en faisant du ciment », « a joué avec »
                r"en faisant (du|de la|des|le|la|mon|ma|mes) \w+",
                r"(jardinage|bricolage|renovation|ciment|travaux)",
                r"lave-?vaisselle|machine a laver",
                r"(joue|jouait|jouant) avec",
            ),
        ),
    ),
    (
        "normal_wear",
        Cues(
            words=tuple(
                "usure use usee uses usees rayure* raye* rayer egratign* eraf* frott*".split()
            ),
            phrases=(
                r"a force de (la |le |les )?porter",
                r"avec le temps",
                r"\ba (la |le |les )porter (tous les jours|chaque jour|souvent)",
                # worn for years: « portée tous les jours pendant trois ans » (not the age of
                # the purchase: « achetée il y a deux ans »)
                r"\bport(e|ee|es|ees|er|ais|ait|ant)\b[^.!?]{0,30}\b(pendant|depuis|durant) "
                r"(\d+|deux|trois|quatre|cinq|six|sept|huit|dix|plusieurs|des|quelques) "
                r"(ans|annees)\b",
            ),
        ),
    ),
    ("defect", DEFECT_CUES),
]
WARRANTY_ORDER = [label for label, _ in WARRANTY_CAUSES]
# A piece only days, weeks or months old: wear denied on it means a defect.
YOUNG = re.compile(
    r"\b(a|apres|en|depuis|ca fait|il y a|vieille de|vieux de) (seulement |juste |a peine |"
    r"meme pas |pas )?(\d+|un|une|deux|trois|quatre|cinq|six|quelques) (jours?|semaines?|mois)\b"
)


# Phrases that rule a cause out without naming it: « j'ai rien fait dessus » (no misuse),
# « c'est bien un Allyzure », « achetée chez vous » (the shop's piece), « rien à redire sur la
# qualité » (no defect).
RULED_OUT = (
    (
        "improper_use",
        re.compile(r"\b(j'ai|je n'ai|on a|on n'a) (absolument |vraiment )?rien fait\b"),
    ),
    (
        "non_allyzure_item",
        re.compile(
            r"\bc'est bien (un|une|du) allyzure\b"
            r"|(?<!pas )(?<!jamais )\b(achete(e|s|es)?|(l'|ete )commande(e|s|es)?) chez vous\b"
            # « j'ai trouvé moins cher chez Costco »: the same piece cheaper elsewhere, ours
            r"|\b(moins chere?s?|plus cheap|a moitie prix|meilleur prix|moins dispendieu\w*|"
            r"en solde|en rabais) (chez|sur|a|au|dans)\b"
        ),
    ),
    (
        # « je l'ai fait évaluer chez un bijoutier, il dit que c'est un défaut »: a jeweller
        # who only looked at the piece changed nothing
        "modification",
        re.compile(
            r"\b(fait |faire )?(evaluer|examiner|regarder|verifier|expertiser|estimer|inspecter)"
            r"\b.{0,40}\b(bijoutier|joaillier|orfevre)"
            r"|\b(bijoutier|joaillier|orfevre) (m'a dit|m'a confirme|dit|a dit|confirme|pense"
            r"|affirme)"
            r"|\bmontree? (a|chez) (un|une|mon|ma) (bijoutier|joaillier)"
        ),
    ),
    (
        "defect",
        re.compile(
            r"\brien a (redire|reprocher) (sur|a|concernant|quant a) (la |le |l')?"
            r"(qualite|fabrication|finition|bijou)"
        ),
    ),
)


# « Ça m'est pas arrivé, je demande juste », « par curiosité »: what the message describes did
# not happen to the customer, so no cause or reason it names is theirs.
DISCLAIMED = re.compile(
    r"\b(ca|cela|c'|ce|ceci) ?(ne |n')?(m'|nous |lui |leur )(est|es) (pas|jamais|encore jamais)"
    r"( encore)? arrive|\bpar (pure |simple )?curiosite\b|\bhypothetique(ment)?\b"
)


# A stone or a pearl that came off, then was lost: the defect is the cause, not a lost piece.
_STONE_LOST = re.compile(
    r"\b(pierre|perle|diamant|brillant|zircon|gemme|cristal|strass)s?\b.{0,60}\bperdu"
)


def warranty_cause(doc: Any) -> tuple[str | None, list[str]]:
    """The warranty cause the message states (or None), and the causes it denies (all those it
    names when it says the thing did not happen to the customer)."""
    found = find(doc, WARRANTY_CAUSES)
    simple = aligned_plain(doc.text)
    if DISCLAIMED.search(simple):
        return None, sorted({f.label for f in found})
    positive = {f.label for f in found if not f.negated}
    negated = {f.label for f in found if f.negated}
    negated |= {label for label, phrase in RULED_OUT if phrase.search(simple)}
    # A cause the customer denies somewhere (« pas juste usée ») is not theirs when another
    # one is stated without denial (« c'est la griffe qui est cassée »).
    # A cause both said and denied (« elle est toute terne… ce n'est pas un défaut ») is
    # denied: the customer's denial is what they mean.
    undenied = positive - negated
    if {"loss", "defect"} <= undenied and _STONE_LOST.search(simple):
        undenied.discard("loss")  # « la pierre s'est détachée et je l'ai perdue »: the stone's
    cause = next((label for label in WARRANTY_ORDER if label in undenied), None)
    if cause is None and "normal_wear" in negated and YOUNG.search(simple):
        cause = "defect"  # « c'est pas de l'usure, elle a trois semaines »
    return cause, sorted(negated - {cause})


# --- Returns: why the item comes back ------------------------------------------------------

# Damage found when the parcel arrived (same sentence), unless time or wear passed since.
ARRIVAL = re.compile(
    r"\b(arrive|arrivee|arrives|arrivees|arriver|recu|recue|recus|recues|reception|"
    r"livre|livree|livres|livrees|livraison|colis|deball\w*|ouvert\w*|ouvrant|ouvrir|"
    r"ouverture|boite|emballage|sorti\w* de|deja|paquet|enveloppe|ecrin|pochette|transport)\b"
)
# « dès la sortie du sachet », « c'est comme ça que je l'ai reçu », « jamais portées »: the
# flaw was there when the parcel was opened, whatever the flaw (tarnish, a clasp that does not
# close): the piece came damaged, it did not fail with wear.
CAME_LIKE_THIS = re.compile(
    r"\b(des|a) (la |l')?(sortie|reception|ouverture|deballage)\b"
    r"|\bsorti\w* (du|de la|de son|de sa|de leur|des|de l') ?(sachet|boite|colis|paquet|emballage"
    r"|ecrin|pochette|enveloppe)"
    r"|\b(comme ca|ainsi|dans cet etat|de meme) (que )?(je l'ai|je les ai|on me l'a|on me les a"
    r"|elle est|il est|elles sont|ils sont|c'est) (recu|arrive)"
    r"|\bjamais (ete )?(porte|portee|portes|portees|mis|mise|mises)\b"
    r"|\b(viens|venons|vient) (juste |tout juste )?(de|d') ?(la |le |les |l')?(sortir|deballer"
    r"|ouvrir|recevoir)"
    r"|\ben (l'|les |le |la )?(ouvrant|deballant)\b"
)


def came_like_this(simple: str) -> bool:
    """Does the message say the piece was already so when it came out of its parcel?"""
    return bool(CAME_LIKE_THIS.search(simple)) and not TIME_PASSED.search(simple)


# « depuis la réception » dates the damage to the arrival; « depuis un mois » does not.
TIME_PASSED = re.compile(
    r"\b(apres|au bout|depuis(?! (la reception|la livraison|l'arrivee|le debut|que je l'ai recu))"
    r"|il y a|plus tard|a force|des le lendemain|"
    r"(des|au|le) (\d+e|\d+eme|deuxieme|troisieme|second|2e|3e) (jour|semaine|mois|port))\b"
)
# Worn by the customer; « porté par quelqu'un » on arrival is the shop's doing.
WORN = re.compile(r"(?<!jamais )(?<!pas )\bport(e|ee|es|ees|ant|ais|ait)\b(?! par)")
# « je ne l'ai même pas encore portée »: not worn since the arrival.
NOT_YET = re.compile(r"\b(pas|jamais|ni)( meme| encore| une seule fois)* $")
DAMAGE_CUES = Cues(
    words=tuple(
        "cass* bris* abim* endommag* ecras* tordu* tordre fissur* raye* rayure* egratign* "
        "bossel* caboss* deform* fendu* ebrech* dessoud* decoll* decroch* detach* arrach* "
        "pete petee petes petees coupe coupee coupes coupees plie* fele felee feles felees "
        "felure felures eclate eclatee eclates eclatees defile defilee defiles "
        "defilees".split()
    ),
    phrases=(
        STONE_WORDS + r" (qui )?(manque|manquant|manquante|manquent)",
        IN_PIECES,
        OPENED,
        # « un des petits diamants du halo manquant », « arrivée sans sa perle »
        r"\b(un|une|deux|trois) (des|de ses|de mes) [^,.;!?]{0,30}?"
        r"(manque|manquant|manquante|manquent|en moins)\b",
        r"\bsans (sa|son|ses|la|le|les|l'|une|un) (petite |petit )?" + STONE_WORDS + r"\b",
    ),
)
# « j'ai changé d'avis », « changement d'idée »: the change of mind said in so many words
MIND_CHANGED_WORDS = r"chan(g|j)\w* d'?(avis|avi|idee)"
RETURN_REASONS: list[tuple[str, Cues]] = [
    (
        "wrong_item",
        Cues(
            phrases=(
                r"mauvais(e)? (article|produit|bijou|modele|colis|item|couleur|commande|"
                r"bague|collier|bracelet|pendentif|boucles?|metal|pierre|prenom|nom|gravure|"
                r"inscription|initiales?|date|annee|chiffres?|lettres?|pierres?|longueur|police|"
                r"ecriture|typographie|caracteres?|maille|motif)",
                # said by contrast on the same noun: « une maille gourmette, pas une maille
                # marine », « a une pierre rose, pas une pierre de lune »
                r"\b(un|une|des|du) (?!(peu|fois|autre|jour|mois|semaine|avoir|credit|echange|"
                r"rembours\w*)\b)(\w+) [^,.;!?]{0,40}?,? ?(et )?pas (un|une|des|du|de) \3\b",
                r"fautes? de frappe|fautes? d'orthographe|coquille",
                r"pas (le|la|les) (bon|bonne|bons|bonnes)( (article|produit|bijou|modele|"
                r"couleur|commande|bague|collier|bracelet|pendentif|chose|piece))?\b"
                r"(?! (taille|tour|longueur|grandeur|pointure|diametre|format|mesure))",
                r"pas (ce|celui|celle|ceux|celles) (que|qu'on|qu') ?(j'ai|j'avais|nous avons|"
                r"on a|j ai) (commande|choisi)",
                # « un pendentif étoile, pas le cœur gravé que j'ai commandé »
                r"pas (le|la|les|l'|un|une|des) ?[^,.;!?]{0,40}?(que|qu') ?(j'|j )?"
                r"(ai|avais|avons) "
                r"(commande|choisi|paye)",
                # « moi c'est Léa que j'ai commandé » (a cleft ending its sentence)
                r"c'est [^,.;!?]{1,30}? (que|qu') ?(j'|j )?(ai|avais) commande(e|s|es)?"
                r"\s*($|[.!?])",
                r"\b(c'est |c |ce n'est |c'etait )?pas ma commande",
                r"pas (l'article|le bijou|le produit|le modele) (que j'ai )?commande",
                r"(au lieu|a la place) d(e|u|es|')",
                r"(?<!par )\berreur\b(?! de ma part)",
                r"(faute|erreur)s? (de |dans (la |le )?)?(gravure|nom|prenom|orthographe)",
                r"mal grave|gravure (erronee|fausse|incorrecte)|pas (le bon|la bonne) (nom|prenom|"
                r"gravure|inscription)",
                r"(prenom|nom|date|gravure|inscription|initiales?|lettres?) (est |sont |etait )?"
                r"(mal (ecrite?s?|orthographiee?s?|epelee?s?|gravee?s?)|a l'envers|erronee?s?|"
                r"incorrecte?s?|inversee?s?)",
                # « on m'a livré un bracelet en argent, j'avais commandé en or »
                r"(recu|livre|envoye)\w*\b[^.!?]{0,60}(?<!que )(?<!qu')\bj'?avais "
                r"(bien |pourtant )*(commande|choisi|pris|demande)",
                r"pas (ca|cela) que j'?(ai|avais) commande",
                r"differente? de (ce que|celle|celui|ma commande|la commande|la photo)",
                r"(vous|on) (vous etes|s'est|se sont|m'a|m'avez) (trompe|envoye (un|une) autre)",
                r"(mauvaise|pas la bonne) taille.{0,40}(commande|au lieu|envoye|recu)",
                r"(commande|commandee?) .{0,40}(recu|envoye|livre)e? (un|une|le|la|des|du|en)\b",
                # « alors que j'avais (bien) pris… », « alors que sur ma facture c'est écrit… »
                r"alors que j'?(ai|avais) (bien |pourtant )*(commande|paye|choisi|pris|demande|"
                r"ecrit|selectionne|coche|indique)",
                r"alors que (sur|dans) (ma|la|le|mon|votre) (facture|commande|site|photo|"
                r"confirmation|courriel|recu|panier)",
                # « j'avais pourtant bien écrit « toujours » dans le formulaire »
                r"\b(avais (pourtant |bien )+|ai pourtant (bien )?)(ecrit|demande|indique|precise|"
                r"commande|choisi|pris|selectionne|coche)",
                # « c'est pas la couleur commandée », « pas l'article présenté »
                r"pas (le|la|les|l') ?(\w+ ){0,1}\w+ (commandee?s?|choisie?s?|presentee?s?|"
                r"annoncee?s?|affichee?s?|prevue?s?)\b",
                r"pas (mon|ma|mes|notre|le bon|la bonne) (nom|prenom|date|initiales?|inscription)"
                r"s? (sur|dans|qui|grave)",
                r"(ne )?correspond pas a (ma|la) commande",
                # what was ordered against what the parcel holds: « commandé en or jaune et
                # dans le sachet ce sont des dormeuses en argent », « sur ma commande c'est… »
                r"(commande|choisi|pris)e?s?\b[^.!?]{0,60}\bdans (le|la|mon|ma) (sachet|colis|"
                r"paquet|boite|ecrin|pochette|enveloppe) (ce sont|c'est|c|il y a|y a|j'ai|j ai)\b",
                r"sur (ma|la) (commande|facture|confirmation) c'?est\b",
                r"\bj'?ai (clairement|bien|pourtant) (pris|commande|choisi)\b",
                r"pas conforme",
                # not what the order said: « les anneaux 15 mm sont arrivés en 10 mm », « le jonc
                # argent est arrivé en or jaune »
                r"\b(arrivee?s?|recue?s?|livree?s?|envoyee?s?) en (\d+([.,]\d+)? ?"
                r"(mm|cm|po|pouces)|or (jaune|blanc|rose)|argent|acier|plaque)\b",
                # half a pair: « ya juste 1 boucle dans la boîte », « pas la paire »
                r"\bpas la paire\b|\b(juste|seulement|qu'une?|quune?) (1|une?|une seule|"
                r"un seul) (boucle|puce|creole|dormeuse|clou|pendante|oreille)s?\b",
                r"\b(y|il y) (en )?(a|avait) (juste|seulement|qu'une?) (une?|1) dans (la|le) "
                r"(boite|sachet|colis|ecrin|pochette)",
                r"(envoye|recu|livre)e? (un|une|le|la) (autre|mauvais)",
                # « un J gravé, je voulais un G »: the letter asked for
                r"\b(je voulais|j'attendais|c'etait cense etre|ca devait etre) (un|une|le|la) "
                r"[a-z]\b(?!')",
                # « la description disait or blanc »: the listing against what came
                r"\b(la description|le site|la fiche|l'annonce|la facture|le descriptif)"
                r"( du produit| de l'article)? (disait|indiquait|dit|indique|mentionnait|annoncait"
                r"|precisait|affichait)\b",
                # « ça ressemble à un péridot, pas du tout à une émeraude »
                r"\bressembl\w* (a|plus a) (un|une|du|de la|des) \w+,? (et )?pas (du tout )?(a )?"
                r"(un|une|du|de la|des) \w+",
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
                # « tro ptite », « trp longue » as typed
                r"(trop|tro|trp) (petit|ptit|grand|large|serre|court|long|etroit|ample|lache|juste|"
                r"gros|fin)(e|s|es)?",
                # Montréal franglais: « too short », « ça fit pas »
                r"\btoo (short|small|big|tight|long|large|loose)\b",
                r"\b(fit|fitte|fittent|fite|fitent) (pas|plus|pu|pus)\b",
                r"pas (a )?(la |ma )?(bonne )?(taille|grandeur|pointure|longueur)\b",
                r"(mauvaise|autre|plus (petite|grande)) (taille|grandeur|pointure|longueur)\b",
                # spoken French without « ne », said of the body (« elles me font pas » alone may
                # be taste): « il me va pas au doigt », « elle me fait pas au poignet »
                r"\b(me|m'|lui) (fait|font|va|vont|faisait|allait) (pas|plus|pu) (au|a|sur|autour)"
                r"( de)?( mon| ma| le| la| son| sa)? "
                r"(doigt|poignet|cou|annulaire|main|bras|cheville)",
                # « il ne me va pas », not « ça ne me va pas » (taste) nor « au teint »
                r"(?<!ca )(?<!cela )(ne|n') ?(me |lui )?(va|vont|rentre|rentrent|passe|passent|"
                r"fait|ferme) pas( (a|au|autour|sur|dans)\b(?! teint)|$|,| du tout)",
                r"(rentre|rentrent|passe|passent|ferme|ferment) (meme )?pas "
                r"(a|au|autour|sur|dans)\b",
                r"(un peu|un brin|legerement|beaucoup|un rien) (trop )?(petit|grand|large|serre|"
                r"court|long|etroit|ample|lache|juste)(e|s|es)?\b",
                r"trompe(e)? de taille",
                r"tourne (sur|autour)|glisse (de|du|sur|autour)",
                r"(grandeur|longueur|diametre) ",
                r"plus (petit|grand|large|serre|court|long)e?s? que",
                # the customer's own size, said as the situation: « je porte du 6 »
                r"\bje (porte|fais|mets|prends) (du|un|une|la|le|en) (taille |grandeur |pointure )?"
                r"\d+",
                r"mon tour de (doigt|poignet|cou) (fait|mesure|est)",
                r"(couper?|coupait|coupent) la circulation|(m'etouffe|m'etrangle)",
                # the body telling it: « ça m'écrase le lobe », « je dois la savonner pour
                # l'enlever », « elle me tombe au nombril »
                r"\b(me|m'|lui) (coupe|ecrase|pince|scie)n?t? (le|la|les|l') ?(doigt|lobe|oreille|"
                r"poignet|cou|cheville|peau)",
                r"\b(savonner|forcer) pour (l'|la |le |les )?"
                r"(enlever|retirer|rentrer|passer|mettre)",
                r"\b(tombe|tombent|glisse|glissent|descend|descendent) (jusqu'|jusqu |jusque )?"
                r"(au|a la|aux|a mon|sur mon|sur la) (nombril|coude|doigts|menton|epaules?|ventre|"
                r"poitrine|genou)",
                # stuck on the way: « il reste coincé à la base du pouce »
                r"\b(reste|restent|est|sont) (coincee?s?|bloquee?s?|prise?s?) (a|au|sur|dans) "
                r"(la |le |l'|mon |ma )?(base|jointure|phalange|pouce|doigt|main|articulation)",
                r"\b(arrive|arrivais|reussis|reussi|suis capable|chu capable) (meme )?pas a "
                r"(le |la |les |l')?(faire )?(passer|enfiler|rentrer)\b",
            ),
            scene=(r"(mon|son|au|a mon|sur mon|sur son) (petit )?(doigt|poignet|cou|annulaire)",),
        ),
    ),
    (
        "changed_mind",
        Cues(
            words=("decu*", "deception", "regrett*"),
            phrases=(
                MIND_CHANGED_WORDS,
                r"\bm'?a (pas|pa) plu\b",  # « ça m'a pas plu », « sa ma pa plu »
                # « je préfère l'autre modèle », not « je préfère un échange » (a preference)
                # « c'est ma préférée », « je préfère ne pas dire »: no change of mind
                r"(?<!ma )(?<!mon )(?<!mes )(?<!sa )(?<!son )(?<!ses )"
                r"\bprefer\w*\b(?! (ne |n')?(pas|rien) )"
                r"(?! (un |une |le |la |l'|d'|de |d'etre |etre |qu'on |que vous |plutot |"
                r"me faire )*(echang|rembours|credit|avoir|bon|remplac|carte|repar|neuf|"
                r"neuve|nouveau|nouvelle|pareil|meme|argent))",
                r"\btrop (pale|fonce|voyant|clinquant|brillant|terne|lourd|massif|discret|simple|"
                r"cher|chere|jaune|rose|blanc|orange|flashy|chargee?)(e|s|es)?\b",
                r"pas (vraiment )?(mon|ma|a mon) (style|genre|gout|teint|couleur|truc)",
                r"(ne |n')?(me|m'|lui|nous) ressemblen?t? (pas|plus|vraiment pas)|ne va pas avec",
                # spoken French drops « ne »: « elle va pas avec mes autres bagues »
                r"\b(va|vont|allait|fait|faisait|fera|irait|agence) (pas|plus|pus|vraiment pas|"
                r"pas vraiment|pas du tout) (avec (mon|ma|mes|rien|le reste|le|la|les)|sur moi|"
                r"ensemble)",
                r"\bjuren?t? avec|(ne|n') ?(me|lui|nous) sied (pas|plus|guere)",
                # how it looks to the customer: « ça fait kitsch », « c'est quétaine »
                r"\b(fait|font|faisait|fais|l'air|parait|semble|est|c'est|c) (un peu |trop |"
                r"vraiment |tellement |franchement |super |assez )?(kitsch|quetaine|cheap|vulgaire|"
                r"criard|"
                r"bon marche|enfantin|vieillot|toc|tape-a-l'o?e?il|bling|clinquant|madame)",
                r"(n'en|en) veux (plus|pas|pu|pus)",
                r"par erreur|par megarde|clique deux fois|commande (en )?double",
                r"trompee? de (modele|couleur|article|bijou)",
                r"(ne|n') ?(la|le|les|l') ?(porte|porterai|mets|mettrai) (pas|jamais|plus)",
                r"(plus|pu|pus) (vraiment |trop )?(envie|besoin)",
                r"(ne|n') ?(me |lui |nous )?(plai[st]?|plaisent|convien(t|nent)|conviens) "
                r"(pas|plus)",
                r"(n'a|n'ont) pas plu",
                r"pas (a|de) (mon|notre|son|leur) gout|pas mon style|pas mon genre|"
                r"pas (trop )?mon truc",
                r"finalement",
                # « commandée deux fois », not « sonnez deux fois »
                r"en double|(command|achet|pay|cliqu|pass)\w* (\w+ )?deux fois",
                r"(aime|aimes) (pas|plus|pu|pus)\b",
                r"pas (si|aussi|tres) (joli|jolie|beau|belle)",
                r"pas comme (sur|dans|en) (la |les )?(photo|image)",
                # expectations not met, a purchase on impulse
                r"(correspond\w*|repond\w*) pas a (mes|ses|nos|leurs) attentes|"
                r"pas a la hauteur de (mes|ses|nos) attentes",
                r"(sur un|d'un) coup de tete|achat (impulsif|compulsif)|sur un coup de co?e?ur",
                r"moins (belle|beau|jolie|joli|belles|beaux|jolies|jolis|brillante?s?|"
                r"eclatante?s?|elegante?s?) qu",
                r"pas (vraiment )?(satisfait|convaincu|fan)",
                r"moins cher ailleurs",
                r"(je me suis|je me suis) trompee?(?! de taille)",
                # the occasion is gone: « on s'est laissés », « le mariage est annulé »
                r"(on|nous) (s'est|s'etait|nous sommes) (laisse|separe|quitte)s?",
                r"\b(rupture|divorc\w*|separation)\b",
                r"(mariage|fiancailles|noces|evenement|fete|party|soiree|bal|ceremonie|voyage|"
                r"spectacle|concert|gala|show|vacances|croisiere|bapteme|communion)"
                r" (est |sont |a ete |ont ete )?(annule|reporte|remis|tombe a l'eau|rompu)e?s?",
                r"\b(refuse|annule)\w* (mes|nos|ses|mon|notre) (vacances|voyage|conge)",
                # the answer to a proposal: « ma copine a dit non à ma demande »
                r"\b(a|m'a|ont) dit non\b",
                # no need for it: « j'en ai pas besoin de deux »
                r"\b(j'?en|on en) (ai|a) (pas|plus|pu) besoin\b|\b(ai|a) (pas|plus|pu) besoin "
                r"(de (deux|2|ca|cela|celui|celle|cette|ce|ces|la|le|les|l')\b|\s*[,.!?]|$)",
                # expected better, can't stand it any more
                r"\b(m'|m|je m'|jm|j'm)attendais (a|à) (mieux|plus)\b",
                r"\b(voir|sentir) en peinture\b",
                r"\btoo (heavy|flashy|much|bling)\b",
                r"(pas|plus|pu) (du tout )?aime|\baim(e|es|ait) (pu|pas|plus)\b",
                r"(ca|cela) (ne )?(me|lui) (va|convient|plait) pas",
                r"va pas (au|a mon|avec mon) teint",
                r"oreilles (ne sont )?pas percees|pas les oreilles percees",
                # not what the customer pictured, tired of it, liked less, had already
                r"pas (du tout )?(ce que|comme|a quoi) (j'|je )?(m'|l'|la |le |les )?(imaginais|"
                r"pensais|croyais|attendais|esperais|voyais)",
                r"\b(m'en|me) (suis )?lass(e|ee|es|ees)?\b|\bm'en lasse",
                r"\baim(e|es|ais|ait) (beaucoup |bien )?moins\b",
                r"\b(je|j) ?(ne |n')?(la|le|les|l') ?veu[xt] (pas|plus|pu|pus)\b",
                r"\b(j'|j )?ai deja (le|la|les|un|une) (meme|pareil|pareille|identique|semblable)",
                r"\b(decede|decedee|deces|est morte?)\b",
                r"en ai (deja )?(recu|eu|achete)( deja)? (un|une) (autre|pareil|pareille|identique|"
                r"semblable|similaire)",
                # money short: « mon budget a explosé », « je dois couper dans les dépenses »
                r"\b(plus|pas|pu|pus) (le |les )?(budget|moyens)\b|budget (du mois )?(a explose|"
                r"est serre|ne (me )?permet)|couper dans (les|mes|nos) depenses|"
                r"serrer (la|les) (ceinture|cordons)|couper partout|"
                r"perdu (son|mon|sa|notre) (emploi|job|travail|boulot)",
                # spoken French without « ne »: « il me plaît pas », « elle m'intéresse plus »
                r"\b(me|m'|lui|nous|leur) ?(plai[st]?|plaisent|interessen?t?|convienn?e?n?t) "
                r"(pas|plus|pu|pus)\b",
                # no use for it any more: « la croix ne servira pas », « elle n'en aura pas besoin »
                r"\bservir(a|ait|ont|aient) (pas|plus|pu|a rien)\b|"
                r"\bn'?(en )?aur(a|ai|ons|ont|ait) (pas|plus|pu) besoin\b",
                # not worth its price to the customer: « c'est pas worth it pour le prix »
                r"\bpas (vraiment |trop )?worth\b|(vaut|valait) pas (le prix|la peine|le coup)",
                # found better elsewhere: « nous avons trouvé des alliances chez un artisan »
                r"\btrouve (\w+ ){0,3}(ailleurs|chez (un|une) (autre|artisan|bijout\w*|joaill\w*))",
                # not allowed to wear it: « l'école vient d'interdire les bijoux »
                r"\binterdi\w*\b[^.!?]{0,30}\bbijoux\b|pas le droit de (les |la |le )?porter",
                # the occasion is over: « l'anniversaire de ma mère est passé »
                r"\b(anniversaire|fete|noel|occasion|saint-valentin)\b[^.!?]{0,30}\b(est|etait) "
                r"(deja )?(passee?|finie?)\b",
                r"(n'en|en) veux aucune?\b|\bni l'une? ni l'autre ne (me |lui |nous )?(va|vont|"
                r"plai\w*|convien\w*)",
            ),
        ),
    ),
]
REASON_ORDER = [label for label, _ in RETURN_REASONS]


def _arrived_broken(text: str, damage: list[Found]) -> bool:
    """Is a damage cue in a sentence that speaks of the arrival, with no time passed since?"""
    if TIME_PASSED.search(text) or any(
        not NOT_YET.search(text[: worn.start()]) for worn in WORN.finditer(text)
    ):
        return False
    for sentence in re.finditer(r"[^.!?]+", text):
        inside = [f for f in damage if sentence.start() <= f.start < sentence.end()]
        # « le crochet s'est ouvert »: the damage itself is no arrival
        arrival = [
            m
            for m in ARRIVAL.finditer(sentence.group(0))
            if not any(f.start <= sentence.start() + m.start() < f.end for f in inside)
        ]
        if arrival and inside:
            return True
    return False


# « si elle est trop grande, je peux la retourner ? », « au cas où il serait trop court »: a
# reason supposed, not given, up to the end of its clause (« même si elle est superbe »,
# « comme si on l'avait écrasée » and « s'il vous plaît » suppose nothing).
SUPPOSING = re.compile(
    r"(?<!meme )(?<!comme )\b(au cas ou|dans le cas ou|si jamais|si (elle|il|elles|ils|ca|"
    r"c'est|c|la|le|les|ma|mon|mes|sa|son|ses|on|je|j'ai)\b|s'ils?\b(?! vous pla| te pla))"
    r"(?:(?!\bmais\b)[^,.;!?])*"
)


# « le fermoir est tellement petit que je n'arrive pas à l'attacher. Changement d'idée je
# suppose »: the customer names the reason; what the other cues guessed gives way. A damage on
# arrival or a wrong item stays: the shop's fault is not the customer's change of mind.
MIND_CHANGED = re.compile(MIND_CHANGED_WORDS)
NAMED_OUTRIGHT_OVER = {"defective", "wrong_size"}


def _mind_changed_outright(simple: str, found: list[Found]) -> bool:
    return any(
        f.label == "changed_mind" and not f.negated and MIND_CHANGED.match(simple, f.start)
        for f in found
    )


def return_reason(doc: Any) -> tuple[str | None, list[str], list[str]]:
    """Why the item comes back (or None), the reasons the message denies and those it only
    supposes."""
    tables = [*RETURN_REASONS, ("damage", DAMAGE_CUES), ("defect", DEFECT_CUES)]
    simple = aligned_plain(doc.text)
    targets = [(m.start(), m.end()) for m in TARGET_SIZE.finditer(simple)]
    found = [f if f.label != "wrong_size" else _deny_inside(f, targets) for f in find(doc, tables)]
    suppositions = [(m.start(), m.end()) for m in SUPPOSING.finditer(simple)]
    if DISCLAIMED.search(simple):
        suppositions = [(0, len(simple))]
    supposed = [f for f in found if any(a <= f.start < b for a, b in suppositions)]
    found = [f for f in found if f not in supposed]
    positive = {f.label for f in found if not f.negated}
    labels = positive - {"damage", "defect"}
    if "defect" in positive:
        labels.add("damaged_on_arrival" if came_like_this(simple) else "defective")
    if "damage" in positive:  # broken on arrival is the shop's; broken later, a defect
        damage = [f for f in found if f.label == "damage" and not f.negated]
        labels.add("damaged_on_arrival" if _arrived_broken(simple, damage) else "defective")
    reason = next((label for label in REASON_ORDER if label in labels), None)
    if reason in NAMED_OUTRIGHT_OVER and _mind_changed_outright(simple, found):
        reason = "changed_mind"
    rename = {"damage": "damaged_on_arrival", "defect": "defective"}
    negated = {rename.get(f.label, f.label) for f in found if f.negated}
    # « si ça casse » supposes a break on arrival as well as later
    supposing = {"damage": {"damaged_on_arrival", "defective"}, "defect": {"defective"}}
    only_supposed = {
        label for f in supposed if not f.negated for label in supposing.get(f.label, {f.label})
    }
    return reason, sorted(negated - labels), [] if reason else sorted(only_supposed)


# --- What the customer wants ---------------------------------------------------------------

PREFERENCES: list[tuple[str, Cues]] = [
    (
        "store_credit",
        Cues(
            phrases=(
                r"credits? (en |d'|de )?(magasin|boutique|achat)",
                r"\bavoir\b(?= (en|sur|a|pour|de|d'))",
                r"\b(un|mon|d'un|cet|l') ?avoir\b",  # the noun (France): « un avoir »
                r"bons? d'achat|\bbons? (pour (acheter|commander|choisir|prendre|un autre|une "
                r"autre|autre chose))",
                r"credit (sur|dans|a) (mon|votre) compte",
                r"(en|sous forme de) carte[- ]cadeau",
                r"(?<!carte de )\bcredit\b(?! (sur|a) (ma|la|mon) (carte|visa|mastercard))",
            ),
        ),
    ),
    (
        "exchange",
        Cues(
            words=("echang*", "troqu*"),
            phrases=(
                r"contre (un|une) (autre|plus)",
                r"(autre|plus (petite|grande)) taille",
                r"\b(la|le|les|l') ?chang(er|e|ez)? (pour|contre)\b",
                r"\bchang(er|e|ez)? (pour|contre) (un|une|la|le) (taille|autre|modele|couleur)",
                # « je peux changer ? », « puis-je la changer » said by the customer of the piece
                # (« vous pouvez la changer » is said of an address as often)
                r"\b(je (peux|pourrais|voudrais|veux|souhaite)|puis-je|pourrais-je|on (peut|"
                r"pourrait)|j'aimerais) (la |le |les |l')?changer( (pour|contre)\b|\s*[?!.]|\s*$)",
                # the other piece costs more: « je paie la différence »
                r"\b(paie|paye|paierai|payerai|payer|paierais|regle|reglerai) (la difference|"
                r"le supplement|l'ecart)",
                # another size asked for by its number: « il me faudrait la 21 cm »
                r"\b(faudrait|voudrais|veux|aimerais|prendrais|avoir|souhaite|besoin d') "
                r"(une?|la|le|les|du) (taille |grandeur |pointure |longueur )?(de |en )?\d+",
                r"\b(la|le|les) meme en (taille |grandeur |pointure |longueur )?\d+",
                # the same model in another metal or colour: « la même en argent »
                r"\b(la|le|les) meme (mais )?en (or|argent|rose|blanc|jaune|platine|acier|dore|"
                r"plus (petit|grand|court|long))",
            ),
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
                r"(un|une) autre (\w+ )?(identique|pareil|pareille|semblable)\b|autre exemplaire",
                r"\b(la|le|les|du|de la) (meme|mm)\b(?! (taille|semaine|jour|fois|prix|chose que|"
                r"en (taille |grandeur |pointure |longueur )?\d|(mais )?en (or|argent|rose|blanc|"
                r"jaune|platine|acier|dore|plus)\b))",
            ),
        ),
    ),
    (
        "refund",
        Cues(
            words=("rembours*",),
            phrases=(
                r"(mon|mes|notre) (argent|sous|fric|cash|piasses|piastres)",
                r"ravoir (mon|mes) (argent|sous)",
                r"(sur|a) (ma|la|mon) (carte|compte bancaire|visa|mastercard)",
                r"carte de credit|mode de paiement",
                r"(tout|rendez|remettez|retournez|redonnez|ravoir)(-moi| moi)? (tout )?l'argent",
            ),
        ),
    ),
]
PREFERENCE_ORDER = [label for label, _ in PREFERENCES]
# What comes right after these is turned down: « plutôt qu'un remboursement », « au lieu
# d'un échange », « gardez votre remplacement ».
INSTEAD = re.compile(
    r"\b((au lieu|a la place|pas|gardez|garder)( |')*|plutot (que|qu)( |')+)((que|qu|de|du|des|"
    r"d|un|une|la|le|les|l|me|m|en|votre|vos|ton|ta|etre)( |'|$)+)*$"
)
# « je voudrais échanger le bracelet, mais je veux être remboursée », « un échange ou plutôt
# un remboursement »: what comes after the correction is what the customer settles on.
CORRECTION = re.compile(r"\b(mais|finalement|plutot|en fait|je prefere|j'aimerais mieux)\b")
# « j'aimerais mieux un avoir qu'un remboursement »: the second term of the comparison.
COMPARED = re.compile(
    r"\b(mieux|plutot|prefer\w*)\b[^.!?]*\bqu(e |')(un |une |le |la |les |l'|des |du |d')?$"
)


def preference(doc: Any) -> tuple[str | None, list[str]]:
    """The outcome the customer asks for (None when denied, absent or offered as a choice), and
    the outcomes they turn down (« un remplacement, pas un remboursement »)."""
    found = find(doc, PREFERENCES)
    simple = aligned_plain(doc.text)
    kept = [f for f in found if not f.negated and not _turned_down(simple, f.start)]
    labels = []
    for f in sorted(kept, key=lambda f: f.start):
        if f.label not in labels:
            labels.append(f.label)
    denied = sorted({f.label for f in found} - set(labels))
    if not labels:
        return None, denied
    if len(labels) > 1 and _offered_as_choice(simple, kept):
        return _answered_after_question(simple, kept), denied
    return _settled_on(simple, kept) or labels[0], denied


def _settled_on(simple: str, kept: list[Found]) -> str | None:
    """The last outcome stated after a correction that follows a different one."""
    ordered = sorted(kept, key=lambda f: f.start)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.label != earlier.label and CORRECTION.search(simple[earlier.end : later.start]):
            return ordered[-1].label
    return None


def _turned_down(simple: str, start: int) -> bool:
    before = simple[max(0, start - 30) : start]
    sentence = simple[max(simple.rfind(mark, 0, start) for mark in ".!?") + 1 : start]
    return bool(INSTEAD.search(before) or COMPARED.search(sentence))


def _answered_after_question(simple: str, kept: list[Found]) -> str | None:
    """« sur la carte ou en crédit ? Moi je voudrais sur la carte »: the choice stated after
    the question."""
    question_end = simple.rfind("?")
    after = sorted((f for f in kept if f.start > question_end >= 0), key=lambda f: f.start)
    return after[0].label if after else None


def _offered_as_choice(simple: str, kept: list[Found]) -> bool:
    """« remboursement ou crédit ? »: options asked about, no choice stated."""
    ordered = sorted(kept, key=lambda f: f.start)
    return any(
        re.search(r"\bou\b(?! (bien )?plutot)", simple[a.end: b.start]) and a.label != b.label
        for a, b in zip(ordered, ordered[1:], strict=False)
    )  # fmt: skip
