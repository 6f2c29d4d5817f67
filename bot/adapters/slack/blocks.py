"""Block Kit: the question card, a command's answer with its buttons, and the one-field modal."""

from __future__ import annotations

import json
from typing import Any

from bot.adapters.slack.style import escape, safe_mrkdwn
from bot.core.messages import Action, ActionStyle, Response
from bot.core.ports import QuestionCard

Block = dict[str, Any]

SECTION_LIMIT = 3000
MESSAGE_BLOCKS = 50  # Slack refuses a message with more blocks than this
CUT = "… (too long for one Slack message: the rest is left out)"
INPUT_CALLBACK = "studybot_input"  # the callback_id of the modal a `needs_input` button opens
INPUT_BLOCK = "studybot_input"
INPUT_ELEMENT = "value"
PARAGRAPH_CHARS = 1_800  # a private answer: what one revealed message shows of it
_BUTTON_STYLES = {ActionStyle.PRIMARY: "primary", ActionStyle.SUCCESS: "primary", ActionStyle.DANGER: "danger"}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_LIMIT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, limit) or " "}


def text_sections(text: str) -> list[Block]:
    """`text` as sections of at most 3,000 characters, split at line ends where possible."""
    sections: list[Block] = []
    chunk = ""
    for line in safe_mrkdwn(text).splitlines():
        if chunk and len(chunk) + 1 + len(line) > SECTION_LIMIT:
            sections.append({"type": "section", "text": mrkdwn(chunk)})
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk.strip():
        sections.append({"type": "section", "text": mrkdwn(chunk)})
    return sections


def card_blocks(card: QuestionCard) -> list[Block]:
    """Header, title and prompt, the numbered parts, topic · difficulty · companies, and the footer."""
    blocks: list[Block] = [
        {"type": "header", "text": plain(card.heading)},
        {"type": "section", "text": mrkdwn(f"*{escape(card.title)}*\n{escape(card.prompt)}")},
    ]
    if card.parts:
        parts = "\n".join(f"{number}. {escape(part)}" for number, part in enumerate(card.parts, start=1))
        blocks.append({"type": "section", "text": mrkdwn(parts)})
    meta = f"{card.topic} · {card.difficulty}"
    if card.companies:
        meta += " · asked at " + ", ".join(card.companies)
    blocks.append({"type": "context", "elements": [mrkdwn(escape(meta), 2000)]})
    if card.footer:
        blocks.append({"type": "context", "elements": [mrkdwn(escape(card.footer), 2000)]})
    buttons = []
    if card.answer_button:
        buttons.append(Action(card.answer_button, "Answer", ActionStyle.PRIMARY, needs_input=True))
    if card.check_button:
        buttons.append(Action(card.check_button, "Check my answer"))
    if buttons:
        blocks.append({"type": "actions", "block_id": "studybot_post", "elements": [button(b) for b in buttons]})
    return blocks


def button(action: Action) -> Block:
    element: Block = {
        "type": "button",
        "action_id": action.id,
        "text": plain(action.label, 75),
        # a button that needs a line of text first carries its input label; the click opens a modal
        "value": clip("input:" + (action.input_label or action.label), 2000) if action.needs_input else "press",
    }
    style = _BUTTON_STYLES.get(action.style)
    if style:
        element["style"] = style
    return element


def within_message_limit(blocks: list[Block], room: int) -> list[Block]:
    """At most `room` blocks: the last one kept ends with a note that the rest was left out."""
    if len(blocks) <= room:
        return blocks
    kept = blocks[:room]
    last = kept[-1]
    if last.get("type") == "section":
        text = last["text"]["text"]
        kept[-1] = {"type": "section", "text": mrkdwn(clip(text, SECTION_LIMIT - len(CUT) - 1) + "\n" + CUT)}
    else:
        kept[-1] = {"type": "section", "text": mrkdwn(CUT)}
    return kept


def response_blocks(response: Response) -> list[Block]:
    blocks = card_blocks(response.card) if response.card is not None else text_sections(response.text)
    blocks = within_message_limit(blocks, MESSAGE_BLOCKS - (1 if response.actions else 0))
    if response.actions:
        blocks.append(
            {"type": "actions", "block_id": "studybot_actions", "elements": [button(a) for a in response.actions]}
        )
    return blocks


def input_modal(
    action_id: str,
    label: str,
    *,
    channel_id: str,
    response_url: str | None,
    clicked_at: float,
    initial: str = "",
    paragraph: bool = False,
) -> Block:
    """The modal for a `needs_input` button; `private_metadata` carries the action id, where to answer, and
    when the button was clicked (epoch seconds: the click's `response_url` lasts 30 minutes from then)."""
    metadata = json.dumps(
        {"action": action_id, "channel": channel_id, "response_url": response_url or "", "clicked": clicked_at}
    )
    element: Block = {"type": "plain_text_input", "action_id": INPUT_ELEMENT, "max_length": 500}
    if paragraph:  # a private daily answer: room for a paragraph, and the member's own answer to change it
        element.update(multiline=True, max_length=PARAGRAPH_CHARS)
        if initial:
            element["initial_value"] = initial[:PARAGRAPH_CHARS]
    return {
        "type": "modal",
        "callback_id": INPUT_CALLBACK,
        "private_metadata": metadata,
        "title": plain(label or "Your answer", 24),
        "submit": plain("Send", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            {
                "type": "input",
                "block_id": INPUT_BLOCK,
                "label": plain(label or "Your answer", 2000),
                "element": element,
            }
        ],
    }
