"""The Qt binding in use is sound: signals emitted from Python do not corrupt refcounts.

PySide6 6.12.0 drops a reference to ``True`` on every ``Signal.emit()`` made from
Python; on Python 3.11 the interpreter aborts after a few hundred emits. Run in a
subprocess so that a bad binding fails this test instead of killing the test run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QCoreApplication, QObject, Signal
    app = QCoreApplication(sys.argv)
    class Emitter(QObject):
        changed = Signal(int)
    emitter = Emitter()
    emitter.changed.connect(lambda value: None)
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for i in range(20000):
        emitter.changed.emit(i)
        app.processEvents()
    assert abs(sys.getrefcount(True) - before_true) < 50, "True refcount drifts"
    assert abs(sys.getrefcount(None) - before_none) < 50, "None refcount drifts"
    print("sound")
""")


def test_signal_emits_keep_reference_counts() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0 and "sound" in result.stdout, result.stderr[-500:]
