"""Progress: stage names on the bar, timings always recorded, interrupts close the bar."""

from __future__ import annotations

import pytest

from dcml_widgets.analysis.progress import Progress, in_notebook


def test_terminal_bar_shows_stage_names_and_records_timings(capsys):
    bar = Progress(["load", "fit"], enabled=True, title="job")
    with bar.stage("load"):
        pass
    with bar.stage("fit") as same:
        same.fraction(1, 2)
    bar.close()
    err = capsys.readouterr().err
    assert "job: load" in err and "job: fit" in err and "job: done" in err
    assert set(bar.timings) == {"load", "fit"} and all(t >= 0 for t in bar.timings.values())


def test_disabled_bar_is_silent_but_still_times(capsys):
    bar = Progress(["a"], enabled=False)
    with bar.stage("a"):
        pass
    bar.close()
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    assert "a" in bar.timings


def test_interrupt_marks_the_bar_and_propagates(capsys):
    bar = Progress(["a", "b"], enabled=True, title="job")
    with pytest.raises(KeyboardInterrupt), bar.stage("b"):
        raise KeyboardInterrupt
    assert "job: interrupted during b" in capsys.readouterr().err
    assert "b" not in bar.timings


def test_plain_python_is_not_a_notebook():
    assert not in_notebook()
