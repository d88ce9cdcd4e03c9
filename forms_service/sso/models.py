"""Tables of single sign-on (Alembic 0010), on the case store's metadata."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forms_service.cases.models import Base, User, UtcDateTime, utcnow


class ExternalIdentity(Base):
    """A provider's subject linked to the local account it signs in as."""

    __tablename__ = "external_identities"
    __table_args__ = (UniqueConstraint("provider", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class SamlRequest(Base):
    """An AuthnRequest sent and not yet answered.

    Kept in the database, not the session cookie: the IdP posts its answer cross-site, and a
    SameSite=Lax cookie does not travel with that POST. The browser that started the request
    holds its id in a cookie only the ACS sees (see ``web.sso.views``).
    """

    __tablename__ = "saml_requests"

    request_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    provider: Mapped[str] = mapped_column(String(40))
    next_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)


class SamlAssertionSeen(Base):
    """An assertion id already used, kept until the assertion expires: a replay is refused."""

    __tablename__ = "saml_assertions_seen"

    provider: Mapped[str] = mapped_column(String(40), primary_key=True)
    assertion_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
