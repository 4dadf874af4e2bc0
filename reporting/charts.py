"""Charts drawn on the server as SVG: no JavaScript, the same markup on the dashboard and in the PDF.

Readable in grey-scale and without colour vision: every series has its own fill pattern (solid,
hatched, dotted, cross-hatched, light, open) with a dark outline, every bar carries its value as
text, and the legend shows the pattern next to the series name. Every chart has a ``<title>``
and ``<desc>`` (role="img"); the page puts the same figures in a table right below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sroi_portal.templatetags.sroi import euro, getal, procent

INK = "#1c1f24"
PRIMARY = "#1b4f8a"
GRID = "#c4c9d2"
FONT = "DejaVu Sans, Source Sans 3, Arial, sans-serif"

PATTERNS = ("vol", "arcering", "stippel", "ruit", "licht", "open")


def _defs(prefix: str) -> str:
    p = escape(prefix)
    return (
        "<defs>"
        f'<pattern id="{p}-arcering" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="#ffffff"/>'
        f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{PRIMARY}" stroke-width="2.2"/></pattern>'
        f'<pattern id="{p}-stippel" width="7" height="7" patternUnits="userSpaceOnUse">'
        '<rect width="7" height="7" fill="#ffffff"/>'
        f'<circle cx="3.5" cy="3.5" r="1.7" fill="{INK}"/></pattern>'
        f'<pattern id="{p}-ruit" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="#ffffff"/>'
        f'<path d="M0,0 L8,8 M8,0 L0,8" stroke="{INK}" stroke-width="1.2"/></pattern>'
        "</defs>"
    )


def _text(x, y, content, *, anchor="start", size=12, weight="normal", fill=INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" font-weight="{weight}" '
        f'fill="{fill}" text-anchor="{anchor}">{escape(content)}</text>'
    )


# Plain fills are drawn as colours (a tiled pattern of one colour shows seams in some PDF viewers).
SOLID = {"vol": PRIMARY, "licht": "#b9c6d8", "open": "#ffffff"}


def _bar(prefix, pattern, x, y, width, height) -> str:
    fill = SOLID.get(pattern) or f"url(#{escape(prefix)}-{pattern})"
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{max(height, 0):.1f}" '
        f'fill="{fill}" stroke="{INK}" stroke-width="1"/>'
    )


def _open(prefix, title, desc, width, height) -> str:
    p = escape(prefix)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{p}-titel {p}-besch">'
        f'<title id="{p}-titel">{escape(title)}</title><desc id="{p}-besch">{escape(desc)}</desc>'
        + _defs(prefix)
    )


def short_euro(value) -> str:
    """Amounts for bar labels: € 345.000, € 1,2 mln."""
    if value is None:
        return "–"
    value = Decimal(value)
    if abs(value) >= 1_000_000:
        millions = (value / Decimal(1_000_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"€\u00a0{getal(millions, 1)}\u00a0mln"
    return euro(value, 0)


def _nice_max(value: Decimal) -> tuple[Decimal, Decimal]:
    """An axis maximum and step: 1, 2 or 5 × 10^n, with 4 or 5 steps."""
    if value <= 0:
        return Decimal(1), Decimal("0.25")
    raw = value / 4
    magnitude = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal("0.1")
    for factor in (1, 2, 2.5, 5, 10):
        step = magnitude * Decimal(str(factor))
        if step * 4 >= value:
            return step * 4, step
    return magnitude * 40, magnitude * 10


@dataclass(frozen=True)
class Series:
    naam: str
    patroon: str
    waarden: tuple  # Decimal | None per category
    labels: tuple  # text per category


def grouped_bars(*, prefix: str, title: str, desc: str, categories, series, axis_format=short_euro,
                 width=640, height=300) -> SafeString:
    """Vertical bars per category (e.g. per year), one bar per series, values on top."""
    left, right, top, bottom = 78, 12, 40, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.waarden if v is not None]
    top_value, step = _nice_max(max(values, default=Decimal(0)))
    out = [_open(prefix, title, desc, width, height)]
    # legend
    x = left
    for s in series:
        out.append(_bar(prefix, s.patroon, x, 8, 16, 16))
        out.append(_text(x + 22, 21, s.naam))
        x += 30 + 7.2 * len(s.naam)
    # grid and axis labels
    ticks = int(top_value / step) if step else 0
    for i in range(ticks + 1):
        value = step * i
        y = top + plot_h - float(value / top_value) * plot_h
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        out.append(_text(left - 6, y + 4, axis_format(value), anchor="end", size=11))
    n = max(len(categories), 1)
    group_w = plot_w / n
    bar_w = min(44, (group_w - 16) / max(len(series), 1))
    placed = []  # (x0, x1, y) of the value labels drawn so far

    def label_y(x_mid, text, y):
        half = 2.9 * len(text) + 2  # about half the width of the text at font size 10
        while any(x0 < x_mid + half and x_mid - half < x1 and abs(y - py) < 11 for x0, x1, py in placed):
            y -= 11  # lift a label that would overlap its neighbour's
        placed.append((x_mid - half, x_mid + half, y))
        return y

    for ci, category in enumerate(categories):
        gx = left + ci * group_w + (group_w - bar_w * len(series)) / 2
        for si, s in enumerate(series):
            value = s.waarden[ci]
            bx = gx + si * bar_w
            if value is None:
                out.append(_text(bx + bar_w / 2, top + plot_h - 4, "–", anchor="middle", size=11))
                continue
            h = float(Decimal(value) / top_value) * plot_h if top_value else 0
            out.append(_bar(prefix, s.patroon, bx + 2, top + plot_h - h, bar_w - 4, h))
            y = label_y(bx + bar_w / 2, s.labels[ci], top + plot_h - h - 4)
            out.append(_text(bx + bar_w / 2, y, s.labels[ci], anchor="middle", size=10))
        out.append(_text(left + ci * group_w + group_w / 2, height - bottom + 18, str(category), anchor="middle",
                         weight="bold"))
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{INK}" stroke-width="1.5"/>')
    out.append("</svg>")
    return mark_safe("".join(out))


@dataclass(frozen=True)
class Bar:
    label: str
    waarde: Decimal | int | None  # None: not drawn (e.g. suppressed)
    tekst: str
    patroon: str = "vol"


def horizontal_bars(*, prefix: str, title: str, desc: str, bars, width=640, label_width=230) -> SafeString:
    """One horizontal bar per row, the label left and the value as text right of the bar."""
    row_h, top = 30, 8
    height = top + row_h * max(len(bars), 1) + 8
    plot_w = width - label_width - 110
    values = [Decimal(b.waarde) for b in bars if b.waarde is not None]
    maximum = max(values, default=Decimal(0)) or Decimal(1)
    out = [_open(prefix, title, desc, width, height)]
    for i, bar in enumerate(bars):
        y = top + i * row_h
        out.append(_text(label_width - 8, y + 19, bar.label, anchor="end"))
        if bar.waarde is None:
            out.append(_text(label_width + 4, y + 19, bar.tekst, size=12))
            continue
        w = float(Decimal(bar.waarde) / maximum) * plot_w
        out.append(_bar(prefix, bar.patroon, label_width, y + 5, w, 20))
        out.append(_text(label_width + w + 6, y + 19, bar.tekst, weight="bold"))
    out.append(f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{height - 8}" stroke="{INK}" stroke-width="1.5"/>')
    out.append("</svg>")
    return mark_safe("".join(out))


# --- the council charts ----------------------------------------------------------------------------

STATUS_PATTERNS = {
    "voldaan": "vol", "op_schema": "arcering", "achter": "stippel", "voldaan_via_sebo": "licht", "vrijgesteld": "open",
}


def council_charts(figures, *, prefix: str) -> dict[str, SafeString]:
    """The charts of the council figures (keys: trend, status, doelgroepen, banenafspraak, budget)."""
    charts = {}
    years = [t.jaar for t in figures.trend]
    # No chart of nothing but zeros (its axis would read "€ 0 ... € 1"): the table says it.
    if years and any(t.verplichting or t.gerealiseerd for t in figures.trend):
        charts["trend"] = grouped_bars(
            prefix=f"{prefix}-trend",
            title=_("Verplichting en realisatie per jaar"),
            desc=_("Staafdiagram per jaar: de verplichting van de contracten met bouwblokken die dat jaar liepen "
                   "(effen) en de gerealiseerde waarde tot en met dat jaar, cumulatief (gearceerd). De cijfers staan "
                   "ook in de tabel eronder."),
            categories=years,
            series=[
                Series(_("Verplichting"), "vol", tuple(t.verplichting for t in figures.trend),
                       tuple(short_euro(t.verplichting) for t in figures.trend)),
                Series(_("Gerealiseerd t/m het jaar (cumulatief)"), "arcering", tuple(t.gerealiseerd for t in figures.trend),
                       tuple(short_euro(t.gerealiseerd) for t in figures.trend)),
            ],
        )
    charts["status"] = horizontal_bars(
        prefix=f"{prefix}-status",
        title=_("Contracten naar status op %(datum)s") % {"datum": figures.peildatum.strftime("%d-%m-%Y")},
        desc=_("Per status het aantal contracten dat moet worden voldaan (met bouwblokken of via SEBO) en hun "
               "aandeel; voldaan omvat voldaan via SEBO."),
        bars=[
            Bar(s.label, s.aantal, f"{s.aantal} ({procent(s.aandeel)})", STATUS_PATTERNS.get(s.status, "vol"))
            for s in figures.statussen
        ],
    )
    if figures.doelgroepen:
        charts["doelgroepen"] = horizontal_bars(
            prefix=f"{prefix}-doelgroepen",
            title=_("Geplaatste personen per doelgroep in %(jaar)s") % {"jaar": figures.jaar},
            desc=_("Per doelgroep het aantal personen; aantallen onder de 5 worden niet getoond ('< 5'), evenmin een "
                   "aantal dat anders uit het totaal is af te leiden ('onderdrukt')."),
            bars=[
                Bar(d.label, d.personen.waarde, d.personen.weergave if not d.personen.onderdrukt
                    else _("%(weergave)s (niet getoond)") % {"weergave": d.personen.weergave}, PATTERNS[i % 4])
                for i, d in enumerate(figures.doelgroepen)
            ],
        )
    banen = figures.banenafspraak
    if banen.beschikbaar and banen.jaren:
        charts["banenafspraak"] = grouped_bars(
            prefix=f"{prefix}-banen",
            title=_("Banenafspraak: doel en gerealiseerde banen"),
            desc=_("Staafdiagram per jaar: het doel (effen) en de gerealiseerde banen (gearceerd) van de gemeente "
                   "als werkgever, en de banen via social return (gestippeld)."),
            categories=[j.jaar for j in banen.jaren],
            series=[
                Series(_("Doel"), "vol", tuple(j.doel for j in banen.jaren),
                       tuple(getal(j.doel, 1) if j.doel is not None else "–" for j in banen.jaren)),
                Series(_("Gerealiseerd"), "arcering", tuple(j.banen_totaal for j in banen.jaren),
                       tuple(getal(j.banen_totaal, 1) if j.banen_totaal is not None else "–" for j in banen.jaren)),
                Series(_("Via social return"), "stippel", tuple(j.banen_via_social_return for j in banen.jaren),
                       tuple(getal(j.banen_via_social_return, 1) if j.banen_via_social_return is not None else "–"
                             for j in banen.jaren)),
            ],
            axis_format=lambda v: getal(v, 0),
        )
    if figures.budget.bedrag is not None:
        charts["budget"] = horizontal_bars(
            prefix=f"{prefix}-budget",
            title=_("Budget SR-team en gerealiseerde waarde in %(jaar)s") % {"jaar": figures.jaar},
            desc=_("Twee staven: het budget van het SR-team en de waarde die in het jaar aan social return is gerealiseerd."),
            bars=[
                Bar(_("Budget SR-team"), figures.budget.bedrag, short_euro(figures.budget.bedrag), "vol"),
                Bar(_("Gerealiseerd in het jaar"), figures.budget.gerealiseerd_in_jaar,
                    short_euro(figures.budget.gerealiseerd_in_jaar), "arcering"),
            ],
        )
    return charts
