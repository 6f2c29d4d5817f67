"""A fake Slack (Web API, Socket Mode, signed HTTP delivery) on 127.0.0.1 for slack-bolt / slack-sdk tests.

async with FakeSlack() as fake:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
"""

from .fake import Delivery, FakeSlack
from .http_sender import sign
from .payloads import TeamInfo
from .state import Ack, ApiCall, Channel, Envelope, Ephemeral, Message, ResponseUrlPost, User, View

__all__ = [
    "Ack",
    "ApiCall",
    "Channel",
    "Delivery",
    "Envelope",
    "Ephemeral",
    "FakeSlack",
    "Message",
    "ResponseUrlPost",
    "TeamInfo",
    "User",
    "View",
    "sign",
]
