"""Business hours for the SLA clock (settings MUTUALS_INBOX_BUSINESS_HOURS / _DAYS / _TIMEZONE)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mutuals.config import Settings
from mutuals.errors import ConfigError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BusinessHours:
    tz: ZoneInfo
    start: time
    end: time | None  # None: midnight at the end of the day ("24:00")
    days: frozenset[int]  # Monday = 0

    @classmethod
    def from_settings(cls, s: Settings) -> BusinessHours:
        try:
            tz = ZoneInfo(s.inbox_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"MUTUALS_INBOX_TIMEZONE {s.inbox_timezone!r} is not a time zone (use e.g. Europe/Berlin)"
            ) from None
        start, end = _hours(s.inbox_business_hours)
        return cls(tz, start, end, _days(s.inbox_business_days))

    def describe(self) -> str:
        end = self.end.strftime("%H:%M") if self.end else "24:00"
        days = ",".join(DAYS[d] for d in sorted(self.days))
        return f"{self.start.strftime('%H:%M')}-{end} {days} ({self.tz.key})"

    def _window(self, d: date) -> tuple[datetime, datetime] | None:
        if d.weekday() not in self.days:
            return None
        opens = datetime.combine(d, self.start, tzinfo=self.tz)
        closes = (
            datetime.combine(d, self.end, tzinfo=self.tz)
            if self.end
            else datetime.combine(d + timedelta(days=1), time(0), tzinfo=self.tz)
        )
        return opens, closes

    def seconds(self, a: datetime, b: datetime) -> float:
        """Business seconds between two aware times (0 when ``b`` is not after ``a``)."""
        if b <= a:
            return 0.0
        la, lb = a.astimezone(self.tz), b.astimezone(self.tz)
        da, db = la.date(), lb.date()
        total = self._overlap(da, la, lb)
        if db == da:
            return total
        total += self._overlap(db, la, lb)
        full = (db - da).days - 1
        weeks, rest = divmod(full, 7)
        if weeks:
            total += weeks * sum(self._day(da + timedelta(days=k)) for k in range(1, 8))
        for k in range(rest):
            total += self._day(da + timedelta(days=1 + 7 * weeks + k))
        return total

    def _day(self, d: date) -> float:
        w = self._window(d)
        return (w[1] - w[0]).total_seconds() if w else 0.0

    def _overlap(self, d: date, a: datetime, b: datetime) -> float:
        w = self._window(d)
        if w is None:
            return 0.0
        lo, hi = max(w[0], a), min(w[1], b)
        return max(0.0, (hi - lo).total_seconds())


def _hours(value: str) -> tuple[time, time | None]:
    try:
        left, right = (p.strip() for p in value.split("-"))
        start = time.fromisoformat(left)
        end = None if right == "24:00" else time.fromisoformat(right)
    except ValueError:
        raise ConfigError(
            f"MUTUALS_INBOX_BUSINESS_HOURS {value!r} is not a range like 09:00-17:30 (or 00:00-24:00)"
        ) from None
    if end is not None and end <= start:
        raise ConfigError(f"MUTUALS_INBOX_BUSINESS_HOURS {value!r} ends before it starts")
    return start, end


def _days(value: str) -> frozenset[int]:
    out: set[int] = set()
    try:
        for part in value.lower().replace(" ", "").split(","):
            if "-" in part:
                lo, hi = (DAYS.index(p) for p in part.split("-"))
                out.update(range(lo, hi + 1) if lo <= hi else [*range(lo, 7), *range(0, hi + 1)])
            else:
                out.add(DAYS.index(part))
    except ValueError:
        raise ConfigError(
            f"MUTUALS_INBOX_BUSINESS_DAYS {value!r} is not a list of days like mon-fri or mon,wed,fri"
        ) from None
    return frozenset(out)
