/** Texts of good practice made visible: sharing on the partnership page, the district's
 * examples. Loaded with them. */
import { addMessages } from "../i18n";

export const practiceDe = {
  "practice.title": "Als gutes Beispiel teilen",
  "practice.intro":
    "Stimmen beide Seiten zu, zeigt die Seite „Gute Praxis“ im Kreis der Schule Ihre Lernangebote mit der Verankerung im Curriculum oder Ihre Reflexion als Beispiel für andere Schulen und Einrichtungen: ohne Daten von Schülerinnen und Schülern, ohne Namen und Kontakte. Jede Seite kann ihre Zustimmung jederzeit zurücknehmen; ändert sich die Vereinbarung oder die Reflexion, stimmen beide neu zu.",
  "practice.offers": "Lernangebote und Verankerung im Curriculum",
  "practice.reflection": "Reflexion {year}",
  "practice.sideState": "{side}: {state}",
  "practice.school": "Schule",
  "practice.agreedBy": "zugestimmt ({name}, {date})",
  "practice.agreedOn": "zugestimmt ({date})",
  "practice.notYet": "noch nicht",
  "practice.shown": "Wird als Beispiel gezeigt.",
  "practice.waiting": "Wird gezeigt, sobald beide Seiten zustimmen.",
  "practice.unavailable": "Ohne gültige Vereinbarung gibt es keine Lernangebote zu zeigen.",
  "practice.noReflection":
    "Noch keine Reflexion: Schreiben Sie sie im Jahresplan, dann lässt sie sich hier teilen.",
  "practice.share": "Als gutes Beispiel teilen",
  "practice.shareFor": "Für {side} teilen",
  "practice.withdraw": "Zustimmung zurücknehmen",
  "practice.withdrawFor": "Zustimmung für {side} zurücknehmen",
  "practice.shared": "Zugestimmt: {what}.",
  "practice.withdrawn": "Zustimmung zurückgenommen: {what}.",
  "practice.link": "Gute Praxis",
  "practice.examplesFrom": "Beispiele guter Praxis: {district}",
  "practice.pageTitle": "Gute Praxis: {district}",
  "practice.pageIntro":
    "Beispiele, die Schulen und ihre Partner gemeinsam freigegeben haben: Lernangebote, ihre Verankerung im schulinternen Curriculum und was die Partner aus einem Schuljahr gelernt haben.",
  "practice.none": "Noch keine geteilten Beispiele.",
  "practice.count": "Geteilte Beispiele: {count}",
  "practice.with": "{school} mit {institution}",
  "practice.offersHeading": "Lernangebote",
  "practice.anchoringHeading": "Verankerung im schulinternen Curriculum",
  "practice.anchoringCaption": "Verankerung: {school} mit {institution}",
  "practice.yearGroups": "Jahrgänge {years}",
  "practice.wentWell": "Was gut lief",
  "practice.changes": "Was sich ändert",
  "practice.profile": "Profil von {name}",
  "code.nothing_to_share":
    "Es gibt nichts zu teilen: Es fehlt eine gültige Vereinbarung oder eine geschriebene Reflexion.",
};

export const practiceEn: Record<keyof typeof practiceDe, string> = {
  "practice.title": "Share as an example of good practice",
  "practice.intro":
    "When both sides agree, the “Good practice” page of the school's district shows your learning offers with their anchoring in the curriculum, or your reflection, as an example to other schools and institutions: without student data, names or contacts. Either side can withdraw its consent at any time; when the agreement or the reflection changes, both agree again.",
  "practice.offers": "Learning offers and their anchoring in the curriculum",
  "practice.reflection": "Reflection {year}",
  "practice.sideState": "{side}: {state}",
  "practice.school": "School",
  "practice.agreedBy": "agreed ({name}, {date})",
  "practice.agreedOn": "agreed ({date})",
  "practice.notYet": "not yet",
  "practice.shown": "Shown as an example.",
  "practice.waiting": "Shown as soon as both sides agree.",
  "practice.unavailable": "Without an agreement in force there are no learning offers to show.",
  "practice.noReflection":
    "No reflection yet: write it in the annual plan, then it can be shared here.",
  "practice.share": "Share as an example of good practice",
  "practice.shareFor": "Share for {side}",
  "practice.withdraw": "Withdraw consent",
  "practice.withdrawFor": "Withdraw consent for {side}",
  "practice.shared": "Agreed: {what}.",
  "practice.withdrawn": "Consent withdrawn: {what}.",
  "practice.link": "Good practice",
  "practice.examplesFrom": "Examples of good practice: {district}",
  "practice.pageTitle": "Good practice: {district}",
  "practice.pageIntro":
    "Examples that schools and their partners released together: learning offers, their anchoring in the school's curriculum, and what the partners learnt from a school year.",
  "practice.none": "No shared examples yet.",
  "practice.count": "Shared examples: {count}",
  "practice.with": "{school} with {institution}",
  "practice.offersHeading": "Learning offers",
  "practice.anchoringHeading": "Anchoring in the school's curriculum",
  "practice.anchoringCaption": "Anchoring: {school} with {institution}",
  "practice.yearGroups": "Year groups {years}",
  "practice.wentWell": "What went well",
  "practice.changes": "What changes",
  "practice.profile": "Profile of {name}",
  "code.nothing_to_share":
    "There is nothing to share: an agreement in force or a written reflection is missing.",
};

addMessages(practiceDe, practiceEn);
