"""The form engine: one editor that renders every CRF of the study for keyboard entry."""

from ctrial_desktop.ui.forms.form_controller import FormEditor

__all__ = ["FormEditor"]
