"""Where a measured page or the recompute spends its time: cProfile of one request (after warm-up).

    DATABASE_URL=sqlite:///var/bench/regio.sqlite3 python -m bench.profile supplier_overview [N]
    python -m bench.profile recompute

Keys: the ``key`` of a page in docs/performance.json (supplier_overview, verification_queue,
contract_page_staff, contract_page_supplier, council_dashboard, api_contracten) or ``recompute``.
Prints the N (default 25) functions with the highest cumulative time.
"""

import cProfile
import io
import pstats
import sys


def main(argv):
    from bench.measure import _setup

    _setup()
    from django.db import transaction
    from django.test import Client

    from bench import measure
    from sroi_portal import loaddata

    key = argv[0]
    limit = int(argv[1]) if len(argv) > 1 else 25
    fx = loaddata.fixtures()
    if key == "recompute":
        _name, func = measure.find_recompute()

        def target():
            with transaction.atomic():
                func()
                transaction.set_rollback(True)
    else:
        captured = {}
        original = measure.time_request

        def fake(client, url, runs, warmup=3):
            captured.setdefault(len(captured), (client, url))
            return {"status": 200, "median_ms": 0, "p95_ms": 0, "queries": 0}

        measure.time_request = fake
        order = []
        pages = measure.measure_pages(fx, 1)
        measure.time_request = original
        i = 0
        for page in pages:
            if page.get("available"):
                order.append((page["key"], captured[i]))
                i += 1
            i += 1  # its floor
        client, url = dict(order)[key]

        def target():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

    target()
    profiler = cProfile.Profile()
    profiler.enable()
    target()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(limit)
    print(out.getvalue())


if __name__ == "__main__":
    main(sys.argv[1:])
