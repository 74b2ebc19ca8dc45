"""Office files (DOCX, XLSX, PPTX; ODT, ODS, ODP): the ZIP rewritten part by part.

Document properties are replaced by empty ones, custom properties, thumbnails, the people list
and revision logs dropped (with their relationships and content types, so the file still
opens), and names, dates and revision ids on comments and tracked changes blanked. Pictures
inside are cleaned like any picture. The standard library reads and writes the ZIP; lxml parses
the XML because it keeps namespace prefixes as they were (`mc:Ignorable` names prefixes, and
Word calls a file whose prefixes were renamed corrupt), with entities and the network off.
Entry times, comments and extra fields of the ZIP are not carried over.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable

from lxml import etree

from bot.evidence.images import clean_image
from bot.evidence.outcome import Declined, NotCleaned, Refusal
from bot.evidence.sniff import identify
from conversations.sanitizing import FAMILY, Family, FileKind, Reason, Removal

MAX_UNPACKED = 200 * 1024 * 1024  # all entries together, as read (not as the header claims)
MAX_XML_PART = 50 * 1024 * 1024
MAX_ENTRIES = 10_000
CHUNK = 1024 * 1024
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl'
    b'.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    b'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"'
    b"/>"
)
ODF_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="1.2"><office:meta/></office:document-meta>'
)
ODF_NEUTRAL_DATE = "1970-01-01T00:00:00"
MIMES = {
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    FileKind.ODT: "application/vnd.oasis.opendocument.text",
    FileKind.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    FileKind.ODP: "application/vnd.oasis.opendocument.presentation",
}
ODF = {FileKind.ODT, FileKind.ODS, FileKind.ODP}

# What the properties parts told, by element name (local names).
PROPERTY_FINDINGS = {
    "creator": Removal.AUTHOR,
    "lastModifiedBy": Removal.AUTHOR,
    "initial-creator": Removal.AUTHOR,
    "Company": Removal.AUTHOR,
    "Manager": Removal.AUTHOR,
    "created": Removal.TIMESTAMPS,
    "modified": Removal.TIMESTAMPS,
    "lastPrinted": Removal.TIMESTAMPS,
    "creation-date": Removal.TIMESTAMPS,
    "date": Removal.TIMESTAMPS,
    "print-date": Removal.TIMESTAMPS,
}
# Attributes holding who and when, on comments and tracked changes (any namespace).
WHO_ATTRIBUTES = {"author", "initials", "userId", "providerId", "userName"}
WHEN_ATTRIBUTES = {"date", "dateUtc"}
COMMENT_ELEMENTS = {"comment", "cm", "threadedComment", "person", "cmAuthor", "author"}
NAMED_PEOPLE = {"cmAuthor", "author", "person"}  # whose `name`/`displayName` is a person's
DROPPED_ELEMENTS = {"absPath", "attachedTemplate", "rsids"}  # folders with user names; ids
ATTACHED_TEMPLATE = "/attachedTemplate"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DC_NS = "http://purl.org/dc/elements/1.1/"
ODF_PRIVATE_SETTINGS = {"PrinterName", "PrinterSetup", "PrinterPaperFromSetup"}
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=False
)


class _Budget:
    """Counts what is really unpacked, whatever the ZIP's headers claim."""

    def __init__(self) -> None:
        self.left = MAX_UNPACKED

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise Refusal(Reason.ZIP_BOMB)


def clean_office(data: bytes, kind: FileKind) -> tuple[bytes, str, list[Removal]]:
    """The clean file, its MIME type and what was found; a bad ZIP stays sealed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            infos = source.infolist()
            _check(infos)
            dropped = _dropped_parts([i.filename for i in infos], kind)
            found: list[Removal] = []
            out = io.BytesIO()
            budget = _Budget()
            with zipfile.ZipFile(out, "w") as target:
                for info in infos:
                    if info.filename in dropped or info.is_dir():
                        found += dropped.get(info.filename, [])
                        continue
                    _copy(source, target, info, kind, dropped, found, budget)
    except Declined:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise NotCleaned(Reason.CORRUPT, type(error).__name__) from error
    except (etree.XMLSyntaxError, ValueError, KeyError, RuntimeError) as error:
        raise NotCleaned(Reason.CORRUPT, type(error).__name__) from error
    return out.getvalue(), MIMES[kind], list(dict.fromkeys(found))


def _check(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise Refusal(Reason.ZIP_BOMB)
    names = [i.filename for i in infos]
    if len(set(names)) != len(names) or any(i.flag_bits & 0x1 for i in infos):
        raise NotCleaned(Reason.CORRUPT, "duplicate or encrypted entries")


def _dropped_parts(names: list[str], kind: FileKind) -> dict[str, list[Removal]]:
    """Parts left out whole, with what leaving them out removes."""
    dropped: dict[str, list[Removal]] = {}
    for name in names:
        lower = name.casefold()
        if kind in ODF:
            if lower.startswith("thumbnails/"):
                dropped[name] = [Removal.THUMBNAIL]
        elif lower.startswith("docprops/thumbnail"):
            dropped[name] = [Removal.THUMBNAIL]
        elif lower == "docprops/custom.xml":
            dropped[name] = [Removal.DOCUMENT_PROPERTIES]
        elif lower == "word/people.xml":
            dropped[name] = [Removal.COMMENT_AUTHORS]
        elif lower.startswith("xl/revisions/"):
            dropped[name] = [Removal.REVISION_AUTHORS]
    return dropped


def _copy(
    source: zipfile.ZipFile,
    target: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    kind: FileKind,
    dropped: dict[str, list[Removal]],
    found: list[Removal],
    budget: _Budget,
) -> None:
    name = info.filename
    entry = zipfile.ZipInfo(name, ZIP_EPOCH)
    entry.compress_type = info.compress_type
    if name == "mimetype":
        entry.compress_type = zipfile.ZIP_STORED  # ODF: first and uncompressed
    rewrite = _rewriter(name, kind, dropped, found)
    if rewrite is None and not _is_picture_part(name, kind):
        with source.open(info) as reader, target.open(entry, "w") as writer:
            while chunk := reader.read(CHUNK):
                budget.take(len(chunk))
                writer.write(chunk)
        return
    body = _read(source, info, budget)
    body = rewrite(body) if rewrite is not None else _clean_picture(body, found)
    target.writestr(entry, body)


def _read(source: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes:
    parts: list[bytes] = []
    with source.open(info) as reader:
        while chunk := reader.read(CHUNK):
            budget.take(len(chunk))
            parts.append(chunk)
            if sum(map(len, parts)) > MAX_XML_PART:
                raise Refusal(Reason.ZIP_BOMB)
    return b"".join(parts)


def _is_picture_part(name: str, kind: FileKind) -> bool:
    folder = ("Pictures/",) if kind in ODF else ("word/media/", "xl/media/", "ppt/media/")
    return name.startswith(folder)


def _clean_picture(body: bytes, found: list[Removal]) -> bytes:
    """A picture pasted into a document keeps its camera's EXIF: cleaned in its own format."""
    kind = identify(body)
    if FAMILY[kind] is not Family.IMAGE or kind is FileKind.HEIC:
        return body
    try:
        cleaned = clean_image(body, kind)
    except Declined:
        return body  # an unreadable picture in a document is the author's; left as it is
    found += cleaned.removed
    return cleaned.data


def _rewriter(
    name: str, kind: FileKind, dropped: dict[str, list[Removal]], found: list[Removal]
) -> Callable[[bytes], bytes] | None:
    if kind in ODF:
        if name == "meta.xml":
            return lambda body: _properties(body, ODF_META, found)
        if name == "META-INF/manifest.xml":
            return lambda body: _manifest(body, dropped)
        if name == "settings.xml":
            return lambda body: _xml(body, _odf_settings, found)
        if name in ("content.xml", "styles.xml"):
            return lambda body: _xml(body, _odf_people, found)
        return None
    if name == "docProps/core.xml":
        return lambda body: _properties(body, CORE, found)
    if name == "docProps/app.xml":
        return lambda body: _properties(body, APP, found)
    if name == "[Content_Types].xml":
        return lambda body: _content_types(body, dropped)
    if name.endswith(".rels"):
        return lambda body: _relationships(name, body, dropped, found)
    if name.endswith(".xml") and name.startswith(("word/", "xl/", "ppt/")):
        return lambda body: _xml(body, _ooxml_people, found)
    return None


def _parse(body: bytes) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(body, PARSER))


def _serialize(tree: etree._ElementTree) -> bytes:
    standalone = tree.docinfo.standalone
    body: bytes = etree.tostring(
        tree, xml_declaration=True, encoding="UTF-8", standalone=standalone
    )
    return body


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str | bytes) else ""


def _properties(body: bytes, replacement: bytes, found: list[Removal]) -> bytes:
    """Properties are replaced whole by empty ones; what they held is named for the reporter."""
    for element in _parse(body).iter():
        if not isinstance(element.tag, str):
            continue
        local = _local(element.tag)
        if (element.text or "").strip() or (len(element) and local == "user-defined"):
            found.append(PROPERTY_FINDINGS.get(local, Removal.DOCUMENT_PROPERTIES))
    return replacement


def _xml(
    body: bytes, scrub: Callable[[etree._Element, list[Removal]], None], found: list[Removal]
) -> bytes:
    tree = _parse(body)
    scrub(tree.getroot(), found)
    return _serialize(tree)


def _ooxml_people(root: etree._Element, found: list[Removal]) -> None:
    """Names and dates on comments and tracked changes; revision ids; user folders."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        local = _local(element.tag)
        if local in DROPPED_ELEMENTS:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
                found.append(Removal.AUTHOR if local != "rsids" else Removal.REVISION_AUTHORS)
            continue
        is_comment = local in COMMENT_ELEMENTS
        for attribute in list(element.attrib):
            name = _local(attribute)
            value = element.get(attribute) or ""
            if name in WHO_ATTRIBUTES or (
                local in NAMED_PEOPLE and name in ("name", "displayName")
            ):
                if value:
                    element.set(attribute, "")
                    found.append(
                        Removal.COMMENT_AUTHORS if is_comment else Removal.REVISION_AUTHORS
                    )
            elif name in WHEN_ATTRIBUTES:
                del element.attrib[attribute]
                found.append(Removal.COMMENT_AUTHORS if is_comment else Removal.REVISION_AUTHORS)
            elif name.startswith("rsid") and etree.QName(attribute).namespace == W_NS:
                del element.attrib[attribute]
        if local == "author" and element.text and element.text.strip():  # Excel's comments
            element.text = ""
            found.append(Removal.COMMENT_AUTHORS)


def _odf_people(root: etree._Element, found: list[Removal]) -> None:
    """dc:creator and dc:date on annotations and on tracked changes' change-info."""
    for element in root.iter(f"{{{DC_NS}}}creator", f"{{{DC_NS}}}date"):
        parent = element.getparent()
        where = _local(parent.tag) if parent is not None else ""
        removal = Removal.COMMENT_AUTHORS if where == "annotation" else Removal.REVISION_AUTHORS
        neutral = "" if _local(element.tag) == "creator" else ODF_NEUTRAL_DATE
        if (element.text or "") != neutral:
            element.text = neutral
            found.append(removal)
    for element in list(root.iter()):
        if isinstance(element.tag, str) and _local(element.tag) == "creator-initials":
            element.text = ""


def _odf_settings(root: etree._Element, found: list[Removal]) -> None:
    """The printer's name and driver settings name the office and its machines."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or _local(element.tag) != "config-item":
            continue
        if any(v in ODF_PRIVATE_SETTINGS for v in element.attrib.values()):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
                found.append(Removal.DOCUMENT_PROPERTIES)


def _manifest(body: bytes, dropped: dict[str, list[Removal]]) -> bytes:
    tree = _parse(body)
    for element in list(tree.getroot()):
        path = next((v for k, v in element.attrib.items() if _local(k) == "full-path"), None)
        if path in dropped:
            tree.getroot().remove(element)
    return _serialize(tree)


def _content_types(body: bytes, dropped: dict[str, list[Removal]]) -> bytes:
    tree = _parse(body)
    for element in list(tree.getroot()):
        if (element.get("PartName") or "").lstrip("/") in dropped:
            tree.getroot().remove(element)
    return _serialize(tree)


def _relationships(
    name: str, body: bytes, dropped: dict[str, list[Removal]], found: list[Removal]
) -> bytes:
    """Relationships to dropped parts go with them, and the template's path on the PC too."""
    folder = posixpath.dirname(posixpath.dirname(name))  # word/_rels/x.rels -> word
    tree = _parse(body)
    for element in list(tree.getroot()):
        target = element.get("Target") or ""
        if element.get("Type", "").endswith(ATTACHED_TEMPLATE):
            tree.getroot().remove(element)
            found.append(Removal.AUTHOR)
            continue
        if element.get("TargetMode") == "External":
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        if posixpath.normpath(part) in dropped:
            tree.getroot().remove(element)
    return _serialize(tree)
