"""The questions of one message, when it asks more than one; what follows its opener.

« C'est quoi le délai de retour ? Et vous livrez en Belgique ? » asks two things, and the
classifier gives the whole message one intent: the second question was dropped. Cutting the
message at its question marks, its sentence ends and at « et » before a question word gives
each question on its own; the classifier then names each one's intent, and the assistant
answers the ones the first answer did not cover.

Only questions count: « Bonjour, j'ai commandé une bague. Vous livrez en Suisse ? » is one
question with its context, not two.

« Merci ! Et vous livrez au Yukon ? », « Bonjour, livrez-vous en Belgique ? », « non je veux
que vous ouvriez une demande »: the opener (thanks, a greeting, a yes or a no) weighs so much
that the whole message classifies as it, and the request after it was lost. What follows the
opener is classified on its own too.
"""

from __future__ import annotations

import re
import unicodedata

# « ? », « . », « ! » followed by more text, or a line break, end a sentence.
_SENTENCE_END = re.compile(r"(?<=[?!.])\s+|\s*\n+\s*")
# Question words that open a question wherever they stand, a comma before them included.
_OPENING_WORDS = (
    r"est-ce|comment|combien|quand|quel|quelle|quels|quelles|pourquoi|c'est quoi|qu'est-ce|"
    r"avez-vous|faites-vous|livrez-vous|acceptez-vous|offrez-vous|puis-je|peut-on|"
    r"vous (?:livrez|acceptez|faites|offrez|avez|prenez|expediez|remboursez)"
)
_QUESTION_WORD = rf"(?:{_OPENING_WORDS}|ou|qui|que se passe|(?:je|on) (?:peux|peut|dois|doit))\b"
# « …le délai de retour et combien coûte la livraison ? »: « et » before a question word
# starts another question; so does a comma before a question word that cannot open a mere
# complement (« une bague, ou un collier ? », « si elle fait pas, je peux la retourner ? »
# stay whole).
_COMMA_QUESTION_WORD = rf"(?:{_OPENING_WORDS})\b"
_AND_THEN_ASKS = re.compile(
    rf"(?:,\s*|\s+)(?:et|pis|puis|aussi)\s+(?={_QUESTION_WORD})|,\s*(?={_COMMA_QUESTION_WORD})"
)
_LEAD_IN = r"(?:(?:et|pis|puis|aussi|sinon|autre chose|ah|oh|ok|bon)[ ,]+)*"
_ASKS = re.compile(rf"^{_LEAD_IN}{_QUESTION_WORD}")
MIN_WORDS = 3


def question_segments(text: str) -> list[str]:
    """The questions `text` asks, in order, when it asks at least two; else an empty list."""
    pieces = [
        piece.strip(" ,;")
        for sentence in _SENTENCE_END.split(text.strip())
        for piece in _split_before_questions(sentence)
    ]
    questions = [piece for piece in pieces if _is_a_question(piece)]
    return questions if len(questions) >= 2 else []


def _split_before_questions(sentence: str) -> list[str]:
    """A question sentence cut before each question it chains (« c'est quoi le délai de
    retour, est-ce que la livraison est gratuite et vous acceptez paypal ? »: three)."""
    if not sentence.rstrip().endswith("?"):
        return [sentence]
    pieces, start = [], 0
    for cut in _AND_THEN_ASKS.finditer(folded(sentence)):
        pieces.append(sentence[start : cut.start()])
        start = cut.end()
    return [*pieces, sentence[start:]]


def _is_a_question(piece: str) -> bool:
    if len(re.findall(r"\w+", piece)) < MIN_WORDS:
        return False
    asked = after_the_opener(piece) or piece  # « bonjour c'est quoi le délai de retour »
    return piece.endswith("?") or bool(_ASKS.search(folded(asked)))


def folded(text: str) -> str:
    """Lower case without accents, one character for one: positions in it are positions in
    `text`."""
    return "".join(_fold(character) for character in text.lower())


def _fold(character: str) -> str:
    if character in "’`":
        return "'"
    return unicodedata.normalize("NFD", character)[0]


# Thanks, greetings, yes and no that open a message, with their punctuation.
_OPENER = re.compile(
    r"^\W*(?:(?:bonjour|bonsoir|salut|allo|hello|coucou|bjr|slt|merci(?: beaucoup| bien)?"
    r"|ok(?:ay)?|d'accord|super|parfait|top|genial|non|nan|oui|ouais|ah|oh|bon|re)"
    r"(?:[\s,.!:;-]+|$))+"
)


def after_the_opener(text: str) -> str | None:
    """What a message says after its opening thanks, greeting, yes or no, when it says
    something there (at least `MIN_WORDS` words); None otherwise."""
    opener = _OPENER.match(folded(text))
    if opener is None or opener.end() == 0:
        return None
    rest = text[opener.end() :].strip()
    return rest if len(re.findall(r"\w+", rest)) >= MIN_WORDS else None
