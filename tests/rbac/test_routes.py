"""The matrices together specify the whole app: the route list comes from the app, so
a new route without a specification in one of them fails here, and each entry says
what every role gets on every target."""

from __future__ import annotations

from tests.rbac import (
    test_accounts,
    test_calendar,
    test_council,
    test_discipline,
    test_dossiers,
    test_emulation,
    test_evidence,
    test_inspections,
    test_privacy,
    test_reports,
    test_review,
)
from tests.rbac.spec import ROLES, TARGETS, app_routes

MATRICES = [
    test_review.MATRIX,
    test_inspections.MATRIX,
    test_dossiers.MATRIX,
    test_discipline.MATRIX,
    test_emulation.MATRIX,
    test_council.MATRIX,
    test_reports.MATRIX,
    test_privacy.MATRIX,
    test_accounts.MATRIX,
    test_calendar.MATRIX,
    test_evidence.MATRIX,
]


def test_every_route_of_the_app_has_a_matrix_entry() -> None:
    specified = [key for matrix in MATRICES for key in matrix]
    routes = app_routes()
    missing = sorted(routes - set(specified))
    assert not missing, f"routes without an RBAC specification: {missing}"
    gone = sorted(set(specified) - routes)
    assert not gone, f"specified routes the app does not have: {gone}"
    assert len(specified) == len(set(specified)), "a route specified twice"


def test_every_matrix_entry_names_every_role_for_every_target() -> None:
    for matrix in MATRICES:
        for key, expect in matrix.items():
            assert set(expect) == set(TARGETS), key
            assert all(set(by_role) == set(ROLES) for by_role in expect.values()), key
