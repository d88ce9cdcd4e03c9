"""LIX, the Scandinavian readability index, of a markdown text.

LIX = words per sentence + 100 × long words (more than six letters) / words. Plain-language
guidance for citizens aims at 40 or lower; the brochure's tests hold every section to that.
A sentence ends at ``.``, ``:``, ``!`` or ``?`` followed by a space or the end, and at the end
of a line (a list item or a paragraph without a full stop is read as one sentence). Markdown
markers (``**``, list bullets and numbers) are not words; a number is a word, never a long one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LETTERS = "A-Za-zÆØÅæøåÉéÜüÖöÄä"
_WORD = re.compile(rf"[0-9{_LETTERS}]+(?:[-'][0-9{_LETTERS}]+)*")
_NOT_LETTER = re.compile(rf"[^{_LETTERS}]")
_SENTENCE_END = re.compile(r"[.:!?]+(?=\s|$)")
_MARKUP = re.compile(r"\*\*|__|`")
_LIST_MARKER = re.compile(r"^\s*(?:[-*]|\d+\.)\s+", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Lix:
    words: int
    sentences: int
    long_words: int

    @property
    def score(self) -> float:
        if not self.words:
            return 0.0
        return self.words / max(self.sentences, 1) + 100 * self.long_words / self.words


def plain_text(markdown: str) -> str:
    return _LIST_MARKER.sub("", _MARKUP.sub("", markdown))


def lix(markdown: str) -> Lix:
    text = plain_text(markdown)
    words = _WORD.findall(text)
    sentences = 0
    for line in text.split("\n"):
        parts = [p for p in _SENTENCE_END.split(line.strip()) if _WORD.search(p)]
        sentences += len(parts)
    long_words = sum(1 for w in words if len(_NOT_LETTER.sub("", w)) > 6)
    return Lix(len(words), sentences, long_words)
