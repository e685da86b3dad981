"""``ieum staff serve``: the console on one address, delivering staff replies while it runs
(when a Telegram bot is configured)."""

from __future__ import annotations

import uvicorn

from core.settings import Settings
from staff.app import create_app


def serve_command(settings: Settings, host: str | None = None, port: int | None = None) -> int:
    app = create_app(settings, deliver=bool(settings.telegram_token))
    config = uvicorn.Config(
        app,
        host=host or settings.staff_host,
        port=port or settings.staff_port,
        # Only a proxy on this machine may say the request came over https.
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        server_header=False,
        log_level="info",
    )
    uvicorn.Server(config).run()
    return 0
