"""The one error of a provider's answer that cannot be trusted."""

from __future__ import annotations


class UntrustedAnswer(Exception):
    """``reason`` is a short code for the audit log; the detail goes to the application log."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
