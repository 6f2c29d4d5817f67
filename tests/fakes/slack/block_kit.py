"""Slack's Block Kit limits, as the Web API and response_urls enforce them: a message has at most 50 blocks
(a modal 100), a section's text at most 3,000 characters, a header's 150, a button's 75, and so on.

``problems(blocks, surface)`` lists what Slack would refuse, in its own words (``[ERROR] ... [json-pointer:
...]``); empty means the blocks are accepted."""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = {"message": 50, "modal": 100}
TEXT_LIMITS = {"section": 3000, "header": 150, "context": 3000, "input": 2000}
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_SECTION_FIELDS = 10
FIELD_LIMIT = 2000
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
ID_LIMIT = 255


def _too_long(text: Any, limit: int, pointer: str) -> list[str]:
    if isinstance(text, dict) and len(str(text.get("text", ""))) > limit:
        return [f"[ERROR] must be less than {limit + 1} characters [json-pointer:{pointer}/text]"]
    return []


def _element(element: Any, pointer: str) -> list[str]:
    if not isinstance(element, dict):
        return [f"[ERROR] must be an object [json-pointer:{pointer}]"]
    out: list[str] = []
    if element.get("type") == "button":
        out += _too_long(element.get("text"), BUTTON_TEXT_LIMIT, f"{pointer}/text")
        if len(str(element.get("value", ""))) > BUTTON_VALUE_LIMIT:
            out.append(f"[ERROR] must be less than {BUTTON_VALUE_LIMIT + 1} characters [json-pointer:{pointer}/value]")
    if len(str(element.get("action_id", ""))) > ID_LIMIT:
        out.append(f"[ERROR] must be less than {ID_LIMIT + 1} characters [json-pointer:{pointer}/action_id]")
    return out


def _block(block: Any, pointer: str) -> list[str]:
    if not isinstance(block, dict) or "type" not in block:
        return [f"[ERROR] missing required field: type [json-pointer:{pointer}]"]
    kind = block["type"]
    out: list[str] = []
    if len(str(block.get("block_id", ""))) > ID_LIMIT:
        out.append(f"[ERROR] must be less than {ID_LIMIT + 1} characters [json-pointer:{pointer}/block_id]")
    if kind in ("section", "header"):
        text = block.get("text")
        if kind == "header" and not text:
            out.append(f"[ERROR] missing required field: text [json-pointer:{pointer}]")
        out += _too_long(text, TEXT_LIMITS[kind], f"{pointer}/text")
        fields = block.get("fields") or []
        if len(fields) > MAX_SECTION_FIELDS:
            out.append(f"[ERROR] must be less than {MAX_SECTION_FIELDS + 1} items [json-pointer:{pointer}/fields]")
        for index, field in enumerate(fields):
            out += _too_long(field, FIELD_LIMIT, f"{pointer}/fields/{index}")
        if not text and not fields:
            out.append(f"[ERROR] must provide either text or fields [json-pointer:{pointer}]")
    elif kind == "context":
        elements = block.get("elements") or []
        if not elements or len(elements) > MAX_CONTEXT_ELEMENTS:
            out.append(f"[ERROR] must have 1 to {MAX_CONTEXT_ELEMENTS} items [json-pointer:{pointer}/elements]")
        for index, element in enumerate(elements):
            out += _too_long(element, TEXT_LIMITS["context"], f"{pointer}/elements/{index}")
    elif kind == "actions":
        elements = block.get("elements") or []
        if not elements or len(elements) > MAX_ACTIONS_ELEMENTS:
            out.append(f"[ERROR] must have 1 to {MAX_ACTIONS_ELEMENTS} items [json-pointer:{pointer}/elements]")
        for index, element in enumerate(elements):
            out += _element(element, f"{pointer}/elements/{index}")
    elif kind == "input":
        out += _too_long(block.get("label"), TEXT_LIMITS["input"], f"{pointer}/label")
    return out


def problems(blocks: Any, surface: str = "message") -> list[str]:
    """What Slack would say is wrong with ``blocks`` on a ``message`` or a ``modal``; [] when they are fine."""
    if blocks is None:
        return []
    if not isinstance(blocks, list):
        return ["[ERROR] must be an array [json-pointer:/blocks]"]
    limit = MAX_BLOCKS[surface]
    out = [f"[ERROR] must be less than {limit + 1} items [json-pointer:/blocks]"] if len(blocks) > limit else []
    for index, block in enumerate(blocks):
        out += _block(block, f"/blocks/{index}")
    return out
