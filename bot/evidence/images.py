"""Pictures: the pixels are decoded and encoded again, so nothing but the picture survives.

Re-encoding (Pillow) rather than cutting EXIF segments out: it drops every place metadata can
hide (EXIF and its maker notes and thumbnail, XMP, IPTC, MPF's second pictures, text chunks,
comments, data after the end marker) without a list of them to keep up to date, and decoding
proves the picture opens. The orientation is applied first, so the picture looks as the phone
showed it; a JPEG that needs no turning keeps its own quantisation tables (no visible loss). HEIC
(pillow-heif) becomes a JPEG, which every officer's phone shows.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from PIL import Image, ImageCms, ImageOps, JpegImagePlugin, UnidentifiedImageError
from PIL.ExifTags import IFD

from bot.evidence.outcome import Cleaned, NotCleaned
from conversations.sanitizing import FileKind, Reason, Removal

MAX_PIXELS = 120_000_000  # a 108-megapixel phone camera fits; ~360 MB decoded at most
JPEG_QUALITY = 92
FORMATS = {
    FileKind.JPEG: ("JPEG", "jpg", "image/jpeg"),
    FileKind.PNG: ("PNG", "png", "image/png"),
    FileKind.WEBP: ("WEBP", "webp", "image/webp"),
    FileKind.GIF: ("GIF", "gif", "image/gif"),
    FileKind.HEIC: ("JPEG", "jpg", "image/jpeg"),
}
# EXIF tags by what they give away (IFD0 and the Exif IFD share one number space).
DEVICE_TAGS = {0x010F, 0x0110, 0x0131, 0xA420, 0xA430, 0xA431, 0xA432, 0xA433, 0xA434, 0xA435}
AUTHOR_TAGS = {0x013B, 0x8298, 0x9C9D}  # Artist, Copyright, XPAuthor
TIME_TAGS = {0x0132, 0x9003, 0x9004, 0x9010, 0x9011, 0x9012}
MAKER_NOTE = 0x927C
XMP_HINTS: tuple[tuple[bytes, Removal], ...] = (
    (b"GPSLatitude", Removal.GPS),
    (b"tiff:Model", Removal.DEVICE),
    (b"SerialNumber", Removal.DEVICE),
    (b"CreatorTool", Removal.DEVICE),
    (b"DateCreated", Removal.TIMESTAMPS),
    (b"CreateDate", Removal.TIMESTAMPS),
    (b"dc:creator", Removal.AUTHOR),
)
PNG_TEXT_HINTS = {"author": Removal.AUTHOR, "creation time": Removal.TIMESTAMPS}

_heif_registered = False


def clean_image(data: bytes, kind: FileKind) -> Cleaned:
    """A clean copy of a picture; corrupt or oversized pictures stay sealed."""
    if kind is FileKind.HEIC:
        _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise NotCleaned(Reason.TOO_MANY_PIXELS, f"{image.width}x{image.height}")
            removed = _found(image)
            return _encode(image, kind, removed)
    except NotCleaned:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise NotCleaned(Reason.CORRUPT, type(error).__name__) from error
    except Image.DecompressionBombError as error:
        raise NotCleaned(Reason.TOO_MANY_PIXELS, "decompression bomb") from error


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True


def _found(image: Image.Image) -> list[Removal]:
    """What the original carries, named for the reporter (everything else goes unnamed)."""
    found: list[Removal] = []
    exif = image.getexif()
    tags = set(exif)
    exif_ifd = exif.get_ifd(IFD.Exif)
    tags |= set(exif_ifd)
    if exif.get_ifd(IFD.GPSInfo):
        found.append(Removal.GPS)
    if tags & DEVICE_TAGS or MAKER_NOTE in tags:
        found.append(Removal.DEVICE)
    if tags & AUTHOR_TAGS:
        found.append(Removal.AUTHOR)
    if tags & TIME_TAGS:
        found.append(Removal.TIMESTAMPS)
    if exif.get_ifd(IFD.IFD1) or (getattr(image, "n_frames", 1) > 1 and image.format == "MPO"):
        found.append(Removal.THUMBNAIL)
    xmp = image.info.get("xmp") or b""
    if isinstance(xmp, str):
        xmp = xmp.encode()
    found += [removal for hint, removal in XMP_HINTS if hint in xmp]
    text_keys = {str(k).casefold() for k in getattr(image, "text", {}) or {}}
    found += [removal for key, removal in PNG_TEXT_HINTS.items() if key in text_keys]
    if image.info.get("icc_profile"):
        found.append(Removal.COLOR_PROFILE)
    others = bool(xmp or text_keys or image.info.get("comment") or _app_segments(image))
    if others or (tags - DEVICE_TAGS - AUTHOR_TAGS - TIME_TAGS - {0x0112, 0x8769, 0x8825}):
        found.append(Removal.IMAGE_METADATA)
    return list(dict.fromkeys(found))


def _app_segments(image: Image.Image) -> bool:
    """JPEG application segments beyond JFIF and Adobe's colour marker (IPTC, Ducky, …)."""
    applist = getattr(image, "applist", [])
    return any(marker not in ("APP0", "APP14") and not _is_exif(body) for marker, body in applist)


def _is_exif(body: bytes) -> bool:
    return body.startswith((b"Exif\x00", b"MPF\x00", b"ICC_PROFILE"))


def _encode(image: Image.Image, kind: FileKind, removed: list[Removal]) -> Cleaned:
    pil_format, extension, mime = FORMATS[kind]
    animated = getattr(image, "n_frames", 1) > 1 and kind in (FileKind.WEBP, FileKind.GIF)
    options: dict[str, Any] = {}
    if animated:
        frames, options = _frames(image)
    else:
        sampling = JpegImagePlugin.get_sampling(image) if kind is FileKind.JPEG else -1
        image.load()
        orientation = image.getexif().get(0x0112, 1)
        turned = ImageOps.exif_transpose(image) if orientation != 1 else image
        picture = _to_srgb(turned)
        keep = picture is image and kind is FileKind.JPEG and image.format == "JPEG"
        if pil_format == "JPEG":
            picture = _jpeg_mode(picture)
            options = {"quality": "keep"} if keep else {"quality": JPEG_QUALITY}
            if not keep and sampling >= 0:
                options["subsampling"] = sampling
        elif pil_format == "WEBP":
            options = {"quality": 90, "method": 4}
        frames = [picture]
    for frame in frames:
        frame.info = {}  # what a format's writer would copy over by default
    out = io.BytesIO()
    if animated:
        frames[0].save(out, pil_format, save_all=True, append_images=frames[1:], **options)
    else:
        frames[0].save(out, pil_format, exif=b"", **options)
    return Cleaned(out.getvalue(), extension, mime, removed)


def _frames(image: Image.Image) -> tuple[list[Image.Image], dict[str, Any]]:
    """An animated sticker or GIF, frame by frame, with its timing and nothing else."""
    frames: list[Image.Image] = []
    durations: list[int] = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        durations.append(int(image.info.get("duration", 100)))
        frames.append(image.convert("RGBA"))
    loop = int(image.info.get("loop", 0))
    return frames, {"duration": durations, "loop": loop}


def _to_srgb(image: Image.Image) -> Image.Image:
    """Pixels moved into sRGB, so the colours stay right once the ICC profile is dropped."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(source).casefold():
            return image
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"))
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: the colours may shift a little, the data goes
    return converted if converted is not None else image


def _jpeg_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "L", "CMYK"):
        return image
    if image.mode in ("RGBA", "LA", "P", "PA"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
