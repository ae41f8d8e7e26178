"""vanban: Vietnamese directives to structured JSON and a citation graph.

A document flows through the stages declared in ``stages.STAGES`` (ingest -> clean ->
structure -> extract); a batch (``batch.py``) then builds the corpus graph (``graph.py``) and
writes the files. ``query.py`` answers questions of the graph, ``exports.py`` writes it out.
"""

__version__ = "0.1.0"
