"""What an operator meets: clear errors for missing credentials, the app manifest, and mrkdwn that
never turns text into pings."""

from __future__ import annotations

import dataclasses
import json

import pytest
import yaml

from bot.adapters.slack.style import SlackStyle, safe_mrkdwn
from bot.app import App
from bot.cli import main
from bot.config import ConfigError, load_settings
from bot.core.refs import MemberRef
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import command, running, slack_app, slack_settings

SCOPES = [
    "chat:write",
    "commands",
    "channels:history",
    "groups:history",
    "reactions:read",
    "users:read",
    "channels:read",
    "groups:read",
    "files:write",
    "im:write",
]


def test_manifest_socket_mode(capsys) -> None:
    assert main(["slack", "manifest"]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert data["oauth_config"]["scopes"]["bot"] == SCOPES
    settings = data["settings"]
    assert settings["event_subscriptions"] == {
        "bot_events": ["message.channels", "message.groups", "reaction_added", "reaction_removed"]
    }
    assert settings["socket_mode_enabled"] is True and settings["interactivity"] == {"is_enabled": True}
    commands = {c["command"]: c for c in data["features"]["slash_commands"]}
    assert list(commands) == ["/qotd", "/quiz", "/leaderboard", "/review", "/goal", "/stats", "/resources", "/bank"]
    assert all(c["should_escape"] and "url" not in c for c in commands.values())


def test_manifest_http_mode(capsys) -> None:
    url = "https://bot.example.org/slack/events"
    assert main(["slack", "manifest", "--http-url", url, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["settings"]["socket_mode_enabled"] is False
    assert data["settings"]["event_subscriptions"]["request_url"] == url
    assert data["settings"]["interactivity"] == {"is_enabled": True, "request_url": url}
    assert {c["url"] for c in data["features"]["slash_commands"]} == {url}
    assert main(["slack", "manifest", "--http-url", "bot.example.org"]) == 2


def test_manifest_for_many_workspaces_adds_the_redirect_url_and_the_uninstall_events(capsys) -> None:
    url = "https://bot.example.org/slack/events"
    assert main(["slack", "manifest", "--http-url", url, "--many-workspaces", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["oauth_config"]["redirect_urls"] == ["https://bot.example.org/slack/oauth_redirect"]
    assert data["oauth_config"]["scopes"]["bot"] == SCOPES
    events = data["settings"]["event_subscriptions"]["bot_events"]
    assert events[-2:] == ["app_uninstalled", "tokens_revoked"]
    assert main(["slack", "manifest", "--http-url", url, "--format", "json"]) == 0
    assert "redirect_urls" not in json.loads(capsys.readouterr().out)["oauth_config"]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN must be the Bot User OAuth Token"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN must be an app-level token"),
    ],
)
async def test_missing_credentials_are_named(tmp_path, env: dict[str, str], named: str) -> None:
    settings = load_settings(None, {"STUDYBOT_PLATFORM": "slack", "STUDYBOT_DATABASE": str(tmp_path / "x.db"), **env})
    with pytest.raises(ConfigError, match=named):
        async with App(settings):
            pass
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("mode", ["socket"])
async def test_refused_tokens_are_named(fake: FakeSlack, tmp_path, clock, bank) -> None:
    settings = slack_settings(fake, tmp_path / "slack.db")
    wrong_bot = dataclasses.replace(settings.slack, bot_token=type(settings.slack.bot_token)("xoxb-wrong"))
    with pytest.raises(ConfigError, match=r"SLACK_BOT_TOKEN was refused by Slack \(invalid_auth\)"):
        async with slack_app(dataclasses.replace(settings, slack=wrong_bot), clock, bank):
            pass
    wrong_app = dataclasses.replace(settings.slack, app_token=type(settings.slack.app_token)("xapp-wrong"))
    with pytest.raises(ConfigError, match=r"SLACK_APP_TOKEN was refused by Slack \(invalid_auth\)"):
        async with slack_app(dataclasses.replace(settings, slack=wrong_app), clock, bank):
            pass


@pytest.mark.parametrize("mode", ["socket"])
async def test_configured_moderators(fake: FakeSlack, tmp_path, clock, bank) -> None:
    settings = slack_settings(fake, tmp_path / "slack.db", moderators=(fake.bob.id,))
    async with running(fake, settings, clock, bank):
        setup = await command(fake, fake.bob, fake.general, "/qotd setup time:08:00")
        assert setup.body["text"].startswith("Daily question set")
        refused = await command(fake, fake.alice, fake.general, "/qotd pause")
        assert refused.body["text"] == "Only moderators can run /qotd pause."


def test_mrkdwn_escapes_what_members_wrote() -> None:
    style = SlackStyle()
    pings = "<!everyone> <!channel> <!here> <!subteam^S012AB|@team> & <@U0ALICE001>"
    assert style.user_text(pings) == (
        "&lt;!everyone&gt; &lt;!channel&gt; &lt;!here&gt; &lt;!subteam^S012AB|@team&gt; &amp; &lt;@U0ALICE001&gt;"
    )
    assert style.mention(MemberRef("slack", "U0ALICE001"), "<!here>") == "<@U0ALICE001>"
    assert SlackStyle(quiet=True).mention(MemberRef("slack", "U0ALICE001"), "<!here>") == "&lt;!here&gt;"
    assert style.bold("Top") == "*Top*" and style.link("https://x.org/a", "A & B") == "<https://x.org/a|A &amp; B>"
    # the last pass keeps the bot's own mentions and links and escapes everything else
    text = "<@U0ALICE001> see <https://x.org|docs> if p < 0.05 > q & <!channel> &amp; <#C0GENERAL1|general>"
    assert safe_mrkdwn(text) == (
        "<@U0ALICE001> see <https://x.org|docs> if p &lt; 0.05 &gt; q &amp; "
        "&lt;!channel&gt; &amp; <#C0GENERAL1|general>"
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--http-url", "http://bot.example.org/slack/events"], "--http-url must start with https://"),
        (["--http-url", "bot.example.org"], "--http-url must be a full URL"),
        (["--name", "x" * 36], "--name is 36 characters long: Slack allows at most 35"),
        (["--name", "  "], "--name must not be empty"),
        (["--many-workspaces"], "--many-workspaces needs --http-url"),
    ],
)
def test_manifest_refuses_what_slack_would(capsys, args: list[str], said: str) -> None:
    assert main(["slack", "manifest", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and said in err


def test_manifest_takes_a_name_of_35_characters(capsys) -> None:
    assert main(["slack", "manifest", "--name", "n" * 35, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["display_information"]["name"] == "n" * 35


@pytest.mark.parametrize("mode", ["http"])
async def test_the_request_url_verifies_once_the_bot_runs_with_the_signing_secret(
    fake: FakeSlack, tmp_path, clock, bank
) -> None:
    settings = slack_settings(fake, tmp_path / "slack.db")
    wrong = dataclasses.replace(settings.slack, signing_secret=type(settings.slack.signing_secret)("not-the-secret"))
    async with running(fake, dataclasses.replace(settings, slack=wrong), clock, bank):
        assert await fake.verify_request_url() == (
            "Your URL didn't respond with the value of the challenge parameter (HTTP 401)"
        )
    async with running(fake, settings, clock, bank):
        assert await fake.verify_request_url() == "verified"
