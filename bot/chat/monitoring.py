"""Start the health and metrics server with the bot (`METRICS_PORT`), in polling mode too.

Its readiness checks use the application's own database and bot; the open-holds gauge is
counted from the database just before each scrape.
"""

from __future__ import annotations

import asyncio

from bot import metrics
from bot.chat.feature import Feature
from bot.chat.services import AnyApplication, services_of_app
from bot.health import HealthServer, alembic_heads, database_checks, telegram_check
from bot.usecases.operator import open_holds


def health_server_of(application: AnyApplication) -> HealthServer | None:
    return services_of_app(application).health_server


async def start_monitoring(application: AnyApplication) -> None:
    services = services_of_app(application)
    port = services.settings.metrics_port
    if port is None:
        return
    heads = await asyncio.to_thread(alembic_heads)
    checks = [
        *database_checks(services.session_factory, heads),
        telegram_check(application.bot.get_me),
    ]
    server = HealthServer(checks, host=services.settings.metrics_host, port=port)

    async def count_holds() -> None:
        async with services.session_factory() as session:
            metrics.OPEN_RED_FLAG_HOLDS.set(await open_holds(session))

    metrics.add_refresher(count_holds)
    services.metrics_refresh = count_holds
    await server.start()
    services.health_server = server


async def stop_monitoring(application: AnyApplication) -> None:
    services = services_of_app(application)
    refresh, services.metrics_refresh = services.metrics_refresh, None
    if refresh is not None:
        metrics.remove_refresher(refresh)
    server, services.health_server = services.health_server, None
    if server is not None:
        await server.stop()


FEATURE = Feature(name="monitoring", on_startup=start_monitoring, on_shutdown=stop_monitoring)
