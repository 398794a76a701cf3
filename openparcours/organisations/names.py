"""Organisations' kinds and school forms in German words, as printed reports show them (the PWA
has the same words in its messages)."""

from openparcours.organisations.models import OrganisationKind, SchoolForm

KINDS = {
    OrganisationKind.museum: "Museum",
    OrganisationKind.library: "Bibliothek",
    OrganisationKind.archive: "Archiv",
    OrganisationKind.vhs: "Volkshochschule",
    OrganisationKind.media_centre: "Medienzentrum",
    OrganisationKind.theatre: "Theater",
    OrganisationKind.memorial: "Gedenkstätte",
    OrganisationKind.science_centre: "Science Center",
    OrganisationKind.other_institution: "andere Einrichtung",
    OrganisationKind.school: "Schule",
}

SCHOOL_FORMS = {
    SchoolForm.grundschule: "Grundschule",
    SchoolForm.hauptschule: "Hauptschule",
    SchoolForm.realschule: "Realschule",
    SchoolForm.sekundarschule: "Sekundarschule",
    SchoolForm.gesamtschule: "Gesamtschule",
    SchoolForm.gymnasium: "Gymnasium",
    SchoolForm.primusschule: "PRIMUS-Schule",
    SchoolForm.foerderschule: "Förderschule",
    SchoolForm.berufskolleg: "Berufskolleg",
    SchoolForm.weiterbildungskolleg: "Weiterbildungskolleg",
    SchoolForm.other: "andere Schulform",
}

NO_SCHOOL_FORM = "Schulform nicht angegeben"


def kind_name(kind: OrganisationKind) -> str:
    return KINDS[kind]


def school_form_name(form: SchoolForm | None) -> str:
    return NO_SCHOOL_FORM if form is None else SCHOOL_FORMS[form]
