"""``middlepower serve``: the dashboard and JSON API on a local port."""

from __future__ import annotations

from typing import Annotated

import typer

from middlepower.terminal import DbOption, console

app = typer.Typer(add_completion=False)


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on (127.0.0.1: this machine only).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    db: DbOption = None,
    warm: Annotated[bool, typer.Option("--warm/--no-warm", help="Compute the power model and year tables before "
                                       "answering the first request, then every country profile in the "
                                       "background (kept per store build; progress at /api/warm).")] = True,
) -> None:
    """Serve the dashboard (map, ranking, country, compare and corridor pages) and its JSON API.

    The store is opened read-only; the API is documented at /api/docs. Stop with Ctrl-C.
    """
    import gc
    import threading

    import uvicorn

    from middlepower.web.app import create_app
    from middlepower.web.warm import warm_all, warm_up

    screen = console()
    app = create_app(db)  # the store is checked first
    listener = _listen(host, port)  # then the port, before the model is warmed: a taken one fails at once
    if warm:
        with screen.status("computing the model and year tables"):
            seconds = warm_up(app.state.data)
        screen.print(f"ready in {seconds:.1f} s")
        # The caches are long-lived: move them out of the collector's view to keep pauses short.
        gc.collect()
        gc.freeze()
        threading.Thread(target=warm_all, args=(app.state.data,), name="warm-all", daemon=True).start()
    screen.print(f"serving {app.state.data.db} at http://{host}:{port}/ (API docs: /api/docs)")
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            proxy_headers=False, server_header=False)
    uvicorn.Server(config).run(sockets=[listener])


def _listen(host: str, port: int):
    """A socket bound to ``host``:``port`` and listening; ParameterError naming --port (or --host) when
    the address is taken or cannot be had."""
    import os
    import socket

    from middlepower.errors import ParameterError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ParameterError(f"cannot listen on {host!r} ({exc.strerror or exc})", parameter="host",
                             value=host) from None
    family = infos[0][0]
    try:
        return socket.create_server((host, port), family=family, backlog=2048)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)  # create_server's text repeats the address
        raise ParameterError(f"cannot listen on {host}:{port} ({reason})", parameter="port",
                             value=port) from None
