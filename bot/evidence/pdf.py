"""PDF: document info, XMP, ids, embedded files, scripts and annotation authors taken out.

pikepdf (qpdf) because it rewrites the whole file from the objects still reachable: older
revisions kept by incremental saves, which can hold text the author deleted, are dropped with
the objects we unlink, and a damaged cross-reference table is repaired rather than refused.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

from bot.evidence.outcome import Cleaned, NotCleaned, Refusal
from conversations.sanitizing import Reason, Removal

INFO_KEYS: dict[str, Removal] = {
    "/Author": Removal.AUTHOR,
    "/CreationDate": Removal.TIMESTAMPS,
    "/ModDate": Removal.TIMESTAMPS,
}
# Actions that run something, reach out, or open another file: an annotation keeps its looks.
RISKY_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/Rendition",
    "/Sound",
    "/Movie",
    "/RichMediaExecute",
}
FILE_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Sound", "/Movie", "/Screen", "/3D"}
ANNOTATION_AUTHOR_KEYS = ("/T", "/M", "/CreationDate", "/NM")
PRIVATE_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")


def clean_pdf(data: bytes) -> Cleaned:
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as error:
        raise Refusal(Reason.ENCRYPTED) from error
    except (pikepdf.PdfError, ValueError, OSError) as error:
        raise NotCleaned(Reason.CORRUPT, type(error).__name__) from error
    try:
        with pdf:
            if len(pdf.pages) == 0:
                raise NotCleaned(Reason.CORRUPT, "no pages")
            removed = _strip(pdf)
            out = io.BytesIO()
            pdf.save(
                out,
                encryption=False,
                preserve_pdfa=False,
                fix_metadata_version=False,
                deterministic_id=True,
            )
    except NotCleaned:
        raise
    except (pikepdf.PdfError, ValueError, OSError, RuntimeError) as error:
        raise NotCleaned(Reason.CORRUPT, type(error).__name__) from error
    return Cleaned(out.getvalue(), "pdf", "application/pdf", removed)


def _strip(pdf: pikepdf.Pdf) -> list[Removal]:
    found: list[Removal] = []
    trailer, root = pdf.trailer, pdf.Root
    if "/Info" in trailer:
        info = trailer.Info
        keys = set(info.keys()) if isinstance(info, Dictionary) else set()
        found += [removal for key, removal in INFO_KEYS.items() if key in keys]
        if keys - set(INFO_KEYS):
            found.append(Removal.DOCUMENT_PROPERTIES)
        del trailer["/Info"]
    if "/ID" in trailer:
        del trailer["/ID"]  # ties the copy to the original file; qpdf writes a new one
    if "/OpenAction" in root or "/AA" in root:
        found.append(Removal.SCRIPTS)
        for key in ("/OpenAction", "/AA"):
            if key in root:
                del root[key]
    if "/Names" in root:
        names = root.Names
        for key, removal in (
            ("/JavaScript", Removal.SCRIPTS),
            ("/EmbeddedFiles", Removal.EMBEDDED_FILES),
        ):
            if key in names:
                found.append(removal)
                del names[key]
    if "/AcroForm" in root and "/XFA" in root.AcroForm:
        del root.AcroForm["/XFA"]  # XFA forms carry scripts and their own metadata
        found.append(Removal.SCRIPTS)
    for page in pdf.pages:
        found += _strip_annotations(page.obj)
        if "/Thumb" in page.obj:
            del page.obj["/Thumb"]
            found.append(Removal.THUMBNAIL)
    for obj in pdf.objects:
        if isinstance(obj, Dictionary | pikepdf.Stream):
            found += _strip_object(obj)
    return list(dict.fromkeys(found))


def _strip_annotations(page: Dictionary) -> list[Removal]:
    annotations = page.get("/Annots")
    if not isinstance(annotations, Array):
        return []
    found: list[Removal] = []
    kept = Array()
    for annotation in annotations:
        if (
            isinstance(annotation, Dictionary)
            and str(annotation.get("/Subtype")) in FILE_ANNOTATIONS
        ):
            found.append(Removal.EMBEDDED_FILES)
            continue
        kept.append(annotation)
    if found:
        page.Annots = kept
    return found


def _strip_object(obj: Dictionary | pikepdf.Stream) -> list[Removal]:
    """One object's private keys: XMP, application data, scripts, names on annotations."""
    found: list[Removal] = []
    for key in PRIVATE_KEYS:
        if key in obj:
            del obj[key]
            found.append(Removal.DOCUMENT_METADATA)
    for key in ("/AA", "/AF", "/EF"):
        if key in obj:
            del obj[key]
            found.append(Removal.SCRIPTS if key == "/AA" else Removal.EMBEDDED_FILES)
    action = obj.get("/A")
    if isinstance(action, Dictionary) and _risky(action):
        del obj["/A"]
        found.append(Removal.SCRIPTS)
    if obj.get("/Type") == Name.Annot or ("/Subtype" in obj and "/Rect" in obj):
        for key in ANNOTATION_AUTHOR_KEYS:
            if key in obj and not (key == "/T" and "/FT" in obj):  # a form field's /T is its name
                del obj[key]
                if key in ("/T", "/M"):
                    found.append(Removal.COMMENT_AUTHORS)
    if obj.get("/Type") == Name.Annot and str(obj.get("/Subtype")) == "/Popup" and "/T" in obj:
        del obj["/T"]
    return found


def _risky(action: Dictionary) -> bool:
    """An action, or one chained after it by /Next, that runs or fetches something."""
    seen = 0
    current: object = action
    while isinstance(current, Dictionary) and seen < 50:
        if str(current.get("/S")) in RISKY_ACTIONS or "/JS" in current:
            return True
        current = current.get("/Next")
        seen += 1
    return False
