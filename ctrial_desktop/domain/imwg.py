"""IMWG uniform response criteria for multiple myeloma (PROTOCOL section 6).

Sources: Durie et al., *Leukemia* 2006;20:1467 (uniform criteria), Rajkumar et al.,
*Blood* 2011;117:4691 (IMWG consensus), Kumar et al., *Lancet Oncol* 2016;17:e328
(minimal response, light-chain-only VGPR).

Units: serum M-protein g/L, urine M-protein mg/24 h, free light chains (FLC) mg/L,
bone-marrow plasma cells %, plasmacytoma sum of products of diameters (SPD) cm²,
corrected calcium mmol/L. ``None`` always means "not done".

The engine is pure: :func:`evaluate_response` takes a :class:`Baseline`, the
on-study :class:`Assessment` records in date order and an optional new-therapy
date, and returns an :class:`ImwgResult` holding, per assessment, the category of
that assessment on its own, whether it is confirmed, the reasons in words and the
per-parameter change from baseline and from nadir; then the best overall response
and the progression date.

Rules (PROTOCOL section 6, with the published source where it is silent):

* Measurable disease at baseline decides which parameters count: serum
  M-protein >= ``serum_measurable_g_l``, urine >= ``urine_measurable_mg_24h``;
  only when neither is measurable, the involved-uninvolved FLC difference
  (involved FLC >= ``flc_measurable_mg_l`` with an abnormal ratio); only when that
  is unmeasurable too, bone-marrow plasma cells (baseline >= 30%).
* Nadir of a parameter = lowest value at baseline or at any earlier assessment
  (IMWG 2006 "lowest response value").
* The PR and MR M-protein criteria apply to each component (serum, urine) that
  was measurable at baseline; VGPR and CR always need the urine result (IMWG
  "serum and urine"). Plasmacytomas present at baseline must shrink >= 50% for
  PR and VGPR, >= 25% for MR, and disappear for CR.
* PD (any of): serum +25% from nadir with absolute increase >= 5 g/L (an
  increase >= 10 g/L suffices when the nadir was >= 50 g/L, Rajkumar 2011);
  urine +25% and >= 200 mg/24 h; FLC difference +25% and > 100 mg/L (only where
  serum and urine are unmeasurable); marrow plasma cells +25% and >= 10 points;
  new bone lesion or plasmacytoma, or >= 50% growth of an existing one;
  corrected calcium > 2.875 mmol/L. PD from marrow, new lesion or plasmacytoma
  growth is confirmed at once; any other PD needs the next assessment to be PD.
* A response (sCR to MR) is confirmed when the next assessment before new
  therapy is the same or a better category; SD needs no confirmation.
* Best overall response: assessments up to the first confirmed PD and before
  new therapy; a confirmed category counts as itself, an unconfirmed response
  or unconfirmed PD counts as SD, NE counts for nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from ctrial_desktop.domain.messages import Message

__all__ = [
    "Assessment",
    "AssessmentResult",
    "Baseline",
    "ImwgInputError",
    "ImwgResult",
    "ImwgSettings",
    "MeasurableDisease",
    "ParameterChange",
    "Response",
    "best_percent_change",
    "evaluate_response",
    "measurable_disease",
]


class ImwgInputError(ValueError):
    """The baseline or the assessments are not valid input for the engine."""


class Response(enum.StrEnum):
    """IMWG response categories, plus NE (not evaluable)."""

    SCR = "sCR"
    CR = "CR"
    VGPR = "VGPR"
    PR = "PR"
    MR = "MR"
    SD = "SD"
    PD = "PD"
    NE = "NE"

    @property
    def rank(self) -> int:
        """0 for sCR (best) to 6 for PD; NE ranks below everything (7)."""
        return _RANK[self]

    @property
    def is_response(self) -> bool:
        """sCR, CR, VGPR, PR or MR: a category that needs confirmation."""
        return self.rank <= _RANK[Response.MR]

    def at_least(self, other: Response) -> bool:
        """True when this category is the same as or better than ``other``."""
        return self is not Response.NE and self.rank <= other.rank


_RANK: dict[Response, int] = {
    Response.SCR: 0,
    Response.CR: 1,
    Response.VGPR: 2,
    Response.PR: 3,
    Response.MR: 4,
    Response.SD: 5,
    Response.PD: 6,
    Response.NE: 7,
}

SERUM = "serum_m"
URINE = "urine_m"
FLC = "flc_difference"
MARROW = "bm_pc"
PLASMACYTOMA = "plasmacytoma_spd"

#: Words and units of each parameter, for the reasons.
PARAMETER_LABELS: dict[str, tuple[Message, str, str]] = {
    SERUM: (Message("serum M-protein"), "g/L", "{value:.1f} g/L"),
    URINE: (Message("urine M-protein"), "mg/24 h", "{value:.0f} mg/24 h"),
    FLC: (Message("FLC difference (involved - uninvolved)"), "mg/L", "{value:.1f} mg/L"),
    MARROW: (Message("bone-marrow plasma cells"), "%", "{value:g}%"),
    PLASMACYTOMA: (Message("plasmacytoma SPD"), "cm²", "{value:.1f} cm²"),
}

#: Immunofixation results in words.
_IFE_WORDS: dict[str, Message] = {"positive": Message("positive"),
                                  "negative": Message("negative")}

#: What a category lacks when a parameter was not done.
_SERUM_NOT_DONE = Message("serum M-protein not done")
_URINE_NOT_DONE = Message("urine M-protein not done")
_FLC_NOT_DONE = Message("FLC not done")
_MARROW_NOT_DONE = Message("bone-marrow plasma cells not done")
_RATIO_NOT_DONE = Message("FLC ratio not done")


@dataclass(frozen=True, slots=True)
class ImwgSettings:
    """Every rule the sponsor may change (``forms/study.yaml``, ``imwg:`` section).

    Setting names and PROTOCOL defaults:

    * ``serum_measurable_g_l`` (5.0): serum M-protein measurable at baseline
      [default; 10 g/L in IMWG 2011].
    * ``urine_measurable_mg_24h`` (200.0), ``flc_measurable_mg_l`` (100.0),
      ``flc_ratio_low`` / ``flc_ratio_high`` (0.26 / 1.65, normal kappa/lambda
      ratio), ``marrow_measurable_pc`` (30.0, baseline marrow plasma cells for
      a marrow-based PR).
    * ``bm_carry_forward`` (True): a bone-marrow result carries forward until
      the next marrow [default].
    * ``flc_minimal_response`` (False): a 25-49% fall of the FLC difference alone
      is SD, because MR is defined on M-protein only [default]; True makes it MR.
    * ``missing_value_blocks_category`` (True): an assessment with a missing
      value needed by a category cannot claim that category [default]; False
      judges the category on the values that were done.
    * ``serum_high_nadir_g_l`` (50.0) and ``serum_high_nadir_increase_g_l``
      (10.0): when the serum nadir was >= 50 g/L an increase >= 10 g/L is PD;
      ``serum_high_nadir_increase_sufficient`` (True) follows Rajkumar 2011 ("an
      increase of >= 1 g/dL is sufficient"); False also requires the +25%.
    * ``hypercalcaemia_mmol_l`` (2.875): corrected calcium above it is PD.
    """

    serum_measurable_g_l: float = 5.0
    urine_measurable_mg_24h: float = 200.0
    flc_measurable_mg_l: float = 100.0
    flc_ratio_low: float = 0.26
    flc_ratio_high: float = 1.65
    marrow_measurable_pc: float = 30.0
    bm_carry_forward: bool = True
    flc_minimal_response: bool = False
    missing_value_blocks_category: bool = True
    serum_high_nadir_g_l: float = 50.0
    serum_high_nadir_increase_g_l: float = 10.0
    serum_high_nadir_increase_sufficient: bool = True
    hypercalcaemia_mmol_l: float = 2.875


@dataclass(frozen=True, slots=True)
class Baseline:
    """Last values before cycle 1 day 1. ``involved_flc`` is "kappa", "lambda" or
    None (then inferred from an abnormal ratio)."""

    date: dt.date
    serum_m: float | None = None
    urine_m: float | None = None
    flc_kappa: float | None = None
    flc_lambda: float | None = None
    involved_flc: str | None = None
    bm_pc: float | None = None
    plasmacytoma_spd: float | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    """One disease assessment. Immunofixation is "positive", "negative" or None;
    ``bm_clonal`` tells whether clonal plasma cells were found in the marrow."""

    date: dt.date
    serum_m: float | None = None
    serum_ife: str | None = None
    urine_m: float | None = None
    urine_ife: str | None = None
    flc_kappa: float | None = None
    flc_lambda: float | None = None
    bm_pc: float | None = None
    bm_clonal: bool | None = None
    plasmacytoma_spd: float | None = None
    new_lesion: bool | None = None
    corrected_calcium: float | None = None


@dataclass(frozen=True, slots=True)
class MeasurableDisease:
    """Which parameters count, decided on the baseline."""

    serum: bool
    urine: bool
    flc: bool
    marrow: bool
    plasmacytoma: bool
    involved_flc: str | None

    @property
    def m_protein(self) -> bool:
        """Serum or urine M-protein is measurable."""
        return self.serum or self.urine

    @property
    def main_parameter(self) -> str | None:
        """The parameter a waterfall plot shows: serum, else urine, else FLC."""
        if self.serum:
            return SERUM
        if self.urine:
            return URINE
        if self.flc:
            return FLC
        return None


@dataclass(frozen=True, slots=True)
class ParameterChange:
    """A parameter's value at an assessment, with % change from baseline and nadir
    (None when the reference is missing or zero)."""

    parameter: str
    value: float
    baseline: float | None
    nadir: float | None
    pct_from_baseline: float | None
    pct_from_nadir: float | None
    carried_forward: bool = False


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """Category of one assessment on its own (None when on or after new therapy)."""

    date: dt.date
    response: Response | None
    confirmed: bool
    reasons: tuple[str, ...]
    changes: tuple[ParameterChange, ...] = ()
    pd_confirmed_at_once: bool = False

    def change(self, parameter: str) -> ParameterChange | None:
        """The change record of ``parameter`` (e.g. ``"serum_m"``), if measured."""
        for item in self.changes:
            if item.parameter == parameter:
                return item
        return None


@dataclass(frozen=True, slots=True)
class ImwgResult:
    """Outcome of :func:`evaluate_response`."""

    assessments: tuple[AssessmentResult, ...]
    best_overall_response: Response
    best_response_date: dt.date | None
    progression_date: dt.date | None
    measurable: MeasurableDisease
    new_therapy_date: dt.date | None = None
    counted: tuple[Response | None, ...] = field(default=())


# --------------------------------------------------------------------------- helpers


#: Tolerance of threshold comparisons against binary floating-point noise.
_EPS = 1e-9


def _ge(value: float, limit: float) -> bool:
    """``value >= limit``, tolerant of rounding noise (0.1 + 0.2 >= 0.3)."""
    return value >= limit - _EPS * max(1.0, abs(limit))


def _fmt(parameter: str, value: float) -> Message:
    """``12.0 g/L``: the value with its unit (decimal comma in French; ``60\u00a0%``)."""
    if parameter == MARROW:
        return Message("{value:g}%", value=value)  # French puts a space before "%"
    return Message.verbatim(PARAMETER_LABELS[parameter][2], value=value)


def _pct(value: float, reference: float | None) -> float | None:
    if reference is None or reference == 0:
        return None
    return (value - reference) / abs(reference) * 100.0


def _flc_ratio(kappa: float | None, lambda_: float | None) -> float | None:
    if kappa is None or lambda_ is None or lambda_ == 0:
        return None
    return kappa / lambda_


def _flc_difference(
    kappa: float | None, lambda_: float | None, involved: str | None
) -> float | None:
    if kappa is None or lambda_ is None or involved is None:
        return None
    return kappa - lambda_ if involved == "kappa" else lambda_ - kappa


def measurable_disease(
    baseline: Baseline, settings: ImwgSettings | None = None
) -> MeasurableDisease:
    """Decide which parameters count, from the baseline (PROTOCOL section 6)."""
    s = settings or ImwgSettings()
    serum = baseline.serum_m is not None and baseline.serum_m >= s.serum_measurable_g_l
    urine = baseline.urine_m is not None and baseline.urine_m >= s.urine_measurable_mg_24h
    ratio = _flc_ratio(baseline.flc_kappa, baseline.flc_lambda)
    involved = baseline.involved_flc
    if involved is None and ratio is not None:
        if ratio > s.flc_ratio_high:
            involved = "kappa"
        elif ratio < s.flc_ratio_low:
            involved = "lambda"
    abnormal_ratio = ratio is not None and not (s.flc_ratio_low <= ratio <= s.flc_ratio_high)
    involved_value = (
        None
        if involved is None
        else (baseline.flc_kappa if involved == "kappa" else baseline.flc_lambda)
    )
    flc = (
        not (serum or urine)
        and abnormal_ratio
        and involved_value is not None
        and involved_value >= s.flc_measurable_mg_l
    )
    marrow = (
        not (serum or urine or flc)
        and baseline.bm_pc is not None
        and baseline.bm_pc >= s.marrow_measurable_pc
    )
    plasmacytoma = baseline.plasmacytoma_spd is not None and baseline.plasmacytoma_spd > 0
    return MeasurableDisease(serum, urine, flc, marrow, plasmacytoma, involved)


def _validate(
    baseline: Baseline, assessments: Sequence[Assessment], new_therapy_date: dt.date | None
) -> None:
    def check_values(where: Message, record: Baseline | Assessment,
                     names: Sequence[str]) -> None:
        for name in names:
            value = getattr(record, name)
            if value is not None and value < 0:
                raise ImwgInputError(Message("{where}: {name} must not be negative (got {value})",
                                             where=where, name=name, value=value))

    numeric = ("serum_m", "urine_m", "flc_kappa", "flc_lambda", "bm_pc", "plasmacytoma_spd")
    check_values(Message("baseline"), baseline, numeric)
    if baseline.involved_flc not in (None, "kappa", "lambda"):
        raise ImwgInputError(Message("baseline: involved_flc must be 'kappa', 'lambda' or null"))
    if baseline.bm_pc is not None and baseline.bm_pc > 100:
        raise ImwgInputError(Message("baseline: bm_pc must be a percentage (0-100)"))
    previous = baseline.date
    for index, item in enumerate(assessments):
        where = Message("assessment {number} ({date})", number=index + 1, date=item.date)
        check_values(where, item, (*numeric, "corrected_calcium"))
        if item.bm_pc is not None and item.bm_pc > 100:
            raise ImwgInputError(Message("{where}: bm_pc must be a percentage (0-100)",
                                         where=where))
        for name in ("serum_ife", "urine_ife"):
            if getattr(item, name) not in (None, "positive", "negative"):
                raise ImwgInputError(Message(
                    "{where}: {name} must be 'positive', 'negative' or null", where=where,
                    name=name))
        if item.date <= previous:
            if index == 0:
                raise ImwgInputError(Message("{where}: date must be after the baseline date",
                                             where=where))
            raise ImwgInputError(Message("{where}: date must be after the previous assessment",
                                         where=where))
        previous = item.date
    if new_therapy_date is not None and new_therapy_date <= baseline.date:
        raise ImwgInputError(Message("new_therapy_date must be after the baseline date"))


class _Evaluator:
    """Evaluates one assessment in the context of the baseline and earlier ones."""

    def __init__(self, baseline: Baseline, settings: ImwgSettings) -> None:
        self.baseline = baseline
        self.s = settings
        self.m = measurable_disease(baseline, settings)

    # -- parameter values -------------------------------------------------------------

    def value(self, record: Baseline | Assessment, parameter: str) -> float | None:
        if parameter == FLC:
            return _flc_difference(record.flc_kappa, record.flc_lambda, self.m.involved_flc)
        value: float | None = getattr(record, parameter)
        return value

    def nadir(self, parameter: str, prior: Sequence[Assessment]) -> float | None:
        values = [self.value(r, parameter) for r in (self.baseline, *prior)]
        present = [v for v in values if v is not None]
        return min(present) if present else None

    def marrow(
        self, item: Assessment, prior: Sequence[Assessment]
    ) -> tuple[float | None, bool | None, bool]:
        """Marrow plasma cells and clonality at ``item``, carried forward from the
        last on-study marrow when not done (baseline marrow is not carried)."""
        if item.bm_pc is not None or item.bm_clonal is not None:
            return item.bm_pc, item.bm_clonal, False
        if self.s.bm_carry_forward:
            for earlier in reversed(prior):
                if earlier.bm_pc is not None or earlier.bm_clonal is not None:
                    return earlier.bm_pc, earlier.bm_clonal, True
        return None, None, False

    # -- evaluation -------------------------------------------------------------------

    def changes(self, item: Assessment, prior: Sequence[Assessment]) -> list[ParameterChange]:
        out: list[ParameterChange] = []
        for parameter in (SERUM, URINE, FLC, MARROW, PLASMACYTOMA):
            carried = False
            if parameter == MARROW:
                value, _, carried = self.marrow(item, prior)
            else:
                value = self.value(item, parameter)
            if value is None:
                continue
            base = self.value(self.baseline, parameter)
            nadir = self.nadir(parameter, prior)
            out.append(
                ParameterChange(
                    parameter, value, base, nadir, _pct(value, base), _pct(value, nadir), carried
                )
            )
        return out

    def progression(self, item: Assessment, prior: Sequence[Assessment]) -> tuple[list[str], bool]:
        """PD reasons at ``item`` and whether one of them is confirmed at once."""
        s = self.s
        reasons: list[str] = []
        at_once = False

        def rise(parameter: str) -> tuple[float, float] | None:
            value = self.value(item, parameter)
            nadir = self.nadir(parameter, prior)
            if value is None or nadir is None:
                return None
            return value, nadir

        serum = rise(SERUM)
        if serum is not None:
            value, nadir = serum
            increase = value - nadir
            plus25 = _ge(increase, 0.25 * abs(nadir))
            if nadir >= s.serum_high_nadir_g_l:
                enough = _ge(increase, s.serum_high_nadir_increase_g_l) and (
                    s.serum_high_nadir_increase_sufficient or plus25
                )
                rule = Message("increase >= {increase:g} g/L from a nadir >= {nadir:g} g/L",
                               increase=s.serum_high_nadir_increase_g_l,
                               nadir=s.serum_high_nadir_g_l)
            else:
                enough = plus25 and _ge(increase, 5.0)
                rule = Message("+25% from nadir and absolute increase >= 5 g/L")
            if enough:
                reasons.append(Message(
                    "PD: serum M-protein {value} up {increase:.1f} g/L from nadir {nadir} "
                    "({rule})", value=_fmt(SERUM, value), increase=increase,
                    nadir=_fmt(SERUM, nadir), rule=rule))
        urine = rise(URINE)
        if urine is not None:
            value, nadir = urine
            increase = value - nadir
            if _ge(increase, 0.25 * abs(nadir)) and _ge(increase, 200.0):
                reasons.append(Message(
                    "PD: urine M-protein {value} up {increase:.0f} mg/24 h from nadir {nadir} "
                    "(+25% and >= 200 mg/24 h)", value=_fmt(URINE, value), increase=increase,
                    nadir=_fmt(URINE, nadir)))
        if not self.m.m_protein:
            flc = rise(FLC)
            if flc is not None:
                value, nadir = flc
                increase = value - nadir
                if _ge(increase, 0.25 * abs(nadir)) and increase > 100.0 + _EPS * 100:
                    reasons.append(Message(
                        "PD: FLC difference {value} up {increase:.1f} mg/L from nadir {nadir} "
                        "(+25% and > 100 mg/L; serum and urine unmeasurable)",
                        value=_fmt(FLC, value), increase=increase, nadir=_fmt(FLC, nadir)))
        if item.bm_pc is not None:
            nadir = self.nadir(MARROW, prior)
            if nadir is not None:
                increase = item.bm_pc - nadir
                if _ge(increase, 0.25 * nadir) and _ge(increase, 10.0):
                    reasons.append(Message(
                        "PD: bone-marrow plasma cells {value:g}% up {increase:g} points from "
                        "nadir {nadir:g}% (+25% and >= 10 points; confirmed at once)",
                        value=item.bm_pc, increase=increase, nadir=nadir))
                    at_once = True
        if item.new_lesion:
            reasons.append(Message("PD: new bone lesion or plasmacytoma (confirmed at once)"))
            at_once = True
        spd = rise(PLASMACYTOMA)
        if spd is not None:
            value, nadir = spd
            if nadir == 0 and value > 0:
                reasons.append(Message("PD: new plasmacytoma, SPD {value} (confirmed at once)",
                                       value=_fmt(PLASMACYTOMA, value)))
                at_once = True
            elif nadir > 0 and _ge(value, 1.5 * nadir):
                reasons.append(Message(
                    "PD: plasmacytoma SPD {value}, +{pct:.0f}% from nadir {nadir} "
                    "(>= 50% increase; confirmed at once)", value=_fmt(PLASMACYTOMA, value),
                    pct=_pct(value, nadir), nadir=_fmt(PLASMACYTOMA, nadir)))
                at_once = True
        calcium = item.corrected_calcium
        if calcium is not None and calcium > s.hypercalcaemia_mmol_l:
            reasons.append(Message(
                "PD: corrected calcium {calcium:.2f} mmol/L > {limit:g} mmol/L "
                "(hypercalcaemia, counted as attributed to myeloma)",
                calcium=calcium, limit=s.hypercalcaemia_mmol_l))
        return reasons, at_once

    def evaluable(self, item: Assessment, prior: Sequence[Assessment]) -> bool:
        m = self.m
        if m.serum and item.serum_m is not None:
            return True
        if m.urine and item.urine_m is not None:
            return True
        if m.flc and self.value(item, FLC) is not None:
            return True
        return m.marrow and self.marrow(item, prior)[0] is not None

    def category(self, item: Assessment, prior: Sequence[Assessment]) -> tuple[Response, list[str]]:
        """The best non-PD category met; the reasons say which rule and what was missing."""
        s = self.s
        m = self.m
        missing: dict[Response, list[str]] = {}
        failed: set[Response] = set()
        met: set[Response] = set()

        def need(category: Response, condition: bool | None, what: str) -> bool:
            if condition is None:
                missing.setdefault(category, []).append(what)
                return not s.missing_value_blocks_category
            if condition:
                met.add(category)
            else:
                failed.add(category)
            return condition

        def claim(category: Response, ok: bool) -> bool:
            # With missing values not blocking, a category still needs one criterion met.
            return ok and (s.missing_value_blocks_category or category in met)

        def reduction(parameter: str) -> float | None:
            value = self.value(item, parameter)
            base = self.value(self.baseline, parameter)
            if value is None or base is None or base == 0:
                return None
            return (base - value) / base

        def at_least(fraction: float | None, threshold: float) -> bool | None:
            return None if fraction is None else fraction >= threshold - _EPS

        bm_pc, bm_clonal, _ = self.marrow(item, prior)
        ratio = _flc_ratio(item.flc_kappa, item.flc_lambda)
        ratio_normal = None if ratio is None else s.flc_ratio_low <= ratio <= s.flc_ratio_high

        def plasmacytoma_ok(category: Response, max_fraction: float, words: Message) -> bool:
            if not m.plasmacytoma:
                return True
            spd = item.plasmacytoma_spd
            base = self.baseline.plasmacytoma_spd or 0.0
            cond = None if spd is None else spd <= max_fraction * base + _EPS
            return need(category, cond,
                        Message("plasmacytoma SPD not measured ({requirement})",
                                requirement=words))

        # CR: negative IFE of serum and urine, plasmacytomas gone, marrow plasma cells < 5%.
        def cr_met(category: Response) -> bool:
            ok = need(
                category,
                None if item.serum_ife is None else item.serum_ife == "negative",
                Message("serum immunofixation not done"),
            )
            ok = (
                need(
                    category,
                    None if item.urine_ife is None else item.urine_ife == "negative",
                    Message("urine immunofixation not done"),
                )
                and ok
            )
            ok = plasmacytoma_ok(category, 0.0, Message("disappearance required")) and ok
            ok = (
                need(
                    category,
                    None if bm_pc is None else bm_pc < 5.0,
                    _MARROW_NOT_DONE,
                )
                and ok
            )
            if m.flc:
                # Rajkumar 2011: where FLC is the only measurable disease, CR also
                # requires a normal FLC ratio (0.26-1.65).
                ok = need(category, ratio_normal, _RATIO_NOT_DONE) and ok
            return ok

        cr = claim(Response.CR, cr_met(Response.CR))
        if cr:
            scr = need(Response.SCR, ratio_normal, _RATIO_NOT_DONE)
            scr = (
                need(
                    Response.SCR,
                    None if bm_clonal is None else not bm_clonal,
                    Message("marrow clonality not done"),
                )
                and scr
            )
            if claim(Response.SCR, scr):
                return Response.SCR, [Message(
                    "sCR: CR plus normal FLC ratio ({low:g}-{high:g}) "
                    "and no clonal plasma cells in bone marrow",
                    low=s.flc_ratio_low, high=s.flc_ratio_high)]
            return Response.CR, [
                Message("CR: negative immunofixation of serum and urine, no plasmacytoma, "
                        "bone-marrow plasma cells < 5%"),
                *(
                    []
                    if Response.SCR in failed
                    else [_not_claimed(Response.SCR, w) for w in missing.get(Response.SCR, [])]
                ),
            ]

        def blocked(*categories: Response) -> list[Message]:
            out: list[Message] = []
            for cat in categories:
                if cat in failed or not s.missing_value_blocks_category:
                    continue
                out.extend(_not_claimed(cat, w) for w in missing.get(cat, []))
            return out

        # VGPR
        vgpr = False
        vgpr_rule = Message.verbatim("")
        if m.m_protein:
            serum_zero = None if item.serum_m is None else item.serum_m == 0
            urine_zero = None if item.urine_m is None else item.urine_m == 0
            if serum_zero and urine_zero:
                vgpr, vgpr_rule = (
                    True,
                    Message(
                        "VGPR: M-protein detectable by immunofixation only "
                        "(serum and urine electrophoresis negative)"
                    ),
                )
            else:
                ok = True
                if m.serum:
                    ok = need(
                        Response.VGPR, at_least(reduction(SERUM), 0.90), _SERUM_NOT_DONE
                    )
                ok = (
                    need(
                        Response.VGPR,
                        None if item.urine_m is None else item.urine_m < 100.0,
                        _URINE_NOT_DONE,
                    )
                    and ok
                )
                if claim(Response.VGPR, ok):
                    vgpr = True
                    vgpr_rule = (
                        Message("VGPR: serum M-protein reduced >= 90% with urine M-protein "
                                "< 100 mg/24 h")
                        if m.serum
                        else Message("VGPR: urine M-protein < 100 mg/24 h")
                    )
        elif m.flc and claim(
            Response.VGPR, need(Response.VGPR, at_least(reduction(FLC), 0.90), _FLC_NOT_DONE)
        ):
            # Kumar 2016: light-chain-only disease, VGPR = >= 90% fall of the FLC difference.
            vgpr = True
            vgpr_rule = Message("VGPR: FLC difference reduced >= 90% (light-chain-only disease)")
        if vgpr and plasmacytoma_ok(Response.VGPR, 0.5, Message("VGPR needs >= 50% reduction")):
            return Response.VGPR, [vgpr_rule, *blocked(Response.CR)]

        # PR
        pr_rule = Message.verbatim("")
        if m.m_protein:
            ok = True
            parts: list[Message] = []
            if m.serum:
                ok = need(Response.PR, at_least(reduction(SERUM), 0.50), _SERUM_NOT_DONE)
                parts.append(Message("serum M-protein reduced >= 50%"))
            if m.urine:
                red = reduction(URINE)
                cond = (
                    None
                    if red is None or item.urine_m is None
                    else (red >= 0.90 - _EPS or item.urine_m < 200.0)
                )
                ok = need(Response.PR, cond, _URINE_NOT_DONE) and ok
                parts.append(Message("urine M-protein reduced >= 90% or < 200 mg/24 h"))
            pr_rule = Message("PR: {criteria}", criteria=_both(parts))
        elif m.flc:
            ok = need(Response.PR, at_least(reduction(FLC), 0.50), _FLC_NOT_DONE)
            pr_rule = Message("PR: FLC difference reduced >= 50% (serum and urine unmeasurable)")
        else:
            base = self.baseline.bm_pc or 0.0
            red = None if bm_pc is None or base == 0 else (base - bm_pc) / base
            ok = need(Response.PR, at_least(red, 0.50), _MARROW_NOT_DONE)
            pr_rule = Message(
                "PR: bone-marrow plasma cells reduced >= 50% (baseline {base:g}% >= "
                "{measurable:g}%; serum, urine and FLC unmeasurable)",
                base=base, measurable=s.marrow_measurable_pc)
        if claim(
            Response.PR,
            ok and plasmacytoma_ok(Response.PR, 0.5, Message("PR needs >= 50% reduction")),
        ):
            if m.plasmacytoma:
                pr_rule = Message("{rule}, plasmacytoma SPD reduced >= 50%", rule=pr_rule)
            return Response.PR, [pr_rule, *blocked(Response.CR, Response.VGPR)]

        # MR (Kumar 2016): M-protein only, unless the FLC setting says otherwise.
        mr_rule = Message.verbatim("")
        ok = False
        if m.m_protein:
            ok = True
            parts: list[Message] = []
            if m.serum:
                ok = need(Response.MR, at_least(reduction(SERUM), 0.25), _SERUM_NOT_DONE)
                parts.append(Message("serum M-protein reduced >= 25%"))
            if m.urine:
                ok = (
                    need(Response.MR, at_least(reduction(URINE), 0.50), _URINE_NOT_DONE)
                    and ok
                )
                parts.append(Message("urine M-protein reduced >= 50%"))
            mr_rule = Message("MR: {criteria}", criteria=_both(parts))
        elif m.flc and s.flc_minimal_response:
            ok = need(Response.MR, at_least(reduction(FLC), 0.25), _FLC_NOT_DONE)
            mr_rule = Message("MR: FLC difference reduced >= 25% (flc_minimal_response setting)")
        if claim(
            Response.MR,
            ok and plasmacytoma_ok(Response.MR, 0.75, Message("MR needs >= 25% reduction")),
        ):
            if m.plasmacytoma:
                mr_rule = Message("{rule}, plasmacytoma SPD reduced >= 25%", rule=mr_rule)
            return Response.MR, [mr_rule, *blocked(Response.CR, Response.VGPR, Response.PR)]

        extra: list[Message] = []
        if m.flc and not s.flc_minimal_response:
            red = reduction(FLC)
            if red is not None and red >= 0.25:
                extra.append(Message(
                    "FLC difference fall of 25-49% alone is SD (MR is defined on M-protein)"))
        return Response.SD, [
            Message("SD: criteria for MR or better not met, no progression"),
            *extra,
            *blocked(Response.CR, Response.VGPR, Response.PR, Response.MR),
        ]


def _not_claimed(category: Response, missing: str) -> Message:
    """``VGPR not claimed: serum M-protein not done``."""
    return Message("{category} not claimed: {missing}", category=category.value, missing=missing)


def _both(criteria: Sequence[Message]) -> Message:
    """One criterion, or two joined by "and" (serum and urine M-protein)."""
    if len(criteria) == 1:
        return criteria[0]
    first, second = criteria
    return Message("{first} and {second}", first=first, second=second)


def _change_words(change: ParameterChange) -> str:
    label = PARAMETER_LABELS[change.parameter][0]
    parts = [Message.verbatim("{label} {value}", label=label,
                              value=_fmt(change.parameter, change.value))]
    if change.carried_forward:
        parts.append(Message(" (carried forward from the last marrow)"))
    if change.pct_from_baseline is not None and change.baseline is not None:
        parts.append(Message(", {pct:+.0f}% from baseline {base}", pct=change.pct_from_baseline,
                             base=_fmt(change.parameter, change.baseline)))
    if (
        change.pct_from_nadir is not None
        and change.nadir is not None
        and change.nadir != change.baseline
        and not change.carried_forward
    ):
        parts.append(Message(", {pct:+.0f}% from nadir {nadir}", pct=change.pct_from_nadir,
                             nadir=_fmt(change.parameter, change.nadir)))
    return Message.join("", parts)


def evaluate_response(
    baseline: Baseline,
    assessments: Sequence[Assessment],
    new_therapy_date: dt.date | None = None,
    settings: ImwgSettings | None = None,
) -> ImwgResult:
    """Classify each assessment, confirm, and derive the best overall response.

    Raises :class:`ImwgInputError` for negative values, unknown immunofixation
    words, or dates that are not strictly increasing after the baseline date.
    """
    s = settings or ImwgSettings()
    _validate(baseline, assessments, new_therapy_date)
    ev = _Evaluator(baseline, s)

    active = [a for a in assessments if new_therapy_date is None or a.date < new_therapy_date]
    raw: list[tuple[Response, list[str], list[ParameterChange], bool]] = []
    for index, item in enumerate(active):
        prior = active[:index]
        changes = ev.changes(item, prior)
        words = [_change_words(c) for c in changes]
        if item.serum_ife is not None:
            words.append(Message("serum immunofixation {result}",
                                 result=_IFE_WORDS.get(item.serum_ife, item.serum_ife)))
        if item.urine_ife is not None:
            words.append(Message("urine immunofixation {result}",
                                 result=_IFE_WORDS.get(item.urine_ife, item.urine_ife)))
        pd_reasons, at_once = ev.progression(item, prior)
        if pd_reasons:
            raw.append((Response.PD, words + pd_reasons, changes, at_once))
        elif not ev.evaluable(item, prior):
            raw.append(
                (Response.NE, [*words, Message("NE: no measurable parameter was done")], changes,
                 False)
            )
        else:
            category, rule_words = ev.category(item, prior)
            raw.append((category, words + rule_words, changes, False))

    results: list[AssessmentResult] = []
    for index, (category, words, changes, at_once) in enumerate(raw):
        following = raw[index + 1][0] if index + 1 < len(raw) else None
        if category is Response.SD:
            confirmed = True
        elif category is Response.NE:
            confirmed = False
        elif category is Response.PD:
            confirmed = at_once or following is Response.PD
        else:
            confirmed = following is not None and following.at_least(category)
        if category.is_response or category is Response.PD:
            if confirmed:
                confirmed_words = (
                    Message("{category} confirmed at once", category=category.value)
                    if category is Response.PD and at_once
                    else Message("{category} confirmed by the next assessment",
                                 category=category.value))
                words = [*words, confirmed_words]
            elif following is None:
                words = [*words, Message("{category} not confirmed yet: no later assessment",
                                         category=category.value)]
            else:
                words = [
                    *words,
                    Message("{category} not confirmed: next assessment is {following}",
                            category=category.value, following=following.value),
                ]
        results.append(
            AssessmentResult(
                date=active[index].date,
                response=category,
                confirmed=confirmed,
                reasons=tuple(words),
                changes=tuple(changes),
                pd_confirmed_at_once=at_once,
            )
        )

    # Best overall response: up to the first confirmed PD, before new therapy.
    counted: list[Response | None] = []
    best: Response | None = None
    best_date: dt.date | None = None
    progression_date: dt.date | None = None
    for item in results:
        assert item.response is not None
        if item.response is Response.NE:
            counts: Response | None = None
        elif item.response is Response.SD or item.confirmed:
            counts = item.response
        else:
            counts = Response.SD
        counted.append(counts)
        if counts is not None and (best is None or counts.rank < best.rank):
            best, best_date = counts, item.date
        if item.response is Response.PD and item.confirmed:
            progression_date = item.date
            break
    counted.extend([None] * (len(results) - len(counted)))

    for item in assessments[len(active) :]:
        results.append(
            AssessmentResult(
                date=item.date,
                response=None,
                confirmed=False,
                reasons=(Message("on or after the start of new therapy: not assessed"),),
            )
        )
        counted.append(None)

    return ImwgResult(
        assessments=tuple(results),
        best_overall_response=best or Response.NE,
        best_response_date=best_date,
        progression_date=progression_date,
        measurable=ev.m,
        new_therapy_date=new_therapy_date,
        counted=tuple(counted),
    )


def best_percent_change(result: ImwgResult) -> float | None:
    """Best (lowest) % change from baseline of the main M-protein parameter
    (serum, else urine, else FLC difference) over the assessed visits, for the
    waterfall plot; None when there is no measurable parameter or no value."""
    parameter = result.measurable.main_parameter
    if parameter is None:
        return None
    values = []
    for item in result.assessments:
        if item.response is None:
            continue
        change = item.change(parameter)
        if change is not None and change.pct_from_baseline is not None:
            values.append(change.pct_from_baseline)
    return min(values) if values else None
