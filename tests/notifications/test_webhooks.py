"""Webhooks to a real local HTTP receiver (a thread server on a free port)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from forms_service.cli import main
from forms_service.notifications import manage, webhooks
from forms_service.notifications.delivery import DeliveryError, redeliver
from forms_service.notifications.models import NotificationDelivery, WebhookSubscription
from tests.notifications.support import (
    CPR,
    Clock,
    deliver,
    session_of,
    settings,
    submit,
    transition,
)

ALL_CASE_EVENTS = ["case.sent_to_municipality", "case.submitted", "case.returned"]


def _subscribe(app, url: str, events=ALL_CASE_EVENTS, municipality=None) -> manage.NewSubscription:  # type: ignore[no-untyped-def]
    with session_of(app) as session:
        return manage.add_subscription(
            session, url, events, municipality_code=municipality, by="test"
        )


def test_the_signature_verifies_with_the_secret(app, case_factory, webhook_receiver) -> None:  # type: ignore[no-untyped-def]
    created = _subscribe(app, webhook_receiver.url, municipality=101)
    assert created.secret.startswith("whsec_")
    case_id = case_factory(municipality_code=101)
    assert deliver(app, settings()).sent == 1

    [request] = webhook_receiver.requests
    webhooks.verify(created.secret, request.headers, request.body)  # raises if it does not hold
    assert request.headers["webhook-signature"].startswith("v1,")
    assert request.headers["webhook-id"].startswith("msg_")
    # Another secret, a changed body or an old timestamp do not verify.
    with pytest.raises(webhooks.SignatureError):
        webhooks.verify(webhooks.new_secret(), request.headers, request.body)
    with pytest.raises(webhooks.SignatureError):
        webhooks.verify(created.secret, request.headers, request.body + b" ")
    stamp = int(request.headers["webhook-timestamp"])
    with pytest.raises(webhooks.SignatureError):
        webhooks.verify(created.secret, request.headers, request.body, now=stamp + 3600)

    body = json.loads(request.body)
    assert body["type"] == "case.sent_to_municipality"
    assert body["data"]["case_id"] == case_id
    assert body["data"]["case_number"] == "SP-TEST-00001"
    assert body["data"]["links"]["case"].endswith(f"/api/v1/cases/{case_id}")


def test_the_payload_carries_no_cpr_no_answers_and_no_reason(
    app, users, case_factory, webhook_receiver
) -> None:  # type: ignore[no-untyped-def]
    _subscribe(app, webhook_receiver.url, municipality=101)
    case_id = case_factory(municipality_code=101)
    submit(app, users, case_id)
    transition(app, users, case_id, "returned", reason="Mangler helbredsoplysninger.")
    deliver(app, settings())
    # Several deliveries are in flight at once, so the order of arrival is not the order of
    # the events (docs/integration.md says so to receivers).
    received = sorted(json.loads(r.body)["type"] for r in webhook_receiver.requests)
    assert received == sorted(ALL_CASE_EVENTS)
    for request in webhook_receiver.requests:
        raw = request.body.decode()
        assert CPR not in raw and CPR.replace("-", "") not in raw
        assert "helbred" not in raw.lower()
        assert 'answers":{' not in raw and "Karen" not in raw


def test_a_500_from_the_receiver_is_retried_with_the_same_webhook_id(
    app, case_factory, webhook_receiver
) -> None:  # type: ignore[no-untyped-def]
    created = _subscribe(app, webhook_receiver.url, municipality=101)
    case_factory(municipality_code=101)
    webhook_receiver.statuses = [500]
    clock = Clock()
    delivery_settings = settings(retry_delays=(60, 300))

    assert deliver(app, delivery_settings, clock).retrying == 1
    clock.advance(61)
    assert deliver(app, delivery_settings, clock).sent == 1
    first, second = webhook_receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    webhooks.verify(created.secret, second.headers, second.body)
    with session_of(app) as session:
        [row] = session.scalars(select(NotificationDelivery)).all()
        assert (row.status, row.attempts) == ("sent", 2)


def test_a_subscriber_for_101_never_receives_an_event_of_329(
    app, users, case_factory, webhook_receiver
) -> None:  # type: ignore[no-untyped-def]
    every = [
        "case.created",
        *ALL_CASE_EVENTS,
        "case.sufficiently_informed",
        "deadline.approaching",
    ]
    _subscribe(app, webhook_receiver.url, events=every, municipality=101)
    kbh_case = case_factory(municipality_code=101)
    ringsted_case = case_factory(municipality_code=329)
    case_factory(municipality_code=101, send=False)  # not yet the municipality's to see
    submit(app, users, ringsted_case, username="ringsted")
    transition(app, users, ringsted_case, "returned", reason="Mangler timetal.")
    deliver(app, settings())

    received = [json.loads(r.body)["data"] for r in webhook_receiver.requests]
    assert {d["municipality_code"] for d in received} == {101}
    assert {d["case_id"] for d in received} == {kbh_case}


def test_repeated_failure_disables_the_subscription_and_a_redelivery_works(
    app, case_factory, webhook_receiver
) -> None:  # type: ignore[no-untyped-def]
    created = _subscribe(app, webhook_receiver.url, municipality=101)
    for _ in range(2):
        case_factory(municipality_code=101)
    webhook_receiver.statuses = [500] * 4
    clock = Clock()
    delivery_settings = settings(retry_delays=(10,), disable_after=2)
    deliver(app, delivery_settings, clock)
    clock.advance(11)
    assert deliver(app, delivery_settings, clock).failed == 2
    with session_of(app) as session:
        subscription = session.get(WebhookSubscription, created.subscription.id)
        assert subscription.active is False
        assert "2 leveringer i træk" in (subscription.disabled_reason or "")
        failed = manage.delivery_log(session, status="failed")
        with pytest.raises(DeliveryError):
            redeliver(session, failed[0].id)  # not while the subscription is disabled
        manage.set_subscription_active(session, created.subscription.id, True)
        redeliver(session, failed[0].id, now=clock())
    assert deliver(app, delivery_settings, clock).sent == 1
    assert len(webhook_receiver.requests) == 5


def test_webhooks_cli_shows_the_secret_once_and_lists_without_it(
    app, db_url, webhook_receiver
) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    added = runner.invoke(
        main,
        [
            "webhooks", "add", webhook_receiver.url,
            "--event", "case.submitted", "--event", "case.returned",
            "--municipality", "101", "--database-url", db_url,
        ],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    secret = added.output.split("Hemmelighed (vises kun nu): ")[1].strip()
    assert secret.startswith("whsec_")
    listed = runner.invoke(main, ["webhooks", "list", "--database-url", db_url])
    assert webhook_receiver.url in listed.output and secret not in listed.output
    assert "case.returned,case.submitted\t101\taktiv" in listed.output
    disabled = runner.invoke(main, ["webhooks", "disable", "1", "--database-url", db_url])
    assert disabled.exit_code == 0
    bad = runner.invoke(
        main,
        ["webhooks", "add", "ftp://x", "--event", "case.submitted", "--database-url", db_url],
    )
    assert bad.exit_code != 0 and "http(s)-URL" in bad.output
