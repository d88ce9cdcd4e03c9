"""Safe file names: what the uploader called the file, without paths, controls or tricks.

The name is only ever shown and offered as a download name; the stored object is addressed by
its sha256. The extension is the detected type's, so ``rapport.exe`` detected as a PDF is offered
back as ``rapport.exe.pdf``, never as something the receiving computer would run.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 150
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*;\u202a-\u202e\u2066-\u2069]+')


def sanitise_filename(name: str | None, extension: str) -> str:
    """A file name safe to show and to put in ``Content-Disposition``, ending in ``extension``."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # a browser may send C:\...\file.pdf
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" ._")
    stem = name
    if stem.lower().endswith("." + extension) or (
        extension == "jpg" and stem.lower().endswith(".jpeg")
    ):
        stem = stem.rsplit(".", 1)[0].rstrip(" ._")
    stem = stem[: MAX_NAME - len(extension) - 1] or "dokument"
    return f"{stem}.{extension}"


def ascii_fallback(name: str) -> str:
    """The plain-ASCII ``filename=`` beside ``filename*=`` for old clients."""
    danish = name.translate(_DANISH)
    folded = unicodedata.normalize("NFKD", danish).encode("ascii", "ignore").decode()
    folded = re.sub(r"[^A-Za-z0-9._ -]+", "_", folded).strip() or "dokument"
    return folded
