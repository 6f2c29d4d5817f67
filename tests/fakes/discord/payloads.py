"""Builders for Discord's JSON payload shapes (API v10)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .ids import ChannelType, iso
from .models import Channel, Guild, Member, Message, Role, User

if TYPE_CHECKING:
    from .server import FakeDiscord


def user(u: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(u.id),
        "username": u.username,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": None,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
    }
    if u.bot:
        data["bot"] = True
    return data


def bot_self_user(u: User) -> dict[str, Any]:
    data = user(u)
    data.update({"verified": True, "mfa_enabled": False, "email": None, "locale": "en-US", "bot": True})
    return data


def role(r: Role) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "name": r.name,
        "color": r.color,
        "colors": {"primary_color": r.color, "secondary_color": None, "tertiary_color": None},
        "hoist": r.hoist,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": r.managed,
        "mentionable": r.mentionable,
        "flags": 0,
        "tags": {},
    }


def member(m: Member, *, with_user: bool = True, permissions: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "roles": [str(r) for r in m.roles],
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "joined_at": m.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = user(m.user)
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def channel(c: Channel, *, with_guild_id: bool = True) -> dict[str, Any]:
    if c.type == ChannelType.DM:
        return {
            "id": str(c.id),
            "type": 1,
            "last_message_id": str(c.last_message_id) if c.last_message_id else None,
            "recipients": [],  # filled by the caller who knows the users
            "flags": 0,
        }
    data: dict[str, Any] = {
        "id": str(c.id),
        "type": c.type,
        "name": c.name,
        "last_message_id": str(c.last_message_id) if c.last_message_id else None,
        "rate_limit_per_user": 0,
        "flags": 0,
        "nsfw": False,
    }
    if with_guild_id and c.guild_id is not None:
        data["guild_id"] = str(c.guild_id)
    if c.is_thread:
        data.update(
            {
                "parent_id": str(c.parent_id),
                "owner_id": str(c.owner_id) if c.owner_id else None,
                "message_count": c.message_count,
                "total_message_sent": c.total_message_sent,
                "member_count": max(1, len(c.member_ids)),
                "thread_metadata": {
                    "archived": c.archived,
                    "auto_archive_duration": c.auto_archive_duration,
                    "archive_timestamp": c.created_at,
                    "locked": c.locked,
                    "create_timestamp": c.created_at,
                    "invitable": c.type == ChannelType.PRIVATE_THREAD,
                },
                "applied_tags": [],
            }
        )
    else:
        data.update(
            {
                "position": c.position,
                "permission_overwrites": [
                    {"id": str(target), "type": kind, "allow": str(allow), "deny": str(deny)}
                    for target, (kind, allow, deny) in c.overwrites.items()
                ],
                "parent_id": str(c.parent_id) if c.parent_id else None,
                "topic": c.topic,
                "default_auto_archive_duration": 1440,
                "default_thread_rate_limit_per_user": 0,
            }
        )
        if c.type in (ChannelType.GUILD_VOICE, ChannelType.GUILD_STAGE_VOICE):
            data.update({"bitrate": 64000, "user_limit": 0, "rtc_region": None, "video_quality_mode": 1})
        if c.type == ChannelType.GUILD_FORUM:
            data.update({"available_tags": [], "default_reaction_emoji": None, "default_sort_order": None})
    return data


def thread_member(thread: Channel, user_id: int) -> dict[str, Any]:
    return {"id": str(thread.id), "user_id": str(user_id), "join_timestamp": thread.created_at, "flags": 0}


def guild_create(fake: FakeDiscord, g: Guild, *, all_members: bool) -> dict[str, Any]:
    channels = [fake.channels[cid] for cid in g.channel_ids if cid in fake.channels]
    members = [m for m in g.members.values() if all_members or m.user.id == fake.bot_user.id]
    threads = []
    for c in channels:
        if c.is_thread and not c.archived:
            data = channel(c)
            if fake.bot_user.id in c.member_ids:
                data["member"] = thread_member(c, fake.bot_user.id)
            threads.append(data)
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "icon_hash": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(g.owner_id),
        "region": None,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "widget_enabled": False,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [role(r) for r in g.roles.values()],
        "emojis": [],
        "stickers": [],
        "soundboard_sounds": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "vanity_url_code": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": "en-US",
        "nsfw_level": 0,
        "nsfw": False,
        "incidents_data": None,
        "hub_type": None,
        "latest_onboarding_question_id": None,
        # GUILD_CREATE-only fields
        "joined_at": g.joined_at,
        "large": False,
        "unavailable": False,
        "lazy": True,
        "member_count": len(g.members),
        "voice_states": [],
        "members": [member(m) for m in members],
        "channels": [channel(c, with_guild_id=False) for c in channels if not c.is_thread],
        "threads": threads,
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "embedded_activities": [],
        "activity_instances": [],
        "application_command_counts": {},
        "version": 0,
    }


_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


def _allowed(allowed: dict[str, Any] | None, kind: str, ident: int) -> bool:
    if allowed is None:
        return True
    explicit = {int(x) for x in allowed.get(kind, []) or []}
    return kind in (allowed.get("parse") or []) or ident in explicit


def message(fake: FakeDiscord, m: Message, *, gateway: bool = False) -> dict[str, Any]:
    """A Message object; ``gateway=True`` adds the MESSAGE_CREATE extras (``guild_id``, ``member``)."""
    mentions = []
    for raw in _USER_MENTION.findall(m.content):
        uid = int(raw)
        target = fake.users.get(uid)
        if target is not None and _allowed(m.allowed_mentions, "users", uid):
            mentions.append(user(target))
    if m.type == 19 and m.message_reference and (m.allowed_mentions or {}).get("replied_user", True):
        replied = fake.messages.get(int(m.message_reference.get("message_id") or 0))
        if replied is not None and all(u["id"] != str(replied.author.id) for u in mentions):
            mentions.append(user(replied.author))
    mention_roles = [raw for raw in _ROLE_MENTION.findall(m.content) if _allowed(m.allowed_mentions, "roles", int(raw))]
    everyone = ("@everyone" in m.content or "@here" in m.content) and (
        m.allowed_mentions is None or "everyone" in (m.allowed_mentions.get("parse") or [])
    )
    data: dict[str, Any] = {
        "id": str(m.id),
        "channel_id": str(m.channel_id),
        "type": m.type,
        "author": user(m.author),
        "content": m.content,
        "timestamp": m.timestamp,
        "edited_timestamp": m.edited_timestamp,
        "tts": m.tts,
        "mention_everyone": everyone,
        "mentions": mentions,
        "mention_roles": mention_roles,
        "mention_channels": [],
        "attachments": m.attachments,
        "embeds": m.embeds,
        "components": m.components,
        "pinned": m.pinned,
        "flags": m.flags,
    }
    if m.nonce is not None:
        data["nonce"] = m.nonce
    if m.webhook_id is not None:
        data["webhook_id"] = str(m.webhook_id)
    if m.application_id is not None:
        data["application_id"] = str(m.application_id)
    if m.interaction_metadata is not None:
        data["interaction_metadata"] = m.interaction_metadata
    if m.message_reference is not None:
        data["message_reference"] = m.message_reference
        ref_id = m.message_reference.get("message_id")
        ref = fake.messages.get(int(ref_id)) if ref_id else None
        data["referenced_message"] = message(fake, ref) if ref is not None and not ref.deleted else None
    chan = fake.channels.get(m.channel_id)
    if chan is not None and chan.is_thread:
        data["position"] = max(0, chan.total_message_sent - 1)
    if m.thread_id is not None and m.thread_id in fake.channels:
        data["thread"] = channel(fake.channels[m.thread_id])
    if m.reactions:
        data["reactions"] = [
            {
                "emoji": m.reaction_emoji[key],
                "count": len(users),
                "count_details": {"burst": 0, "normal": len(users)},
                "me": fake.bot_user.id in users,
                "me_burst": False,
                "burst_colors": [],
            }
            for key, users in m.reactions.items()
            if users
        ]
    if gateway and m.guild_id is not None:
        data["guild_id"] = str(m.guild_id)
        g = fake.guilds.get(m.guild_id)
        mem = g.members.get(m.author.id) if g else None
        if mem is not None and m.webhook_id is None:
            data["member"] = member(mem, with_user=False)
    return data


def emoji_key(emoji: dict[str, Any]) -> str:
    return f"{emoji.get('name')}:{emoji['id']}" if emoji.get("id") else str(emoji.get("name"))


def parse_emoji(text: str) -> dict[str, Any]:
    """``👍`` -> {"name": "👍", "id": None}; ``name:123`` / ``<:name:123>`` -> custom emoji."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    animated = text.startswith("a:")
    if animated:
        text = text[2:]
    text = text.lstrip(":")
    if ":" in text:
        name, _, ident = text.rpartition(":")
        if ident.isdigit():
            data: dict[str, Any] = {"name": name, "id": ident}
            if animated:
                data["animated"] = True
            return data
    return {"name": text, "id": None}


def now() -> str:
    return iso()
