/** Texts of the pages that a mailed link opens (a new password, a new address) and of the
 * account's mail settings: loaded with them, so the students' join screen stays small. */
import { addMessages } from "../i18n";

export const accountDe = {
  "login.forgotten": "Passwort vergessen?",
  "forgotten.title": "Passwort vergessen",
  "forgotten.intro":
    "Geben Sie die E-Mail-Adresse Ihres Kontos an. Sie erhalten einen Link, mit dem Sie ein neues Passwort festlegen.",
  "forgotten.submit": "Link anfordern",
  "forgotten.sent":
    "Wenn es zu dieser Adresse ein Konto gibt, ist ein Link dorthin unterwegs. Er gilt eine Stunde lang. Sehen Sie auch im Spam-Ordner nach.",
  "reset.title": "Neues Passwort festlegen",
  "reset.new": "Neues Passwort",
  "reset.hint": "Mindestens 10 Zeichen.",
  "reset.repeat": "Neues Passwort wiederholen",
  "reset.submit": "Passwort festlegen",
  "reset.done":
    "Ihr neues Passwort gilt. Alle Anmeldungen wurden beendet; melden Sie sich jetzt damit an.",
  "reset.again": "Einen neuen Link anfordern",
  "email.title": "E-Mail-Adresse",
  "email.current": "Ihre Adresse: {email}",
  "email.new": "Neue E-Mail-Adresse",
  "email.password": "Ihr Passwort",
  "email.submit": "Bestätigungslink senden",
  "email.sent":
    "Ein Link ist an {email} unterwegs. Ihre Adresse ändert sich, sobald Sie ihn innerhalb von 24 Stunden öffnen.",
  "email.confirmTitle": "Neue E-Mail-Adresse",
  "email.confirming": "Die Adresse wird bestätigt …",
  "email.confirmed": "Ihre E-Mail-Adresse ist jetzt {email}.",
  "mail.language": "Sprache Ihrer Mails",
  "mail.languageSaved": "Ihre Mails kommen jetzt auf {language}.",
  "mail.failing": "Mails an diese Adresse kommen nicht an.",
  "mail.failedTitle": "Nicht zugestellte Mails",
  "mail.failedIntro":
    "Diese Mails hat der Mailserver abgelehnt oder 48 Stunden lang nicht angenommen.",
  "mail.failedNone": "Keine: Alle Mails wurden zugestellt.",
  "mail.failedRecipient": "An",
  "mail.failedSubject": "Betreff",
  "mail.failedQueued": "Erstellt",
  "mail.failedError": "Antwort des Mailservers",
  "code.link_invalid":
    "Dieser Link ist ungültig. Prüfen Sie, ob er vollständig aus der Mail übernommen wurde.",
  "code.link_used": "Dieser Link wurde bereits verwendet. Fordern Sie bei Bedarf einen neuen an.",
  "code.link_expired": "Dieser Link ist abgelaufen. Fordern Sie einen neuen an.",
  "code.same_email": "Das ist bereits die Adresse Ihres Kontos.",
  "code.email_in_use": "Diese Adresse gehört schon zu einem anderen Konto.",
} as const;

export const accountEn: Record<keyof typeof accountDe, string> = {
  "login.forgotten": "Forgot your password?",
  "forgotten.title": "Forgotten password",
  "forgotten.intro":
    "Enter your account's e-mail address. You will receive a link to set a new password.",
  "forgotten.submit": "Send me a link",
  "forgotten.sent":
    "If this address has an account, a link is on its way there. It is valid for one hour. Check the spam folder too.",
  "reset.title": "Set a new password",
  "reset.new": "New password",
  "reset.hint": "At least 10 characters.",
  "reset.repeat": "Repeat the new password",
  "reset.submit": "Set password",
  "reset.done": "Your new password is set. Every login has ended; log in with it now.",
  "reset.again": "Ask for a new link",
  "email.title": "E-mail address",
  "email.current": "Your address: {email}",
  "email.new": "New e-mail address",
  "email.password": "Your password",
  "email.submit": "Send a confirmation link",
  "email.sent":
    "A link is on its way to {email}. Your address changes once you open it within 24 hours.",
  "email.confirmTitle": "New e-mail address",
  "email.confirming": "Confirming the address …",
  "email.confirmed": "Your e-mail address is now {email}.",
  "mail.language": "Language of your mails",
  "mail.languageSaved": "Your mails now come in {language}.",
  "mail.failing": "Mails to this address do not arrive.",
  "mail.failedTitle": "Undelivered mails",
  "mail.failedIntro": "The mail server refused these mails or did not take them for 48 hours.",
  "mail.failedNone": "None: every mail was delivered.",
  "mail.failedRecipient": "To",
  "mail.failedSubject": "Subject",
  "mail.failedQueued": "Created",
  "mail.failedError": "The mail server's answer",
  "code.link_invalid": "This link is not valid. Check that it was taken completely from the mail.",
  "code.link_used": "This link has been used already. Ask for a new one if you need it.",
  "code.link_expired": "This link has expired. Ask for a new one.",
  "code.same_email": "This is your account's address already.",
  "code.email_in_use": "This address belongs to another account already.",
};

addMessages(accountDe, accountEn);
