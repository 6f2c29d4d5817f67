"""Settings from TOML and the environment: defaults, precedence, and errors a person can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "studybot.toml"
    path.write_text(text)
    return path


def test_example_config_loads_and_platform_follows_the_tokens():
    example = ROOT / "config" / "studybot.example.toml"
    assert load_settings(example, env={}).platform == "console"
    assert load_settings(example, env={"SLACK_BOT_TOKEN": "xoxb-1"}).platform == "slack"
    both = load_settings(example, env={"SLACK_BOT_TOKEN": "xoxb-1", "DISCORD_TOKEN": "d"})
    assert both.platform == "discord"
    assert load_settings(example, env={"DISCORD_TOKEN": "d", "STUDYBOT_PLATFORM": "console"}).platform == "console"


def test_environment_wins_over_the_file(tmp_path):
    path = write(tmp_path, 'database = "from-file.db"\n[slack]\nhttp_port = 4000\n')
    settings = load_settings(path, env={"STUDYBOT_DATABASE": "env.db", "STUDYBOT_HTTP_PORT": "5000"})
    assert settings.database == Path("env.db") and settings.slack.http_port == 5000


def test_tokens_never_show_in_a_repr():
    settings = load_settings(None, env={"DISCORD_TOKEN": "MTIz.super-secret"})
    assert "super-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[schedule]\ntimezone = "Europe/Berln"\n', "Did you mean Europe/Berlin?"),
        ('[schedule]\ntime = "25:00"\n', "out of range"),
        ('[schedule]\ndays = "funday"\n', "not a weekday"),
        ("[schedule]\ndays = []\n", "never be posted"),
        ('platform = "irc"\n', "not one of console, discord, slack"),
        ('colour = "blue"\n', "unknown setting 'colour'"),
        ('[scoring]\nanswer_points = "lots"\n', "scoring.answer_points must be a whole number"),
        ('banks = ["no-such-folder"]\n', "does not exist"),
        ("this is = not toml = at all\n", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_setting_and_the_fix(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), env={})


def test_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})


def test_unknown_topic_in_the_default_schedule_stops_start_up(tmp_path):
    from bot.app import load_checked_bank

    settings = load_settings(write(tmp_path, '[schedule]\ntopics = ["astrology"]\n'), env={})
    with pytest.raises(ConfigError, match="unknown topic astrology; choose from"):
        load_checked_bank(settings)


def test_run_refuses_an_invalid_group_bank_with_its_report(tmp_path, monkeypatch, capsys):
    from bot.cli import main

    bank = tmp_path / "group-bank"
    bank.mkdir()
    (bank / "statistics.yaml").write_text("topic: statistics\nquestions:\n  - id: no-fields-here\n")
    config = write(tmp_path, f'banks = ["{bank}"]\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STUDYBOT_DATABASE", str(tmp_path / "x.db"))
    assert main(["--config", str(config), "run", "--platform", "console"]) == 2
    err = capsys.readouterr().err
    assert "studybot will not start" in err and "statistics.yaml:3" in err and "no-fields-here" in err
    assert not (tmp_path / "x.db").exists()


def test_bank_commands_include_the_group_banks_named_in_the_settings(tmp_path, monkeypatch, capsys):
    from bot.cli import main

    bank = tmp_path / "ours"
    bank.mkdir()
    (bank / "statistics.yaml").write_text(
        "topic: statistics\nquestions:\n  - id: our-own-question\n    title: Our own\n    difficulty: easy\n"
        "    prompt: Why do we run a study group?\n    sources: [{document: ours}]\n"
    )
    config = write(tmp_path, f'banks = ["{bank}"]\n')
    monkeypatch.chdir(tmp_path)
    assert main(["--config", str(config), "bank", "validate"]) == 0
    from bot.banks.loading import load_bank

    assert f"ok: {len(load_bank()) + 1} questions" in capsys.readouterr().out
