"""Discord's limits on what a bot sends: application commands, message components, modals and threads.

Each check raises `Invalid` with the path of the offending field (``options.0.choices``), which the REST layer
answers as Discord does: 400, code 50035 "Invalid Form Body", the error nested under that path.
"""

from __future__ import annotations

import re
from typing import Any

COMPONENTS_V2 = 1 << 15  # message flag: the newer layout components, with their own (larger) limits
ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)  # minutes: the only values Discord takes
NAME = re.compile(r"[-_'\w]{1,32}")  # command and option names (Discord's also allows a few scripts' marks)
COMMAND_CHARACTERS = 4000  # names, descriptions and choice values of one command, all together

ACTION_ROW, BUTTON, TEXT_INPUT, LABEL = 1, 2, 4, 18
SELECTS = (3, 5, 6, 7, 8)
LINK, PREMIUM = 5, 6  # button styles without a custom id
SUB_COMMAND, SUB_COMMAND_GROUP, STRING = 1, 2, 3


class Invalid(Exception):
    def __init__(self, where: str, code: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where, self.code, self.message = where, code, message


def _length(where: str, value: Any, low: int, high: int, *, required: bool = True) -> None:
    if value is None:
        if required:
            raise Invalid(where, "BASE_TYPE_REQUIRED", "This field is required")
        return
    if not low <= len(str(value)) <= high:
        raise Invalid(where, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


def _count(where: str, items: list[Any], low: int, high: int) -> None:
    if not low <= len(items) <= high:
        raise Invalid(where, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


# ------------------------------------------------------------------------------------------- commands
def check_command(body: dict[str, Any], where: str = "") -> None:
    """A command as `PUT`/`POST .../commands` takes it (chat input commands: type 1)."""
    if body.get("type", 1) != 1:
        _length(f"{where}name", body.get("name"), 1, 32)
        return
    _name(f"{where}name", body.get("name"))
    _length(f"{where}description", body.get("description"), 1, 100)
    _options(f"{where}options", body.get("options") or [])
    if _characters(body) > COMMAND_CHARACTERS:
        raise Invalid(
            f"{where}options", "APPLICATION_COMMAND_TOO_LARGE", f"Command exceeds maximum size ({COMMAND_CHARACTERS})"
        )


def _name(where: str, name: Any) -> None:
    if not isinstance(name, str) or not NAME.fullmatch(name) or name != name.lower():
        raise Invalid(where, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def _options(where: str, options: list[dict[str, Any]]) -> None:
    _count(where, options, 0, 25)
    seen_optional = False
    for index, option in enumerate(options):
        at = f"{where}.{index}"
        _name(f"{at}.name", option.get("name"))
        _length(f"{at}.description", option.get("description"), 1, 100)
        kind = option.get("type")
        if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            _options(f"{at}.options", option.get("options") or [])
            continue
        if option.get("required"):
            if seen_optional:
                raise Invalid(
                    f"{at}.required",
                    "APPLICATION_COMMAND_OPTION_REQUIRED_ORDER",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = option.get("choices") or []
        _count(f"{at}.choices", choices, 0, 25)
        if choices and option.get("autocomplete"):
            raise Invalid(
                f"{at}.autocomplete", "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES", "Autocomplete and choices"
            )
        for number, choice in enumerate(choices):
            _length(f"{at}.choices.{number}.name", choice.get("name"), 1, 100)
            if kind == STRING:
                _length(f"{at}.choices.{number}.value", choice.get("value"), 1, 100)


def _characters(node: dict[str, Any]) -> int:
    total = len(str(node.get("name") or "")) + len(str(node.get("description") or ""))
    total += sum(
        len(str(choice.get("name") or "")) + len(str(choice.get("value") or "")) for choice in node.get("choices") or []
    )
    return total + sum(_characters(option) for option in node.get("options") or [])


def check_choices(choices: list[dict[str, Any]]) -> None:
    """An autocomplete answer: at most 25 choices, names and string values of 1-100 characters."""
    _count("data.choices", choices, 0, 25)
    for number, choice in enumerate(choices):
        _length(f"data.choices.{number}.name", choice.get("name"), 1, 100)
        if isinstance(choice.get("value"), str):
            _length(f"data.choices.{number}.value", choice.get("value"), 1, 100)


# ----------------------------------------------------------------------------------------- components
def check_components(components: list[dict[str, Any]], *, flags: int = 0, where: str = "components") -> None:
    """A message's components: up to 5 action rows of up to 5 buttons or one select (the classic layout)."""
    if flags & COMPONENTS_V2:
        _count(where, components, 0, 40)
        return
    _count(where, components, 0, 5)
    custom_ids: set[str] = set()
    for index, row in enumerate(components):
        at = f"{where}.{index}"
        if row.get("type") != ACTION_ROW:
            raise Invalid(f"{at}.type", "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).')
        children = row.get("components") or []
        _count(f"{at}.components", children, 1, 5)
        if any(child.get("type") in SELECTS for child in children) and len(children) > 1:
            raise Invalid(
                f"{at}.components",
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        for number, child in enumerate(children):
            _component(f"{at}.components.{number}", child, custom_ids)


def _component(where: str, item: dict[str, Any], custom_ids: set[str]) -> None:
    kind = item.get("type")
    if kind == BUTTON:
        _length(f"{where}.label", item.get("label"), 0, 80, required=False)
        if item.get("style") in (LINK, PREMIUM):
            return
    elif kind in SELECTS:
        _length(f"{where}.placeholder", item.get("placeholder"), 0, 150, required=False)
        options = item.get("options") or []
        if kind == 3:
            _count(f"{where}.options", options, 1, 25)
        for number, option in enumerate(options):
            for key in ("label", "value"):
                _length(f"{where}.options.{number}.{key}", option.get(key), 1, 100)
            _length(f"{where}.options.{number}.description", option.get("description"), 0, 100, required=False)
    else:
        raise Invalid(f"{where}.type", "UNION_TYPE_CHOICES", 'Value of field "type" is not a message component')
    custom_id = item.get("custom_id")
    _length(f"{where}.custom_id", custom_id, 1, 100)
    if custom_id in custom_ids:
        raise Invalid(
            f"{where}.custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated"
        )
    custom_ids.add(str(custom_id))


# --------------------------------------------------------------------------------------------- modals
def check_modal(data: dict[str, Any]) -> None:
    """A modal: a title of 1-45 characters, a custom id, and 1-5 rows, each one text input (or a label holding
    one)."""
    _length("data.title", data.get("title"), 1, 45)
    _length("data.custom_id", data.get("custom_id"), 1, 100)
    rows = data.get("components") or []
    _count("data.components", rows, 1, 5)
    for index, row in enumerate(rows):
        at = f"data.components.{index}"
        if row.get("type") == LABEL:
            _length(f"{at}.label", row.get("label"), 1, 45)
            _length(f"{at}.description", row.get("description"), 0, 100, required=False)
            _text_input(f"{at}.component", row.get("component") or {}, in_label=True)
        elif row.get("type") == ACTION_ROW:
            inputs = row.get("components") or []
            _count(f"{at}.components", inputs, 1, 1)
            _text_input(f"{at}.components.0", inputs[0], in_label=False)
        else:
            raise Invalid(f"{at}.type", "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1, 18).')


def _text_input(where: str, item: dict[str, Any], *, in_label: bool) -> None:
    if item.get("type") != TEXT_INPUT:
        return  # other modal components (selects in a label) are not what the bot sends
    _length(f"{where}.custom_id", item.get("custom_id"), 1, 100)
    if not in_label:
        _length(f"{where}.label", item.get("label"), 1, 45)
    if item.get("style") not in (1, 2):
        raise Invalid(f"{where}.style", "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.")
    for key, low in (("min_length", 0), ("max_length", 1)):
        value = item.get(key)
        if value is not None and not low <= int(value) <= 4000:
            raise Invalid(f"{where}.{key}", "NUMBER_TYPE_MAX", f"int value should be between {low} and 4000.")
    _length(f"{where}.value", item.get("value"), 0, 4000, required=False)
    _length(f"{where}.placeholder", item.get("placeholder"), 0, 100, required=False)


# -------------------------------------------------------------------------------------------- threads
def check_thread(body: dict[str, Any], *, creating: bool) -> None:
    """A thread's (or forum post's) name of 1-100 characters and an auto-archive duration Discord offers."""
    if creating or "name" in body:
        _length("name", body.get("name"), 1, 100)
    duration = body.get("auto_archive_duration")
    if duration is not None and duration not in ARCHIVE_DURATIONS:
        raise Invalid("auto_archive_duration", "BASE_TYPE_CHOICES", "Value must be one of {60, 1440, 4320, 10080}.")
