"""``middlepower serve``: the dashboard and JSON API on a local port."""

from __future__ import annotations

from pathlib import Path

import typer


def mount(app: typer.Typer) -> None:
    """Add ``serve`` to the main CLI."""
    app.command("serve")(serve)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (127.0.0.1: this machine only)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    db: Path = typer.Option(None, "--db", help="Store file (default: middlepower.duckdb in the user data directory)."),
    warm: bool = typer.Option(True, "--warm/--no-warm",
                              help="Compute the power model and year tables before answering the first request."),
) -> None:
    """Serve the dashboard (map, ranking, country, compare and corridor pages) and its JSON API.

    The store is opened read-only; the API is documented at /api/docs. Stop with Ctrl-C.
    """
    import gc

    import uvicorn

    from middlepower.cli import console
    from middlepower.web.app import create_app
    from middlepower.web.warm import warm_up

    app = create_app(db)
    if warm:
        with console.status("computing the model and year tables"):
            seconds = warm_up(app.state.data)
        console.print(f"ready in {seconds:.1f} s")
        # The caches are long-lived: move them out of the collector's view to keep pauses short.
        gc.collect()
        gc.freeze()
    console.print(f"serving {app.state.data.db} at http://{host}:{port}/ (API docs: /api/docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                proxy_headers=False, server_header=False)
