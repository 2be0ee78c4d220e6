"""Cron parsing and next-run computation in several zones, across DST changes."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.faq.schedule import Cron, CronError, next_runs, resolve, runs_between, slot_instant, slot_key, zone

from conftest import PYTHON, ROOT, subprocess_env

UTC = UTC


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def iso(runs) -> list[str]:
    return [r.isoformat() for r in runs]


# -- parsing -----------------------------------------------------------------

def test_parse_fields_names_steps_and_macros():
    cron = Cron.parse("*/15 9-17/4 1,15 jan-mar MON-fri")
    assert cron.minutes == (0, 15, 30, 45)
    assert cron.hours == (9, 13, 17)
    assert cron.days == {1, 15}
    assert cron.months == {1, 2, 3}
    assert cron.weekdays == {1, 2, 3, 4, 5}
    assert Cron.parse("0 0 * * 7").weekdays == {0}  # 7 is Sunday too
    assert Cron.parse("5/20 * * * *").minutes == (5, 25, 45)
    assert Cron.parse("@daily").wall_times()[0].isoformat() == "00:00:00"
    assert Cron.parse("@weekly").weekdays == {0}


@pytest.mark.parametrize("expression, fragment", [
    ("0 9 * *", "expected 5 fields"),
    ("61 9 * * *", "minute: 61 is out of range 0-59"),
    ("0 24 * * *", "hour: 24 is out of range"),
    ("0 9 0 * *", "day of month: 0 is out of range"),
    ("0 9 * 13 *", "month: 13 is out of range"),
    ("0 9 * * funday", "day of week: 'funday' is not a number"),
    ("*/0 * * * *", "step '0' must be a positive number"),
    ("0 17-9 * * *", "runs backwards"),
    ("0 9 1,,2 * *", "empty list item"),
    # str.isdigit() is true for these, int() refuses them: was a bare ValueError traceback
    ("0 \u00b2 * * *", "hour: '\u00b2' is not a number"),
    ("*/\u00b2 * * * *", "step '\u00b2' must be a positive number"),
    ("0 9 1-\u2075 * *", "day of month: '\u2075' is not a number"),
])
def test_bad_expressions_name_the_field(expression, fragment):
    with pytest.raises(CronError) as info:
        Cron.parse(expression)
    assert fragment in str(info.value)


def test_day_of_month_or_day_of_week_like_vixie_cron():
    # Restricted day-of-month AND day-of-week: either matches (the 13th, or any Friday).
    cron = Cron.parse("0 12 13 * fri")
    runs = runs_between(cron, zone("UTC"), at("2026-02-01T00:00:00+00:00"), at("2026-03-01T00:00:00+00:00"))
    assert [r.day for r in runs] == [6, 13, 20, 27]  # Fridays 6, 13, 20, 27 (the 13th is also a Friday)
    runs = runs_between(cron, zone("UTC"), at("2026-03-01T00:00:00+00:00"), at("2026-04-01T00:00:00+00:00"))
    assert [r.day for r in runs] == [6, 13, 20, 27]
    # Only one restricted: both must hold ("*" in the other).
    only_dom = Cron.parse("0 12 13 * *")
    assert [r.day for r in runs_between(only_dom, zone("UTC"), at("2026-03-01T00:00:00+00:00"),
                                        at("2026-04-01T00:00:00+00:00"))] == [13]


def test_unknown_zone_is_refused_with_a_readable_message():
    with pytest.raises(ValueError, match="unknown time zone 'Europe/Pariss'"):
        zone("Europe/Pariss")


# -- next runs in several zones --------------------------------------------------

def test_next_runs_in_several_zones():
    after = at("2026-11-24T12:00:00+00:00")  # a Tuesday
    assert iso(next_runs(Cron.parse("0 9 * * mon"), zone("Africa/Nairobi"), after, 2)) == [
        "2026-11-30T09:00:00+03:00", "2026-12-07T09:00:00+03:00"]
    assert iso(next_runs(Cron.parse("0 10 1 * *"), zone("Asia/Bangkok"), after, 2)) == [
        "2026-12-01T10:00:00+07:00", "2027-01-01T10:00:00+07:00"]
    assert iso(next_runs(Cron.parse("30 8 * * *"), zone("America/New_York"), after, 1)) == [
        "2026-11-24T08:30:00-05:00"]  # 12:00Z is 07:00 in New York
    assert iso(next_runs(Cron.parse("0 0 * * *"), zone("Asia/Kolkata"), after, 1)) == [
        "2026-11-25T00:00:00+05:30"]
    # Strictly after: a run exactly at `after` is not "next".
    assert iso(next_runs(Cron.parse("0 12 * * *"), zone("UTC"), after, 1)) == ["2026-11-25T12:00:00+00:00"]
    # Leap day only: found four years ahead; an impossible date: no run at all.
    assert iso(next_runs(Cron.parse("0 0 29 2 *"), zone("UTC"), after, 1)) == ["2028-02-29T00:00:00+00:00"]
    assert next_runs(Cron.parse("0 0 30 2 *"), zone("UTC"), after, 1) == []
    with pytest.raises(ValueError):
        next_runs(Cron.parse("0 0 * * *"), zone("UTC"), datetime(2026, 1, 1), 1)


# -- DST ------------------------------------------------------------------------

def test_paris_spring_forward_daily_0230_runs_once_after_the_gap():
    # 2026-03-29: 02:00 CET -> 03:00 CEST; 02:30 does not exist that day.
    runs = runs_between(Cron.parse("30 2 * * *"), zone("Europe/Paris"),
                        at("2026-03-27T12:00:00+00:00"), at("2026-03-31T12:00:00+00:00"))
    assert iso(runs) == ["2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00",
                         "2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00"]
    assert runs[1].astimezone(UTC).isoformat() == "2026-03-29T01:00:00+00:00"


def test_paris_fall_back_daily_0230_runs_once_at_first_occurrence():
    # 2026-10-25: 03:00 CEST -> 02:00 CET; 02:30 happens twice, we run the first.
    runs = runs_between(Cron.parse("30 2 * * *"), zone("Europe/Paris"),
                        at("2026-10-24T12:00:00+00:00"), at("2026-10-26T12:00:00+00:00"))
    assert iso(runs) == ["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"]
    assert runs[0].astimezone(UTC).isoformat() == "2026-10-25T00:30:00+00:00"


@pytest.mark.parametrize("tz, year", [("Europe/Paris", 2026), ("America/New_York", 2026),
                                      ("Australia/Sydney", 2026), ("Australia/Lord_Howe", 2026),
                                      ("America/Santiago", 2026), ("Africa/Nairobi", 2026)])
@pytest.mark.parametrize("hhmm", ["02:30", "00:00", "01:45"])
def test_daily_schedule_runs_exactly_once_every_local_day_of_a_year(tz, year, hhmm):
    h, m = map(int, hhmm.split(":"))
    tzinfo = zone(tz)
    start = datetime(year, 1, 1, tzinfo=tzinfo) - timedelta(seconds=1)
    end = datetime(year + 1, 1, 1, tzinfo=tzinfo) - timedelta(seconds=1)
    runs = runs_between(Cron.parse(f"{m} {h} * * *"), tzinfo, start, end)
    days = Counter(r.astimezone(tzinfo).date() for r in runs)
    assert len(days) == (date(year + 1, 1, 1) - date(year, 1, 1)).days
    assert set(days.values()) == {1}
    instants = [r.astimezone(UTC) for r in runs]
    assert instants == sorted(set(instants))


def test_hourly_across_paris_dst_days():
    cron, paris = Cron.parse("0 * * * *"), zone("Europe/Paris")
    # Spring forward: 23 real hours; 02:00 (skipped) merges with 03:00.
    spring = runs_between(cron, paris, at("2026-03-28T23:00:00+00:00") - timedelta(seconds=1),
                          at("2026-03-29T21:59:00+00:00"))
    assert len(spring) == 23
    # Fall back: 25 real hours; the wall time 02:00 runs once (first occurrence).
    fall = runs_between(cron, paris, at("2026-10-24T22:00:00+00:00") - timedelta(seconds=1),
                        at("2026-10-25T22:59:00+00:00"))
    assert len(fall) == 24
    assert [r.isoformat() for r in fall[1:4]] == ["2026-10-25T01:00:00+02:00", "2026-10-25T02:00:00+02:00",
                                                  "2026-10-25T03:00:00+01:00"]


def test_gaps_of_other_sizes_and_at_midnight():
    # Lord Howe springs forward by 30 minutes (02:00 -> 02:30) on 2026-10-04.
    assert resolve(datetime(2026, 10, 4, 2, 15), zone("Australia/Lord_Howe")).isoformat() == \
        "2026-10-03T15:30:00+00:00"  # 02:30 +11:00
    # Santiago springs forward at midnight (00:00 -> 01:00) on 2026-09-06.
    runs = next_runs(Cron.parse("0 0 * * *"), zone("America/Santiago"), at("2026-09-05T12:00:00+00:00"), 2)
    assert iso(runs) == ["2026-09-06T01:00:00-03:00", "2026-09-07T00:00:00-03:00"]


def test_slot_keys_are_utc_minutes_in_time_order():
    runs = next_runs(Cron.parse("30 2 * * *"), zone("Europe/Paris"), at("2026-03-28T00:00:00+00:00"), 3)
    keys = [slot_key(r) for r in runs]
    assert keys == ["2026-03-28T01:30Z", "2026-03-29T01:00Z", "2026-03-30T00:30Z"]
    assert keys == sorted(keys)
    assert slot_instant(keys[1]) == runs[1]


def test_zone_data_does_not_need_host_tzdata(tmp_path):
    """With the system zone database hidden, zoneinfo falls back to the tzdata package."""
    code = ("import json, zoneinfo; from datetime import datetime, timezone;"
            "from bot.faq.schedule import Cron, next_runs, zone;"
            "r = next_runs(Cron.parse('30 2 * * *'), zone('Europe/Paris'),"
            " datetime(2026, 3, 28, 12, tzinfo=timezone.utc), 1)[0];"
            "print(json.dumps({'tzpath': list(zoneinfo.TZPATH), 'run': r.isoformat()}))")
    env = subprocess_env(PYTHONTZPATH=str(tmp_path / "no-zoneinfo-here"))
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["tzpath"] == [str(tmp_path / "no-zoneinfo-here")]
    assert result["run"] == "2026-03-29T03:00:00+02:00"


ALL_ZONES = sorted(__import__("zoneinfo").available_timezones() - {"Factory", "localtime"})


def _hypothesis():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=40, deadline=None)
    @given(st.sampled_from(ALL_ZONES), st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
    def check(tz_name, hour, minute):
        """In any zone, a daily HH:MM runs once per local day: at HH:MM, its first occurrence
        when ambiguous, or the first instant after the gap when HH:MM does not exist."""
        tz = zone(tz_name)
        start = datetime(2026, 1, 1, tzinfo=tz)
        end = datetime(2027, 1, 1, tzinfo=tz)
        runs = runs_between(Cron.parse(f"{minute} {hour} * * *"), tz, start - timedelta(seconds=1),
                            end - timedelta(seconds=1))
        def day_of(run: datetime) -> date:
            """The local day the run is for: its own date, or the day before when that
            day's HH:MM fell in a gap that ended after midnight (America/Nuuk springs
            forward at 23:00: 23:00 on 28 March 2026 runs at 00:00 on the 29th)."""
            local = run.astimezone(tz)
            for day in (local.date(), local.date() - timedelta(days=1)):
                if resolve(datetime.combine(day, time(hour, minute)), tz) == run.astimezone(UTC):
                    return day
            raise AssertionError(f"{run} is no day's {hour:02d}:{minute:02d}")

        per_day = Counter(day_of(r) for r in runs)
        assert len(per_day) == 365 and set(per_day.values()) == {1}
        for run in runs:
            local = run.astimezone(tz)
            wall = datetime.combine(day_of(run), time(hour, minute))
            if (local.hour, local.minute) == (hour, minute):
                assert local.fold == 0  # first occurrence
                continue
            # HH:MM does not exist that day: `run` is the first instant after the gap.
            assert wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall
            before = (run - timedelta(seconds=1)).astimezone(tz)
            assert before.utcoffset() != local.utcoffset() and local.replace(tzinfo=None) > wall

    return check


test_daily_schedule_property_in_every_zone = _hypothesis()


def test_a_gap_that_ends_after_midnight_runs_the_day_s_slot_just_after_it():
    """America/Nuuk springs forward at 23:00 (28 March 2026, -02 -> -01): a daily 23:00
    runs at 00:00 on the 29th, the first instant after the gap, and again at 23:00 that day;
    every day of the year still has its one run (found by the property test above)."""
    tz = zone("America/Nuuk")
    runs = runs_between(Cron.parse("0 23 * * *"), tz, datetime(2026, 3, 27, 12, tzinfo=tz),
                        datetime(2026, 3, 30, 0, tzinfo=tz))
    assert [r.isoformat() for r in runs] == ["2026-03-27T23:00:00-02:00", "2026-03-29T00:00:00-01:00",
                                             "2026-03-29T23:00:00-01:00"]
