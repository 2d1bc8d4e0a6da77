"""A kernel killed mid-review loses nothing: in real JupyterLab, review in the grid, SIGKILL
the kernel, restart it from the page, run the audit cell again — every edit is back."""

from __future__ import annotations

import os
import re
import signal
import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.ui import harness

SETUP = (
    "import dcml_widgets as dw\n"
    "df = dw.datasets.demo(n_rows=300)\n"
    'dash = dw.audit(df, label="digit", journal="edits.jsonl")'
)
EDITS = "dash.state.edits[['row', 'field', 'new']].values.tolist()"

# Start the restart without awaiting it: its confirmation dialog waits for a click.
_RESTART_JS = """
() => {
  window.__dcmlRestarted = false;
  window.jupyterapp.commands.execute('notebook:restart-kernel')
    .then(() => { window.__dcmlRestarted = true; });
  return true;
}
"""


def wait_until(predicate, timeout: float, what: str, page) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its parent to reap it counts as dead)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.ui
def test_sigkilled_kernel_resumes_grid_review(page, lab, console):
    # A folder of its own: the kernel's working directory, so "edits.jsonl" is new here.
    folder = f"crash-{uuid.uuid4().hex[:8]}"
    journal = lab.root / folder / "edits.jsonl"
    name = harness.open_notebook(page, lab, [SETUP], name=f"{folder}/review.ipynb")
    harness.wait_for_widget(page, ".dcml-dashboard .dcml-grid-row[data-id]")
    k = harness.kernel(page, name)
    k.eval_json("dash.wait(300) is not None", timeout=320)  # UMAP done: no layout swap mid-test
    assert k.eval_json("str(dash.state.journal_path)") == str(journal)
    assert k.eval_json("dash.state.resumed_edits") == 0

    # --- a short keyboard review in the grid ---------------------------------------------
    top = k.eval_json("dash.grid.visible_ids(0, 4)")
    labels = k.eval_json(f"dash.state.labels[{top}].tolist()")
    classes = k.eval_json("dash.state.classes")
    # Keys 1-9 pick one of the first nine classes.
    new0 = next(c for c in classes[:9] if c != labels[0])
    new3 = next(c for c in reversed(classes[:9]) if c != labels[3])
    page.locator(".dcml-grid-row[data-index='0'] > span").nth(1).click()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest('.dcml-grid') !== null"
    )
    keys = [str(classes.index(new0) + 1), "j", "x", "j", "r", "j", str(classes.index(new3) + 1)]
    for key in keys:
        page.keyboard.press(key)
    expected = [
        [top[0], "label", new0],
        [top[1], "excluded", True],
        [top[2], "reviewed", True],
        [top[3], "label", new3],
    ]
    wait_until(lambda: k.eval_json("len(dash.state.log)") >= 4, 20, "4 edit groups", page)
    before = k.eval_json(EDITS)
    assert before == expected
    groups = k.eval_json("len(dash.state.log)")
    assert groups == 4
    page.locator(".dcml-header-edits", has_text="4 edits ·").wait_for()

    # Acknowledged means on disk: the journal holds the header and one line per group.
    assert len(journal.read_text().splitlines()) == 1 + groups

    # --- the kernel dies: SIGKILL, no shutdown, nothing flushed on the way out ------------
    pid = k.eval_json("__import__('os').getpid()")
    k.close()
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not alive(pid), 10, f"kernel pid {pid} to die", page)

    # The server notices and starts a fresh kernel process; the page says so in a dialog.
    dialog = page.locator(".jp-Dialog", has_text="appears to have died")
    dialog.wait_for(timeout=30_000)
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    dialog.wait_for(state="detached")
    auto_pid = harness.kernel(page, name).eval_json("__import__('os').getpid()")
    assert auto_pid != pid

    # The user restarts the kernel from the page (Kernel > Restart Kernel…, confirmed).
    page.evaluate(_RESTART_JS)
    confirm = page.locator(".jp-Dialog", has_text="Restart")
    confirm.wait_for()
    confirm.locator(".jp-Dialog-button.jp-mod-accept").click()
    page.wait_for_function("() => window.__dcmlRestarted === true", timeout=60_000)
    harness.wait_idle(page, timeout=30_000)
    # Not ours, and not always: after the auto-restart the page's widget manager opens a
    # comm, JupyterLab 4.6 (comms over subshells by default) asks the kernel for a subshell
    # for it, and a restart landing before the reply rejects that request uncaught inside
    # JupyterLab (seen once in CI; its console error is the only trace).
    console.take(r"^uncaught: Error: Canceled future for create_subshell_request message")

    # ...and runs the audit cell again.
    harness.run_all(page)
    k2 = harness.kernel(page, name)
    new_pid = k2.eval_json("__import__('os').getpid()")
    assert new_pid not in (pid, auto_pid)
    k2.eval_json("dash.wait(300) is not None", timeout=320)

    # --- nothing was lost ------------------------------------------------------------------
    assert k2.eval_json(EDITS) == before == expected
    assert k2.eval_json("dash.state.resumed_edits") == groups
    assert k2.eval_json("len(dash.state.log)") == groups
    assert k2.eval_json("str(dash.state.journal_path)") == str(journal)
    assert len(journal.read_text().splitlines()) == 1 + groups  # resuming appends nothing
    # The labels themselves, not only the log, are back.
    assert k2.eval_json(f"dash.state.labels[{[top[0], top[3]]}].tolist()") == [new0, new3]
    excluded = k2.eval_json("dash.state.ids[dash.state.rows.excluded_mask].tolist()")
    assert excluded == [top[1]]

    # The page says so: one dashboard (the re-run replaced the old output; a locator matching
    # two headers would fail to_have_text), its header names the journal and the resumed
    # edits, and the grid shows the edited rows as edited.
    header = page.locator(".dcml-header-journal")
    expect(header).to_have_text(f"Edits saved to edits.jsonl · resumed {groups} edits")
    expect(page.locator(".dcml-header-edits")).to_have_text(
        f"{groups} edits · 2 relabelled · 1 excluded"
    )
    row = {i: page.locator(f".dcml-grid-row[data-id='{top[i]}']") for i in range(4)}
    expect(row[0].locator(".dcml-grid-edited select")).to_have_value(str(classes.index(new0)))
    expect(row[1]).to_have_class(re.compile(r"\bdcml-grid-excluded\b"))
    expect(row[1].locator(".dcml-grid-status-cell")).to_contain_text("excluded")
    expect(row[2].locator(".dcml-grid-status-cell")).to_contain_text("reviewed")
    expect(row[3].locator(".dcml-grid-edited select")).to_have_value(str(classes.index(new3)))
