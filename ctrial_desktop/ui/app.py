"""The one place where the application is wired: start-up, log in, lock, log out, quit.

:func:`run` sets up logging and the exception hook, creates the QApplication, loads
the study definition and opens the database (refusing to start, exit code 2, when
either is unusable), then hands over to :class:`AppController`, which shows the
first-run or login dialog, the forced password change, the main window, the idle
lock and the account dialogs of the Tools menu.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from ctrial_desktop import __version__, paths
from ctrial_desktop.logging_setup import setup_logging, teardown_logging
from ctrial_desktop.ui.exception_hook import ExceptionHook
from ctrial_desktop.ui.i18n import (
    LANGUAGES,
    LanguageSwitcher,
    saved_language,
    system_language,
    tr_message,
)
from ctrial_desktop.ui.login_dialog import LoginDialog

if TYPE_CHECKING:  # imported by the start-up loader, off the GUI thread (see run)
    from ctrial_desktop.services.auth import SecuritySettings
    from ctrial_desktop.services.backup import BackupService
    from ctrial_desktop.store.database import Database
    from ctrial_desktop.study.definition import StudyDefinition
    from ctrial_desktop.ui.app_controller import AppController, WindowFactory
    from ctrial_desktop.ui.workers import Cancelled, Progress

log = logging.getLogger(__name__)

EXIT_REFUSED = 2
#: Widget styles that belong to a desktop platform; anything else gets Fusion.
NATIVE_STYLES = frozenset({"windows11", "windowsvista", "macos", "breeze", "oxygen", "gtk2",
                           "kvantum"})
DEMO_ACCOUNT = "coord01"
SCREENSHOT_TIMEOUT_MS = 60_000


def user_settings() -> QSettings:
    """The user's preferences: an INI file under the user data folder.

    Every ``QSettings()`` of the application (window geometry too) goes to the same
    place once :func:`_application` has set the organisation and application names.
    """
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(paths.data_dir()))
    return QSettings()


def security_settings(study: StudyDefinition) -> SecuritySettings:
    """The services' security settings, from ``settings.security`` of the study."""
    from ctrial_desktop.services.auth import SecuritySettings

    security = study.settings.security
    return SecuritySettings(min_password_length=security.password_min_length,
                            max_failed_logins=security.max_failed_logins,
                            idle_lock_minutes=security.idle_lock_minutes)


def show_fatal(title: str, message: str) -> None:
    """Tell the user why the application cannot start (dialog and standard error)."""
    print(f"ctrial: error: {message}", file=sys.stderr)
    if QApplication.platformName() in ("offscreen", "minimal"):
        return  # nobody could click the dialog away
    box = QMessageBox(QMessageBox.Icon.Critical, title, message.splitlines()[0])
    if "\n" in message:
        box.setDetailedText(message)
    box.exec()


def _application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setOrganizationName(paths.APP_AUTHOR)
    app.setApplicationName(paths.APP_NAME)
    app.setApplicationVersion(__version__)
    # The controller decides when to quit: between log out and the login dialog, or
    # while the lock screen replaces the windows, no window may be visible for a moment.
    app.setQuitOnLastWindowClosed(False)
    if app.style().name().lower() not in NATIVE_STYLES:
        app.setStyle("Fusion")
    return app


def demo_database_url() -> str:
    """The demo database, a file of its own in the user data folder."""
    return f"sqlite:///{(paths.data_dir() / 'demo.sqlite3').as_posix()}"


#: Size of the demo trial the GUI builds on first use (about half a minute).
DEMO_PATIENTS, DEMO_SITES = 24, 3


def _build_demo_with_progress(db: Database) -> str | None:
    """Fill an empty demo database in a worker while a progress dialog shows; the error
    message if it failed."""
    from ctrial_desktop.services.demo import build_demo
    from ctrial_desktop.ui.workers import run_in_worker

    translate = QCoreApplication.translate
    dialog = QProgressDialog(translate("Application", "Building the demo trial…"), "", 0, 0)
    dialog.setWindowTitle(translate("Application", "Demo"))
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(0)
    loop = QEventLoop()
    outcome: list[BaseException | None] = []

    def job(progress: Progress, _cancelled: Cancelled) -> None:
        build_demo(db, patients=DEMO_PATIENTS, sites=DEMO_SITES, progress=progress)

    def finish(error: BaseException | None) -> None:
        outcome.append(error)
        loop.quit()

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    log.info("building the demo database %s", db.display_name)
    run_in_worker(job, on_finished=lambda _result: finish(None), on_failed=finish,
                  on_progress=on_progress)
    dialog.show()
    if not outcome:
        loop.exec()
    dialog.close()
    dialog.deleteLater()
    error = outcome[0]
    return None if error is None else tr_message(error)


class _StartupLoad(QObject):
    """Loads the study definition and opens the database on a thread of its own.

    Importing SQLAlchemy and the services, validating the study definition and opening
    (perhaps migrating) the database take most of the start-up time; done here they
    overlap with the user typing into the login dialog, which is on screen at once.
    The outcome is read back on the GUI thread after :attr:`done` (queued).
    """

    done = Signal()

    def __init__(self, url: str, passphrase: str | None = None,
                 backup_dir: Path | None = None) -> None:
        super().__init__()
        self.url = url
        self.backup_dir = backup_dir
        self.passphrase = passphrase
        self.study: StudyDefinition | None = None
        self.db: Database | None = None
        self.error: BaseException | None = None
        self._finished = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, name="ctrial-startup", daemon=True).start()

    def _run(self) -> None:
        try:
            from ctrial_desktop.store.database import open_database
            from ctrial_desktop.study.loader import load_study

            self.study = load_study(paths.forms_dir())
            self.db = open_database(self.url, backup_dir=self.backup_dir or paths.backup_dir(),
                                    passphrase=self.passphrase)
            # The modules of the logged-in session, while the user still types.
            import ctrial_desktop.services.auth
            import ctrial_desktop.ui.session  # noqa: F401
        except BaseException as exc:  # handed to the GUI thread, which reports it
            self.error = exc
        self._finished.set()
        self.done.emit()

    def wait(self) -> None:
        """Run the event loop (windows stay responsive) until the load is over."""
        if self._finished.is_set():
            return
        loop = QEventLoop()
        self.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
        if not self._finished.is_set():
            loop.exec()


def _import_main_window() -> None:
    """Import the main window's modules (Qt classes: on the GUI thread) ahead of need."""
    import ctrial_desktop.ui.main_window  # noqa: F401


def _existing_database(url: str) -> bool:
    """Whether ``url`` names a database that probably has users (an existing SQLite file,
    or a server), so the login dialog can be shown before it is opened."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return not url.startswith("sqlite")
    path = Path(url[len(prefix):].split("?", 1)[0])
    return path.is_file() and path.stat().st_size > 0


# QSettings key of the study name shown by the login dialog before the study is loaded.
STUDY_NAME_KEY = "startup/study_name"


def _early_login(switcher: LanguageSwitcher, settings: QSettings, url: str) -> LoginDialog:
    """The login dialog, on screen before the database is open (see :class:`_StartupLoad`)."""
    database = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else ""
    dialog = LoginDialog(None, language=switcher.language,
                         study_name=str(settings.value(STUDY_NAME_KEY, "") or ""),
                         database_name=database)
    dialog.language_chosen.connect(switcher.apply)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def _encrypted_file(url: str) -> Path | None:
    """The SQLite file of ``url`` when it exists without the plain SQLite header."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = Path(url[len(prefix):].split("?", 1)[0])
    if not path.is_file() or path.stat().st_size == 0:
        return None
    with path.open("rb") as handle:
        return None if handle.read(16) == b"SQLite format 3\x00" else path


# The passphrase variable of :mod:`ctrial_desktop.store.database` (not imported here: that
# module brings SQLAlchemy, which loads while the first window is already on screen).
PASSPHRASE_ENV = "CTRIAL_PASSPHRASE"
# Asks the passphrase of an encrypted file (message: why it is asked again); None = cancel.
PassphraseAsker = Callable[[Path, str], "str | None"]
WRONG_PASSPHRASE = "wrong passphrase"


def _open_encrypted(url: str, path: Path, ask: PassphraseAsker,
                    backup_dir: Path | None = None) -> _StartupLoad | None:
    """Ask the passphrase until the file opens, or the user cancels (None)."""
    translate = QCoreApplication.translate
    message = ""
    while True:
        passphrase = ask(path, message)
        if passphrase is None:
            return None
        load = _StartupLoad(url, passphrase, backup_dir)
        load.start()
        load.wait()
        if load.error is None or WRONG_PASSPHRASE not in str(load.error):
            return load
        log.warning("wrong passphrase for %s", path)
        message = translate("Application", "Wrong passphrase, or the file is not an encrypted "
                            "ctrial database. Try again.")


def _interactive_asker(screenshot: object) -> PassphraseAsker | None:
    if screenshot or QApplication.platformName() in ("offscreen", "minimal"):
        return None  # nobody to type it: the file is refused with the reason
    from ctrial_desktop.ui.passphrase_dialog import ask_passphrase

    return ask_passphrase


def run(args: argparse.Namespace, window_factory: WindowFactory | None = None,
        passphrase_asker: PassphraseAsker | None = None) -> int:
    """Start the GUI with parsed ``ctrial gui`` arguments; return the exit code.

    An encrypted database file asks its passphrase first (``passphrase_asker``, by
    default a dialog when there is a screen) unless ``CTRIAL_PASSPHRASE`` holds it.
    """
    log_path = setup_logging(paths.log_dir())
    log.info("ctrial-desktop %s starting", __version__)
    hook = ExceptionHook()
    hook.install()
    app = _application(sys.argv[:1])
    settings = user_settings()
    switcher = LanguageSwitcher(app)
    language = getattr(args, "language", None) or saved_language(settings) or system_language()
    switcher.apply(language if language in LANGUAGES else "en")
    demo = bool(getattr(args, "demo", False))
    screenshot = getattr(args, "screenshot", None)
    url = getattr(args, "db", None) or (demo_database_url() if demo
                                        else paths.default_database_url())
    from ctrial_desktop.ui.backup_settings import load_backup_preferences

    backup_dir = load_backup_preferences(settings).folder  # also for copies before migrating
    load = _StartupLoad(url, backup_dir=backup_dir)
    early: LoginDialog | None = None
    encrypted = _encrypted_file(url)
    ask = passphrase_asker or _interactive_asker(screenshot)
    if encrypted is not None and ask is not None and not os.environ.get(PASSPHRASE_ENV):
        opened = _open_encrypted(url, encrypted, ask, backup_dir)
        if opened is None:
            log.info("no passphrase given for %s: not opened", encrypted)
            hook.uninstall()
            teardown_logging()
            return 0
        load = opened
    elif not demo and not screenshot and _existing_database(url):
        early = _early_login(switcher, settings, url)
        # Loading starts once the dialog is painted (the loader competes for the GIL),
        # and the main window's modules are imported while the user is still typing.
        QTimer.singleShot(0, load.start)
        load.done.connect(lambda: QTimer.singleShot(0, _import_main_window))
    else:
        load.start()
    load.wait()
    db = load.db
    try:
        return _run_loaded(app, args, load, early, settings, switcher, log_path.parent,
                           window_factory)
    finally:
        if db is not None:
            db.dispose()
        hook.uninstall()
        log.info("ctrial-desktop stopped")
        teardown_logging()


def _run_loaded(app: QApplication, args: argparse.Namespace, load: _StartupLoad,
                early: LoginDialog | None, settings: QSettings, switcher: LanguageSwitcher,
                log_folder: Path, window_factory: WindowFactory | None) -> int:
    from ctrial_desktop.services.auth import AuthService
    from ctrial_desktop.store.database import DatabaseOpenError
    from ctrial_desktop.study.loader import StudyDefinitionError
    from ctrial_desktop.ui.app_controller import AppController

    translate = QCoreApplication.translate
    error = load.error
    if error is not None or load.study is None or load.db is None:
        if early is not None:
            early.close()
        if isinstance(error, StudyDefinitionError):
            log.error("invalid study definition\n%s", error)
            show_fatal(translate("Application", "Invalid study definition"), tr_message(error))
            return EXIT_REFUSED
        if isinstance(error, DatabaseOpenError):
            log.error("cannot open the database %s: %s", load.url, error)
            show_fatal(translate("Application", "Cannot open the database"),
                       translate("Application", "The database cannot be opened and was left "
                                 "untouched: {reason}").format(reason=error))
            return EXIT_REFUSED
        assert error is not None
        raise error
    if early is not None:
        early.language_chosen.disconnect(switcher.apply)
        if not early.isVisible():  # the user chose Quit while the database was opening
            log.info("login dialog closed while the database was opening")
            return 0
    study, db = load.study, load.db
    settings.setValue(STUDY_NAME_KEY, study.info.name)
    demo = bool(getattr(args, "demo", False))
    username = password = ""
    if demo:
        from ctrial_desktop.services.demo import DEMO_PASSWORD

        username, password = DEMO_ACCOUNT, DEMO_PASSWORD
        if not AuthService(db).has_users():
            message = _build_demo_with_progress(db)
            if message is not None:
                show_fatal(translate("Application", "Cannot build the demo"), message)
                return EXIT_REFUSED
    controller = AppController(
        study, db, AuthService(db, security_settings(study)), switcher, settings,
        window_factory=window_factory, username=username, password=password,
        log_folder=log_folder)
    controller.finished.connect(app.exit)
    screenshot = getattr(args, "screenshot", None)
    if screenshot:
        _arrange_screenshot(controller, Path(screenshot), auto_login=bool(username))
    backups = start_automatic_backups(db, app, settings) if not screenshot else None
    controller.start(early)
    code = app.exec()
    controller.shutdown()
    if backups is not None:
        from ctrial_desktop.ui.backup_settings import (
            apply_backup_preferences,
            load_backup_preferences,
        )

        apply_backup_preferences(backups, load_backup_preferences(settings))
        backup_on_exit(backups)
    return code


#: How often the running application checks whether an automatic backup is due.
BACKUP_CHECK_MS = 15 * 60 * 1000


def start_automatic_backups(db: Database, parent: QObject,
                            settings: QSettings | None = None) -> BackupService | None:
    """Back the SQLite file up when the last copy is older than the interval: now, then
    every quarter of an hour, in a worker (the GUI never waits for a copy).

    With ``settings``, the folder, interval and number of copies kept are the user's
    preferences (Tools > Preferences), read again before every check.
    """
    from ctrial_desktop.services.backup import BackupService
    from ctrial_desktop.ui.backup_settings import (
        apply_backup_preferences,
        load_backup_preferences,
    )
    from ctrial_desktop.ui.workers import run_in_worker

    service = BackupService(db, paths.backup_dir())
    if not service.enabled:
        return None

    def check() -> None:
        if settings is not None:
            apply_backup_preferences(service, load_backup_preferences(settings))
        run_in_worker(lambda _progress, _cancelled: service.maybe_backup(),
                      on_failed=lambda error: log.error("automatic backup failed: %s", error))

    timer = QTimer(parent)
    timer.setInterval(BACKUP_CHECK_MS)
    timer.timeout.connect(check)
    timer.start()
    QTimer.singleShot(0, check)
    return service


def backup_on_exit(service: BackupService) -> None:
    """A last copy when the application closes (failures are logged, never shown)."""
    try:
        path = service.backup_now()
        log.info("backup on exit written to %s", path)
    except FileExistsError:
        log.info("a backup was taken this very second; none more on exit")
    except Exception:  # a failed copy must not turn a normal exit into an error
        log.exception("backup on exit failed")


def _arrange_screenshot(controller: AppController, target: Path, *, auto_login: bool) -> None:
    """Save the first window (the main window when the account is pre-filled) and quit."""

    def grab(widget: QWidget, quiet_polls: int = 0, polls: int = 0) -> None:
        from ctrial_desktop.ui.workers import running_jobs

        widget.resize(1366, 768) if widget is controller.main_window else widget.adjustSize()
        QApplication.processEvents()
        # The picture shows the window once its lists are read: no job running for two
        # polls in a row (a finished job may start the next), or after 30 s of waiting.
        quiet_polls = quiet_polls + 1 if running_jobs() == 0 else 0
        if quiet_polls < 2 and polls < 300:
            QTimer.singleShot(100, lambda: grab(widget, quiet_polls, polls + 1))
            return
        ok = widget.grab().save(str(target))
        log.info("screenshot %s written: %s (background reading done: %s)", target, ok,
                 "yes" if quiet_polls >= 2 else "no, gave up waiting")
        controller.quit(0 if ok else 1)

    def on_window(widget: QWidget) -> None:
        login = controller.login_dialog
        if auto_login and login is not None and widget is login:
            login.login_button.click()
            if login.actor is not None:
                return  # the next window shown is the one to save
        QTimer.singleShot(200, lambda: grab(widget))

    def give_up() -> None:
        log.error("no window to save as %s", target)
        controller.quit(1)

    controller.window_shown.connect(on_window)
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, give_up)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ctrial_desktop.ui.app [--db URL] [--language en|fr] [--demo]
    [--screenshot FILE.png]``: the same as ``ctrial gui``."""
    parser = argparse.ArgumentParser(prog="ctrial-gui", description="Start the desktop "
                                     "application.")
    parser.add_argument("--db", metavar="URL", default=None)
    parser.add_argument("--language", choices=sorted(LANGUAGES), default=None)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--screenshot", metavar="FILE.png", default=None)
    return run(parser.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
