"""Structural diff of two form definitions by stable ids.

- ``model``: the result, plain dataclasses (``to_dict()`` for JSON);
- ``words``: the word-level diff of two texts;
- ``compute``: ``diff_definitions``, the algorithm;
- ``render``: ``render_text`` (the terminal's view) and the attributes' Danish names.

The CLI, the editor and the pilot pages render the same facts. This module re-exports the
public names, so ``from forms_service.definitions.diff import diff_definitions`` keeps working.
"""

from forms_service.definitions.diff.compute import diff_definitions
from forms_service.definitions.diff.model import (
    Change,
    DefinitionDiff,
    FieldDiff,
    ItemDiff,
    OptionChange,
    SectionDiff,
)
from forms_service.definitions.diff.render import attribute_name, render_text
from forms_service.definitions.diff.words import (
    WordSegment,
    render_word_diff,
    similarity,
    word_diff,
)

__all__ = [
    "Change",
    "DefinitionDiff",
    "FieldDiff",
    "ItemDiff",
    "OptionChange",
    "SectionDiff",
    "WordSegment",
    "attribute_name",
    "diff_definitions",
    "render_text",
    "render_word_diff",
    "similarity",
    "word_diff",
]
