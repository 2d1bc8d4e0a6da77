"""EmbeddingExplorer in real JupyterLab + Chromium (software WebGL): select, highlight, colour,
hover. Every expectation is computed here from the report's coordinates and the page geometry,
not read back from the view."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ui import harness

ROOT = ".dcml-embedding"
HOSTILE = '<img src=x onerror="window.__pwned=1"><b>bold</b>'


def _cells(n: int = 300, spread: bool = False) -> list[str]:
    """Notebook cells building the explorer; ``spread`` swaps the report's clustered layout for
    a seeded uniform one, so edges can cut through the cloud with clearance around them."""
    layout = (
        "rng = __import__('numpy').random.default_rng(7)\n"
        "xy = rng.uniform(-3, 3, size=(len(df), 2)).astype('float32')\n"
        "report = report.replace(embedding=xy)\n"
        if spread
        else ""
    )
    return [
        "from tests.factories import blobs_frame, quick_report\n"
        "from dcml_widgets.state import DatasetState\n"
        "from dcml_widgets.views.embedding.explorer import EmbeddingExplorer\n"
        f"df, _ = blobs_frame(n={n}, seed=3)\n"
        f"df['text'] = [{HOSTILE!r} + f' row {{i}}' for i in range(len(df))]\n"
        "report = quick_report(df)\n"
        f"{layout}"
        "state = DatasetState(df, 'y', report=report)\n"
        "w = EmbeddingExplorer(state, height=420)",
        "w",
    ]


def _open(page, lab, spread: bool = False):
    name = harness.open_notebook(page, lab, _cells(spread=spread))
    page.locator(f'{ROOT}[data-ready="1"]').wait_for(timeout=30_000)
    return harness.kernel(page, name)


def _screen_points(page, k) -> tuple[np.ndarray, dict]:
    """Where each point is drawn, from the report's layout and the canvas box alone.

    The documented mapping: the layout's bounding-box midpoint goes to the centre, its longer
    side spans 95% of [-1, 1]; after a reset, [-1, 1] fills a square of the plot's height,
    centred, y upwards.
    """
    xy = np.asarray(k.eval_json("state.report.embedding.tolist()"), dtype=np.float64)
    lo, hi = xy.min(0), xy.max(0)
    unit = (xy - (lo + hi) / 2) * (0.95 / ((hi - lo).max() / 2))
    box = page.locator(f"{ROOT} canvas").first.bounding_box()
    half = box["height"] / 2
    sx = box["x"] + box["width"] / 2 + unit[:, 0] * half
    sy = box["y"] + half - unit[:, 1] * half
    return np.column_stack([sx, sy]), box


def _quiet_rectangle(screen: np.ndarray, box: dict, margin: float = 3.0):
    """A rectangle around the middle of the cloud with no point within ``margin`` px of an edge."""
    cx, cy = np.median(screen, axis=0)
    for grow in np.linspace(60, 140, 41):
        x0, x1, y0, y1 = cx - grow, cx + grow * 0.6, cy - grow * 0.7, cy + grow * 0.5
        near = ((np.abs(screen[:, 0] - x0) < margin) | (np.abs(screen[:, 0] - x1) < margin)) & (
            screen[:, 1] > y0 - margin
        ) & (screen[:, 1] < y1 + margin) | (
            (np.abs(screen[:, 1] - y0) < margin) | (np.abs(screen[:, 1] - y1) < margin)
        ) & (screen[:, 0] > x0 - margin) & (screen[:, 0] < x1 + margin)
        inside = box["x"] < x0 and x1 < box["x"] + box["width"]
        if not near.any() and inside:
            return x0, y0, x1, y1
    raise AssertionError("no rectangle free of boundary points found")


def _edge_distance(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Each point's distance (px) to the nearest edge of the closed ``polygon``."""
    a = polygon
    b = np.roll(polygon, -1, axis=0)
    ab = b - a  # (E, 2)
    ap = points[:, None, :] - a[None, :, :]  # (N, E, 2)
    t = np.clip((ap * ab).sum(-1) / (ab * ab).sum(-1), 0.0, 1.0)
    nearest = a[None] + t[..., None] * ab[None]
    return np.hypot(*(points[:, None, :] - nearest).transpose(2, 0, 1)).min(axis=1)


def _inside_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Even-odd rule: a ray to the right from each point crosses an odd number of edges."""
    px, py = points[:, 0:1], points[:, 1:2]
    x1, y1 = polygon[:, 0], polygon[:, 1]
    x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
    straddles = (y1 > py) != (y2 > py)
    with np.errstate(divide="ignore", invalid="ignore"):
        cross_x = x1 + (py - y1) * (x2 - x1) / (y2 - y1)
    return ((straddles & (px < cross_x)).sum(axis=1) % 2) == 1


def _quiet_l_shape(screen: np.ndarray, box: dict, margin: float = 4.0) -> np.ndarray:
    """A concave "L" over the cloud with no point within ``margin`` px of an edge, and points
    inside it, outside it, in its notch (inside its bounding box but outside the L), and close
    to its edges on both sides. Of the candidates tried, the one holding the most points wins.

    The search is seeded, so the same layout and canvas give the same L."""
    rng = np.random.default_rng(0)
    unit = np.array([(0, 0), (1, 0), (1, 0.45), (0.45, 0.45), (0.45, 1), (0, 1)], dtype=float)
    best, best_count = None, 0
    for _ in range(5_000):
        flip = rng.choice([-1.0, 1.0], size=2)  # which corner the notch faces
        size = rng.uniform(70, 220)
        centre = screen[rng.integers(len(screen))] + rng.normal(0, 20, size=2)
        polygon = np.round(centre + (unit - 0.5) * flip * size)
        lo, hi = polygon.min(0), polygon.max(0)
        if not (box["x"] + 5 < lo[0] and hi[0] < box["x"] + box["width"] - 5):
            continue
        if not (box["y"] + 5 < lo[1] and hi[1] < box["y"] + box["height"] - 5):
            continue
        distance = _edge_distance(screen, polygon)
        if (distance < margin).any():
            continue
        inside = _inside_polygon(screen, polygon)
        in_box = ((screen > lo) & (screen < hi)).all(axis=1)
        # The edges must cut through the cloud: points close to them on both sides.
        near = distance < 15
        count = int(inside.sum())
        if (
            best_count < count < len(screen) - 10
            and (in_box & ~inside).sum() >= 3
            and (near & inside).sum() >= 3
            and (near & ~inside).sum() >= 3
        ):
            best, best_count = polygon, count
    if best_count < 10:
        raise AssertionError("no L shape free of boundary points found")
    return best


@pytest.mark.ui
def test_box_select_sets_exactly_the_points_inside_and_python_select_highlights(page, lab):
    k = _open(page, lab)
    screen, box = _screen_points(page, k)
    x0, y0, x1, y1 = _quiet_rectangle(screen, box)
    inside = (screen[:, 0] > x0) & (screen[:, 0] < x1) & (screen[:, 1] > y0) & (screen[:, 1] < y1)
    ids = k.eval_json("state.ids.tolist()")
    expected = sorted(ids[i] for i in np.flatnonzero(inside))
    assert 5 < len(expected) < len(ids)

    page.locator(f'{ROOT} button[data-mode="box"]').click()
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=5)
    page.mouse.move(x1, y1, steps=5)
    page.mouse.up()

    got = harness.poll(k, "sorted(state.selection.tolist())", expected)
    assert got == expected
    page.locator(f'{ROOT}[data-selected="{len(expected)}"]').wait_for(timeout=5_000)

    # A selection made in Python (as the grid or confusion matrix would) highlights here.
    k.run("state.select(state.ids[10:40])")
    page.locator(f'{ROOT}[data-selected="30"]').wait_for(timeout=10_000)
    selected = page.evaluate(
        "() => document.querySelector('.dcml-embedding .dcml-embedding-status').textContent"
    )
    assert "30 selected" in selected
    # ...and the synced selection trait is binary (uint32 positions), never a JSON list.
    assert k.eval_json("type(w._selection).__name__") == "bytes"
    assert k.eval_json("len(w._selection)") == 30 * 4


@pytest.mark.ui
def test_lasso_selects_exactly_the_points_inside_a_concave_path(page, lab):
    k = _open(page, lab, spread=True)
    screen, box = _screen_points(page, k)
    polygon = _quiet_l_shape(screen, box)
    inside = _inside_polygon(screen, polygon)
    ids = k.eval_json("state.ids.tolist()")
    expected = sorted(ids[i] for i in np.flatnonzero(inside))
    assert 5 < len(expected) < len(ids) - 5
    # The notch matters: some points in the L's bounding box lie outside the L.
    lo, hi = polygon.min(0), polygon.max(0)
    assert (((screen > lo) & (screen < hi)).all(axis=1) & ~inside).sum() >= 3

    page.locator(f'{ROOT} button[data-mode="lasso"]').click()
    page.locator(f'{ROOT} button[data-mode="lasso"].dcml-embedding-active').wait_for()
    page.mouse.move(float(polygon[0, 0]), float(polygon[0, 1]))
    page.mouse.down()
    # Walk every edge in ~4 px steps and come back to the start, so the sampled path is the L.
    for a, b in zip(polygon, np.roll(polygon, -1, axis=0), strict=True):
        page.mouse.move(float(b[0]), float(b[1]), steps=max(2, int(np.hypot(*(b - a)) // 4)))
    page.wait_for_timeout(50)
    page.mouse.up()

    got = harness.poll(k, "sorted(state.selection.tolist())", expected)
    assert got == expected
    page.locator(f'{ROOT}[data-selected="{len(expected)}"]').wait_for(timeout=5_000)


@pytest.mark.ui
def test_colour_switch_and_edits_recolour(page, lab):
    k = _open(page, lab)
    assert page.locator(ROOT).get_attribute("data-color-by") == "label"
    page.locator(f"{ROOT} select.dcml-embedding-color").select_option("score")
    page.locator(f'{ROOT}[data-color-by="score"]').wait_for(timeout=10_000)
    assert harness.poll(k, "w.color_by", "score") == "score"
    page.locator(f"{ROOT} .dcml-embedding-ramp").wait_for(timeout=5_000)

    k.run("w.color_by = 'status'")
    page.locator(f'{ROOT}[data-color-by="status"]').wait_for(timeout=10_000)
    legend = page.locator(f"{ROOT} .dcml-embedding-legend")
    assert "unchanged 300" in legend.inner_text().replace("\n", " ")

    # An edit elsewhere recolours by a diff: two rows become "edited", one "excluded".
    k.run(
        "first = state.ids[0]; second = state.ids[1]\n"
        "other = [c for c in state.classes if c != state.labels.iloc[0]][0]\n"
        "state.relabel([first], other)\n"
        "other = [c for c in state.classes if c != state.labels.iloc[1]][0]\n"
        "state.relabel([second], other)\n"
        "state.exclude([state.ids[2]])"
    )
    legend.locator("text=edited").wait_for(timeout=10_000)
    page.wait_for_function(
        "() => /edited\\s*2/.test(document.querySelector('.dcml-embedding-legend').innerText)"
        " && /excluded\\s*1/.test(document.querySelector('.dcml-embedding-legend').innerText)",
        timeout=10_000,
    )
    assert "unchanged 297" in legend.inner_text().replace("\n", " ")

    # The legend toggles a class off and on (the scatter filters it out, the legend says so).
    item = legend.locator('button[data-code="0"]')
    item.click()
    legend.locator('button[data-code="0"].dcml-embedding-off').wait_for(timeout=5_000)
    item.click()
    legend.locator('button[data-code="0"]:not(.dcml-embedding-off)').wait_for(timeout=5_000)


@pytest.mark.ui
def test_hover_preview_is_text_and_click_focuses(page, lab):
    k = _open(page, lab)
    screen, _ = _screen_points(page, k)
    # A point with no neighbour within 8 px, so the pointer lands on it alone.
    d = np.hypot(*(screen[:, None, :] - screen[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(d, np.inf)
    target = int(np.argmax(d.min(axis=1) >= 8))
    assert d[target].min() >= 8
    x, y = screen[target]
    page.mouse.move(x - 20, y - 20)
    page.mouse.move(x, y, steps=4)
    preview = page.locator(f"{ROOT} .dcml-embedding-preview")
    preview.wait_for(state="visible", timeout=10_000)
    text = preview.inner_text()
    assert f"row {target}" in text
    assert HOSTILE in text  # shown literally, as text
    assert preview.locator("img, b, script").count() == 0
    assert page.evaluate("() => window.__pwned === undefined")

    page.mouse.click(x, y)
    assert harness.poll(k, "state.focus", k.eval_json(f"state.ids[{target}]")) == k.eval_json(
        f"state.ids[{target}]"
    )
    # A click focuses; it does not replace the selection.
    assert k.eval_json("len(state.selection)") == 0

    # UMAP replaces the first layout: the points move there, and hovering the row at its new
    # place previews it.
    k.run(
        "import numpy as np\n"
        "e = state.report.embedding\n"
        "moved = np.column_stack([-e[:, 1], e[:, 0] * 0.5]).astype(np.float32)\n"
        "state.set_report(state.report.replace(embedding=moved, embedding_method='umap'))"
    )
    page.locator(f'{ROOT}[data-revision="2"][data-ready="1"]').wait_for(timeout=15_000)
    page.wait_for_timeout(800)  # the move is animated
    assert "umap" in page.locator(f"{ROOT} .dcml-embedding-status").inner_text()
    page.mouse.move(5, 5)
    preview.wait_for(state="hidden", timeout=5_000)
    screen, _ = _screen_points(page, k)
    d = np.hypot(*(screen[:, None, :] - screen[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(d, np.inf)
    target = int(np.argmax(d.min(axis=1) >= 8))
    x, y = screen[target]
    page.mouse.move(x - 20, y - 20)
    page.mouse.move(x, y, steps=4)
    preview.wait_for(state="visible", timeout=10_000)
    assert f"row {target}" in preview.inner_text()


# The colour of the canvas pixel at page point (x, y), and a legend swatch's colour, as RGB.
PIXEL_JS = """([x, y]) => {
  const c = document.querySelector('.dcml-embedding canvas');
  const r = c.getBoundingClientRect();
  const s = c.width / r.width;
  const d = c.getContext('2d')
    .getImageData(Math.round((x - r.left) * s), Math.round((y - r.top) * s), 1, 1).data;
  return [d[0], d[1], d[2]];
}"""
SWATCH_JS = """(code) => getComputedStyle(document.querySelector(
  `.dcml-embedding-legend-item[data-code="${code}"] .dcml-embedding-swatch`)).backgroundColor
  .match(/\\d+/g).slice(0, 3).map(Number)"""


def _painted(page, x: float, y: float) -> list[int]:
    """The pixel at (x, y) when the view says it painted an edit before its full redraw.

    Call it just after the edit: it watches for the view's ``data-exact="0"`` (set as the
    edit's colours are painted, in the same task) and reads the pixel then.
    """
    page.evaluate(
        f"""([x, y]) => {{
          window.__quick = null;
          const view = document.querySelector('{ROOT}');
          if (view.dataset.exact === '0') {{ window.__quick = ({PIXEL_JS})([x, y]); return; }}
          const obs = new MutationObserver(() => {{
            if (view.dataset.exact !== '0') return;
            window.__quick = ({PIXEL_JS})([x, y]);
            obs.disconnect();
          }});
          obs.observe(view, {{attributes: true, attributeFilter: ['data-exact']}});
        }}""",
        [x, y],
    )
    page.wait_for_function("() => window.__quick !== null", timeout=10_000)
    return page.evaluate("() => window.__quick")


def _near(a, b, tol: int = 6) -> bool:
    return all(abs(int(u) - int(v)) <= tol for u, v in zip(a, b, strict=True))


@pytest.mark.ui
def test_a_relabelled_point_shows_its_new_class_colour_then_and_after_a_pan(page, lab):
    k = _open(page, lab, spread=True)
    screen, box = _screen_points(page, k)
    gaps = np.hypot(*(screen[:, None, :] - screen[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    margin = 60  # room for the pan below
    inside = (
        (screen[:, 0] > box["x"] + margin)
        & (screen[:, 0] < box["x"] + box["width"] - margin)
        & (screen[:, 1] > box["y"] + margin)
        & (screen[:, 1] < box["y"] + box["height"] - margin)
    )
    lonely = np.flatnonzero((gaps.min(axis=1) > 14) & inside)
    assert len(lonely) > 0
    i = int(lonely[0])
    x, y = screen[i]
    classes = k.eval_json("[str(c) for c in state.classes]")
    now = classes.index(k.eval_json(f"str(state.labels.iloc[{i}])"))
    target = (now + 1) % len(classes)
    assert _near(page.evaluate(PIXEL_JS, [x, y]), page.evaluate(SWATCH_JS, now))

    k.run(f"state.relabel([state.ids[{i}]], state.classes[{target}])")
    want = page.evaluate(SWATCH_JS, target)
    assert _near(_painted(page, x, y), want)
    # The exact redraw of every point follows; the point keeps its new colour.
    page.locator(f'{ROOT}[data-exact="1"]').wait_for(timeout=10_000)
    assert _near(page.evaluate(PIXEL_JS, [x, y]), want)

    # A pan redraws every point: the point moved with the drag, still in its new colour, and
    # no point is left where it was (the drag is chosen so none lands there either).
    dx, dy = next(
        (dx, dy)
        for dx, dy in ((20, 30), (-25, 20), (30, -20), (-20, -30), (35, 5))
        if np.hypot(screen[:, 0] + dx - x, screen[:, 1] + dy - y).min() > 10
    )
    page.mouse.move(x + 7, y + 7)
    page.mouse.down()
    page.mouse.move(x + 7 + dx, y + 7 + dy, steps=6)
    page.mouse.up()
    page.wait_for_timeout(300)
    assert _near(page.evaluate(PIXEL_JS, [x + dx, y + dy]), want)
    assert not _near(page.evaluate(PIXEL_JS, [x, y]), want)

    # A selected point, relabelled (as a bulk edit of the selection does), shows it too.
    k.run(f"state.select([state.ids[{i}]])")
    page.locator(f'{ROOT}[data-selected="1"]').wait_for(timeout=10_000)
    again = (target + 1) % len(classes)
    k.run(f"state.relabel([state.ids[{i}]], state.classes[{again}])")
    assert _near(_painted(page, x + dx, y + dy), page.evaluate(SWATCH_JS, again))
