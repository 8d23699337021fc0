"""Accounts: creation rules, argon2id hashes, scope links."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.errors import Invalid
from congvu.inspect.organisation.services import accounts, pauses
from congvu.inspect.organisation.tables import SignInPause, User
from congvu.inspect.settings import get_settings

from tests.conftest import Clock
from tests.worlds import World

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": "người dùng"}, "username"),
        ({"username": ""}, "username"),
        ({"role": "superuser"}, "role"),
        ({"password": "ngắn"}, "password"),
        ({"unit_code": "KHONG-CO"}, "unit"),
        ({"unit_code": None}, "unit"),
        ({"official_code": "X999"}, "official"),
        ({"username": "head_a"}, "username"),
    ],
)
async def test_invalid_accounts_are_refused_with_the_field_named(world: World, changes, field):
    values = {
        "username": "moi",
        "password": "mat-khau-du-dai",
        "role": "inspector",
        "unit_code": "P",
        "display_name": "Mới",
    } | changes
    with pytest.raises(Invalid) as error:
        await accounts.create_user(**values)
    assert error.value.field == field
    assert await User.count().where(User.username == "moi") == 0


async def test_password_is_stored_as_an_argon2id_hash_and_creation_is_audited(world) -> None:
    user = await accounts.create_user(
        username="moi", password="mat-khau-du-dai", role="admin", unit_code=None, display_name="Mới"
    )
    assert user.password_hash.startswith("$argon2id$")
    assert "mat-khau-du-dai" not in user.password_hash
    event = (
        await AuditEvent.select()
        .where(AuditEvent.action == "account_created", AuditEvent.object_id == str(user.id))
        .output(load_json=True)
        .first()
    )
    assert event is not None and event["after"]["username"] == "moi"


async def test_actor_carries_the_scope_path_of_the_account(world: World) -> None:
    actor = await accounts.actor_for(world.users["head_a"].id)
    assert actor is not None
    assert actor.scope_path == "/P/P-A/"
    assert actor.can_see_unit_path("/P/P-A/P-A-PVHCC/")
    assert not actor.can_see_unit_path("/P/P-B/")


async def test_a_disabled_account_has_no_actor(world: World) -> None:
    await User.update({User.active: False}).where(User.username == "head_a")
    assert await accounts.actor_for(world.users["head_a"].id) is None


async def test_a_session_sees_a_disabled_account_within_the_actor_ttl(world: World) -> None:
    """The bound a page waits for an account change: one ``SESSION_ACTOR_TTL``."""
    clock = Clock()
    actors = accounts.SessionActors(ttl=accounts.SESSION_ACTOR_TTL, clock=clock)
    head = world.users["head_a"]
    assert await actors.actor("session-1", head.id) is not None
    await User.update({User.active: False, User.role: "official"}).where(User.id == head.id)
    # Within the bound the session's actor is the one read before the change ...
    cached = await actors.actor("session-1", head.id)
    assert cached is not None and cached.role == "unit_head"
    # ... a new sign-in reads the account afresh, and so does the session after it.
    assert await actors.actor("session-2", head.id) is None
    clock.now += accounts.SESSION_ACTOR_TTL
    assert await actors.actor("session-1", head.id) is None


async def test_a_changed_scope_shows_after_the_ttl_and_a_locale_at_once(
    world: World, monkeypatch
) -> None:
    clock = Clock()
    actors = accounts.SessionActors(clock=clock)
    monkeypatch.setattr(accounts, "session_actors", actors)
    head = world.users["head_a"]
    await actors.actor("s", head.id)
    await User.update({User.scope_unit: world.commune_b.id}).where(User.id == head.id)
    clock.now += actors.ttl
    moved = await actors.actor("s", head.id)
    assert moved is not None and moved.scope_path == "/P/P-B/"
    await accounts.set_locale(head.id, "en")
    switched = await actors.actor("s", head.id)
    assert switched is not None and switched.locale == "en"


async def test_first_failures_under_one_name_at_once_do_not_collide(world: World) -> None:
    """Two sign-ins failing together under a new name: one row, no unique violation."""
    now = datetime.now(UTC)
    await asyncio.gather(
        *(pauses.count_failure("dong-thoi", get_settings(), now) for _ in range(3))
    )
    rows = await SignInPause.select().where(SignInPause.username == "dong-thoi")
    assert len(rows) == 1 and 1 <= rows[0]["failures"] <= 3
