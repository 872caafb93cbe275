"""Memory a worker needs to refuse an upload bomb (issue 15: under 100 MB of growth for any refused file).

Each case runs ``read_table`` in a fresh Python process and reports the growth of its resident
memory (sampled every 5 ms from /proc/self/statm) over the process's state with the file's bytes
already in memory (an upload is held whole, up to 20 MB, before it is read), and, in a second
run, the peak of Python allocations (``tracemalloc``). Cases:

- **bomb-shared**: a 209 KB-class .xlsx whose one shared string is 200 MB of one character;
- **bomb-inline**: the same 200 MB cell written inline in the worksheet;
- **long-noise**: one 400 KB cell of random letters (packs badly: the ratio check cannot see it);
- **many-styles**: a styles part just under ``MAX_PART_BYTES`` (varied cell formats, so that it packs
  under the ratio), with one cell over Excel's limit;
- **bomb-100MB**: one shared string of 100 MB (under the total, refused by its packing ratio);
- **many-strings**: a shared-strings part just under ``MAX_SHARED_STRINGS_BYTES`` made of short distinct
  strings, with one cell over Excel's 32,767 characters: parsed whole, then refused while reading
  (the worst refused file the archive checks let through).

    .venv/bin/python bench/bench_import_bombs.py   (no database needed)
"""

import io
import json
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
SHARED = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s</sst>'
)
LINK = (
    b'<Relationship Id="rIdShared" Target="sharedStrings.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
)
TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def workbook(cell: bytes, *, shared: bool, extra_strings: list[bytes] = ()) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["名称", "备注"])
    book.active.append(["甲公司", "PLACEHOLDER"])
    buffer = io.BytesIO()
    book.save(buffer)
    inline = b'<c r="B2" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>'
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        parts = {member.filename: source.read(member) for member in source.infolist()}
        sheet = parts["xl/worksheets/sheet1.xml"]
        if shared:
            parts["xl/worksheets/sheet1.xml"] = sheet.replace(inline, b'<c r="B2" t="s"><v>0</v></c>')
            items = [b"<si><t>%s</t></si>" % text for text in [cell, *extra_strings]]
            parts["xl/sharedStrings.xml"] = SHARED % b"".join(items)
            parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", LINK)
            parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", TYPE)
        else:
            parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"PLACEHOLDER", cell)
        for name, content in parts.items():
            target.writestr(name, content, compresslevel=9)
    return out.getvalue()


def cases() -> dict[str, bytes]:
    from pinghu.imports.reading import MAX_PART_BYTES, MAX_SHARED_STRINGS_BYTES

    rng = random.Random(15)
    noise = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=400 * 1024)).encode()
    strings, size = [], 0
    while size < MAX_SHARED_STRINGS_BYTES - 64 * 1024:
        text = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=6)).encode()
        strings.append(text)
        size += len(text) + 17
    styles = workbook(b"x", shared=False)
    with zipfile.ZipFile(io.BytesIO(styles)) as source:
        parts = {member.filename: source.read(member) for member in source.infolist()}
    xfs = [b'<xf numFmtId="%d" fontId="0" fillId="%d" borderId="0"/>' % (rng.randrange(50), rng.randrange(2))]
    while len(xfs) * len(xfs[0]) < MAX_PART_BYTES - 64 * 1024:
        xfs.append(b'<xf numFmtId="%d" fontId="0" fillId="%d" borderId="0"/>' % (rng.randrange(50), rng.randrange(2)))
    parts["xl/styles.xml"] = parts["xl/styles.xml"].replace(
        b'<cellXfs count="1">', b'<cellXfs count="%d">' % (len(xfs) + 1) + b"".join(xfs)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            if name == "xl/worksheets/sheet1.xml":
                assert b"<t>x</t>" in content
                content = content.replace(b"<t>x</t>", b"<t>" + "长".encode() * 40_000 + b"</t>")
            target.writestr(name, content)
    return {
        "many-styles": out.getvalue(),
        "bomb-100MB": workbook(b"a" * (100 * MB), shared=True),
        "bomb-shared": workbook(b"a" * (200 * MB), shared=True),
        "bomb-inline": workbook(b"a" * (200 * MB), shared=False),
        "long-noise": workbook(noise, shared=True),
        "many-strings": workbook("长".encode() * 40_000, shared=True, extra_strings=strings),
    }


def setup_django() -> None:
    """Django with the project's settings; reading a file needs no database (an in-memory SQLite stands by)."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinghu.settings")
    os.environ["DATABASE_URL"] = "sqlite:///:memory:"
    django.setup()


CHILD = """
import resource, sys, tracemalloc
sys.path.insert(0, {bench!r})
from bench_import_bombs import setup_django
setup_django()
from pinghu.imports.reading import ImportRefused, read_table
data = open({path!r}, "rb").read()
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize() / 2**20
before = rss()
peak_rss = before
import threading, time
done = False
def watch():
    global peak_rss
    while not done:
        peak_rss = max(peak_rss, rss())
        time.sleep(0.005)
watcher = threading.Thread(target=watch)
watcher.start()
tracemalloc.start() if {traced!r} else None
try:
    read_table(data, "bomb.xlsx")
    outcome = "read"
except ImportRefused as refusal:
    outcome = str(refusal)
peak = tracemalloc.get_traced_memory()[1] if {traced!r} else 0
done = True
watcher.join()
print(json.dumps({{"outcome": outcome, "rss_growth_mb": peak_rss - before, "traced_peak_mb": peak / 2**20}}))
"""


def main() -> None:
    setup_django()
    folder = Path("/tmp/pinghu-bombs")
    folder.mkdir(exist_ok=True)
    for name, data in cases().items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(data)
        figures = {}
        for traced in (False, True):  # tracemalloc costs memory of its own: RSS is measured without it
            code = "import json\n" + CHILD.format(bench=str(ROOT / "bench"), path=str(path), traced=traced)
            result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
            measured = json.loads(result.stdout.strip().splitlines()[-1])
            figures.setdefault("rss_growth_mb", measured["rss_growth_mb"])
            figures["traced_peak_mb"] = measured["traced_peak_mb"]
            figures["outcome"] = measured["outcome"]
        print(
            f"{name:13} {len(data) / 1024:8.0f} KB  RSS +{figures['rss_growth_mb']:6.1f} MB  "
            f"traced peak {figures['traced_peak_mb']:6.1f} MB  {figures['outcome'][:90]}"
        )


if __name__ == "__main__":
    main()
