from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Min, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sroi_portal import access, access_pages, clock
from sroi_portal.models import Role


@login_required
@require_GET
def home(request):
    """The start page, per role: the supplier's open tasks and totals, the council's figures, or the
    staff's entry points. Each part comes from the same helpers as the full pages."""
    user = request.user
    context = {}
    if access_pages.is_supplier_user(user):
        from bouwblokken.views import supplier_overview

        context["overview"] = supplier_overview(user)
    elif access_pages.may_see_council_pages(user) and user.role == Role.RAADSLID:
        from sroi_portal.raad import figures_for, selected_year

        context["jaar"] = selected_year(request)
        context["figures"] = figures_for(access.gemeenten_for(user).order_by("naam"), jaar=context["jaar"])
    else:
        from contracts.views import is_srteam_user

        if is_srteam_user(user):
            context["werk"] = srteam_work(user, today=clock.today())
            context["working_days"] = settings.SROI_CONTACT_WORKING_DAYS
    return render(request, "home.html", context)


@dataclass(frozen=True)
class SRTeamWork:
    """What waits for the SR-team, over its municipalities (the start page's counts)."""

    nieuwe_contracten: int  # in the inbox: an obligation, no contact yet, not settled
    intakes_te_laat: int  # of those, past the contact deadline (contracts.intake)
    registraties_te_beoordelen: int  # submitted, waiting for a decision
    oudste_wacht_dagen: int | None  # calendar days since the oldest of those was submitted


def srteam_work(user, *, today: date) -> SRTeamWork:
    """Two queries whatever the numbers: the inbox and the verification queue of ``user``, counted
    with the same querysets and rules as those pages (``contracts.views.inbox_queryset`` with
    ``contracts.intake.last_overdue_award``; ``bouwblokken.views_verification.registraties_for``)."""
    from bouwblokken.models import Status
    from bouwblokken.views_verification import registraties_for
    from contracts.intake import last_overdue_award
    from contracts.views import inbox_queryset

    inbox = inbox_queryset(user).order_by().aggregate(
        nieuw=Count("pk"), te_laat=Count("pk", filter=Q(gunningsdatum__lte=last_overdue_award(today))),
    )
    queue = registraties_for(user).filter(status=Status.INGEDIEND).order_by().aggregate(
        n=Count("pk"), oudste=Min("ingediend_op"),
    )
    oudste = queue["oudste"]
    return SRTeamWork(
        nieuwe_contracten=inbox["nieuw"],
        intakes_te_laat=inbox["te_laat"],
        registraties_te_beoordelen=queue["n"],
        oudste_wacht_dagen=max(0, (today - timezone.localtime(oudste).date()).days) if oudste else None,
    )


@require_GET
def health(request):
    """Liveness and database check for load balancers and docker-compose health checks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
