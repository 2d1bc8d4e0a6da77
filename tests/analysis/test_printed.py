"""Capturing one thread's prints leaves every other thread's output, and sys.stdout, intact."""

from __future__ import annotations

import sys
import threading

import colorama

from dcml_widgets.analysis.printed import captured_stdout


def test_only_the_capturing_thread_is_captured(capsys):
    inside, outside = threading.Event(), threading.Event()

    def other():
        inside.wait()
        print("from the other thread")
        outside.set()

    thread = threading.Thread(target=other)
    thread.start()
    with captured_stdout() as printed:
        print("from the analysis")
        inside.set()
        outside.wait(5)
    thread.join()
    assert printed.getvalue() == "from the analysis\n"
    assert capsys.readouterr().out == "from the other thread\n"


def test_a_thread_restoring_stdout_after_the_capture_does_not_silence_the_process(capsys):
    # numba's error formatting calls colorama.init() and deinit() around its work, from the
    # UMAP warm-up thread: init saves sys.stdout, deinit puts the saved one back.
    real = sys.stdout
    saved, release = threading.Event(), threading.Event()

    def compiler():
        colorama.init()
        saved.set()
        release.wait(5)
        colorama.deinit()

    thread = threading.Thread(target=compiler)
    with captured_stdout() as printed:
        thread.start()
        saved.wait(5)
        print("captured")
    release.set()
    thread.join()
    print("still visible")
    assert printed.getvalue() == "captured\n"
    assert "still visible" in capsys.readouterr().out
    sys.stdout = real


def test_nested_and_repeated_captures_restore_the_stream():
    before = sys.stdout
    with captured_stdout() as outer:
        print("a")
        with captured_stdout() as inner:
            print("b")
        print("c")
    assert (outer.getvalue(), inner.getvalue()) == ("a\nc\n", "b\n")
    assert sys.stdout is before
