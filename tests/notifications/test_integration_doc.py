"""docs/integration.md: its signature examples are what forms-service signs and verifies."""

from __future__ import annotations

import json
import re
from pathlib import Path

from forms_service.notifications import webhooks
from forms_service.notifications.kinds import EventType

DOC = (Path(__file__).parents[2] / "docs" / "integration.md").read_text("utf-8")
TEST_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_the_standard_webhooks_test_vector() -> None:
    assert "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" in DOC
    signature = webhooks.sign(
        TEST_SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}'
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_example_request_verifies_and_carries_no_cpr() -> None:
    block = re.search(r"```http\nPOST /hooks/seniorpension.*?```", DOC, re.S).group(0)  # type: ignore[union-attr]
    head, _, body = block.removesuffix("```").strip().partition("\n\n")
    headers = dict(line.split(": ", 1) for line in head.splitlines()[2:])
    stamp = int(headers["webhook-timestamp"])
    webhooks.verify(TEST_SECRET, headers, body.strip().encode(), now=stamp)
    document = json.loads(body)
    assert set(document["data"]) - {"links"} <= webhooks.PUBLIC_DATA | {
        "case_id",
        "case_number",
        "municipality_code",
    }


def test_every_event_type_is_documented() -> None:
    for kind in EventType:
        assert f"| `{kind.value}` |" in DOC
