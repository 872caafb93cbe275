"""Upload bombs: an .xlsx that unpacks to far more than its size is refused before openpyxl parses it."""

import io
import random
import tracemalloc
import zipfile

import pytest

from pinghu.imports import reading
from pinghu.imports.reading import ImportRefused, read_table
from tests.importfiles import xlsx_bytes

HEADERS = ["名称", "备注"]
MB = 1024 * 1024


SHARED_STRINGS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    b"<si><t>%s</t></si></sst>"
)
SHARED_STRINGS_LINK = (
    b'<Relationship Id="rIdShared" Target="sharedStrings.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
)
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def _with_cell(text: bytes, *, shared: bool = True) -> bytes:
    """A real workbook (header and one row) whose cell B2 is ``text``, in sharedStrings.xml or inline in the sheet."""
    original = xlsx_bytes([HEADERS, ["甲公司", "PLACEHOLDER"]])
    inline = b'<c r="B2" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        parts = {member.filename: source.read(member) for member in source.infolist()}
        sheet = parts["xl/worksheets/sheet1.xml"]
        assert inline in sheet
        if shared:
            parts["xl/worksheets/sheet1.xml"] = sheet.replace(inline, b'<c r="B2" t="s"><v>0</v></c>')
            parts["xl/sharedStrings.xml"] = SHARED_STRINGS % text
            parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
                b"</Relationships>", SHARED_STRINGS_LINK
            )
            parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", SHARED_STRINGS_TYPE)
        else:
            parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"PLACEHOLDER", text)
        for name, content in parts.items():
            target.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def _refusal(data: bytes) -> str:
    with pytest.raises(ImportRefused) as refused:
        read_table(data, "bomb.xlsx")
    return str(refused.value)


@pytest.mark.parametrize(("shared", "part"), [(True, "xl/sharedStrings.xml"), (False, "xl/worksheets/sheet1.xml")])
def test_a_zip_bomb_cell_is_refused_before_parsing_with_little_memory(shared, part):
    data = _with_cell(b"a" * (64 * MB), shared=shared)  # 64 MB of one character pack into about 64 KB
    assert len(data) < 200 * 1024
    tracemalloc.start()
    try:
        message = _refusal(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message.startswith(f"bomb.xlsx 被拒绝：其中的 {part} 压缩了")
    assert peak < 20 * MB, peak


def test_an_xlsx_that_unpacks_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 4 * 1024)
    assert "解压后" in _refusal(xlsx_bytes([HEADERS, ["甲公司", "x" * 5000]]))


@pytest.mark.parametrize("shared", [True, False])
def test_a_long_cell_that_packs_badly_is_refused_by_the_scan(shared):
    noise = "".join(random.Random(15).choices("abcdefghijklmnopqrstuvwxyz0123456789", k=400 * 1024))
    data = _with_cell(noise.encode(), shared=shared)
    assert _refusal(data) == "bomb.xlsx 被拒绝：有单元格超过 32,767 个字符（Excel 单元格的上限）。"


def test_a_part_openpyxl_reads_whole_is_limited(monkeypatch):
    monkeypatch.setattr(reading, "MAX_SHARED_STRINGS_BYTES", 16 * 1024)
    noise = "".join(random.Random(15).choices("abcdefghij", k=20_000))
    assert "xl/sharedStrings.xml 解压后有" in _refusal(_with_cell(noise.encode()))
    monkeypatch.setattr(reading, "MAX_PART_BYTES", 2 * 1024)
    assert "xl/theme/theme1.xml 解压后有" in _refusal(_with_cell(b"short"))


@pytest.mark.parametrize("shared", [True, False])
def test_a_cell_over_excels_limit_is_refused_while_reading(shared):
    message = _refusal(_with_cell(("长" * 40_000).encode(), shared=shared))
    assert message == "第 2 行“备注”列：单元格有 40,000 个字符，一个单元格最多 32,767 个字符。"


@pytest.mark.parametrize("shared", [True, False])
def test_an_ordinary_workbook_still_reads(shared):
    dataset = read_table(_with_cell(("长" * 30_000).encode(), shared=shared), "ok.xlsx")
    assert dataset.dict == [{"名称": "甲公司", "备注": "长" * 30_000}] and dataset.row_numbers == [2]
