"""Hostile dataset text in a real browser: every view shows it as literal text, runs none of it.

One DataFrame carries the attack strings everywhere a view prints dataset text: row ids,
class names (so confusion-matrix headers, label menus, chart labels, hover previews), column
names and text cells — HTML that runs script on load (``<img onerror>``), ``<script>``,
``javascript:`` links, a 5,000-character string, right-to-left overrides and zero-width
characters. The dashboard also gets a journal file named with an attack string (its header
shows that path, and the written file's path after an export) and is measured once (the
measure panel names the classes in its table and chart). Each view is one parametrised case.
For each: ``window.__pwned`` stays undefined (after the interaction that shows the most
text), the strings appear verbatim in the page's text, and the view holds no element a
string could have made (no ``<a>``, ``<img>``, ``<script>``, ``<iframe>``, no ``on*``
attribute, no ``javascript:`` URL).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from tests.ui import harness

IMG = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=1</script>"
ANCHOR = '<a href="javascript:window.__pwned=1">click me</a>'
JS_URL = "javascript:window.__pwned=1"
BIDI = "\u202eevil\u202c \u2067rtl\u2069 zero\u200bwidth\u200d\ufeff"
LONG = "W" * 5000
CLASSES = [IMG, SCRIPT, ANCHOR, f"{JS_URL} {BIDI}"]
COL_IMG = "<img src=x onerror=window.__pwned=2>"
COL_SCRIPT = "<script>window.__pwned=3</script>"
TEXTS = [IMG, SCRIPT, ANCHOR, JS_URL, BIDI, LONG]

SETUP = f"""
from tests.factories import blobs_frame, quick_report
from dcml_widgets.state import DatasetState

CLASSES = {CLASSES!r}
TEXTS = {TEXTS!r}
df, _ = blobs_frame(n=60, n_classes=4, n_flipped=6, seed=1)
df["y"] = [CLASSES[int(v[1:])] for v in df["y"]]
df["text"] = [TEXTS[i % len(TEXTS)] for i in range(len(df))]
# The text column first, so every view that lists columns shows it.
df = df[["text", "f0", "f1", "f2", "y"]]
df = df.rename(columns={{"text": {COL_SCRIPT!r}, "f0": {COL_IMG!r}}})
# Row ids that would break out of an HTML attribute if pasted into one.
df.index = ['"><img src=x onerror=window.__pwned=4>#' + str(i) for i in range(len(df))]
state = DatasetState(df, "y", report=quick_report(df))
"""

# Everything a view puts in the page must be inert.
_UNSAFE_JS = """
(selector) => {
  const bad = [];
  const tags = ['a', 'img', 'script', 'iframe', 'object', 'embed', 'image', 'foreignobject'];
  for (const root of document.querySelectorAll(selector)) {
    for (const node of root.querySelectorAll('*')) {
      const tag = node.localName;
      if (tags.includes(tag)) bad.push(`<${tag}>: ${node.outerHTML.slice(0, 160)}`);
      for (const attr of node.attributes) {
        if (/^on/i.test(attr.name)) bad.push(`${tag}[${attr.name}]`);
        const url = /^(href|xlink:href|src|srcdoc|action|formaction|data|poster)$/i;
        if (url.test(attr.name) && /^\\s*javascript:/i.test(attr.value)) {
          bad.push(`${tag}[${attr.name}="${attr.value}"]`);
        }
      }
    }
  }
  // Anywhere in the page (a view might attach a tooltip to <body>).
  for (const node of document.querySelectorAll('img[src="x"], a[href^="javascript:"]')) {
    bad.push(`page: ${node.outerHTML.slice(0, 160)}`);
  }
  return bad;
}
"""

# A dataset string must not widen the view past its output area.
_OVERFLOW_JS = """
(selector) => [...document.querySelectorAll(selector)].map((root) => {
  const area = root.closest('.jp-OutputArea-output') || document.body;
  return [root.getBoundingClientRect().right, area.getBoundingClientRect().right];
})
"""


def _assert_inert(page, root: str) -> None:
    page.wait_for_timeout(300)  # an <img onerror> fires after its load fails: give it time
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate(_UNSAFE_JS, root) == []
    for right, area_right in page.evaluate(_OVERFLOW_JS, root):
        assert right <= area_right + 1, "a long dataset string widened the view"


def _assert_literal(text: str, expected: list[str], where: str) -> None:
    for value in expected:
        assert value in text, f"{value!r} is not shown literally in {where}"


def _class_names_shown(page, root: str) -> None:
    _assert_literal(page.locator(root).first.text_content(), CLASSES, root)


def _grid_rows_shown(page, k, root: str) -> None:
    """Each rendered grid row shows its own id and text cell verbatim (cut if very long)."""
    rows = page.locator(f"{root} .dcml-grid-row[data-pos]")
    rows.first.wait_for()
    positions = [int(p) for p in rows.evaluate_all("(els) => els.map((e) => e.dataset.pos)")]
    values = k.eval_json(f"[[str(i), df.iloc[p, 0]] for p in {positions} for i in [df.index[p]]]")
    assert len(positions) >= 6  # enough rows to cover every kind of hostile text
    texts = rows.evaluate_all("(els) => els.map((e) => e.textContent)")
    for (row_id, cell), text in zip(values, texts, strict=True):
        _assert_literal(text, [row_id, cell[:60]], f"grid row {row_id!r}")
    header = page.locator(root).first.text_content()
    _assert_literal(header, [COL_SCRIPT, COL_IMG], f"{root} column titles")


def _hover_preview(page, k, root: str) -> None:
    """Hover an isolated point: its preview shows the row's id, label and values as text."""
    page.locator(f'{root}[data-ready="1"]').first.wait_for()
    from_center = np.asarray(
        k.eval_json(
            "__import__('dcml_widgets.views.embedding.explorer', fromlist=['x'])"
            ".normalize_layout(state.report.embedding)"
        ),
        dtype=np.float64,
    )
    canvas = page.locator(f"{root} canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    half = box["height"] / 2
    screen = np.column_stack(
        [
            box["x"] + box["width"] / 2 + from_center[:, 0] * half,
            box["y"] + half - from_center[:, 1] * half,
        ]
    )
    gaps = np.hypot(*(screen[:, None, :] - screen[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    preview = page.locator(f"{root} .dcml-embedding-preview").first
    for target in np.argsort(-gaps.min(axis=1))[:5]:
        x, y = screen[target]
        page.mouse.move(x - 15, y - 15)
        page.mouse.move(x, y, steps=4)
        try:
            preview.get_by_text(f"#{target}", exact=False).wait_for(timeout=5_000)
        except Exception:  # the pointer missed: try the next isolated point
            continue
        break
    else:
        raise AssertionError("no hover preview appeared for the five most isolated points")
    row_id, label, cell = k.eval_json(
        f"[str(df.index[{target}]), df['y'].iloc[{target}], df.iloc[{target}, 0]]"
    )
    text = preview.text_content()
    _assert_literal(text, [row_id, label, cell[:60], COL_SCRIPT, COL_IMG], "the hover preview")


@dataclass(frozen=True)
class ViewCase:
    """One view under attack: how to show it, when it is ready and what it must show."""

    cell: str
    root: str
    ready: str
    check: Callable


def _check_embedding(page, k) -> None:
    _hover_preview(page, k, ".dcml-embedding")


def _check_confusion(page, k) -> None:
    _class_names_shown(page, ".dcml-confusion")
    # Clicking a cell selects its rows; the matrix re-renders with the selection shown.
    cell = page.locator('.dcml-confusion td[data-given][data-count]:not([data-count="0"])').first
    count = int(cell.get_attribute("data-count"))
    cell.click()
    assert harness.poll(k, "len(state.selection)", count) == count


def _check_grid(page, k) -> None:
    _grid_rows_shown(page, k, ".dcml-grid")
    _class_names_shown(page, ".dcml-grid")  # the relabel menu lists every class


def _check_dashboard(page, k) -> None:
    _class_names_shown(page, ".dcml-dashboard .dcml-confusion")
    _grid_rows_shown(page, k, ".dcml-dashboard .dcml-grid")
    _hover_preview(page, k, ".dcml-dashboard .dcml-embedding")
    # The balance chart names the classes too.
    balance = page.locator(".dcml-dashboard .dcml-balance").first
    balance.locator(".dcml-balance-name").first.wait_for()  # drawn with data
    _assert_literal(balance.text_content(), CLASSES, "the class balance chart")
    _header_shows_paths(page, k)
    _measure_shows_classes(page, k)


def _header_shows_paths(page, k) -> None:
    """The header shows the journal path, and an export's file path, verbatim."""
    header = page.locator(".dcml-dashboard .dcml-header").first
    journal = k.eval_json("state.journal_path.name")
    assert IMG in journal
    _assert_literal(header.text_content(), [f"Edits saved to {journal}"], "the header")
    header.locator("button[data-action='export_edits']").click()
    status = header.locator(".dcml-header-status", has_text="Wrote ")
    status.wait_for()
    written = k.eval_json("dash.header.status")
    assert IMG in written and status.text_content() == written


def _measure_shows_classes(page, k) -> None:
    """After a measurement, its per-class table and chart name every class verbatim."""
    panel = page.locator(".dcml-dashboard .dcml-measure-panel").first
    panel.locator(".dcml-measure-run").click()
    panel.locator(".dcml-measure-classes tbody tr").first.wait_for()
    chart = panel.locator(".dcml-measure-chart").first
    chart.locator(".dcml-measure-chart-bar").first.wait_for()
    assert k.eval_json("len(dash.measurements)") == 1
    table = panel.locator(".dcml-measure-classes").text_content()
    _assert_literal(table, CLASSES, "the measure table")
    # Each class name is one text node under its bar pair, exactly as given; bar titles too.
    names = chart.locator(".dcml-measure-chart-name").evaluate_all(
        "(els) => els.map((e) => [e.childNodes.length, e.firstChild.nodeType, e.textContent])"
    )
    shown = k.eval_json("[str(c) for c in dash.measurements[0].table.index]")
    assert names == [[1, 3, name] for name in shown] and sorted(shown) == sorted(CLASSES)
    titles = chart.locator(".dcml-measure-chart-after").evaluate_all(
        "(els) => els.filter((e) => e.matches('.dcml-measure-chart-bar')).map((e) => e.title)"
    )
    assert [t.rsplit(": F1 after ", 1)[0] for t in titles] == shown


VIEWS = {
    "embedding": ViewCase(
        "from dcml_widgets.views.embedding.explorer import EmbeddingExplorer\n"
        "EmbeddingExplorer(state, height=400)",
        ".dcml-embedding",
        '.dcml-embedding[data-ready="1"]',
        _check_embedding,
    ),
    "confusion": ViewCase(
        "from dcml_widgets.views.confusion.matrix import ConfusionMatrix\nConfusionMatrix(state)",
        ".dcml-confusion",
        ".dcml-confusion table",
        _check_confusion,
    ),
    "grid": ViewCase(
        "from dcml_widgets.views.grid.relabel_grid import RelabelGrid\nRelabelGrid(state)",
        ".dcml-grid",
        ".dcml-grid-row[data-pos]",
        _check_grid,
    ),
    "dashboard": ViewCase(
        "import uuid\n"
        "from dcml_widgets.session.dashboard import Dashboard\n"
        f"journal = 'dcml-' + {IMG!r} + '-' + uuid.uuid4().hex[:8] + '.jsonl'\n"
        "state = DatasetState(df, 'y', journal=journal, report=state.report)\n"
        "dash = Dashboard(state)\n"
        "dash",
        ".dcml-dashboard",
        ".dcml-dashboard .dcml-grid-row[data-pos]",
        _check_dashboard,
    ),
}


@pytest.mark.ui
@pytest.mark.parametrize("view", list(VIEWS))
def test_hostile_dataset_text_stays_text(page, lab, view):
    case = VIEWS[view]
    name = harness.open_notebook(page, lab, [SETUP, case.cell])
    harness.wait_for_widget(page, case.ready)
    k = harness.kernel(page, name)
    case.check(page, k)
    _assert_inert(page, case.root)
    # The attack strings reached the kernel intact (the test data is what we think it is).
    assert k.eval_json("sorted(set(df['y']))") == sorted(CLASSES)


UNSAFE_VIEW = f'''
import anywidget
import traitlets

class Unsafe(anywidget.AnyWidget):
    # The bug these checks exist to catch: dataset text put into the page as HTML.
    _esm = """
    export default {{
      render({{ model, el }}) {{
        const div = document.createElement("div");
        div.className = "dcml-unsafe";
        div.innerHTML = model.get("text");
        el.append(div);
      }},
    }};
    """
    text = traitlets.Unicode().tag(sync=True)

Unsafe(text={IMG + ANCHOR!r})
'''


@pytest.mark.ui
def test_the_checks_catch_a_view_that_renders_data_as_html(page, lab):
    harness.open_notebook(page, lab, [UNSAFE_VIEW])
    view = harness.wait_for_widget(page, ".dcml-unsafe")
    with pytest.raises(AssertionError, match="not shown literally"):
        _assert_literal(view.text_content(), [IMG, ANCHOR], "the unsafe view")
    with pytest.raises(AssertionError):
        _assert_inert(page, ".dcml-unsafe")
    assert page.evaluate("() => window.__pwned") == 1  # the injected handler did run
