"""Roles, actions and the permission matrix, enforced by every service.

A user holds roles per site (or at every site). Administrators manage users, sites
and settings but never enter or sign clinical data. Clinical writes also require the
site to be active.
"""

from __future__ import annotations

from enum import StrEnum

from ctrial_desktop.domain.messages import Message


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    DATA_MANAGER = "data_manager"
    INVESTIGATOR = "investigator"
    COORDINATOR = "coordinator"
    MONITOR = "monitor"


class Action(StrEnum):
    MANAGE_USERS = "manage_users"
    MANAGE_SITES = "manage_sites"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_PATIENTS = "view_patients"
    ENROLL = "enroll"
    ENTER_DATA = "enter_data"
    RANDOMIZE = "randomize"
    SIGN = "sign"
    RAISE_QUERY = "raise_query"
    ANSWER_QUERY = "answer_query"
    CLOSE_QUERY = "close_query"
    VERIFY_SOURCE = "verify_source"
    LOCK = "lock"
    VIEW_RANDOMIZATION_LOG = "view_randomization_log"
    MANAGE_ALLOCATION_LISTS = "manage_allocation_lists"
    VIEW_AUDIT = "view_audit"
    EXPORT = "export"
    REPORTS = "reports"
    MANAGE_LAB_RANGES = "manage_lab_ranges"


#: Each role in words, as a refusal names it ("coord01 (coordinator@01) ...").
ROLE_WORDS: dict[Role, Message] = {
    Role.ADMINISTRATOR: Message("administrator"),
    Role.DATA_MANAGER: Message("data manager"),
    Role.INVESTIGATOR: Message("investigator"),
    Role.COORDINATOR: Message("coordinator"),
    Role.MONITOR: Message("monitor"),
}

#: Each action in words, as a refusal names it ("not allowed to enter data").
ACTION_WORDS: dict[Action, Message] = {
    Action.MANAGE_USERS: Message("manage users"),
    Action.MANAGE_SITES: Message("manage sites"),
    Action.MANAGE_SETTINGS: Message("manage settings"),
    Action.VIEW_PATIENTS: Message("view patients"),
    Action.ENROLL: Message("enroll"),
    Action.ENTER_DATA: Message("enter data"),
    Action.RANDOMIZE: Message("randomize"),
    Action.SIGN: Message("sign"),
    Action.RAISE_QUERY: Message("raise query"),
    Action.ANSWER_QUERY: Message("answer query"),
    Action.CLOSE_QUERY: Message("close query"),
    Action.VERIFY_SOURCE: Message("verify source"),
    Action.LOCK: Message("lock"),
    Action.VIEW_RANDOMIZATION_LOG: Message("view randomization log"),
    Action.MANAGE_ALLOCATION_LISTS: Message("manage allocation lists"),
    Action.VIEW_AUDIT: Message("view audit"),
    Action.EXPORT: Message("export"),
    Action.REPORTS: Message("reports"),
    Action.MANAGE_LAB_RANGES: Message("manage lab ranges"),
}

#: Actions that write clinical data: refused at an inactive site.
CLINICAL_WRITES = frozenset({Action.ENROLL, Action.ENTER_DATA, Action.RANDOMIZE, Action.SIGN,
                             Action.ANSWER_QUERY})

MATRIX: dict[Role, frozenset[Action]] = {
    Role.ADMINISTRATOR: frozenset(
        {Action.MANAGE_USERS, Action.MANAGE_SITES, Action.MANAGE_SETTINGS, Action.VIEW_AUDIT}
    ),
    Role.DATA_MANAGER: frozenset(
        {
            Action.VIEW_PATIENTS,
            Action.RAISE_QUERY,
            Action.CLOSE_QUERY,
            Action.LOCK,
            Action.VIEW_RANDOMIZATION_LOG,
            Action.MANAGE_ALLOCATION_LISTS,
            Action.VIEW_AUDIT,
            Action.EXPORT,
            Action.REPORTS,
            Action.MANAGE_LAB_RANGES,
        }
    ),
    Role.INVESTIGATOR: frozenset(
        {
            Action.VIEW_PATIENTS,
            Action.ENROLL,
            Action.ENTER_DATA,
            Action.RANDOMIZE,
            Action.SIGN,
            Action.ANSWER_QUERY,
            Action.REPORTS,
        }
    ),
    Role.COORDINATOR: frozenset(
        {
            Action.VIEW_PATIENTS,
            Action.ENROLL,
            Action.ENTER_DATA,
            Action.RANDOMIZE,
            Action.ANSWER_QUERY,
            Action.REPORTS,
        }
    ),
    Role.MONITOR: frozenset(
        {
            Action.VIEW_PATIENTS,
            Action.RAISE_QUERY,
            Action.CLOSE_QUERY,
            Action.VERIFY_SOURCE,
            Action.VIEW_RANDOMIZATION_LOG,
            Action.VIEW_AUDIT,
            Action.REPORTS,
        }
    ),
}


def role_allows(role: Role, action: Action) -> bool:
    return action in MATRIX[role]
