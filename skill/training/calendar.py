"""Dates, weeks and months as a person counts them: in their time zone (UTC until it is known)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo


def zone_named(name: str | None) -> tzinfo:
    """The time zone called ``name`` (an IANA name such as "Europe/Berlin"); UTC when unknown or None.

    This is the one seam for a person's time zone: today every record has none, so every count is in
    UTC weeks; once the zone is read from Alexa's settings and kept, every count follows it.
    """
    if not name:
        return timezone.utc
    # Imported here: zoneinfo (and the sysconfig it reads its path from) costs a Lambda cold start
    # about 5 ms, and a record with no zone, as every new one, never needs it.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def parse_moment(text: str) -> datetime:
    """A saved ISO 8601 time; one without a zone is UTC (as the skill has always written them)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def utc_text(moment: datetime) -> str:
    """"2026-11-28T10:15:00+00:00": the form the log sorts by."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The calendar day ``moment`` falls on in ``zone``."""
    return moment.astimezone(zone).date()


def week_of(day: date) -> date:
    """The Monday starting ``day``'s calendar week (ISO weeks start on Monday)."""
    return day - timedelta(days=day.weekday())


def month_of(day: date) -> str:
    """"2026-11": the key a day is counted under by month."""
    return f"{day.year:04d}-{day.month:02d}"


def year_of(day: date) -> str:
    return f"{day.year:04d}"
