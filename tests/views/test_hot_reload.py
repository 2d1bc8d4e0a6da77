"""`npm run dev` + ANYWIDGET_HMR=1: a rebuilt bundle reaches a live view without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import pandas as pd
    import dcml_widgets.views._base as base
    from dcml_widgets.state import DatasetState

    static, wait = Path(sys.argv[1]), float(sys.argv[2])
    (static / "hot.js").write_text("export default { render() {} }; // one")
    base.STATIC = static  # this view's bundle lives here (not in the package)

    class Hot(base.StateView):
        _bundle = "hot"

    view = Hot(DatasetState(pd.DataFrame({"y": ["a", "b"]}), "y"))
    assert view._esm.endswith("// one"), view._esm
    time.sleep(0.5)  # let the watcher start before the rebuild
    (static / "hot.js").write_text("export default { render() {} }; // two")
    deadline = time.monotonic() + wait
    while not view._esm.endswith("// two") and time.monotonic() < deadline:
        time.sleep(0.1)
    print("reloaded" if view._esm.endswith("// two") else "unchanged")
    """
)


def run(tmp_path: Path, hmr: bool, wait: float) -> str:
    env = {k: v for k, v in os.environ.items() if k != "ANYWIDGET_HMR"}
    env["PYTHONPATH"] = str(ROOT)
    if hmr:
        env["ANYWIDGET_HMR"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), str(wait)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def test_a_rebuilt_bundle_reaches_the_live_view_under_anywidget_hmr(tmp_path: Path) -> None:
    assert run(tmp_path, hmr=True, wait=20) == "reloaded"


def test_without_hmr_a_view_keeps_the_bundle_it_was_made_with(tmp_path: Path) -> None:
    assert run(tmp_path, hmr=False, wait=2) == "unchanged"
