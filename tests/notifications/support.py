"""Helpers of the notification tests: acting on cases as the test users, and delivering."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from forms_service.cases.models import User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.notifications.delivery import SendReport, send_pending
from forms_service.notifications.settings import DeliverySettings
from forms_service.notifications.smtp import parse_smtp_url

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"
CPR = "010160-1234"  # the CPR number case_factory gives every case
BASE_URL = "https://sagsoplysning.example"


def answers(name: str = "v1_complete.json") -> dict[str, Any]:
    return json.loads((ANSWERS / name).read_text("utf-8"))


def session_of(app: Flask) -> Session:
    return app.extensions["forms_service.sessions"]()  # type: ignore[no-any-return]


def service(app: Flask, session: Session, user: User) -> CaseService:
    return CaseService(
        session,
        actor_of(session.get(User, user.id)),
        registry=app.extensions["forms_service.registry"],
    )


def submit(app: Flask, users: dict[str, User], case_id: int, username: str = "kbh") -> None:
    with session_of(app) as session:
        municipal = service(app, session, users[username])
        case = municipal.get_case(case_id)
        municipal.submit(case_id, answers(), base_revision=case.revision)


def transition(app: Flask, users: dict[str, User], case_id: int, to: str, **kwargs: Any) -> None:
    with session_of(app) as session:
        service(app, session, users["sp"]).transition(case_id, to, **kwargs)


def settings(
    smtp_url: str | None = None, *, retry_delays: tuple[int, ...] = (60, 300), **kwargs: Any
) -> DeliverySettings:
    return DeliverySettings(
        base_url=BASE_URL,
        sender="Seniorpension <noreply@seniorpension.example>",
        smtp=parse_smtp_url(smtp_url) if smtp_url else None,
        retry_delays=retry_delays,
        **kwargs,
    )


class Clock:
    """A settable clock for retries: ``clock.advance(seconds)``."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def deliver(
    app: Flask, delivery_settings: DeliverySettings, now: Callable[[], dt.datetime] | None = None
) -> SendReport:
    sessions = app.extensions["forms_service.sessions"]
    if now is None:
        return send_pending(sessions, delivery_settings)
    return send_pending(sessions, delivery_settings, now=now)
