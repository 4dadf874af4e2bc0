from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sroi_portal import access, access_pages
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
    return render(request, "home.html", context)


@require_GET
def health(request):
    """Liveness and database check for load balancers and docker-compose health checks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
