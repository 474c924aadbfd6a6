"""``python -m ctrial_desktop.cli`` is the ``ctrial`` command."""

import sys

from ctrial_desktop.cli import main

sys.exit(main())
