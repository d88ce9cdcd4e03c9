"""Word-level diff of two texts (labels, guidance): the runs both share, and what changed."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class WordSegment:
    """A run of text: ``equal`` in both, ``removed`` from the old or ``added`` in the new."""

    op: Literal["equal", "removed", "added"]
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"op": self.op, "text": self.text}


_TOKEN = re.compile(r"(\S+)(\s*)")


def word_diff(old: str | None, new: str | None) -> tuple[WordSegment, ...]:
    """Word-level diff; white space is kept from the side each run comes from."""
    old_tokens = _TOKEN.findall(old or "")
    new_tokens = _TOKEN.findall(new or "")
    old_words = [word for word, _ in old_tokens]
    new_words = [word for word, _ in new_tokens]
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    segments: list[WordSegment] = []

    def run(tokens: list[tuple[str, str]], start: int, end: int) -> tuple[str, str]:
        text = "".join(word + space for word, space in tokens[start:end])
        stripped = text.rstrip()
        return stripped, text[len(stripped) :]

    def add(op: Literal["equal", "removed", "added"], text: str) -> None:
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = WordSegment(op, segments[-1].text + text)
        else:
            segments.append(WordSegment(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(word + space for word, space in new_tokens[j1:j2]))
            continue
        trailing = ""
        if i2 > i1:
            removed, trailing = run(old_tokens, i1, i2)
            add("removed", removed)
        if j2 > j1:
            added, trailing = run(new_tokens, j1, j2)
            add("added", added)
        add("equal", trailing)
    return tuple(segments)


def similarity(segments: Sequence[WordSegment]) -> float:
    """Share of the text (0–1) that both sides have in common."""
    equal = sum(len(s.text) for s in segments if s.op == "equal")
    total = sum(len(s.text) * (2 if s.op == "equal" else 1) for s in segments)
    return 2 * equal / total if total else 1.0


def render_word_diff(segments: Iterable[WordSegment]) -> str:
    """``[-removed-]{+added+}`` as in ``git diff --word-diff=plain``."""
    out = []
    for segment in segments:
        if segment.op == "removed":
            out.append(f"[-{segment.text}-]")
        elif segment.op == "added":
            out.append(f"{{+{segment.text}+}}")
        else:
            out.append(segment.text)
    return "".join(out)
