"""The study definition: ``forms/*.yaml`` loaded into typed, validated, frozen models.

Call :func:`load_study` once and hold the returned :class:`StudyDefinition`;
nothing is cached at module level.
"""

from ctrial_desktop.study.catalogue import (
    COMPUTED_FUNCTIONS,
    CROSS_FORM_CHECKS,
    ComputedFunction,
    CrossFormCheck,
)
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.study.loader import Problem, StudyDefinitionError, load_study
from ctrial_desktop.study.model import (
    Arm,
    Code,
    CodeList,
    Computed,
    Drug,
    EditCheck,
    Event,
    Form,
    FormRef,
    Item,
    ItemGroup,
    Range,
    Site,
    StudyInfo,
    Text,
    Unit,
)
from ctrial_desktop.study.settings import SettingEntry, StudySettings

__all__ = [
    "COMPUTED_FUNCTIONS",
    "CROSS_FORM_CHECKS",
    "Arm",
    "Code",
    "CodeList",
    "Computed",
    "ComputedFunction",
    "CrossFormCheck",
    "Drug",
    "EditCheck",
    "Event",
    "Form",
    "FormRef",
    "Item",
    "ItemGroup",
    "Problem",
    "Range",
    "SettingEntry",
    "Site",
    "StudyDefinition",
    "StudyDefinitionError",
    "StudyInfo",
    "StudySettings",
    "Text",
    "Unit",
    "load_study",
]
