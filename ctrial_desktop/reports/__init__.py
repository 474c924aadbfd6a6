"""PDF reports (ReportLab): blank and annotated CRFs, logs, confirmations, audit review.

Start with :mod:`ctrial_desktop.reports.registry` (:func:`~.registry.generate`); every
document is laid out by :mod:`ctrial_desktop.reports.base`. Nothing here imports Qt.
"""
