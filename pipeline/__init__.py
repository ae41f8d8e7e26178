"""vanban: Vietnamese directives to structured JSON and a citation graph.

The stages, one module each, in the order data flows through them:
ingest -> clean -> structure -> extract -> graph -> export.
"""
__version__ = "0.1.0"
