"""Sending a core `Response` back: private ones ephemeral, public ones to the channel."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.blocks import clip, response_blocks
from bot.adapters.slack.style import safe_mrkdwn
from bot.core.messages import Response

log = logging.getLogger(__name__)

TEXT_LIMIT = 3900


def message(response: Response) -> dict[str, Any]:
    """`text` (the notification and fallback) and `blocks` for a response."""
    return {"text": clip(safe_mrkdwn(response.text), TEXT_LIMIT), "blocks": response_blocks(response)}


def response_type(response: Response) -> str:
    return "ephemeral" if response.private else "in_channel"


async def respond_with(respond: Any, response: Response) -> None:
    """Answer through bolt's `respond` (the command's or the click's `response_url`)."""
    await respond(**message(response), response_type=response_type(response), replace_original=False)


async def tell_privately(
    client: AsyncWebClient, *, channel_id: str, user_id: str, response: Response, response_url: str | None
) -> None:
    """An ephemeral message with no `respond` at hand (after a modal): `chat.postEphemeral`, or the
    `response_url` of the click that opened the modal when the bot cannot post in that channel."""
    try:
        await client.chat_postEphemeral(channel=channel_id, user=user_id, **message(response))
        return
    except SlackApiError as problem:
        if not response_url:
            raise
        log.info("chat.postEphemeral failed (%s); answering through the response_url", problem.response.get("error"))
    sent = await AsyncWebhookClient(response_url).send(
        **message(response), response_type="ephemeral", replace_original=False
    )
    if sent.status_code != 200:  # expired_url after 30 minutes, used_url after 5 posts
        log.warning("the answer could not be sent through the response_url: %s %s", sent.status_code, sent.body)
