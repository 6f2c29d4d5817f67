"""The weekly recap card as a member sees it: the podium's names and points, a column per day, the question with
most answers and the best answers; a friendly card for a week nobody answered."""

from __future__ import annotations

from bot.core.pictures import BoardRow, RecapPicture, alt_text
from bot.pictures import recap_card, theme
from bot.pictures.renderer import MAX_BYTES, png
from tests.pictures.looking import decode, shows_text

TITLE = "Weekly recap · Mon 16 Nov – Sun 22 Nov"
PODIUM = (BoardRow(1, "Ada Lovelace", 42, 5), BoardRow(2, "Влад Петров", 30, 4), BoardRow(3, "Grace 🎉", 12, 2))
DAYS = (("Mon", 4), ("Tue", 0), ("Wed", 6), ("Thu", 2), ("Fri", 1), ("Sat", None), ("Sun", None))
BEST = (("Ada Lovelace", "Bayes' theorem in one line"), ("Grace 🎉", "Bias and variance"))


def week(**changes: object) -> RecapPicture:
    fields: dict[str, object] = {
        "title": TITLE,
        "podium": PODIUM,
        "days": DAYS,
        "most_answered": ("Two-sample t-test or Mann-Whitney U", 6),
        "best": BEST,
    }
    fields.update(changes)
    return RecapPicture(**fields)  # type: ignore[arg-type]


def test_the_podium_shows_each_places_name_and_points_on_its_medal():
    picture = week()
    card = decode(png(picture))
    assert card.size == (theme.WIDTH, recap_card.height(picture))
    assert shows_text(card, (theme.PAD, theme.PAD + 20), TITLE, size=theme.TITLE_SIZE, bold=True)
    for row in PODIUM:
        shown = row.name.replace(" 🎉", "")  # the font has no emoji: left out, never a box
        assert shows_text(card, recap_card.name_xy(row.rank), shown, bold=row.rank == 1, anchor="mm")
        medal = theme.MEDALS[row.rank]
        points = f"{row.points} pts"
        xy = recap_card.points_xy(row.rank)
        assert shows_text(card, xy, points, bold=True, anchor="mm", background=medal, colour=theme.BACKGROUND)
    assert not shows_text(card, recap_card.name_xy(2), "Ada Lovelace", anchor="mm")  # the check can fail


def test_each_day_is_a_column_with_its_count_and_a_day_without_a_question_a_dash():
    picture = week()
    card = decode(png(picture))
    bottom = recap_card.CHART_TOP + recap_card.CHART_HEIGHT
    for index, (weekday, count) in enumerate(DAYS):
        middle = recap_card.column_middle(index)
        assert shows_text(card, (middle, bottom + 28), weekday, size=theme.SMALL_SIZE, anchor="mm", colour=theme.MUTED)
        if count is None:
            assert shows_text(card, (middle, bottom - 20), "–", anchor="mm", colour=theme.MUTED)
            continue
        assert shows_text(card, (middle, recap_card.count_middle(count, 6)), str(count), bold=True, anchor="mm")
    wednesday, tuesday = recap_card.column_middle(2), recap_card.column_middle(1)
    assert card.getpixel((round(wednesday), recap_card.CHART_TOP + 10)) == theme.BAR  # the busiest day: full height
    assert card.getpixel((round(tuesday), bottom - 4)) == theme.TRACK  # nobody answered: a stub


def test_the_most_answered_question_and_the_best_answers_are_listed():
    picture = week()
    card = decode(png(picture))
    most = recap_card.most_top(picture) + recap_card.SECTION + recap_card.ROW / 2
    assert shows_text(card, (theme.PAD, most), "Two-sample t-test or Mann-Whitney U", size=theme.SMALL_SIZE)
    top = recap_card.best_top(picture) + recap_card.SECTION
    for index, (name, title) in enumerate(BEST):
        middle = top + index * recap_card.ROW + recap_card.ROW / 2
        assert shows_text(card, (recap_card.BEST_NAME_X, middle), name.replace(" 🎉", ""), bold=True)
        xy = (recap_card.BEST_TITLE_X, middle)
        assert shows_text(card, xy, title, size=theme.SMALL_SIZE, colour=theme.MUTED)
        assert card.getpixel((theme.PAD + 3, round(middle))) == theme.ANSWERED  # the hand-drawn mark


def test_a_week_nobody_answered_is_a_friendly_short_card():
    picture = week(podium=(), days=tuple((day, 0) for day, _ in DAYS), most_answered=None, best=())
    card = decode(png(picture))
    assert card.size == (theme.WIDTH, recap_card.DAYS_BOTTOM + theme.PAD)
    xy = (theme.WIDTH / 2, recap_card.PODIUM_TOP + 30)
    assert shows_text(card, xy, "Nobody answered last week", bold=True, anchor="mm")
    assert alt_text(picture) == f"{TITLE}: nobody answered."


def test_the_card_stays_well_under_a_megabyte_at_phone_width_and_says_itself_in_words():
    long = "W" * 200
    busy = week(podium=tuple(BoardRow(rank, long, 10**6, 99) for rank in (1, 2, 3)), best=((long, long),) * 20)
    data = png(busy)
    assert len(data) < MAX_BYTES / 5
    assert decode(data).width == 2 * 400
    assert (
        alt_text(week())
        == f"{TITLE}: 1. Ada Lovelace 42 pts, 2. Влад Петров 30 pts, 3. Grace 🎉 12 pts; 13 answers in all"
    )
