"""Performance benchmark of the portal (issue #7): ``make bench`` -> ``python -m bench``.

``bench.__main__`` orchestrates (fresh databases, generation, measurement processes, PostgreSQL
start/stop, the report); ``bench.measure`` runs inside Django and measures; ``bench.floors`` holds
the bare views and ``bench.urls`` mounts them beside the portal's URLs; ``bench.probe`` runs one
task in a child process for its peak memory; ``bench.report`` writes docs/performance.md.
"""
