"""Optional PDF conversion through LibreOffice (``soffice --headless --convert-to pdf``).

LibreOffice is not a dependency of the service; when it is missing, ``PdfUnavailableError``
says so in plain Danish and the .docx documents are still made.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120


class PdfUnavailableError(RuntimeError):
    pass


class PdfConversionError(RuntimeError):
    pass


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def require_pdf() -> str:
    path = soffice_path()
    if path is None:
        raise PdfUnavailableError(
            "PDF kræver LibreOffice (kommandoen 'soffice'), som ikke er installeret på denne "
            "maskine. Installer LibreOffice, eller lav dokumenterne uden --pdf."
        )
    return path


def convert_to_pdf(source: Path, out_dir: Path) -> Path:
    """Convert ``source`` (.docx) into ``out_dir``; returns the PDF's path."""
    return convert_many([source], out_dir)[0]


def convert_many(sources: list[Path], out_dir: Path, *, target: str = "pdf") -> list[Path]:
    """Convert several documents in one LibreOffice start (most of a conversion's time).

    ``target`` is LibreOffice's filter name: ``pdf``, or ``docx`` to open and save a file as
    Word would find it after someone edited it in LibreOffice. Returns the new files' paths
    in the order of ``sources``.
    """
    soffice = require_pdf()
    out_dir.mkdir(parents=True, exist_ok=True)
    # each process needs its own LibreOffice profile, or parallel conversions block each other
    with tempfile.TemporaryDirectory(prefix="forms-service-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target if target == "pdf" else "docx:MS Word 2007 XML",
            "--outdir",
            str(out_dir),
            *(str(s) for s in sources),
        ]
        completed = subprocess.run(  # noqa: S603 - fixed program, paths we created
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS + 30 * len(sources),
            check=False,
            env={**os.environ, "HOME": profile},
        )
    suffix = ".pdf" if target == "pdf" else ".docx"
    targets = [out_dir / f"{s.stem}{suffix}" for s in sources]
    missing = [t.name for t in targets if not t.exists()]
    if completed.returncode != 0 or missing:
        raise PdfConversionError(
            f"LibreOffice kunne ikke lave {', '.join(missing) or 'filerne'}: "
            f"{completed.stderr.strip() or completed.stdout.strip()}"
        )
    return targets
