"""Colours and sizes shared by the cards.

A card carries its own dark, opaque background with a lighter border, so it reads the same in Discord's and
Slack's dark and light themes. Cards are 800 px wide and their smallest text is 24 px, so they stay readable
shown at 400 px on a phone.
"""

from __future__ import annotations

WIDTH = 800
PAD = 36
RADIUS = 24

BACKGROUND = (30, 34, 44)
BORDER = (70, 78, 96)
TEXT = (236, 239, 244)
MUTED = (160, 168, 184)
TRACK = (52, 58, 72)  # the empty part of a bar, an empty heatmap day
BAR = (94, 129, 244)
HIGHLIGHT = (64, 56, 24)  # the asker's row
HIGHLIGHT_EDGE = (235, 190, 60)
ANSWERED = (64, 196, 120)
WEAK = (232, 98, 98)  # a topic the member is likely to have forgotten
MEDALS = {1: (235, 190, 60), 2: (190, 198, 210), 3: (205, 127, 70)}

TITLE_SIZE = 36
TEXT_SIZE = 28
SMALL_SIZE = 24
