"""Bridge for command-line tools that need a unit's working hours on a date."""

from __future__ import annotations

from datetime import date

from congvu.rules.calendar import DaySessions


def day_sessions_for_unit(unit_code: str, on: date) -> DaySessions:
    """Working hours of ``unit_code`` on ``on`` (its season), read from the database."""
    import asyncio

    from congvu.inspect import db
    from congvu.inspect.organisation.services.units import seasonal_schedule

    async def lookup() -> DaySessions:
        await db.prepare()
        try:
            return (await seasonal_schedule(unit_code)).sessions_on(on)
        finally:
            await db.close()

    return asyncio.run(lookup())
