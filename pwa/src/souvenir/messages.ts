/** Texts of a team's souvenir page: loaded with it. */
import { addMessages } from "../i18n";

export const souvenirDe = {
  "souvenir.title": "Das haben wir entdeckt",
  "souvenir.visit": "Parcours „{trail}“ · {institution} · {month}",
  "souvenir.stations": "Geschaffte Stationen",
  "souvenir.noStations": "Noch keine Station geschafft.",
  "souvenir.photos": "Unsere Fotos",
  "souvenir.answers": "Unsere Antworten",
  "souvenir.nothingApproved": "Die Lehrkraft hat noch keine Fotos oder Antworten freigegeben.",
  "souvenir.comeBack": "Komm wieder – mit deiner Familie",
  "souvenir.offers": "Angebote von {institution}",
  "souvenir.openingHours": "Öffnungszeiten",
  "souvenir.website": "Website der Einrichtung",
  "souvenir.gone": "Diese Seite wird am {date} mit den Daten des Besuchs gelöscht.",
  "souvenir.loading": "Die Erinnerungsseite wird geladen …",
  "code.unknown_souvenir":
    "Diese Erinnerungsseite gibt es nicht (mehr). Vielleicht sind die Daten des Besuchs schon gelöscht.",
};

export const souvenirEn: Record<keyof typeof souvenirDe, string> = {
  "souvenir.title": "What we discovered",
  "souvenir.visit": "Trail “{trail}” · {institution} · {month}",
  "souvenir.stations": "Stations completed",
  "souvenir.noStations": "No station completed yet.",
  "souvenir.photos": "Our photos",
  "souvenir.answers": "Our answers",
  "souvenir.nothingApproved": "The teacher has not approved any photos or answers yet.",
  "souvenir.comeBack": "Come back – with your family",
  "souvenir.offers": "Offers of {institution}",
  "souvenir.openingHours": "Opening hours",
  "souvenir.website": "The institution's website",
  "souvenir.gone": "This page is deleted with the visit's data on {date}.",
  "souvenir.loading": "Loading the souvenir page …",
  "code.unknown_souvenir":
    "This souvenir page does not exist (any more). The visit's data may have been deleted.",
};

addMessages(souvenirDe, souvenirEn);
