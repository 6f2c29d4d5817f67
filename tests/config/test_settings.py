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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[scoring]\nearly_bonuses = [5, "three", 1]\n', r"scoring.early_bonuses must be a list of whole numbers"),
        ("[scoring]\nupvote_emoji = [5]\n", r"scoring.upvote_emoji must list emoji .*not a number 5"),
        ("[scoring]\nbest_answer_emoji = 7\n", r"scoring.best_answer_emoji must be a list of emoji"),
        ('[schedule]\ndifficulty = ["easy", "brutal"]\n', r"unknown difficulty brutal; choose from easy, medium, hard"),
        ('log_level = "LOUD"\n', r"log_level must be one of DEBUG, INFO, WARNING, ERROR, not 'LOUD'"),
        ('log_format = "xml"\n', r"log_format must be one of text, json, not 'xml'"),
        (
            f'[schedule]\ntimezone = "{"A" * 2000}"\n',
            r"schedule.timezone: timezone 'AAAA.*\(2000 characters\)' is not an IANA timezone",
        ),
        ("[scoring]\nopen_hours = 1.5\n", r"scoring.open_hours must be a whole number from 1 to 720, not a number 1.5"),
        ("[scoring]\nanswer_points = true\n", r"scoring.answer_points must be a whole number"),
        ("[scoring]\nreaction_cap = -1\n", r"scoring.reaction_cap must be from 0 to 10000, not -1"),
        ("[bot]\nleaderboard_size = 100000\n", r"bot.leaderboard_size must be from 1 to 100"),
        ("[schedule]\ntopics = [1, 2]\n", r"schedule.topics must list topics as text"),
        ("[schedule]\ntime = 9\n", r"schedule.time must be text in quotes"),
        ("database = 5\n", r"database must be text in quotes"),
        ("schedule = 3\n", r"\[schedule\] must be a table"),
        ("[slack]\nmoderators = [[1]]\n", r"slack.moderators must list names as text"),
        ("[slack]\nhttp_max_connections = 0\n", r"slack.http_max_connections must be from 1 to 10000, not 0"),
        ('[slack]\nhttp_header_timeout = "soon"\n', r"slack.http_header_timeout must be a whole number"),
    ],
)
def test_every_setting_has_a_type_and_a_range(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), env={})


def test_ids_may_be_written_as_numbers(tmp_path):
    settings = load_settings(write(tmp_path, "[discord]\nmoderator_roles = [123456789012345678]\n"), env={})
    assert settings.discord.moderator_roles == ("123456789012345678",)


def test_all_problems_are_listed_together(tmp_path):
    text = (
        'log_level = "LOUD"\ncolour = "blue"\n[schedule]\ntime = "25:00"\ndifficulty = ["brutal"]\n'
        '[scoring]\nearly_bonuses = ["x"]\nupvote_emoji = [5]\n'
    )
    with pytest.raises(ConfigError) as raised:
        load_settings(write(tmp_path, text), env={"STUDYBOT_HTTP_PORT": "http"})
    message = str(raised.value)
    assert "has 7 problems" in message
    for setting in ("colour", "log_level", "schedule.time", "brutal", "early_bonuses", "upvote_emoji", "HTTP_PORT"):
        assert setting in message, setting


def test_files_that_are_not_settings_get_a_clear_error(tmp_path, capsys):
    from bot.cli import main

    deep = write(tmp_path, "a = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ConfigError, match="nest too deeply"):
        load_settings(deep, env={})
    binary = tmp_path / "binary.toml"
    binary.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ConfigError, match="is not a text file"):
        load_settings(binary, env={})
    assert main(["--config", str(binary), "health"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("studybot: ") and "Traceback" not in err


def test_the_example_config_shows_the_defaults(tmp_path, monkeypatch):
    import dataclasses

    monkeypatch.chdir(tmp_path)  # no config/studybot.toml here: the built-in defaults
    example = load_settings(ROOT / "config" / "studybot.example.toml", env={})
    defaults = load_settings(None, env={})
    assert example.policy.default_schedule == defaults.policy.default_schedule
    assert dataclasses.replace(example, config_path=None) == defaults


def test_http_mode_defences_can_be_set(tmp_path):
    text = "[slack]\nhttp_max_connections = 50\nhttp_header_timeout = 5\nhttp_body_timeout = 7\nhttp_max_body = 65536\n"
    slack = load_settings(write(tmp_path, text), env={}).slack
    assert (slack.http_max_connections, slack.http_header_timeout, slack.http_body_timeout) == (50, 5, 7)
    assert slack.http_max_body == 65536


def test_the_message_content_intent_can_be_turned_off_for_private_answers(tmp_path):
    assert load_settings(None, env={}).discord.message_content is True
    off = load_settings(write(tmp_path, "[discord]\nmessage_content = false\n"), env={})
    assert off.discord.message_content is False
    with pytest.raises(ConfigError, match=r"discord.message_content must be true or false, not 'no'"):
        load_settings(write(tmp_path, '[discord]\nmessage_content = "no"\n'), env={})


def test_a_postgresql_url_selects_postgresql_and_its_password_never_shows(tmp_path):
    url = "postgresql://bot:hunter2@db.internal:5432/studybot"
    settings = load_settings(None, env={"STUDYBOT_DATABASE": url})
    assert settings.store_location == url
    assert "hunter2" not in repr(settings)
    from_file = load_settings(write(tmp_path, f'database = "{url}"\n'), env={})
    assert from_file.store_location == url
    assert load_settings(None, env={"STUDYBOT_DATABASE": "x.db"}).store_location == Path("x.db")


def test_a_postgresql_url_that_cannot_be_read_is_one_line_saying_how_to_write_it():
    with pytest.raises(ConfigError, match=r"^settings: database: the PostgreSQL URL cannot be read; write it as "):
        load_settings(None, env={"STUDYBOT_DATABASE": "postgresql://bot@host:5432/db?sslmode"})
