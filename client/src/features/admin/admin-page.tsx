import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { User } from '../../../../shared/schemas';
import { adminApi } from '../../api/admin';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { CommunesPanel } from './communes-panel';
import { RegionsPanel } from './regions-panel';
import { TaskTypesPanel } from './task-types-panel';
import { UsersPanel } from './users-panel';
import { useList } from './use-editor';
import './admin.css';

const tabs = ['regions', 'communes', 'users', 'taskTypes'] as const;
type Tab = (typeof tabs)[number];
const tabLabel: Record<Tab, MessageKey> = {
  regions: 'admin.tab.regions',
  communes: 'admin.tab.communes',
  users: 'admin.tab.users',
  taskTypes: 'admin.tab.taskTypes',
};

/** The platform administrator's console: regions, communes, accounts and task types; never a task. */
export function AdminPage({ user }: { user: User }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('users');
  const regions = useList(useCallback(() => adminApi.regions(), []));
  // Every commune, for the accounts' commune and the regions' counts.
  const communes = useList(useCallback(() => adminApi.communes(), []));
  const heading = useRef<HTMLHeadingElement>(null);
  const tabButtons = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  useEffect(() => heading.current?.focus(), []);

  // Arrow keys move between tabs, as a tab list does (WAI-ARIA Authoring Practices).
  const onKey = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    const next =
      e.key === 'Home'
        ? tabs[0]
        : e.key === 'End'
          ? tabs[tabs.length - 1]
          : step
            ? tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]
            : undefined;
    if (!next) return;
    e.preventDefault();
    setTab(next);
    tabButtons.current[next]?.focus();
  };

  return (
    <section className="admin-page" aria-labelledby="admin-title">
      <h1 id="admin-title" ref={heading} tabIndex={-1}>
        {t('admin.title')}
      </h1>
      <p className="hint">{t('admin.intro')}</p>
      <div role="tablist" aria-label={t('admin.tabs')} className="admin-tabs" onKeyDown={onKey}>
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`admin-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`admin-panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            ref={(el) => {
              tabButtons.current[name] = el;
            }}
            onClick={() => setTab(name)}
          >
            {t(tabLabel[name])}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`admin-panel-${tab}`} aria-labelledby={`admin-tab-${tab}`} className="admin-panel">
        {tab === 'regions' && <RegionsPanel regions={regions} communes={communes.items ?? []} />}
        {tab === 'communes' && <CommunesPanel regions={regions} onChanged={communes.reload} />}
        {tab === 'users' && <UsersPanel regions={regions.items ?? []} communes={communes.items ?? []} me={user} />}
        {tab === 'taskTypes' && <TaskTypesPanel />}
      </div>
    </section>
  );
}
