"""Start the ctrial-desktop GUI (same as the ``ctrial`` command with no arguments)."""

import sys

from ctrial_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
