import { useEffect, useState } from 'react';
import type { Me, User } from '../../shared/schemas';
import { api, ApiError } from './api/client';
import { AdminPage } from './features/admin/admin-page';
import { AccountsPage } from './features/auth/accounts-page';
import { LoginPage } from './features/auth/login-page';
import { signedInScope } from './features/auth/signed-in-as';
import { BoardPage } from './features/board/board-page';
import { CoordinationPage } from './features/coordination/coordination-page';
import { DashboardPage } from './features/dashboard/dashboard-page';
import { AuditPage } from './features/data-protection/audit-page';
import { ChainCheckPage } from './features/data-protection/chain-check-page';
import { DataProtectionPage } from './features/data-protection/data-protection-page';
import { TaskHistoryPage } from './features/data-protection/task-history-page';
import { IncidentsPage } from './features/incidents/incidents-page';
import { IntegrationsPage } from './features/integrations/integrations-page';
import { NotificationBell } from './features/notifications/notification-bell';
import { PreferencesPage } from './features/notifications/preferences-page';
import { PostPage } from './features/tasks/post-page';
import { JournalPage } from './features/journal/journal-page';
import { ReconcilePage } from './features/run-sheets/reconcile-page';
import { RunSheetPage } from './features/run-sheets/run-sheet-page';
import { RecoveriesPage } from './features/recoveries/recoveries-page';
import { RecoveryBanner } from './features/recoveries/recovery-banner';
import { DailyReportPage } from './features/reports/daily-report-page';
import { StatementsPage } from './features/reports/statements-page';
import { SecurityPage } from './features/security/security-page';
import { TaskPage } from './features/tasks/task-page';
import { WebhooksPage } from './features/webhooks/webhooks-page';
import { ExerciseBanner, ExerciseProvider } from './features/drills/exercise';
import { MyCommunePage } from './features/my-commune/my-commune-page';
import { useI18n } from './i18n/i18n';
import type { Locale, MessageKey } from './i18n/messages';
import { href, landing, useRoute, type Route } from './router';

type Session = { state: 'loading' } | { state: 'signed-out'; expired: boolean } | { state: 'signed-in'; user: Me };

export function App() {
  const { t, locale, setLocale } = useI18n();
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const route = useRoute();
  const signedIn = session.state === 'signed-in';

  useEffect(() => {
    api.me().then(
      (user) => setSession({ state: 'signed-in', user }),
      (err: unknown) =>
        setSession({
          state: 'signed-out',
          expired: err instanceof ApiError && err.problem.expired === true,
        }),
    );
  }, []);

  // A recovery may be confirmed meanwhile: each new page reads the account again, and keeps the same
  // user (and so the pages' own state) unless something about it changed.
  useEffect(() => {
    if (!signedIn) return;
    api.me().then(
      (user) =>
        setSession((s) =>
          s.state === 'signed-in' && JSON.stringify(s.user) !== JSON.stringify(user) ? { state: 'signed-in', user } : s,
        ),
      () => undefined,
    );
  }, [route, signedIn]);

  const refreshMe = () => {
    api.me().then(
      (user) => setSession({ state: 'signed-in', user }),
      () => undefined,
    );
  };

  const signOut = async () => {
    await api.logout();
    setSession({ state: 'signed-out', expired: false });
  };

  const page = (
    <>
      <header className="topbar">
        <span className="brand">{t('appName')}</span>
        {session.state === 'signed-in' && <SignedInAs user={session.user} />}
        <label className="lang">
          <span className="visually-hidden">{t('language')}</span>
          <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)} aria-label={t('language')}>
            <option value="fr">Français</option>
            <option value="en">English</option>
          </select>
        </label>
        {session.state === 'signed-in' && !mustEnrol(session.user) && <NotificationBell />}
        {session.state === 'signed-in' && (
          <a className="security-link" href="#/security" aria-current={route.page === 'security' ? 'page' : undefined}>
            {t('nav.security')}
          </a>
        )}
        {session.state === 'signed-in' && (
          <button type="button" onClick={() => void signOut()}>
            {t('signOut')}
          </button>
        )}
      </header>
      {session.state === 'signed-in' && !mustEnrol(session.user) && <Navigation route={route} user={session.user} />}
      <main id="main">
        {session.state === 'signed-in' && <ExerciseBanner />}
        {session.state === 'signed-in' && <RecoveryBanner me={session.user} />}
        {session.state === 'signed-out' && (
          <LoginPage expired={session.expired} onSignedIn={(user) => setSession({ state: 'signed-in', user })} />
        )}
        {session.state === 'signed-in' &&
          (mustEnrol(session.user) || route.page === 'security' ? (
            <SecurityPage onChanged={refreshMe} />
          ) : (
            <Page
              route={route}
              user={session.user}
              onUserChanged={(user) => setSession({ state: 'signed-in', user })}
            />
          ))}
      </main>
    </>
  );
  // Exercise mode (docs/drills.md) for the signed-in user: the banner, the board and its toggle read it.
  return session.state === 'signed-in' ? (
    <ExerciseProvider key={session.user.id} user={session.user}>
      {page}
    </ExerciseProvider>
  ) : (
    page
  );
}

function SignedInAs({ user }: { user: Me }) {
  const { t } = useI18n();
  const scope = signedInScope(user);
  return (
    <span className="who">
      {scope
        ? t('signedInAs', { name: user.displayName, commune: scope })
        : t('admin.signedInAs', { name: user.displayName })}
    </span>
  );
}

/** A role that requires a second factor, without one: nothing but the security page answers it. */
const mustEnrol = (user: Me) => user.secondFactor.required && !user.secondFactor.enabled;

const sections: { route: Route; label: MessageKey; roles: User['role'][] }[] = [
  { route: { page: 'board' }, label: 'board', roles: ['manager', 'clerk', 'coordinator'] },
  { route: { page: 'post' }, label: 'postTasks', roles: ['manager', 'coordinator'] },
  { route: { page: 'incidents' }, label: 'incidents', roles: ['manager', 'coordinator', 'clerk'] },
  { route: { page: 'dashboard' }, label: 'dashboard', roles: ['coordinator', 'manager', 'clerk'] },
  { route: { page: 'my-commune' }, label: 'nav.myCommune', roles: ['manager', 'clerk'] },
  { route: { page: 'run-sheets' }, label: 'nav.runSheets', roles: ['manager', 'clerk'] },
  { route: { page: 'reconcile' }, label: 'nav.reconcile', roles: ['clerk'] },
  { route: { page: 'journal' }, label: 'nav.journal', roles: ['manager', 'coordinator'] },
  { route: { page: 'reports' }, label: 'reports.nav.daily', roles: ['coordinator'] },
  { route: { page: 'statements' }, label: 'reports.nav.statements', roles: ['coordinator'] },
  { route: { page: 'accounts' }, label: 'accounts', roles: ['coordinator'] },
  { route: { page: 'coordination' }, label: 'nav.coordination', roles: ['coordinator'] },
  { route: { page: 'audit' }, label: 'nav.audit', roles: ['dpo'] },
  { route: { page: 'admin' }, label: 'nav.admin', roles: ['admin'] },
  { route: { page: 'chain-check' }, label: 'nav.chainCheck', roles: ['dpo', 'admin'] },
  { route: { page: 'data-protection' }, label: 'nav.dataProtection', roles: ['dpo'] },
  { route: { page: 'recoveries' }, label: 'nav.recoveries', roles: ['dpo', 'manager'] },
  { route: { page: 'integrations' }, label: 'nav.integrations', roles: ['manager', 'admin'] },
  {
    route: { page: 'preferences' },
    label: 'nav.preferences',
    roles: ['manager', 'clerk', 'coordinator', 'dpo', 'admin'],
  },
];

function Navigation({ route, user }: { route: Route; user: User }) {
  const { t } = useI18n();
  const shown = landing(route, user.role);
  return (
    <nav className="sections" aria-label={t('sections')}>
      <ul>
        {sections
          .filter((s) => s.roles.includes(user.role))
          .map((s) => (
            <li key={s.label}>
              <a href={href(s.route)} aria-current={shown.page === s.route.page ? 'page' : undefined}>
                {t(s.label)}
              </a>
            </li>
          ))}
      </ul>
    </nav>
  );
}

function Page({ route, user, onUserChanged }: { route: Route; user: Me; onUserChanged: (user: Me) => void }) {
  const shown = landing(route, user.role);
  switch (shown.page) {
    case 'task':
      // The DPO follows a task from the audit trail: its history, never its citizen data.
      return user.role === 'dpo' ? <TaskHistoryPage id={shown.id} /> : <TaskPage id={shown.id} user={user} />;
    case 'post':
      return <PostPage user={user} />;
    case 'incidents':
      return <IncidentsPage user={user} />;
    case 'dashboard':
      return <DashboardPage user={user} />;
    case 'accounts':
      return <AccountsPage />;
    case 'audit':
      return <AuditPage user={user} />;
    case 'chain-check':
      return <ChainCheckPage />;
    case 'data-protection':
      return <DataProtectionPage user={user} />;
    case 'recoveries':
      return <RecoveriesPage />;
    case 'reports':
      return <DailyReportPage />;
    case 'statements':
      return <StatementsPage />;
    case 'integrations':
      return <IntegrationsPage user={user} />;
    case 'admin':
      return <AdminPage user={user} />;
    case 'coordination':
      return <CoordinationPage user={user} />;
    case 'run-sheets':
      return <RunSheetPage user={user} />;
    case 'reconcile':
      return <ReconcilePage />;
    case 'journal':
      return <JournalPage user={user} />;
    case 'preferences':
      return <PreferencesPage user={user} onChanged={onUserChanged} />;
    case 'webhooks':
      return <WebhooksPage user={user} />;
    case 'my-commune':
      return <MyCommunePage user={user} />;
    default:
      return <BoardPage user={user} />;
  }
}
