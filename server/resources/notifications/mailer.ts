import nodemailer from 'nodemailer';
import type { Locale, Notification } from '../../../shared/schemas';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends one e-mail; rejects when the SMTP server refuses it. */
export type Mailer = (mail: Mail) => Promise<void>;

/** Nodemailer over SMTP_URL (smtp:// or smtps://, with credentials in the URL if needed). */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return async (mail) => {
    await transport.sendMail({ from, ...mail });
  };
}

const footer: Record<Locale, string> = {
  fr: 'Vous recevez ce message parce que vous êtes inscrit·e à Entraide. Votre langue et votre adresse se changent dans vos préférences.',
  en: 'You receive this message because you have an Entraide account. Change your language and address in your preferences.',
};
const openTask: Record<Locale, string> = { fr: 'Ouvrir la tâche :', en: 'Open the task:' };

/** The e-mail of a notification, in the reader's language: its title and a link, nothing more. */
export function notificationMail(to: string, locale: Locale, n: Notification, publicUrl: string | undefined): Mail {
  const link =
    publicUrl && n.taskId ? `\n\n${openTask[locale]} ${publicUrl.replace(/\/$/, '')}/#/tasks/${n.taskId}` : '';
  return {
    to,
    subject: `Entraide – ${n.title}`,
    text: `${n.title}${link}\n\n-- \n${footer[locale]}\n`,
  };
}
