"""The questions of one message, when it asks more than one.

« C'est quoi le délai de retour ? Et vous livrez en Belgique ? » asks two things, and the
classifier gives the whole message one intent: the second question was dropped. Cutting the
message at its question marks, its sentence ends and at « et » before a question word gives
each question on its own; the classifier then names each one's intent, and the assistant
answers the ones the first answer did not cover.

Only questions count: « Bonjour, j'ai commandé une bague. Vous livrez en Suisse ? » is one
question with its context, not two.
"""

from __future__ import annotations

import re
import unicodedata

# « ? », « . », « ! » followed by more text, or a line break, end a sentence.
_SENTENCE_END = re.compile(r"(?<=[?!.])\s+|\s*\n+\s*")
_QUESTION_WORD = (
    r"(?:est-ce|comment|combien|quand|quel|quelle|quels|quelles|pourquoi|ou|c'est quoi|"
    r"qu'est-ce|qui|que se passe|avez-vous|faites-vous|livrez-vous|acceptez-vous|offrez-vous|"
    r"puis-je|"
    r"peut-on|vous (?:livrez|acceptez|faites|offrez|avez|prenez|expediez|remboursez)|"
    r"(?:je|on) (?:peux|peut|dois|doit))\b"
)
# « …le délai de retour et combien coûte la livraison ? »: « et » before a question word
# starts another question.
_AND_THEN_ASKS = re.compile(rf"(?:,\s*|\s+)(?:et|pis|puis|aussi)\s+(?={_QUESTION_WORD})")
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
    cut = _AND_THEN_ASKS.search(folded(sentence))
    if cut is None or not sentence.rstrip().endswith("?"):
        return [sentence]
    return [sentence[: cut.start()], sentence[cut.end() :]]


def _is_a_question(piece: str) -> bool:
    if len(re.findall(r"\w+", piece)) < MIN_WORDS:
        return False
    return piece.endswith("?") or bool(_ASKS.search(folded(piece)))


def folded(text: str) -> str:
    """Lower case without accents, one character for one: positions in it are positions in
    `text`."""
    return "".join(_fold(character) for character in text.lower())


def _fold(character: str) -> str:
    if character in "’`":
        return "'"
    return unicodedata.normalize("NFD", character)[0]
