"""How fast ``forms-service`` starts: ``--help`` and a light command, in fresh processes.

Each figure is the wall time of a new interpreter running the command, median of several runs
taken in turn (so a load spike hits every variant alike), against two baselines in the same
run:

- ``python -c pass``: the interpreter alone, the floor no command can go under;
- the same commands on a named earlier revision (``--baseline-rev``, default ``HEAD~1``),
  exported with ``git archive`` and put first on ``PYTHONPATH``.

It also prints the imports ``forms-service --help`` pulls in (``python -X importtime``), the
largest first, for this tree.

Run: .venv/bin/python benchmarks/bench_cli.py [--baseline-rev REV] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELP = "import sys; from forms_service.cli import main; sys.argv = ['forms-service', *sys.argv[1:]]; main()"
COMMANDS = {
    "--help": ["--help"],
    "documents --help": ["documents", "--help"],
    "answers migrate --help": ["answers", "migrate", "--help"],
    "completeness --help": ["completeness", "--help"],
    "definitions list --help": ["definitions", "list", "--help"],
    "editor impact --help": ["editor", "impact", "--help"],
    "pension-age 1960-01-01": ["pension-age", "1960-01-01"],
}


def _run(code: list[str], pythonpath: str | None, cwd: Path) -> float:
    # run outside the tree: 'python -c' puts the working directory first on sys.path
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    start = time.perf_counter()
    subprocess.run([sys.executable, *code], env=env, check=True, stdout=subprocess.DEVNULL, cwd=cwd)
    return time.perf_counter() - start


def _export(rev: str, into: Path) -> Path:
    into.mkdir()
    archive = into / "baseline.tar"
    with archive.open("wb") as handle:
        subprocess.run(
            ["git", "archive", rev, "forms_service", "form_definitions", "templates_docx"],
            cwd=ROOT,
            check=True,
            stdout=handle,
        )
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into


def _imports(top: int = 12) -> list[tuple[int, str]]:
    """The modules imported directly by ``forms-service --help``'s code, by cumulative time."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", HELP, "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or "cumulative" in line:
            continue
        name = parts[2][1:]  # two more spaces per level of nesting
        if len(name) - len(name.lstrip()) <= 2:
            rows.append((int(parts[1]), name))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline-rev", default="HEAD~1")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        baseline = _export(args.baseline_rev, Path(tmp) / "baseline")
        elsewhere = Path(tmp) / "cwd"
        elsewhere.mkdir()
        check = subprocess.run(
            [sys.executable, "-c", "import forms_service; print(forms_service.__file__)"],
            env={**os.environ, "PYTHONPATH": str(baseline)},
            capture_output=True,
            text=True,
            check=True,
            cwd=elsewhere,
        )
        assert check.stdout.startswith(str(baseline)), check.stdout  # the baseline is imported

        variants: dict[str, tuple[list[str], str | None]] = {
            "python -c pass": (["-c", "pass"], None)
        }
        for label, argv in COMMANDS.items():
            variants[f"{label} (this tree)"] = (["-c", HELP, *argv], None)
            variants[f"{label} ({args.baseline_rev})"] = (["-c", HELP, *argv], str(baseline))
        times: dict[str, list[float]] = {label: [] for label in variants}
        for _ in range(args.runs):
            for label, (code, path) in variants.items():
                times[label].append(_run(code, path, elsewhere))

    print(
        f"forms-service start-up, median of {args.runs} runs (wall time, s); load {os.getloadavg()[0]:.1f}"
    )
    floor = statistics.median(times["python -c pass"])
    print(f"  {'python -c pass':40s} {floor:6.3f}")
    for label in COMMANDS:
        ours = statistics.median(times[f"{label} (this tree)"])
        theirs = statistics.median(times[f"{label} ({args.baseline_rev})"])
        print(
            f"  {label:24s} this tree {ours:6.3f}   {args.baseline_rev} {theirs:6.3f}   "
            f"ratio {ours / theirs:4.2f}x   above the interpreter {ours - floor:6.3f}"
        )
    print("largest imports of 'forms-service --help' (cumulative, ms):")
    for cumulative, name in _imports():
        print(f"  {cumulative / 1000:8.1f}  {name}")


if __name__ == "__main__":
    main()
