"""`InstallStore`: each workspace's installations of the app, and install-flow states used once."""

from __future__ import annotations

from datetime import timedelta

from bot.core.ports import AppInstall
from tests.contracts.conftest import NOW


def install(team: str, *, kind: str = "bot", user: str = "", at=NOW, data: str = "{}") -> AppInstall:
    return AppInstall("slack", kind, "", team, user, at, data)


async def test_the_latest_install_of_a_workspace_is_found_and_a_new_one_replaces_its_own(store):
    await store.save_install(install("T1", data='{"token": "old"}'))
    await store.save_install(install("T1", data='{"token": "new"}', at=NOW + timedelta(hours=1)))
    await store.save_install(install("T2", data='{"token": "theirs"}'))
    await store.save_install(install("T1", kind="installation", user="U1", at=NOW + timedelta(hours=2)))
    await store.save_install(install("T1", kind="installation", user="U2", at=NOW + timedelta(hours=3)))

    bot = await store.find_install(platform="slack", kind="bot", enterprise_id="", team_id="T1")
    assert bot is not None and bot.data == '{"token": "new"}' and bot.installed_at == NOW + timedelta(hours=1)
    theirs = await store.find_install(platform="slack", kind="bot", enterprise_id="", team_id="T2")
    assert theirs is not None and theirs.data == '{"token": "theirs"}'
    latest = await store.find_install(platform="slack", kind="installation", enterprise_id="", team_id="T1")
    assert latest is not None and latest.user_id == "U2"
    first = await store.find_install(
        platform="slack", kind="installation", enterprise_id="", team_id="T1", user_id="U1"
    )
    assert first is not None and first.user_id == "U1"
    assert await store.find_install(platform="slack", kind="bot", enterprise_id="", team_id="T3") is None
    assert await store.find_install(platform="discord", kind="bot", enterprise_id="", team_id="T1") is None


async def test_deleting_forgets_only_that_workspace_and_kind(store):
    await store.save_install(install("T1"))
    await store.save_install(install("T1", kind="installation", user="U1"))
    await store.save_install(install("T1", kind="installation", user="U2"))
    await store.save_install(install("T2"))

    assert await store.delete_installs(platform="slack", enterprise_id="", team_id="T1", user_id="U1") == 1
    assert await store.delete_installs(platform="slack", enterprise_id="", team_id="T1", kind="bot") == 1
    assert await store.find_install(platform="slack", kind="bot", enterprise_id="", team_id="T1") is None
    left = await store.find_install(platform="slack", kind="installation", enterprise_id="", team_id="T1")
    assert left is not None and left.user_id == "U2"
    assert await store.delete_installs(platform="slack", enterprise_id="", team_id="T1") == 1
    assert await store.find_install(platform="slack", kind="bot", enterprise_id="", team_id="T2") is not None


async def test_a_state_is_good_once_and_only_until_it_expires(store):
    await store.issue_install_state(platform="slack", state="s1", expires_at=NOW + timedelta(minutes=10))
    await store.issue_install_state(platform="slack", state="s2", expires_at=NOW + timedelta(minutes=10))
    assert await store.consume_install_state(platform="slack", state="s1", now=NOW) is True
    assert await store.consume_install_state(platform="slack", state="s1", now=NOW) is False
    assert await store.consume_install_state(platform="slack", state="never-issued", now=NOW) is False
    assert await store.consume_install_state(platform="slack", state="s2", now=NOW + timedelta(minutes=11)) is False
