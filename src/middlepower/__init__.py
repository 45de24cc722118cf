"""middlepower: where every state stands between the great and the small powers.

Layers, in the one direction data flows:
sources -> warehouse -> panel -> index -> power -> outputs (cli, web, report);
alignment and corridor feed the panel.
"""

__version__ = "0.1.0"
