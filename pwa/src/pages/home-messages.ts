/** Texts of the home page beyond the shell's: loaded with it, not with the join screen. */
import { addMessages } from "../i18n";

export const homeDe = {
  "home.offers": "Lernangebote",
  "home.offersHint": "Parcours von Museen, Bibliotheken und Archiven für Schulklassen – ohne Anmeldung.",
  "home.offersLink": "Lernangebote entdecken",
} as const;

export const homeEn: Record<keyof typeof homeDe, string> = {
  "home.offers": "Learning offers",
  "home.offersHint": "Trails of museums, libraries and archives for school classes – no login needed.",
  "home.offersLink": "Discover learning offers",
};

addMessages(homeDe, homeEn);
