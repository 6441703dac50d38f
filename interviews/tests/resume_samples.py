"""Build real and hostile resume files (PDF, DOCX, text) for the resume parsing tests."""

import io
import random
import struct
import zlib

import docx
import pypdf
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

MiB = 1024 * 1024


# --- PDF ------------------------------------------------------------------------------------


def pdf(objects: list[bytes], *, trailer: bytes = b"", prev_is_self: bool = False) -> bytes:
    """Return a PDF of the objects (1 is the catalog) with a correct cross-reference table."""
    document = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        document += b"%010d 00000 n \n" % offset
    if prev_is_self:  # the cross-reference chain leads back to itself
        trailer += b" /Prev %d" % xref_at
    document += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref_at,
    )
    return bytes(document)


def stream(content: bytes, *, extra: bytes = b"", compress: bool = False) -> bytes:
    """Return the body of a stream object holding content."""
    if compress:
        content, extra = zlib.compress(content), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(content), extra, content)


def text_operators(lines: list[str]) -> bytes:
    """Return a content stream showing the lines one under another."""
    shown = []
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        shown.append(f"({escaped}) '")
    return "\n".join(["BT", "/F1 11 Tf", "72 770 Td", "14 TL", *shown, "ET"]).encode("latin-1")


def text_pdf(pages: list[list[str]], *, link_targets: tuple[str, ...] = ()) -> bytes:
    """Return a PDF with one page per list of lines; the first page links to link_targets."""
    page_count = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * index) for index in range(page_count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, page_count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for index, lines in enumerate(pages):
        annotations = b""
        if index == 0 and link_targets:
            annotations = b"/Annots [%s]" % b" ".join(
                b"<< /Type /Annot /Subtype /Link /Rect [72 700 200 712] "
                b"/A << /S /URI /URI (%s) >> >>" % target.encode()
                for target in link_targets
            )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R %s >>"
            % (5 + 2 * index, annotations)
        )
        objects.append(stream(text_operators(lines), compress=True))
    return pdf(objects)


def _one_page_tree(kids: bytes, count: int) -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            stream(b"BT /F1 11 Tf 72 700 Td (page) Tj ET"),
        ]
    )


def pdf_with_pages(count: int, *, declared: int | None = None) -> bytes:
    """Return a PDF whose page tree lists one page object count times (cheap at any count)."""
    return _one_page_tree(b" ".join([b"3 0 R"] * count), count if declared is None else declared)


def pdf_with_circular_page_tree() -> bytes:
    """Return a PDF whose page tree node's only kid has the node itself as its only kid."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ]
    )


def pdf_with_self_drawing_form() -> bytes:
    """Return a PDF whose page draws a form XObject that draws itself."""
    form_resources = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
    form_resources += b"/Resources << /XObject << /X1 4 0 R >> >>"
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /XObject << /X1 4 0 R >> >> /Contents 5 0 R >>",
            stream(b"BT (loop) Tj ET /X1 Do", extra=form_resources),
            stream(b"/X1 Do"),
        ]
    )


def pdf_with_looping_xref(lines: list[str]) -> bytes:
    """Return a one-page PDF whose trailer's /Prev points at its own cross-reference table."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents 5 0 R >>",
            stream(text_operators(lines)),
        ],
        prev_is_self=True,
    )


def pdf_that_spins(operators: int, *, pages: int = 1, shown: bytes = b"a") -> bytes:
    """Return a PDF whose pages share one small compressed content stream of `operators` strings.

    Each page shows `shown` that many times; with b"" the text stays empty, so no text cap ends
    the work early.
    """
    compressor, chunk = zlib.compressobj(9), b"(%s) Tj\n" % shown * 10_000
    parts = [compressor.compress(b"BT /F1 11 Tf 72 700 Td\n")]
    for _ in range(operators // 10_000):
        parts.append(compressor.compress(chunk))
    content = b"".join(parts) + compressor.compress(b"ET") + compressor.flush()
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join([b"4 0 R"] * pages), pages),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents 5 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
            % (len(content), content),
        ]
    )


def pdf_with_stream_of(size: int) -> bytes:
    """Return a one-page PDF whose content stream inflates to about size bytes of spaces."""
    compressor, parts = zlib.compressobj(9), []
    for _ in range(size // MiB):
        parts.append(compressor.compress(b" " * MiB))
    content = b"".join(parts) + compressor.compress(b"BT (x) Tj ET") + compressor.flush()
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents 5 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
            % (len(content), content),
        ]
    )


def encrypted_pdf(lines: list[str], *, user_password: str) -> bytes:
    """Return a one-page PDF encrypted with RC4 (AES would need the cryptography package)."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(text_pdf([lines])))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    return encrypted.getvalue()


def garbage_pdf() -> bytes:
    """Return the PDF signature followed by random bytes."""
    return b"%PDF-1.7\n" + random.Random(7).randbytes(64 * 1024)


# --- DOCX -----------------------------------------------------------------------------------


def docx_resume(
    path,
    *,
    name: str,
    contact: list[str],
    sections: dict,
    header: str = "",
    hyperlink: str = "",
    text_box: str = "",
):
    """Write a Word resume: a title, contact lines, a heading and paragraphs (or a table of
    tuples) per section; optionally a page header, a hyperlink and a text box (stored as Word
    does, as DrawingML with a VML fallback copy)."""
    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    document.add_heading(name, level=0)
    for line in contact:
        document.add_paragraph(line)
    if hyperlink:
        paragraph = document.add_paragraph("Portfolio: ")
        relationship = document.part.relate_to(
            hyperlink, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
        )
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), relationship)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "my portfolio"
        run.append(text)
        link.append(run)
        paragraph._p.append(link)
    if text_box:
        document.add_paragraph()._p.append(parse_xml(TEXT_BOX_RUN.format(text=text_box)))
    for heading, body in sections.items():
        document.add_heading(heading, level=1)
        if isinstance(body, list) and body and isinstance(body[0], tuple):
            table = document.add_table(rows=0, cols=len(body[0]))
            for row in body:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = value
        else:
            for line in body:
                document.add_paragraph(line)
    document.save(path)


TEXT_BOX_RUN = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
    '<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>'
    "<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing>"
    "</mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>"
    "<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict>"
    "</mc:Fallback></mc:AlternateContent></w:r>"
)


def _crc_of_zeros(size: int) -> int:
    crc, block = 0, bytes(MiB)
    for _ in range(size // MiB):
        crc = zlib.crc32(block, crc)
    return zlib.crc32(bytes(size % MiB), crc)


def deflated_zeros(size: int) -> bytes:
    """Return a raw deflate stream of size (a multiple of 1 MiB) zero bytes, built in 1 MiB.

    After a full flush the compressor starts afresh, so every 1 MiB block compresses to the same
    bytes: the stream is one block repeated, and a 1 GiB bomb costs a millisecond to build.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MiB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * (size // MiB) + compressor.flush()


def zip_archive(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """Return a zip of deflated entries (name, raw deflate data, CRC-32, declared size)."""
    body, directory = bytearray(), bytearray()
    for name, data, crc, size in entries:
        offset, encoded = len(body), name.encode()
        sizes = (crc, len(data), size, len(encoded))
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *sizes, 0) + encoded
        body += data
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0, offset
        )
        directory += encoded
    count = len(entries)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(body), 0)
    return bytes(body + directory + end)


def _deflated(content: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content)


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx_bomb(size: int, *, declared: int | None = None, crc_of_declared: bool = True) -> bytes:
    """Return a DOCX-shaped zip whose word/document.xml inflates to size zero bytes.

    With declared, the zip directory claims that many bytes instead, with the CRC-32 of that
    many zeros (crc_of_declared) or of all of them.
    """
    claimed = size if declared is None else declared
    crc = _crc_of_zeros(claimed if crc_of_declared else size)
    return zip_archive(
        [
            ("[Content_Types].xml", *_deflated(CONTENT_TYPES)),
            ("word/document.xml", deflated_zeros(size), crc, claimed),
        ]
    )


def zip_of(files: dict[str, bytes]) -> bytes:
    """Return a zip holding the files."""
    return zip_archive([(name, *_deflated(content)) for name, content in files.items()])
