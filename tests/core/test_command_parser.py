"""The text parser (console and Slack) refuses what it does not understand instead of ignoring it."""

from __future__ import annotations

import pytest

from bot.core.commands import parse_command
from bot.core.errors import InvalidInput


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "/qotd setup tme:10:00",
            r"/qotd setup has no option 'tme:'; its options are answers:, channel:, .* Did you mean time:\?",
        ),
        ("/qotd setup #other time:10:15", r"/qotd setup does not understand '#other'.* write channel:#other"),
        ("/qotd setup time:10:15 please", r"/qotd setup does not understand 'please'"),
        ("/qotd now right away", r"/qotd now does not understand 'right'"),
        ("/leaderboard week", r"/leaderboard does not understand 'week'; its options are period:, scope:"),
        ("/leaderboard perod:week", r"has no option 'perod:'.*Did you mean period:\?"),
        ("/resources everything", r"/resources does not understand 'everything'; it takes no options"),
        ("/quiz topic:probability hard", r"/quiz start does not understand 'hard'"),
    ],
)
def test_unknown_options_and_stray_words_are_errors_that_name_them(line: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_command(line)


def test_free_text_may_still_hold_colons_and_words() -> None:
    assert parse_command("/quiz answer p:0.5 roughly").text == "p:0.5 roughly"
    assert parse_command("/bank bayes theorem").text == "bayes theorem"
    assert parse_command("/bank search:bayes").options == {"query": "bayes"}
    assert parse_command("/qotd setup channel:#other time:10:15").options == {"channel": "#other", "time": "10:15"}
