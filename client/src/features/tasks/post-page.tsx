import { useEffect, useState, type SubmitEvent, type ReactElement } from 'react';
import {
  TaskCreate,
  type BulkResult,
  type Commune,
  type FieldError,
  type TaskType,
  type User,
} from '../../../../shared/schemas';
import { api, ApiError } from '../../api/client';
import { continuityApi } from '../../api/continuity';
import { fieldMessage, schemaProblems, type FieldProblem } from '../../i18n/field-messages';
import { useI18n } from '../../i18n/i18n';
import { useProblemText } from '../../i18n/use-problem-text';
import { emptySlot, SlotFields, slotInput } from '../appointments/slot-fields';

const empty = {
  type: '',
  title: '',
  details: '',
  priority: 'normal',
  dueAt: '',
  deliveryMode: 'pickup_helper',
  fullName: '',
  nationalNumber: '',
  birthDate: '',
  phone: '',
  email: '',
  address: '',
};

/**
 * Posting one request with a form, or many from a CSV file checked before anything is written. The
 * region's coordinator posts on behalf of a commune in incident, chosen first.
 */
export function PostPage({ user }: { user: User }) {
  const { t } = useI18n();
  const [types, setTypes] = useState<TaskType[]>([]);
  const onBehalf = user.role === 'coordinator';
  const [stricken, setStricken] = useState<Commune[]>();
  const [forCommune, setForCommune] = useState('');
  useEffect(() => {
    void api.taskTypes().then(setTypes, () => undefined);
    if (onBehalf)
      void api.communes().then(
        (all) => setStricken(all.filter((c) => c.status === 'incident')),
        () => setStricken([]),
      );
  }, [onBehalf]);
  const commune = stricken?.find((c) => c.id === forCommune);
  return (
    <section aria-labelledby="post-title">
      <h1 id="post-title">{t('postTasks')}</h1>
      {onBehalf && (
        <div className="form on-behalf">
          <label htmlFor="for-commune">{t('onBehalf.commune')}</label>
          <select
            id="for-commune"
            value={forCommune}
            onChange={(e) => setForCommune(e.target.value)}
            aria-describedby="for-commune-hint"
          >
            <option value="">{t('onBehalf.choose')}</option>
            {(stricken ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <p id="for-commune-hint" className="hint">
            {stricken?.length === 0 ? t('onBehalf.none') : t('onBehalf.hint')}
          </p>
        </div>
      )}
      {(!onBehalf || commune) && (
        <>
          <SingleRequest types={types} forCommune={commune} />
          <CsvImport forCommune={commune} />
        </>
      )}
    </section>
  );
}

function SingleRequest({ types, forCommune }: { types: TaskType[]; forCommune?: Commune }) {
  const { t, locale } = useI18n();
  const say = useProblemText();
  const [form, setForm] = useState(empty);
  const [slot, setSlot] = useState(emptySlot);
  const isAppointment = types.find((ty) => ty.key === form.type)?.category === 'appointment';
  // Kept as problems, not words, so that they follow a change of language.
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  const errors = Object.fromEntries(
    Object.entries(problems).map(([field, problem]) => [field, fieldMessage(locale, problem)]),
  );
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const citizen =
      form.fullName || form.nationalNumber || form.birthDate || form.phone || form.email || form.address
        ? Object.fromEntries(
            Object.entries({
              fullName: form.fullName,
              nationalNumber: form.nationalNumber,
              birthDate: form.birthDate,
              phone: form.phone,
              email: form.email,
              address: form.address,
            }).filter(([, v]) => v !== ''),
          )
        : undefined;
    const input = {
      id: crypto.randomUUID(),
      type: form.type,
      title: form.title,
      details: form.details,
      priority: form.priority,
      deliveryMode: form.deliveryMode,
      ...(form.dueAt ? { dueAt: new Date(form.dueAt).toISOString() } : {}),
      ...(citizen ? { citizen } : {}),
      ...(isAppointment ? { slot: slotInput(slot) } : {}),
      ...(forCommune ? { requestingCommuneId: forCommune.id } : {}),
    };
    // The same schema as the server's: most mistakes are shown before anything is sent.
    const parsed = TaskCreate.safeParse(input);
    if (!parsed.success) {
      setProblems(schemaProblems(parsed.error, input));
      setNotice({ ok: false, text: t('fixFields') });
      return;
    }
    try {
      const task = await api.post(parsed.data);
      setProblems({});
      setForm(empty);
      setSlot(emptySlot);
      const published = forCommune
        ? t('onBehalf.published', { title: task.title, commune: forCommune.name })
        : t('published', { title: task.title });
      // The citizen's code, to read out or write down: the receipt can be printed from the task too.
      const code = task.trackingCode ? ` ${t('receipt.code', { code: task.trackingCode })}` : '';
      setNotice({ ok: true, text: published + code });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setProblems(Object.fromEntries((err.problem.errors ?? []).map((fe: FieldError) => [fe.field, fe])));
      setNotice({ ok: false, text: err.problem.errors ? t('fixFields') : say(err) });
    }
  };

  const field = (key: keyof typeof empty, label: string, input: ReactElement, errorKey: string = key) => (
    <div>
      <label htmlFor={`f-${key}`}>{label}</label>
      {input}
      {errors[errorKey] && (
        <p id={`e-${key}`} className="field-error">
          {errors[errorKey]}
        </p>
      )}
    </div>
  );
  const described = (key: string, errorKey: string = key) => ({
    id: `f-${key}`,
    'aria-invalid': errors[errorKey] ? true : undefined,
    'aria-describedby': errors[errorKey] ? `e-${key}` : undefined,
  });

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-title">
      <h2 id="new-title">{t('newRequest')}</h2>
      <p className="hint">{t('freeTextWarning')}</p>
      {notice && (
        <p className={`notice ${notice.ok ? 'ok' : 'conflict'}`} role="alert">
          {notice.text}
        </p>
      )}
      {field(
        'type',
        t('type'),
        <select {...described('type')} value={form.type} onChange={set('type')} required>
          <option value="">—</option>
          {types.map((ty) => (
            <option key={ty.key} value={ty.key}>
              {locale === 'fr' ? ty.labelFr : ty.labelEn}
            </option>
          ))}
        </select>,
      )}
      {field(
        'title',
        t('title'),
        <input {...described('title')} value={form.title} onChange={set('title')} required maxLength={200} />,
      )}
      {field(
        'details',
        t('details'),
        <textarea {...described('details')} value={form.details} onChange={set('details')} rows={3} />,
      )}
      {field(
        'priority',
        t('priority'),
        <select {...described('priority')} value={form.priority} onChange={set('priority')}>
          {(['urgent', 'high', 'normal', 'low'] as const).map((p) => (
            <option key={p} value={p}>
              {t(p)}
            </option>
          ))}
        </select>,
      )}
      {isAppointment && <SlotFields value={slot} onChange={setSlot} errors={errors} />}
      {field(
        'dueAt',
        t('dueAt'),
        <input {...described('dueAt')} type="datetime-local" value={form.dueAt} onChange={set('dueAt')} />,
      )}
      {field(
        'deliveryMode',
        t('deliveryMode'),
        <select {...described('deliveryMode')} value={form.deliveryMode} onChange={set('deliveryMode')}>
          {(['pickup_helper', 'post', 'e_guichet'] as const).map((m) => (
            <option key={m} value={m}>
              {t(m)}
            </option>
          ))}
        </select>,
      )}
      <fieldset>
        <legend>{t('citizen')}</legend>
        {field(
          'fullName',
          t('fullName'),
          <input
            {...described('fullName', 'citizen.fullName')}
            value={form.fullName}
            onChange={set('fullName')}
            autoComplete="off"
          />,
          'citizen.fullName',
        )}
        {field(
          'nationalNumber',
          t('nationalNumber'),
          <input
            {...described('nationalNumber', 'citizen.nationalNumber')}
            value={form.nationalNumber}
            onChange={set('nationalNumber')}
            inputMode="numeric"
            autoComplete="off"
          />,
          'citizen.nationalNumber',
        )}
        {field(
          'birthDate',
          t('birthDate'),
          <input
            {...described('birthDate', 'citizen.birthDate')}
            type="date"
            value={form.birthDate}
            onChange={set('birthDate')}
          />,
          'citizen.birthDate',
        )}
        {field(
          'phone',
          t('phone'),
          <input {...described('phone', 'citizen.phone')} type="tel" value={form.phone} onChange={set('phone')} />,
          'citizen.phone',
        )}
        {field(
          'email',
          t('email'),
          <input {...described('email', 'citizen.email')} type="email" value={form.email} onChange={set('email')} />,
          'citizen.email',
        )}
        {field(
          'address',
          t('address'),
          <input {...described('address', 'citizen.address')} value={form.address} onChange={set('address')} />,
          'citizen.address',
        )}
      </fieldset>
      <div className="actions">
        <button type="submit">{t('publish')}</button>
      </div>
    </form>
  );
}

function CsvImport({ forCommune }: { forCommune?: Commune }) {
  const { t, locale } = useI18n();
  const say = useProblemText();
  const [csv, setCsv] = useState<string>();
  const [preview, setPreview] = useState<
    { ok: true; result: BulkResult } | { ok: false; errors: FieldError[]; detail: string }
  >();
  const [done, setDone] = useState<string>();

  const check = async (text: string) => {
    setDone(undefined);
    try {
      setPreview({ ok: true, result: await continuityApi.bulkCsvFor(text, true, forCommune?.id) });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setPreview({ ok: false, errors: err.problem.errors ?? [], detail: say(err) });
    }
  };
  const publish = async () => {
    if (!csv) return;
    try {
      const result = await continuityApi.bulkCsvFor(csv, false, forCommune?.id);
      setDone(t('importDone', { count: result.count }));
      setPreview(undefined);
      setCsv(undefined);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setPreview({ ok: false, errors: err.problem.errors ?? [], detail: say(err) });
    }
  };

  return (
    <section className="form" aria-labelledby="csv-title">
      <h2 id="csv-title">{t('csvImport')}</h2>
      <p>
        {t('csvIntro')}{' '}
        <a href="/api/v1/tasks/import-template.csv" download>
          {t('downloadTemplate')}
        </a>
      </p>
      <p className="hint">{t('freeTextWarningCsv')}</p>
      <label htmlFor="csv-file">{t('csvFile')}</label>
      <input
        id="csv-file"
        type="file"
        accept=".csv,text/csv"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file)
            void file.text().then((text) => {
              setCsv(text);
              void check(text);
            });
        }}
      />
      {done && (
        <p className="notice ok" role="alert">
          {done}
        </p>
      )}
      {preview?.ok && (
        <>
          <p className="notice ok" role="status">
            {t('previewOk', { count: preview.result.count })}
          </p>
          <div className="actions">
            <button type="button" onClick={() => void publish()}>
              {t('publishAll', { count: preview.result.count })}
            </button>
          </div>
        </>
      )}
      {preview && !preview.ok && (
        <div role="alert">
          <p className="notice conflict">{preview.errors.length > 0 ? t('previewErrors') : preview.detail}</p>
          {preview.errors.length > 0 && (
            <div role="region" aria-label={t('previewErrors')} tabIndex={0} className="scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('row')}</th>
                    <th scope="col">{t('field')}</th>
                    <th scope="col">{t('problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.errors.map((e, i) => (
                    <tr key={i}>
                      <td>{e.row ?? ''}</td>
                      <td>{e.field}</td>
                      <td>{fieldMessage(locale, e)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
