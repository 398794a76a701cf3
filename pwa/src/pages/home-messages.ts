/** Texts of the home page beyond the shell's: loaded with it, not with the join screen. */
import { addMessages } from "../i18n";

export const homeDe = {
  "home.title": "Lernen unterwegs – im Museum, in der Bibliothek, in der Stadt",
  "home.students": "Für Schüler:innen",
  "home.join": "Einem Besuch beitreten",
  "home.joinHint": "Deine Lehrkraft zeigt dir einen Beitrittscode oder einen QR-Code.",
  "home.staff": "Für Lehrkräfte und Einrichtungen",
  "home.staffHint": "Parcours erstellen, Besuche anlegen und Ergebnisse ansehen.",
  "home.yourAreas": "Ihre Bereiche",
  "home.offers": "Lernangebote",
  "home.offersHint":
    "Parcours von Museen, Bibliotheken und Archiven für Schulklassen – ohne Anmeldung.",
  "home.offersLink": "Lernangebote entdecken",
} as const;

export const homeEn: Record<keyof typeof homeDe, string> = {
  "home.title": "Learning on the move – in the museum, the library, the town",
  "home.students": "For students",
  "home.join": "Join a visit",
  "home.joinHint": "Your teacher shows you a join code or a QR code.",
  "home.staff": "For teachers and institutions",
  "home.staffHint": "Author trails, open visits and review results.",
  "home.yourAreas": "Your areas",
  "home.offers": "Learning offers",
  "home.offersHint":
    "Trails of museums, libraries and archives for school classes – no login needed.",
  "home.offersLink": "Discover learning offers",
};

addMessages(homeDe, homeEn);
