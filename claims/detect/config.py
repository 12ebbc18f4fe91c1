"""Detection settings from a plain mapping (Django's ``CLAIM_DETECTION``, or JSON from the environment).

Pure: the mapping comes in, a validated ``compare.Settings`` comes out, or a ``DetectionConfigError`` whose
message names the offending key. tracker/settings.py runs this at startup so that a bad value stops the process
before it serves or checks anything; the detector runs it again whenever the Django setting object changes.

    CLAIM_DETECTION = {
        "tolerance": 0.02,                  # "about N": N +/- max(min(tolerance x N, a step), min_tolerance)
        "min_tolerance": 1,
        "duration_tolerance": 0.10,         # "about a decade": +/- max(10 %, half a unit)
        "window_days": {"default": 90, "troop count": 365}, # windows of levels and forecasts, per attribute
        "related_score_factor": 0.6,
        "min_shared_words": 6,
        "severe_relative_gap": 0.5,
        "severe_gap_days": 730,
    }

Every key is optional. ``window_days`` entries are added to (or replace) the built-in per-attribute windows;
attribute names are normalised like claims' attributes (``names.norm_attribute``), so "Troop levels" and
"troop count" name the same window.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from claims.detect.compare import DEFAULT, Settings
from claims.detect.names import norm_attribute

SETTING = "CLAIM_DETECTION"


class DetectionConfigError(ValueError):
    """A detection setting we cannot use; the message names the key and says what is expected."""


# key -> (Settings field, lowest allowed, highest allowed, whole number only)
_NUMBERS: dict[str, tuple[str, float, float, bool]] = {
    "tolerance": ("approx_tolerance", 0.0, 1.0, False),
    "min_tolerance": ("approx_min_abs", 0.0, math.inf, False),
    "duration_tolerance": ("duration_approx_tolerance", 0.0, 1.0, False),
    "related_score_factor": ("related_score_factor", 0.0, 1.0, False),
    "min_shared_words": ("min_shared_words", 1, 1000, True),
    "severe_relative_gap": ("severe_relative_gap", 1e-9, math.inf, False),
    "severe_gap_days": ("severe_gap_days", 1.0, math.inf, False),
}
KEYS = (*_NUMBERS, "window_days")
MAX_WINDOW_DAYS = 366 * 200  # a window longer than two centuries is a typo, not a policy


def _number(path: str, raw: object, low: float, high: float, whole: bool) -> float:
    # bool is an int in Python; "true" days is never meant.
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise DetectionConfigError(f"{path} must be a number, not {raw!r}")
    if whole and raw != int(raw):
        raise DetectionConfigError(f"{path} must be a whole number, not {raw!r}")
    if not low <= raw <= high:
        bounds = f"at least {low:g}" if high == math.inf else f"between {low:g} and {high:g}"
        raise DetectionConfigError(f"{path} must be {bounds}, not {raw!r}")
    return raw


def _windows(raw: object, base: Settings) -> tuple[dict[str, int], int]:
    path = f"{SETTING}['window_days']"
    if not isinstance(raw, Mapping):
        raise DetectionConfigError(f'{path} must be a mapping like {{"default": 90, "troop count": 365}}, not {raw!r}')
    windows = {norm_attribute(name): days for name, days in base.change_window_days.items()}
    default = base.default_window_days
    given: dict[str, str] = {}
    for name, days in raw.items():
        key_path = f"{path}[{name!r}]"
        if not isinstance(name, str) or not name.strip():
            raise DetectionConfigError(f"{key_path}: an attribute name must be a non-empty string")
        value = int(_number(key_path, days, 0, MAX_WINDOW_DAYS, whole=True))
        if name.strip().casefold() == "default":
            default = value
            continue
        key = norm_attribute(name)
        if not key:
            raise DetectionConfigError(f"{key_path}: {name!r} is not an attribute name")
        if key in given and windows[key] != value:
            raise DetectionConfigError(
                f"{key_path} and {path}[{given[key]!r}] name the same attribute ({key!r}) with different windows"
            )
        given[key] = name
        windows[key] = value
    return windows, default


def settings_from_config(config: object, base: Settings = DEFAULT) -> Settings:
    """Validated ``Settings`` from a ``CLAIM_DETECTION`` mapping; ``None`` or ``{}`` keeps the defaults."""
    if config is None:
        return base
    if not isinstance(config, Mapping):
        raise DetectionConfigError(f"{SETTING} must be a mapping (a dict, or a JSON object), not {config!r}")
    unknown = sorted(str(key) for key in config if key not in KEYS)
    if unknown:
        raise DetectionConfigError(f"{SETTING}: unknown key {unknown[0]!r}; the keys are {', '.join(KEYS)}")
    changes: dict[str, object] = {}
    for key, (field_name, low, high, whole) in _NUMBERS.items():
        if key in config:
            number = _number(f"{SETTING}[{key!r}]", config[key], low, high, whole)
            changes[field_name] = int(number) if whole else float(number)
    if "window_days" in config:
        windows, default = _windows(config["window_days"], base)
        changes["change_window_days"] = MappingProxyType(windows)
        changes["default_window_days"] = default
    return replace(base, **changes)  # type: ignore[arg-type]


def config_from_json(raw: str | None, source: str = SETTING) -> dict[str, object]:
    """The ``CLAIM_DETECTION`` environment variable: a JSON object, or empty/unset for the defaults."""
    if raw is None or not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DetectionConfigError(f"{source} is not valid JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise DetectionConfigError(f"{source} must be a JSON object, not {raw.strip()[:60]!r}")
    return parsed
