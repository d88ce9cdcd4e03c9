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
    soffice = require_pdf()
    # each process needs its own LibreOffice profile, or parallel conversions block each other
    with tempfile.TemporaryDirectory(prefix="forms-service-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(source),
        ]
        completed = subprocess.run(  # noqa: S603 - fixed program, paths we created
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            env={**os.environ, "HOME": profile},
        )
    target = out_dir / f"{source.stem}.pdf"
    if completed.returncode != 0 or not target.exists():
        raise PdfConversionError(
            f"LibreOffice kunne ikke lave PDF af {source.name}: "
            f"{completed.stderr.strip() or completed.stdout.strip()}"
        )
    return target
