"""The dashboard served by Voilà, in Chromium: it renders, edits reach the kernel and are
journaled per visitor, and no request leaves this machine."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from tests.ui import apps

# The README's advice for Voilà: one journal per visitor (they share the working directory).
CELLS = [
    "import uuid\nimport dcml_widgets as dw",
    "df = dw.datasets.demo(n_rows=300)\n"
    'dash = dw.audit(df, label="digit", journal=f".dcml/visitor-{uuid.uuid4().hex}.jsonl")\n'
    "dash",
]
# The template the wheel installs under <prefix>/share/jupyter (hatch shared-data), found here
# as if installed.
SHARE = Path(__file__).resolve().parents[2] / "share" / "jupyter"
FIRST_LOAD_MS = 180_000  # the notebook runs the analysis before the page shows it


@pytest.fixture(scope="module")
def voila_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[apps.AppServer]:
    root = tmp_path_factory.mktemp("voila")
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in CELLS],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, root / "audit.ipynb")
    server = apps.start_app(
        lambda port: [
            sys.executable,
            "-m",
            "voila",
            "audit.ipynb",
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--template=dcml",
        ],
        root,
        jupyter_path=SHARE,
    )
    yield server
    server.stop()


def test_dashboard_in_voila_renders_offline_and_journals_edits(page, voila_app):
    refused = apps.guard_requests(page)
    page.goto(voila_app.url, wait_until="commit")  # Voilà streams the page as cells run
    for selector in (
        ".dcml-dashboard .dcml-header",
        ".dcml-dashboard .dcml-embedding-canvas",
        ".dcml-dashboard .dcml-confusion-cell",
        ".dcml-dashboard .dcml-grid-row[data-pos]",
    ):
        page.locator(selector).first.wait_for(timeout=FIRST_LOAD_MS), refused
    header = page.locator(".dcml-header-journal", has_text="visitor-").first
    # "Edits saved to .dcml/visitor-<uuid>.jsonl ...": this visitor's own file (the server's
    # start-up probe was another visitor, with another file).
    name = re.search(r"visitor-[0-9a-f]{32}\.jsonl", header.inner_text()).group(0)
    journal = voila_app.root / ".dcml" / name

    # A relabel in the grid reaches the kernel: this visitor's journal records it.
    row = page.locator(".dcml-grid-row[data-pos]").first
    select = row.locator("select.dcml-grid-relabel")
    target = next(
        o for o in select.locator("option").all_inner_texts() if o != select.input_value()
    )
    select.select_option(label=target)
    page.locator(".dcml-header-edits", has_text="1 edit ·").first.wait_for()
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    assert len(records) == 2  # the header line, then the one edit
    assert str(target) in json.dumps(records[1])
    assert refused == [], voila_app.log_tail()
