"""The form engine: one editor that renders every CRF of the study for keyboard entry.

Embed :class:`FormEditor` where a form is shown::

    editor = FormEditor(session, form_service, patient_id, event_oid, event_repeat, form_oid)
    editor.saved.connect(...)                # refresh the visit tree
    editor.dirty_changed.connect(...)        # mark the tab or title as modified
    editor.next_form_requested.connect(...)  # open the next form of the visit
    editor.status_changed.connect(...)       # "Saved at 14:32" for the status bar

Before replacing or closing it, call ``editor.maybe_close()`` and keep it when False.
"""

from ctrial_desktop.ui.forms.form_controller import FormEditor

__all__ = ["FormEditor"]
