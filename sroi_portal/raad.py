"""The council's entry (raadsleden): the index of its municipalities for a year, aggregated.

No contract, supplier or person is ever shown here: only counts and sums (rules §4 and §6). The
figures are NOT computed here: every number comes from ``reporting.selectors.council_figures``,
the one definition the council page, the PDF council report and the API use as well.

There is ONE council page per municipality and year: ``/rapportage/<code>/<jaar>/``
(``reporting.views.dashboard``, with the PDF and the open data). ``/raad/`` is the index: one card
per municipality with the same headline figures (the same partial, ``raad/_figures.html``) and the
way to its page; ``/raad/<code>/`` (the old per-municipality page) redirects to the page of the year
asked for (``?jaar=``) or the year the council reports on.
"""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from reporting import selectors as reporting_selectors
from sroi_portal import access, access_pages, clock

FIRST_YEAR = 2019  # the first year the year picker offers (as on the dashboard)


def selected_year(request) -> int:
    """``?jaar=`` when it is a year up to this one; else the year the council reports on (the last
    complete year, as on the dashboard)."""
    value = request.GET.get("jaar", "")
    this_year = clock.today().year
    if value.isdigit() and FIRST_YEAR <= int(value) <= this_year:
        return int(value)
    return reporting_selectors.default_year()


def year_choices() -> list[int]:
    return list(range(clock.today().year, FIRST_YEAR - 1, -1))


def figures_for(gemeenten, *, jaar: int) -> list:
    """The council figures (``reporting.selectors.CouncilFigures``) of each municipality for ``jaar``.

    A fixed number of queries, whatever the number of municipalities, contracts or registrations
    (``council_figures_many``: the same code as ``council_figures`` for one)."""
    return reporting_selectors.council_figures_many(gemeenten=gemeenten, jaar=jaar)


def _council_gemeenten(user):
    if not access_pages.may_see_council_pages(user):
        raise PermissionDenied
    return access.gemeenten_for(user).order_by("naam")


def _peildatum(jaar: int) -> date:
    return min(date(jaar, 12, 31), clock.today())


@login_required
@require_GET
def index(request):
    jaar = selected_year(request)
    gemeenten = _council_gemeenten(request.user)
    return render(request, "raad/index.html", {
        "figures": figures_for(gemeenten, jaar=jaar), "jaar": jaar, "jaren": year_choices(),
        "peildatum": _peildatum(jaar),
    })


@login_required
@require_GET
def gemeente(request, code):
    """The old page of one municipality: now the council page of that municipality and year."""
    gemeente = get_object_or_404(_council_gemeenten(request.user), code=code)
    if not access.may_see_aggregates(request.user, gemeente):
        raise PermissionDenied
    return redirect("reporting:dashboard", gemeentecode=gemeente.code, jaar=selected_year(request))
