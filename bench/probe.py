"""One task in its own process, for its time and peak memory (max RSS).

    python -m bench.probe pdf            one council PDF for the load data's municipality, last year
    python -m bench.probe recompute      the nightly recompute of all contracts (as the worker runs it)
    python -m bench.probe --child-rss T  run ``python -m bench.probe T`` as the only child and report its
                                         peak memory from ``resource.getrusage(RUSAGE_CHILDREN)``

Prints one JSON line.
"""

import json
import resource
import subprocess
import sys
import time

from sroi_portal import clock


def _rss_mb(who=resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux: kilobytes


def main(argv):
    if argv and argv[0] == "--child-rss":
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "bench.probe", argv[1]], capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        if out.returncode != 0:
            sys.stderr.write(out.stderr)
            return out.returncode
        child = json.loads(out.stdout.strip().splitlines()[-1])
        print(json.dumps({"task": argv[1], "peak_rss_mb": _rss_mb(resource.RUSAGE_CHILDREN),
                          "wall_s": round(seconds, 3), "child": child}))
        return 0

    from bench.measure import _setup

    _setup()
    from sroi_portal import loaddata

    fx = loaddata.fixtures()
    baseline = _rss_mb()
    task = argv[0]
    t0 = time.perf_counter()
    if task == "pdf":
        from bench.measure import find_pdf, make_pdf

        name, _func = find_pdf()
        size = make_pdf(fx, clock.today().year - 1)
        extra = {"function": name, "bytes": size}
    elif task == "recompute":
        from bench.measure import fallback_recompute, find_recompute

        name, func = find_recompute()
        if func is None:
            name, func = "contracts.selectors (fallback)", fallback_recompute
        func()
        extra = {"function": name}
    else:
        raise SystemExit(f"onbekende taak {task}")
    print(json.dumps({"seconds": round(time.perf_counter() - t0, 3), "maxrss_mb": _rss_mb(),
                      "baseline_rss_mb": baseline, **extra}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
