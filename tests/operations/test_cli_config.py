"""`--config` works before and after the subcommand, and `run --help` shows it."""

from __future__ import annotations

import pytest

from bot.cli import build_parser, main


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--config", "x.toml"],
        ["--config", "x.toml", "run"],
        ["run", "--platform", "console", "--config", "x.toml"],
        ["--config", "other.toml", "run", "--config", "x.toml"],
        ["db", "migrate", "--config", "x.toml"],
        ["health", "--config", "x.toml"],
        ["bank", "validate", "--config", "x.toml"],
    ],
)
def test_config_is_accepted_before_and_after_the_subcommand(argv: list[str]) -> None:
    assert build_parser().parse_args(argv).config == "x.toml"


def test_without_config_it_is_unset() -> None:
    assert build_parser().parse_args(["run"]).config is None


def test_run_help_shows_config(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert "--config CONFIG" in capsys.readouterr().out


def test_run_reads_the_config_given_after_it(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "x.toml"
    config.write_text('log_level = "LOUD"\n')
    assert main(["run", "--config", str(config)]) == 2
    assert "log_level must be one of" in capsys.readouterr().err
