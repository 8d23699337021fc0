"""One clock for the service: the moment now (UTC, as stored) and the local date and time
in ``CONGVU_TIME_ZONE``, where every verdict, deadline and "today" is judged.

Services, jobs and the CLI ask here; ``congvu.rules`` stays pure and receives local
moments from its callers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timezone, tzinfo
from zoneinfo import ZoneInfo

from congvu.inspect.settings import get_settings


def zone() -> ZoneInfo:
    """The configured time zone (``CONGVU_TIME_ZONE``, Asia/Ho_Chi_Minh by default)."""
    return get_settings().zone


def now() -> datetime:
    """This moment, aware, in UTC: what the database stores."""
    return datetime.now(UTC)


def local_now() -> datetime:
    """This moment on the wall clocks of the organisation."""
    return now().astimezone(zone())


def today() -> date:
    """Today's date where the organisation is, not where the server is."""
    return local_now().date()


def local(moment: datetime) -> datetime:
    """A stored (aware) moment on the organisation's wall clock."""
    return moment.astimezone(zone())


def start_of_day_utc(day: date) -> datetime:
    """The first instant of a local day, in UTC: the lower bound of a date filter."""
    return datetime.combine(day, time.min, zone()).astimezone(UTC)


def steady_zone() -> tzinfo:
    """The configured zone as a fixed UTC offset when it keeps one all year (Vietnam:
    UTC+7), else the zone itself. Whole columns of wall-clock times convert with it: a
    fixed offset is one subtraction, and a zone's offsets of long ago (Sài Gòn's before
    1975) do not reach the dates of today's records."""
    configured = zone()
    year = local_now().year
    winter = datetime(year, 1, 1, tzinfo=configured).utcoffset()
    summer = datetime(year, 7, 1, tzinfo=configured).utcoffset()
    if winter is None or winter != summer:
        return configured
    return timezone(winter, configured.key)
