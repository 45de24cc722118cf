"""The web dashboard and its JSON API, served from the store with ``middlepower serve``.

Public API: :func:`create_app` (a FastAPI app over a store, read-only). Routes are documented in
docs/web.md and at ``/api/docs`` of a running server.
"""


def create_app(db=None):
    """Return the dashboard app serving the store at ``db`` (see :mod:`middlepower.web.app`)."""
    from middlepower.web.app import create_app as _create

    return _create(db)
