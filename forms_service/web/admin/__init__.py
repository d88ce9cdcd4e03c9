"""The administrator's pages (users and roles)."""
