"""Slack's file uploads as the Web API takes them: `files.getUploadURLExternal` hands out an upload url, the bytes
are POSTed there, and `files.completeUploadExternal` shares the file in a conversation (a message with `files`).

Slack's rules the fake keeps: the upload url takes the bytes once, their length must be the one announced, and a
file is shared only once its bytes arrived; the channel must be one the bot is in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .fake import FakeSlack
    from .state import Message


class FileError(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass
class UploadedFile:
    id: str
    filename: str
    length: int
    alt_txt: str = ""
    title: str = ""
    data: bytes | None = None  # None until the bytes are POSTed to the upload url
    shared_in: list[str] = field(default_factory=list)  # channel ids
    message: Message | None = None

    @property
    def mimetype(self) -> str:
        return "image/png" if self.data is not None and self.data.startswith(b"\x89PNG") else "application/octet-stream"

    def to_api(self, base_url: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.filename,
            "title": self.title or self.filename,
            "mimetype": self.mimetype,
            "size": self.length,
            "alt_txt": self.alt_txt,
            "url_private": f"{base_url}files-pri/{self.id}/{self.filename}",
            "channels": list(self.shared_in),
        }


class Files:
    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.files: dict[str, UploadedFile] = {}

    def get_upload_url(self, params: dict[str, Any]) -> dict[str, Any]:
        filename = str(params.get("filename") or "")
        try:
            length = int(params.get("length") or 0)
        except ValueError:
            raise FileError("invalid_arguments") from None
        if not filename or length <= 0:
            raise FileError("invalid_arguments")
        upload = UploadedFile(self.fake.ids.next("F0", 9), filename, length, alt_txt=str(params.get("alt_txt") or ""))
        self.files[upload.id] = upload
        return {"upload_url": f"{self.fake.base_url}upload/v1/{upload.id}", "file_id": upload.id}

    async def receive(self, request: web.Request) -> web.Response:
        """The upload url: the raw bytes (or a multipart `file` field), once."""
        upload = self.files.get(request.match_info["file_id"])
        if upload is None or upload.data is not None:
            return web.Response(status=404, text="not found")
        if request.content_type == "multipart/form-data":
            form = await request.post()
            part = form.get("file") or form.get("filename")
            data = part.file.read() if hasattr(part, "file") else bytes(str(part or ""), "utf-8")
        else:
            data = await request.read()
        if len(data) != upload.length:
            return web.Response(status=400, text=f"length mismatch: announced {upload.length}, sent {len(data)}")
        upload.data = data
        self.fake._notify()
        return web.Response(status=200, text=f"OK - {len(data)}")

    def complete(self, params: dict[str, Any]) -> dict[str, Any]:
        raw = params.get("files")
        try:
            wanted = json.loads(raw) if isinstance(raw, str) else raw
        except json.JSONDecodeError:
            raise FileError("invalid_arguments") from None
        if not isinstance(wanted, list) or not wanted:
            raise FileError("invalid_arguments")
        uploads = []
        for entry in wanted:
            upload = self.files.get(str((entry or {}).get("id")))
            if upload is None:
                raise FileError("file_not_found")
            if upload.data is None:
                raise FileError("file_upload_not_complete")
            upload.title = str(entry.get("title") or upload.filename)
            uploads.append(upload)
        channel_id = params.get("channel_id")
        if channel_id:
            channel = self.fake._resolve_channel(str(channel_id))
            if channel is None:
                raise FileError("channel_not_found")
            if self.fake.team.bot_user_id not in channel.members:
                raise FileError("not_in_channel")
            for upload in uploads:
                upload.shared_in.append(channel.id)
            message = self.fake._store_message(
                channel,
                text=str(params.get("initial_comment") or ""),
                user=self.fake.team.bot_user_id,
                bot_id=self.fake.team.bot_id,
                app_id=self.fake.team.api_app_id,
                thread_ts=params.get("thread_ts") or None,
                params={"files": [upload.to_api(self.fake.base_url) for upload in uploads], "upload": True},
            )
            for upload in uploads:
                upload.message = message
        return {"files": [upload.to_api(self.fake.base_url) for upload in uploads]}

    def shared_in(self, channel_id: str) -> list[UploadedFile]:
        return [upload for upload in self.files.values() if channel_id in upload.shared_in]
