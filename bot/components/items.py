"""Which order lines the customer names: « les boucles », « la bague en or », « le pendentif
gravé », with or without accents, singular or plural.

The NLU side (`item_mentions`) finds jewellery nouns by their spaCy lemma and adds the words
the dependency parse attaches to them (adjectives, « en or », « d'oreilles », « à perles »);
a mention the customer excludes (« pas le collier », « sauf la bague », « je garde la
chaîne ») gets the role `excluded`. Each mention's value is its key: the words' plain
(accent-free) singular forms. The action side (`resolve_items`, no spaCy) keys the verified
order's line names the same way and matches: the noun must be in the line's name, the other
words narrow the choice; when several lines still match, the customer is asked which one.

Without a jewellery noun, a line is also named by what tells it apart: a descriptor after a
determiner (« la verte », « les perles », « la lune », « la torsadée »: value « ~ vert »,
matched against the lines' words, a colour standing for its gems), « l'autre » (value
« __other__ »: the lines no other mention names) or a rank (« la deuxième bague »: value
« __nth__ 2 bague », in the order's order). A descriptor that fits no line names nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from typing import Any

from components.addresses import STREET_TYPES_FR
from components.negation import aligned_plain, plain, segment_ids

ALL = "__all__"  # « tout », « toute la commande »
BOTH = "__both__"  # « les deux », « toutes les deux »: the pieces named, else the whole order
EXCLUDED = "excluded"  # « sauf le collier », « je garde la bague »
EVERY = "every"  # « les deux bagues », « les joncs »: every line the noun fits, no question
WORDS = "words"  # the message's content words, when it names no jewellery noun
PRAISED = "praised"  # « la chaîne est parfaite »: left out when another piece is named
ONLY = "only"  # « juste le bracelet », « c'est l'alliance qui… »: this one and no other
# The message's content words beside its jewellery nouns: « le spinelle s'est détaché de la
# bague » tells which of two rings; they only break a tie between the lines a noun fits.
CONTEXT = "context"
# « on m'a envoyé un pendentif hibou à la place du colibri »: the piece that came instead of the
# one named after it; a line only when nothing else names one.
RECEIVED = "received"
# « le pendentif ange était pour ma mère, c'est le bracelet qui est cassé »: a piece named
# beside others that the message is unlikely to be about (components/item_focus.py); like a
# piece received instead, a line only when nothing else names one.
ASIDE = "aside"
IN_PASSING = {RECEIVED, ASIDE}
# « celle en argent », « celui plaqué or »: a demonstrative standing for a jewellery noun of
# its gender; the value starts with one of these, resolved against the lines' head nouns.
PRONOUNS = {"celui": "m", "ceux": "m", "celle": "f", "celles": "f"}
# Jewellery nouns (plain singular) and the names a line may use for the same thing.
ITEM_NOUNS: dict[str, set[str]] = {
    "bague": {"bague", "anneau", "alliance", "solitaire", "chevaliere"},
    "anneau": {"anneau", "bague", "alliance", "creole"},  # « anneaux dorés »: hoops too
    "alliance": {"alliance", "anneau", "bague"},
    "solitaire": {"solitaire", "bague"},
    "chevaliere": {"chevaliere", "bague"},
    "collier": {"collier", "chaine", "sautoir", "pendentif"},
    "chaine": {"chaine", "chainette", "collier"},
    "chainette": {"chainette", "chaine", "collier"},
    "sautoir": {"sautoir", "collier"},
    "pendentif": {"pendentif", "medaillon", "medaille", "collier"},
    "medaillon": {"medaillon", "medaille", "pendentif"},
    "medaille": {"medaille", "medaillon", "pendentif"},
    "ras": {"ras", "collier"},  # « ras-du-cou », « ras de cou »: the choker
    "boucle": {"boucle"},
    "puce": {"puce", "boucle"},
    "clou": {"clou", "puce", "boucle"},
    "creole": {"creole", "boucle"},
    "dormeuse": {"dormeuse", "boucle"},
    "pendant": {"pendant", "pendante", "boucle"},  # « les pendants opale »: earrings
    "pendante": {"pendante", "pendant", "boucle"},
    "bracelet": {"bracelet", "jonc", "gourmette", "manchette"},
    "jonc": {"jonc", "bracelet"},
    "gourmette": {"gourmette", "bracelet"},
    "manchette": {"manchette", "bracelet"},
    "cuff": {"cuff"},  # « l'ear cuff »; without one in the order, a cuff bracelet (FALLBACK_NOUNS)
    "climber": {"climber"},  # « l'ear climber »
    "clip": {"clip", "boucle"},  # « les clips d'oreilles »
    "montre": {"montre"},
    "broche": {"broche"},
    "breloque": {"breloque", "charm"},
    "charm": {"charm", "breloque"},
    "carte": {"carte"},
    "parure": {"parure", "ensemble"},
    "piercing": {"piercing"},
    "epingle": {"epingle"},
    "chevillere": {"chevillere", "cheville"},  # « Chaîne de cheville plaqué or »
    "crucifix": {"crucifix", "croix"},  # « le crucifix »: the cross pendant
    "bouton": {"bouton"},  # « les boutons de manchette »: cufflinks, no bracelet
}
# Grammatical gender of each jewellery noun, for « celle en argent » / « celui en or ».
FEMININE = {"bague", "alliance", "chevaliere", "chaine", "chainette", "boucle", "puce", "creole",
            "dormeuse", "gourmette", "manchette", "montre", "broche", "breloque", "carte",
            "parure", "epingle", "medaille", "pendante", "chevillere"}  # fmt: skip
# Sold and named in pairs: the plural says nothing about how many lines are meant.
PAIRS = {"boucle", "puce", "clou", "creole", "dormeuse", "pendant", "pendante", "clip"}
# Kinds of earrings: « les créoles » are not a line of « Boucles d'oreilles clous ».
EAR_KINDS = {"puce", "clou", "creole", "dormeuse", "grimpante", "pendante", "pendant", "clip"}
# Materials and colours that name a line's metal even where the tagger reads « or » as a
# conjunction (« la bague en or »).
MATERIALS = {"or", "argent", "platine", "acier", "titane", "cuivre", "laiton", "vermeil",
             "rose", "blanc", "jaune", "noir", "dore", "argente", "plaque"}  # fmt: skip
# The shapes a piece is made in: « les boucles en forme de lune ».
MOTIFS = ("lune", "etoile", "coeur", "trefle", "papillon", "croix", "infini", "soleil", "fleur",
          "plume", "ange", "ancre", "abeille", "colibri", "hibou", "arbre", "noeud", "cle",
          "serpent", "libellule")  # fmt: skip
# What a line is told apart by when the customer names it without its noun: « la torsadée »,
# « la verte », « les perles », « la lune », « la blanche avec la gravure ». Each base form
# (masculine singular, plain) with the words a line's name may use for it: a colour names the
# gems of that colour, a letter the initial.
DESCRIPTORS: dict[str, set[str]] = {
    # colours and metals
    "vert": {"vert", "emeraude", "jade", "peridot"},
    "rouge": {"rouge", "rubis", "grenat"},
    "bleu": {"bleu", "saphir", "topaze", "turquoise", "aigue", "tanzanite"},
    "violet": {"violet", "amethyste"},
    "mauve": {"mauve", "amethyste"},
    "blanc": {"blanc", "perle", "nacre"},
    "noir": {"noir", "onyx"},
    "rose": {"rose", "morganite", "quartz"},
    "jaune": {"jaune", "or", "dore", "citrine"},
    "dore": {"dore", "or", "jaune"},
    "argente": {"argente", "argent"},
    "or": {"or", "dore"},
    "argent": {"argent", "argente", "sterling"},
    "acier": {"acier"},
    "platine": {"platine"},
    "titane": {"titane"},
    "cuir": {"cuir"},
    "cordon": {"cordon"},
    "plaque": {"plaque"},
    "vermeil": {"vermeil"},
    # gems and pearls
    **{gem: {gem} for gem in ("perle", "nacre", "diamant", "emeraude", "rubis", "saphir",
                              "amethyste", "topaze", "opale", "grenat", "onyx", "turquoise",
                              "quartz", "jade", "citrine", "peridot", "zircon", "cristal",
                              "morganite", "tanzanite", "moissanite", "aigue", "tourmaline",
                              "labradorite", "agate", "ambre", "malachite", "spinelle", "camee",
                              "cornaline", "hematite", "obsidienne", "jaspe", "aventurine",
                              "rhodolite", "tsavorite", "kunzite", "iolite", "corail", "lave",
                              "tigre")},
    # « les brillants », « le scintillant »: the sparkling stones, whatever the invoice says
    "brillant": {"brillant", "diamant", "zircon", "moissanite", "cristal", "strass"},
    "scintillant": {"scintillant", "brillant", "diamant", "zircon", "moissanite", "cristal",
                    "strass"},
    **{motif: {motif} for motif in MOTIFS},
    "goutte": {"goutte", "larme", "poire"},  # a teardrop, whatever the invoice calls it
    "larme": {"larme", "goutte", "poire"},
    "lettre": {"lettre", "initiale"},
    "nom": {"nom", "prenom"},  # « celui avec le nom »: the name necklace
    "prenom": {"prenom", "nom"},
    "initiale": {"initiale", "lettre"},
    # making and style
    **{style: {style} for style in ("torsade", "martele", "grave", "tresse", "venitien",
                                    "forcat", "tennis", "rigide", "pendant", "maille",
                                    "eternite", "filigrane", "cisele", "pave", "marquise",
                                    "halo", "lapis", "grimpant", "esclave", "figaro",
                                    "cocktail", "trilogie", "chandelier", "milanais",
                                    "jaseron", "multirang", "lisse", "solitaire")},
    "email": {"email", "emaille"},
    # the English words of Montréal French (ENGLISH_DESCRIPTORS)
    "gold": {"or", "dore", "jaune"},
    "silver": {"argent", "argente", "sterling"},
    "white": {"blanc"},
    "yellow": {"jaune"},
    "black": {"noir"},
    "sapphire": {"saphir"},
    "diamond": {"diamant"},
    "pearl": {"perle"},
    "emerald": {"emeraude"},
    "ruby": {"rubis"},
    "twisted": {"torsade"},
    "hammered": {"martele"},
    "engraved": {"grave"},
    "engagement": {"fiancaille"},
    "cross": {"croix"},
    "heart": {"coeur"},
    "star": {"etoile"},
    "moon": {"lune"},
}  # fmt: skip
# « la gold chain », « the ring with the sapphires », « le twisted bangle »: English words
# before the noun, which the French parse does not attach to it.
ENGLISH_DESCRIPTORS = {"gold", "silver", "white", "yellow", "black", "sapphire", "diamond",
                       "pearl", "emerald", "ruby", "twisted", "hammered", "engraved",
                       "engagement", "cross", "heart", "star", "moon"}  # fmt: skip
# Irregular feminine forms of the descriptors; the others take « e ».
DESCRIPTOR_FEMININE = {"blanche": "blanc", "venitienne": "venitien", "emaillee": "email",
                       "violette": "violet",
                       "emaillees": "email", "aigue-marine": "aigue",
                       "aigues-marines": "aigue"}  # fmt: skip
# Nouns that name no line but carry its descriptors: « la pierre verte », « le modèle torsadé ».
DESCRIBED_HEADS = {"pierre", "modele", "version"}
# Determiners before a descriptor used as a noun (« la verte », « les perles »).
DEFINITE_ARTICLES = {"le", "la", "les", "l'"}
DESCRIBING_DETERMINERS = ("le", "la", "les", "l'", "ma", "mon", "mes", "cette", "ce", "ces",
                          "cet", "sa", "son", "ses")  # fmt: skip
DESCRIBED = "~"  # the value of a mention by descriptor starts with it: « ~ torsade »
OTHER = "__other__"  # « l'autre », « les autres »: the lines the customer did not name
# « la première bague », « le dernier bracelet »: the line at that rank among those of the noun
# (the value gets « #1 », « #-1 »).
RANK = "#"
# Sizes said before a descriptor used as a noun: « la petite verte ».
SIZE_WORDS = {"petit", "petite", "petits", "petites", "ptit", "ptite", "ptits", "ptites",
              "grand", "grande", "grands", "grandes", "gros", "grosse", "grosses"}  # fmt: skip


def _descriptor_forms() -> dict[str, str]:
    """Every written form (plain) of each descriptor: feminine and plural."""
    forms: dict[str, str] = {}
    for base in DESCRIPTORS:
        for form in (base, base + "e", base + "s", base + "es", base + "x"):
            forms.setdefault(form, base)
    for feminine, base in DESCRIPTOR_FEMININE.items():
        forms[feminine] = forms[feminine + "s"] = base
    forms.pop("ore", None), forms.pop("ors", None)  # « ore » is no word for gold
    return forms


DESCRIPTOR_FORMS = _descriptor_forms()
# « mon argent », « l'argent »: money far more often than the metal of a piece.
NOT_ALONE = {"argent"}
DESCRIPTOR_HEADS = {form: base for form, base in DESCRIPTOR_FORMS.items() if base not in NOT_ALONE}
DESCRIBED_PATTERN = re.compile(
    r"(?<![\w'])("
    + "|".join(re.escape(d) for d in DESCRIBING_DETERMINERS)
    + r"|l)\s*(("
    + "|".join(SIZE_WORDS)
    + r") )?("
    + "|".join(sorted([*DESCRIPTOR_HEADS, *DESCRIBED_HEADS], key=len, reverse=True))
    + r")s?\b"
)
NTH = "__nth__"  # « la première », « la dernière »: « __nth__ 1 », « __nth__ -1 »
# Ranks; « la deuxième bague » is the noun's mention with « #2 » (RANK).
ORDINALS = {"premier": 1, "premiere": 1, "1er": 1, "1re": 1, "1ere": 1, "deuxieme": 2,
            "second": 2, "seconde": 2, "2e": 2, "2eme": 2, "troisieme": 3, "3e": 3, "3eme": 3,
            "quatrieme": 4, "4e": 4, "dernier": -1, "derniere": -1}  # fmt: skip
# « la première fois », « le premier jour »: no piece.
NOT_A_PIECE = {"fois", "jour", "semaine", "soir", "matin", "cote", "bout", "main", "moitie",
               "annee", "mois", "nuit", "commande", "message", "courriel", "etape", "chose",
               "colis", "boite", "photo", "lettre", "taille", "essai"}  # fmt: skip
ORDINAL_PATTERN = re.compile(r"(?<![\w'])(le|la|les|l')\s*(" + "|".join(ORDINALS) + r")s?\b")
# « celui en haut de la facture », « celle du bas de la liste »
LIST_PLACES = {"haut": 1, "bas": -1}
LIST_WORDS = {"facture", "liste", "commande", "bon", "recu", "confirmation", "courriel"}
# « celle du milieu », « la bague du milieu »: the middle one of an odd number of lines, a
# rank no line has.
MIDDLE = 99
PLACE_PATTERN = re.compile(r"\b(en|du) (haut|bas) d|\b(du|au) milieu\b")
# « la 45 m'étrangle », « échanger la 60 »: a chain or a hoop by its length or width alone
MEASURE_ALONE = "__measure_"
MEASURE_ALONE_PATTERN = re.compile(r"(?<![\w'])(le|la|les|l')\s*\d{1,3}\b")
MONTHS = {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
          "octobre", "novembre", "decembre"}  # fmt: skip
# « le 12 janvier », « le 92 rue des Érables », « les 30 jours »: a date, an address, a count
NOT_A_MEASURE_AFTER = {
    *MONTHS, "jours", "jour", "ans", "mois", "semaines", "heures",
    "minutes", "dollars", "euros", "$", "%", *STREET_TYPES_FR.split("|"),
}  # fmt: skip
# « l'article numéro 3 », « la ligne #2 »: a line by its place on the invoice
NUMBER_SIGNS = {"numero", "no", "n", "num", "#", "n°"}
LINE_NUMBER_PATTERN = re.compile(
    r"\b(article|ligne|item|produit)s? (n[o°]?|num|numero|#)?\.? ?\d\b"
)
RECIPROCAL_BEFORE = {"de", "contre", "dans", "sur", "a", "avec", "par", "sous"}
COMPARING_BEFORE = {"comme", "que", "qu'"}
# « l'un des péridots… l'autre », « une des boucles… l'autre »: the other one of those named
THE_ONE_BEFORE = re.compile(r"\b(l'une?|une?) (des|d'entre|de mes|de ces|de les)\b|\bl'une?\b")
OTHER_PATTERN = re.compile(r"\b(l'|les |la |le )autres?\b")
# « l'autre jour », « l'autre fois »: no piece.
OTHER_NOT_A_PIECE = NOT_A_PIECE | {"oreille"}
# « l'autre article »: words that stand for any piece.
ANY_PIECE = {"article", "bijou", "piece", "modele", "item", "produit", "truc", "chose", "morceau"}
# « les autres articles de la commande vont très bien »: words between a piece and what is
# said of it.
LISTED_WITH_THE_PIECE = ANY_PIECE | {"commande"}
# « la dernière ligne », « le deuxième article »: a rank among all the order's lines.
ANY_LINE = {"article", "ligne", "item", "produit"}
# « celui de la photo », « celles du site », « ceux de ma facture »: the piece ordered, whatever
# it is; such words tell no line apart.
ORDER_WORDS = {"photo", "photos", "site", "facture", "commande", "catalogue", "annonce", "image"}
# What « celle de… » may be said of that is no piece: the order, its photo, its month.
DATED_WORDS = ORDER_WORDS | MONTHS
ORDER_NUMBER = re.compile(r"[a-z]{1,3}-?\d{4,}")
# Typed jewellery nouns this long are recognised one letter off (« braclet », « pendantif »).
FUZZY_MIN = 6
# Words one letter from a jewellery noun that are words of their own (« monture », « boule »).
NOT_MISSPELT = {"boule", "bouche", "monture", "coller", "montee", "manchot"}
KNOWN_FORMS = 50_000  # distinct words whose jewellery noun is kept
# Words that do not tell one line from another.
STOPWORDS = {
    "le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "en", "a", "au", "aux", "et",
    "avec", "pour", "mon", "ma", "mes", "ce", "cet", "cette", "ces", "son", "sa", "ses",
    "votre", "vos", "notre", "nos", "sur", "par", "qui", "que", "petit", "petite", "joli",
    "jolie", "beau", "belle", "nouveau", "nouvelle", "commande", "commandee", "recu", "recue",
    "deux", "autre", "meme", "seul", "seule", "seulement", "juste", "aussi", "lieu", "place",
    "oreille",  # « boucles d'oreilles » is the kind, not one pair among others
}  # fmt: skip
ALL_PATTERNS = re.compile(
    r"\b(tout retourner|tout renvoyer|tout annuler|tout le lot|"
    r"le tout\b(?! (petit|petite|premier|premiere|dernier|derniere|neuf|nouveau|debut))|"
    r"(l'ensemble|le lot|la commande|ma commande) au complet|"
    r"toute la commande|toute ma commande|la commande (au )?complete|la commande entiere|"
    r"tous les (articles|bijoux)|(l'ensemble|l'integralite|la totalite) de (la|ma) commande|"
    r"tout echanger|tout sauf|"
    # « le tennis, je le garde. Tout le reste repart »; not « tout le reste, je le garde »
    r"(tout )?le reste de (la|ma) commande\b(?![^.!?]{0,20}\b(gard|conserv))|"
    r"tout le reste\b(?![^.!?]{0,20}\b(gard|conserv))|"
    # « tout est arrivé en bon état » says how everything came, not what comes back
    r"^tout\b(?! (est|etait|etaient|s'est|m'est|va|allait|semble|semblait|me plait|a l'air)\b)|"
    r"(annul|retourn|renvo|echang|rembours)\w* tout\b)"
)
BOTH_PATTERNS = re.compile(
    r"\b(les deux|tous les deux|toutes les deux|"
    r"(les|mes|ces) (\d|deux|trois|quatre|cinq) (articles|bijoux|pieces))\b"
    # « les 3 », « tous les 2 » said alone, in answer to « lequel ? »
    r"|^\W*((tous|toutes) )?les (\d|trois|quatre|cinq)\W*$"
)
ONE_OF = r"\b(plus \w+|moins \w+|une|un|laquelle|lequel) (des|d'entre (les|mes)) "
ONE_OF_BEFORE = re.compile(ONE_OF + "$")
ONE_OF_NOUN_BEFORE = re.compile(ONE_OF + r"((deux|trois|quatre|\d) )?$")
# « la 4 mm », « l'or 14 carats »: a measure's number tells lines of one kind apart.
MEASURE = re.compile(r"\b(\d+(?:[.,]\d+)?) ?(mm|cm|carats?|kt?)\b")
# What makes a piece larger or smaller: a length or a width, never the gold's carats
SIZE_MEASURE = re.compile(r"\b(\d+(?:[.,]\d+)?) ?(mm|cm|po)\b")
RING_SIZE = re.compile(r"\btaille (\d+(?:[.,]\d+)?)\b")
# « la plus large des deux », « la fine », « les petites créoles »: the larger or the smaller
# measure (the value gets LARGER or SMALLER).
LARGER, SMALLER = "__larger__", "__smaller__"
SIZE_DIRECTION = {
    **{word: LARGER for word in ("grand", "grande", "grands", "grandes", "gros", "grosse",
                                 "grosses", "large", "larges", "long", "longue", "longs",
                                 "longues", "epais", "epaisse", "epaisses", "big", "maxi")},
    **{word: SMALLER for word in ("petit", "petite", "petits", "petites", "ptit", "ptite",
                                  "ptits", "ptites", "fin", "fine", "fins",
                                  "fines", "mince", "minces", "court", "courte", "courts",
                                  "courtes", "etroit", "etroite", "etroites", "mini", "small")},
}  # fmt: skip
LENGTH_WORDS = {"long", "longue", "longs", "longues", "court", "courte", "courts", "courtes"}
LENGTH_UNITS = {"cm", "po"}
SIZE_PATTERN = re.compile(
    r"(?<![\w'])(le|la|les|l')\s*(plus )?(" + "|".join(SIZE_DIRECTION) + r")\b"
)
FOCUS_BEFORE = re.compile(
    r"(\b(juste|seulement|uniquement|rien que)|\b(c'est|c est|ce sont|c) (pour |a )?)"
    r" ?(le |la |les |l'|un |une |mon |ma |mes |mon |son |sa )?$"
)
# « rien à redire sur le jonc et la gourmette », « aucun souci avec la chaîne »
NOTHING_TO_SAY_BEFORE = re.compile(
    r"\b(rien a (redire|dire|signaler)|aucun (souci|probleme)|pas de (souci|probleme)) "
    r"(sur|pour|concernant|avec|quant a)\b[^.;!?,]{0,40}$"
)
FOCUS_WORD_BEFORE = re.compile(
    r"\b(juste|seulement|uniquement|rien que) ?(le |la |les |l'|mon |ma |mes )?$"
)
CLEFT_BEFORE = re.compile(r"\b(c'est|c est|ce sont|c) (pour |a )?(le |la |les |l'|mon |ma |mes )?$")
CLEFT_AFTER = re.compile(r"^[^,.;!?]{0,30}?\bqu(i|e|')")
# « elle ne tient plus sur le bracelet »: the piece it sits on is a place, not the one meant.
PLACE_BEFORE = re.compile(
    r"\b(est|sont|etait|tient|tiennent|tenait|accroche\w*|attache\w*|pend|pendent|enfile\w*)"
    r"( plus| pas| bien| toujours)? (sur|dans|a|au) (le |la |les |l'|mon |ma |mes |son |sa |ses )?$"
)
# « la chaîne est trop courte pour le pendentif croix »: the piece measured against.
TOO_X_FOR = re.compile(r"\btrop (\w+ ){1,2}pour (le |la |les |l'|mon |ma |mes |son |sa |ses )?$")
# « je peux pas le passer sur la chaîne »: the piece another goes on, set aside when another
# piece is named (what came off one, « la perle est sortie de la bague », is that piece).
GOES_ON_BEFORE = re.compile(
    r"\b(passer|mettre|glisser|enfiler) (sur |dans )(le |la |les |l'|mon |ma |mes |son |sa |ses )?$"
)
# « mon fils aime mieux la gourmette », « elle préfère le jonc »: the piece liked better stays;
# not « je préfère le collier en argent », often the piece wanted instead.
PREFERRED_BEFORE = re.compile(
    r"(\b(aime|aimait|aiment) (mieux|plus|beaucoup plus|bien plus)|(?<!je )\b(prefere|preferait"
    r"|preferent)) (finalement |encore )*(le |la |les |l'|son |sa |ses |mon |ma |mes )$"
    # « j'adore mon collier prénom », « elle aime beaucoup la bague »
    r"|\b(j'?adore|adore|aime (beaucoup|bien|vraiment)) (vraiment )?(le |la |les |l'|son |sa |ses "
    r"|mon |ma |mes )$"
)
# « contre les créoles », « en échange du collier »: a piece asked for, not one sent back.
# (« par contre » is « however »)
EXCHANGED_FOR = re.compile(r"\b((?<!par )contre|en echange d(e|u|es|'))(\s+[^,.;!?\s]+){0,3}\s*$")
ORDERED_AFTER = re.compile(
    r"^[^,.;!?]{0,25}?\bqu(e |')(j'|j |on |nous )?(ai|avais|a|avons|avions) "
    r"(commande|choisi|paye|demande|pris|selectionne|vu)"
    # « pas la perle foncée de la photo », « pas celle du site », « de ma commande »
    r"|^[^,.;!?]{0,25}?\b(de la photo|du site|sur le site|de ma (commande|facture)|"
    r"de la (commande|facture)|commandee?s?)\b"
)
EXCLUDING_WORDS = {"sauf", "excepte", "hormis", "part"}  # « à part »
KEEPING_STEMS = ("gard", "conserv")
# A preposition between a negation and a noun: « pas avec ma bague », « pas pour le collier ».
NOT_EXCLUDING_LINKS = {"avec", "pour", "sur", "dans", "a", "au", "aux", "chez"}
NONE_OF = {"aucun", "aucune"}
ADJACENT_NEGATORS = {"pas", "ni", "non", "jamais", *NONE_OF}
# « ma blonde aime pas le collier », « je voulais pas la manchette martelée mais une lisse »: a
# negated liking or wanting says what is wrong with the piece, the piece is the one meant.
DISLIKING_STEMS = ("aim", "ador", "appreci", "kiff", "tripp", "voul", "support")
AFTER_WINDOW = 8
# « ah non les boucles », « non non, la bague »: a « non » that opens the message corrects what
# the assistant understood; the piece after it is the one meant.
CORRECTION_OPENERS = {"ah", "oh", "euh", "heu", "ben", "bah", "mais", "oups", "oops", "non"}
# « la chevillère, le reste je garde / les autres sont parfaits »: what follows is said of the
# other pieces.
OTHERS = r"(le reste|les autres|le restant)"
OTHERS_NAMED = re.compile(r"\b" + OTHERS + r"\b")
OTHERS_SAID = re.compile(r"^\W*(tout )?(" + OTHERS + r"|l'autre)\b")
KEPT_AFTER = re.compile(
    r"\b((je |on )?(le|la|les|l') ?|jle |jla |jles )"
    r"(garde|gardes|gardons|conserve|conserverai|garderai|ai encore|ai toujours)\b"
    r"|\b(je|on) (garde|conserve)\s*$"  # « la bague pis les puces je garde »
)
# What is said of every piece listed before it: « la bague et le collier sont… / restent… /
# je garde ».
SAID_OF_THE_LIST = re.compile(
    r"\b(les|sont|vont|etaient|restent|resteront)\b|\b(je|on) garde$"
    # « le cordon et la carte-cadeau, aucun problème »
    r"|^(,\s*)?(aucun (souci|probleme)|pas de (souci|probleme)|rien a (signaler|dire|redire)|"
    r"ok|okay|nickel|impeccables?|parfaite?s?|ca va)\s*$"
)
# « le bracelet et la chaîne restent chez moi »
STAYS_AFTER = re.compile(
    r"\b(reste|restent|restera|resteront|peut rester|peuvent rester) "
    r"(ici|chez (moi|nous)|avec moi|a la maison)\b"
)
REFUSED_AFTER = re.compile(
    r"(non|pas)( merci)?|(reste|restent)"
)  # « toutes les boucles, le bracelet non »
FINE_AFTER = re.compile(
    r"^(,\s*)?((lui|elle|eux|elles),?\s+)?(elle |il |eux |elles |ils |eux,? ils )?"
    r"(est|sont|etait|etaient|c'est|ca|va|vont|is|fait|font|(me|lui|nous|te) (va|vont|plait"
    r"|plaisent|fait|font))?"
    r"\s*(tres |vraiment |super |bien |tout a fait |juste )?"
    r"(parfait|parfaite|parfaits|parfaites|correct|correcte|corrects|correctes|impeccable|"
    r"impeccables|nickel|ok|beau|belle|beaux|belles|bien|conforme|conformes|top|magnifique|"
    r"magnifiques|super|superbe|superbes|ravissante?s?|bon|bonne|bons|bonnes|genial|geniale|"
    r"parfaitement|sublime|sublimes|okay|intacte?s?|cute|correspond|correspondent|perfect|fine"
    r"|great)\b"
    r"(?!\s+trop\b)"  # « sont bien trop grandes »
    # « les chaînes, ça va », « la broche, rien à signaler », « les pendantes sont en ordre »
    r"|^(,\s*)?(ca va( bien| aller)?|c'est bon|rien a (signaler|dire)|(est|sont) en ordre|"
    r"(n'a|n'ont) rien|correspond|correspondent|(est|sont) (le|la|les) bon(ne)?s?|"
    r"aucun (souci|probleme)|pas de (souci|probleme)|rien a redire)\s*$"
    # « la jaune je l'adore », « le jonc me va », « les petites je les aime »
    r"|^(,\s*)?((je|j'|on|elle|il) ?(l'|les |la |le )?(adore|aime|kiffe|trippe)|"
    r"(me|lui|nous|te) (va|vont|plait|plaisent)( (tres |vraiment )?bien| parfaitement)?)\s*$"
)
# Words that start what is said of a piece, never part of its name.
SAID_OF_IT = {"aucun", "aucune", "pas", "rien", "jamais", "non", "oui", "ouais", "reste", "restent",
              "ok", "okay", "nickel"}  # fmt: skip
COORDINATION = {"et", ",", "pis", "ni", "ou", "puis", "+", "&"}
# Words that name no line on their own when the message names no jewellery noun.
GENERIC_WORDS = {
    "argent",
    "or",
    "rose",
    "blanc",
    "blanche",
    "dore",
    "doree",
    "plaque",
    "carat",
    "commande",
    "article",
    "bijou",
    "piece",
    "taille",
    "couleur",
    "cadeau",
}
MODIFIER_RELATIONS = {"amod", "nmod", "compound", "flat:name", "appos", "acl", "nummod"}
MODIFIER_WINDOW = 4
LINKING_WORDS = {"en", "de", "d'", "d", "a", "au", "aux", "avec", "du", "des"}
STOP_POS = {"PUNCT", "CCONJ", "SCONJ", "PRON", "AUX"}


# Plurals the rules below miss, and words ending in « x » that are singular.
SINGULARS = {"clous": "clou", "onyx": "onyx", "lynx": "lynx", "index": "index", "rubis": "rubis",
             "lapis": "lapis", "gris": "gris"}  # fmt: skip


def singular(word: str) -> str:
    """A plain word's singular, enough for jewellery names: « boucles » → « boucle »,
    « bijoux » → « bijou », « métaux » → « metal », « anneaux » → « anneau »."""
    if word in SINGULARS:
        return SINGULARS[word]
    if word.endswith("eaux"):
        return word[:-1]
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word.endswith(("s", "x")) and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


# « la chaîne de soixante », « septante centimètres »: a measure said in words is its number.
NUMBER_WORDS = {"vingt": "20", "trente": "30", "quarante": "40", "cinquante": "50",
                "soixante": "60", "septante": "70", "huitante": "80", "nonante": "90"}  # fmt: skip


# « la toi-et-moi », « toi et moi »: a ring's name made of stop words, kept as one word.
STOP_WORD_NAMES = re.compile(r"\btoi[- ]et[- ]moi\b")


def key_words(text: str) -> list[str]:
    """The distinguishing words of a name or mention: plain, singular, stopwords out."""
    simple = STOP_WORD_NAMES.sub("toietmoi", plain(text))
    words = [NUMBER_WORDS.get(w, w) for w in re.findall(r"[a-z0-9]+", simple)]
    return [singular(w) for w in words if w not in STOPWORDS and singular(w) not in STOPWORDS]


# --- NLU side: mentions in a spaCy doc -------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    value: str  # the key words, space-separated (the noun first), or ALL
    start: int
    end: int
    role: str | None = None  # EXCLUDED, EVERY (« les deux bagues »), WORDS, or None

    @property
    def excluded(self) -> bool:
        return self.role == EXCLUDED


def _noun_of(token: Any) -> str | None:
    pos = token.pos_
    if pos != "NOUN" and plain(token.text) == "pendant" and _pendant_named(token):
        pos = "NOUN"  # « le cross pendant », « mon pendant »: the piece, not « during »
    return _noun_of_forms(token.lemma_ or "", token.text, pos)


def _pendant_named(token: Any) -> bool:
    if token.i == 0:
        return False
    before = plain(token.doc[token.i - 1].text)
    return before in NAMING_DETERMINERS or before in ENGLISH_WORDS


# English words said before an English noun: « the cross pendant », « my heart locket »
ENGLISH_WORDS = {"the", "my", "cross", "heart", "gold", "silver", "star", "moon", "initial"}


@lru_cache(maxsize=KNOWN_FORMS)
def _noun_of_forms(lemma: str, word: str, pos: str) -> str | None:
    """The jewellery noun a token names, from its lemma, word and part of speech (asked of
    the same tokens by several readers of a message: the answers are kept)."""
    for form in (plain(lemma), plain(word)):
        if singular(form) == "pendant" and (pos == "ADP" or form == "pendant" and pos != "NOUN"):
            continue  # « pendant une semaine »: the preposition
        if singular(form) in ITEM_NOUNS:
            return singular(form)
        if form.replace("-", " ").split(" ")[0] in ITEM_NOUNS:  # « carte-cadeau »
            return form.replace("-", " ").split(" ")[0]
    typed = singular(plain(word))
    if spelt := SMS_NOUNS.get(typed) or ENGLISH_NOUNS.get(typed) or sounded_noun(typed):
        return spelt  # whatever the tagger made of it (« gourmete » may be read as a verb)
    if pos in {"NOUN", "PROPN", "ADJ", "X"}:
        return misspelt_noun(typed)
    return None


# Jewellery nouns as customers type them in SMS, too short or too far for `misspelt_noun`.
SMS_NOUNS = {"bage": "bague", "bagu": "bague", "bag": "bague", "brasle": "bracelet",
             "braslet": "bracelet", "bracele": "bracelet", "bracel": "bracelet",
             "colie": "collier", "bouk": "boucle", "boukle": "boucle", "boucl": "boucle",
             "gourmete": "gourmette", "gourmet": "gourmette", "jon": "jonc",
             "pendantif": "pendentif", "pendenti": "pendentif", "medail": "medaille",
             "medaye": "medaille", "aliance": "alliance", "alianse": "alliance"}  # fmt: skip
# « pendan la livraison »: the preposition, however it is spelt, is no pair of earrings; « du
# charme » is no charm.
SOUNDED_NOUNS = [noun for noun in ITEM_NOUNS if noun not in {"pendant", "pendante", "charm"}]
# The English names Montréal customers mix in (« ma ring est trop grande », « mes hoops »).
ENGLISH_NOUNS = {"ring": "bague", "necklace": "collier", "earring": "boucle", "hoop": "creole",
                 "stud": "puce", "chain": "chaine", "bangle": "jonc", "anklet": "chevillere",
                 "locket": "medaillon", "bracelet": "bracelet", "band": "alliance",
                 "card": "carte", "brooch": "broche", "choker": "ras", "e-card": "carte",
                 "ecard": "carte", "giftcard": "carte"}  # fmt: skip
# A word this short may sound like too many others (« or », « bas »): not matched by sound.
SOUND_MIN = 4
# How French spelling sounds, for the words customers spell by ear (« sotoir », « creol »,
# « dormeuz », « rouj »): each rule on plain lower-case words, in order.
SOUNDS = [(re.compile(pattern), sound) for pattern, sound in (
    (r"eau|au", "o"), (r"(?<=[aeiouy])s(?=[aeiouy])", "z"), (r"ph", "f"), (r"ch", "S"),
    (r"qu|q|ck", "k"), (r"c(?=[eiy])", "s"), (r"c", "k"), (r"gu(?=[eiy])", "G"),
    (r"g(?=[eiy])", "j"), (r"G", "g"), (r"y", "i"), (r"ai|ei", "e"), (r"oi", "wa"),
    (r"h", ""), (r"S", "ch"), (r"(.)\1", r"\1"),
)]  # fmt: skip
SILENT_ENDINGS = re.compile(r"[stdxp]+$")


@lru_cache(maxsize=KNOWN_FORMS)
def sound_of(word: str) -> str:
    """A key that spellings of the same sound share: « rouge » and « rouj », « sautoir » and
    « sotoir », « créole » and « creol », « dormeuse » and « dormeuz »."""
    sound = plain(word)
    for pattern, replacement in SOUNDS:
        sound = pattern.sub(replacement, sound)
    if sound.endswith("e"):
        return sound[:-1]
    return SILENT_ENDINGS.sub("", sound) or sound


def sounds_alike(word: str, other: str) -> bool:
    return min(len(word), len(other)) >= SOUND_MIN and sound_of(word) == sound_of(other)


@lru_cache(maxsize=KNOWN_FORMS)
def sounded_noun(word: str) -> str | None:
    """The jewellery noun a typed word is spelt as it sounds: « sotoir », « creol »,
    « breloq » (whatever the tagger made of the word: it does not know it)."""
    if word in ITEM_NOUNS or word in NOT_MISSPELT or word.endswith("ee"):
        return None  # « épinglée », « montrée »: participles, not pieces
    return next((noun for noun in SOUNDED_NOUNS if sounds_alike(word, noun)), None)


@lru_cache(maxsize=KNOWN_FORMS)
def misspelt_noun(word: str) -> str | None:
    """The long jewellery noun one letter away (dropped, added, swapped or changed) from a
    typed word: « braclet », « pendantif », « colier »."""
    if len(word) < FUZZY_MIN - 1 or word in NOT_MISSPELT:
        return None
    for noun in ITEM_NOUNS:
        if len(noun) >= FUZZY_MIN and _one_edit(word, noun):
            return noun
    return None


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        return len(diff) == 1 or (swapped and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def has_item_noun(doc: Any) -> bool:
    return any(_noun_of(token) for token in doc)


def item_mentions(doc: Any) -> list[Mention]:
    """The jewellery the message names, with the role `excluded` for what it leaves out,
    `every` for a plural meaning all the lines it fits, `only` for a focused one."""
    segments = segment_ids(doc)
    simple = aligned_plain(doc.text)
    mentions: list[Mention] = []
    every_at: set[int] = set()
    for value, patterns in ((ALL, ALL_PATTERNS), (BOTH, BOTH_PATTERNS)):
        for match in patterns.finditer(simple):
            if ONE_OF_BEFORE.search(simple[: match.start()]):
                continue  # « la plus large des deux alliances », « une des deux »: one of them
            following = [t for t in doc if t.idx >= match.end()][:1]
            if following and _noun_of(following[0]):  # « les deux bagues »: both rings only
                every_at.add(following[0].i)
                continue
            mentions.append(Mention(value, match.start(), match.end()))
    consumed: set[int] = set()
    nouns_at: set[int] = set()
    not_ours = False
    for token in doc:
        noun = _noun_of(token) or _pronoun_of(token, doc)
        if noun is not None:
            nouns_at.add(token.i)
            noun = _noun_of_the_compound(noun, simple, token)
        if noun is None or token.i in consumed or _customers_own(token, doc):
            continue
        if noun not in PRONOUNS and _not_ours(token, doc):
            not_ours = True
            consumed.update(t.i for t in _modifiers(token, doc, segments))
            continue
        if EXCHANGED_FOR.search(simple[: token.idx]):
            continue  # « un échange contre les anneaux »: what the customer would get
        if noun == "carte" and (_payment_card(simple, token) or _card_asked_for(simple, token)):
            continue
        if _wanted_instead(simple, token):
            continue
        modifiers = _modifiers(token, doc, segments)
        if noun in PRONOUNS and not [m for m in modifiers if plain(m.text) not in DATED_WORDS]:
            continue  # « celle-ci », « celui du site », « celle de mars »: no line named
        if _part_of_the_next_piece(token, noun, doc):
            continue  # « l'anneau du pendentif », « la chaîne du collier »: that piece's part
        if (PLACE_BEFORE.search(before := simple[: token.idx]) or TOO_X_FOR.search(before)) and (
            noun not in PRONOUNS
        ):
            continue
        consumed.update(t.i for t in modifiers)
        words = [noun, *[w for m in modifiers for w in key_words(m.text) if w != noun]]
        if size := _size_said(token, doc):
            words.append(size)
        if letter := _letter_after(token, doc):  # « le pendentif A »
            words.append(letter)
        if shape := SHAPE_AFTER.match(simple, token.idx + len(token.text)):
            words.append(_descriptor_key(singular(shape.group(1))))
        if rank := _rank(token, doc):
            words.append(f"{RANK}{rank}")
        if _after_the_other(token, doc):  # « l'autre bague »: the ring not named
            words = [OTHER, noun]
        role = _role(token, noun, doc, modifiers, every_at)
        if role is None and _received_instead(simple, token, modifiers):
            role = RECEIVED
        if role is None and (
            GOES_ON_BEFORE.search(simple[: token.idx])
            or PREFERRED_BEFORE.search(simple[: token.idx])
        ):
            role = PRAISED
        mentions.append(_mention(words, token, modifiers, role))
    named_by_noun = bool(mentions)
    described = any(
        p.search(simple)
        for p in (
            DESCRIBED_PATTERN,
            OTHER_PATTERN,
            ORDINAL_PATTERN,
            SIZE_PATTERN,
            LINE_NUMBER_PATTERN,
            PLACE_PATTERN,
            MEASURE_ALONE_PATTERN,
        )
    )
    for token in doc if described else ():
        if token.i in consumed or token.i in nouns_at:
            continue
        if (rank := _rank_alone(token, doc)) is not None:
            mentions.append(
                _mention([NTH, str(rank)], token, [], _role(token, NTH, doc, [], set()))
            )
        elif _the_other(token, doc):
            mentions.append(_mention([OTHER], token, [], _role(token, OTHER, doc, [], set())))
        elif (measure := _measure_alone(token, doc)) and not (
            EXCHANGED_FOR.search(simple[: token.idx]) or _wanted_instead(simple, token)
        ):
            mentions.append(
                _mention([DESCRIBED, measure], token, [], _role(token, DESCRIBED, doc, [], set()))
            )
        elif size := _size_alone(token, doc):
            mentions.append(
                _mention([DESCRIBED, size], token, [], _role(token, DESCRIBED, doc, [], set()))
            )
        elif (
            (base := _descriptor_of(token, doc)) is not None
            and not EXCHANGED_FOR.search(simple[: token.idx])
            and not _wanted_instead(simple, token)
        ):
            modifiers = [m for m in _modifiers(token, doc, segments) if m.i not in consumed]
            consumed.update(t.i for t in modifiers)
            described = [w for m in modifiers for w in key_words(m.text) if w in DESCRIPTOR_FORMS]
            words = [DESCRIBED, *([base] if base else []), *map(_descriptor_key, described)]
            if len(words) > 1:
                role = _role(token, DESCRIBED, doc, modifiers, every_at)
                if role is None and _received_instead(simple, token, modifiers, described=True):
                    role = RECEIVED  # « vous avez mis la jaune au lieu de la rose »
                mentions.append(_mention(words, token, modifiers, role))
    mentions.extend(_letters_named(doc))
    mentions.extend(_excluded_by_words(doc, consumed | nouns_at))
    if not any(m.role in {None, ONLY, EVERY} for m in mentions):
        mentions.extend(_worn_on(simple))
    mentions.sort(key=lambda mention: mention.start)
    mentions = _corrected(simple, _listed_in_the_story(simple, mentions))
    mentions = _kept_all_but(simple, _received_twice(simple, mentions))
    if words := _content_words(doc):
        role = CONTEXT if named_by_noun or not_ours else WORDS
        mentions.append(Mention(" ".join(words), 0, len(doc.text), role))
    return mentions


# Compound names whose head is another jewellery noun: « les anneaux d'oreilles » are hoops,
# not rings; in « les boutons de manchette » the cuff is no piece (the cufflinks are).
EAR_RING_AFTER = re.compile(r"s? ?(d'|d |de |des |aux )oreilles?\b")
CUFFLINK_BEFORE = re.compile(r"\bboutons? (de |d')$")


def _noun_of_the_compound(noun: str, simple: str, token: Any) -> str | None:
    if noun == "anneau" and EAR_RING_AFTER.match(simple, token.idx + len(token.text)):
        return "creole"
    if noun == "manchette" and CUFFLINK_BEFORE.search(simple[: token.idx]):
        return None
    return noun


# « j'ai commandé la bague, le collier et les créoles… », « j'ai reçu la lune et les deux
# chaînes », « le colis avec la bague et le bracelet »: the pieces of the order, listed before the
# one the message is about.
STORY_LIST = re.compile(
    r"\b(j'ai|j ai|jai|on a|nous avons|j'avais|on avait|elle a|il a)\s+(bien |tout |deja |vu )?"
    r"(commande|commandee?s?|achete|achetee?s?|recu|recue?s?|vu|offert|offerte?s?|pris|choisi)\b"
    r"|\b(colis|boite|paquet) (avec|contenant|ou il y avait)\b"
)
STORY_LIST_END = re.compile(
    r"[.;!?]|\b(mais|par contre|puis|sauf que|seulement|au lieu|a la place)\b"
)


# « la bague jaune, euh non, je me trompe, la blanche », « la chaîne de 40… non attendez, c'est
# celle de 50 », « les dormeuses — correction, les chandeliers »: the customer takes a piece back.
CORRECTION_BETWEEN = re.compile(
    r"^[^.!?;]{0,30}?(?<!\bet )(?<!\bou )(?<!\bmais )\b(non|pardon|correction|je me trompe|"
    r"je me suis trompee?|je veux dire|je voulais dire|oups|erreur de ma part)\b(?! plus\b)"
)


def _corrected(simple: str, mentions: list[Mention]) -> list[Mention]:
    """A piece the customer corrects right after naming it is set aside (EXCLUDED)."""
    pieces = _pieces(mentions)
    corrected = {
        id(mention)
        for mention, following in pairwise(pieces)
        if mention.role is None
        and following.role in {None, ONLY}
        and CORRECTION_BETWEEN.search(_without_ellipses(simple[mention.end : following.start]))
    }
    return _recast(mentions, dict.fromkeys(corrected, EXCLUDED))


def _pieces(mentions: list[Mention]) -> list[Mention]:
    """The mentions that name pieces (not the message's words)."""
    return [m for m in mentions if m.role not in {CONTEXT, WORDS}]


def _recast(mentions: list[Mention], roles: dict[int, str | None]) -> list[Mention]:
    """The mentions with the new roles given by mention id."""
    return [replace(m, role=roles[id(m)]) if id(m) in roles else m for m in mentions]


# « j'ai reçu deux paires de puces et aucune créole », « jai eu 2 jaunes pis pas de rose »: a
# piece that came twice, set against the one that did not come
TWICE_BEFORE = re.compile(
    r"\b(recu|eu|y a|y avait|trouve|envoye)\w* (deux|2) (paires? d[e'] ?|fois (le |la |les |l')?)?$"
)
MISSING_BEFORE = re.compile(
    r"\b(pas de|pas d'|pas le|pas la|pas les|pas l'|aucun|aucune|au lieu d'une?|au lieu des?|"
    r"au lieu du) $"
)


def _received_twice(simple: str, mentions: list[Mention]) -> list[Mention]:
    """The piece received twice came instead of the missing one, which is the line meant."""
    pieces = _pieces(mentions)
    twice = {id(m) for m in pieces if TWICE_BEFORE.search(simple[: m.start])}
    missing = {id(m) for m in pieces if MISSING_BEFORE.search(simple[: m.start])}
    if not twice or not missing:
        return mentions
    return _recast(mentions, {**dict.fromkeys(missing), **dict.fromkeys(twice, RECEIVED)})


# « je garde tout sauf le dernier bracelet »: everything is kept but the piece named
KEPT_ALL_BUT = re.compile(r"\b(je |on )?(garde|conserve)\w* tout (sauf|excepte|hormis|a part)\b")


def _kept_all_but(simple: str, mentions: list[Mention]) -> list[Mention]:
    """« je garde tout sauf la torsade »: the piece after « sauf » is the one named, not the
    rest of the order."""
    kept = KEPT_ALL_BUT.search(simple)
    if not kept:
        return mentions
    return [
        replace(m, role=None) if m.role == EXCLUDED and m.start >= kept.end() else m
        for m in mentions
        if not (m.value == ALL and kept.start() <= m.start < kept.end())
    ]


def _without_ellipses(text: str) -> str:
    """« la chaîne de 40… non »: an ellipsis is a pause, not the end of a sentence."""
    return re.sub(r"\.{2,}|…", " ", text)


def _listed_in_the_story(simple: str, mentions: list[Mention]) -> list[Mention]:
    """The pieces a story lists (two or more after « j'ai commandé / reçu / vu… ») step aside
    as RECEIVED, set aside when another piece is named after the list (« … les créoles. Tout
    était beau mais le bracelet a perdu une pierre »): they name the lines only when nothing
    else does."""
    listed: set[int] = set()
    for story in STORY_LIST.finditer(simple):
        end = STORY_LIST_END.search(simple, story.end())
        until = end.start() if end else len(simple)
        in_list = [
            i
            for i, m in enumerate(mentions)
            if story.end() <= m.start < until and m.role is None and m.value not in {ALL, BOTH}
        ]
        if len(in_list) >= 2:
            if any(m.start >= until and m.role in {None, ONLY} for m in mentions):
                listed.update(in_list)
            else:  # « j'ai reçu la bague et le pendentif. Par contre le pendentif… »
                after = simple[until:]
                listed.update(i for i in in_list if not _named_again(mentions[i], after))
    return [replace(m, role=RECEIVED) if i in listed else m for i, m in enumerate(mentions)]


def _named_again(mention: Mention, after: str) -> bool:
    """The piece's noun comes back after the list (read as one mention with the listed one)."""
    noun = mention.value.split()[0]
    return noun not in PRONOUNS and re.search(rf"\b{re.escape(noun)}", after) is not None


# « ce qui va aux oreilles », « celui qu'on porte au poignet »: the kind of piece worn there.
WORN_ON = {"oreille": "boucle", "poignet": "bracelet", "cou": "collier", "doigt": "bague",
           "annulaire": "bague", "auriculaire": "bague", "cheville": "cheville"}  # fmt: skip
WORN_ON_PATTERN = re.compile(
    r"\b(aux|au|a l'|a la|sur l'|sur le|sur la) ?(" + "|".join(WORN_ON) + r")s?\b"
)


def _worn_on(simple: str) -> list[Mention]:
    """A message naming no piece but where it is worn: that kind of piece."""
    return [
        Mention(WORN_ON[match.group(2)], match.start(), match.end())
        for match in WORN_ON_PATTERN.finditer(simple)
    ][:1]


def _excluded_by_words(doc: Any, taken: set[int]) -> list[Mention]:
    """« tout sauf le fer à cheval », « sauf l'étoile de mer »: a line left out by words of its
    name that are no jewellery noun nor descriptor (those are mentions already)."""
    found = []
    for token in doc:
        previous = plain(doc[token.i - 1].text) if token.i else ""
        following_word = plain(doc[token.i + 1].text) if token.i + 1 < len(doc) else ""
        if plain(token.text) not in EXCLUDING_WORDS or following_word in {"que", "qu'", "si"}:
            continue
        if plain(token.text) == "part" and previous != "a":  # « à part », not « de ma part »
            continue
        words: list[str] = []
        for following in doc[token.i + 1 : token.i + 6]:
            if following.i in taken or following.is_punct or plain(following.text) in COORDINATION:
                break
            if following.pos_ in {"DET", "ADP"} or following.is_stop:
                continue
            words.extend(key_words(following.text))
        if words:
            start = token.idx + len(token.text) + 1
            found.append(Mention(" ".join(dict.fromkeys(words)), start, start, EXCLUDED))
    return found


# « remboursé sur la carte de crédit »: the payment card, not a gift card of the order.
PAYMENT_CARD_AFTER = re.compile(
    r"^\w*\s*(de credit|de debit|bancaire|visa|mastercard|amex|de paiement|de fidelite)"
)
PAYMENT_CARD_BEFORE = re.compile(r"\b(sur|a) (ma|la|mon) $")
# « j'ai payé avec une carte-cadeau »: a card paid with, not a line of the order
PAID_WITH_BEFORE = re.compile(
    r"\b(paye|payee|regle|reglee|achete|achetee)s? (avec|par) (une|ma|la) $"
)
# « on m'a envoyé un pendentif hibou à la place du colibri »: what came instead is no line.
INSTEAD_AFTER = re.compile(r"^[^.!?;]{0,30}?\b(au lieu|a la place) d")
# « vous m'avez envoyé une bague en or jaune, j'avais pris la rose »: what was ordered, after
ORDERED_LATER = re.compile(
    r"^[^.!?;]{0,40}?,? (alors que |mais )?(j'|j )?(avais|ai) (bien |pourtant |clairement )*"
    r"(pris|commande|choisi|paye|demande)e?s? "
)
INDEFINITE_BEFORE = re.compile(r"\b(un|une|des) $")
# « j'ai reçu les créoles au lieu des puces »: the piece that came, named after the verb
CAME_BEFORE = re.compile(r"\b(recu|eu|envoye|mis|livre|trouve)e?s? (le |la |les |l')$")
INSTEAD_BEFORE = re.compile(
    r"\b(au lieu|a la place) d[^.!?;]{2,40}?,? (j'ai|jai|j ai|on m'a|vous m'avez|il y a|y a|c'est)"
    r" (recu |eu |envoye |mis |trouve )?(un|une|des|deux) $"
)


# « me faire une carte-cadeau du montant de la gourmette », « une carte-cadeau à la place »:
# the form of a credit asked for, not the gift card of the order.
CARD_ASKED_BEFORE = re.compile(
    r"\b(faire|donner|envoyer|recevoir|avoir|obtenir|prendre|emettre|preferer\w*) (une|un) $"
)
CARD_ASKED_AFTER = re.compile(
    r"^[- ]?(cadeau)?s?\s*(du montant|de la valeur|a la place|en echange|en remplacement)"
)


def _card_asked_for(simple: str, token: Any) -> bool:
    before, after = simple[: token.idx], simple[token.idx + len(token.text) :]
    return bool(CARD_ASKED_BEFORE.search(before) or CARD_ASKED_AFTER.match(after))


def _payment_card(simple: str, token: Any) -> bool:
    after = simple[token.idx + len(token.text) :]
    if PAYMENT_CARD_AFTER.search(after) or PAID_WITH_BEFORE.search(simple[: token.idx]):
        return True
    return bool(PAYMENT_CARD_BEFORE.search(simple[: token.idx])) and not re.match(
        r"^[- ]?cadeau", after
    )


# « en carte-cadeau », « sous forme de bon »: the form of what the customer would get.
IN_THE_FORM_OF = re.compile(r"\b(en|sous forme d'une?) $")
# « une bague identique me conviendrait »: another piece wanted, not a line of the order.
ANOTHER_LIKE_IT = re.compile(
    r"^[- ]?(neuve?s?|identiques?|pareils?|pareilles?|semblables?|de remplacement)\b"
)


# « changer le tennis pour la manchette », « je la change pour la grande »: the piece after
# « pour » is the one the customer would get.
CHANGED_FOR = re.compile(
    r"\b(changer|echanger|remplacer|change|echange|changerai[st]?|echangerai[st]?)\b"
    r"(?! ?d'? ?(avis|idee))[^,.;!?]{0,40}\b(pour|par) (un |une |le |la |les |l'|celle |celui )?$"
)
# « je préférerais le collier double », « je prendrais plutôt la manchette »: a piece wished
# for instead of one of the order.
WISHED_BEFORE = re.compile(
    r"\b(prefererai[st]?|prefereraient|prendrai[st]?|aimerai[st]? mieux|voudrai[st]? plutot|"
    r"veux plutot|prefere plutot|j?prefere juste|j?prefere finalement|"
    r"j?'?aurai[st]? (du|mieux fait de) (prendre|choisir|commander))\s+"
    r"(plutot |avoir |recevoir )?"
    r"(le |la |les |l'|un |une |celle |celui )?$"
)
# « jveux le collier Y à la place », « il me faut la carte-cadeau à la place »
WANTED_BEFORE = re.compile(
    r"\b(veux|veu|voudrais|voudrai|aimerais|faut|prends|prendre|prendrais|souhaite|"
    r"souhaiterais)\s+"
    r"(plutot |avoir |recevoir )?(le |la |les |l'|un |une )$"
)
IN_ITS_PLACE_AFTER = re.compile(
    r"^[^,.;!?]{0,25}?\b(a la place|en remplacement|plutot)\s*([,.;!?]|$)"
)


def _wanted_instead(simple: str, token: Any) -> bool:
    """A piece the customer would get, not one of the order they speak of."""
    before, after = simple[: token.idx], simple[token.idx + len(token.text) :]
    return (
        bool(IN_THE_FORM_OF.search(before))
        or (bool(INDEFINITE_BEFORE.search(before)) and bool(ANOTHER_LIKE_IT.match(after)))
        or bool(CHANGED_FOR.search(before) or WISHED_BEFORE.search(before))
        or bool(WANTED_BEFORE.search(before) and IN_ITS_PLACE_AFTER.match(after))
    )


def _received_instead(
    simple: str, token: Any, modifiers: list[Any], described: bool = False
) -> bool:
    """« un pendentif hibou à la place du colibri »: a piece (« un », « une ») set against
    one named after « au lieu de »; « une chevalière … au lieu de l'onyx » is the line. A
    piece named by a descriptor (« la jaune au lieu de la rose ») is set against another
    descriptor too."""
    if INSTEAD_BEFORE.search(simple[: token.idx]):
        return True  # « au lieu des créoles, j'ai reçu des puces »
    end = max(t.idx + len(t.text) for t in [token, *modifiers])
    instead = INSTEAD_AFTER.search(simple[end:]) or ORDERED_LATER.search(simple[end:])
    before = simple[: token.idx]
    indefinite = bool(INDEFINITE_BEFORE.search(before))
    if not instead or not (indefinite or CAME_BEFORE.search(before)):
        return False
    doc = token.doc
    after = [t for t in doc if t.idx >= end + instead.end()]
    clause = after[: next((i for i, t in enumerate(after) if t.is_punct), len(after))]
    # « j'ai reçu les puces en or jaune au lieu de blanc »: the same piece, another colour
    return any(_noun_of(t) or (indefinite or described) and _descriptor_of(t, doc) for t in clause)


def _rank(token: Any, doc: Any) -> int:
    """« la première bague », « le 2e bracelet », « la bague … la dernière », « celle du bas de
    la liste »: its rank."""
    previous = plain(doc[token.i - 1].text) if token.i else ""
    if previous in {"deux", "trois", "quatre"} or previous.isdigit():
        return 0  # « les deux bagues du haut de la facture »: more than one line
    placed = _place_on_the_list(doc[token.i + 2], doc) if token.i + 2 < len(doc) else None
    return ORDINALS.get(previous, 0) or placed or 0


def _mention(words: list[str], token: Any, modifiers: list[Any], role: str | None) -> Mention:
    span = [token, *modifiers]
    start = min(t.idx for t in span)
    end = max(t.idx + len(t.text) for t in span)
    return Mention(" ".join(dict.fromkeys(words)), start, end, role)


def _descriptor_key(word: str) -> str:
    """A descriptor's base form (« vertes » → « vert », « blanche » → « blanc »), else the
    word."""
    return DESCRIPTOR_FORMS.get(word, word)


def _descriptor_of(token: Any, doc: Any) -> str | None:
    """The descriptor a word after a determiner stands for (« la verte » → « vert »), "" for a
    head that only carries descriptors (« la pierre verte »), None when it is neither, or
    when it describes a piece named right after it (« les perles de mon collier »)."""
    word = plain(token.text)
    base = DESCRIPTOR_HEADS.get(word)
    if base is None and singular(word) in DESCRIBED_HEADS:
        base = ""
    if base == "email" and not token.text.lower().startswith("é"):
        return None  # « mon email », « l'email »: the address, not the enamel
    if base == "plaque" and word in {"plaque", "plaques"} and not _metal_follows(token, doc):
        return None  # « la plaque gravée s'est décollée »: the plate, not the plated one
    if base is None and word.startswith("l") and len(word) > 4:  # « lopale »: « l'opale »
        return DESCRIPTOR_HEADS.get(word[1:]) if word[1:] != "email" else None
    before = token.i - 1
    if before > 0 and plain(doc[before].text) in SIZE_WORDS:  # « la petite verte »
        before -= 1
    if (
        base is None
        or before < 0
        or not (plain(doc[before].text) in DESCRIBING_DETERMINERS or _after_instead(doc, before))
    ):
        return None
    if before > 0 and plain(doc[before - 1].text) == "de" and not _after_instead(doc, before - 1):
        return None  # « de l'or »: the metal, not a piece (but « au lieu de l'onyx »)
    following = [t for t in doc[token.i + 1 : token.i + 4]]
    words = [plain(t.text) for t in following]
    if following and _noun_of(following[0]):
        return None  # an adjective before its noun
    if words[:1] and words[0] in {"de", "du", "des", "d'"} and any(_noun_of(t) for t in following):
        return None
    return base


def _after_instead(doc: Any, at: int) -> bool:
    """« à la place du colibri », « au lieu de l'onyx »: a piece named after « de »."""
    words = [plain(t.text) for t in doc[max(0, at - 2) : at + 1]]
    return (
        len(words) == 3
        and words[2] in {"du", "des", "de"}
        and words[:2] in (["au", "lieu"], ["la", "place"])
    )


def _the_other(token: Any, doc: Any) -> bool:
    """« l'autre », « les autres », « l'autre article »: a piece the customer does not name."""
    if plain(token.text) not in {"autre", "autres"} or token.i == 0:
        return False
    if plain(doc[token.i - 1].text) not in DEFINITE_ARTICLES:
        return False
    if token.i > 1 and plain(doc[token.i - 2].text) in RECIPROCAL_BEFORE | COMPARING_BEFORE:
        # « décollée de l'autre », « les unes dans les autres », « un 60 comme l'autre »: no
        # piece named
        return False
    if any(_noun_of(t) in PAIRS and not _plural(t) for t in doc[: token.i]):
        return False  # « il me reste une créole, l'autre je l'ai perdue »: the pair's other one
    if THE_ONE_BEFORE.search(plain(doc[max(0, token.i - 12) : token.i].text)):
        return False  # « l'un des péridots est terne et l'autre… »: the other of the pair
    # « une pierre s'est détachée, l'autre tient », « j'en ai juste une, l'autre… »
    if _one_thing_before(token, doc):
        return False
    following = plain(doc[token.i + 1].text) if token.i + 1 < len(doc) else ""
    return not {following, singular(following)} & OTHER_NOT_A_PIECE and (
        singular(following) in ANY_PIECE
        or doc[token.i + 1 : token.i + 2].text == ""
        or doc[token.i + 1].pos_ not in {"NOUN", "PROPN"}
    )


def _one_thing_before(token: Any, doc: Any) -> bool:
    """« une pierre », « j'en ai une » earlier in the sentence: « l'autre » is the other of
    those (a stone, an earring of the pair), not another piece of the order."""
    start = next((t.i + 1 for t in reversed(doc[: token.i]) if t.text in {".", "!", "?", ";"}), 0)
    for one in doc[start : token.i - 1]:
        if plain(one.text) not in {"un", "une"}:
            continue
        following = doc[one.i + 1]
        if following.is_punct or (following.pos_ == "NOUN" and not _noun_of(following)):
            return True
    return False


# « le A », « celle avec le M », « la lettre M », « l'initiale A »: an initial, upper case.
LETTER_BEFORE = {"le", "la", "l'", "un", "une", "du", "au", "lettre", "initiale", "mon", "ma",
                 "son", "sa", "ce", "cette"}  # fmt: skip
LETTER = "__letter_{}__"


def _initial(token: Any) -> str | None:
    """The value of an upper-case letter standing for an initial (« __letter_a__ »)."""
    return LETTER.format(token.text.lower()) if re.fullmatch(r"[A-Z]", token.text) else None


def _letter_after(token: Any, doc: Any) -> str | None:
    return _initial(doc[token.i + 1]) if token.i + 1 < len(doc) else None


def _letters_named(doc: Any) -> list[Mention]:
    """An upper-case letter after a determiner, « lettre » or « initiale » names the line of
    that initial (not « A quelle heure », a missing accent)."""
    found = []
    for token in doc[1:]:
        if (initial := _initial(token)) and plain(doc[token.i - 1].text) in LETTER_BEFORE:
            value = [DESCRIBED, initial]
            found.append(_mention(value, token, [], _role(token, DESCRIBED, doc, [], set())))
    return found


def _size_said(token: Any, doc: Any) -> str | None:
    """« la petite chaîne », « les créoles mini », « la plus longue des deux chaînes »: a size
    word next to the noun, or before « des (deux) » that leads to it; not « elle est trop
    petite », said of the piece, not telling it apart."""
    words = [plain(t.text) for t in doc[max(0, token.i - 4) : token.i]]
    after = plain(doc[token.i + 1].text) if token.i + 1 < len(doc) else ""
    if words and words[-1] in SIZE_DIRECTION:
        return SIZE_DIRECTION[words[-1]]
    if after in SIZE_DIRECTION:
        return SIZE_DIRECTION[after]
    text = " ".join(words)
    match = re.search(r"\bplus (\w+) (des|d'entre les)( deux| trois)?$", text)
    return SIZE_DIRECTION.get(match.group(1)) if match else None


def _size_alone(token: Any, doc: Any) -> str | None:
    """« la petite », « les grandes », « c'est la plus longue »: a size word as the noun, after
    a determiner (and « plus »), no noun after it."""
    word = plain(token.text)
    if word not in SIZE_DIRECTION or token.i == 0:
        return None
    before = plain(doc[token.i - 1].text)
    if before == "plus" and token.i > 1:
        before = plain(doc[token.i - 2].text)
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if following is not None and (_noun_of(following) or following.pos_ in {"NOUN", "ADJ"}):
        return None
    if before not in DEFINITE_ARTICLES:
        return None
    # « la plus longue »: the length word kept, so that only lengths are compared
    return f"{SIZE_DIRECTION[word]} {word}" if word in LENGTH_WORDS else SIZE_DIRECTION[word]


def _measure_alone(token: Any, doc: Any) -> str | None:
    """« la 45 », « les 30 »: a length or a width standing for the line that measures it, right
    after a determiner (« la 60 cm » too); not a price, an age or a count of days."""
    if not (token.text.isdigit() and len(token.text) <= 3) or token.i == 0:
        return None
    determiner = plain(doc[token.i - 1].text)
    if determiner not in DEFINITE_ARTICLES:
        return None
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if following is not None and plain(following.text) in NOT_A_MEASURE_AFTER:
        return None
    # « c'est la 7 qui va pas »: a ring by its size; « les 2 bagues » is a count
    if len(token.text) == 1 and (
        determiner == "les" or following is not None and following.pos_ in {"NOUN", "NUM"}
    ):
        return None
    return f"{MEASURE_ALONE}{int(token.text)}__"


def _rank_alone(token: Any, doc: Any) -> int | None:
    """« la première », « la dernière »: a rank standing for a line of the order; « l'article
    numéro 3 », « la ligne 2 »: a number standing for one."""
    if (number := _line_number(token, doc)) is not None:
        return number
    if (place := _place_on_the_list(token, doc)) is not None:
        return place
    rank = ORDINALS.get(plain(token.text).rstrip("s"))
    if rank is None or token.i == 0 or plain(doc[token.i - 1].text) not in {"le", "la", "l'"}:
        return None
    following = plain(doc[token.i + 1].text) if token.i + 1 < len(doc) else ""
    if singular(following) in ANY_LINE:  # « la dernière ligne de la facture », « le 2e article »
        return rank
    if {following, singular(following)} & NOT_A_PIECE or (
        following and doc[token.i + 1].pos_ == "NOUN"
    ):
        return None
    return rank


def _line_number(token: Any, doc: Any) -> int | None:
    """The number of « l'article numéro 3 », « la ligne 2 », « l'item #2 » (a line's place on
    the invoice), read on the words before it."""
    if not (token.text.isdigit() and len(token.text) == 1 and token.text != "0"):
        return None
    before = [plain(t.text) for t in doc[max(0, token.i - 2) : token.i]]
    while before and before[-1] in NUMBER_SIGNS:
        before.pop()
    return int(token.text) if before and singular(before[-1]) in ANY_LINE else None


def _place_on_the_list(token: Any, doc: Any) -> int | None:
    """« celui en haut de la facture », « celle du bas de la liste »: the first or the last
    line; « celle du milieu (de la facture) »: the middle one (MIDDLE)."""
    word = plain(token.text)
    before = plain(doc[token.i - 1].text) if token.i else ""
    if before not in {"en", "du", "au"}:
        return None
    following = [plain(t.text) for t in doc[token.i + 1 : token.i + 5]]
    on_the_list = bool(set(following) & LIST_WORDS)
    if word == "milieu":
        # « au milieu de la nuit », « des taches au milieu »: no place on the list
        alone = before == "du" and following[:1] not in (["de"], ["d'"], ["du"], ["des"])
        return MIDDLE if on_the_list or alone else None
    place = LIST_PLACES.get(word)
    return place if place is not None and on_the_list else None


def _after_the_other(token: Any, doc: Any) -> bool:
    """« l'autre bague », « les autres bracelets »."""
    before = [plain(t.text) for t in doc[max(0, token.i - 2) : token.i]]
    return len(before) == 2 and before[0] in DEFINITE_ARTICLES and before[1] in {"autre", "autres"}


# « elle ne va pas avec ma bague de fiançailles »: a piece the customer already wears.
WORN_WITH = re.compile(
    r"\b(va|vont|allait|allaient|irait|iraient|agence|agencent|jure|jurent|assortie?s?)\b"
    r"( [\w']+){0,3} avec (mon|ma|mes) $"
)


# « une chaîne achetée chez Pandora », « ce bracelet n'est pas de votre boutique », « un collier
# que je n'ai jamais commandé »: a piece said not to come from the shop is no line of the order.
OTHER_SHOPS = (
    r"(pandora|birks|amazon|etsy|walmart|costco|aliexpress|shein|temu|swarovski|michael hill|"
    r"peoples|mejuri|tiffany|cartier|un autre site|une autre boutique|un autre magasin|"
    r"une bijouterie|un bijoutier|un autre bijoutier|une autre bijouterie|un joaillier|"
    r"le marche|un marche|une boutique|(la )?bijouterie|"
    r"un concurrent|un site|bijoux [a-z]+)"
)
# « acheté en Lituanie en vacances », « achetée en France à sa naissance »
ABROAD = r"(en|au|aux) (vacances|voyage|france|italie|espagne|grece|lituanie|europe|chine|turquie)"
NOT_OURS = re.compile(
    r"\b(achetee?s?|prise?s?|trouvee?s?|commandee?s?|eue?s?) ((une?|des|la|le|les|ma|mon|mes) "
    r"\w+ )?(chez|sur|a|au|dans) "
    + OTHER_SHOPS
    + r"|\b(achetee?s?|eue?s?) "
    + ABROAD
    + r"|(?<!pas )(?<!jamais )\b(achetee?s?|prise?s?) ailleurs\b"
    r"|\b(pas|jamais) (achetee?s?|commandee?s?) .{0,25}\b(chez vous|chez allyzure|sur votre site)"
    r"|\bpas (de chez vous|a vous|(de|sur) votre (boutique|site|magasin|marque)|de chez allyzure"
    r"|(un|une) allyzure|d'ici)\b"
    r"|\ben heritage\b"
    r"|\b(que|qu') ?(je n'ai|j'ai|jai) (pas|jamais) commandee?s?\b"
    r"|\b(de famille|heritee?s? de)\b"
    # « pas une des vôtres », « il vient pas de vous », « n'a pas été acheté chez vous »,
    # « ne m'a pas été vendu par vous »
    r"|\bpas (un|une|l'un|l'une) des votres\b"
    r"|\b(vient|viennent|venait) pas de (vous|chez vous)\b"
    r"|\bpas (dans|de) (cette|ma) commande"
    r"|\b(pas|jamais) (ete )?(achetee?s?|commandee?s?|vendue?s?) (chez|par|sur|a) "
    r"(vous|allyzure|votre site)\b"
    # another order: « le collier de mon autre commande », « de ma commande d'avant »
    r"|\b(mon|ma|notre|une) (autre|ancienne|precedente|vieille|premiere) commande\b"
    r"|\bcommande (d'avant|precedente|d'il y a)\b"
)
NOT_OURS_WINDOW = 12  # words around the noun, within its clause


def _not_ours(token: Any, doc: Any) -> bool:
    """The words around the noun, up to a punctuation mark or another jewellery noun (a
    relative clause included: « un collier que je n'ai jamais commandé »), say the piece is not
    the shop's."""
    window = [token]
    for step in (-1, 1):
        at = token.i + step
        while 0 <= at < len(doc) and abs(at - token.i) <= NOT_OURS_WINDOW:
            if doc[at].is_punct or _noun_of(doc[at]):
                break
            window.append(doc[at])
            at += step
    text = " ".join(plain(t.text) for t in sorted(window, key=lambda t: t.i)).replace("' ", "'")
    return bool(NOT_OURS.search(text))


def _customers_own(token: Any, doc: Any) -> bool:
    """« mes autres bagues », « d'autres colliers »: pieces the customer has, not lines."""
    if WORN_WITH.search(aligned_plain(doc.text)[: token.idx]):
        return True
    before = [plain(t.text) for t in doc[max(0, token.i - 2) : token.i]]
    return (
        len(before) == 2
        and before[1] in {"autres", "autre"}
        and before[0] in {"mes", "mon", "ma", "d'", "des", "tes", "nos", "vos", "ses"}
    )


def _pronoun_of(token: Any, doc: Any) -> str | None:
    word = plain(token.text)
    return word if word in PRONOUNS else None


def _role(token: Any, noun: str, doc: Any, modifiers: list[Any], every_at: set[int]) -> str | None:
    """Excluded, focused (« juste le bracelet », « c'est l'alliance qui »), every line of a
    plural (« les joncs », not « les boucles »: a pair is one line), or plainly named."""
    if _excluded(token, doc):
        return EXCLUDED
    if left := _left_alone(token, doc, modifiers):
        return left
    simple = aligned_plain(doc.text)
    if NOTHING_TO_SAY_BEFORE.search(simple[: token.idx]):
        return PRAISED
    end = max(t.idx + len(t.text) for t in [token, *modifiers])
    before = simple[: token.idx]
    if (
        FOCUS_WORD_BEFORE.search(before)
        or re.match(r"\s*(seulement|uniquement)\b", simple[end:])  # « la chaîne seulement »
        or (CLEFT_BEFORE.search(before) and CLEFT_AFTER.search(simple[end:]))
    ):
        return ONLY
    if ONE_OF_NOUN_BEFORE.search(before):
        return None  # « la plus large des deux alliances »: one of them
    if token.i in every_at or (noun not in PAIRS and noun not in PRONOUNS and _plural(token)):
        return EVERY
    return None


# « le tennis », « la croix », « le rubis »: a word ending like a plural after a singular
# determiner is one piece.
SINGULAR_DETERMINERS = {"le", "la", "l'", "un", "une", "mon", "ma", "ton", "ta", "son", "sa",
                        "ce", "cet", "cette", "du", "au"}  # fmt: skip
# « le pendant », « mes pendants »: « pendant » after these is the piece
NAMING_DETERMINERS = SINGULAR_DETERMINERS - {"du", "au"} | {"les", "mes", "ses", "des", "vos"}


def _plural(token: Any) -> bool:
    word = plain(token.text)
    if token.i and plain(token.doc[token.i - 1].text) in SINGULAR_DETERMINERS:
        return False
    return "Plur" in token.morph.get("Number") or (singular(word) != word and len(word) > 3)


def _content_words(doc: Any) -> list[str]:
    """The message's words but spaCy's French stop words and jewellery nouns: « l'Éclat », « la
    solitaire » name a line without a jewellery noun. Read from the words alone, not their
    part of speech, so that a message spaCy's tagger does not see
    (components/detail_filter.py) gives the same words as with the analysis. Identifiers
    (an order number, a postal code, an email) name no line."""
    words = [
        word
        for token in doc
        if not (token.is_stop or token.is_punct or _noun_of(token) or _is_identifier(token))
        for word in key_words(token.text)
    ]
    simple = aligned_plain(doc.text)
    measures = [match.group(1) for match in MEASURE.finditer(simple)]
    words += [w for name in STOP_WORD_NAMES.finditer(simple) for w in key_words(name.group(0))]
    return list(dict.fromkeys([*(w for w in words if len(w) > 3), *measures]))


def _is_identifier(token: Any) -> bool:
    return token.like_email or token.like_url or any(c.isdigit() for c in token.text)


SENDING_BACK_STEMS = ("retourn", "renvoi", "renvoy", "rend", "rapport", "echang")


def _sent_back(token: Any) -> bool:
    """Is the piece the object of a verb sending it back, said before it?"""
    head = token.head
    return (
        token.dep_ == "obj"
        and head.i < token.i
        and head.pos_ == "VERB"
        and plain(head.lemma_ or head.text).startswith(SENDING_BACK_STEMS)
    )


def _left_alone(token: Any, doc: Any, modifiers: list[Any]) -> str | None:
    """EXCLUDED for « le collier, je le garde », « les boucles et le collier, je les garde »;
    PRAISED for « la chaîne rose est parfaite »: said of the piece (and those coordinated with
    it) after it. A piece the customer has just said they send back (« retourner le collier
    de perles, les puces je les garde ») is not among those kept."""
    if _sent_back(token):
        return None
    after: list[str] = []
    start = max([token.i, *(m.i for m in modifiers)]) + 1
    said_from = start
    listing = True  # still inside « X et le Y, » before what is said of them
    listed_another = False
    for following in doc[start : start + AFTER_WINDOW]:
        word = plain(following.text)
        # « le tennis et la croix, aucun problème »: a piece named by its descriptor is listed
        described = word in DESCRIPTOR_FORMS and _after_a_determiner(following)
        if (
            listing
            and word not in SAID_OF_IT
            and (
                word in COORDINATION
                or following.pos_ in {"DET", "ADP", "ADJ"}
                or _noun_of(following)
                or described
                or word in MATERIALS
                or singular(word) in LISTED_WITH_THE_PIECE
                or "Part" in following.morph.get("VerbForm")
            )
        ):
            listed_another = listed_another or bool(_noun_of(following)) or described
            continue
        if listing:
            said_from = following.i
        listing = False
        if _noun_of(following) or word in {".", "!", "?", "mais", ";"}:
            break
        if word == "," and FINE_AFTER.search(" ".join(after).replace("' ", "'")):
            break  # « le tennis me va, la manchette… »: the praise ends at the comma
        after.append(word)
    text = " ".join(after).replace("' ", "'")  # « c' est » as spaCy cuts it
    if listed_another and not SAID_OF_THE_LIST.search(text):
        return None  # « les boucles, le collier je le garde »: said of the collier only
    # « je retourne la chevillère, le reste je garde »: said of the others (the listing reads
    # « , le » and stops at « reste »)
    said_at = [start]
    if said_from - 2 >= start and plain(doc[said_from - 2].text) in {",", ";"}:
        said_at.append(said_from - 1)
    if any(OTHERS_SAID.search(plain(doc[i:].text)) for i in said_at if i < len(doc)):
        return None
    kept = KEPT_AFTER.search(text)
    if kept and OTHERS_NAMED.search(text[: kept.start()]):
        return None  # « le collier je le renvoie, le reste je garde »: the others are kept
    if kept or STAYS_AFTER.search(text) or REFUSED_AFTER.fullmatch(text):
        return EXCLUDED
    return PRAISED if FINE_AFTER.search(text) else None


def _after_a_determiner(token: Any) -> bool:
    return token.i > 0 and plain(token.doc[token.i - 1].text) in DESCRIBING_DETERMINERS


def _metal_follows(token: Any, doc: Any) -> bool:
    """« la plaque or », « la plaqué argent »: a metal right after the word."""
    return token.i + 1 < len(doc) and plain(doc[token.i + 1].text) in {"or", "argent"}


def _modifiers(token: Any, doc: Any, segments: list[int]) -> list[Any]:
    """The words naming the noun further: adjectives the parse attaches to it, and what
    follows it in its phrase (« en or », « d'oreilles », « à perles », « gravé »), read on the
    words too because the small model often hangs « en or » on the verb."""
    noun_is_pronoun = plain(token.text) in PRONOUNS
    found = [
        c
        for c in token.children
        if c.dep_ in MODIFIER_RELATIONS and c.pos_ == "ADJ" and plain(c.text) not in SAID_OF_IT
    ]
    found.extend(_part_named_before(token, doc))
    for following in doc[token.i + 1 : token.i + 1 + MODIFIER_WINDOW]:
        word = plain(following.text)
        if segments[following.i] != segments[token.i]:
            break
        if ORDER_NUMBER.fullmatch(word) or word in COORDINATION:  # « de ma commande AZ104406 »
            break
        if word in SAID_OF_IT:  # « la chaîne aucun souci », « la chaîne reste »
            break
        if following.text.isdigit() and plain(doc[following.i - 1].text) in LINKING_WORDS:
            # « la chaîne de 60 »: the small model tags the number a pronoun or a determiner
            found.append(following)
            continue
        if word in MATERIALS:  # « en or »: the tagger may read « or » as a conjunction
            found.append(following)
            continue
        if word in DESCRIPTOR_FORMS and following.i == token.i + 1:
            found.append(following)  # « la chaîne serpent »: tagged a verb (serpenter)
            continue
        if noun_is_pronoun and word in {"qui", "est", "sont", "etait"}:
            continue  # « celle qui est en acier »
        if following.pos_ in STOP_POS:
            break
        if following.pos_ == "VERB" and "Part" not in following.morph.get("VerbForm"):
            break
        if _noun_of(following) and following.i == token.i + 1 and not word.startswith("oreille"):
            found.append(following)  # « bracelet jonc », « bague solitaire »: one piece
            continue
        if _noun_of(following) and not word.startswith("oreille"):
            previous = plain(doc[following.i - 1].text)
            if previous in {"a", "avec"}:  # « bracelet à breloques », « collier avec pendentif »
                found.append(following)
            break
        if word in LINKING_WORDS or following.pos_ == "DET":
            continue
        if following.pos_ in {"ADJ", "NOUN", "PROPN", "NUM", "VERB", "X"}:
            found.append(following)
    return [t for t in dict.fromkeys(found) if plain(t.text) not in STOPWORDS]


# Jewellery nouns that also name a part of another piece, and the pieces they are part of.
PART_OF = {"anneau": set(ITEM_NOUNS) - {"anneau"}, "chaine": {"collier", "montre"}}
PART_LINKS = {"du", "de", "d'", "des"}
# « avec la chaîne cassée », « sa chaîne », « son anneau »: the part of a piece named before
PART_AFTER = {"la", "sa", "son"}


def _part_of_the_next_piece(token: Any, noun: str, doc: Any) -> bool:
    """« l'anneau du pendentif s'est ouvert »: the jump ring of the pendant is no ring of the
    order; « la chaîne du collier rivière » is that necklace's. « le collier est arrivé avec la
    chaîne cassée », « le pendentif… sa chaîne »: the chain of the piece just named."""
    wholes = PART_OF.get(noun)
    if not wholes:
        return False
    if _part_of_the_piece_before(token, wholes, doc):
        return True
    following = [t for t in doc[token.i + 1 : token.i + 4] if not t.is_space]
    if not following or plain(following[0].text) not in PART_LINKS:
        return False
    rest = [t for t in following[1:] if t.pos_ != "DET" and plain(t.text) not in {"la", "l'"}]
    return bool(rest) and _noun_of(rest[0]) in wholes


def _part_of_the_piece_before(token: Any, wholes: set[str], doc: Any) -> bool:
    """A part noun after « avec la » or a possessive, in the sentence of a piece it is part of."""
    previous = plain(doc[token.i - 1].text) if token.i else ""
    if previous not in PART_AFTER:
        return False
    if previous == "la" and (token.i < 2 or plain(doc[token.i - 2].text) != "avec"):
        return False
    sentence = (
        doc[token.sent.start : token.i] if doc.has_annotation("SENT_START") else doc[: token.i]
    )
    return any(_noun_of(t) in wholes for t in sentence)


def _part_named_before(token: Any, doc: Any) -> list[Any]:
    """« le cuivre du jonc », « les coquillages de la chaîne »: the word before « de » tells
    which of the pieces of that kind is meant."""
    at = token.i - 1
    if at > 0 and doc[at].pos_ == "DET" and plain(doc[at].text) not in {"du", "des"}:
        at -= 1
    if at < 1 or plain(doc[at].text) not in {"de", "du", "des", "d'"}:
        return []
    before = doc[at - 1]
    if _noun_of(before) or before.pos_ not in {"NOUN", "ADJ", "PROPN"}:
        return []
    return [before]


ALL_FINE_BEFORE = re.compile(
    r"\btout (est|etait|va|allait|me plait|est arrive) [^.;!?]{0,30}\b(sauf|excepte|hormis)\b"
)


def _none_of_the(token: Any, doc: Any) -> bool:
    following = doc[token.i + 1 : token.i + 2]
    return plain(token.text) in NONE_OF and bool(following) and plain(following.text) == "des"


# « attends non, c'est le L », « ah non c'est la chaîne »: « non » corrects what was said
# before and names the piece after it.
WAITING_WORDS = CORRECTION_OPENERS | {"attends", "attendez", "attend", "oups", "pardon"}
NAMING_AFTER = {"c", "c'est", "cest", "ce", "plutot"}


def _correcting(words: list[str], at: int) -> bool:
    after = words[at + 1 : at + 2]
    return (at > 0 and words[at - 1] in WAITING_WORDS) or bool(after and after[0] in NAMING_AFTER)


def _coordinated_with_the_excluded(token: Any, doc: Any) -> bool:
    """Is the piece listed right after an excluded one (« sauf la bague et le collier », « je
    garde le premier et le dernier »), with nothing but the first piece's words between?"""
    head = token.head
    if token.dep_ != "conj" or head.i >= token.i or not _names_a_piece(head):
        return False
    first = {t.i for t in head.subtree} - {t.i for t in token.subtree}
    between = doc[head.i + 1 : token.i]
    words = [plain(t.text) for t in between if t.i not in first]
    if not set(words) & LISTING_LINKS or not set(words) <= LISTING_WORDS:
        return False  # « une alliance toute simple, la pavée brille trop »: no list
    return _excluded(head, doc)


def _names_a_piece(token: Any) -> bool:
    """A jewellery noun, « celle », a rank (« le premier ») or a descriptor (« la verte »)."""
    word = plain(token.text)
    return (
        bool(_noun_of(token))
        or word in PRONOUNS
        or word.rstrip("s") in ORDINALS
        or (word in DESCRIPTOR_FORMS)
    )


# What may stand between two pieces listed together, one of the links at least.
LISTING_LINKS = {"et", "ni", "ou", "pis", "puis", "&", "+"}
LISTING_WORDS = COORDINATION | DEFINITE_ARTICLES | {"mon", "ma", "mes", "son", "sa", "ses"}


def _excluded(token: Any, doc: Any) -> bool:
    """« sauf le collier », « pas la bague », « ni le bracelet », « je garde la chaîne ».

    Only a negation right before the noun excludes it: « je n'ai pas reçu le collier » names
    the necklace. « au lieu du collier » names it too (the line that was wrong)."""
    if _coordinated_with_the_excluded(token, doc):
        return True  # « je garde le premier et le dernier »
    before = []
    for i in range(token.i - 1, max(-1, token.i - 5), -1):
        if doc[i].pos_ == "PUNCT":
            break
        before.insert(0, doc[i])
    words = [plain(t.text) for t in before]
    if any(word in EXCLUDING_WORDS for word in words):
        # « tout est beau sauf une créole », « sauf que la carte… »: the piece that is not fine
        return not (ALL_FINE_BEFORE.search(plain(doc[: token.i].text)) or "que" in words)
    # « aucune des bagues » (the tagger reads « aucune » a determiner); « je n'ai reçu aucune
    # bague » names the ring
    adjacent_tokens = [t for t in before if not _article_or_preposition(t) or _none_of_the(t, doc)][
        -1:
    ]
    adjacent = [plain(t.text) for t in adjacent_tokens]
    if words[-1:] and words[-1] in {"un", "une", "de", "d'"}:
        return False  # « ce n'est pas une alliance d'une autre marque »: a kind, not a line
    if adjacent == ["non"] and (
        _opens_the_message(adjacent_tokens[0], doc) or _correcting(words, words.index("non"))
    ):
        return False
    if adjacent == ["jamais"] and words[: words.index("jamais")][-1:] == ["si"]:
        return False  # « si jamais la chevalière ne fait pas »: « if ever », no negation
    if adjacent and adjacent[0] in ADJACENT_NEGATORS:
        if words[-1:] and words[-1] in {"ma", "mon", "mes"} and {"est", "sont"} & set(words):
            return False  # « c'est pas ma bague ça »: the piece that came is not the one ordered
        if set(words[words.index(adjacent[0]) :]) & NOT_EXCLUDING_LINKS:
            return False  # « ça ne va pas avec ma bague »: the negation is not of the piece
        if _disliked(words[: words.index(adjacent[0])]):
            return False
        # « pas le cœur gravé que j'ai commandé »: the piece ordered, set against the one received
        return not ORDERED_AFTER.search(plain(doc[token.i + 1 :].text))
    if adjacent and adjacent[0].startswith(KEEPING_STEMS):
        # « je garde celle au grenat » (the small model may tag « garde » a noun)
        return not _kept_for_another_reason(adjacent_tokens[0], token, doc)
    head = token.head
    keeping = {plain(head.lemma_ or ""), plain(head.text)}
    # « je garde la carte, le bracelet je le retourne »: the keeping stops at the comma
    apart = any(t.is_punct for t in doc[head.i + 1 : token.i])
    return (
        head.i < token.i
        and not apart
        and any(w.startswith(KEEPING_STEMS) for w in keeping)
        and not _kept_for_another_reason(head, token, doc)
    )


def _article_or_preposition(token: Any) -> bool:
    """« le », « de »; « les » too when the tagger reads it as a pronoun (« je garde les
    grandes »)."""
    return token.pos_ in {"DET", "ADP"} or plain(token.text) in DEFINITE_ARTICLES


# « vous pouvez garder la broche », « j'ai gardé la manchette sur le chantier »: the shop keeps
# it, or the customer wore it somewhere; neither sets the piece aside.
KEPT_BY_THE_SHOP_BEFORE = re.compile(r"\b(vous|pouvez|pourriez)\b[^,.;!?]{0,15}$")
WORN_AFTER = re.compile(r"^[^,.;!?]{0,25}?\b(pour|sur|dans|pendant|au|en faisant|a la)\b")
PAST_BEFORE = re.compile(r"\b(ai|avais|a|avait|as)\s*$")
# « je garde la chaîne dans la douche tous les jours »: worn all the time, whatever the tense.
WORN_ALWAYS_AFTER = re.compile(
    r"^[^,.;!?]{0,25}?\b(dans la douche|sous la douche|au spa|a la piscine|pour dormir|la nuit"
    r"|tout le temps|tous les jours|jour et nuit|en permanence)\b"
)
# « j'hésite encore à garder le jonc », « pas sûre de garder la bague »: not kept yet.
HESITATING_BEFORE = re.compile(
    r"\b(hesit\w*|pas (trop |vraiment )?sure?s?|(ne )?sais pas si|me demande si)\b[^,.;!?]{0,25}$"
)


def _kept_for_another_reason(verb: Any, token: Any, doc: Any) -> bool:
    simple = aligned_plain(doc.text)
    before_verb = simple[: verb.idx]
    if KEPT_BY_THE_SHOP_BEFORE.search(before_verb) or HESITATING_BEFORE.search(before_verb):
        return True
    after = simple[token.idx + len(token.text) :]
    if WORN_ALWAYS_AFTER.search(after):
        return True
    return bool(PAST_BEFORE.search(before_verb) and WORN_AFTER.search(after))


def _opens_the_message(token: Any, doc: Any) -> bool:
    """Only interjections come before `token`: « ah non », « oh non non »."""
    return all(plain(t.text) in CORRECTION_OPENERS for t in doc[: token.i])


def _disliked(words_before_negator: list[str]) -> bool:
    """« n'aime pas », « voulais pas »: the negated verb right before the negation (« ne » and
    object pronouns aside) is one of liking or wanting."""
    verbs = [w for w in words_before_negator if w not in {"ne", "n'", "le", "la", "les", "l'"}]
    # « je ne conserverai pas le jonc »: not kept, so the piece meant
    return bool(verbs) and verbs[-1].startswith(DISLIKING_STEMS + KEEPING_STEMS)


# --- Action side: mentions against the verified order's lines ---------------------------------


@dataclass(frozen=True)
class Resolution:
    """The lines named (in the order's order), or the candidates when it is ambiguous."""

    lines: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)

    @property
    def named(self) -> bool:
        return bool(self.lines)


def head_noun(line: str) -> str | None:
    """The jewellery noun a line's name starts with (« Bracelet à breloques » → bracelet)."""
    return next((w for w in key_words(line) if w in ITEM_NOUNS), None)


def _line_matches(mention: str, line: str) -> bool:
    noun, *others = mention.split()
    line_words = set(key_words(line))
    if noun in {"chaine", "chainette", "bracelet"} and "cheville" in others:
        noun = "chevillere"  # « la chaîne de cheville » is the line « Chevillère perles »
    if noun in PRONOUNS:  # « celle en argent »: a line whose noun has that gender, no gift card
        head = head_noun(line)
        return head not in {None, "carte"} and (head in FEMININE) == (PRONOUNS[noun] == "f")
    if noun == "boucle":
        kinds = EAR_KINDS & set(mention.split()[1:])
        if kinds and EAR_KINDS & line_words and not kinds & line_words:
            return False  # « mes boucles créoles » are not the order's studs
        return "boucle" in line_words or bool(EAR_KINDS & line_words)
    if (
        noun in EAR_KINDS
        and not ITEM_NOUNS[noun] & EAR_KINDS & line_words
        and (EAR_KINDS & line_words)
    ):
        return False  # « les créoles » are not the line's studs; « les pendants » are pendantes
    family = ITEM_NOUNS.get(noun, {noun})
    # a line's words are singular: « Pendentif croix » holds « croi »
    return bool((family | {singular(word) for word in family}) & line_words)


def _narrowed(mention: str, candidates: list[str]) -> list[str]:
    """Among lines of the same noun, those sharing the most of the mention's other words."""
    noun, *others = mention.split()
    if not others or len(candidates) < 2:
        return candidates
    scores = {line: _shared_words(others, line) for line in candidates}
    if not max(scores.values()):
        scores = {line: _shared_words(_lookalikes(others), line) for line in candidates}
    best = max(scores.values())
    return [line for line in candidates if scores[line] == best] if best else candidates


# « le bracelet de diamants » when the order's only sparkling stones are zircons: what a
# customer calls a stone that looks like it, when no line is the stone named.
LOOKALIKES = {"diamant": "brillant", "diamond": "brillant"}


def _lookalikes(words: list[str]) -> list[str]:
    return [LOOKALIKES.get(_descriptor_key(word), word) for word in words]


def _shared_words(words: list[str], line: str) -> int:
    """How many of `words` the line's name holds, a colour standing for the gems of that
    colour (« les boucles violettes » are the amethyst ones), a letter for the initial."""
    keys = _line_keys(line)
    return sum(
        1
        for word in words
        if _descriptor_fits(word, keys)
        or word in keys
        or any(sounds_alike(word, key) for key in keys)
        or _has_the_letter(word, line)
    )


def _has_the_letter(word: str, line: str) -> bool:
    letter = re.fullmatch(r"__letter_([a-z])__", word)
    return bool(letter and re.search(rf"\b{letter[1].upper()}\b", line))


# Descriptors that only name a colour, which many lines share.
COLOURS = {"vert", "rouge", "bleu", "violet", "mauve", "blanc", "noir", "rose", "jaune", "dore",
           "argente", "gold", "silver", "white", "yellow", "black"}  # fmt: skip
# Gold of another colour than yellow: « les boucles dorées » are not the white-gold ones.
OTHER_GOLDS = {"blanc", "rose", "gris"}
GOLDEN = {"dore", "jaune"}


def _descriptor_fits(word: str, keys: set[str]) -> bool:
    """Whether a line whose key words are `keys` is what the descriptor `word` describes."""
    base = _descriptor_key(word)
    if base in GOLDEN and "or" in keys and keys & OTHER_GOLDS and not keys & GOLDEN:
        return False
    wanted = DESCRIPTORS.get(base, {base})
    # a line's keys are singular: « Bracelet tennis » holds « tenni », « Bague rubis » « rubi »
    return bool(wanted & keys or {singular(word) for word in wanted} & keys)


def _line_keys(line: str) -> set[str]:
    """A line name's key words, and the base form of those that are descriptors."""
    words = key_words(line)
    return set(words) | {_descriptor_key(word) for word in words}


def _described_better(mention: str, exact: list[str], candidates: list[str]) -> list[str]:
    """The lines named by the noun itself, unless the mention's other words fit a line of a
    kindred noun better: « le long collier de perles » is the pearl sautoir, not the garnet
    necklace set."""
    others = mention.split()[1:]
    if not others or exact == candidates:
        return exact
    best_exact = max((_shared_words(others, line) for line in exact), default=0)
    best_other = max(_shared_words(others, line) for line in candidates)
    return candidates if best_other > best_exact else exact


def _exact_noun(mention: str, candidates: list[str]) -> list[str]:
    """« la bague » among « Bague en or » and « Alliance » is the line named « bague »; « la
    breloque » is not « Bracelet à breloques » when a line is a breloque (the bracelet only
    carries them)."""
    noun = mention.split()[0]
    exact = [line for line in candidates if noun in key_words(line)]
    itself = [line for line in exact if not _only_a_complement(noun, line)]
    # « le jonc » among « Bague jonc onyx » and « Bracelet jonc ouvert »: the bangle, a piece
    # of that kind; the ring only has its shape
    kind = [line for line in itself if head_noun(line) in ITEM_NOUNS.get(noun, {noun})]
    return kind or itself or exact or candidates


def _only_a_complement(noun: str, line: str) -> bool:
    """Is `noun` in the line's name only after a preposition (« Bracelet à breloques »)?"""
    words = re.findall(r"[a-z0-9]+", plain(line))
    spots = [i for i, w in enumerate(words) if singular(w) == noun]
    return bool(spots) and all(i > 0 and words[i - 1] in {"a", "avec", "aux"} for i in spots)


def resolve_items(mentions: list[tuple[str, Any]], lines: list[str]) -> Resolution:
    """The lines the mentions (value, role) name among `lines` (the order's line names).

    Included mentions name lines; excluded ones remove lines (« tout sauf le collier »); a
    message that only excludes names every other line. A mention that fits several lines
    equally well is ambiguous, unless the customer said « les deux » (role `every`). Without
    any jewellery noun, the message's content words (role `words`) name the lines whose
    distinctive words they hold (« l'Éclat »). A role of True means `excluded`.
    """
    roles = [(value, EXCLUDED if role is True else (role or None)) for value, role in mentions]
    context = " ".join(v for v, r in roles if r == CONTEXT)
    roles = [(v, r) for v, r in roles if r != CONTEXT]
    # A descriptor that fits no line (« la pierre » of a plain ring) names nothing.
    roles = [(v, r) for v, r in roles if not v.startswith(DESCRIBED) or _described(v, lines)]
    # « l'autre bague lui va très bien »: the other one is praised, not named
    if any(v.startswith(OTHER) and r not in {EXCLUDED, PRAISED} for v, r in roles):
        return _the_others(roles, lines)
    roles = [(v, r) for v, r in roles if not v.startswith(OTHER)]
    roles = _without_parts_of_named(_plurals_narrowed_after(roles, lines), lines)
    others_named = any(r in {None, EVERY, ONLY} and (v in {ALL, BOTH} or best_lines(v, lines))
                       for v, r in roles)  # fmt: skip
    roles = [(v, None if r in IN_PASSING else r) for v, r in roles
             if r not in IN_PASSING or not others_named]  # fmt: skip
    # « c'est l'anneau qui s'est ouvert » (the jump ring, no line): no focus
    focused = [(v, r) for v, r in roles if r == ONLY and best_lines(v, lines)]
    if focused:  # « juste le bracelet »: the other pieces named are context
        roles = [(v, None) for v, _ in focused] + [
            (v, EXCLUDED) for v, r in roles if r in {EXCLUDED, PRAISED}
        ]
    pieces = [v for v, r in roles if r in {None, EVERY} and v not in {ALL, BOTH}]
    # « la chaîne est parfaite, le pendentif… »: praise sets a piece aside only beside another
    # one; « les boucles sont ravissantes mais… je souhaite les renvoyer » names them.
    roles = [(v, (EXCLUDED if pieces else None) if r == PRAISED else r) for v, r in roles]
    # « les deux » after the pieces are named means them; alone, the whole order.
    roles = [(ALL if v == BOTH else v, r) for v, r in roles if v != BOTH or not pieces]
    included = [(v, r) for v, r in roles if r in {None, EVERY}]
    excluded = [v for v, r in roles if r == EXCLUDED]
    set_aside = [best_lines(value, lines) for value in excluded if value != ALL]
    removed = {line for fitting in set_aside for line in fitting}
    # « la chaîne est parfaite mais la silver… »: a piece set aside without telling which of
    # two lines does not remove the one another mention names
    removed_firmly = {fitting[0] for fitting in set_aside if len(fitting) == 1}
    named: list[str] = []
    ambiguous: list[str] = []
    if any(v == ALL for v, _ in included):
        named = [line for line in lines if line not in removed]
    elif excluded and not included:  # « je garde l'alliance, la trois ors me plaît plus »
        left = [line for line in lines if line not in removed]
        named = _by_words(context, left) or left
    for value, role in included:
        if value == ALL:
            continue
        fitting = best_lines(value, lines, role == EVERY)
        found = [line for line in fitting if line not in removed] or [
            line for line in fitting if line not in removed_firmly
        ]
        if len(found) > 1 and role != EVERY:
            found = (
                _by_wearer(value, found)  # « celle de mon amoureux »
                or _by_words(context, found)
                or _by_size(_sizes_telling_apart(context), found)
                or _by_wearer(context, found)
                or _by_english_words(context, found)
                or found
            )
        if len(found) == 1 or role == EVERY:
            named.extend(found)
        elif len(found) > 1 and not set(found) <= set(named):
            ambiguous.extend(found)
    if not included and not excluded:
        named = [line for value, role in roles if role == WORDS for line in _by_words(value, lines)]
    elif included and not excluded and not named and not ambiguous:
        # « la chaîne du hamsa s'est rompue » on an order without a chain: the piece it belongs
        # to, named by its own word
        named = _by_words(context, lines)
    chosen = [line for line in lines if line in named]
    if ambiguous and not chosen:
        return Resolution([], [line for line in lines if line in ambiguous])
    return Resolution(chosen, [])


def _plurals_narrowed_after(
    roles: list[tuple[str, str | None]], lines: list[str]
) -> list[tuple[str, str | None]]:
    """« les deux chaînes sont arrivées nouées et la courte a le fermoir arraché »: a plural
    that one of its pieces, named after it, narrows down tells the story; the piece named
    after it is the one meant."""
    kept: list[tuple[str, str | None]] = []
    for index, (value, role) in enumerate(roles):
        if role == EVERY and value not in {ALL, BOTH}:
            every = set(best_lines(value, lines, True))
            # the piece may be named again (« celle en or jpense. ouin c'est celle en or »)
            named_after = {
                tuple(fitting)
                for later, later_role in roles[index + 1 :]
                if later_role in {None, ONLY, EVERY} and (fitting := best_lines(later, lines))
            }
            if (
                len(named_after) == 1
                and len(one := next(iter(named_after))) == 1
                and (set(one) < every)
            ):
                continue
        kept.append((value, role))
    return kept


def _without_parts_of_named(
    roles: list[tuple[str, str | None]], lines: list[str]
) -> list[tuple[str, str | None]]:
    """« le collier de Tahiti est arrivé le fil cassé, les perles partout »: a descriptor that
    fits a line a jewellery noun names describes that piece, it names no other line."""
    named: set[str] = set()
    for value, role in roles:
        by_noun = value not in {ALL, BOTH} and not value.startswith((DESCRIBED, OTHER))
        if by_noun and role in {None, EVERY, ONLY, *IN_PASSING}:
            found = best_lines(value, lines, role == EVERY)
            named.update(found if len(found) == 1 or role == EVERY else [])
    return [
        (value, role)
        for value, role in roles
        if not (
            value.startswith(DESCRIBED)
            and role != EXCLUDED
            and set(_described(value, lines)) & named
        )  # fmt: skip
    ]


def _the_others(roles: list[tuple[str, str | None]], lines: list[str]) -> Resolution:
    """« je garde celle en or, c'est l'autre que je retourne », « le pendentif me va, c'est
    l'autre article »: the lines (of the noun given, « l'autre bague ») that none of the
    message's other mentions names, whatever is said of those."""
    if remaining := _named_but_not_excluded(roles, lines):
        return Resolution(remaining, []) if len(remaining) == 1 else Resolution([], remaining)
    elsewhere = {
        line
        for value, role in roles
        if role != WORDS and value not in {ALL, BOTH} and not value.startswith(OTHER)
        for line in best_lines(value, lines)
    }
    # « pas le jonc en cuivre, l'autre »: the other piece of the kind named, if there is one
    kinds = {head_noun(line) for line in elsewhere}
    same_kind = [line for line in lines if line not in elsewhere and head_noun(line) in kinds]
    found: list[str] = []
    for value, role in roles:
        if value.startswith(OTHER) and role != EXCLUDED:
            noun = value.split()[1:]
            fitting = [line for line in lines if not noun or _line_matches(noun[0], line)]
            # « l'autre alliance » is a wedding band, not the engagement ring beside them
            fitting = [line for line in fitting if noun and noun[0] in key_words(line)] or fitting
            if not noun and same_kind:
                fitting = same_kind
            found.extend(line for line in fitting if line not in elsewhere)
    chosen = [line for line in lines if line in found]
    if len(chosen) > 1 and not elsewhere:  # « l'autre » alone: which one is not said
        return Resolution([], chosen)
    return Resolution(chosen, [])


def _named_but_not_excluded(roles: list[tuple[str, str | None]], lines: list[str]) -> list[str]:
    """« ma chaîne, pas celle de 60, l'autre », « le bracelet (pas la chaîne de cheville,
    l'autre) »: « l'autre » said with a piece named and one left out means the lines the piece
    names but the one left out; none when the message does not say it so."""
    if any(value.startswith(OTHER) and len(value.split()) > 1 for value, _ in roles):
        return []  # « l'autre bague »: the noun after « autre » decides
    named = {line for v, r in roles if r in {None, ONLY} and not v.startswith(OTHER)
             and v not in {ALL, BOTH} for line in best_lines(v, lines)}  # fmt: skip
    left_out = {line for v, r in roles if r == EXCLUDED for line in best_lines(v, lines)}
    if not left_out:
        return []
    return [line for line in lines if line in named and line not in left_out]


def _ranked(value: str, lines: list[str]) -> list[str]:
    """« __nth__ 2 bague »: the second of the order's rings, as the order lists them; « __nth__
    -1 »: the last line."""
    _, rank, *noun = value.split()
    fitting = [line for line in lines if not noun or _line_matches(noun[0], line)]
    index = int(rank) - 1 if int(rank) > 0 else len(fitting) + int(rank)
    return [fitting[index]] if 0 <= index < len(fitting) else []


def _described(value: str, lines: list[str]) -> list[str]:
    """The lines a descriptor mention (« ~ vert », « ~ lettre or ») fits best: those whose
    name holds the most of its words, a colour standing for the gems of that colour."""
    if set(value.split()[1:]) & {LARGER, SMALLER}:
        return _by_size(value, lines)
    if measure := re.search(rf"{MEASURE_ALONE}(\d+)__", value):
        return [line for line in lines if int(measure[1]) in _measures(line)]
    if letters := re.findall(r"__letter_[a-z]__", value):
        return [line for line in lines if _has_the_letter(letters[0], line)]
    words = value.split()[1:]
    scores = {}
    for line in lines:
        keys = _line_keys(line)
        # the descriptor's own word breaks a tie: « la jaune » is the « or jaune » one, not
        # the « or rose » one, though both are gold
        # a gem or a making tells more than a colour: « le noir en lave » is the lava bracelet,
        # not the black signet ring
        fitting = [word for word in words if _descriptor_fits(word, keys)]
        scores[line] = (
            len(fitting),
            sum(1 for word in fitting if _descriptor_key(word) not in COLOURS),
            sum(1 for word in words if word in keys),
        )
    best = max(scores.values(), default=(0, 0, 0))
    if not best[0] and _lookalikes(words) != words:
        return _described(" ".join([DESCRIBED, *_lookalikes(words)]), lines)
    return [line for line in lines if best[0] and scores[line] == best]


# Who wears the piece, when a line is the men's one: « l'alliance de mon chum » among
# « Alliance pavée » and « Alliance homme ».
MEN = {"chum", "mari", "fiance", "conjoint", "copain", "homme", "pere", "frere", "papa", "gars",
       "garcon", "boyfriend", "husband", "amoureu"}  # fmt: skip
WOMEN = {"blonde", "femme", "fiancee", "conjointe", "copine", "fille", "mere", "soeur",
         "maman", "epouse", "girlfriend", "wife", "amoureuse"}  # fmt: skip
MENS_LINE = {"homme", "masculin"}


def _by_wearer(context: str, lines: list[str]) -> list[str]:
    """Of lines that differ by who wears them, those of the person the message names."""
    words = set(context.split())
    mens = [line for line in lines if set(key_words(line)) & MENS_LINE]
    if not mens or len(mens) == len(lines) or bool(words & MEN) == bool(words & WOMEN):
        return []
    return mens if words & MEN else [line for line in lines if line not in mens]


def _by_english_words(context: str, lines: list[str]) -> list[str]:
    """Of lines a noun fits, those the English descriptors of the message describe."""
    english = [_descriptor_key(word) for word in context.split()]
    english = [word for word in english if word in ENGLISH_DESCRIPTORS]
    fitting = [
        line for line in lines if all(_descriptor_fits(word, _line_keys(line)) for word in english)
    ]
    return fitting if english and len(fitting) < len(lines) else []


def _by_words(value: str, lines: list[str]) -> list[str]:
    """Lines one of whose distinctive words (in no other line, not generic) the message has,
    or nearly has: « la bag topaz », « ma bag opal » typed without the final e."""
    words = set(value.split()) - GENERIC_WORDS
    found = []
    for line in lines:
        others = {w for other in lines if other != line for w in key_words(other)}
        distinctive = set(key_words(line)) - others - GENERIC_WORDS
        if any(_nearly(word, own) for word in words for own in distinctive):
            found.append(line)
    return found


def _nearly(word: str, own: str) -> bool:
    """The same word, or one letter short at its end (« topaz », « opal »)."""
    return word == own or (len(word) >= 4 and own.startswith(word) and len(own) == len(word) + 1)


def _by_size(value: str, lines: list[str]) -> list[str]:
    """« la plus large des deux alliances » (2 mm and 4 mm), « la fine »: among the lines that
    give a measure, the largest or the smallest, when the words say which; among lines named
    by their size (« Créoles petites », « Créoles grandes »), the one of that size."""
    directions = {SIZE_DIRECTION.get(word, word) for word in value.split()} & {LARGER, SMALLER}
    if len(directions) != 1:
        return []
    (direction,) = directions
    sizes = {line: size for line in lines if (size := _size(line)) is not None}
    if set(value.split()) & LENGTH_WORDS:  # « la plus longue »: a chain's length, not a width
        sizes = {line: size for line, size in sizes.items() if size[1] in LENGTH_UNITS}
    if len({unit for _, unit in sizes.values()}) > 1:
        return []  # « la petite » among chains in cm and hoops in mm: sizes of other things
    measures = {line: measure for line, (measure, _) in sizes.items()}
    if len(set(measures.values())) < 2:  # « la plus grande des 2 bagues »: by ring size
        measures = {line: size for line in lines if (size := _ring_size(line)) is not None}
    if len(set(measures.values())) < 2:
        return _sized_by_name(direction, lines)
    chosen = (max if direction == LARGER else min)(measures.values())
    return [line for line in lines if measures.get(line) == chosen]


def _sized_by_name(direction: str, lines: list[str]) -> list[str]:
    """The lines whose name gives that size, when another line's name gives the other one."""
    sizes = {line: {SIZE_DIRECTION.get(w) for w in re.findall(r"[a-z]+", plain(line))} - {None}
             for line in lines}  # fmt: skip
    if not any(direction not in size and size for size in sizes.values()):
        return []
    return [line for line in lines if sizes[line] == {direction}]


def _sizes_telling_apart(context: str) -> str:
    """The context without the sizes said of the piece (« trop courte », « un peu grande »):
    those say what is wrong with it, not which one it is."""
    return re.sub(r"\b(trop|assez|peu|tellement|vraiment|super|beaucoup) \w+", " ", context)


def _size(line: str) -> tuple[float, str] | None:
    """The length or width a line's name gives, and its unit (« 40 cm » → 40.0, « cm »)."""
    if match := SIZE_MEASURE.search(plain(line)):
        return float(match.group(1).replace(",", ".")), match.group(2)
    return None


def _measures(line: str) -> set[float]:
    """What « la 45 » or « la 7 » may name in a line: its length or width, its ring size."""
    size, ring_size = _size(line), _ring_size(line)
    return {value for value in (size and size[0], ring_size) if value}


def _ring_size(line: str) -> float | None:
    """The ring size a line's name gives (« taille 6,5 » → 6.5)."""
    match = RING_SIZE.search(plain(line))
    return float(match.group(1).replace(",", ".")) if match else None


# « le cuff doré » in an order without an ear cuff: the cuff bracelet; « le cross pendant »
# in one without pendant earrings: the pendant.
FALLBACK_NOUNS = {"cuff": "manchette", "pendant": "pendentif"}


def best_lines(value: str, lines: list[str], plural: bool = False) -> list[str]:
    """The lines a mention fits best; for a plural (« les bagues »), every line of the noun's
    family when its own noun names fewer than two."""
    if value.startswith(DESCRIBED):
        return _described(value, lines)
    if value.startswith(NTH):
        return _ranked(value, lines)
    candidates = [line for line in lines if _line_matches(value, line)]
    noun, *others = value.split()
    if not candidates and noun in FALLBACK_NOUNS:
        return best_lines(" ".join([FALLBACK_NOUNS[noun], *others]), lines, plural)
    if _other_metal(value, candidates):
        return []
    if rank := next((int(w[1:]) for w in value.split() if w.startswith(RANK)), 0):
        return _at_rank(rank, candidates)
    exact = _exact_noun(value, candidates)
    if plural and len(exact) < 2:
        exact = candidates
    narrowed = _narrowed(value, _described_better(value, exact, candidates))
    if len(narrowed) > 1 and _shape_of_none(value, narrowed):
        return []
    return (len(narrowed) > 1 and _by_size(value, narrowed)) or narrowed


# « les boucles d'oreilles en forme de lune »: a shape said past the modifiers' window
SHAPE_AFTER = re.compile(r"[^,.;!?]{0,25}?\ben forme (?:de |d'|d )(\w+)")


# A shape as a line's key words hold it (singular: « croix » is « croi »).
MOTIF_KEYS = set(MOTIFS) | {singular(motif) for motif in MOTIFS}


def _shape_of_none(value: str, lines: list[str]) -> bool:
    """« les boucles en forme de lune » when the order's earrings are a butterfly and a star:
    the lines tell themselves apart by their shape, and none has the one named (a piece not
    in the order, or missing from it)."""
    shapes = [word for word in value.split()[1:] if _descriptor_key(word) in MOTIFS]
    return bool(shapes) and all(
        set(key_words(line)) & MOTIF_KEYS
        and not any(_descriptor_fits(shape, _line_keys(line)) for shape in shapes)
        for line in lines
    )


def _other_metal(value: str, candidates: list[str]) -> bool:
    """« la chaîne en or » when the only lines of its kind are other nouns (« Collier perles
    noires ») without gold: no line is that piece, the nearest one would be a wrong guess."""
    noun, *others = value.split()
    metals = {_descriptor_key(word) for word in others if word in MATERIALS}
    if not metals or not candidates or any(noun in key_words(line) for line in candidates):
        return False
    return not any(metals & {_descriptor_key(w) for w in key_words(line)} for line in candidates)


def _at_rank(rank: int, candidates: list[str]) -> list[str]:
    """« la première bague », « la dernière »: the line at that rank, in the order's order;
    « celle du milieu »: the middle one of three (or five)."""
    if rank == MIDDLE:
        odd = len(candidates) % 2 == 1 and len(candidates) > 1
        return [candidates[len(candidates) // 2]] if odd else []
    if -len(candidates) <= rank - (rank > 0) < len(candidates):
        return [candidates[rank - 1 if rank > 0 else rank]]
    return []
