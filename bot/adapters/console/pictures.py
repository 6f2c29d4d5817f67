"""The console's pictures: a card is written to a file in a folder beside the database, and its path printed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from bot.core.pictures import Attachment


def pictures_folder(database: Path) -> Path:
    """`data/studybot.db` -> `data/studybot.pictures`: one file per kind of card, the newest kept."""
    return database.with_name(database.stem + ".pictures")


class PictureFiles:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def save(self, attachment: Attachment) -> Path:
        return await asyncio.to_thread(self._write, attachment)

    def _write(self, attachment: Attachment) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / Path(attachment.filename).name
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(attachment.data)
        partial.replace(path)  # a viewer that has the file open never sees half a card
        return path

    async def show(self, attachment: Attachment, write: Callable[[str], None]) -> None:
        """Save the card and print where it is, or one line saying why it could not be saved."""
        try:
            path = await self.save(attachment)
        except OSError as problem:
            write(f"  (the picture could not be saved in {self.folder}: {problem.strerror or problem})")
            return
        write(f"  picture: {path}")
