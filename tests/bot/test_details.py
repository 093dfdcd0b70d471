"""The details of a message read from spaCy's French analysis: warranty cause and return
reason with negation scope, the order lines named, the wanted outcome, the address."""

from __future__ import annotations

import pytest
from components.addresses import parse_address
from components.causes import preference, return_reason, warranty_cause
from components.details import DetailExtractor, details
from components.items import (
    ALL,
    CONTEXT,
    item_mentions,
    resolve_items,
    sounded_noun,
    sounds_alike,
)
from components.negation import aligned_plain
from components.spacy_model import analyse_with, load_french_spacy
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message


@pytest.fixture(scope="module")
def nlp():
    return load_french_spacy("fr_core_news_sm").model


def analysed(nlp, text: str):
    return analyse_with(nlp, nlp(text), "parser")


def found(nlp, text: str) -> dict[str, object]:
    return {e["entity"]: e["value"] for e in details(nlp(text), nlp) if not e.get("role")}


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("le fermoir s'est brisé tout seul", "defect"),
        ("une pierre est tombée de ma bague", "defect"),
        ("elle est toute usée", "normal_wear"),
        ("ma bague est rayée", "normal_wear"),
        ("j'ai perdu mon collier", "loss"),
        ("un bijoutier l'a agrandie", "modification"),
        ("je l'ai échappée dans l'escalier", "improper_use"),
        ("je l'ai portée à la piscine, le chlore l'a noircie", "improper_use"),
        ("je ne l'ai pas achetée chez vous", "non_allyzure_item"),
    ],
)
def test_the_warranty_cause_is_read_from_the_words(nlp, text, cause):
    assert warranty_cause(analysed(nlp, text))[0] == cause


@pytest.mark.parametrize(
    ("text", "cause", "denied"),
    [
        ("c'est un défaut, je l'ai jamais échappé", "defect", ["improper_use"]),
        # what nearly happened did not
        ("trop grande pour mon père, il a failli la perdre deux fois", None, ["loss"]),
        ("Je ne l'ai pas perdue, la pierre s'est décrochée", "defect", ["loss"]),
        ("elle n'est ni rayée ni tordue, le fermoir ne ferme plus", "defect", ["normal_wear"]),
        ("aucun choc, la maille a lâché", "defect", ["improper_use"]),
        ("je ne l'ai pas fait réparer ailleurs", None, ["modification"]),
        ("elles ne ferment plus, aucunement réparées", "defect", ["modification"]),
        # phrases that rule a cause out without naming it
        ("elle a changé de couleur, j'ai rien fait dessus", "defect", ["improper_use"]),
        (
            "une amie l'a achetée chez vous, c'est bien un Allyzure. Il a perdu une pierre",
            "defect",
            ["non_allyzure_item"],
        ),
        ("conforme, rien à redire sur la qualité, mais trop décontracté", None, ["defect"]),
        # what did not happen to the customer is no cause of theirs
        (
            "un bracelet échappé sur le carrelage, c'est couvert ? Ça m'est pas arrivé, je demande",
            None,
            ["improper_use"],
        ),
        ("par curiosité, une bague perdue est-elle couverte ?", None, ["loss"]),
        ("ça ne m'est jamais arrivé mais si la pierre tombe ?", None, ["defect"]),
        # a jeweller who only looked changed nothing; a stone lost after it came off
        (
            "je l'ai fait évaluer chez un bijoutier, la pierre s'est détachée",
            "defect",
            ["modification"],
        ),
        ("la pierre de ma bague s'est détachée et je l'ai perdue", "defect", []),
    ],
)
def test_a_negated_cause_is_never_the_cause(nlp, text, cause, denied):
    assert warranty_cause(analysed(nlp, text)) == (cause, denied)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ma bague est arrivée cassée", "damaged_on_arrival"),
        # what came set against what was ordered or listed
        ("le pendentif a un R gravé, je voulais un B", "wrong_item"),
        ("la chaîne est en acier, la description disait argent 925", "wrong_item"),
        ("la pierre ressemble à un quartz, pas du tout à une améthyste", "wrong_item"),
        ("je voulais une bague plus simple finalement", "changed_mind"),
        # a flaw there when the parcel was opened came damaged, whatever the flaw
        ("les boucles ont des taches noires dès la sortie du sachet", "damaged_on_arrival"),
        ("le fermoir ne ferme pas, jamais portée, je viens de la déballer", "damaged_on_arrival"),
        ("la dorure part, c'est comme ça que je l'ai reçu", "damaged_on_arrival"),
        ("la dorure part après deux semaines", "defective"),
        # broken, but no piece: the engagement (the occasion gone), a heart
        ("je rends la bague, les fiançailles sont rompues", "changed_mind"),
        ("mon cœur est brisé, mais la pierre est tombée toute seule", "defective"),
        ("les perles étaient décollées à la réception du colis", "damaged_on_arrival"),
        ("le fermoir est défectueux", "defective"),
        ("la chaîne s'est cassée au bout de deux jours", "defective"),
        ("j'ai reçu un bracelet au lieu du collier", "wrong_item"),
        ("ce n'est pas le bon article", "wrong_item"),
        ("la bague est trop petite", "wrong_size"),
        ("elle ne me plaît pas finalement", "changed_mind"),
        ("elle n'est pas abîmée, j'ai juste changé d'avis", "changed_mind"),
        ("je veux retourner un article", None),
        # as typed, and in Montréal franglais
        ("jla trouve tro longue pr moi", "wrong_size"),
        ("la chaîne est too short", "wrong_size"),
        ("ça fit pas", "wrong_size"),
        # said by the body
        ("ça me pince l'oreille pis ça fait mal", "wrong_size"),
        ("je dois la savonner pour l'enlever", "wrong_size"),
        ("la chaîne me tombe au nombril", "wrong_size"),
        # no change of mind: a favourite kept, a reason withheld, a door bell
        ("la rose je la garde, c'est ma préférée", None),
        ("je préfère ne pas préciser", None),
        ("sonnez deux fois en arrivant", None),
        ("je l'ai commandée deux fois par erreur", "changed_mind"),
        ("je préfère ne plus la garder", "changed_mind"),
        # supposed, not given
        ("si elle est trop grande, je peux la retourner ?", None),
        ("au cas où il serait trop court pour ma mère, je pourrai le retourner ?", None),
        ("peut-on échanger les créoles si elle n'aime pas ?", None),
        ("s'il ne me plaît pas, je peux le renvoyer ?", None),
        ("elle est trop petite, s'il vous plaît une taille 7", "wrong_size"),
        ("je la renvoie même si elle est trop belle, je n'en veux plus", "changed_mind"),
        ("arrivée ovale, comme si on l'avait écrasée", "damaged_on_arrival"),
        ("une bague arrivée cassée, qui paie le retour ? ça m'est pas arrivé", None),
        ("par pure curiosité, une chaîne trop courte se retourne ?", None),
        # « arriver » said of the parcel is no disclaimer
        ("le collier est arrivé cassé, ça m'est déjà arrivé une fois", "damaged_on_arrival"),
    ],
)
def test_the_return_reason_is_read_with_its_negation(nlp, text, reason):
    assert return_reason(analysed(nlp, text))[0] == reason


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("je veux pas de remplacement, je veux être remboursée", "refund"),
        ("je préférerais un crédit en magasin", "store_credit"),
        ("je voudrais l'échanger contre une autre taille", "exchange"),
        ("pouvez-vous me la remplacer ?", "replacement"),
        ("remboursement ou crédit en magasin ?", None),
        ("où est ma commande ?", None),
    ],
)
def test_the_wanted_outcome_is_read_unless_denied_or_only_asked_about(nlp, text, wanted):
    assert preference(analysed(nlp, text))[0] == wanted


def mentions(nlp, text: str) -> list[tuple[str, bool]]:
    """The pieces named, without the words around them (role `context`)."""
    found = item_mentions(analysed(nlp, text))
    return [(m.value, m.excluded) for m in found if m.role != CONTEXT]


def test_an_item_is_named_with_its_modifiers_and_without_accents_or_plural(nlp):
    # « d'oreilles » names the kind, not one pair among others
    assert mentions(nlp, "je renvoie les boucles d'oreilles en argent") == [
        ("boucle argent", False)
    ]
    assert mentions(nlp, "la bague en or") == [("bague or", False)]


SHOP = ["Bague Éclat or 14 carats", "Bague solitaire argent", "Jonc en argent",
        "Bracelet jonc plaqué or", "Bracelet à breloques argent", "Breloque trèfle émaillée",
        "Pendentif cœur gravé", "Chaîne en or rose 18 po"]  # fmt: skip


def named_lines(nlp, text: str, lines: list[str]) -> list[str]:
    entities = details(nlp(text), nlp)
    found = [(str(e["value"]), e.get("role")) for e in entities if e["entity"] == "item"]
    resolution = resolve_items(found, lines)
    return resolution.lines or resolution.ambiguous


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # a demonstrative with a material: a line of that gender and metal
        ("celle en argent est trop petite", SHOP[:3], ["Bague solitaire argent"]),
        ("celui en argent, je le renvoie", SHOP[:4], ["Jonc en argent"]),
        ("c'est celui plaqué or que je renvoie", SHOP[2:4], ["Bracelet jonc plaqué or"]),
        # the plate of a curb bracelet is no plated line; « la plaque or » is
        (
            "la gourmette est arrivée avec la plaque gravée décollée",
            ["Bracelet gourmette gravé", "Collier prénom plaqué or"],
            ["Bracelet gourmette gravé"],
        ),
        (
            "la plaque or est trop courte",
            ["Bracelet jonc argent", "Collier prénom plaqué or"],
            ["Collier prénom plaqué or"],
        ),
        # « en or » although the tagger reads « or » as a conjunction
        ("la bague en or est trop grande", SHOP[:2], ["Bague Éclat or 14 carats"]),
        # a plural of a single piece means every line of it; « les deux » the pieces named
        ("c'est pour les joncs que je vous écris", SHOP[:4], SHOP[2:4]),
        (
            "le jonc en argent est petit et celui en or aussi, je retourne les deux",
            SHOP[:4],
            SHOP[2:4],
        ),
        # focus: « juste », a cleft; praise sets a piece aside only beside another one
        (
            "j'aimerais annuler juste le bracelet, le collier est déjà gravé",
            ["Bracelet jonc plaqué or", "Collier prénom"],
            ["Bracelet jonc plaqué or"],
        ),
        ("la chaîne est parfaite, c'est le pendentif qui est rayé", SHOP[6:], [SHOP[6]]),
        ("le pendentif est magnifique mais je souhaite le renvoyer", SHOP[6:], [SHOP[6]]),
        # pieces listed then kept together
        (
            "le pendentif et la chaîne, je les garde. Je retourne le jonc",
            SHOP[2:3] + SHOP[6:],
            ["Jonc en argent"],
        ),
        # the piece a charm hangs on is a place; a charm is not the charm bracelet
        ("la breloque ne tient plus sur le bracelet", SHOP[4:6], ["Breloque trèfle émaillée"]),
        # typed one letter off, and « cœur » typed « coeur »
        ("je vx renvoyer le braclet", SHOP[3:4] + SHOP[6:7], ["Bracelet jonc plaqué or"]),
        ("c le coeur que je veux retourner", SHOP[6:], ["Pendentif cœur gravé"]),
        ("annulez tout svp", SHOP[:2], SHOP[:2]),
        # the pieces a story lists step aside for the one named after the list
        (
            "j'ai commandé la bague, le jonc et le pendentif. Tout était beau, le jonc a noirci",
            SHOP[:1] + SHOP[2:3] + SHOP[6:7],
            ["Jonc en argent"],
        ),
        (
            "J'ai bien reçu la bague et le pendentif, merci! Par contre le pendentif est rayé",
            SHOP[:1] + SHOP[6:7],
            [SHOP[6]],
        ),
        (
            "j'ai reçu la bague et le jonc, les deux sont tordus",
            SHOP[:1] + SHOP[2:3],
            [SHOP[0], SHOP[2]],
        ),
        # « l'autre » said with a piece named and one left out: the piece but the one left out
        ("mon jonc, pas celui en or, l'autre, a noirci", SHOP[2:4], ["Jonc en argent"]),
    ],
)
def test_the_lines_named_are_read_like_a_reader_would(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        ("trop large le jonc, il glisse", ["Bague jonc onyx", "Bracelet jonc ouvert argent"],
         ["Bracelet jonc ouvert argent"]),
        ("la bague jonc est trop grande", ["Bague jonc onyx", "Bracelet jonc ouvert argent"],
         ["Bague jonc onyx"]),
        ("le jonc est tordu", ["Bracelet jonc or", "Bracelet jonc argent"],
         ["Bracelet jonc or", "Bracelet jonc argent"]),
    ],
)  # fmt: skip
def test_a_noun_names_the_pieces_of_its_kind_before_those_only_shaped_like_it(
    nlp, text, lines, named
):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


STACKED = ["Bague empilable or jaune", "Bague empilable or rose", "Bague empilable argent",
           "Puces perles"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("l'article numéro 3 est abîmé", ["Bague empilable argent"]),
        ("la ligne 2 de la facture", ["Bague empilable or rose"]),
        ("l'item #4 svp", ["Puces perles"]),
        ("l'article n° 1 est rayé", ["Bague empilable or jaune"]),
        ("j'ai commandé 2 articles", []),  # a count, no place on the invoice
        ("la bague du haut de la commande", ["Bague empilable or jaune"]),
        ("celle du bas de la liste", ["Puces perles"]),
        ("le bracelet est trop bas sur le bras", []),
    ],
)
def test_a_line_is_named_by_its_number_on_the_invoice(nlp, text, named):
    assert sorted(named_lines(nlp, text, STACKED)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("vous avez mis la jaune au lieu de la rose, envoyez la rose svp", ["Bague or rose"]),
        ("vous m'avez envoyé une bague en or jaune, j'avais pris la rose", ["Bague or rose"]),
        ("la jaune est trop petite", ["Bague or jaune"]),
    ],
)
def test_the_piece_received_instead_is_not_the_line_meant(nlp, text, named):
    assert named_lines(nlp, text, ["Bague or jaune", "Bague or rose", "Bague argent"]) == named


EARRINGS_AND_RINGS = ["Boucles puces zircon", "Alliance or blanc", "Alliance or jaune"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Les puces zircon : une pierre s'est détachée, l'autre tient encore",
         ["Boucles puces zircon"]),
        ("les puces, j'en ai juste une, l'autre a disparu", ["Boucles puces zircon"]),
        # another piece: « l'autre » is the other line
        ("je garde l'alliance en or blanc, l'autre je la retourne", ["Alliance or jaune"]),
    ],
)  # fmt: skip
def test_the_other_one_of_a_thing_just_counted_is_no_other_line(nlp, text, named):
    assert named_lines(nlp, text, EARRINGS_AND_RINGS) == named


CHAINS = ["Chaîne vénitienne 45 cm or", "Chaîne vénitienne 60 cm or", "Médaillon photo argent"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("la 45 m'étrangle presque", ["Chaîne vénitienne 45 cm or"]),
        ("Je peux échanger la 60 contre une 50 ?", ["Chaîne vénitienne 60 cm or"]),
        ("je renvoie la 60 cm", ["Chaîne vénitienne 60 cm or"]),
        ("la 50 svp", []),  # no line measures 50
        ("les 30 jours sont passés ?", []),
        ("commandée le 45 novembre", []),  # a date (even a wrong one), not a length
        ("livrez-la au 45 rue des Érables", []),
        ("la 45 m'étouffe, j'aurais dû prendre la 60", ["Chaîne vénitienne 45 cm or"]),
        ("je l'échange contre la 60", []),  # the one wanted, not one of the order
    ],
)
def test_a_chain_is_named_by_its_length_alone(nlp, text, named):
    assert named_lines(nlp, text, CHAINS) == named


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("La chaîne du hamsa s'est rompue", ["Pendentif hamsa or jaune"]),
        ("Le hamsa a la chaîne cassée", ["Pendentif hamsa or jaune"]),
        ("la chaîne est cassée", []),  # no chain and no piece it belongs to
    ],
)
def test_a_part_of_a_piece_on_an_order_without_that_part_names_the_piece(nlp, text, named):
    lines = ["Pendentif hamsa or jaune", "Boucles puces opale", "Carte-cadeau 50 $"]
    assert named_lines(nlp, text, lines) == named


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("la bague du milieu est trop petite", ["Bague empilable or rose"]),
        ("je retourne celle du milieu", ["Bague empilable or rose"]),
        ("la bague du milieu de la facture", ["Bague empilable or rose"]),
        ("le pendentif a des taches au milieu", []),
        ("perdue au milieu de la nuit, la bague en argent", ["Bague empilable argent"]),
    ],
)
def test_the_middle_one_is_the_middle_of_three(nlp, text, named):
    assert sorted(named_lines(nlp, text, STACKED[:3])) == sorted(named)


def test_two_lines_have_no_middle_one(nlp):
    assert named_lines(nlp, "la bague du milieu", STACKED[:2]) == []


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        ("la plus petite des solitaires", ["Bague solitaire or 14 carats",
         "Bague solitaire argent", "Créoles or 10 carats"],
         ["Bague solitaire or 14 carats", "Bague solitaire argent"]),
        ("la plus large des alliances", ["Alliance 2 mm or 10 carats",
         "Alliance 4 mm or 10 carats"], ["Alliance 4 mm or 10 carats"]),
    ],
)  # fmt: skip
def test_carats_say_the_gold_not_the_size(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("j'ai reçu les créoles au lieu des puces", ["Puces diamant"]),
        ("on m'a envoyé les créoles à la place des puces", ["Puces diamant"]),
        # the same piece in another colour: the piece that came is the one ordered
        ("j'ai reçu les puces en or jaune au lieu de blanc", ["Puces diamant"]),
        # a piece received twice, the other one missing: the missing one is meant
        ("j'ai reçu deux paires de créoles et aucune puce", ["Puces diamant"]),
        ("jai recu deux fois le collier pis pas les puces", ["Puces diamant"]),
    ],
)
def test_the_piece_that_came_instead_names_the_one_ordered(nlp, text, named):
    lines = ["Boucles créoles argent", "Puces diamant", "Collier perles"]
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


THREE_PIECES = ["Bague croisée or rose", "Bague serpent argent", "Chevillère argent",
                "Collier perles"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # the English names Montréal customers mix in
        ("ma ring est trop grande", ["Bague croisée or rose", "Bague serpent argent"]),
        ("le necklace est brisé", ["Collier perles"]),
        ("l'anklet est trop courte", ["Chevillère argent"]),
        # what follows the piece is said of the others
        ("Je retourne la chevillère, le reste je garde.", ["Chevillère argent"]),
        ("je renvoie la bague serpent et la chevillère, les autres je les garde",
         ["Bague serpent argent", "Chevillère argent"]),
        ("la chevillère je la garde, le reste je retourne",
         ["Bague croisée or rose", "Bague serpent argent", "Collier perles"]),
        ("le collier je le renvoie, le reste je garde", ["Collier perles"]),
        ("je garde tout sauf le collier", ["Collier perles"]),
        ("je retourne tout sauf le collier",
         ["Bague croisée or rose", "Bague serpent argent", "Chevillère argent"]),
        # the piece preferred in the end is kept, the other one comes back
        ("je renvoie la chevillère, je préfère finalement le collier", ["Chevillère argent"]),
    ],
)  # fmt: skip
def test_a_piece_is_named_in_franglais_and_apart_from_the_rest(nlp, text, named):
    assert sorted(named_lines(nlp, text, THREE_PIECES)) == sorted(named)


HOOPS = ["Créoles petites or", "Créoles grandes or"]


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        ("la plus longue", ["Chaîne 40 cm", "Chaîne 50 cm", "Créoles 15 mm"], ["Chaîne 50 cm"]),
        ("la courte", ["Chaîne 40 cm", "Chaîne 50 cm", "Créoles 15 mm"], ["Chaîne 40 cm"]),
        # sizes of other things, in other units: no line is « la petite »
        ("la petite", ["Chaîne 40 cm", "Créoles 15 mm", "Créoles 30 mm"], []),
        # typed as said
        ("les ptites creoles sont tro ptites", HOOPS, ["Créoles petites or"]),
        ("je garde les grandes, je retourne les ptites", HOOPS, ["Créoles petites or"]),
    ],
)  # fmt: skip
def test_sizes_are_compared_in_one_unit_and_lengths_among_lengths(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("j'ai payé avec une carte cadeau, le trèfle est abîmé", ["Pendentif trèfle nacre"]),
        ("la carte-cadeau ne fonctionne pas", ["Carte-cadeau 50 $"]),
    ],
)
def test_a_gift_card_paid_with_is_no_line_of_the_order(nlp, text, named):
    lines = ["Pendentif trèfle nacre", "Carte-cadeau 50 $"]
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("l'ear cuff est cassé", ["Ear cuff or rose"]),
        ("je retourne les créoles et l'ear cuff", ["Créoles argent", "Ear cuff or rose"]),
        ("le cuff est cute mais les créoles sont trop lourdes", ["Créoles argent"]),
        ("la chaînette de l'ear climber a cassé", ["Bijou d'oreille ear climber"]),
        ("je renvoie la broche pis les clips", ["Broche libellule", "Clips d'oreilles grenat"]),
    ],
)
def test_the_ear_cuff_climber_and_clips_are_pieces_of_their_own(nlp, text, named):
    lines = [
        "Créoles argent",
        "Ear cuff or rose",
        "Manchette martelée argent",
        "Bijou d'oreille ear climber",
        "Broche libellule",
        "Clips d'oreilles grenat",
    ]
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


def test_a_piece_found_cheaper_elsewhere_is_still_named(nlp):
    text = "jai trouvé le meme pendentif trèfle a moitié prix chez Simons, jvous le renvoie"
    lines = ["Pendentif trèfle nacre", "Sautoir plaqué or"]
    assert named_lines(nlp, text, lines) == ["Pendentif trèfle nacre"]


def test_a_piece_said_to_be_ours_beside_one_from_elsewhere_is_named(nlp):
    text = "pas de chez vous la chaîne, mais le pendentif oui, et c'est lui qui est brisé"
    lines = ["Pendentif étoile or", "Chaîne boule argent", "Médaille acier"]
    assert named_lines(nlp, text, lines) == ["Pendentif étoile or"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("le collier tour de cou est arrivé avec la chaîne cassée", ["Collier tour de cou"]),
        ("la chaîne est cassée", ["Collier double chaîne", "Chaîne vénitienne"]),
    ],
)
def test_the_chain_of_a_necklace_just_named_is_its_part(nlp, text, named):
    lines = ["Collier tour de cou", "Collier double chaîne", "Chaîne vénitienne"]
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


RINGS_AND_NECKLACE = ["Bague aigue-marine", "Bague spinelle", "Collier multirang"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("aucune des bagues, c'est le collier", ["Collier multirang"]),
        ("je n'ai reçu aucune bague", ["Bague aigue-marine", "Bague spinelle"]),
    ],
)
def test_none_of_the_pieces_of_a_kind_leaves_them_out(nlp, text, named):
    assert sorted(named_lines(nlp, text, RINGS_AND_NECKLACE)) == sorted(named)


EAR_SPELT = ["Sautoir plaqué or", "Boucles dormeuses or jaune", "Bracelet cordon rouge",
             "Bracelet cordon noir", "Bague opale"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("mn sotoir a perdu sa couleur", ["Sautoir plaqué or"]),
        ("lé dormeuz se ferm pu", ["Boucles dormeuses or jaune"]),
        ("le bracelet rouj est trop serré", ["Bracelet cordon rouge"]),
        ("la bag me fait pas", ["Bague opale"]),
        # sounding alike is no licence for short words: « or » is not « hors »
        ("tout est beau sauf le sautoir", ["Sautoir plaqué or"]),
    ],
)
def test_a_piece_spelt_as_it_sounds_is_named(nlp, text, named):
    assert sorted(named_lines(nlp, text, EAR_SPELT)) == sorted(named)


@pytest.mark.parametrize(
    ("word", "other", "alike"),
    [
        ("sautoir", "sotoir", True),
        ("créole", "creol", True),
        ("breloque", "breloq", True),
        ("rouge", "rouj", True),
        ("bague", "bag", False),  # too short to be matched by sound: SMS_NOUNS names it
        ("jaune", "jonc", False),
        ("charme", "charm", True),  # alike, but « du charme » is never read as a charm
        ("chaîne", "collier", False),
    ],
)
def test_words_sound_alike_only_when_long_enough_and_the_same_to_the_ear(word, other, alike):
    assert sounds_alike(word, other) is alike


@pytest.mark.parametrize("word", ["charme", "epinglee", "montree", "pendan"])
def test_a_word_of_its_own_is_no_piece_spelt_by_ear(word):
    assert sounded_noun(word) is None


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("ça n'empêche pas que le plaqué est parti", "defect"),
        ("je l'ai échappée une fois mais elle n'a rien eu, le fermoir s'ouvre tout seul", "defect"),
        ("elle ne devrait pas perdre sa couleur en un mois", "defect"),
        ("elle est tombée dans le lavabo et je l'ai jamais retrouvée", "loss"),
        ("j'ai fait plaquer la bague chez un artisan", "modification"),
        ("je pense pas que ce soit cassé", None),
        ("la chaîne s'est cassée sans que je tire dessus", "defect"),
    ],
)
def test_the_cause_follows_the_clause_it_is_stated_in(nlp, text, cause):
    assert warranty_cause(analysed(nlp, text))[0] == cause


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("elle rentre pas sur mon doigt", "wrong_size"),
        ("il est un rien trop court", "wrong_size"),
        ("ça ne me va pas au teint", "changed_mind"),
        ("on s'est laissés, je retourne la bague", "changed_mind"),
        ("c pas ma commande ça", "wrong_item"),
        ("le fermoir était arraché à la réception du colis", "damaged_on_arrival"),
        ("ce n'est pas la taille qui m'embête, il ne me plaît plus", "changed_mind"),
        ("mon budget a explosé avec l'auto, je dois renvoyer le bracelet", "changed_mind"),
        ("je dois couper dans les dépenses, je retourne la bague", "changed_mind"),
        ("l'anniversaire de ma mère est passé, je retourne le sautoir", "changed_mind"),
        ("je renvoie les deux bagues, je n'en veux aucune", "changed_mind"),
        ("ni l'un ni l'autre ne me va, je retourne les colliers", "changed_mind"),
        ("est-ce que ça rentre dans mon budget ?", None),
    ],
)
def test_the_return_reason_reads_colloquial_french(nlp, text, reason):
    assert return_reason(analysed(nlp, text))[0] == reason


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("j'en veux pas, de remplacement. Remboursez-moi", "refund"),
        ("un bon d'achat, non merci. Je veux mon argent", "refund"),
        ("j'aimerais mieux un avoir qu'un remboursement", "store_credit"),
        ("gardez votre remplacement, je veux être remboursée", "refund"),
        ("sur la carte ou en crédit ? Moi je voudrais sur la carte", "refund"),
        ("je veux la même mais qui marche", "replacement"),
        ("est-ce que je pourrais la changer pour une taille 8 ?", "exchange"),
        # a correction settles it: « mais », « ou plutôt », « finalement »
        ("je voudrais échanger le bracelet, mais je veux être remboursée", "refund"),
        ("je voudrais un échange ou plutôt un remboursement", "refund"),
        ("plutôt un remboursement qu'un autre bracelet", "refund"),
    ],
)
def test_a_preference_turned_down_is_not_the_preference(nlp, text, wanted):
    assert preference(analysed(nlp, text))[0] == wanted


def test_a_piece_named_inside_another_is_one_item(nlp):
    assert mentions(nlp, "je renvoie le bracelet à breloques") == [("bracelet breloque", False)]


def test_both_pieces_of_a_kind_are_every_line_of_that_kind():
    lines = ["Bague Solitaire or 14 k", "Bague Jonc argent", "Collier perles"]

    assert resolve_items([("bague", "every")], lines).lines == lines[:2]


def test_an_item_the_customer_keeps_or_excludes_is_excluded(nlp):
    assert mentions(nlp, "je garde le collier mais je renvoie la bague") == [
        ("collier", True),
        ("bague", False),
    ]
    assert mentions(nlp, "tout sauf le pendentif gravé") == [
        (ALL, False),
        ("pendentif grave", True),
    ]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("ah non les boucles, elle les aime pas", [("boucle", False)]),
        ("oh non non, la bague en or", [("bague or", False)]),
        ("je retourne tout, non le collier", [(ALL, False), ("collier", True)]),
        ("le bracelet oui, non les boucles", [("bracelet", False), ("boucle", True)]),
    ],
    ids=["ah non opens", "oh non non opens", "non after the list", "non after a yes"],
)
def test_a_no_opening_the_message_corrects_and_names_the_piece(nlp, text, named):
    assert [(value, excluded) for value, excluded in mentions(nlp, text)] == named


LINES = ["Collier Éclat gravé", "Boucles d'oreilles Perle", "Bague Solitaire or 14 k"]


@pytest.mark.parametrize(
    ("named", "lines"),
    [
        ([("boucle", False)], ["Boucles d'oreilles Perle"]),
        ([("bague or", False)], ["Bague Solitaire or 14 k"]),
        ([("collier", True)], ["Boucles d'oreilles Perle", "Bague Solitaire or 14 k"]),
        ([(ALL, False), ("bague", True)], LINES[:2]),
        ([("bracelet", False)], []),
    ],
)
def test_mentions_resolve_against_the_order_lines(named, lines):
    assert resolve_items(named, LINES).lines == lines


def test_a_mention_fitting_two_lines_is_ambiguous():
    lines = ["Bague Solitaire or 14 k", "Bague Jonc argent"]

    assert resolve_items([("bague", False)], lines).ambiguous == lines
    assert resolve_items([("bague argent", False)], lines).lines == ["Bague Jonc argent"]


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        (
            "Ma nouvelle adresse est 55, rue Laurier Ouest, Montréal (Québec) H2T 2N6",
            ("55", "rue Laurier Ouest", "Montréal", "QC", "H2T 2N6", "CA"),
        ),
        (
            "1200 av. McGill College app. 4, Montréal QC H3B 4G7",
            ("1200", "av. McGill College", "Montréal", "QC", "H3B 4G7", "CA"),
        ),
        # a ZIP code without its state: the state it is in
        (
            "350 Fifth Avenue, suite 7100, New York 10118-0110",
            ("350", "Fifth Avenue", "New York", "NY", "10118-0110", "US"),
        ),
        (
            "742 Evergreen Terrace, Springfield 62704",
            ("742", "Evergreen Terrace", "Springfield", "IL", "62704", "US"),
        ),
        (
            "350 Fifth Avenue, New York, NY 10118",
            ("350", "Fifth Avenue", "New York", "NY", "10118", "US"),
        ),
        # the state named in full after the city; « Québec » alone stays the city
        (
            "350 Fifth Avenue, New York, New York 10118",
            ("350", "Fifth Avenue", "New York", "NY", "10118", "US"),
        ),
        (
            "12 rue Saint-Jean, Québec G1R 1N8",
            ("12", "rue Saint-Jean", "Québec", "QC", "G1R 1N8", "CA"),
        ),
    ],
)
def test_a_complete_address_is_parsed_and_valid(text, fields):
    address = parse_address(text)

    assert address.valid
    found = (address.street_number, address.street, address.city, address.region)
    assert (*found, address.postal_code, address.country) == fields


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1200 avenue McGill College, bureau 1100, Montreal, QC H3B 4G7",
         "1200 avenue McGill College, bureau 1100, Montreal (QC) H3B 4G7, Canada"),
        ("1200 av. McGill College app. 4, Montréal QC H3B 4G7",
         "1200 av. McGill College, app. 4, Montréal (QC) H3B 4G7, Canada"),
        ("350 Fifth Avenue, suite 200, New York, NY 10118",
         "350 Fifth Avenue, suite 200, New York (NY) 10118, États-Unis"),
        ("4-1250 rue Fleury, Montréal QC H2C 1R1",
         "1250 rue Fleury, app. 4, Montréal (QC) H2C 1R1, Canada"),
    ],
)  # fmt: skip
def test_an_address_is_shown_back_with_its_unit_as_written(text, shown):
    assert parse_address(text).one_line() == shown


def test_an_incomplete_address_says_what_is_missing():
    address = parse_address("je vous l'ai déjà donnée : 55 rue Laurier")

    assert not address.valid and address.missing == ["postal_code"]


@pytest.mark.parametrize("text", ["oui", "je déménage bientôt", "commande AZ104201 svp"])
def test_a_message_without_address_is_no_address(text):
    assert not parse_address(text).valid


def test_a_postal_code_of_another_province_is_refused():
    assert not parse_address("55 rue Laurier, Montréal QC M5V 2T6").valid


def test_the_details_come_out_as_entities(nlp):
    entities = found(nlp, "Je ne l'ai pas perdue, la pierre s'est décrochée")

    assert entities["warranty_cause"] == "defect"
    assert entities["denied_cause"] == "loss"


@pytest.mark.slow  # a second spaCy model, loaded whole: make test only
def test_running_the_parser_later_gives_the_one_pass_analysis(nlp):
    import spacy

    text = "je garde le collier mais je renvoie la bague en or"
    one_pass = spacy.load("fr_core_news_sm")(text)

    assert [t.dep_ for t in analysed(nlp, text)] == [t.dep_ for t in one_pass]


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("je perds toujours mes anneaux", "warranty_cause", "loss"),  # the lemma « perdre »
        ("elle pliait", "reason", "defective"),  # the lemma « plier »
        ("je renvoie le collier offert", "item", "collier offert"),  # the participle after the noun
    ],
)
def test_a_detail_needs_spacys_analysis_not_only_its_tokens(nlp, text, entity, value):
    analysed = details(nlp(text), nlp)
    tokens_only = details(nlp(text))

    assert (entity, value) in [(e["entity"], e["value"]) for e in analysed]
    assert (entity, value) not in [(e["entity"], e["value"]) for e in tokens_only]


def test_without_the_spacy_component_no_detail_is_extracted():
    """What removing SpacyNLP from the pipeline does: no doc, so no detail at all; and Rasa
    refuses such a pipeline since the extractor requires the spaCy component."""
    message = Message(data={TEXT: "Je ne l'ai pas perdue, la pierre s'est décrochée"})

    DetailExtractor().process([message], model=None)

    assert message.get(ENTITIES, []) == []
    assert SpacyNLP in DetailExtractor.required_components()


@pytest.mark.parametrize(
    "text",
    ["où est ma commande AZ104203 ?", "c'est marie.tremblay@exemple.ca", "H2T2N6 svp"],
)
def test_an_identifier_is_not_a_word_that_names_a_line(nlp, text):
    assert mentions(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        # gems by name are stones of the piece: losing one is a defect, not a loss
        ("ma bague a perdu son rubis", "defect"),
        ("le saphir est tombé de la monture", "defect"),
        # a finish gone, or the dull look it leaves
        ("la finition rhodium a complètement disparu", "defect"),
        ("la couleur argentée est partie, on voit le laiton", "defect"),
        ("le pendentif est rendu tout terne", "defect"),
        ("la nacre est devenue laiteuse", "defect"),
        # broken apart, cracked, a link come open
        ("elle est en trois morceaux", "defect"),
        ("un maillon s'est ouvert tout seul", "defect"),
        ("la pierre est fêlée", "defect"),
        # gone from where it was left, in Québec French
        ("je l'ai posée sur le comptoir pis après elle était pus là", "loss"),
        # rough use of a household kind, the hobby it was worn for
        ("je l'ai lavée au lave-vaisselle", "improper_use"),
        ("je la gardais pour jardiner", "improper_use"),
        # changed by someone else, bought in a chain store
        ("j'ai fait ajouter une breloque par ma cousine", "modification"),
        ("ma soeur a changé le fermoir pour un mousqueton", "modification"),
        ("je l'ai eue au Walmart", "non_allyzure_item"),
        # worn every day for years: wear, even where the customer denies a defect
        (
            "je dis pas qu'elle est défectueuse, je l'ai portée depuis cinq ans et la couleur "
            "s'en va",
            "normal_wear",
        ),
    ],
)
def test_the_warranty_cause_knows_the_kinds_of_words_customers_use(nlp, text, cause):
    assert warranty_cause(analysed(nlp, text))[0] == cause


@pytest.mark.parametrize(
    ("text", "cause", "denied"),
    [
        # what the piece is taken off for did not happen to it
        (
            "je l'enlève avant d'aller à la piscine et elle a quand même noirci",
            "defect",
            ["improper_use"],
        ),
        (
            "je la retire toujours pour le bricolage, mais le fermoir a lâché",
            "defect",
            ["improper_use"],
        ),
        # wear denied on a piece a few weeks old: a defect
        ("c'est pas de l'usure, je l'ai depuis deux semaines", "defect", ["normal_wear"]),
        # a cause both hinted at and denied in so many words is denied
        (
            "elle est toute terne à côté de mes colliers. Ce n'est pas un défaut, juste pas "
            "comme sur la photo",
            None,
            ["defect"],
        ),
        # a belief the customer takes back
        (
            "j'ai cru d'abord que c'était un défaut, mais c'est ma crème pour les mains qui "
            "fait ça",
            None,
            ["defect"],
        ),
        (
            "je pensais que le fermoir était cassé, mais en fait je l'avais mal fermé",
            None,
            ["defect"],
        ),
        # the same piece cheaper elsewhere: the customer's piece is ours
        ("j'ai trouvé le même pendentif moins cher chez Costco", None, ["non_allyzure_item"]),
        ("jai vu le meme a moitié prix chez Simons", None, ["non_allyzure_item"]),
    ],
)
def test_a_cause_the_customer_rules_out_is_denied(nlp, text, cause, denied):
    assert warranty_cause(analysed(nlp, text)) == (cause, denied)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # damage found on arrival: cracked, in pieces, bent, a link open
        ("le jonc est arrivé fêlé", "damaged_on_arrival"),
        ("reçu en mille morceaux", "damaged_on_arrival"),
        ("la griffe était pliée à l'ouverture du colis", "damaged_on_arrival"),
        ("la gourmette est arrivée avec un maillon ouvert", "damaged_on_arrival"),
        ("le placage est parti au bout d'un mois", "defective"),
        # not what was ordered, said by contrast with the order or the site
        ("vous m'avez envoyé des créoles alors que j'avais pris des puces", "wrong_item"),
        ("c'est pas le modèle choisi", "wrong_item"),
        ("j'ai eu du plaqué alors que sur la confirmation c'est écrit or massif", "wrong_item"),
        ("j'avais pourtant bien indiqué Camille", "wrong_item"),
        ("c'est pas mon prénom sur le pendentif", "wrong_item"),
        ("la mauvaise année est gravée", "wrong_item"),
        # taste, without « ne », and the occasion gone
        ("il va pas avec mes robes", "changed_mind"),
        ("franchement ça me ressemble pas", "changed_mind"),
        ("ça fait quétaine", "changed_mind"),
        ("les fiançailles sont annulées", "changed_mind"),
        ("j'en ai pu besoin", "changed_mind"),
        # the size said as the customer's situation
        ("je porte du 7", "wrong_size"),
        ("ça me coupe la circulation", "wrong_size"),
    ],
)
def test_the_return_reason_reads_situations_and_contrasts(nlp, text, reason):
    assert return_reason(analysed(nlp, text))[0] == reason


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("rendez-moi mes sous", "refund"),
        ("un bon pour choisir autre chose", "store_credit"),
        ("je prendrais le modèle au-dessus, je paie la différence", "exchange"),
        ("il me faudrait la taille 9", "exchange"),
        ("la même en 45 cm svp", "exchange"),
        ("elle est trop grande, je peux changer ?", "exchange"),
        # an address changed is no exchange
        ("j'ai mis mon ancienne adresse, vous pouvez la changer ?", None),
        ("c possible de changer ladresse ?", None),
    ],
)
def test_a_preference_is_read_from_how_it_is_asked(nlp, text, wanted):
    assert preference(analysed(nlp, text))[0] == wanted


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # a colour, a gem, a motif or a making named without the noun, a colour standing for
        # the gems of that colour; what is set aside is left out
        (
            "Pas la tressée, la rouge.",
            ["Bague tressée argent", "Bague rubis or"],
            ["Bague rubis or"],
        ),
        (
            "les opales, je les renvoie toutes",
            ["Boucles opale", "Pendentif opale", "Chaîne or"],
            ["Boucles opale", "Pendentif opale"],
        ),
        (
            "l'initiale en argent est rayée",
            ["Pendentif lettre argent", "Chaîne or"],
            ["Pendentif lettre argent"],
        ),
        (
            "je renvoie tout sauf le papillon",
            ["Breloque papillon", "Breloque soleil", "Bracelet argent"],
            ["Breloque soleil", "Bracelet argent"],
        ),
        # « l'autre »: the line the other mentions do not name, whatever is said of them
        (
            "je garde celui en or, c'est l'autre que je renvoie",
            ["Jonc or", "Jonc argent"],
            ["Jonc argent"],
        ),
        (
            "Le bracelet me plaît, c'est l'autre pièce que je retourne",
            ["Bracelet maille", "Boucles créoles"],
            ["Boucles créoles"],
        ),
        # nouns: « -eaux » plurals, the choker, the medal
        (
            "les anneaux sont trop lourds",
            ["Boucles d'oreilles anneaux or", "Chaîne or"],
            ["Boucles d'oreilles anneaux or"],
        ),
        (
            "le ras-de-cou m'étrangle",
            ["Collier ras-de-cou argent", "Bague opale"],
            ["Collier ras-de-cou argent"],
        ),
        (
            "la médaille est ternie",
            ["Chaîne médaille argent", "Collier prénom gravé"],
            ["Chaîne médaille argent"],
        ),
        # the customer's own other pieces, and the piece wanted in exchange, are no lines
        (
            "je retourne la tressée, elle jure avec mes autres bagues",
            ["Bague tressée argent", "Bague opale"],
            ["Bague tressée argent"],
        ),
        (
            "je renvoie le bracelet, un échange contre les créoles m'irait",
            ["Bracelet jonc", "Boucles créoles or"],
            ["Bracelet jonc"],
        ),
        # keeping stops at the comma; « le tout » is the order
        (
            "je garde la broche, le collier je le renvoie",
            ["Broche fleur", "Collier perles"],
            ["Collier perles"],
        ),
        (
            "je vous retourne le tout",
            ["Broche fleur", "Collier perles"],
            ["Broche fleur", "Collier perles"],
        ),
        # money is no metal; « pas le … que j'ai commandé » is the piece ordered
        (
            "je veux récupérer mon argent pour la bague",
            ["Bague or", "Collier argent"],
            ["Bague or"],
        ),
        (
            "j'ai reçu une broche, pas le collier perles que j'avais commandé",
            ["Collier perles", "Bague or"],
            ["Collier perles"],
        ),
    ],
)
def test_a_line_is_named_by_what_tells_it_apart(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


def test_the_other_alone_does_not_say_which_line():
    rings = ["Bague opale", "Bague rubis", "Collier perles"]

    assert resolve_items([("__other__ bague", None)], rings).ambiguous == rings[:2]


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # a piece kept is left out, « l'autre » after it is the other one; a piece the
        # customer wears with it is no line
        (
            "je conserve celle en argent, la dorée part en retour",
            ["Bague argent", "Bague dorée"],
            ["Bague dorée"],
        ),
        (
            "Je garde le rubis. L'autre, je la retourne, elle ne va pas avec ma bague de mariage",
            ["Bague rubis", "Bague saphir"],
            ["Bague saphir"],
        ),
        (
            "la bague au rubis me serre, l'autre lui va très bien",
            ["Bague rubis", "Bague saphir"],
            ["Bague rubis"],
        ),
        # what is asked for in exchange, or came instead of the piece named, is not sent back
        (
            "je retourne le collier pour l'échanger contre le bracelet assorti",
            ["Collier maille", "Bracelet maille"],
            ["Collier maille"],
        ),
        (
            "vous m'avez envoyé une bague au saphir au lieu de l'émeraude",
            ["Bague émeraude", "Bague topaze"],
            ["Bague émeraude"],
        ),
        # a piece bought elsewhere names no line of the order
        (
            "ce pendentif vient d'une autre boutique, la bélière est tordue",
            ["Pendentif cœur", "Chaîne or"],
            [],
        ),
        # a colour, a gem or an -ant word for the piece, after « petite », without apostrophe
        ("la petite rouge est trop serrée", ["Bague rubis", "Bague saphir"], ["Bague rubis"]),
        (
            "je renvoie les pendantes",
            ["Boucles pendantes nacre", "Boucles clous or"],
            ["Boucles pendantes nacre"],
        ),
        (
            "l'émail vert s'effrite déjà",
            ["Jonc émaillé vert", "Chaîne argent"],
            ["Jonc émaillé vert"],
        ),
        ("lonyx est fendu", ["Bague onyx", "Bague jade"], ["Bague onyx"]),
        # a rank among the lines of the noun
        (
            "le deuxième bracelet de la commande est trop lâche",
            ["Bracelet cuir", "Bracelet perles", "Collier or"],
            ["Bracelet perles"],
        ),
        # a piece the order does not hold names nothing, not the nearest line
        ("je renvoie les dormeuses", ["Boucles d'oreilles clous argent", "Collier or"], []),
        ("le collier en argent est abîmé", ["Chaîne or jaune", "Bague argent"], []),
        # every line; « tout est arrivé » is no line; a payment card is no gift card
        (
            "je vous renvoie mes 3 bijoux",
            ["Bague or", "Collier or", "Jonc argent"],
            ["Bague or", "Collier or", "Jonc argent"],
        ),
        (
            "tout est arrivé impeccable mais le jonc est trop grand",
            ["Bague or", "Jonc argent"],
            ["Jonc argent"],
        ),
        (
            "remboursez la bague sur ma carte visa",
            ["Bague or", "Carte-cadeau 50 $"],
            ["Bague or"],
        ),
        # the pearls of the necklace named are its own, not the other pearl lines
        (
            "le collier est arrivé cassé, les perles partout dans le colis",
            ["Collier perles", "Boucles perles"],
            ["Collier perles"],
        ),
    ],
)
def test_only_the_lines_sent_back_are_named(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # damage found on arrival, said by what is missing, burst or unstrung
        ("le pendentif est arrivé sans sa pierre", "damaged_on_arrival"),
        ("reçu avec deux des zircons en moins", "damaged_on_arrival"),
        ("le collier m'a été livré avec la perle qui manque", "damaged_on_arrival"),
        ("la broche est arrivée avec le vernis éclaté", "damaged_on_arrival"),
        ("le sautoir est arrivé tout défilé", "damaged_on_arrival"),
        ("elle est arrivée fêlée alors que je ne l'ai pas encore portée", "damaged_on_arrival"),
        # a clasp come open after some days is a defect, not the arrival
        ("la tige s'est ouverte dès le 3e jour", "defective"),
        # the wrong piece, said by contrast on the same noun, or a wrong lettering
        ("j'ai eu une chaîne forçat et pas une chaîne vénitienne", "wrong_item"),
        ("c'est la mauvaise écriture sur le médaillon", "wrong_item"),
        ("il y a une faute de frappe dans le prénom", "wrong_item"),
        # a change of mind said indirectly
        ("honnêtement c'est pas comme je l'imaginais", "changed_mind"),
        ("au bout de deux jours je m'en suis lassée", "changed_mind"),
        ("je l'aime bien moins que mon ancienne", "changed_mind"),
        ("j'ai déjà la même à la maison", "changed_mind"),
        ("ce bijou, je le veux plus", "changed_mind"),
        # the size of the piece wanted in exchange is no size problem of the one sent back
        ("je n'en veux plus, échangez-le contre la bague dorée en taille 6", "changed_mind"),
        # a word repeated by chance is no contrast
        ("j'aimerais un avoir, pas un remboursement", None),
    ],
)
def test_the_return_reason_reads_what_is_said_indirectly(nlp, text, reason):
    assert return_reason(analysed(nlp, text))[0] == reason


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        # a civic number with an upper-case letter
        (
            "C'est au 7C rue des Érables, Sherbrooke J1H 2K9",
            ("7C", "rue des Érables", "Sherbrooke", "QC", "J1H 2K9", "CA"),
        ),
        # the city typed after the street without a comma, before the province or the code
        (
            "930 boul. des Forges Trois-Rivières G8Z 1T7",
            ("930", "boul. des Forges", "Trois-Rivières", "QC", "G8Z 1T7", "CA"),
        ),
        (
            "845 ch. Sainte-Foy Québec qc G1S 2L3",
            ("845", "ch. Sainte-Foy", "Québec", "QC", "G1S 2L3", "CA"),
        ),
        # a street without its type, in a message giving a postal code
        (
            "1888 Robson, Vancouver BC V6G 1E8",
            ("1888", "Robson", "Vancouver", "BC", "V6G 1E8", "CA"),
        ),
        (
            "livrez plutôt au 400 Laurier O.? code postal K1R 0A8",
            ("400", "Laurier O.", None, "ON", "K1R 0A8", "CA"),
        ),
        # an American street type more
        (
            "77 Ocean Loop Miami FL 33139",
            ("77", "Ocean Loop", "Miami", "FL", "33139", "US"),
        ),
        # a street without its type after English words
        (
            "could you ship to 40 Bay Ridge, Brooklyn, NY 11209",
            ("40", "Bay Ridge", "Brooklyn", "NY", "11209", "US"),
        ),
        # the city before the street; a ZIP+4 code then English words
        (
            "Edmonton AB, 10150 100 St NW, T5J 0P6",
            ("10150", "100 St NW", "Edmonton", "AB", "T5J 0P6", "CA"),
        ),
        (
            "ship to 77 Ocean Loop, Miami FL 33139-1234 please, it's for my mother",
            ("77", "Ocean Loop", "Miami", "FL", "33139-1234", "US"),
        ),
        # a street named without its type after « de la », a floor before the city
        (
            "envoyez au 1250 de la Montagne, 3e étage, Montréal H3G 1Z2",
            ("1250", "de la Montagne", "Montréal", "QC", "H3G 1Z2", "CA"),
        ),
        # an English unit between the street and the city
        (
            "40 King St W, Unit 12, Toronto, ON M5H 3Y2",
            ("40", "King St W", "Toronto", "ON", "M5H 3Y2", "CA"),
        ),
        # « LA » before a ZIP code is Louisiana, not an article
        (
            "1200 Magazine St, New Orleans LA 70130",
            ("1200", "Magazine St", "New Orleans", "LA", "70130", "US"),
        ),
    ],
)
def test_an_address_is_parsed_however_its_parts_are_typed(text, fields):
    address = parse_address(text)

    assert address.valid
    found = (address.street_number, address.street, address.city, address.region)
    assert (*found, address.postal_code, address.country) == fields


@pytest.mark.parametrize(
    "text",
    ["j'ai acheté 2 Colliers, mon code est H2T 2N6", "commande 3 Bagues, J4K 1A1 svp"],
)
def test_a_number_before_a_capitalised_word_is_no_street(text):
    assert not parse_address(text).valid


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("c'est pas la bonne pointure de jonc", "wrong_size"),
        ("il me fait pas au poignet", "wrong_size"),
        ("je la trouve moins jolie qu'en vrai sur le site", "changed_mind"),
        ("vous m'avez livré des puces, j'avais commandé des créoles", "wrong_item"),
        ("j'ai reçu le jonc que j'avais commandé, il est tordu", "damaged_on_arrival"),
        ("les initiales sont inversées", "wrong_item"),
        ("le nom est mal orthographié", "wrong_item"),
    ],
)
def test_the_return_reason_reads_more_colloquial_french(nlp, text, reason):
    assert return_reason(analysed(nlp, text))[0] == reason


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("le chiot l'a mâchée", "improper_use"),
        ("je l'ai oubliée sur un banc de parc", "loss"),
        ("aucune chute, un brillant a sauté", "defect"),
        ("les perles partent une à une", "defect"),
    ],
)
def test_the_warranty_cause_reads_more_colloquial_french(nlp, text, cause):
    assert warranty_cause(analysed(nlp, text))[0] == cause


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # a rank names a line in the order's order, among the lines of its noun if given
        ("la première est trop petite", ["Bague opale", "Collier perles"], ["Bague opale"]),
        (
            "je retourne la deuxième bague",
            ["Bague opale", "Collier perles", "Bague rubis"],
            ["Bague rubis"],
        ),
        (
            "la dernière, je la garde, l'autre je la renvoie",
            ["Bague opale", "Collier perles"],
            ["Bague opale"],
        ),
        # « la première fois », « l'autre jour » name no piece
        ("c'est la première fois que la pierre tombe", ["Bague opale", "Collier perles"], []),
    ],
)
def test_a_line_is_named_by_its_rank_in_the_order(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # « préférer » a way to be paid back is a preference, not a change of mind
        ("je préfère un remboursement", None),
        ("je préfère l'ancien modèle finalement", "changed_mind"),
        ("le bracelet ne répond pas à mes attentes", "changed_mind"),
        ("acheté sur un coup de tête", "changed_mind"),
    ],
)
def test_a_preference_is_not_a_change_of_mind(nlp, text, reason):
    assert return_reason(analysed(nlp, text))[0] == reason


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        # a repair asked of the shop is no modification done to the piece
        ("pourriez-vous me la réparer ?", None),
        ("est-ce que vous pouvez l'agrandir ?", None),
        ("je l'ai fait raccourcir chez un cordonnier", "modification"),
        ("ma bague est cassée, je voudrais la faire réparer", "defect"),
        ("je voudrais faire agrandir ma bague chez vous", None),
    ],
)
def test_a_repair_asked_for_is_not_a_modification(nlp, text, cause):
    assert warranty_cause(analysed(nlp, text))[0] == cause


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        # « moi-même » says a modification only beside what was done to the piece
        ("je l'ai coupée moi-même", "modification"),
        ("j'ai limé l'intérieur de la bague moi-même", "modification"),
        ("j'ai moi-même essayé de la redresser", "modification"),
        ("non c'est tout, je vais écrire au support moi-même", None),
        ("un petit cadeau à moi-même", None),
        ("je dois payer le retour moi-même ?", None),
    ],
)
def test_doing_it_oneself_is_a_modification_only_when_something_was_done(nlp, text, cause):
    assert warranty_cause(analysed(nlp, text))[0] == cause


def test_the_same_piece_in_another_metal_is_an_exchange(nlp):
    assert preference(analysed(nlp, "je voudrais le même mais en or"))[0] == "exchange"


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # a piece left at home, refused with « non », or fine in a list, is not sent back
        (
            "je retourne les boucles, le collier et la bague restent chez moi",
            ["Boucles perles", "Collier or", "Bague argent"],
            ["Boucles perles"],
        ),
        (
            "les deux bagues, le collier non",
            ["Bague or", "Bague argent", "Collier or"],
            ["Bague argent", "Bague or"],
        ),
        (
            "la bague et le collier, les créoles c'est correct",
            ["Bague or", "Collier or", "Créoles argent"],
            ["Bague or", "Collier or"],
        ),
        ("le collier seulement, la bague reste ici", ["Bague or", "Collier or"], ["Collier or"]),
        # left out by the words of its name, not a jewellery noun
        (
            "tout sauf la tour eiffel",
            ["Breloque tour Eiffel", "Bracelet cuir", "Bague or"],
            ["Bague or", "Bracelet cuir"],
        ),
        # the other one of the kind excluded
        (
            "pas le jonc en argent, l'autre",
            ["Jonc argent", "Jonc or rose", "Collier or"],
            ["Jonc or rose"],
        ),
        # where it is worn, when no piece is named
        ("celui que je porte au poignet", ["Jonc argent", "Collier or"], ["Jonc argent"]),
        ("ce qui se met aux oreilles", ["Bague or", "Dormeuses or"], ["Dormeuses or"]),
        # earrings of a kind the order lacks; a kind denied is not a line excluded
        ("mes boucles créoles sont trop lourdes", ["Boucles puces or", "Bague or"], []),
        (
            "ce n'est pas une bague d'une autre marque, c'est la vôtre, la pierre est tombée",
            ["Bague saphir", "Collier or"],
            ["Bague saphir"],
        ),
        # what tells two pieces of a kind apart, said before « de »; the piece another goes on
        (
            "l'argent du jonc noircit déjà",
            ["Jonc argent", "Jonc or rose"],
            ["Jonc argent"],
        ),
        (
            "le pendentif est trop gros, impossible de le passer sur la chaîne",
            ["Pendentif cœur", "Chaîne forçat"],
            ["Pendentif cœur"],
        ),
        # a pronoun never stands for a gift card
        (
            "celle avec la gravure est abîmée",
            ["Gourmette gravée", "Carte-cadeau 50 $"],
            ["Gourmette gravée"],
        ),
    ],
)
def test_pieces_kept_refused_or_only_mentioned_are_not_named(nlp, text, lines, named):
    """Written for the misses of the fourth and later training sets, in other words."""
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # the words around « la bague » tell which of two rings
        (
            "l'améthyste s'est décrochée de la bague hier",
            ["Bague améthyste", "Bague topaze"],
            ["Bague améthyste"],
        ),
        (
            "le bracelet à mailles est tout rayé",
            ["Bracelet mailles", "Bracelet cuir"],
            ["Bracelet mailles"],
        ),
        # without such a word it stays a question
        (
            "la bague est trop grande",
            ["Bague améthyste", "Bague topaze"],
            ["Bague améthyste", "Bague topaze"],
        ),
        # a piece wanted instead is no line
        (
            "la bague topaze est fendue, une bague identique me conviendrait",
            ["Bague améthyste", "Bague topaze"],
            ["Bague topaze"],
        ),
    ],
)
def test_the_words_around_a_piece_break_a_tie_between_two_lines(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # « l'autre » of a reciprocal or after a preposition is no piece
        (
            "les deux rangs du collier frottent l'un contre l'autre et s'abîment",
            ["Collier deux rangs", "Bague or"],
            ["Collier deux rangs"],
        ),
        # said of the piece with a pronoun: « elle est correcte », « eux sont ok »
        (
            "le jonc est tordu, la bague elle est correcte",
            ["Jonc argent", "Bague or"],
            ["Jonc argent"],
        ),
        (
            "la chaîne peut rester avec moi, le pendentif repart",
            ["Chaîne or", "Pendentif lune"],
            ["Pendentif lune"],
        ),
        # where it is worn, beside a piece praised
        (
            "les bagues c'est beau, je renvoie ce qui va à la cheville",
            ["Bague or", "Bague argent", "Chaîne de cheville perles"],
            ["Chaîne de cheville perles"],
        ),
    ],
)
def test_what_is_said_of_a_piece_in_passing_does_not_name_it(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # « tout est beau sauf X »: X is the piece that is not fine
        (
            "tout est parfait sauf le jonc qui est cabossé",
            ["Jonc argent", "Bague or", "Collier perles"],
            ["Jonc argent"],
        ),
        (
            "tout va bien, sauf que la bague a une pierre qui bouge",
            ["Bague or", "Collier perles"],
            ["Bague or"],
        ),
        # the other one of a pair of earrings is no other line
        (
            "il me reste une dormeuse, l'autre est tombée dans l'évier",
            ["Dormeuses or", "Bague or", "Collier perles"],
            ["Dormeuses or"],
        ),
        # nothing to say about some pieces: the one that is left
        (
            "rien à redire sur la bague et le collier, le jonc est tordu",
            ["Bague or", "Collier perles", "Jonc argent"],
            ["Jonc argent"],
        ),
        (
            "le pendentif est rayé, pour la chaîne aucun souci",
            ["Pendentif lune", "Chaîne or"],
            ["Pendentif lune"],
        ),
        (
            "la chaîne reste. le pendentif repart",
            ["Pendentif lune", "Chaîne or"],
            ["Pendentif lune"],
        ),
        # only a piece kept, and the words of another line's name
        (
            "je garde la bague, mais le saphir ne me plaît plus",
            ["Bague or", "Pendentif saphir", "Jonc argent"],
            ["Pendentif saphir"],
        ),
    ],
)
def test_the_piece_set_against_the_others_is_the_one_named(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


WEDDING_BANDS = ["Alliance or jaune 3 mm", "Alliance or jaune 5 mm", "Collier perles"]
TWO_CHAINS = ["Chaîne 45 cm argent", "Chaîne 60 cm argent", "Pendentif initiale or"]
TWO_HOOPS = ["Créoles petites or", "Créoles grandes or", "Puces perles"]
STACKED_RINGS = ["Bague or jaune", "Bague or rose", "Bague argent"]


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # a measure, or the larger / smaller of two pieces of one kind
        ("la 5 mm a une rayure sur le dessus", WEDDING_BANDS, ["Alliance or jaune 5 mm"]),
        ("l'alliance de 3 mm est trop serrée", WEDDING_BANDS, ["Alliance or jaune 3 mm"]),
        (
            "la plus épaisse des deux alliances me fait mal au doigt",
            WEDDING_BANDS,
            ["Alliance or jaune 5 mm"],
        ),
        ("une des deux alliances est arrivée tordue", WEDDING_BANDS, WEDDING_BANDS[:2]),
        ("la petite alliance a perdu son éclat", WEDDING_BANDS, ["Alliance or jaune 3 mm"]),
        ("c'est la grosse qui est rayée", WEDDING_BANDS, ["Alliance or jaune 5 mm"]),
        (
            "la plus mince des deux alliances est trop serrée",
            WEDDING_BANDS,
            ["Alliance or jaune 3 mm"],
        ),
        # a bare number or a number in words after « de » is the measure
        ("l'alliance de 5 a une rayure", WEDDING_BANDS, ["Alliance or jaune 5 mm"]),
        ("la chaîne de soixante est cassée", TWO_CHAINS, ["Chaîne 60 cm argent"]),
        ("ma chaîne de 45 s'est emmêlée", TWO_CHAINS, ["Chaîne 45 cm argent"]),
        # a size word the line names carry
        ("les petites créoles, je les renvoie", TWO_HOOPS, ["Créoles petites or"]),
        ("la tige des grandes créoles est tordue", TWO_HOOPS, ["Créoles grandes or"]),
        # a colour the line names beats a colour its metal only implies
        ("je voudrais retourner la jaune, juste elle", STACKED_RINGS, ["Bague or jaune"]),
        # the other pieces said to be fine set them aside
        (
            "le clip a perdu sa pierre. Les autres articles de la commande vont très bien",
            ["Boucles clips citrine", "Bague or blanc", "Pendentif croix"],
            ["Boucles clips citrine"],
        ),
        # a rank said of any line: the line at that rank on the invoice
        ("la dernière ligne de la facture, je la retourne", STACKED_RINGS, ["Bague argent"]),
        ("le 2e article de ma commande est trop grand", STACKED_RINGS, ["Bague or rose"]),
        # a size said of the piece does not tell it apart
        ("l'alliance est trop petite", WEDDING_BANDS, WEDDING_BANDS[:2]),
        ("la chaîne est trop courte", TWO_CHAINS, TWO_CHAINS[:2]),
        ("les deux alliances sont trop grandes", WEDDING_BANDS, WEDDING_BANDS[:2]),
        # a colour for the gem of that colour, on a noun too
        (
            "les boucles mauves sont trop lourdes",
            ["Boucles créoles argent", "Boucles pendantes améthyste"],
            ["Boucles pendantes améthyste"],
        ),
        # a negated liking says what is wrong with the piece, it does not set it aside
        (
            "mon chum aime pas le jonc, il le trouve trop voyant",
            ["Jonc argent", "Collier perles"],
            ["Jonc argent"],
        ),
        # « bien trop grandes » is no praise
        (
            "les créoles sont bien trop grandes, le collier je le garde",
            ["Créoles or", "Collier perles"],
            ["Créoles or"],
        ),
    ],
)
def test_a_piece_is_told_from_its_twin_by_measure_colour_or_what_is_said_of_it(
    nlp, text, lines, named
):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


def test_a_european_address_is_refused_as_outside_the_delivery_area():
    address = parse_address("12 rue des Lilas, 69003 Lyon")

    assert not address.valid
    assert address.problems == ["outside_delivery_area"]


@pytest.mark.parametrize(
    ("text", "abroad"),
    [
        ("14 rue du Lac, 1204 Genève, GE, Suisse", True),
        ("Avenue Louise 54, 1050 Bruxelles, Belgique", True),
        ("8 rue de Rivoli, 75004 Paris, France", True),
        # a civic number is no postal code, and a state says North America
        ("1600 rue Paris, Montréal", False),
        ("100 Main St, Paris, TX 75460", False),
        ("55 rue Laurier Ouest, Montréal H2T 2N6", False),
    ],
)
def test_an_address_in_europe_is_told_by_its_country_or_city_beside_a_postal_code(text, abroad):
    address = parse_address(text)

    assert ("outside_delivery_area" in address.problems) is abroad


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        (
            "ce collier n'est pas de chez vous, le fermoir a cassé",
            ["Collier perles", "Jonc or"],
            [],
        ),
        (
            "j'ai une bague achetée chez Birks, vous la réparez ?",
            ["Bague rubis", "Collier perles"],
            [],
        ),
        (
            "je ne l'ai pas achetée ailleurs, la bague vient bien de chez vous",
            ["Bague rubis", "Collier perles"],
            ["Bague rubis"],
        ),
        # « que j'ai commandé » names the ordered piece
        (
            "le jonc que j'ai commandé est trop petit",
            ["Jonc or", "Collier perles"],
            ["Jonc or"],
        ),
    ],
)
def test_a_piece_said_not_to_come_from_the_shop_is_no_line(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


INITIALS = ["Pendentif initiale L or", "Pendentif initiale S or", "Chaîne forçat or"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("le S a une soudure qui lâche", ["Pendentif initiale S or"]),
        ("celle avec le L est arrivée pliée", ["Pendentif initiale L or"]),
        ("la lettre L est de travers", ["Pendentif initiale L or"]),
        # « A » without its accent starts a sentence: no initial
        ("A quelle date la chaîne arrive ?", ["Chaîne forçat or"]),
    ],
)
def test_an_initial_names_the_line_of_that_letter(nlp, text, named):
    assert sorted(named_lines(nlp, text, INITIALS)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("ma bage est trop petite", ["Bague or"]),
        ("le brasle est arrivé brisé", ["Bracelet perles"]),
        ("les bouk pendantes sont croches", ["Boucles pendantes"]),
    ],
)
def test_a_jewellery_noun_typed_in_sms_names_its_line(nlp, text, named):
    lines = ["Bague or", "Bracelet perles", "Boucles pendantes"]
    assert named_lines(nlp, text, lines) == named


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # taste, in SMS and in letters
        ("jaime pu le collier, je le renvoie", "changed_mind"),
        ("franchement ça m'a pas plu", "changed_mind"),
        ("chanjé davi pour la bague", "changed_mind"),
        ("les créoles sont trop voyantes pour le bureau", "changed_mind"),
        ("la chaîne jure avec ma montre", "changed_mind"),
        ("cette broche ne me sied guère", "changed_mind"),
        ("le bracelet n'est pas à notre goût", "changed_mind"),
        # what was ordered against what the parcel holds
        (
            "j'ai commandé le jonc en or et dans la pochette c'est un jonc en argent",
            "wrong_item",
        ),
        ("sur ma commande c'est écrit or blanc, j'ai reçu de l'or jaune", "wrong_item"),
        # a size is no taste
        ("les créoles sont trop grandes, elles touchent mes épaules", "wrong_size"),
    ],
)
def test_the_return_reason_reads_taste_and_what_the_parcel_held(nlp, text, reason):
    assert return_reason(analysed(nlp, text))[0] == reason


TENNIS_AND_CUFF = ["Bracelet tennis topaze", "Manchette or", "Pendentif croix"]
BRACELETS = ["Bracelet esclave argent", "Bracelet maille figaro", "Bracelet cordon rouge"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # a model's word said alone names its line, like « le tennis »
        ("L'esclave s'ouvre pas, la charnière est soudée", ["Bracelet esclave argent"]),
        ("le figaro est trop court", ["Bracelet maille figaro"]),
        ("Le cordon, c'est bon. L'esclave, non : il est tordu", ["Bracelet esclave argent"]),
    ],
)
def test_a_models_word_alone_names_its_line(nlp, text, named):
    assert named_lines(nlp, text, BRACELETS) == named


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # the piece after « pour », « je préférerais », « … à la place » is the one wished for
        (
            "on peut changer le bracelet tennis pour la manchette ?",
            TENNIS_AND_CUFF,
            ["Bracelet tennis topaze"],
        ),
        (
            "le tennis accroche tout, je préférerais la manchette",
            TENNIS_AND_CUFF,
            ["Bracelet tennis topaze"],
        ),
        (
            "la croix est trop petite, je veux la manchette à la place",
            TENNIS_AND_CUFF,
            ["Pendentif croix"],
        ),
        (
            "je voudrais remplacer le tennis par la manchette",
            TENNIS_AND_CUFF,
            ["Bracelet tennis topaze"],
        ),
        (
            "je voudrais retourner la croix et prendre la manchette à la place",
            TENNIS_AND_CUFF,
            ["Pendentif croix"],
        ),
        # « changé d'avis pour » names the piece the customer speaks of
        ("j'ai changé d'avis pour la manchette", TENNIS_AND_CUFF, ["Manchette or"]),
        # « ok », « aucun problème » said of the pieces listed before it
        ("la croix ok, la manchette trop petite", TENNIS_AND_CUFF, ["Manchette or"]),
        (
            "le tennis et la croix, aucun problème. La manchette est rayée",
            TENNIS_AND_CUFF,
            ["Manchette or"],
        ),
        (
            "le tennis ok, la croix ok, mais la manchette est rayée",
            TENNIS_AND_CUFF,
            ["Manchette or"],
        ),
        # the piece that came in place of the one ordered
        (
            "au lieu de la manchette, j'ai reçu une croix",
            TENNIS_AND_CUFF,
            ["Manchette or"],
        ),
        # keeping that sets nothing aside: negated, by the shop, or worn somewhere
        ("je ne garderai pas la manchette", TENNIS_AND_CUFF, ["Manchette or"]),
        ("vous pouvez garder la manchette, elle m'a déçue", TENNIS_AND_CUFF, ["Manchette or"]),
        (
            "j'ai gardé la manchette sur le chantier, elle est cabossée",
            TENNIS_AND_CUFF,
            ["Manchette or"],
        ),
        ("je garde la manchette, la croix est rayée", TENNIS_AND_CUFF, ["Pendentif croix"]),
        # « les pendants » are earrings; « pendant une semaine » is no piece
        (
            "un des pendants a perdu sa perle",
            ["Pendants opale", "Manchette or"],
            ["Pendants opale"],
        ),
        (
            "pendant une semaine la manchette a bien tenu, puis elle a cassé",
            ["Pendants opale", "Manchette or"],
            ["Manchette or"],
        ),
        # a part of another piece: the jump ring of the pendant, the chain of the necklace
        (
            "l'anneau du pendentif s'est ouvert",
            ["Pendentif goutte", "Bague jonc or"],
            ["Pendentif goutte"],
        ),
        (
            "la chaîne du collier rivière s'est rompue",
            ["Collier rivière", "Chaîne forçat 50 cm"],
            ["Collier rivière"],
        ),
        # « l'un… l'autre »: the other one of those named, no other line
        (
            "l'un des pendants ne ferme plus et l'autre est desserré",
            ["Pendants opale", "Manchette or"],
            ["Pendants opale"],
        ),
        # a piece said not to be the shop's names no line
        (
            "ce collier n'a pas été acheté chez vous, le fermoir est cassé",
            ["Collier perles", "Manchette or"],
            [],
        ),
        ("cette manchette n'est pas une des vôtres, elle casse", TENNIS_AND_CUFF, []),
        # « les 3 », « les 2 » said alone: every line
        (
            "les 3",
            ["Collier perles", "Sautoir perles", "Dormeuses or"],
            ["Collier perles", "Sautoir perles", "Dormeuses or"],
        ),
        (
            "les 2",
            ["Gourmette acier", "Bracelet chaîne or"],
            ["Gourmette acier", "Bracelet chaîne or"],
        ),
        # a stone typed one letter short still tells the piece
        (
            "slt jveu renvoyer la bag topaz elle e tro grd",
            ["Bague topaze argent", "Bague citrine or jaune"],
            ["Bague topaze argent"],
        ),
        ("jai pardu ma bag opal au chalet", ["Bague grenat", "Bague opale"], ["Bague opale"]),
        ("la manchette vient d'une boutique à Genève, pas d'ici", TENNIS_AND_CUFF, []),
        ("ma manchette que j'ai eue chez Bijouterie Lavigne a cassé", TENNIS_AND_CUFF, []),
        ("une manchette achetée en Italie, pas sur votre site, est cassée", TENNIS_AND_CUFF, []),
        ("la manchette n'est pas de votre marque, elle a lâché", TENNIS_AND_CUFF, []),
        # « pas celle de la photo », « pas la croix de ma commande »: the piece ordered
        (
            "la manchette n'est pas celle du site, elle est dorée",
            TENNIS_AND_CUFF,
            ["Manchette or"],
        ),
        (
            "j'ai reçu une étoile, pas la croix de ma commande",
            TENNIS_AND_CUFF,
            ["Pendentif croix"],
        ),
        ("ce n'est pas ma manchette, elle est en argent", TENNIS_AND_CUFF, ["Manchette or"]),
        # a gift card asked for as the credit, not the order's gift card
        (
            "vous pouvez me faire une carte-cadeau du montant de la manchette ?",
            [*TENNIS_AND_CUFF, "Carte-cadeau 50 $"],
            ["Manchette or"],
        ),
        # a ring named by words that are all stop words
        (
            "la toi et moi tourne autour de mon doigt",
            ["Bague toi-et-moi argent", "Manchette or"],
            ["Bague toi-et-moi argent"],
        ),
        # the piece measured against is not the one meant
        (
            "la chaîne de 45 est trop courte pour le pendentif initiale",
            TWO_CHAINS,
            ["Chaîne 45 cm argent"],
        ),
        # a piece taken back right after it is named
        (
            "la chaîne de 45… non attendez, c'est celle de 60 qui coince",
            TWO_CHAINS,
            ["Chaîne 60 cm argent"],
        ),
        (
            "je renvoie la bague rose, euh non pardon, celle en argent",
            STACKED_RINGS,
            ["Bague argent"],
        ),
        # a piece the customer loves or that fits, beside the one meant
        ("la croix je l'adore, la manchette est rayée", TENNIS_AND_CUFF, ["Manchette or"]),
        ("le tennis me va, la manchette est rayée", TENNIS_AND_CUFF, ["Manchette or"]),
        # a plural that one of its pieces, named after it, narrows down
        (
            "les deux chaînes sont arrivées nouées et la plus longue a un maillon ouvert",
            TWO_CHAINS,
            ["Chaîne 60 cm argent"],
        ),
        (
            "les deux chaînes sont trop longues pour moi",
            TWO_CHAINS,
            ["Chaîne 45 cm argent", "Chaîne 60 cm argent"],
        ),
    ],
)
def test_a_piece_wished_for_or_told_in_passing_is_not_named(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


def test_a_reason_only_supposed_is_marked_for_the_classifier_to_leave_alone(nlp):
    entities = details(nlp("si elle ne me plaît pas, je peux la retourner ?"), nlp)

    assert ("supposed_reason", "changed_mind") in [(e["entity"], e["value"]) for e in entities]
    assert "reason" not in [e["entity"] for e in entities]


@pytest.mark.parametrize(
    ("text", "wanted", "turned_down"),
    [
        ("jveux un remplacement pas un remboursement", "replacement", ["refund"]),
        ("je veux pas de remplacement, je veux être remboursée", "refund", ["replacement"]),
        ("pas de crédit svp", None, ["store_credit"]),
        ("un remboursement svp", "refund", []),
    ],
)
def test_an_outcome_turned_down_is_marked_for_the_classifier_to_leave_alone(
    nlp, text, wanted, turned_down
):
    entities = [(e["entity"], e["value"]) for e in details(nlp(text), nlp)]

    assert [v for e, v in entities if e == "preference"] == ([wanted] if wanted else [])
    assert [v for e, v in entities if e == "denied_preference"] == turned_down


WEDDING = ["Bague de fiançailles saphir or blanc", "Alliance diamants or blanc",
           "Alliance homme or jaune 5 mm"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("l'alliance de mon mari est trop serrée", ["Alliance homme or jaune 5 mm"]),
        ("mon chum arrive pas à enfiler son alliance", ["Alliance homme or jaune 5 mm"]),
        ("ma fiancée trouve son alliance trop large", ["Alliance diamants or blanc"]),
        # nobody named: the two wedding bands stay in question
        ("l'alliance est trop grande", ["Alliance diamants or blanc",
                                        "Alliance homme or jaune 5 mm"]),
    ],
)  # fmt: skip
def test_the_wearer_named_tells_the_mens_piece_from_the_other(nlp, text, named):
    assert sorted(named_lines(nlp, text, WEDDING)) == sorted(named)


GOLDS = ["Boucles créoles or jaune 20 mm", "Boucles puces or blanc", "Bague moissanite argent",
         "Bague topaze argent", "Chevillère perles argent"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # « dorées » is yellow gold, not white gold
        ("les boucles dorées ont une tige pliée", ["Boucles créoles or jaune 20 mm"]),
        # gems named alone, joined by « pis »
        ("la moissanite pis la topaze sont trop petites",
         ["Bague moissanite argent", "Bague topaze argent"]),
        # the anklet, whatever its name on the invoice
        ("ma chaîne de cheville est trop courte", ["Chevillère perles argent"]),
        # hesitating to keep a piece is no keeping it
        ("j'hésite à garder la bague topaze, je peux la renvoyer ?", ["Bague topaze argent"]),
    ],
)  # fmt: skip
def test_a_piece_is_named_by_its_colour_gem_or_other_name(nlp, text, named):
    assert sorted(named_lines(nlp, text, GOLDS)) == sorted(named)


def test_a_piece_worn_every_day_is_not_set_aside_as_kept(nlp):
    lines = ["Chaîne forçat argent", "Bague solitaire or blanc"]

    named = named_lines(nlp, "je garde la chaîne forçat dans la douche tous les jours", lines)

    assert named == ["Chaîne forçat argent"]


@pytest.mark.parametrize(
    ("text", "plain_text"),
    [
        ("ma sœur… la bague", "ma sour. la bague"),
        ("taille 5½", "taille 51"),
        ("Éclat", "eclat"),
    ],
)
def test_the_aligned_plain_text_keeps_one_character_for_one(text, plain_text):
    assert aligned_plain(text) == plain_text
    assert len(aligned_plain(text)) == len(text)


def test_a_window_after_a_ligature_or_an_ellipsis_is_read_where_it_is(nlp):
    lines = ["Boucles perles Akoya", "Carte-cadeau électronique 100 $"]
    text = "Ma sœur… elle n'en veut plus, des boucles. Remboursement sur ma carte svp"

    assert named_lines(nlp, text, lines) == ["Boucles perles Akoya"]


TENNIS_CHARMS = ["Bracelet à breloques argent", "Breloque étoile émail", "Bracelet tennis zircons",
                 "Pendentif goutte topaze", "Boucles pendantes aigue-marine"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # a descriptor ending like a plural names its line (« tennis », « rubis », « croix »)
        ("le tennis a un maillon ouvert", ["Bracelet tennis zircons"]),
        # the rest of the order, but the piece kept
        ("le tennis je le garde, tout le reste repart", [
            "Bracelet à breloques argent", "Breloque étoile émail", "Pendentif goutte topaze",
            "Boucles pendantes aigue-marine"]),
        # a teardrop, whatever the invoice calls it
        ("celui en forme de larme est rayé", ["Pendentif goutte topaze"]),
        ("l'aigue-marine est tombée", ["Boucles pendantes aigue-marine"]),
        # praise said with a stressed pronoun sets the piece aside
        ("l'étoile est arrivée cassée, le tennis lui est correct", ["Breloque étoile émail"]),
    ],
)  # fmt: skip
def test_a_piece_named_by_a_descriptor_or_as_the_rest(nlp, text, named):
    assert sorted(named_lines(nlp, text, TENNIS_CHARMS)) == sorted(named)


CHAINS_IN_TWO_METALS = ["Chaîne gourmette argent 50 cm", "Chaîne vénitienne or jaune 40 cm",
                        "Jonc torsadé or jaune", "Jonc ouvert argent"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # a piece praised without telling which of two does not hide the one named after it
        ("le twisted bangle est trop petit", ["Jonc torsadé or jaune"]),
        ("my gold chain is broken", ["Chaîne vénitienne or jaune 40 cm"]),
        ("the silver bangle is too small", ["Jonc ouvert argent"]),
    ],
)  # fmt: skip
def test_a_piece_is_named_in_english_words(nlp, text, named):
    assert sorted(named_lines(nlp, text, CHAINS_IN_TWO_METALS)) == sorted(named)


def test_a_piece_praised_without_telling_which_does_not_hide_the_one_named_after_it(nlp):
    lines = ["Chaîne gourmette argent 50 cm", "Chaîne vénitienne or jaune 40 cm", "Médaillon or"]
    text = "la chaîne est parfaite mais la silver a un nœud"

    assert named_lines(nlp, text, lines) == ["Chaîne gourmette argent 50 cm"]


ENGAGEMENT = ["Bague de fiançailles morganite", "Alliance or jaune gravée", "Alliance tungstène",
              "Chaîne vénitienne or", "Chaîne gourmette argent"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # « l'autre alliance » is the other wedding band, not the engagement ring
        ("celle en tungstène est parfaite, c'est l'autre alliance qui est trop grande",
         ["Alliance or jaune gravée"]),
        # the piece liked better stays
        ("je renvoie la vénitienne, ma fille aime mieux la gourmette",
         ["Chaîne vénitienne or"]),
    ],
)  # fmt: skip
def test_the_other_one_and_the_one_liked_better_are_told_apart(nlp, text, named):
    assert named_lines(nlp, text, ENGAGEMENT) == named


RUBIES = ["Bague rubis et diamants", "Bague d'éternité rubis", "Chevalière onyx"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # « l'autre … fait bien »: the other one is praised, not named
        ("la bague d'éternité me serre trop, l'autre bague rubis fait bien",
         ["Bague d'éternité rubis"]),
        # « si jamais » is « if ever », no negation of the piece
        ("si jamais la chevalière fait pas à mon chum, je peux la retourner ?",
         ["Chevalière onyx"]),
    ],
)  # fmt: skip
def test_praise_in_other_words_and_if_ever(nlp, text, named):
    assert named_lines(nlp, text, RUBIES) == named


def test_a_doc_read_for_details_can_be_pickled_and_read_again(nlp):
    """Rasa's cross-validation pickles the messages with their spaCy doc (`make eval-nlu`)."""
    import pickle

    doc = nlp("je ne l'ai jamais échappée, le fermoir a lâché")
    before = warranty_cause(doc)

    copy = pickle.loads(pickle.dumps(doc))

    assert warranty_cause(copy) == before


HOOPS_AND_RING = ["Créoles argent 925 20 mm", "Pendantes améthyste plaqué or", "Anneau fin or rose"]
CUFF_AND_PINS = [
    "Manchette laiton doré",
    "Bracelet perles de lave 19 cm",
    "Bracelet perles œil-de-tigre",
]
CROSS_AND_CHAINS = [
    "Chaîne forçat or blanc 45 cm",
    "Pendentif croix or blanc",
    "Carte-cadeau 100 $",
]


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # a compound names another piece than its head noun
        ("les anneaux d'oreilles sont trop gros", HOOPS_AND_RING, ["Créoles argent 925 20 mm"]),
        ("les boutons de manchette sont pas arrivés", CUFF_AND_PINS, []),
        # the earrings « pendants » are the « pendantes »; a colour of its own feminine form
        ("des pendants d'oreilles au crochet rompu", HOOPS_AND_RING,
         ["Pendantes améthyste plaqué or"]),
        ("les boucles violettes ont un crochet plié", HOOPS_AND_RING,
         ["Pendantes améthyste plaqué or"]),
        # other names for a piece
        ("je retourne le crucifix", CROSS_AND_CHAINS, ["Pendentif croix or blanc"]),
        ("le code de la e-card marche pas", CROSS_AND_CHAINS, ["Carte-cadeau 100 $"]),
        ("le cuff est trop large", CUFF_AND_PINS, ["Manchette laiton doré"]),
        # a gem tells more than a colour; a stone the order's lines call otherwise
        ("je garde le tigre, le noir en lave c'est pas pour moi",
         [*CUFF_AND_PINS, "Chevalière acier noir"], ["Bracelet perles de lave 19 cm"]),
    ],
)  # fmt: skip
def test_a_piece_is_named_by_its_other_names(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


TENNIS_AND_CORD = ["Bracelet tennis zircons argent 17 cm", "Bracelet cordon rouge médaille"]
STACKABLES = ["Bague perlée or taille 5", "Bague perlée or taille 7", "Mini-créoles or"]


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # sparkling stones: « brillants », and « diamants » when no line has any
        ("le bracelet de diamants est trop court", TENNIS_AND_CORD, [TENNIS_AND_CORD[0]]),
        ("celui avec les brillants je le garde, l'autre je le renvoie", TENNIS_AND_CORD,
         [TENNIS_AND_CORD[1]]),
        ("le bracelet de diamants est trop court", [*TENNIS_AND_CORD, "Bracelet diamant or"],
         ["Bracelet diamant or"]),
        # a ring by its size: the number alone, the larger or smaller of two
        ("c'est la 7 qui va pas, trop grande", STACKABLES, ["Bague perlée or taille 7"]),
        ("la plus grande des 2 bagues est arrivée pliée", STACKABLES, ["Bague perlée or taille 7"]),
        ("la plus petite des bagues me serre", STACKABLES, ["Bague perlée or taille 5"]),
        ("les 2 bagues sont pliées", STACKABLES, STACKABLES[:2]),
    ],
)  # fmt: skip
def test_a_piece_is_named_by_its_stones_or_its_size(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


THREE_NECKLACES = ["Collier ras-du-cou perles", "Collier sautoir quartz rose", "Chaîne de cheville"]
PEARLS_AND_STUDS = ["Collier perle Akoya", "Bague onyx", "Puces diamant or blanc"]
LETTERS = ["Pendentif initiale « A » or", "Pendentif initiale « L » or", "Chaîne vénitienne or"]


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # a piece listed with one kept is kept too; not when no « et » lists them
        ("le deuxième article ne me convient pas. Je garde le premier et le dernier.",
         THREE_NECKLACES, [THREE_NECKLACES[1]]),
        ("sauf le ras-du-cou et la chaîne de cheville, je retourne tout", THREE_NECKLACES,
         [THREE_NECKLACES[1]]),
        ("je garde la bague mais je renvoie le collier et les puces", PEARLS_AND_STUDS,
         ["Collier perle Akoya", "Puces diamant or blanc"]),
        # « non » that corrects names the piece after it
        ("le pendentif A est trop— attends non c'est le L, le L a la boucle écrasée", LETTERS,
         ["Pendentif initiale « L » or"]),
        # the piece just sent back is not among those kept after it
        ("les puces diamant. Enfin, correction : retourner le collier de perles, les puces je "
         "les garde", PEARLS_AND_STUDS, ["Collier perle Akoya"]),
        # a piece of another order is no line of this one
        ("je voulais retourner le collier de mon autre commande, pas ceux-là", THREE_NECKLACES,
         []),
        ("le bracelet de ma commande d'avant, celle de mars, je peux le retourner ?",
         TENNIS_AND_CORD, []),
    ],
)  # fmt: skip
def test_lists_corrections_and_other_orders_name_the_right_lines(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("je voudrais retourner le bracelet, il me plaît pas", "changed_mind"),
        ("la manchette m'intéresse plus, je la renvoie", "changed_mind"),
        ("la croix ne servira pas, je vous la retourne", "changed_mind"),
        ("mon conjoint a perdu son emploi, on doit couper partout", "changed_mind"),
        ("c'est beau mais c'est pas worth it pour le prix", "changed_mind"),
        ("nous avons trouvé des alliances chez un artisan", "changed_mind"),
        ("leur école vient d'interdire les bijoux", "changed_mind"),
        # the reason named outright wins over a flaw the words also describe
        ("le fermoir est tellement petit que je suis pas capable de l'attacher. Changement "
         "d'idée je suppose", "changed_mind"),
        # … but not over a piece broken on arrival, nor when denied
        ("je n'ai pas changé d'avis, elle est arrivée avec la pierre fendue", "damaged_on_arrival"),
    ],
)  # fmt: skip
def test_the_change_of_mind_is_read_in_spoken_french_and_situations(nlp, text, reason):
    assert return_reason(analysed(nlp, text))[0] == reason


TWO_RINGS = ["Bague saphir rose argent taille 7", "Bague émeraude or jaune taille 6"]
TWO_BANGLES = ["Jonc torsadé or jaune 65 mm", "Jonc martelé argent 60 mm"]
ROSE_WEDDING = [
    "Bague de fiançailles halo or rose",
    "Alliance pavée or rose",
    "Alliance homme or rose",
]


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # the one of the two named again narrows the plural down
        ("les bagues sont arrivées ensemble pis y'en a une qui a la pierre décollée... celle en "
         "or jpense. ouin c'est celle en or.", TWO_RINGS, [TWO_RINGS[1]]),
        # « pendant » after an English word or a determiner is the pendant, when no earrings are
        ("la chain en white gold est correcte, mais le cross pendant est scratched",
         ["Chaîne forçat or blanc 45 cm", "Pendentif croix or blanc"],
         ["Pendentif croix or blanc"]),
        # « comme l'autre » compares, it names no other piece
        ("le bangle en or jaune c'est un 65 mm pis j'ai besoin d'un 60 comme l'autre",
         TWO_BANGLES, [TWO_BANGLES[0]]),
        # who wears it tells the men's line; a piece praised beside a focused one stays out
        ("c'est celle de mon amoureux qui est abîmée. La mienne et la bague de fiançailles sont "
         "parfaites.", ROSE_WEDDING, ["Alliance homme or rose"]),
    ],
)  # fmt: skip
def test_plurals_comparisons_and_wearers_name_the_right_lines(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # the occasion gone, no need, expected better
        ("le spectacle a été annulé, le ras de cou c'était juste pour ce soir-là", "changed_mind"),
        ("mon boss a refusé mes vacances, je retourne les chevillères", "changed_mind"),
        ("les fiançailles sont rompues, je voudrais rendre la bague", "changed_mind"),
        ("je porte déjà une chaîne, j'en ai pas besoin de deux", "changed_mind"),
        ("elles sont correctes mais jmattendais a mieux pour le prix", "changed_mind"),
        ("ma copine a dit non à ma demande", "changed_mind"),
        ("ils font cheap, je les renvoie", "changed_mind"),
        ("the hoops are too heavy for my ears", "changed_mind"),
        ("j'ai pas besoin d'aide, je veux juste retourner la bague", None),
        # not what was ordered: another size, half a pair
        ("les anneaux 15 mm sont arrivés en 10 mm", "wrong_item"),
        ("le jonc torsadé argent est arrivé en or jaune", "wrong_item"),
        ("ya juste 1 boucle dans la boite des dormeuses, pas la paire", "wrong_item"),
        ("les puces saphir : il y en avait juste une dans la boîte!", "wrong_item"),
        # the body telling the size
        ("il reste coincé à la base du pouce, je n'arrive même pas à le faire passer",
         "wrong_size"),
        ("le long collier rose me descend au ventre", "wrong_size"),
    ],
)  # fmt: skip
def test_the_return_reason_reads_occasions_needs_and_half_pairs(nlp, text, reason):
    assert return_reason(analysed(nlp, text))[0] == reason


NECKLACES_AND_SET = ["Parure collier et boucles grenat", "Sautoir perles de culture 90 cm"]
NAME_AND_DROP = ["Collier pendentif larme aigue-marine", "Collier prénom « Amélie »",
                 "Boucles d'oreilles pendantes aigue-marine"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # the words fit a kindred piece better than the one the noun names
        ("le long collier de perles est arrivé le fil cassé", NECKLACES_AND_SET,
         ["Sautoir perles de culture 90 cm"]),
        # « les pendants » after a plural determiner; the name necklace by its name
        ("j'adore mon collier prénom. Par contre les pendants d'oreilles, une pierre est tombée",
         NAME_AND_DROP, ["Boucles d'oreilles pendantes aigue-marine"]),
        ("je rapporte celui avec la pierre en goutte, pas celui avec le nom", NAME_AND_DROP,
         ["Collier pendentif larme aigue-marine"]),
        # bought elsewhere, the object between the verb and the shop
        ("j'ai acheté une chaîne chez un autre bijoutier et c'est celle-là qui a cassé",
         ["Chaîne forçat argent 45 cm", "Bague onyx"], []),
    ],
)  # fmt: skip
def test_kindred_pieces_names_and_other_shops(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)


GIRLS_EARRINGS = ["Boucles fillette papillon argent", "Boucles fillette étoile argent", "Gourmette"]
INITIAL_PENDANTS = [
    "Pendentif initiale « A » or",
    "Pendentif initiale « L » or",
    "Chaîne vénitienne or",
]


@pytest.mark.parametrize(
    ("text", "lines", "named"),
    [
        # a shape no line has, where the lines differ by their shapes, names none of them
        ("les boucles d'oreilles en forme de lune ne sont pas dans le paquet", GIRLS_EARRINGS,
         []),
        ("les boucles étoile sont trop grandes", GIRLS_EARRINGS, [GIRLS_EARRINGS[1]]),
        ("les boucles lune sont trop grandes", ["Boucles argent", "Boucles or", "Gourmette"],
         ["Boucles argent", "Boucles or"]),
        # the initial right after the noun; « a » is a verb
        ("j'ai égaré le pendentif A dans le déménagement", INITIAL_PENDANTS, [INITIAL_PENDANTS[0]]),
        ("le pendentif a une rayure", INITIAL_PENDANTS, INITIAL_PENDANTS[:2]),
    ],
)  # fmt: skip
def test_shapes_and_initials_tell_the_lines_apart(nlp, text, lines, named):
    assert sorted(named_lines(nlp, text, lines)) == sorted(named)
