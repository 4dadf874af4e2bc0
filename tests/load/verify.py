"""After the load test: compare what the simulated users were told with what the database holds.

``python -m tests.load.verify --accounts A.json --results R.json --redis-url URL --output C.json``
(Django settings from the environment, as the web app had them) exits 1 when a check fails:

* registrations: every registration the portal answered "saved" for is in the database once, with
  the contract, bouwblok, candidate reference and user the simulated user sent; every registration
  the load accounts made since their accounts were (re)created was recorded by a simulated user
  (nothing made behind their back, e.g. a double save); no candidate reference twice; every
  confirmed submission is submitted (or decided since), and nothing else left the concept state;
* decisions: every approval or rejection answered with a redirect ("done") has its decision row
  (same registration, SR-team member, outcome) and the registration is in that state; no
  registration decided twice; no decision row the simulated users were not told about; every
  "someone else was first" answer has a decision of someone else on that registration;
* figures: once the Celery queues are empty (nothing queued, nothing reserved), the stored
  fulfilment figures (``ContractCijfers``, ``ContractJaarCijfers``, ``PlaatsingCijfers``) equal a
  fresh recompute from scratch: inside a transaction that is rolled back afterwards, the stored
  rows are read, deleted, recomputed with ``reporting.figures`` and compared field by field.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime


class _Rollback(Exception):
    pass


def wait_for_celery(redis_url: str, timeout: float = 300.0) -> dict:
    """Wait until the broker holds no queued and no reserved (unacknowledged) task, three checks in a row."""
    import redis

    client = redis.Redis.from_url(redis_url)
    started = time.monotonic()
    quiet = 0
    last = {}
    while time.monotonic() - started < timeout:
        last = {"celery": client.llen("celery"), "rapporten": client.llen("rapporten"), "unacked": client.hlen("unacked")}
        quiet = quiet + 1 if not any(last.values()) else 0
        if quiet >= 3:
            return {"drained": True, "seconds": round(time.monotonic() - started, 1), **last}
        time.sleep(0.5)
    return {"drained": False, "seconds": round(time.monotonic() - started, 1), **last}


def check_registrations(accounts: dict, results: dict) -> dict:
    from bouwblokken.models import Registratie, Status

    users = [a["username"] for a in accounts["accounts"]["supplier"]]
    since = datetime.fromisoformat(accounts["created"])
    rows = {
        r["id"]: r for r in Registratie.objects.filter(aangemaakt_door__username__in=users, aangemaakt_op__gte=since)
        .values("id", "contract_id", "bouwblok__code", "kandidaat__referentie", "status", "ingediend_op",
                "aangemaakt_door__username")
    }
    recorded = results["created"]
    recorded_ids = Counter(r["id"] for r in recorded)
    problems = []
    for pk, n in recorded_ids.items():
        if n > 1:
            problems.append(f"registration {pk} was reported as created {n} times")
    unanswered = results.get("unanswered") or {}
    sent_unanswered = {u["referentie"] for u in unanswered.get("create", [])}
    submit_unanswered = {u["id"] for u in unanswered.get("submit", [])}
    in_flight = []  # done by the server, but the run stopped before the user got the answer
    missing = sorted(set(recorded_ids) - set(rows))
    unrecorded = []
    for pk in sorted(set(rows) - set(recorded_ids)):
        (in_flight if rows[pk]["kandidaat__referentie"] in sent_unanswered else unrecorded).append(pk)
    problems += [f"registration {pk} was saved according to the portal but is not in the database" for pk in missing]
    problems += [f"registration {pk} is in the database but no simulated user was told it was saved" for pk in unrecorded]
    for record in recorded:
        row = rows.get(record["id"])
        if row and (row["contract_id"], row["bouwblok__code"], row["kandidaat__referentie"], row["aangemaakt_door__username"]) != (
                record["contract"], record["bouwblok"], record["referentie"], record["user"]):
            problems.append(f"registration {record['id']} differs from what was sent: {row} vs {record}")
    references = Counter(row["kandidaat__referentie"] for row in rows.values())
    duplicated = sorted(ref for ref, n in references.items() if n > 1)
    problems += [f"candidate reference {ref} registered {references[ref]} times" for ref in duplicated]
    submitted = set(results["submitted"])
    for pk in sorted(submitted):
        row = rows.get(pk)
        if row and (row["status"] == Status.CONCEPT or row["ingediend_op"] is None):
            problems.append(f"registration {pk} was confirmed as submitted but is {row['status']}")
    for pk, row in sorted(rows.items()):
        if pk not in submitted and row["status"] != Status.CONCEPT:
            if pk in submit_unanswered:
                in_flight.append(pk)
            else:
                problems.append(f"registration {pk} is {row['status']} but its submission was never confirmed")
    statuses = Counter(row["status"] for row in rows.values())
    return {
        "ok": not problems, "problems": problems[:50], "problem_count": len(problems),
        "created_recorded": len(recorded), "created_in_db": len(rows), "submitted_recorded": len(submitted),
        "missing": len(missing), "unrecorded": len(unrecorded), "duplicated_references": len(duplicated),
        "in_flight_at_stop": len(in_flight),
        "status_in_db": dict(statuses),
    }


def check_decisions(accounts: dict, results: dict) -> dict:
    from bouwblokken.models import Beoordeling, Registratie

    users = [a["username"] for a in accounts["accounts"]["srteam"]]
    since = datetime.fromisoformat(accounts["created"])
    rows = list(
        Beoordeling.objects.filter(door__username__in=users, op__gte=since)
        .values("registratie_id", "besluit", "door__username")
    )
    problems = []
    per_registration = defaultdict(list)
    for row in rows:
        per_registration[row["registratie_id"]].append(row)
    for pk, decided in per_registration.items():
        if len(decided) > 1:
            problems.append(f"registration {pk} was decided {len(decided)} times: {decided}")
    in_db = Counter((r["registratie_id"], r["besluit"], r["door__username"]) for r in rows)
    told = Counter((d["id"], d["besluit"], d["user"]) for d in results["decisions"])
    for key in sorted(told):
        if in_db[key] < told[key]:
            problems.append(f"decision {key} was answered as done but is not in the database (lost)")
    unanswered = Counter((u["id"], u["besluit"], u["user"]) for u in (results.get("unanswered") or {}).get("decide", []))
    in_flight = 0
    for key in sorted(in_db):
        if told[key] < in_db[key]:
            if told[key] + unanswered[key] >= in_db[key]:
                in_flight += in_db[key] - told[key]  # the run stopped before the member got the answer
            else:
                problems.append(f"decision {key} is in the database but its member was not told it was done")
    decided_ids = {d["id"] for d in results["decisions"]}
    status = dict(Registratie.objects.filter(pk__in=decided_ids).values_list("pk", "status"))
    status_after = {"meer_informatie": "concept"}  # asking for more information sends it back to concept
    for decision in results["decisions"]:
        if status.get(decision["id"]) != status_after.get(decision["besluit"], decision["besluit"]):
            problems.append(f"registration {decision['id']} is {status.get(decision['id'])}, "
                            f"the decision answered as done was {decision['besluit']}")
    all_decisions = defaultdict(set)
    conflict_ids = {c["id"] for c in results["conflicts"]}
    for row in Beoordeling.objects.filter(registratie_id__in=conflict_ids, op__gte=since).values(
            "registratie_id", "door__username"):
        all_decisions[row["registratie_id"]].add(row["door__username"])
    for conflict in results["conflicts"]:
        others = all_decisions.get(conflict["id"], set()) - {conflict["user"]}
        if not others:
            problems.append(f"{conflict['user']} was told registration {conflict['id']} was decided meanwhile, "
                            "but nobody else decided it")
    outcomes = Counter(r["besluit"] for r in rows)
    return {
        "ok": not problems, "problems": problems[:50], "problem_count": len(problems),
        "decisions_recorded": len(results["decisions"]), "decisions_in_db": len(rows),
        "conflicts": len(results["conflicts"]), "skipped_already_decided": results.get("skipped_decided", 0),
        "in_flight_at_stop": in_flight,
        "outcomes_in_db": dict(outcomes),
        "decided_load_registrations": len(decided_ids & {r["id"] for r in results["created"]}),
    }


FIGURE_FIELDS = ("van_toepassing", "aanneemsom", "verplichting", "goedgekeurd", "in_behandeling", "verwacht", "status",
                 "gemeente_id", "gegevensversie")


def _snapshot():
    from reporting.models import ContractCijfers, ContractJaarCijfers, PlaatsingCijfers

    contracts = {r["contract_id"]: r for r in ContractCijfers.objects.values("contract_id", "percentage", *FIGURE_FIELDS)}
    years = {(r["contract_id"], r["jaar"]): r for r in ContractJaarCijfers.objects.values(
        "contract_id", "jaar", "goedgekeurd_in_jaar", *FIGURE_FIELDS)}
    placements = {(r["gemeente_id"], r["jaar"], r["doelgroep"]): r for r in PlaatsingCijfers.objects.values(
        "gemeente_id", "jaar", "doelgroep", "personen", "gestart", "vast_contract", "na_12_maanden", "vervolg_bekend")}
    return {"contract": contracts, "contract-year": years, "placements": placements}


def _differences(stored: dict, fresh: dict) -> list[str]:
    out = []
    for table in stored:
        a, b = stored[table], fresh[table]
        for key in sorted(set(a) | set(b), key=str):
            if a.get(key) != b.get(key):
                out.append(f"{table} {key}: stored {a.get(key)} != recomputed {b.get(key)}")
    return out


def check_figures() -> dict:
    """Stored figures against a recompute from scratch, in a transaction that is rolled back."""
    from django.db import transaction

    from contracts.models import Gemeente
    from reporting.figures import recompute_contract_figures, recompute_placement_figures
    from reporting.models import ContractCijfers, ContractJaarCijfers, PlaatsingCijfers

    started = time.monotonic()
    outcome = {}
    try:
        with transaction.atomic():
            stored = _snapshot()
            ContractJaarCijfers.objects.all().delete()
            ContractCijfers.objects.all().delete()
            PlaatsingCijfers.objects.all().delete()
            recompute_contract_figures()
            recompute_placement_figures(gemeente_ids=list(Gemeente.objects.values_list("pk", flat=True)))
            fresh = _snapshot()
            outcome = {"differences": _differences(stored, fresh),
                       "rows": {table: len(rows) for table, rows in stored.items()}}
            raise _Rollback
    except _Rollback:
        pass
    differences = outcome["differences"]
    return {"ok": not differences, "problems": differences[:50], "problem_count": len(differences),
            "rows_compared": outcome["rows"], "seconds": round(time.monotonic() - started, 1)}


def verify(accounts: dict, results: dict, *, redis_url: str | None, queue_timeout: float = 300.0) -> dict:
    queue = wait_for_celery(redis_url, queue_timeout) if redis_url else {"drained": None}
    checks = {"celery_queue": queue, "registrations": check_registrations(accounts, results),
              "decisions": check_decisions(accounts, results)}
    if queue.get("drained") is False:
        checks["figures"] = {"ok": False, "problems": [f"the Celery queue did not drain in {queue_timeout:.0f} s: {queue}"],
                             "problem_count": 1}
    else:
        checks["figures"] = check_figures()
    checks["ok"] = all(checks[name]["ok"] for name in ("registrations", "decisions", "figures"))
    return checks


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--redis-url", default=os.environ.get("CELERY_BROKER_URL"))
    parser.add_argument("--queue-timeout", type=float, default=300.0)
    parser.add_argument("--output", help="write the checks as JSON here")
    args = parser.parse_args(argv)

    import django

    django.setup()
    with open(args.accounts) as handle:
        accounts = json.load(handle)
    with open(args.results) as handle:
        results = json.load(handle)
    checks = verify(accounts, results, redis_url=args.redis_url, queue_timeout=args.queue_timeout)
    if args.output:
        with open(args.output, "w") as handle:
            json.dump(checks, handle, indent=1, default=str)
    for name in ("registrations", "decisions", "figures"):
        check = checks[name]
        print(f"verify: {name}: {'OK' if check['ok'] else 'FAILED'} "
              f"({', '.join(f'{k}={v}' for k, v in check.items() if k not in ('ok', 'problems'))})")
        for problem in check["problems"][:10]:
            print(f"verify:   - {problem}")
    return 0 if checks["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
