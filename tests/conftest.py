"""Test-wide set-up: offscreen Qt, and a private user data folder per test session."""

from __future__ import annotations

import os
import tempfile

# Without a display and without this, pytest-qt aborts the process silently.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never touch the real user data folder from a test.
os.environ["CTRIAL_DATA_DIR"] = tempfile.mkdtemp(prefix="ctrial-test-data-")
