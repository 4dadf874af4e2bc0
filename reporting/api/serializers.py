"""API v1 representation of the council figures (``reporting.selectors.CouncilFigures``).

lowerCamelCase fields, amounts as decimal strings, suppressed counts of people as ``null`` with
``onderdrukt: true`` and ``weergave: "< 5"`` (or ``"onderdrukt"`` for a cell hidden only because it could
be found from the total). The same serializer stores the figures a PDF report
was made from (``Raadsrapportage.cijfers``), so the API and the PDF can be compared field by field.
"""

from rest_framework import serializers


def money(**kwargs):
    return serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True, **kwargs)


def pct(**kwargs):
    return serializers.DecimalField(max_digits=9, decimal_places=2, coerce_to_string=True, allow_null=True, **kwargs)


def jobs(**kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True, allow_null=True, **kwargs)


class RaadAantalSerializer(serializers.Serializer):
    waarde = serializers.IntegerField(allow_null=True, help_text="Aantal personen; null als het is onderdrukt.")
    onderdrukt = serializers.BooleanField(help_text="True als het aantal niet wordt getoond: onder de 5, of anders uit het totaal af te leiden.")
    weergave = serializers.CharField(help_text='Zoals getoond: het aantal, "< 5" (1 tot 4) of "onderdrukt" (verborgen omdat het anders uit het totaal is af te leiden).')


class RaadStatusSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    aantal = serializers.IntegerField()
    aandeel = pct(help_text="Percentage van de contracten die moeten worden voldaan: met bouwblokken of via SEBO "
                            "(zonder de vrijgestelde).")
    waarvanSebo = serializers.IntegerField(source="waarvan_sebo",
                                           help_text="Bij 'voldaan': waarvan voldaan via het SEBO-keurmerk.")


class RaadDeelgroepSerializer(serializers.Serializer):
    aantal = serializers.IntegerField()
    verplichting = money()


class RaadDoelgroepSerializer(serializers.Serializer):
    doelgroep = serializers.CharField()
    label = serializers.CharField()
    personen = RaadAantalSerializer()


class RaadDuurzaamSerializer(serializers.Serializer):
    gestart = RaadAantalSerializer(help_text="Personen van wie de goedgekeurde plaatsing in het jaar begon.")
    vastContract = RaadAantalSerializer(source="vast_contract")
    na12Maanden = RaadAantalSerializer(source="na_12_maanden", help_text="Na 12 maanden nog in dienst.")
    uitkomstBekend = RaadAantalSerializer(source="uitkomst_bekend")


class RaadBanenafspraakJaarSerializer(serializers.Serializer):
    jaar = serializers.IntegerField()
    doel = jobs()
    banenTotaal = jobs(source="banen_totaal")
    percentage = pct()
    banenViaSocialReturn = jobs(source="banen_via_social_return")


class RaadBanenafspraakSerializer(serializers.Serializer):
    beschikbaar = serializers.BooleanField()
    werkgever = serializers.CharField(allow_null=True)
    doel = jobs()
    banenDienstverband = jobs(source="banen_dienstverband")
    banenInleen = jobs(source="banen_inleen")
    banenTotaal = jobs(source="banen_totaal")
    percentage = pct()
    tekort = jobs()
    banenViaSocialReturn = jobs(source="banen_via_social_return")
    jaren = RaadBanenafspraakJaarSerializer(many=True)
    bron = serializers.CharField(help_text=(
        "Waar de banen van het jaar vandaan komen: telling (een gemeten jaartotaal, zie meetbronnen), "
        "kwartaaltellingen (gemiddelde van de gemeten kwartalen), dienstverbanden (eigen registratie in het "
        "portaal), gemengd of geen."))
    meetbronnen = serializers.ListField(child=serializers.CharField(), help_text=(
        "Bron van de gebruikte tellingen: uwv, salarisadministratie, publicatie of eigen_telling."))
    kwartalenGemeten = serializers.IntegerField(source="kwartalen_gemeten", help_text=(
        "Bij kwartaaltellingen: over hoeveel van de 4 kwartalen van het jaar is gemeten."))


class RaadBudgetSerializer(serializers.Serializer):
    bedrag = money(allow_null=True)
    gerealiseerdInJaar = money(source="gerealiseerd_in_jaar")
    opbrengstPerEuro = money(source="opbrengst_per_euro", allow_null=True, help_text=(
        "Waarde per euro budget: de gerealiseerde waarde in het jaar gedeeld door het budget. Bouwblokwaarden zijn "
        "vaste rekenwaarden uit de catalogus, geen geld dat is verdiend of bespaard."))


class RaadTrendSerializer(serializers.Serializer):
    jaar = serializers.IntegerField()
    contracten = serializers.IntegerField(help_text="Contracten die dat jaar liepen en met bouwblokken worden ingevuld.")
    verplichting = money(help_text="Hun verplichting (over de hele looptijd).")
    gerealiseerd = money(help_text="Cumulatief: gerealiseerd tot en met het jaar over de contracten die dat jaar "
                                   "liepen; kan dalen als een contract afloopt.")
    gerealiseerdInJaar = money(source="gerealiseerd_in_jaar")
    percentage = pct(help_text="Cumulatief: gerealiseerd tot en met het jaar als deel van de verplichting.")
    personen = RaadAantalSerializer()
    toegezegd = money(help_text="Toegezegd: de volle goedgekeurde waarde tot en met het jaar.")


class RaadVerhaalSerializer(serializers.Serializer):
    titel = serializers.CharField()
    tekst = serializers.CharField()


class RaadsrapportageSerializer(serializers.Serializer):
    gemeente = serializers.CharField(source="gemeente_code")
    gemeenteNaam = serializers.CharField(source="gemeente_naam")
    jaar = serializers.IntegerField()
    peildatum = serializers.DateField()
    contracten = serializers.IntegerField(help_text="Contracten met een verplichting die in het jaar liepen.")
    contractwaarde = money(help_text="Hun actuele aanneemsom samen.")
    verplichting = money(help_text="Van de contracten die met bouwblokken worden ingevuld (SEBO: zie sebo).")
    verwacht = money(help_text="Wat naar rato van de verstreken looptijd gerealiseerd zou moeten zijn.")
    gerealiseerd = money(help_text=(
        "Gerealiseerd tot en met het jaar, gemeten op de peildatum: het deel van de goedgekeurde registraties "
        "op of vóór die datum (bij een plaatsing de maanden die voorbij zijn)."))
    gerealiseerdInJaar = money(source="gerealiseerd_in_jaar", help_text="Waarvan gerealiseerd in het jaar zelf.")
    toegezegd = money(help_text="Toegezegd: de volle goedgekeurde waarde tot en met het jaar, ook de maanden die nog komen.")
    toegezegdInJaar = money(source="toegezegd_in_jaar", help_text="Waarvan toegezegd in het jaar zelf.")
    inBehandeling = money(source="in_behandeling")
    realisatiePercentage = pct(source="realisatie_percentage", help_text=(
        "Gerealiseerd als deel van de verplichting van de contracten die met bouwblokken worden ingevuld "
        "(zonder SEBO en vrijgestelde contracten); null als dat niet van toepassing is (realisatieToelichting zegt "
        "waarom)."))
    realisatieToelichting = serializers.CharField(source="realisatie_toelichting",
                                                  help_text="Waarover het percentage gaat, of waarom er geen is.")
    contractenMetBouwblokken = serializers.IntegerField(
        source="contracten_met_bouwblokken", help_text="Contracten die met bouwblokken worden ingevuld: de basis van "
                                                       "verplichting, gerealiseerd, toegezegd en het percentage.")
    contractenTeVoldoen = serializers.IntegerField(
        source="contracten_te_voldoen", help_text="Met bouwblokken of via SEBO: de basis van de aandelen in statussen.")
    sebo = RaadDeelgroepSerializer(help_text="Contracten voldaan via het SEBO-keurmerk, met hun verplichting.")
    vrijgesteld = RaadDeelgroepSerializer(help_text="Contracten met een ontheffing (verplichting 0).")
    statussen = RaadStatusSerializer(many=True)
    personen = RaadAantalSerializer()
    doelgroepen = RaadDoelgroepSerializer(many=True)
    duurzaam = RaadDuurzaamSerializer()
    banenafspraak = RaadBanenafspraakSerializer()
    budget = RaadBudgetSerializer()
    trend = RaadTrendSerializer(many=True)
    verhalen = RaadVerhaalSerializer(many=True)
    berekendOp = serializers.DateTimeField(source="berekend_op", allow_null=True)
    gegevensversie = serializers.CharField()
