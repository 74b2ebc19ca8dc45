"""Files on the sandbox's Telegram-compatible server: ids, photo sizes, download paths.

Telegram keeps a photo in several sizes, names files with long opaque ids, and hands out a
download path only when `getFile` asks for one; the bot relies on all three.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import mimetypes
import struct
from dataclasses import dataclass, field

from bot.sandbox.bot_api_types import (
    MAX_UPLOAD_BYTES,
    ApiError,
    JSONDict,
    UploadedFile,
    bad_request,
    opt_int,
)


@dataclass
class StoredFile:
    """A file the server holds, addressed by ``file_id``."""

    file_id: str
    file_unique_id: str
    kind: str  # "photo" | "document" | "video"
    data: bytes = field(repr=False)
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0
    duration: int = 0
    file_path: str | None = None
    # For photos: the whole PhotoSize list this size belongs to (smallest first).
    photo_sizes: list[JSONDict] = field(default_factory=list, repr=False)

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image, if recognisable."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01, 0xFF) or 0xD0 <= marker <= 0xD7:
                i += 1 if marker == 0xFF else 2
                continue
            (segment,) = struct.unpack(">H", data[i + 2 : i + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + int(segment)
    return None


def _fit(width: int, height: int, box: int) -> tuple[int, int]:
    scale = min(1.0, box / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


class FileStore:
    """Every file sent either way, by id, and by download path once `getFile` gave one."""

    def __init__(self, token: str) -> None:
        self._token = token  # seeds the ids: two servers never hand out the same ones
        self._files: dict[str, StoredFile] = {}
        self._paths: dict[str, StoredFile] = {}
        self._counter = 0

    def get(self, file_id: str) -> StoredFile | None:
        return self._files.get(file_id)

    def __getitem__(self, file_id: str) -> StoredFile:
        return self._files[file_id]

    def by_path(self, path: str) -> StoredFile | None:
        return self._paths.get(path)

    def _new_ids(self, kind: str) -> tuple[str, str]:
        self._counter += 1
        seed = f"{self._token}:{kind}:{self._counter}".encode()
        body = base64.urlsafe_b64encode(hashlib.sha256(seed).digest()).decode().rstrip("=")
        unique = base64.urlsafe_b64encode(hashlib.sha1(b"u" + seed).digest()).decode()
        prefix = {"photo": "AgACAgUAAxkBAAI", "document": "BQACAgUAAxkBAAI"}.get(
            kind, "BAACAgUAAxkBAAI"
        )
        return prefix + body[:44], "AQAD" + unique[:12].replace("=", "A")

    def store(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        width: int = 0,
        height: int = 0,
        duration: int = 0,
    ) -> StoredFile:
        file_id, unique_id = self._new_ids(kind)
        stored = StoredFile(
            file_id, unique_id, kind, data, file_name, mime_type, width, height, duration
        )
        self._files[file_id] = stored
        return stored

    def store_photo(self, data: bytes) -> list[JSONDict]:
        """A photo in Telegram's sizes (smallest first); returns its PhotoSize list."""
        width, height = _image_size(data) or (800, 600)
        longest = max(width, height)
        dims = [_fit(width, height, box) for box in (90, 320, 800, 1280) if box < longest]
        dims.append(_fit(width, height, 2560))
        if len(dims) < 2:
            dims.insert(0, dims[0])
        sizes: list[JSONDict] = []
        stored_sizes: list[StoredFile] = []
        for w, h in dims:
            stored = self.store("photo", data, mime_type="image/jpeg", width=w, height=h)
            stored_sizes.append(stored)
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": stored.size,
                    "width": w,
                    "height": h,
                }
            )
        for stored in stored_sizes:
            stored.photo_sizes = sizes
        return copy.deepcopy(sizes)

    def input_file(self, params: JSONDict, name: str) -> UploadedFile | StoredFile:
        """The file a send method was given: an upload, an ``attach://`` part or a file_id."""
        value = params.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value[len("attach://") :])
            if value is None:
                raise bad_request(f"can't find attached file for {name}")
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            if len(value.data) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            return value
        if value is None or value == "":
            raise bad_request(f"there is no {name} in the request")
        if not isinstance(value, str):
            raise bad_request(f'field "{name}" must be of type String')
        if value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        stored = self.get(value)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return stored

    def media_content(
        self, kind: str, source: UploadedFile | StoredFile, params: JSONDict
    ) -> tuple[JSONDict, StoredFile]:
        """Message fields for a photo/document/video and the stored file behind them."""
        if isinstance(source, StoredFile):
            compatible = source.kind == kind or (kind == "document" and source.kind == "video")
            if not compatible:
                raise bad_request("type of file mismatch")
            stored = source
        elif kind == "photo":
            sizes = self.store_photo(source.data)
            stored = self[sizes[-1]["file_id"]]
        elif kind == "video":
            stored = self.store(
                "video",
                source.data,
                file_name=source.filename,
                mime_type=source.content_type or "video/mp4",
                width=opt_int(params, "width") or 1280,
                height=opt_int(params, "height") or 720,
                duration=opt_int(params, "duration") or 0,
            )
        else:
            mime = source.content_type or mimetypes.guess_type(source.filename or "")[0]
            stored = self.store(
                "document",
                source.data,
                file_name=source.filename,
                mime_type=mime or "application/octet-stream",
            )
        if kind == "photo":
            sizes = stored.photo_sizes
            largest = self[sizes[-1]["file_id"]] if sizes else stored
            return {"photo": copy.deepcopy(sizes)}, largest
        if kind == "video" and stored.kind == "video":
            return {"video": video_json(stored)}, stored
        return {"document": document_json(stored)}, stored

    def download_path(self, stored: StoredFile) -> str:
        """The file's download path, made on first use as `getFile` does."""
        if stored.file_path is None:
            folder = {"photo": "photos", "video": "videos"}.get(stored.kind, "documents")
            suffix = {"photo": ".jpg", "video": ".mp4"}.get(stored.kind, "")
            if stored.kind == "document":
                name = stored.file_name or ""
                suffix = name[name.rfind(".") :] if "." in name else ""
                if not suffix and stored.mime_type:
                    suffix = mimetypes.guess_extension(stored.mime_type) or ""
            stored.file_path = f"{folder}/file_{len(self._paths)}{suffix}"
            self._paths[stored.file_path] = stored
        return stored.file_path


def document_json(stored: StoredFile) -> JSONDict:
    """Telegram ``Document`` JSON."""
    document: JSONDict = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
    }
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return document


def video_json(stored: StoredFile) -> JSONDict:
    """A video is a document with dimensions and a duration."""
    return {
        **document_json(stored),
        "width": stored.width,
        "height": stored.height,
        "duration": stored.duration,
    }
