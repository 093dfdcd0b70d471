"""What a message says about the conversation itself, read from its normalised words.

The intent classifier answers *what about* (returns, taxes…); these cues answer *how*: the
customer is leaving, has no order number, is angry, is making small talk, opens with a vague
problem, or asks about shipping. They are checked by the actions that route a message, never
change the classified intent, and so never move the NLU's figures.
"""

from __future__ import annotations

import re

from components.normalise import normalise

_FAREWELL = (
    r"bonne (journee|soiree|fin de journee|nuit|semaine|fin de semaine)|\bbye\b|au revoir"
    r"|\ba \+|\ba\+|a plus tard|a la prochaine|\bciao\b|bisous"
)
_DONE = (
    r"c'?est tout|ce sera tout|rien d'autre|ca (sera|va) (etre )?tout"
    r"|c'?est (beau|bon|correct|parfait)\b"
)
_CLOSING = re.compile(
    rf"({_FAREWELL})|^(bon |ben |ah |alors )?(ok |okay |d'accord |parfait |super |cool )*({_DONE})"
    rf"|\bmerci\b.*({_DONE}|\bc tout\b)|({_DONE}|\bc tout\b).*\bmerci\b"
)
_NO_ORDER_NUMBER = re.compile(
    r"(trouve pu|trouve plus|pas|plus|perdu|egare|oublie|trouve pas|retrouve pas|sais pas"
    r"|connais pas"
    r"|aucune idee|ou trouver|(je |on )?(le |la )?trouve ou|ou (est-ce que )?je (le |la )?trouve"
    r"|ou est|ou se trouve|c'est quoi)\b.{0,30}(\b(numero|no|num)|#)( de)? (de )?commande"
    r"|\b(numero|no|num)( de)? commande\b.{0,30}(perdu|sais pas|trouve pas|retrouve pas|oublie|"
    r"connais pas|ai pas|ai plus|efface|supprime|(se )?trouve ou|ou (le|la) trouver)"
)
_PROBLEM_WITH_A_PURCHASE = re.compile(
    r"^(bonjour |bonsoir |allo |salut )?(j'ai|jai|y a|il y a) (un|une) (petit |gros )?"
    r"(probleme|souci|pepin|trouble) (avec|concernant|sur) (ma|mon|une|un) (commande|colis|achat)"
    r"( chez vous| avec vous)?( une fois)?\s*[?!.]*$"
)
_OPENER = re.compile(
    r"^(bonjour |bonsoir |allo |salut |hello )?[,!. ]*"
    r"((j'ai|jai|y a|il y a) (un|une|des) (probleme|souci|soucis|pepin|trouble|question)s?"
    r"( avec| concernant| sur)?( ma| mon| une| un)?( commande| colis| achat)?"
    r"|(j'ai )?besoin d'aide|aidez-moi|aide(z)?( moi)?|pouvez-vous m'aider|tu peux m'aider"
    r"|vous pouvez m'aider)\s*[?!.]*\s*(svp|s'il vous plait|merci)?\s*[?!.]*$"
)
_FRUSTRATION = re.compile(
    r"\bnuls?\b|merde|incompetent|tanne|ecoeure|decu|decue|fache|enrage|frustr|inacceptable"
    r"|ridicule|honte|n'importe quoi|arnaque|voleur|pourri(e|s|es)?\b|de la marde|marde"
    r"|\bcon(ne|s)?\b"
    r"|stupide|debile|idiot|inutile|ca m'enerve|enerv|ras le bol|en a marre|j'en ai marre"
    r"|pas content|(c'est|c|trop|vraiment|ben) poche\b|dommage\b|decevant"
    r"|inadmissible|scandal|honteu"
)
# Whole words: « façon » ends in « con », « annulé » holds « nul ».
_ANGRY = re.compile(
    r"voleur|merde|marde|arnaque|\bcon(ne|s)?\b|stupide|debile|idiot|\bnuls?\b|incompetent"
)
_SMALL_TALK = re.compile(
    r"comment (ca|vas?|allez)[- ]?(va|vous|tu)|comment (tu vas|vous allez|vous portez)"
    r"|ca va( toi| vous| bien)?\s*\??$|tu vas bien|vous allez bien"
    r"|quoi de neuf|bonne (fete|annee)|joyeux noel|t'es (drole|gentil|cool)|tu es (drole|gentil)"
    r"|vous etes (drole|gentil|sympa)|t'as quel age|quel age|tu t'appelles|tu fais quoi"
    r"|je t'aime|t'es qui|tu es qui|comment tu t'appelles"
)
_SHIPPING = re.compile(
    r"(livrez|livrer|livraison|expediez|envoyez|expedier)( vous|-vous| aussi| egalement)? "
    r"(en|au|aux|a l'|a|hors|partout|dans|jusqu'(en|au|aux|a))\b.{0,25}"
    r"(europe|france|belgique|suisse|international|etranger|mexique|monde|pays|canada|etats"
    r"|usa|us\b)|(frais|cout|couts|prix|tarif)s? (de|d') ?(livraison|port|expedition|envoi)"
    r"|combien (coute|coutent|ca coute)( la| les)? (livraison|expedition|frais de port)"
    r"|livraison (gratuite|offerte)|delais? de livraison|combien de temps.{0,20}(livr|recevoir)"
    r"|(livrez|expediez|envoyez)(-vous| vous)? (chez nous|chez moi|ici|la-bas|a l'etranger)"
    r"|(europe|belgique|suisse|france|etranger)\b.{0,40}\b(livrez|livrer|expediez|envoyez)\b"
    r"|livraison\b.{0,30}\b(gratuite|offerte|payante)"
    # « c'tu gratuit la livraison ? », « c combien la livraison express », « vous livrez au
    # Nunavut ? », « expédiez-vous vers la Suisse ? »
    r"|\b(gratuit|gratuite|combien|cher|payante?)\b.{0,15}\b(la |les )?(livraison|expedition)s?\b"
    r"|\blivraison (express|rapide|prioritaire|standard|acceleree)"
    # before ordering: « si je passe commande demain, combien de jours pour recevoir ? »
    r"|\bsi je (passe|fais|place) (une |ma |la )?commande\b|\bsi je (la |le |les )?commande\b"
    r".{0,60}\b(recevoir|recoi|livr|arriv|delai|jours)"
    r"|\bcombien de (jours|temps|semaines) (pour|avant de|avant d') ?(la |le |les )?(recevoir|livr"
    r"|avoir|arriv)(?!\w* (ma|mon|mes|notre) )"
    r"|\b(livrez|expediez|envoyez)(-vous| vous)? (vers|en|au|aux|a|dans)\b"
)
# « vous acceptez PayPal ? », « je peux payer avec Interac ? »: the FAQ names no means of
# payment (only the refund to the original one).
_PAYMENT = re.compile(
    r"\b(paypal|apple ?pay|google ?pay|interac|visa|mastercard|master card|amex"
    r"|american express|crypto|bitcoin|afterpay|klarna|paiement en plusieurs fois)\b"
    r"|\b(moyens?|modes?|facons?|options?) de paiement (acceptes?|possibles?|disponibles?)"
    r"|\bpayer (avec|par|en) (carte|cheque|comptant|especes|versements)"
    r"|\b(acceptez|prenez)(-vous| vous)? (les |la )?(cartes?|cheques?)"
)
_REFUND_OF_SHIPPING = re.compile(r"rembours")
_JEWELRY = r"(bagues?|colliers?|bracelets?|boucles|pendentifs?|joncs?|chaines?|bijoux|alliances?)"
_PRODUCT = re.compile(
    rf"(avez|vendez|faites|offrez|proposez)(-vous| vous)?( aussi| encore)? (des |de |d')?"
    rf"(\w+ ){{0,2}}{_JEWELRY}|{_JEWELRY} (en|de) (or|argent|platine|acier)"
    r"|en stock|\bdisponibles?\b|catalogue|quelle taille de bague|guide des tailles"
)
_LEAVING = re.compile(
    r"^(ah |bon |ok |d'accord |non |oh |merci |euh |finalement |en fait |hmm+ |hum+ |hm+ "
    r"|bah |ben |bien |bof |oups |eh |mouais |pf+ |pis |puis |alors )*"
    r"(stop|arrete|laisse(z)? (faire|tomber)|annule(z|r)?( ca| tout)?$|oublie(z)? (ca|tout)"
    r"|pas grave|tant (pis|puis)|laisse faire|c'est correct|nevermind|on oublie)\b"
    # « non. je ne veux rien changer. stop »: nothing to change, or a last word that stops
    r"|\b(veux|veut|voulons) (plus )?rien (changer|modifier)\b|\bstop$|\barrete[zr]?$"
    # « je ne veux pas changer mon adresse », « je préfère ne rien changer », « je vais la
    # laisser comme elle est », « l'adresse actuelle est correcte, pas besoin »
    r"|\b(veux|veut|voulons|prefere|preferons) (pas|plus|ne rien|ne pas|rien) (la |le |l')?"
    r"(changer|modifier)\b|\blaisser comme (elle|il|ca) est\b"
    r"|\b(actuelle|d'origine|ancienne) (est|etait) (correcte|bonne|ok|la bonne)\b"
    r"|\bpas besoin( finalement| merci)?$"
    r"|\bje (vous )?(reviendrai|reviens plus tard|vais revenir|repasserai|vous recontacte)\b"
    # « n'annulez rien », « je veux pas annuler tout de suite », « je vais en parler à mon chum »
    r"|\bn'annulez (rien|pas)\b|\b(veux|veut|voulons) (pas|plus) (l'|la |le |les )?annuler\b"
    r"|\bje vais (d'abord |en )?(parler|reflechir|y reflechir|y penser|voir avec)\b"
)


# « c'est quoi votre numéro de téléphone ? », « et votre courriel ? », « comment vous joindre ? »:
# how to reach the shop, not a request to be handed over.
_CONTACT = re.compile(
    r"\b(votre|vos|le|un|une) (numero|no|num)( de)? (telephone|tel|cell)\b"
    r"|\b(quelle|quel) (adresse )?(courriel|e-?mail|mail)\b"
    r"|\ba quelle adresse (je |on )?(vous )?ecri"
    r"|\bcomment (on fait pour |faire pour |je fais pour )?(parler|ecrire) (a|avec) (quelqu'un"
    r"|une personne|un humain|un conseiller|une conseillere|le service)"
    r"|\b(votre|vos) (telephone|tel|courriel|e-?mail|mail|adresse courriel|coordonnees)\b"
    r"|\bcomment (je peux |on peut |puis-je )?(vous )?(joindre|contacter|rejoindre|appeler)\b"
    r"|\b(peux|peut|pourrais) (vous )?(appeler|telephoner|joindre)\b"
    r"|\bservice (a la clientele|client) (par )?telephon"
    r"|\b(courriel|e-?mail|mail|adresse|numero|telephone) (du |de )?(service|support|contact"
    r"|votre equipe|l'equipe|joindre)"
    r"|\b(quelle|quel) est (l'|votre )?(adresse )?(courriel|e-?mail|mail)\b"
    # « Et le téléphone ? », « un numéro de téléphone ? »: the shop's, asked after its email
    r"|^(et |pis |puis )?(le |un |par )?(numero de )?(telephone|tel)( aussi)? \?"
)
# « vous vendez des cartes-cadeaux ? », « une carte-cadeau, c'est remboursable ? »
_GIFT_CARDS = re.compile(
    r"\b(vendez|offrez|proposez|avez|faites)(-vous| vous)? (des |une |les )?cartes?[- ]cadeaux?"
    r"|\b(commander|acheter|offrir|envoyer) (une |des )?cartes?[- ]cadeaux?"
    r"|\bcartes?[- ]cadeaux?\b.{0,40}\b(expire|expiration|validite|valide combien)"
    r"|\bcomment (fonctionne|marche)(nt)? (une |la |les |vos )?cartes?[- ]cadeaux?"
    r"|\b(une|la|les|vos) cartes?[- ]cadeaux?( electroniques?)?,? (c'est |est |sont )?"
    r"(remboursables?|retournables?|valides?|valable)"
    # « des échanges sur les cartes cadeaux ? », « une carte-cadeau, on peut l'échanger ? »
    r"|\bechang\w* (une |la |les |des |vos |sur (les |la |une )?)?cartes?"
    r"[- ]cadeaux?"
    # « une carte cadeau virtuelle de 50 $, est-ce que je peux l'échanger ou me la faire
    # rembourser ? »: the card named first, then what is asked of it
    r"|\bcartes?[- ]cadeaux?\b[^.!?]{0,60}\b(l'|la |les |me la |se faire |etre )?"
    r"(echang|rembours|retourn)\w*[^.!?]{0,60}\?"
    r"|\bpayer [^?.!]{0,30}avec (une |la |ma |des )?cartes?[- ]cadeaux?"
)

_WHAT_NOW = re.compile(
    r"(je|j'|on) (fais|fait|peux|peut|pourrais|dois) (quoi|faire quoi)|\bjfais quoi"
    r"|que (dois|puis)-je faire|qu'est-ce (que|qu') (je|j'|on) (peux|peut|pourrais|dois) faire"
    r"|rien (que|qu'|d'autre que) ?(je|j'|on) (peux|peut|pourrais)|(y'?a|il y a) rien"
    r"|(aucune|pas d'|une) (autre )?(solution|option|possibilite|alternative)"
    r"|(autres?|quelles?|mes) (solutions?|options?|possibilites?|recours)"
    r"|vraiment rien|alors quoi"
    r"|comment (je fais|faire) (alors|donc|maintenant)|quels? (sont )?mes recours"
)
_ELIDED_WITHOUT_APOSTROPHE = re.compile(r"\b(j|c|l|d|m|t|s|n|qu) (?=[aeiouyh])")
_PUNCTUATION = re.compile(r"\s*[,;:!.()\"«»…]+\s*")
_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")


# A reply that opens with a plain yes (« oui j'ai regardé partout », « ok vas-y »); not a bare
# « ok » or « parfait », which as often close the subject (« ok, c'est tout, merci »).
_YES_FIRST = re.compile(
    r"^(oui|ouais|ouaip|yes|yep|d'accord|volontiers|absolument|bien sur|certainement"
    r"|allez-y|vas-y)\b(?! pas\b)"
)
# The normalised words spell « ok » « d'accord »: a bare « ok » is read on the typed text.
_BARE_OK_FIRST = re.compile(r"^\W*(ok|okay|oki)\b(?![\s,.!]*(vas-y|allez-y|d'accord|oui)\b)")
_NO_FIRST = re.compile(r"^(non|nan|nope|no|pas du tout|surtout pas|absolument pas)\b")
# « stop » on its own, with nothing to stop: the customer is done.
_BARE_STOP = re.compile(
    r"^(stop|arrete(z)?( ca| la)?|laisse(z)? (faire|tomber)|oublie(z)? (ca|tout)|on oublie"
    r"|nevermind|tant (pis|puis)|pas grave)( merci)?$"
)


_NEGATION = re.compile(r"\b(pas|jamais|plus|aucun|aucune|non|ni)\b|\bpoche\b|\bnul")
# Negative words that still say yes.
_YES_ALL_THE_SAME = re.compile(r"pourquoi pas|pas de (probleme|souci|trouble)|sans probleme")


def words_of(text: str) -> str:
    """The normalised words, elisions restored (« j ai » → « j'ai »), hyphenated words
    joined again (« est-ce », « États-Unis »; the classifier's spelling splits them) and
    punctuation but « ? » dropped: the cues are written once for every spelling."""
    words = _HYPHEN.sub("-", _ELIDED_WITHOUT_APOSTROPHE.sub(r"\1'", normalise(text)))
    return " ".join(_PUNCTUATION.sub(" ", words).replace(" - ", " ").split())


_ASKS = re.compile(r"\?|^(et|pis|mais|pourquoi|comment|quand|combien|est-ce)\b")


def asks_something(text: str) -> bool:
    """A question mark, or a message opening like a question or a follow-up."""
    return bool(_ASKS.search(words_of(text)))


def is_closing(text: str) -> bool:
    """« merci, bonne soirée », « ok c'est beau merci, bye », « c'est tout »."""
    return bool(_CLOSING.search(words_of(text)))


# « j'ai supprimé le courriel de confirmation », « j'ai 3 adresses, je sais plus laquelle »:
# what the order number is found in, or the email it was made with, is lost.
_NO_CONFIRMATION = re.compile(
    r"(supprime|efface|perdu|pas recu|jamais recu|pas eu|trouve pas|retrouve pas|plus)\w*"
    r".{0,30}(courriel|e-?mail|mail|message|confirmation)s? (de )?confirmation"
    r"|(courriel|e-?mail|mail) de confirmation.{0,30}(supprime|efface|perdu|pas recu|jamais)"
    r"|renvoyer (le |la |l')?(courriel|e-?mail|mail|confirmation)"
    r"|sais (plus|pas) (quelle|laquelle|lequel|avec quelle)"
    r"|plusieurs (adresses|courriels|e-?mails)|\d (adresses|courriels|e-?mails)"
)
# « je ne l'ai pas », « j'ai pas le numéro », said while the order number is asked.
_NOT_AT_HAND = re.compile(
    r"^(non,? )?((je ne l'ai pas|je l'ai pas|jl'ai pas|je ne l'ai plus|je l'ai plus"
    r"|je (ne )?(le )?(sais|connais) pas)(?=\s*([.,!?;]|$))"
    r"|(je n'ai|j'ai) (pas|plus|aucun)( de| le| ce)? (numero|no)\b|pas de numero|aucun numero)"
)


def lacks_the_confirmation(text: str) -> bool:
    return bool(_NO_CONFIRMATION.search(words_of(text)))


def number_not_at_hand(text: str) -> bool:
    """« je ne l'ai pas » to « Quel est votre numéro de commande ? » (read with its
    punctuation: « je ne l'ai pas. » is a whole answer, « je l'ai pas reçue » is not)."""
    return bool(_NOT_AT_HAND.search(normalise(text).strip()))


def lacks_order_number(text: str) -> bool:
    """« je sais pas mon numéro de commande », « j'ai perdu le numéro de commande »."""
    return bool(_NO_ORDER_NUMBER.search(words_of(text)))


def is_vague_opener(text: str) -> bool:
    """« j'ai un problème avec ma commande », « besoin d'aide svp »: nothing said yet."""
    words = words_of(text)
    return bool(_OPENER.search(words) or _PROBLEM_WITH_A_PURCHASE.search(words))


# « je n'ai pas encore de commande », « je me renseigne avant d'acheter », « c'est juste pour
# savoir »: a prospect, whose questions need no order; « j'ai pas commandé ça » is a wrong item.
_NO_ORDER_YET = re.compile(
    r"\b(pas|jamais|rien) (encore )?(de |d'|fait de |passe de |passe )?commandes?\b"
    r"(?! (ca|cela|ce|cet|cette|ces|la|le|les|un|une|des|de|d'|ici))"
    r"|\bpas encore (achete|commande|client)|je me renseigne|avant d'(acheter|commander)"
    r"|avant de (commander|passer commande|faire un achat)|par curiosite"
    r"|\b(c'est )?(juste|seulement) pour (savoir|m'informer|me renseigner)"
    r"|\b(juste|seulement) (une|des|quelques) questions?\b"
)


def has_no_order_yet(text: str) -> bool:
    """Whether the customer says they have no order (yet): nothing to look up."""
    return bool(_NO_ORDER_YET.search(words_of(text)))


# « non finalement je la garde », « je garde ma commande »: the piece stays, nothing to do.
_KEEPING = re.compile(
    r"\b(je|on) (vais )?(la|le|les|l') ?(garde|garder|conserve|conserver)\b"
    r"|\bje garde (ma|mon|mes) (commande|bague|collier|bracelet|boucles|bijou)"
    r"|\b(je|on) (garde|conserve) (l'|mon |ma |la |notre )(ancienne |actuelle )?adresse"
)

# « je la garde, mais retournez le collier »: one piece kept, another one asked for.
_ANOTHER_PIECE_ASKED = re.compile(r"\b(retour|renvo|echang|annul|rembours)")


def is_leaving_the_form(text: str) -> bool:
    """« stop », « laisse faire », « annule », « non laissez faire » during a question; « non
    finalement je la garde » to a cancellation or a return."""
    words = words_of(text)
    keeps_all = _KEEPING.search(words) and not _ANOTHER_PIECE_ASKED.search(words)
    return bool(_LEAVING.search(words) or (keeps_all and "?" not in words))


_CONTESTS = re.compile(
    r"vraiment (impossible|pas possible)|c'est (vraiment )?impossible|pas moyen"
    r"|pourquoi (pas|non|c'est refuse)|meme pas (encore )?(partie?|expediee?|envoyee?|livree?)"
    r"|n'est (meme )?pas (encore )?(partie?|expediee?|envoyee?)|c'est injuste|pas juste"
    r"|vous pouvez (pas|vraiment pas) faire (une|d')? ?exception|une exception"
    r"|(c'est|c|ce n'est|c'est vraiment) pas normal|ben voyons|voyons donc|n'importe quoi"
    r"|(in|pas )acceptable"
    r"|(jamais|pas) (demande|voulu|fait) (d'|l'|cette |une |d'|de )?annulation"
    r"|(j'ai|je l'ai) (jamais|pas) annule"
)


def contests_a_refusal(text: str) -> bool:
    """« c'est vraiment impossible ? elle n'est même pas partie ! »: the customer pushes back."""
    return bool(_CONTESTS.search(words_of(text)))


# « pourquoi ? », « ah bon, pourquoi ça ? », « pour quelle raison ? »: nothing but the why.
_WHY_OPENING = r"^(et |mais |ah |ah bon |ben |bien |hein |ok |d'accord )*"
_WHY = re.compile(
    _WHY_OPENING + r"(pourquoi|pour quelle raison"
    r"|comment ca se fait|c'est quoi la raison|la raison)( ca| donc| cela| c'est comme ca)?"
    r"( \?)?$"
    # « pourquoi je ne peux pas ? », « pourquoi seulement 24h ? », « ben pourquoi ? c'était… »
    r"|" + _WHY_OPENING + r"pourquoi (je |j'|on |vous )?(ne |n')?(peux|peut|pouvez|puis|pourrais"
    r"|pourrait)(-je)? (pas|plus)\b.{0,25}$"
    r"|" + _WHY_OPENING + r"pourquoi (seulement|juste|uniquement|que) .{1,20}$"
    r"|" + _WHY_OPENING + r"pourquoi \?"
)


def asks_why(text: str) -> bool:
    """« pourquoi ? » on its own: why the assistant's last answer says so."""
    return bool(_WHY.search(words_of(text)))


def asks_what_now(text: str) -> bool:
    """« je fais quoi alors ? », « y'a rien que je peux faire ? »: after a refusal."""
    return bool(_WHAT_NOW.search(words_of(text)))


# « j'ai vérifié chez les voisins, rien », « on a tout fouillé », « toujours rien »: the checks
# the assistant suggested, already done.
_CHECKS_DONE = re.compile(
    r"\b(j'ai|on a|nous avons)\s+(deja\s+|bien\s+|tout\s+|partout\s+)*"
    r"(verifie|regarde|demande|cherche|fouille|appele|contacte|fait le tour|"
    r"fait tout|tout fait)"
    r"|\b(deja|tout)\s+(verifie|regarde|cherche|fouille)"
    r"|\b(nulle part|toujours rien|rien trouve|personne ne l'a|personne l'a)\b"
    r"|\bvoisins?\b.*\b(rien|pas|personne)\b"
)


def reports_checks_done(text: str) -> bool:
    """The customer has already done the checks suggested for a missing parcel."""
    return bool(_CHECKS_DONE.search(words_of(text)))


# « son courriel c'est… », « et son numéro de téléphone ? », « la commande de mon amie »: the
# order asked about is someone else's (a gift bought for someone is the buyer's own order:
# « j'ai commandé pour ma mère », « son adresse est… » for a delivery, are not matched).
_RELATIVE = (
    r"(ami|amie|mere|pere|soeur|frere|fille|fils|conjoint|conjointe|blonde|chum|femme|mari"
    r"|epouse|epoux|petite-fille|petit-fils|grand-mere|grand-pere|belle-mere|beau-pere"
    r"|voisin|voisine|collegue|tante|oncle|cousin|cousine|patron|patronne|copain|copine)"
)
_SOMEONE_ELSES = re.compile(
    r"\b(son|sa) (courriel|e-?mail|mail|adresse (courriel|e-?mail|mail)|numero de telephone"
    r"|telephone|cellulaire|cell|mot de passe)\b"
    # « je suis la mère de Jean, il a commandé une bague »
    rf"|\bje suis (sa|son|la|le|l') ?{_RELATIVE}\b.{{0,80}}"
    r"(\b(il|elle) a (commande|passe)|\b(sa|son|leur) (commande|colis))"
    rf"|\b(la|les) commandes? (de|d') ?(mon|ma|mes|notre) {_RELATIVE}\b"
    # « j'écris pour le compte de mon père », « l'adresse de papa », « je suis l'adjointe de Mme
    # Tremblay », « je suis son fils », « elle me demande de vérifier », « il m'a demandé de
    # vous écrire »
    rf"|\b(pour le compte|au nom) (de|d') ?((mon|ma|mes|notre) {_RELATIVE}|m\.?|mme|monsieur"
    r"|madame)\b"
    rf"|\b(le courriel|le mail|le e-?mail|l'e-?mail|l'adresse (courriel|e-?mail|mail)) (de|d') ?"
    rf"(papa|maman|(mon|ma|mes) {_RELATIVE})\b"
    rf"|adressecourriel\W{{0,3}}(\(|,)?\s*l'adresse (de|d') ?"
    rf"(papa|maman|(mon|ma|mes) {_RELATIVE})\b"
    r"|\bje suis (l'|le |la |son |sa )?(adjointe?|assistante?|secretaire|employee?|collegue)"
    r" ((administrative?|personnel(le)?|de direction) )?(de|d')\b"
    rf"|\bje suis (son|sa) {_RELATIVE}\b"
    r"|\b(il|elle) (me|m'a) (demande|charge) de (vous )?(ecrire|verifier|voir|regarder|demander"
    r"|contacter|suivre|savoir)"
    # « son adresse c'est marie@… »: the email typed is another person's
    r"|\b(son|sa) adresse (c'est |est |: ?)?adressecourriel\b"
    # « je suis le conjoint de Sophie Martin », « ma mère m'a demandé de vérifier »: asking for
    # another person
    rf"|\bje suis (sa|son|la|le|l') ?{_RELATIVE} (de|d') ?(?!(la|le|les|l'|mon|ma|mes)\b)\w+"
    rf"|\b(mon|ma) {_RELATIVE}( \w+){{0,3}} m'a (demande|charge|dit) (de|d')"
    # « je m'occupe des commandes de ma blonde »
    rf"|\b(je m'occupe|je gere|je fais le suivi|je suis) (des|de la|du) (commandes?|colis|achats?)"
    rf" (de|d') ?(mon|ma|mes|notre) {_RELATIVE}\b"
    rf"|\b(mon|ma|notre) {_RELATIVE}( \w+)? (a|avait) (commande|passe (une|sa) commande)\b"
)


def speaks_of_someone_elses_order(text: str) -> bool:
    """The customer asks about, or identifies with, another person's order (a gift card sent
    to someone's email is no such thing)."""
    # « la broche a perdu son émail »: the enamel, not an email address
    words = words_of(re.sub(r"(?i)émail", "emaillage", text))
    return bool(_SOMEONE_ELSES.search(words)) and not _GIFT_CARD_TO_SOMEONE.search(words)


# « je l'ai reçue ce matin », « elle est arrivée aujourd'hui », « je l'ai dans les mains ».
_ARRIVED = re.compile(
    r"\b(j'ai|je l'ai|je les ai|on a|ai|est|sont|suis) (bien |enfin |deja )?"
    r"(recu|recue|recus|recues|arrivee?s?)\b"
    r"|\bje (l'|les )ai (dans les mains|ici|devant moi)\b"
    # « le facteur vient de me livrer le colis », « je viens de le recevoir »
    r"|\b(vient|viennent|viens) de (me |nous )?(l'|le |la |les )?"
    r"(livrer|recevoir|deposer|arriver)\b"
    r"|\b(le colis|il|elle) est (la|ici) devant moi\b"
    r"|\b(recue?s?|arrivee?s?|livree?s?) "
    r"(aujourd'hui|ce matin|hier|ce midi|tantot|cet apres-midi)\b"
)
_NOT_ARRIVED = re.compile(
    r"\b(pas|jamais|rien|toujours pas|pas encore)( encore| toujours| bien)? "
    r"(recu|recue|recus|recues|arrivee?s?)\b"
)


def says_it_arrived(text: str) -> bool:
    """The customer says the parcel is in their hands."""
    words = words_of(text)
    return bool(_ARRIVED.search(words)) and not _NOT_ARRIVED.search(words)


_FOUND = re.compile(
    r"\b(je l'ai|je les ai|jlai|on l'a|on les a|l'ai) (enfin |finalement |bien )?(re)?trouvee?s?\b"
)
_NOT_FOUND = re.compile(r"\b(pas|jamais|toujours pas|pas encore)( encore| toujours)? (re)?trouve")


def says_it_was_found(text: str) -> bool:
    """« non c'est bon, je l'ai trouvé », « je l'ai reçu finalement »: the parcel is no longer
    missing."""
    words = words_of(text)
    found = _FOUND.search(words) and not _NOT_FOUND.search(words)
    return bool(found) or says_it_arrived(text)


# « ça fait 3 jours au centre de distribution, c'est normal ? », « ça bouge pas »: is the
# parcel's progress as it should be.
_IS_IT_NORMAL = re.compile(
    r"c'?est (tu )?normal|est-ce (que c'est )?normal|normal qu|ca bouge (pas|plus)|bloquee?s?\b"
    r"|toujours au meme (endroit|statut|etat)|ca (prend|est) (bien |vraiment )?long"
)
# « ok pis ça va arriver quand ça ? », « la date exacte, c'est quoi ? »
_WHEN_IT_ARRIVES = re.compile(
    r"\barriv\w* quand\b|\bquand (est-ce qu')?(il |elle |ca |le colis )?(va |vont |devrait )?arriv"
    r"|\bquand (vais-je|je vais|est-ce que je vais) (le |la |les )?recevoir"
    r"|\bla date (exacte|prevue)|\barriv\w* quand\b|devrait arriver quand"
)


def asks_when_it_arrives(text: str) -> bool:
    return bool(_WHEN_IT_ARRIVES.search(words_of(text)))


def asks_if_normal(text: str) -> bool:
    """The customer asks whether the parcel's progress is normal."""
    return bool(_IS_IT_NORMAL.search(words_of(text)))


# « merci pour rien », « merci quand même »: thanks that say the answer did not help.
_THANKS_FOR_NOTHING = re.compile(r"\bmerci (pour rien|quand meme|de rien|tout de meme)\b")
# « génial, pas de téléphone, bravo le service client », « super, encore un délai, bravo »:
# praise said of a let-down is a complaint, not thanks nor a request for a person.
_SARCASM = re.compile(
    r"\b(bravo|chapeau|felicitations|genial)\b[^.!?]{0,50}\b(encore|pas de|personne|aucun"
    r"|toujours pas|service client|le service)\b"
    r"|\b(encore|pas de|personne|aucun|toujours pas)\b[^.!]{0,60}\b(bravo|chapeau"
    r"|felicitations)\b"
    r"|\bbravo (le|au|pour le|pour votre|a votre|votre) service\b|\bquel (beau |super )?service\b"
)


# « c'était juste une question », « je demandais juste »: nothing to do.
_ONLY_ASKED = re.compile(
    r"\b(c'etait|c'est) (juste|seulement) (une|pour) (question|savoir|info|information)"
    r"|\bje (demandais|voulais savoir|me renseignais) (juste|seulement)\b"
    r"|\bje (demandais|me renseignais)$"
)


# « je n'ai jamais passé cette commande, quelqu'un a utilisé ma carte », « c'est une fraude »
_FRAUD = re.compile(
    r"\bfraud\w*|\busurpation\b|\bpirat\w*"
    r"|(vole|volee|utilise|utilisee) (ma|mes) (carte|cartes|donnees|compte)"
    r"|(jamais|pas) (fait|passe|commande)\w* (cette|la) commande"
    r"|(c'est |c )pas moi qui (ai|a) (commande|passe|achete)"
    r"|(achat|commande) (que je n'ai|que j'ai) (jamais|pas) (fait|passe)e?"
)


def reports_fraud(text: str) -> bool:
    return bool(_FRAUD.search(words_of(text)))


def only_asked(text: str) -> bool:
    return bool(_ONLY_ASKED.search(words_of(text)))


def thanks_for_nothing(text: str) -> bool:
    return bool(_THANKS_FOR_NOTHING.search(words_of(text)))


# « euh c'est pas ce que j'ai demandé », « j'ai pas parlé d'ajustement de prix »: the answer
# missed the question (short, nothing else said: « c'est pas ce que j'ai commandé, j'ai reçu… »
# is a wrong item).
_ANSWER_MISSED = re.compile(
    r"^((euh|heu|mais|non|hein|quoi|hmm|ben|bah)\W* )*"
    r"((c'est |c |ce n'est |c'etait |ca n'est |ca )?pas (du tout )?(ce que|ca que|de ca que) "
    r"(j'ai|jai|je vous ai|je t'ai) (demande|dit|pose|ecrit)"
    r"|(c'est |ce n'est |c )?pas (ma|la) question"
    r"|(vous )?(repondez|me repondez|avez repondu) (a cote|pas a (ma|la) question)"
    r"|(j'ai|jai|je n'ai) pas parle (d|de|du|des|de ca)\b"
    r"|(ca|quel) (n'a )?(rien a voir|rapport))"
)
ANSWER_MISSED_MAX_WORDS = 10


def says_the_answer_missed(text: str) -> bool:
    words = words_of(text)
    return len(words.split()) <= ANSWER_MISSED_MAX_WORDS and bool(_ANSWER_MISSED.search(words))


# « j'ai changé d'adresse courriel, je n'y ai plus accès », « l'ancien courriel existe plus »:
# the email of the order cannot be given; asking it again is a loop.
_EMAIL_LOST = re.compile(
    r"\b(plus|pas|perdu l')\s?acces\b.{0,40}\b(courriel|e-?mail|mail|adresse|boite)"
    r"|\b(courriel|e-?mail|mail|adresse)\b.{0,40}\b(n'y ai (plus|pas) acces|y ai (plus|pas) acces"
    r"|plus acces|pas acces|n'existe plus|existe plus|est fermee?|desactivee?|supprimee?|piratee?)"
    r"|\b(me souviens|rappelle) (plus|pas) (de |du )?(l'adresse|mon courriel|l'e-?mail|quel"
    r" courriel|quelle adresse)"
)


def lost_the_email(text: str) -> bool:
    return bool(_EMAIL_LOST.search(words_of(text)))


def is_sarcastic(text: str) -> bool:
    return bool(_SARCASM.search(words_of(text)))


def is_frustrated(text: str) -> bool:
    return bool(_FRUSTRATION.search(words_of(text)))


def is_angry(text: str) -> bool:
    """Insults or swearing: a human is offered at once."""
    return bool(_ANGRY.search(words_of(text)))


def is_small_talk(text: str) -> bool:
    return bool(_SMALL_TALK.search(words_of(text)))


def is_product_question(text: str) -> bool:
    """« vous avez des bagues en or ? »: the catalogue, which the assistant cannot see
    (« ma bague en or est cassée » is about the customer's own piece)."""
    words = words_of(text)
    return bool(_PRODUCT.search(words)) and not re.search(r"\b(mon|ma|mes)\b", words)


def is_payment_question(text: str) -> bool:
    """Which means of payment the shop accepts; not how a refund is paid."""
    words = words_of(text)
    return bool(_PAYMENT.search(words)) and not _REFUND_OF_SHIPPING.search(words)


# « en combien de temps répondez-vous aux courriels ? », « le conseiller va m'écrire quand ? »
_RESPONSE_TIME = re.compile(
    r"\b(en combien de temps|combien de temps|quel delai|dans quel delai|delai de reponse)\b"
    r".{0,45}\b(repond\w*|reponse|ecri\w*|revenir|reviendr\w*)"
    r"|\b(conseiller|equipe|agent|support)\b.{0,30}\b(m'ecrire|me repondre|me contacter|"
    r"me revenir)\b.{0,15}\bquand\b"
)


def asks_when_the_team_answers(text: str) -> bool:
    """How soon the team answers an email or a handed-over conversation."""
    return bool(_RESPONSE_TIME.search(words_of(text)))


# « quelles sont vos heures d'ouverture ? », « êtes-vous ouverts le dimanche ? »
_OPENING_HOURS = re.compile(
    r"heures? d'ouverture|\bhoraires?\b|\b(etes|etes-vous|vous etes) (vous )?(ouverts?|ouvertes?"
    r"|disponibles?)\b|\bouverts? (le |la |les )?(dimanche|samedi|lundi|fin de semaine|week-?end"
    r"|ce soir|aujourd'hui|demain|jours? feries?)|\b(a|jusqu'a) quelle heure (vous )?(ouvr|ferm"
    r"|repond)|\bquand (est-ce que )?(vous )?(ouvrez|repondez)"
    r"|\b(repondez|ouverts?|ouvertes?|fermez|disponibles?) jusqu'a quelle heure"
    # « est-ce que quelqu'un du service client est disponible maintenant ? »
    r"|\b(quelqu'un|un conseiller|une conseillere|un agent|une personne|un humain|un etre humain)"
    r"( de chez vous| du service (client|a la clientele))? (est |serait |sera )?(disponible|dispo"
    r"|la|en ligne)\b"
    # « à quelle heure votre service client est-il disponible ? »
    r"|\b(service (client|a la clientele)|equipe|support)( est-il| est-elle| est| sont| serait)?"
    r" (disponibles?|dispo|ouverts?|joignables?|en ligne)\b"
    r"|\ba quelle heure (votre |le )?(service|equipe|support)"
    # « il travaille la fin de semaine ? », « je peux vous joindre le samedi ? »
    r"|\b(travaill\w*|repond\w*|ouvert\w*|joindre|rejoindre|contacter|ecrire)(-tu|-vous|-il|-elle)?"
    r" (le |la |les |en )?"
    r"(samedis?|dimanches?|fins? de semaine|week-?ends?|soirs?|jours? feries?)"
)


def asks_opening_hours(text: str) -> bool:
    """When the team can be reached."""
    return bool(_OPENING_HOURS.search(words_of(text)))


# « si j'annule, les frais de livraison sont remboursés ? »: the refund of a cancellation, whose
# words (« remboursé ») classify as a return; « pas d'un retour » still names no return.
_CANCELLATION = re.compile(r"\bannul")
# « argent » is money but in « le collier en argent », « la chaîne argentée »
_MONEY_BACK = re.compile(
    r"rembours|\bfrais\b|(?<!en )(?<!plaque )\bargent\b|\bperdus?\b|\brendus?\b|recuper"
)
_A_RETURN = re.compile(r"(?<!pas d'un )(?<!pas un )\bretour|retourn")


# « si Postes Canada perd mon colis, vous me remboursez ou vous me renvoyez ? », « et si je ne
# le reçois jamais, vous me remboursez ? »: what happens to a parcel lost on its way
_LOST_PARCEL_OUTCOME = re.compile(
    r"(\b(perd\w*|egare\w*) (mon |le |ma |la |notre )?(colis|paquet|commande|envoi)"
    r"|\b(jamais (recu|arrive)|recoi[st]? (jamais|pas)|arrive (jamais|pas))\b)"
    r".{0,60}\b(rembours|renvoy|renvoi|nouvel envoi|reexpedi|mon argent|remplac)"
    r"|\b(rembours|renvoy|nouvel envoi)\w*\b.{0,40}\b(colis (perdu|egare)|perd\w* (le|mon) colis)"
)


def asks_what_a_lost_parcel_gets(text: str) -> bool:
    """A refund or a new shipment asked about a parcel lost on its way, not a return."""
    words = words_of(text)
    return bool(_LOST_PARCEL_OUTCOME.search(words)) and not _A_RETURN.search(words)


def asks_about_a_cancellation_refund(text: str) -> bool:
    """« si j'annule, les frais de port me sont rendus ? »: a question, not the request « je veux
    annuler ma commande et récupérer mon argent », which the cancellation's flow answers."""
    words = words_of(text)
    return bool(
        asks_something(text)
        and _CANCELLATION.search(words)
        and _MONEY_BACK.search(words)
        and not _A_RETURN.search(words)
    )


# « je peux la réactiver ? », « annuler l'annulation »: a cancelled order brought back.
_REACTIVATE = re.compile(
    r"\breactiv\w*|\b(annuler|defaire) l'annulation|\bdesannul\w*"
    r"|\b(remettre|relancer) (en route |en vigueur )?(la|ma|cette) commande (annulee)?"
)


# Words of English that French messages do not use (« order », « please », « I want »):
# a message holding several of them, and none of French's own small words, is in English.
_ENGLISH = re.compile(
    r"\b(i|i'm|im|my|the|want|please|order|return|speak|human|english|hello|hi|where|is|can"
    r"|you|do|does|what|how|when|ship|shipping|refund|help|to|of|and|with|customs|pay|have)\b"
)
_FRENCH = re.compile(
    r"\b(je|j'|le|la|les|un|une|des|de|du|est|et|vous|mon|ma|mes|pour|avec|pas|que|qui|quoi"
    r"|commande|bonjour|merci|oui|non|ou|c'est|svp|s'il)\b"
)
ENGLISH_WORDS_MIN = 2


def is_in_english(text: str) -> bool:
    """« I want to speak to a human please », « English please »: a message in English."""
    words = words_of(text)
    return len(_ENGLISH.findall(words)) >= ENGLISH_WORDS_MIN and not _FRENCH.search(words)


def asks_to_reactivate(text: str) -> bool:
    return bool(_REACTIVATE.search(words_of(text)))


def asks_for_contact(text: str) -> bool:
    """How to reach the shop's team: its phone number, its email."""
    return bool(_CONTACT.search(words_of(text)))


# « elle a pas reçu le code de la carte-cadeau »: the e-gift card, not a promo code
_GIFT_CARD_MISSING = re.compile(
    r"\bcartes?[- ]cadeaux?\b.{0,120}\b(pas|jamais|toujours pas) (recu|eu|arrive)"
    r"|\b(pas|jamais|toujours pas) (recu|eu) .{0,30}\bcartes?[- ]cadeaux?\b"
)
# « lui envoyer une carte-cadeau à son adresse courriel »: a gift card sent to someone
_GIFT_CARD_TO_SOMEONE = re.compile(
    r"\b(envoy|offr|fai\w* parvenir|destinataire)\w*\b.{0,60}\bcartes?[- ]cadeaux?\b"
    r"|\bcartes?[- ]cadeaux?\b.{0,60}\b(envoy|offr|destinataire)"
)


# « vous pouvez annuler l'échange ? », « annulez ma demande de retour », « annulez RA-104204-01 »,
# « vous pouvez annuler ma demande ? »: a request, not the order
_REQUEST_KINDS = {
    "echange": "exchange",
    "retour": "return",
    "reclamation": "warranty_claim",
    "changement d'adresse": "address_change",
    "colis manquant": "missing_parcel",
    "colis perdu": "missing_parcel",
    "mauvais article": "wrong_item",
    "article errone": "wrong_item",
    "erreur d'article": "wrong_item",
}
_REFERENCE_KINDS = {
    "ra": "return",
    "ec": "exchange",
    "ga": "warranty_claim",
    "ad": "address_change",
    "cm": "missing_parcel",
    "ae": "wrong_item",
    "an": "cancellation",
}
# Any open request of the order: « annulez ma demande » names none.
ANY_REQUEST = "any"
_KIND = "|".join(_REQUEST_KINDS)
_CANCELS_A_REQUEST = re.compile(
    r"\bannul\w* (?:l'|le |la |ma |mon |cette |ce )?(?:(?:demande|dossier) (?:de |d')?)?"
    rf"(?P<kind>{_KIND})\b"
    # « j'ai fait une demande d'échange par erreur, pouvez-vous l'annuler ? »
    rf"|\bdemande (?:de |d')(?P<asked>{_KIND})\b.{{0,60}}\b(?:l'|la )annul"
    r"|\bannul\w* (?:ma |la |mon |le )?(?:demande |dossier )?(?P<reference>ra|ec|ga|ad|cm|ae|an)"
    r"-\d{6}-\d{2}\b"
    r"|\bannul\w* (?:ma|la|cette|mon|le) (?P<any>demande|dossier)\b(?! de | d'| ag-)"
)


def request_to_cancel(text: str) -> str | None:
    """The kind of request (RequestKind value) the customer asks to cancel, ANY_REQUEST when
    the message names none, else None."""
    found = _CANCELS_A_REQUEST.search(words_of(text))
    if found is None:
        return None
    if found.group("reference"):
        return _REFERENCE_KINDS[found.group("reference")]
    if found.group("any"):
        return ANY_REQUEST
    return _REQUEST_KINDS[found.group("kind") or found.group("asked")]


# « ah non finalement annulez, j'ai trouvé ma réponse », « laissez tomber » right after a
# person was asked for: the request for a person is taken back, not an order cancelled.
_TAKES_BACK = re.compile(
    r"\bannul|\bretir|\blaisse[rz]? (faire|tomber)\b|\boublie[rz]?\b|\bpas (besoin|la peine)\b"
    r"|\bfinalement (non|pas|c'est bon|ca va)\b|\b(trouve|eu) (ma|la|une) reponse\b"
    r"|\bc'est (regle|bon finalement)\b"
)
_NAMES_AN_ORDER = re.compile(r"\bcommande|\bcolis\b|\barticles?\b|\b" + _JEWELRY + r"\b")


# « annulez la demande AG-35D977DC », « je veux plus parler à un agent »: the request for a
# person named as such, whenever it was made.
_A_PERSON = re.compile(
    r"\bag-[0-9a-z]{2,}|\b(conseillere?|agent|humain|rappel|quelqu'un|personne)\b"
)
_NO_LONGER = re.compile(
    r"\b(veux|veut|voulons) (plus|pus|pas) (parler|d'|de|qu'on)|plus besoin"
    r"|\ben veu[xt] (plus|pus)\b|\bfermez-(la|le)\b|\bfermer? (la|ma|cette) demande"
)


def takes_back_the_request_for_a_person(text: str) -> bool:
    """Whether the message withdraws a request for a person just made; « annulez ma
    commande » cancels an order instead."""
    words = words_of(text)
    if names_the_request_for_a_person(text):
        return True
    # « annulez la demande » right after it was made names no other request
    named_request = request_to_cancel(text) not in (None, ANY_REQUEST)
    return bool(_TAKES_BACK.search(words)) and not (_NAMES_AN_ORDER.search(words) or named_request)


def names_the_request_for_a_person(text: str) -> bool:
    """« annulez la demande AG-35D977DC », « je veux plus parler à un conseiller »: the
    withdrawal of the request for a person, said in so many words."""
    words = words_of(text)
    withdraws = _TAKES_BACK.search(words) or _NO_LONGER.search(words)
    return bool(withdraws and _A_PERSON.search(words))


# What the customer wants instead (« je voudrais », « remboursez-moi », « une plus petite »,
# « à la place »): a preference read in a message without any of these (« la chaîne s'est cassée
# toute seule, je l'ai jamais échappée ») is the classifier's guess, not the customer's wish.
_WISH = re.compile(
    r"\b(veu[xt]|voudrai[st]?|voudrions|aimerai[st]?|souhait\w*|prefer\w*|plutot|pouve[zs]"
    r"|pourrie[zs]|pourrai[st]?|peut|peux|jpeu|jveu|jve|s'il vous plait|merci de|faut|faudrait"
    r"|demande\w*|chang\w*|envoy\w*|renvoy\w*|recevoir|rembours\w*|rembourc\w*|remplac\w*"
    r"|echang\w*|credit|avoir|nouveau|nouvelle|nouvel|neu(f|ve)s?|autre|otre|meme|pareil\w*"
    r"|bonne|bons?|identique|version|taille|grandeur|argent|sous|cash|money|montant|repar\w*"
    r"|regrav\w*|refai\w*|refaite|place|lieu|prendre|donne[rz]|rend\w*|reprendre|retourn\w*"
    r"|compte|carte|achat|troqu\w*|swap|besoin|attends|remettez|plus (grand|petit|long|court"
    r"|fin|large)\w*)\b"
)


def says_what_is_wanted(text: str) -> bool:
    """Whether the message words a wish: a preference is only the customer's when it does."""
    return bool(_WISH.search(words_of(text)))


# « je peux tu changer le prénom dessus ? j'ai fait une faute »: the customer's own text of a
# personalised piece, to be corrected before it is made (an error of the shop is a wrong item).
_PERSONALISATION_CHANGE = re.compile(
    r"\b(changer|modifier|corriger|rectifier)\w* (pour |par )?(le |la |l'|un |une )?"
    r"(autre |nouveau |bon )?(prenom|nom|gravure|inscription|texte grave|initiales?|date gravee)\b"
    r"|\b(mal ecrit|mal orthographie|erreur dans|faute dans)\w* (le |la |l')?(prenom|nom) a graver"
    r"|\b(prenom|nom) a graver\b"
    r"|\b(j'ai|jai|on a) fait une (faute|erreur) (dans|sur|de) (le |la |l')?(prenom|nom|gravure)"
    r"|\bje me suis trompee? (dans|de|sur) (le |la |l')?(prenom|nom|gravure|inscription)"
)


def changes_the_personalisation(text: str) -> bool:
    return bool(_PERSONALISATION_CHANGE.search(words_of(text)))


# « je veux un conseiller pour renvoyer la carte-cadeau », « passez-moi quelqu'un »: a person
# asked for in so many words, whatever else the message says.
_A_PERSON_ASKED = re.compile(
    r"\b(je veux|je voudrais|j'aimerais|je demande|passez-moi|donnez-moi|mettez-moi avec)"
    r" (parler (a|avec) )?((un |une )(vrai |vraie )?(conseillere?|agent|humain|personne"
    r"|etre humain)|quelqu'un)\b"
)


def asks_for_a_person(text: str) -> bool:
    return bool(_A_PERSON_ASKED.search(words_of(text)))


def misses_the_gift_card(text: str) -> bool:
    """The e-gift card (or its code) never came."""
    return bool(_GIFT_CARD_MISSING.search(words_of(text)))


def asks_about_gift_cards(text: str) -> bool:
    """Whether the shop sells e-gift cards, how they work, whether they can be returned."""
    return bool(_GIFT_CARDS.search(words_of(text)))


def is_shipping_question(text: str) -> bool:
    """Where and at what cost the shop ships; not whether shipping fees are refunded."""
    words = words_of(text)
    return bool(_SHIPPING.search(words)) and not _REFUND_OF_SHIPPING.search(words)


# « d'accord merci », « ok super »: the answer taken in, with thanks; to « voulez-vous que je
# regarde votre commande ? » no yes (« oui merci », « ok vas-y, regardez » are).
_TAKEN_IN = re.compile(
    r"^(ok|okay|oki|d'accord|parfait|super|genial|top|tres bien|merci|ah ok|ah d'accord)\b"
)
_THANKS_OR_PRAISE = re.compile(r"\b(merci|super|parfait|genial|top|cool|nickel|parfaitement)\b")
_STILL_A_YES = re.compile(
    r"\b(oui|ouais|vas-y|allez-y|volontiers|regardez|verifiez|checkez|s'il vous plait|go)\b"
)


_BARE_OK = re.compile(r"^(ok|okay|oki|d'accord|ah ok|ok d'accord|tres bien|entendu|compris)$")


def is_a_bare_ok(text: str) -> bool:
    """« ok », « d'accord »: taken in, and nothing more (« ok vas-y » says more)."""
    return bool(_BARE_OK.match(words_of(text).strip(" .!")))


def takes_the_answer_in(text: str) -> bool:
    """« d'accord merci », « ok super », « parfait, merci »: thanks for an answer, not a yes
    to the offer that followed it."""
    words = words_of(text)
    return bool(
        _TAKEN_IN.search(words)
        and _THANKS_OR_PRAISE.search(words)
        and not _STILL_A_YES.search(words)
        and "?" not in text
        and not is_closing(text)  # « ok c'est tout merci » ends the conversation
    )


# « oui, euh non attendez une minute, je vérifie… », « ok attendez », « oui mais non »: the yes
# taken back before anything is done
_YES_TAKEN_BACK = re.compile(
    r"^(oui|ouais|ok|okay|d'accord)\b\W*(euh |hmm |ben |bah |en fait )*(non\b|attend|wait"
    r"|une (minute|seconde)|pas (encore|tout de suite|maintenant)|mais non\b)"
    r"|\b(attendez|attends)( une (minute|seconde)| un peu| avant)?\b.{0,40}\b(verifie|regarde|"
    r"demande|confirme|reviens|avant)"
    # « oui c'est ça... ah non attendez », « Oui, mais gardez-la en attente »
    r"|^(oui|ouais|ok|okay|d'accord)\b.*\b(attend(ez|s|re)?|en attente|pas (tout de suite|encore"
    r"|maintenant)|laissez-moi|laisse-moi|reverifi\w*|je (dois|vais|veux) d'abord|plus tard)\b"
)


def takes_back_the_yes(text: str) -> bool:
    """A yes taken back in the same message: nothing may be written on it (a tester's address
    was written on « oui, euh non attendez une minute »)."""
    return bool(_YES_TAKEN_BACK.search(words_of(text)))


def opens_with_yes(text: str) -> bool:
    """« Oui, j'ai regardé partout » answers the question asked, whatever follows the oui;
    « d'accord, c'est tout pour moi » closes the conversation instead."""
    if _BARE_OK_FIRST.search(text.lower()):
        return False  # « ok merci » thanks for the answer, « ok vas-y » says yes
    return (
        bool(_YES_FIRST.search(words_of(text)))
        and not is_closing(text)
        and not takes_back_the_yes(text)
    )


_ALSO = re.compile(r"^(et|pis|puis|ainsi que)\b.*\baussi\b")


def adds_to_the_request(text: str) -> bool:
    """« et le médaillon aussi, c'est possible ? »: the same request, for one more piece."""
    return bool(_ALSO.search(words_of(text)))


# « non je veux que vous ouvriez une demande maintenant »: after the « non », a request of its
# own (a question, or a wish worded as one).
_OWN_REQUEST = re.compile(
    r"\b(je|j') ?(veux|voudrais|souhaite|souhaiterais|prefere|aimerais|demande)\b"
    r"|\b(pouvez|pourriez)-vous\b|\bvous (pouvez|pourriez)\b|\bouvr(ez|ir)\b"
    r"|\bil (me )?faut\b"
)


def no_then_a_request(text: str) -> bool:
    """« non je veux que vous ouvriez une demande », « non non, je veux juste savoir le
    montant »: a « non » that goes on to ask something, not a goodbye or a plain refusal."""
    words = words_of(text)
    if not opens_with_no(text) or is_closing(text) or is_leaving_the_form(text):
        return False
    rest = _NO_FIRST.sub("", words).split()
    return len(rest) >= 4 and bool(_OWN_REQUEST.search(words) or "?" in text)


def opens_with_no(text: str) -> bool:
    """« non, finalement je préfère un échange »: whatever follows, the question asked got a no."""
    return bool(_NO_FIRST.search(words_of(text)))


def says_it_is_not(text: str) -> bool:
    """« ça marche pas », « c'est pas correct », « c'est poche »: words a classifier may read
    as « ça marche », « c'est correct » — a yes turned around, so not a yes."""
    words = words_of(text)
    if opens_with_yes(text) or _YES_ALL_THE_SAME.search(words):
        return False
    return bool(_NEGATION.search(words))


def is_bare_stop(text: str) -> bool:
    return bool(_BARE_STOP.search(words_of(text)))


# Words that only point at the order (« ok ben c'est la AZ104202 », « c'est pour la commande
# AZ104205 »), as words_of spells them, identifiers included.
POINTING_WORDS = set(
    "c'est c est ce sont pour la le ma mon de commande d'accord bien bon alors en fait oui "
    "voici voila ca cest numero no num numcommande adressecourriel et mon courriel "
    # « oups non je me suis trompée, c'est la AZ104201 »
    "oups non pardon je me suis trompe trompee plutot desole desolee erreur".split()
)


def only_points_at_the_order(text: str) -> bool:
    """The message gives the order (its number, the email) and asks nothing of its own."""
    words = words_of(text).replace("?", " ").split()
    return bool(words) and all(word in POINTING_WORDS for word in words)
