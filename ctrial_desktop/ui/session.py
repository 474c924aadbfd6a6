"""What a logged-in window needs: the user and the services acting as that user.

Built once per login in :mod:`ctrial_desktop.ui.app_controller` and handed to windows and
dialogs through their constructors (no global registry). Tests build one against a
fresh database with :func:`make_ui_session`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.eligibility import EligibilityService
from ctrial_desktop.services.forms import FormService
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.randomization import RandomizationService
from ctrial_desktop.services.review import ReviewService
from ctrial_desktop.services.study_settings import randomization_settings
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition


@dataclass(frozen=True)
class UiSession:
    """The logged-in user, the study definition and the services acting as that user."""

    actor: Actor
    study: StudyDefinition
    auth: AuthService
    patients: PatientService
    users: UserService
    sites: SiteService
    database_name: str
    forms: FormService
    eligibility: EligibilityService
    randomization: RandomizationService
    review: ReviewService
    #: The open database, for reports generated in a worker thread (they read through
    #: services; widgets never open database sessions themselves).
    db: Database


def make_ui_session(db: Database, actor: Actor, study: StudyDefinition,
                    auth: AuthService | None = None) -> UiSession:
    auth = auth or AuthService(db)
    eligibility = EligibilityService(db, actor, study)
    return UiSession(
        actor=actor,
        study=study,
        auth=auth,
        patients=PatientService(db, actor),
        users=UserService(db, actor, auth.settings),
        sites=SiteService(db, actor),
        database_name=db.display_name,
        forms=FormService(db, actor, study),
        eligibility=eligibility,
        randomization=RandomizationService(db, actor, randomization_settings(study),
                                           eligibility=eligibility.blocking_reasons),
        review=ReviewService(db, actor, auth),
        db=db,
    )
