"""Every § reference a definition makes, for the lawyers who check them.

A reference is found wherever a definition names one: ``legal_basis``, a criterion's
``legal_ref``, a field's ``legal_refs`` and the texts (guidance, hints, messages, labels). Each
mention is normalised to one provision: "Pensionsloven § 26 c, stk. 1, nr. 4", "BEK § 3, stk. 2,
2. pkt.". A list is split ("BEK § 3, stk. 1, 4 og 5" is three provisions, "§ 6 og § 7" two); a
range stays a range ("BEK § 2, stk. 2–3"). A § without a law takes the last law named before it
in the same text, else Pensionsloven when it has a letter (§ 26 b) and BEK when it has not.

``python -m forms_service.definitions.legal_refs`` prints the table kept in
docs/legal-references.md; a test holds the two equal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

PENSIONSLOVEN, BEK, FORVALTNINGSLOVEN = "Pensionsloven", "BEK", "Forvaltningsloven"
_LAWS = {
    "pensionsloven": PENSIONSLOVEN,
    "pensionslovens": PENSIONSLOVEN,
    "lovens": PENSIONSLOVEN,  # the BEK's own word for Pensionsloven
    "bek": BEK,
    "forvaltningsloven": FORVALTNINGSLOVEN,
    "forvaltningslovens": FORVALTNINGSLOVEN,
}
_LAW = r"(?P<law>Pensionsloven|pensionslovens|lovens|BEK|Forvaltningsloven|forvaltningslovens)"
_NUMBER = r"\d+(?: [a-z](?![a-zæøå]))?"
_PARAGRAPH = rf"§§? ?(?P<para>{_NUMBER}(?: ?[–-] ?{_NUMBER})?)"
_PIECES = (
    r"(?P<stk>,? stk\. \d+(?: ?[–-] ?\d+)?(?:(?:, | og )\d+(?! ?\.? ?pkt))*)?"
    r"(?P<nr>,? nr\. \d+(?: ?[–-] ?\d+)?(?: og \d+)?)?"
    r"(?P<pkt>,? \d+\. pkt\.)?"
)
_MENTION = re.compile(rf"(?:{_LAW}\s+)?{_PARAGRAPH}{_PIECES}")
_LAW_ONLY = re.compile(_LAW)


def _split(text: str, keyword: str) -> list[str]:
    """ "stk. 1, 4 og 5" → ["1", "4", "5"]; a range stays one item."""
    body = text.split(keyword, 1)[1]
    parts = re.split(r", | og ", body.strip(" ,"))
    return [re.sub(r" ?[–-] ?", "–", p.strip()) for p in parts if p.strip()]


def _law_of(paragraph: str, last: str | None) -> str:
    if last:
        return last
    return PENSIONSLOVEN if re.search(r"\d [a-z]", paragraph) else BEK


def references_in_text(text: str) -> list[str]:
    """The provisions a text names, normalised, in order of appearance (repeats kept)."""
    found: list[str] = []
    last: str | None = None
    position = 0
    for match in _MENTION.finditer(text):
        # a law named on its own earlier in the text ("BEK" in "(BEK\n§ 6)") counts as named
        for law in _LAW_ONLY.finditer(text, position, match.start()):
            last = _LAWS[law.group("law").lower()]
        position = match.end()
        if match.group("law"):
            last = _LAWS[match.group("law").lower()]
        paragraph = re.sub(r" ?[–-] ?", "–", match.group("para"))
        law = _law_of(paragraph, last)
        base = f"{law} § {paragraph}"
        stks = _split(match.group("stk"), "stk.") if match.group("stk") else [None]
        for stk in stks:
            ref = base if stk is None else f"{base}, stk. {stk}"
            if match.group("nr") and stk == stks[-1]:
                for nr in _split(match.group("nr"), "nr."):
                    found.append(f"{ref}, nr. {nr}")
                continue
            if match.group("pkt") and stk == stks[-1]:
                ref += f", {match.group('pkt').strip(' ,')}"
            found.append(ref)
    return found


def _strings(node: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("url", "$schema"):
                continue
            yield from _strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{path}[{index}]")


def definition_references(data: dict[str, Any]) -> dict[str, list[str]]:
    """Provision → the JSON paths of a definition that name it."""
    places: dict[str, list[str]] = {}
    for path, text in _strings(data):
        for ref in references_in_text(text):
            where = places.setdefault(ref, [])
            if path not in where:
                where.append(path)
    return places


def sort_key(ref: str) -> tuple[Any, ...]:
    """Law (Pensionsloven, BEK, others), then § number and letter, then stk., nr. and pkt."""
    law, _, rest = ref.partition(" § ")
    head = re.match(r"(\d+)(?: ([a-z]))?", rest)
    number, letter = (int(head.group(1)), head.group(2) or "") if head else (0, "")
    tail = [int(n) for n in re.findall(r"\d+", rest[head.end() if head else 0 :])]
    return ({PENSIONSLOVEN: 0, BEK: 1}.get(law, 2), law, number, letter, tail, ref)


def reference_table(definitions: Iterable[tuple[str, dict[str, Any]]]) -> str:
    """The markdown table: one row per provision, one column per version, the number of places
    in that version that name it."""
    versions = list(definitions)
    counts = {version: definition_references(data) for version, data in versions}
    refs = sorted({ref for found in counts.values() for ref in found}, key=sort_key)
    lines = [
        "| provision | " + " | ".join(version for version, _ in versions) + " |",
        "|---|" + "---:|" * len(versions),
    ]
    for ref in refs:
        cells = [len(counts[version].get(ref, [])) for version, _ in versions]
        lines.append(f"| {ref} | " + " | ".join(str(c) if c else "–" for c in cells) + " |")
    return "\n".join(lines) + "\n"


def bundled(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    """The definition files of a form folder in version order."""
    from forms_service.definitions.registry import version_key

    paths = sorted(folder.glob("*.json"), key=lambda p: version_key(p.stem))
    return [(p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in paths]


def main() -> None:
    root = Path(__file__).resolve().parents[2] / "form_definitions" / "sagsoplysningsskema"
    print(reference_table(bundled(root)), end="")


if __name__ == "__main__":
    main()
