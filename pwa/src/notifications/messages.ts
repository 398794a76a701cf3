/** Texts of the notifications: the list, the link with its count, the choices per kind.
 * A notification's text is worded here from its kind and params, never the server's. */
import { addMessages } from "../i18n";

export const notificationsDe = {
  "notifications.title": "Benachrichtigungen",
  "notifications.titleUnread": "Benachrichtigungen ({count} neu)",
  "notifications.empty": "Keine Benachrichtigungen.",
  "notifications.emptyHint":
    "Hier erscheint, was Sie wissen sollten: Unterschriften, Fristen, wartende Bewertungen.",
  "notifications.allRead": "Alle als gelesen markieren",
  "notifications.markRead": "Als gelesen markieren",
  "notifications.new": "Neu:",
  "notifications.more": "Ältere laden",
  "notifications.open": "Ansehen",
  "notifications.preferences": "Benachrichtigungen per Mail",
  "notifications.preferencesIntro":
    "Alle Benachrichtigungen stehen in der Liste. Wählen Sie für jede Art, ob sie auch per Mail kommt.",
  "notifications.kind": "Art",
  "notifications.saved": "Gespeichert.",
  "notifications.save": "Speichern",
  "delivery.at_once": "Sofort per Mail",
  "delivery.digest": "Tägliche Zusammenfassung",
  "delivery.in_app": "Nur in der Liste",
  "kind.agreement_proposed": "Vereinbarung zur Unterschrift",
  "kind.agreement_signed": "Unterschrift der anderen Seite",
  "kind.agreement_in_force": "Vereinbarung in Kraft",
  "kind.agreement_review_due": "Überprüfung in 30 Tagen",
  "kind.agreement_ending": "Ende in 90 Tagen",
  "kind.member_joined": "Neue Kolleg:innen",
  "kind.grading_waiting": "Antworten zu bewerten",
  "kind.data_deletion": "Löschung der Daten eines Besuchs",
  "kind.forum_message": "Nachrichten der Partner",
  "kind.partner_news": "Neuigkeiten für Partnerschulen",
  "kind.practice_shared": "Gute Praxis teilen",
  "text.agreement_proposed":
    "Die Kooperationsvereinbarung zwischen {school} und {institution} (Fassung {number}) liegt zur Unterschrift vor.",
  "text.agreement_signed":
    "{signed_by} hat die Kooperationsvereinbarung zwischen {school} und {institution} (Fassung {number}) unterschrieben; es fehlt die Unterschrift Ihrer Seite.",
  "text.agreement_in_force":
    "Die Kooperationsvereinbarung zwischen {school} und {institution} (Fassung {number}) ist in Kraft.",
  "text.agreement_review_due":
    "Die Kooperationsvereinbarung zwischen {school} und {institution} soll am {date} überprüft werden.",
  "text.agreement_ending":
    "Die Kooperationsvereinbarung zwischen {school} und {institution} endet am {date}.",
  "text.member_joined": "{name} gehört jetzt zu {organisation} ({role}).",
  "text.grading_waiting.one":
    "Im Besuch der Klasse {class_label} („{trail}“) wartet 1 Antwort auf Ihre Bewertung.",
  "text.grading_waiting":
    "Im Besuch der Klasse {class_label} („{trail}“) warten {count} Antworten auf Ihre Bewertung.",
  "text.data_deletion":
    "Die Gruppen, Antworten und Fotos des Besuchs der Klasse {class_label} („{trail}“) werden am {date} gelöscht. Exportieren Sie vorher, was Sie behalten möchten.",
  "text.forum_message": "{author} hat in der Partnerschaft {school} – {institution} geschrieben.",
  "text.partner_news": "Neuigkeiten von {institution}: „{title}“",
  "text.practice_shared":
    "{shared_by} möchte aus der Partnerschaft {school} – {institution} ein gutes Beispiel mit dem Kreis teilen; es fehlt die Zustimmung Ihrer Seite.",
};

const notificationsEn: Record<keyof typeof notificationsDe, string> = {
  "notifications.title": "Notifications",
  "notifications.titleUnread": "Notifications ({count} new)",
  "notifications.empty": "No notifications.",
  "notifications.emptyHint":
    "What you should know appears here: signatures, deadlines, answers waiting for grading.",
  "notifications.allRead": "Mark all as read",
  "notifications.markRead": "Mark as read",
  "notifications.new": "New:",
  "notifications.more": "Load older ones",
  "notifications.open": "View",
  "notifications.preferences": "Notifications by mail",
  "notifications.preferencesIntro":
    "Every notification is in the list. Choose for each kind whether it comes by mail too.",
  "notifications.kind": "Kind",
  "notifications.saved": "Saved.",
  "notifications.save": "Save",
  "delivery.at_once": "By mail at once",
  "delivery.digest": "Daily digest",
  "delivery.in_app": "In the list only",
  "kind.agreement_proposed": "Agreement to sign",
  "kind.agreement_signed": "The other side signed",
  "kind.agreement_in_force": "Agreement in force",
  "kind.agreement_review_due": "Review in 30 days",
  "kind.agreement_ending": "End in 90 days",
  "kind.member_joined": "New colleagues",
  "kind.grading_waiting": "Answers to grade",
  "kind.data_deletion": "A visit's data deleted",
  "kind.forum_message": "Partners' messages",
  "kind.partner_news": "News for partner schools",
  "kind.practice_shared": "Sharing good practice",
  "text.agreement_proposed":
    "The cooperation agreement between {school} and {institution} (version {number}) waits for signatures.",
  "text.agreement_signed":
    "{signed_by} has signed the cooperation agreement between {school} and {institution} (version {number}); your side's signature is missing.",
  "text.agreement_in_force":
    "The cooperation agreement between {school} and {institution} (version {number}) is in force.",
  "text.agreement_review_due":
    "The cooperation agreement between {school} and {institution} is due for review on {date}.",
  "text.agreement_ending":
    "The cooperation agreement between {school} and {institution} ends on {date}.",
  "text.member_joined": "{name} is now a member of {organisation} ({role}).",
  "text.grading_waiting.one":
    "In the visit of class {class_label} (“{trail}”), 1 answer waits for your grade.",
  "text.grading_waiting":
    "In the visit of class {class_label} (“{trail}”), {count} answers wait for your grade.",
  "text.data_deletion":
    "The teams, answers and photos of the visit of class {class_label} (“{trail}”) will be deleted on {date}. Export what you want to keep before then.",
  "text.forum_message": "{author} wrote in the partnership {school} – {institution}.",
  "text.partner_news": "News from {institution}: “{title}”",
  "text.practice_shared":
    "{shared_by} would like to share an example of good practice from the partnership {school} – {institution} with the district; your side's consent is missing.",
};

addMessages(notificationsDe, notificationsEn);
