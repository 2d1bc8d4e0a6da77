"""ConfusionMatrix in a real JupyterLab: clicks and keys select exactly a cell's rows in Python,
edits in Python move the numbers in the page, and hostile class names stay text."""

from __future__ import annotations

import pytest

from tests.ui import harness

HOSTILE = {
    "c0": "<img src=x onerror=window.__pwned=1>",
    "c1": "b &amp; <b>bold</b>",
    "c2": "<script>window.__pwned=2</script>",
}

CELLS = [
    "import numpy as np\n"
    "from dcml_widgets.state import DatasetState\n"
    "from dcml_widgets.views.confusion.matrix import ConfusionMatrix\n"
    "from tests.factories import blobs_frame, quick_report\n"
    "df, _ = blobs_frame(n=90, n_classes=3, n_flipped=9, seed=2)\n"
    f"df['y'] = df['y'].map({HOSTILE!r})\n"
    "state = DatasetState(df, 'y', report=quick_report(df))\n"
    "cm = ConfusionMatrix(state)\n"
    "C = state.classes\n"
    "def cell_ids(i, j):\n"
    "    keep = (state.labels == C[i]) & (state.report.predicted == C[j]) & ~state.excluded\n"
    "    return sorted(state.ids[keep.to_numpy()].tolist())\n"
    "M = cm.matrix.to_numpy().copy()\n"
    "np.fill_diagonal(M, 0)\n"
    "PAIRS = [[int(v) for v in np.unravel_index(f, M.shape)]\n"
    "         for f in np.argsort(-M, axis=None, kind='stable')[:2]]",
    "cm",
]


def cell(page, i: int, j: int):
    return page.locator(f'.dcml-confusion td[data-given="{i}"][data-predicted="{j}"]')


def selection(k) -> list:
    return k.eval_json("sorted(state.selection.tolist())")


@pytest.mark.ui
def test_click_selects_the_cells_rows_and_python_edits_move_the_numbers(page, lab):
    name = harness.open_notebook(page, lab, CELLS)
    harness.wait_for_widget(page, ".dcml-confusion table")
    k = harness.kernel(page, name)
    (i, j), (i2, j2) = k.eval_json("PAIRS")  # the two most confused cells

    # Hostile class names are text in headers and in the top-confusions list.
    names = k.eval_json("[str(c) for c in C]")
    heads = page.locator(".dcml-confusion thead th[data-axis]").all_text_contents()
    assert sorted(heads) == sorted(names)
    pairs = page.locator(".dcml-confusion-pair").all_text_contents()
    assert pairs[0] == f"{names[i]} → {names[j]}"
    assert (
        page.locator(".dcml-confusion img, .dcml-confusion b, .dcml-confusion script").count() == 0
    )
    assert page.evaluate("() => window.__pwned === undefined")

    # Click: the kernel's selection is exactly that cell's rows.
    want = k.eval_json(f"cell_ids({i}, {j})")
    assert len(want) > 0
    cell(page, i, j).click()
    page.wait_for_function(
        "() => document.querySelector('.dcml-confusion td.dcml-confusion-selected')"
    )
    assert selection(k) == want
    assert "dcml-confusion-selected" in cell(page, i, j).get_attribute("class")

    # Shift-click adds a second cell.
    cell(page, i2, j2).click(modifiers=["Shift"])
    page.wait_for_function(
        "() => document.querySelectorAll('.dcml-confusion td.dcml-confusion-selected').length === 2"
    )
    assert selection(k) == sorted(want + k.eval_json(f"cell_ids({i2}, {j2})"))

    # A relabel in Python moves the numbers in the page and marks the cell as edited.
    t = (i + 1) % 3
    before = int(cell(page, t, j).get_attribute("data-count"))
    k.run(f"state.relabel(cell_ids({i}, {j}), C[{t}], source='bulk')")
    after = before + len(want)
    cell(page, t, j).and_(page.locator(f'[data-count="{after}"]')).wait_for()
    assert cell(page, i, j).get_attribute("data-count") == "0"
    assert cell(page, t, j).text_content() == f"{after}✎{len(want)}"

    # Undo moves them back.
    k.run("state.undo()")
    cell(page, t, j).and_(page.locator(f'[data-count="{before}"]')).wait_for()
    assert cell(page, i, j).get_attribute("data-count") == str(len(want))


@pytest.mark.ui
def test_keyboard_enter_on_a_focused_cell_selects_it(page, lab):
    name = harness.open_notebook(page, lab, CELLS)
    harness.wait_for_widget(page, ".dcml-confusion table")
    k = harness.kernel(page, name)
    cell(page, 0, 0).focus()
    page.keyboard.press("ArrowDown")  # focus moves to (given 1, predicted 0)
    assert cell(page, 1, 0).evaluate("(node) => node === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.dcml-confusion td.dcml-confusion-selected')"
    )
    assert selection(k) == k.eval_json("cell_ids(1, 0)")
    # A class header is reachable too: Left from (1, 0) lands on the row header.
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.dcml-confusion tbody th.dcml-confusion-selected')"
    )
    mask = "((state.labels == C[1]) & ~state.excluded).to_numpy()"
    assert selection(k) == k.eval_json(f"sorted(state.ids[{mask}].tolist())")


WIDE_CELLS = [
    "import numpy as np, pandas as pd\n"
    "from dcml_widgets.analysis.report import AuditReport\n"
    "from dcml_widgets.state import DatasetState\n"
    "from dcml_widgets.views.confusion.matrix import ConfusionMatrix\n"
    "rng = np.random.default_rng(0)\n"
    "K, N = 100, 3000\n"
    "classes = np.array([f'class {i:03d}' for i in range(K)], dtype=object)\n"
    "codes = rng.integers(0, K, N)\n"
    "# predictions: mostly right; wrong ones go to class + 1, more often for higher classes\n"
    "wrong = rng.random(N) < (codes / K) * 0.6\n"
    "pred_codes = np.where(wrong, (codes + 1) % K, codes)\n"
    "df = pd.DataFrame({'f': rng.normal(size=N), 'y': classes[codes]})\n"
    "probs = np.eye(K)[pred_codes]\n"
    "report = AuditReport(label='y', ids=df.index, classes=classes, given=df['y'],\n"
    "    pred_probs=probs, predicted=pd.Series(classes[pred_codes], index=df.index),\n"
    "    folds=np.zeros(N, int), feature_plan=pd.DataFrame(), model_matrix=df[['f']].to_numpy(),\n"
    "    model=None, issues=pd.DataFrame(index=df.index), summary=pd.DataFrame(),\n"
    "    embedding=np.zeros((N, 2), np.float32), embedding_method='given',\n"
    "    metrics=pd.DataFrame(), accuracy=float((~wrong).mean()))\n"
    "state = DatasetState(df, 'y', report=report)\n"
    "cm = ConfusionMatrix(state)\n"
    "ct = pd.crosstab(df['y'], report.predicted).reindex(index=classes, columns=classes,"
    " fill_value=0).to_numpy()\n"
    "mass = ct.sum(0) + ct.sum(1) - 2 * np.diag(ct)\n"
    "most_confused = str(classes[np.argsort(-mass, kind='stable')[0]])",
    "cm",
]


@pytest.mark.ui
def test_a_hundred_classes_scroll_with_sticky_headers_sort_and_top_list(page, lab):
    name = harness.open_notebook(page, lab, WIDE_CELLS)
    harness.wait_for_widget(page, ".dcml-confusion table")
    k = harness.kernel(page, name)
    assert page.locator(".dcml-confusion thead th[data-axis]").count() == 100

    # The table scrolls inside its box and the class names stay in view (sticky headers).
    geometry = page.evaluate(
        """() => {
          const box = document.querySelector('.dcml-confusion-scroll');
          box.scrollTop = 900; box.scrollLeft = 900;
          const b = box.getBoundingClientRect();
          const head = document.querySelector('.dcml-confusion thead th[data-index="50"]');
          const row = document.querySelector('.dcml-confusion tbody th[data-index="50"]');
          return {scrolls: box.scrollHeight > box.clientHeight && box.scrollWidth > box.clientWidth,
                  headTop: head.getBoundingClientRect().top - b.top,
                  rowLeft: row.getBoundingClientRect().left - b.left};
        }"""
    )
    assert geometry["scrolls"]
    assert abs(geometry["headTop"]) <= 2 and abs(geometry["rowLeft"]) <= 2

    # Sorting by confusion mass is a trait Python sees; the most confused class comes first.
    page.locator(".dcml-confusion-sort").check()
    first_row = page.locator(".dcml-confusion tbody th").first
    expected_first = k.eval_json("most_confused")
    first_row.filter(has_text=expected_first).wait_for()
    assert k.eval_json("cm.sort_by_mass") is True

    page.locator(".dcml-confusion-normalize").check()
    page.locator(".dcml-confusion td.dcml-confusion-diag", has_text="%").first.wait_for()
    assert k.eval_json("cm.normalize") is True

    # The top-confusions list selects the pair's rows.
    pairs = page.locator(".dcml-confusion-pair")
    assert pairs.count() == 10
    given_name, predicted_name = pairs.first.text_content().split(" → ")
    pairs.first.click()
    page.wait_for_function(
        "() => document.querySelector('.dcml-confusion td.dcml-confusion-selected')"
    )
    want = k.eval_json(
        f"sorted(df.index[(df['y'] == {given_name!r}) & "
        f"(report.predicted == {predicted_name!r})].tolist())"
    )
    assert len(want) == max(k.eval_json("(ct - np.diag(np.diag(ct))).max()"), 1)
    assert k.eval_json("sorted(state.selection.tolist())") == want
    # ... and scrolls the matrix so the selected cell is in view.
    visible = page.evaluate(
        """() => {
          const b = document.querySelector('.dcml-confusion-scroll').getBoundingClientRect();
          const c = document.querySelector('.dcml-confusion td.dcml-confusion-selected')
            .getBoundingClientRect();
          return c.top >= b.top && c.bottom <= b.bottom && c.left >= b.left && c.right <= b.right;
        }"""
    )
    assert visible
