"""A core picture on Slack: uploaded with the files API after the text, where the text went.

Slack has no ephemeral files, so the card of a private answer goes to the member's direct messages with the bot
(only they see it there); a public answer's card goes to its channel. The text was sent first and is complete, so
a card that cannot be uploaded is logged and nothing else changes.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.pictures import Attachment

log = logging.getLogger(__name__)

SCOPE_HINT = "add the files:write and im:write scopes (`studybot slack manifest` lists them) and reinstall the app"


async def share_picture(
    client: AsyncWebClient, attachment: Attachment, *, channel_id: str, user_id: str, private: bool
) -> str | None:
    """Upload the card where the answer went; the conversation it was shared in, or None when it could not be."""
    try:
        target = channel_id
        if private:
            opened = await client.conversations_open(users=user_id)
            target = str(opened["channel"]["id"])
        await client.files_upload_v2(
            channel=target,
            content=attachment.data,
            filename=attachment.filename,
            title=attachment.alt_text.partition(":")[0],
            alt_txt=attachment.alt_text[:1000],
        )
    except SlackApiError as problem:
        error = problem.response.get("error")
        hint = f": {SCOPE_HINT}" if error == "missing_scope" else ""
        log.warning("the %s card was not shared (%s)%s; the text was sent", attachment.filename, error, hint)
        return None
    except SlackRequestError as problem:
        log.warning("the %s card was not uploaded (%s); the text was sent", attachment.filename, problem)
        return None
    return target
