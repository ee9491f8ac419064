import { Router, type Request, type Response } from 'express';
import { normalizeTrackingCode, type TrackingAnswer } from '../../../shared/schemas';
import { NotFoundError, TooManyRequestsError } from '../../core/errors';
import type { DomainContext } from '../../context';
import { trackTask } from './tracking';
import { trackingHeaders, trackingThrottle } from './tracking-throttle';

type Lang = 'fr' | 'en';

const words = {
  fr: {
    path: '/suivi',
    other: { lang: 'en', path: '/track', label: 'English' },
    title: 'Suivi de votre demande',
    intro: 'Le code de suivi est imprimé sur votre reçu.',
    code: 'Code de suivi',
    look: 'Voir où en est ma demande',
    status: 'Où en est-elle',
    requestedOf: 'Demandée à',
    handledBy: 'Traitée par',
    notYet: 'Pas encore attribuée',
    collect: 'Où la retirer',
    updated: 'Dernière mise à jour',
    malformed: 'Ce code de suivi n’a pas le bon format : 13 lettres et chiffres, comme 7K3Q-9XAB-C2DEF.',
    unknown: 'Aucune demande ne porte ce code. Vérifiez-le sur votre reçu.',
    tooMany: (minutes: number) => `Trop de recherches depuis votre connexion. Réessayez dans ${minutes} minute(s).`,
    privacy: 'Cette page ne montre aucune donnée personnelle.',
  },
  en: {
    path: '/track',
    other: { lang: 'fr', path: '/suivi', label: 'Français' },
    title: 'Track your request',
    intro: 'The tracking code is printed on your receipt.',
    code: 'Tracking code',
    look: 'See where my request stands',
    status: 'Where it stands',
    requestedOf: 'Requested of',
    handledBy: 'Handled by',
    notYet: 'Not taken on yet',
    collect: 'Where to collect it',
    updated: 'Last update',
    malformed: 'This tracking code is not in the right form: 13 letters and digits, like 7K3Q-9XAB-C2DEF.',
    unknown: 'No request has this code. Please check it on your receipt.',
    tooMany: (minutes: number) => `Too many look-ups from your connection. Try again in ${minutes} minute(s).`,
    privacy: 'This page shows no personal data.',
  },
} as const;

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const style = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f6f7f9}
main{max-width:36rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.5rem 0 1rem}
.card{background:#fff;border:1px solid #d0d5dd;border-radius:8px;padding:1rem;margin:1rem 0}
dl{margin:0}dt{font-weight:600;margin-top:.75rem}dd{margin:0;overflow-wrap:anywhere}
.status{font-size:1.2rem;font-weight:700}.code{font-family:ui-monospace,monospace;letter-spacing:.05em}
label{display:block;font-weight:600}input{font:inherit;width:100%;box-sizing:border-box;padding:.6rem;margin:.25rem 0 .75rem;
border:1px solid #667085;border-radius:6px;text-transform:uppercase}button{font:inherit;padding:.6rem 1rem;border-radius:6px;
border:0;background:#1d4ed8;color:#fff;width:100%}.alert{border-color:#b42318;color:#b42318}nav{text-align:right}
a{color:#1d4ed8}small{color:#475467}`;

function page(lang: Lang, body: string, typed = ''): string {
  const w = words[lang];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>${w.title} · Entraide</title><style>${style}</style></head>
<body><main><nav><a href="${w.other.path}${typed ? `/${encodeURIComponent(typed)}` : ''}" lang="${w.other.lang}">${w.other.label}</a></nav>
<h1>${w.title}</h1>${body}
<form method="get" action="${w.path}" class="card"><label for="code">${w.code}</label>
<input id="code" name="code" autocomplete="off" spellcheck="false" value="${escape(typed)}" aria-describedby="hint">
<small id="hint">${w.intro}</small><p><button type="submit">${w.look}</button></p></form>
<p><small>${w.privacy}</small></p></main></body></html>`;
}

function answerCard(lang: Lang, a: TrackingAnswer): string {
  const w = words[lang];
  const when = new Date(a.updatedAt).toLocaleString(lang === 'fr' ? 'fr-BE' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Brussels',
  });
  return `<section class="card" aria-labelledby="status-title"><dl>
<dt id="status-title">${w.status}</dt><dd class="status" data-status="${a.status}">${escape(a.statusText[lang])}</dd>
<dt>${w.code}</dt><dd class="code">${escape(a.code)}</dd>
<dt>${w.requestedOf}</dt><dd>${escape(a.requestedOf.name)}</dd>
<dt>${w.handledBy}</dt><dd>${a.handledBy ? escape(a.handledBy.name) : w.notYet}</dd>
<dt>${w.collect}</dt><dd>${escape(a.collectText[lang])}</dd>
<dt>${w.updated}</dt><dd>${escape(when)}</dd></dl></section>`;
}

const alert = (text: string) => `<p class="card alert" role="alert">${escape(text)}</p>`;

/**
 * The citizen's tracking page, in French (`/suivi/:code`) and English (`/track/:code`): served by the
 * server as plain HTML, with no script, no sign-in and nothing personal, so that it opens on any phone.
 * It answers exactly what `GET /api/v1/public/track/:code` answers, under the same rate limit.
 */
export function trackingPages(ctx: DomainContext): Router {
  const router = Router();
  const throttle = trackingThrottle(ctx.db);
  for (const lang of ['fr', 'en'] as const) {
    const w = words[lang];
    router.get(w.path, trackingHeaders, (req: Request, res: Response) => {
      const code = typeof req.query.code === 'string' ? req.query.code.trim() : '';
      if (code) res.redirect(303, `${w.path}/${encodeURIComponent(code)}`);
      else res.type('html').send(page(lang, ''));
    });
    router.get(`${w.path}/:code`, trackingHeaders, throttle, async (req: Request, res: Response) => {
      const typed = String(req.params.code).slice(0, 40);
      const code = normalizeTrackingCode(typed);
      if (code === null) {
        res
          .status(400)
          .type('html')
          .send(page(lang, alert(w.malformed), typed));
        return;
      }
      try {
        const answer = await trackTask(ctx, code);
        res.type('html').send(page(lang, answerCard(lang, answer), answer.code));
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        res
          .status(404)
          .type('html')
          .send(page(lang, alert(w.unknown), typed));
      }
    });
  }
  return router;
}

/** The rate limit's 429 on a tracking page, as a page rather than a problem document. */
export function trackingPageErrors(err: unknown, req: Request, res: Response, next: (err?: unknown) => void): void {
  const lang: Lang | undefined = req.path.startsWith('/suivi/')
    ? 'fr'
    : req.path.startsWith('/track/')
      ? 'en'
      : undefined;
  if (!lang || !(err instanceof TooManyRequestsError) || res.headersSent) {
    next(err);
    return;
  }
  res.setHeader('Retry-After', String(err.retryAfterSeconds));
  res
    .status(429)
    .type('html')
    .send(page(lang, alert(words[lang].tooMany(Math.ceil(err.retryAfterSeconds / 60)))));
}
