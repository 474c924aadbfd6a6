"""Puts an edit buffer on a form view: values, visibility, messages, read-only state.

Plain class (no signals): :class:`FormEditor` calls it after each change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from ctrial_desktop.domain.values import format_for_display
from ctrial_desktop.services.forms import CHECK_SOFT_RANGE, FieldMessage, ValueKey
from ctrial_desktop.services.lab_grades import lab_grade, lab_test_of
from ctrial_desktop.ui.forms.edit_buffer import EditBuffer
from ctrial_desktop.ui.forms.form_view import FormView
from ctrial_desktop.ui.forms.messages_panel import ProblemEntry
from ctrial_desktop.ui.i18n import tr_after_colon, tr_message


class FormPresenter:
    """Shows the state of an :class:`EditBuffer` in a :class:`FormView`."""

    def __init__(self, view: FormView, buffer: EditBuffer) -> None:
        self.view = view
        self.buffer = buffer
        self._shown: set[tuple[str, str]] = set(view.rows)
        #: Non-repeating fields that the last :meth:`apply_visibility` revealed, in form order.
        self.newly_shown: list[tuple[str, str]] = []

    def field_name(self, key: ValueKey) -> str:
        """The field's label in the user's language, with the row for tables."""
        if not self.buffer.knows(key):
            return key.item_oid
        label = self.buffer.item(key).label.get(self.view.language)
        if self.buffer.group(key.group_oid).repeating:
            text = QCoreApplication.translate("FormPresenter", "{label} (row {row})")
            return text.format(label=label, row=key.repeat)
        return label

    def fill(self) -> None:
        """Show every value of the buffer (after opening, saving or restoring a draft)."""
        for (group_oid, item_oid), row in self.view.rows.items():
            key = ValueKey(group_oid, 1, item_oid)
            if key in self.buffer.invalid:
                row.field.set_canonical(self.buffer.invalid[key])
            else:
                row.field.set_canonical(self.buffer.values.get(key))
        for group_oid, table in self.view.tables.items():
            table.clear_rows()
            for repeat in self.buffer.repeats(group_oid):
                table.add_row(repeat)
            self.fill_table_values(group_oid)

    def fill_table_values(self, group_oid: str) -> None:
        table = self.view.tables[group_oid]
        for repeat in table.repeats():
            for item_oid in table.item_oids:
                key = ValueKey(group_oid, repeat, item_oid)
                table.set_cell(repeat, item_oid,
                               self.buffer.invalid.get(key, self.buffer.values.get(key)))

    def show_value(self, key: ValueKey) -> None:
        """Redisplay one value in its canonical format (``120311`` becomes 12/03/2011)."""
        row = self.view.rows.get((key.group_oid, key.item_oid))
        shown = self.buffer.invalid.get(key, self.buffer.values.get(key))
        if row is not None:
            row.field.set_canonical(shown)
        elif key.group_oid in self.view.tables:
            table = self.view.tables[key.group_oid]
            if key.repeat in table.repeats():
                table.set_cell(key.repeat, key.item_oid, shown)

    def apply_visibility(self) -> list[ValueKey]:
        """Show the applicable items only; values of hidden items are cleared (returned)."""
        cleared: list[ValueKey] = []
        shown_now: set[tuple[str, str]] = set()
        self.newly_shown = []
        base = self.buffer.typed_values()
        for group in self.buffer.form.item_groups:
            visible_group = self.buffer.holds(group.visible_if, base)
            self.view.group_boxes[group.oid].setVisible(visible_group)
            if not group.repeating:
                for item in group.items:
                    shown = visible_group and self.buffer.holds(item.visible_if, base)
                    self.view.rows[(group.oid, item.oid)].set_visible(shown)
                    if shown:
                        shown_now.add((group.oid, item.oid))
                        if (group.oid, item.oid) not in self._shown:
                            self.newly_shown.append((group.oid, item.oid))
                    key = ValueKey(group.oid, 1, item.oid)
                    if not shown and (key in self.buffer.values or key in self.buffer.invalid):
                        cleared.append(key)
                continue
            table = self.view.tables[group.oid]
            for repeat in table.repeats():
                typed = self.buffer.typed_values({group.oid: repeat})
                for item in group.items:
                    shown = visible_group and self.buffer.holds(item.visible_if, typed)
                    table.set_cell_enabled(repeat, item.oid, shown)
                    key = ValueKey(group.oid, repeat, item.oid)
                    if not shown and (key in self.buffer.values or key in self.buffer.invalid):
                        cleared.append(key)
        self._shown = shown_now
        for key in cleared:
            if self.buffer.item(key).type != "computed":
                self.buffer.set_value(key, None)
                self.show_value(key)
        return cleared

    def show_messages(self, messages: Iterable[FieldMessage]) -> list[ProblemEntry]:
        """Put each message next to its field (or cell) and in the problem list."""
        by_key: dict[ValueKey | None, list[FieldMessage]] = {}
        seen: set[tuple[ValueKey | None, str, str]] = set()
        for message in messages:
            # The field check and the form check may report the same problem once each.
            if (message.key, message.severity, message.text) in seen:
                continue
            seen.add((message.key, message.severity, message.text))
            by_key.setdefault(message.key, []).append(message)
        entries: list[ProblemEntry] = []
        for (group_oid, item_oid), row in self.view.rows.items():
            key = ValueKey(group_oid, 1, item_oid)
            self._show_on_field(key, by_key.get(key, []), row)
        for group_oid, table in self.view.tables.items():
            for repeat in table.repeats():
                for item_oid in table.item_oids:
                    key = ValueKey(group_oid, repeat, item_oid)
                    worst = self._worst(key, by_key.get(key, []))
                    if worst is None:
                        table.set_cell_message(repeat, item_oid, None, "")
                    else:
                        table.set_cell_message(repeat, item_oid, worst[0], worst[1])
        for key, key_messages in by_key.items():
            for message in key_messages:
                if self._confirmed(key, message):
                    continue
                entries.append(ProblemEntry(
                    key, message.severity,
                    self.field_name(key) if key is not None
                    else QCoreApplication.translate("FormPresenter", "Form"),
                    tr_message(message.text),
                    self._confirmable(key, message)))
        self.view.messages_panel.set_entries(entries)
        errors = sum(1 for e in entries if e.severity == "error")
        self.view.set_problem_count(errors, len(entries) - errors)
        return entries

    @staticmethod
    def _confirmable(key: ValueKey | None, message: FieldMessage) -> bool:
        """Only a value outside its soft range is confirmed with a reason."""
        return key is not None and message.check_oid == CHECK_SOFT_RANGE

    def _confirmed(self, key: ValueKey | None, message: FieldMessage) -> bool:
        return (self._confirmable(key, message) and key is not None
                and self.buffer.is_confirmed(key))

    def _worst(self, key: ValueKey, messages: list[FieldMessage]
               ) -> tuple[str, str, bool] | None:
        """The message to show at a field: (severity, text, can be confirmed), or None."""
        errors = [tr_message(m.text) for m in messages if m.severity == "error"]
        if errors:
            return "error", " ".join(errors), False
        warnings = [m for m in messages
                    if m.severity == "warning" and not self._confirmed(key, m)]
        if warnings:
            return ("warning", " ".join(tr_message(m.text) for m in warnings),
                    any(self._confirmable(key, m) for m in warnings))
        return None

    def _show_on_field(self, key: ValueKey, messages: list[FieldMessage], row: object) -> None:
        message_widget = row.message  # type: ignore[attr-defined]
        worst = self._worst(key, messages)
        confirmed = any(self._confirmed(key, m) for m in messages)
        if worst is not None:
            message_widget.show_message(worst[0], worst[1], confirmable=worst[2])
        elif confirmed and key in self.buffer.confirmations:
            text = QCoreApplication.translate("FormPresenter", "Confirmed: {reason}")
            message_widget.show_message(None, text.format(
                reason=self.buffer.confirmations[key]))
        elif confirmed:
            message_widget.show_message(
                None, QCoreApplication.translate("FormPresenter", "Confirmed"))
        else:
            message_widget.show_message(None, "")

    def set_read_only(self, reason: str | None) -> None:
        """Grey every input and say why, or make the form editable again."""
        editable = reason is None
        for row in self.view.rows.values():
            row.field.set_editable(editable)
        for table in self.view.tables.values():
            table.set_editable(editable)
        self.view.save_button.setEnabled(editable)
        self.view.save_next_button.setEnabled(editable)
        if reason is not None:
            text = QCoreApplication.translate("FormPresenter", "Read only: {reason}")
            self.view.show_banner(text.format(reason=tr_after_colon(reason)), "info")

    def show_grades(self, ctcae_version: str,
                    site_limits: Mapping[str, tuple[float | None, float | None]] | None = None
                    ) -> None:
        """The CTCAE grade of every lab value, to the right of it.

        ``site_limits`` (the site's normal ranges) grade a value whose limits are not on
        the form; a value with no limits at all reads "not gradable".
        """
        for (group_oid, item_oid), row in self.view.rows.items():
            if lab_test_of(item_oid) is None:
                continue
            key = ValueKey(group_oid, 1, item_oid)
            grade = lab_grade(key, self.buffer.values, ctcae_version, site_limits)
            if grade is None and self.buffer.values.get(key):
                row.message.show_derived(
                    QCoreApplication.translate("FormPresenter", "not gradable"))
            elif grade is None:
                row.message.show_derived("")
            elif grade == 0:
                row.message.show_derived(QCoreApplication.translate("FormPresenter", "normal"))
            else:
                text = QCoreApplication.translate("FormPresenter", "grade {grade}")
                row.message.show_derived(text.format(grade=grade))

    def show_computed(self, computed: Mapping[ValueKey, str]) -> None:
        for key in computed:
            self.show_value(key)

    def focus_revealed_field(self, key: ValueKey) -> None:
        """An answer that reveals the next fields sends the focus to the first of them."""
        order = list(self.view.rows)
        here = (key.group_oid, key.item_oid)
        if here not in order:
            return
        after = [name for name in self.newly_shown
                 if order.index(name) > order.index(here)]
        focus = QApplication.focusWidget()
        rows_after = [self.view.rows[name].field for name in order[order.index(here) + 1:]]
        if after and any(f.isAncestorOf(focus) or f is focus for f in rows_after if focus):
            self.view.rows[after[0]].field.focus_widget().setFocus(Qt.FocusReason.TabFocusReason)

    def display_value(self, key: ValueKey, canonical: str | None) -> str:
        """A value as the user reads it: the decode of a code, dates dd/mm/yyyy."""
        item = self.buffer.item(key)
        if item.type == "ctcae_term" and canonical is not None:
            return self.view.ctcae_names.get(canonical, canonical)
        if item.codelist is not None and canonical is not None:
            decode = self.buffer.study.codelist(item.codelist).decode(canonical, self.view.language)
            return decode or canonical
        return format_for_display(item.value_type, canonical, self.view.language)

    def key_named(self, name: str) -> ValueKey | None:
        """The key a service message names (``str(key)`` or an item OID)."""
        keys = set(self.buffer.values) | set(self.buffer.snapshot.values) | {
            ValueKey(g, 1, i) for g, i in self.view.rows}
        return next((k for k in keys if str(k) == name or k.item_oid == name), None)
