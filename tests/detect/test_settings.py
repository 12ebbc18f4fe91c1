"""Detection settings: the CLAIM_DETECTION mapping, its validation, and its effect on the detector's verdicts."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from claims.detect.compare import DEFAULT, ClaimFacts, compare
from claims.detect.config import DetectionConfigError, config_from_json, settings_from_config
from claims.detection.check import check_claim
from claims.models import Claim, Contradiction
from tests.factories import make_article, make_claim

ROOT = Path(__file__).resolve().parents[2]


def _count(value: float, as_of: dt.date, attribute: str = "troop count") -> ClaimFacts:
    return ClaimFacts(
        id=str(value),
        kind="quantity",
        subject="Peacekeepers in Veldria",
        attribute=attribute,
        value=value,
        unit="troops",
        as_of=as_of,
    )


# --- the pure mapping -> Settings -------------------------------------------------------------------------------


def test_no_setting_keeps_the_documented_defaults() -> None:
    empties: tuple[dict[str, object] | None, ...] = (None, {})
    for empty in empties:
        settings = settings_from_config(empty)
        assert settings == DEFAULT
        assert settings.default_window_days == 90
        assert settings.approx_tolerance == 0.02
        # No built-in per-attribute window: how a figure moves (dynamics.py) gives fast levels their own.
        assert settings.window_days("Death toll") == 90
        assert settings.window_days("evacuated", 2) == 2
        assert settings.window_days("troop count") == 90


def test_every_key_reaches_its_field() -> None:
    settings = settings_from_config({
        "tolerance": 0.05, "min_tolerance": 2, "duration_tolerance": 0.2, "related_score_factor": 0.5,
        "min_shared_words": 4, "severe_relative_gap": 0.25, "severe_gap_days": 365,
        "window_days": {"default": 120},
    })  # fmt: skip
    assert (settings.approx_tolerance, settings.approx_min_abs, settings.duration_approx_tolerance) == (0.05, 2, 0.2)
    assert (settings.related_score_factor, settings.min_shared_words) == (0.5, 4)
    assert (settings.severe_relative_gap, settings.severe_gap_days, settings.default_window_days) == (0.25, 365, 120)


def test_attribute_windows_are_keyed_by_the_normalised_attribute_and_merge_with_the_built_in_ones() -> None:
    settings = settings_from_config({"window_days": {"default": 30, "Troop levels": 365, "death toll": 7}})
    # "Troop levels", "number of troops" and "troop count" are one attribute (names.norm_attribute).
    assert settings.window_days("troop count") == 365
    assert settings.window_days("Number of troops") == 365
    assert settings.window_days("Fatalities") == 7
    assert settings.window_days("evacuated", 2) == 2  # a kind's own window when none is configured
    assert settings.window_days("budget") == 30  # the new default


def test_the_window_decides_between_a_change_and_a_contradiction() -> None:
    early, late = _count(2400, dt.date(2024, 1, 1)), _count(2500, dt.date(2024, 7, 19))  # 200 days apart
    assert compare(early, late) is None  # default 90 days: a change over time
    wide = settings_from_config({"window_days": {"troop count": 365}})
    verdict = compare(early, late, settings=wide)
    assert verdict is not None and verdict.kind == "numeric"
    assert compare(early, late, settings=settings_from_config({"window_days": {"default": 365}})) is not None


def test_a_wider_tolerance_absorbs_a_gap() -> None:
    day = dt.date(2024, 2, 8)
    low = _count(2400, day)
    about = ClaimFacts(
        id="b",
        kind="quantity",
        subject=low.subject,
        attribute=low.attribute,
        value=2500,
        unit="troops",
        qualifier="approx",
        as_of=day,
    )
    assert compare(low, about) is not None
    assert compare(low, about, settings=settings_from_config({"tolerance": 0.05})) is None


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ({"window_dayz": {"default": 3}}, "'window_dayz'"),
        ({"tolerance": "2%"}, "['tolerance']"),
        ({"tolerance": 1.5}, "['tolerance']"),
        ({"tolerance": float("nan")}, "['tolerance']"),
        ({"min_shared_words": 2.5}, "['min_shared_words']"),
        ({"min_shared_words": True}, "['min_shared_words']"),
        ({"severe_gap_days": 0}, "['severe_gap_days']"),
        ({"window_days": 90}, "['window_days']"),
        ({"window_days": {"default": -1}}, "['window_days']['default']"),
        ({"window_days": {"default": 30.5}}, "['window_days']['default']"),
        ({"window_days": {"death toll": None}}, "['window_days']['death toll']"),
        ({"window_days": {"population": 10**9}}, "['window_days']['population']"),
        ({"window_days": {"": 5}}, "['window_days']['']"),
        ({"window_days": {"Troop levels": 30, "number of troops": 60}}, "['window_days']['number of troops']"),
        ([("tolerance", 0.1)], "CLAIM_DETECTION must be a mapping"),
    ],
)
def test_a_bad_value_is_refused_naming_the_key(config: object, named: str) -> None:
    with pytest.raises(DetectionConfigError) as caught:
        settings_from_config(config)
    assert "CLAIM_DETECTION" in str(caught.value)
    assert named in str(caught.value)


def test_the_same_attribute_twice_with_the_same_window_is_fine() -> None:
    settings = settings_from_config({"window_days": {"Troop levels": 60, "number of troops": 60}})
    assert settings.window_days("troop count") == 60


def test_the_environment_form_is_a_json_object() -> None:
    assert config_from_json(None) == {} and config_from_json("  ") == {}
    assert config_from_json('{"window_days": {"default": 120}}') == {"window_days": {"default": 120}}
    with pytest.raises(DetectionConfigError, match="not valid JSON"):
        config_from_json("{window_days: 3}")
    with pytest.raises(DetectionConfigError, match="must be a JSON object"):
        config_from_json("[1, 2]")


# --- at startup ---------------------------------------------------------------------------------------------------


def _start_django(raw: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="tracker.settings", CLAIM_DETECTION=raw)
    code = (
        "import django; django.setup(); from django.conf import settings; import json; "
        "print(json.dumps(settings.CLAIM_DETECTION, sort_keys=True))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_environment_variable_configures_a_process() -> None:
    started = _start_django('{"window_days": {"default": 120, "troop count": 365}}')
    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout.strip().splitlines()[-1]) == {"window_days": {"default": 120, "troop count": 365}}


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ('{"window_days": {"default": -5}}', "CLAIM_DETECTION['window_days']['default']"),
        ('{"tolerence": 0.1}', "unknown key 'tolerence'"),
        ("not json", "CLAIM_DETECTION is not valid JSON"),
    ],
)
def test_a_bad_environment_value_stops_the_process_at_startup(raw: str, named: str) -> None:
    started = _start_django(raw)
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert named in started.stderr


# --- through the detector ----------------------------------------------------------------------------------------


def _pair_200_days_apart() -> tuple[Claim, Claim]:
    article = make_article()
    low = make_claim(article, "2,400 workers", value=2400, as_of=dt.date(2025, 1, 1))
    high = make_claim(article, "about 2,500 workers", qualifier="approx", as_of=dt.date(2025, 7, 20))
    return low, high


def _active_flags() -> int:
    return Contradiction.objects.filter(withdrawn_at__isnull=True).count()


@pytest.mark.django_db
def test_override_settings_changes_the_detectors_verdict() -> None:
    low, high = _pair_200_days_apart()
    with override_settings(CLAIM_DETECTION={"window_days": {"default": 365}}):
        check_claim(low.pk)
    flag = Contradiction.objects.get()
    assert (flag.kind, flag.withdrawn_at) == ("numeric", None)
    assert {flag.claim_a_id, flag.claim_b_id} == {low.pk, high.pk}
    with override_settings(CLAIM_DETECTION={"window_days": {"default": 30}}):
        check_claim(low.pk)
    assert _active_flags() == 0, "200 days apart is a change over time under a 30-day window"
    # A per-attribute window, named in a different wording of the attribute, beats the default.
    with override_settings(CLAIM_DETECTION={"window_days": {"default": 30, "Striker Count": 365}}):
        check_claim(high.pk)
    assert _active_flags() == 1


@pytest.mark.django_db
def test_the_default_window_leaves_the_pair_alone() -> None:
    low, _ = _pair_200_days_apart()
    check_claim(low.pk)
    assert Contradiction.objects.count() == 0
    low.refresh_from_db()
    assert low.checked_at is not None


@pytest.mark.django_db
def test_a_bad_django_setting_fails_the_check_loudly_and_changes_nothing() -> None:
    low, _ = _pair_200_days_apart()
    bad = override_settings(CLAIM_DETECTION={"window_days": {"default": 365, "troop count": "a year"}})
    named = r"CLAIM_DETECTION\['window_days'\]\['troop count'\]"
    with bad, pytest.raises(ImproperlyConfigured, match=named):
        check_claim(low.pk)
    assert Contradiction.objects.count() == 0
    low.refresh_from_db()
    assert low.checked_at is None
