"""Completeness tests start from cold caches.

The engine keeps each version's plan (criteria, conditions, owned fields) and field catalog by
content hash. Cleared before every test, each test exercises the code that builds them, so a
mutation-testing run (which forks from a warm process) cannot pass on a cached result.
"""

from __future__ import annotations

import pytest

from forms_service.completeness import engine, fields


@pytest.fixture(autouse=True)
def _cold_completeness_caches() -> None:
    engine._PLANS.clear()
    engine._FAST.clear()
    fields._CATALOGS.clear()
