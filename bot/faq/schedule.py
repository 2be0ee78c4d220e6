"""Five-field cron expressions and their run instants in an IANA time zone.

Pure functions only: every computation takes the reference instant as an
argument, so the scheduler, the CLI and the tests all drive time with their
own clock and nothing here reads the system time.

Cron fields are ``minute hour day-of-month month day-of-week`` with ``*``,
numbers, ranges ``a-b``, steps ``*/n`` and ``a-b/n``, lists ``a,b``, month
names ``jan``..``dec`` and weekday names ``sun``..``sat`` (0 and 7 are
Sunday), plus the macros ``@hourly @daily @weekly @monthly @yearly``.  As in
Vixie cron, when both day-of-month and day-of-week are restricted a day
matches if *either* matches.

Daylight-saving rule (a schedule names wall-clock times in its zone):

* a wall time that does not exist because the clocks spring forward (Paris,
  last Sunday of March, 02:00-02:59) runs **once, at the first valid instant
  after the gap** (03:00 local); several skipped times collapse into that one
  run, and merge with a run scheduled exactly at that instant;
* a wall time that happens twice because the clocks fall back (Paris, last
  Sunday of October, 02:00-02:59) runs **once, at its first occurrence**
  (the summer-time one).

So a daily 02:30 schedule posts exactly once on every day of the year.
Time-zone data comes from :mod:`zoneinfo`, which uses the ``tzdata`` package
when the host has no zone database (it is a dependency of the project).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = UTC

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
MACROS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
# (name, lowest, highest, symbolic names starting at `lowest`)
FIELDS = (
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("day of month", 1, 31, None),
    ("month", 1, 12, MONTHS),
    ("day of week", 0, 7, WEEKDAYS),
)
# Far enough to find any satisfiable schedule (29 February on a given weekday
# under the OR rule still fires every year; plain 29 February every 4-8 years).
SEARCH_YEARS = 9


class CronError(ValueError):
    """A cron expression that cannot be parsed; the message says which field."""


def _value(token: str, lo: int, hi: int, names: tuple[str, ...] | None, field: str) -> int:
    token_l = token.lower()
    if names and token_l in names:
        return names.index(token_l) + (1 if field == "month" else 0)
    if not token.isdecimal():  # not isdigit(): "²" is a digit that int() refuses
        named = f" or a name ({names[0]}..{names[-1]})" if names else ""
        raise CronError(f"{field}: {token!r} is not a number{named}")
    number = int(token)
    if not lo <= number <= hi:
        raise CronError(f"{field}: {number} is out of range {lo}-{hi}")
    return number


def _field(text: str, lo: int, hi: int, names: tuple[str, ...] | None, field: str) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        if not part:
            raise CronError(f"{field}: empty list item in {text!r}")
        base, slash, step_text = part.partition("/")
        step = 1
        if slash:
            if not step_text.isdecimal() or int(step_text) == 0:
                raise CronError(f"{field}: step {step_text!r} must be a positive number")
            step = int(step_text)
        if base == "*":
            start, end = lo, hi
        elif "-" in base:
            a, _, b = base.partition("-")
            start, end = _value(a, lo, hi, names, field), _value(b, lo, hi, names, field)
            if start > end:
                raise CronError(f"{field}: range {base!r} runs backwards")
        else:
            start = _value(base, lo, hi, names, field)
            end = hi if slash else start  # "5/15" means from 5 to the end, every 15
        values.update(range(start, end + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    """A parsed 5-field cron expression."""

    expression: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday .. 6 = Saturday
    days_restricted: bool
    weekdays_restricted: bool

    @classmethod
    def parse(cls, expression: str) -> "Cron":
        if not isinstance(expression, str):
            raise CronError(f"expected a text like \"0 9 * * mon\", got {type(expression).__name__}")
        text = MACROS.get(expression.strip().lower(), expression)
        parts = text.split()
        if len(parts) != 5:
            raise CronError(f"expected 5 fields (minute hour day-of-month month day-of-week), got {len(parts)}")
        sets = [_field(p, lo, hi, names, name) for p, (name, lo, hi, names) in zip(parts, FIELDS)]
        weekdays = frozenset(d % 7 for d in sets[4])
        return cls(
            expression=expression,
            minutes=tuple(sorted(sets[0])),
            hours=tuple(sorted(sets[1])),
            days=sets[2],
            months=sets[3],
            weekdays=weekdays,
            days_restricted=not parts[2].startswith("*"),
            weekdays_restricted=not parts[4].startswith("*"),
        )

    def matches_day(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        dom = day.day in self.days
        dow = (day.isoweekday() % 7) in self.weekdays
        if self.days_restricted and self.weekdays_restricted:
            return dom or dow
        return dom and dow

    def wall_times(self) -> list[time]:
        return [time(h, m) for h in self.hours for m in self.minutes]


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`, or ValueError with a readable message."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("expected an IANA time zone name such as Europe/Paris")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {name!r} (expected an IANA name such as Europe/Paris)") from None


def resolve(wall: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant at which the naive local time `wall` runs in `tz`.

    Existing times map directly; an ambiguous time (fall-back) maps to its
    first occurrence; a skipped time (spring-forward) maps to the first
    instant after the gap, found by bisection between the two candidate
    offsets so that it works for any zone and any size of gap.
    """
    first = wall.replace(tzinfo=tz, fold=0)
    instant = first.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == wall:
        return instant
    # Skipped: the transition lies between the two readings of the wall time.
    a = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    b = instant
    lo, hi = min(a, b), max(a, b)
    after = hi.astimezone(tz).utcoffset()
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).utcoffset() == after:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0)


def _day_runs(cron: Cron, tz: ZoneInfo, day: date) -> list[datetime]:
    """The UTC instants a matching local day runs at, sorted, duplicates merged."""
    return sorted({resolve(datetime.combine(day, t), tz) for t in cron.wall_times()})


def _days(start: date, end: date, cron: Cron):
    day = start
    while day <= end:
        if day.month not in cron.months:
            # jump to the first day of the next month
            day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
            continue
        if cron.matches_day(day):
            yield day
        day += timedelta(days=1)


def next_runs(cron: Cron, tz: ZoneInfo, after: datetime, count: int = 1) -> list[datetime]:
    """The next `count` run instants strictly after `after`, in the zone `tz`.

    `after` must be timezone-aware.  Fewer results (possibly none) means the
    schedule never fires within SEARCH_YEARS (e.g. "0 0 30 2 *").
    """
    if after.tzinfo is None:
        raise ValueError("`after` must be timezone-aware")
    out: list[datetime] = []
    start = after.astimezone(tz).date() - timedelta(days=1)
    end = start + timedelta(days=366 * SEARCH_YEARS)
    for day in _days(start, end, cron):
        for instant in _day_runs(cron, tz, day):
            if instant > after:
                out.append(instant.astimezone(tz))
                if len(out) >= count:
                    return out
    return out


def runs_between(cron: Cron, tz: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """Every run instant in the half-open window (start, end], oldest first."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("window bounds must be timezone-aware")
    out: list[datetime] = []
    if end <= start:
        return out
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    for day in _days(first, last, cron):
        out.extend(i.astimezone(tz) for i in _day_runs(cron, tz, day) if start < i <= end)
    return out




def slot_key(instant: datetime) -> str:
    """The ledger key of a run: its UTC minute, fixed width so text order is time order."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def slot_instant(key: str) -> datetime:
    return datetime.strptime(key, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
