import { type FormEvent, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../api/client';
import {
  FALLBACKS,
  type Provider,
  type ProviderSettings,
  type ProviderTest,
  PROVIDERS,
  type ModelPrice,
  type TenantConfig,
} from '../api/types';
import { ErrorText } from '../components/error-text';
import { OptionalNumberField } from '../components/number-field';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

const TITLES: Record<Provider, string> = {
  llm: 'Language model (answers, graph extraction)',
  embedding: 'Embeddings',
  rerank: 'Rerank',
};
const DEFAULTS: Record<Provider, string> = {
  llm: 'none: answers are sentences extracted from the documents',
  embedding: 'the embedded lexical embedder (no model, no network)',
  rerank: 'none: results keep their fused order',
};
const FALLBACK_LABELS: Record<string, string> = {
  error: 'fail the query (502/504)',
  extractive: 'answer extractively',
  skip: 'keep the fused order',
  text_only: 'search full text alone',
};

/** Ends a message with one full stop, whatever the provider's own text ended with. */
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** The fields a form edits; the key is only ever written (blank keeps the saved one). */
interface Draft {
  base_url: string;
  model: string;
  api_key: string;
  timeout_ms: string;
}

const draftOf = (settings: ProviderSettings): Draft => ({
  base_url: settings.base_url ?? '',
  model: settings.model ?? '',
  api_key: '',
  timeout_ms: settings.timeout_ms === null ? '' : String(settings.timeout_ms),
});

/**
 * Tenant admins: the LLM, embedding and rerank endpoints (keys are write-only), what a query does
 * when one fails, and a "Test connection" that makes one real call with the saved settings.
 */
export function ProvidersPage() {
  const { tenantId } = useParams() as { tenantId: string };
  const path = `/tenants/${tenantId}/config`;
  const config = useLoad(() => api.get<TenantConfig>(path), [path]);
  return (
    <section>
      <h1>Providers</h1>
      <p className="hint">
        Endpoints speak the OpenAI API (<code>/chat/completions</code>, <code>/embeddings</code>) or the
        common <code>/rerank</code> shape. Unset fields follow this deployment&apos;s defaults.
      </p>
      <ErrorText error={config.error} />
      {config.value &&
        PROVIDERS.map((provider) => (
          <ProviderForm
            key={provider}
            path={path}
            provider={provider}
            settings={config.value![provider]}
            onSaved={config.reload}
          />
        ))}
      {config.value && <FallbacksForm path={path} config={config.value} onSaved={config.reload} />}
      {config.value && <PricesForm path={path} config={config.value} onSaved={config.reload} />}
    </section>
  );
}

function ProviderForm({
  path,
  provider,
  settings,
  onSaved,
}: {
  path: string;
  provider: Provider;
  settings: ProviderSettings;
  onSaved: () => Promise<void>;
}) {
  const [draft, setDraft] = useState<Draft>(draftOf(settings));
  const [message, setMessage] = useState<string | null>(null);
  const [test, setTest] = useState<ProviderTest | null>(null);
  const [testing, setTesting] = useState(false);
  const { error, run } = useAction();
  useEffect(() => setDraft(draftOf(settings)), [settings]);
  const id = (field: string) => `${provider}-${field}`;
  const field = (name: keyof Draft) => ({
    id: id(name),
    value: draft[name],
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [name]: e.target.value }),
  });

  const save = async (patch: Record<string, unknown> | null, done: string) => {
    setTest(null);
    const saved = await run(async () => {
      await api.patch(path, { [provider]: patch });
      await onSaved();
    });
    setMessage(saved ? done : null);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(
      {
        base_url: draft.base_url.trim() || null,
        model: draft.model.trim() || null,
        timeout_ms: draft.timeout_ms ? Number(draft.timeout_ms) : null,
        ...(draft.api_key ? { api_key: draft.api_key } : {}),
      },
      'Saved.',
    );
  };
  const testConnection = async () => {
    setTesting(true);
    setMessage(null);
    await run(async () => setTest(await api.post<ProviderTest>(`${path}/test`, { provider })));
    setTesting(false);
  };

  return (
    <form className="settings provider-form" onSubmit={submit} aria-label={TITLES[provider]}>
      <fieldset>
        <legend>{TITLES[provider]}</legend>
        <p className="hint">Without an endpoint: {DEFAULTS[provider]}.</p>
        <label htmlFor={id('base_url')}>Base URL</label>
        <input type="url" placeholder="https://llm.example.com/v1" {...field('base_url')} />
        <label htmlFor={id('model')}>Model</label>
        <input maxLength={200} {...field('model')} />
        <label htmlFor={id('api_key')}>API key</label>
        <input
          type="password"
          autoComplete="off"
          placeholder={settings.api_key_set ? 'saved (type to replace)' : 'not set'}
          {...field('api_key')}
        />
        <label htmlFor={id('timeout_ms')}>Timeout (ms)</label>
        <input
          type="number"
          min={100}
          max={600000}
          placeholder="deployment default"
          {...field('timeout_ms')}
        />
      </fieldset>
      <div className="actions">
        <button type="submit">Save</button>
        <button type="button" className="secondary" disabled={testing} onClick={() => void testConnection()}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        {settings.api_key_set && (
          <button
            type="button"
            className="link danger"
            onClick={() => void save({ api_key: null }, 'Key removed.')}
          >
            Remove key
          </button>
        )}
        {(settings.base_url || settings.model) && (
          <button type="button" className="link" onClick={() => void save(null, 'Back to the defaults.')}>
            Use the defaults
          </button>
        )}
      </div>
      {message && <p role="status">{message}</p>}
      {test && (
        <p role="status" className={`test-result ${test.ok ? 'ok' : 'error'}`} data-ok={test.ok}>
          {sentence(
            !test.configured
              ? `Nothing to test: ${test.detail}`
              : test.ok
                ? `Connected to ${test.model} in ${test.latency_ms} ms: ${test.detail}`
                : `The call failed (${test.failure}): ${test.detail}`,
          )}
        </p>
      )}
      <ErrorText error={error} />
    </form>
  );
}

function FallbacksForm({
  path,
  config,
  onSaved,
}: {
  path: string;
  config: TenantConfig;
  onSaved: () => Promise<void>;
}) {
  const [fallbacks, setFallbacks] = useState(config.on_provider_failure);
  const [storeQueries, setStoreQueries] = useState(config.privacy.store_query_text);
  const [retention, setRetention] = useState<number | null>(config.conversations.retention_days);
  const [message, setMessage] = useState<string | null>(null);
  const { error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await run(async () => {
      await api.patch(path, {
        on_provider_failure: fallbacks,
        privacy: { store_query_text: storeQueries },
        conversations: { retention_days: retention },
      });
      await onSaved();
    });
    setMessage(saved ? 'Saved.' : null);
  };
  return (
    <form className="settings" onSubmit={(e) => void submit(e)} aria-label="When a provider fails">
      <fieldset>
        <legend>When a provider fails during a query</legend>
        {PROVIDERS.map((provider) => (
          <div className="field" key={provider}>
            <label htmlFor={`fallback-${provider}`}>{TITLES[provider]}</label>
            <select
              id={`fallback-${provider}`}
              value={fallbacks[provider]}
              onChange={(e) => setFallbacks({ ...fallbacks, [provider]: e.target.value })}
            >
              {FALLBACKS[provider].map((choice) => (
                <option key={choice} value={choice}>
                  {FALLBACK_LABELS[choice]}
                </option>
              ))}
            </select>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>Privacy</legend>
        <label className="checkbox">
          <input type="checkbox" checked={storeQueries} onChange={(e) => setStoreQueries(e.target.checked)} />
          Keep the text of questions (in the audit trail) and of questions and answers (in conversations)
        </label>
        <div className="field">
          <OptionalNumberField
            id="retention-days"
            label="Keep conversations’ answers for (days)"
            min={1}
            placeholder="always"
            value={retention}
            onChange={setRetention}
          />
        </div>
      </fieldset>
      <button type="submit">Save</button>
      {message && <p role="status">{message}</p>}
      <ErrorText error={error} />
    </form>
  );
}

/** The tenant's price table: what a million tokens of each model cost, for the usage page's costs. */
function PricesForm({
  path,
  config,
  onSaved,
}: {
  path: string;
  config: TenantConfig;
  onSaved: () => Promise<void>;
}) {
  const [currency, setCurrency] = useState(config.prices.currency);
  const [models, setModels] = useState<ModelPrice[]>(config.prices.models);
  const [message, setMessage] = useState<string | null>(null);
  const { error, run } = useAction();
  const change = (i: number, patch: Partial<ModelPrice>) =>
    setModels(models.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await run(async () => {
      await api.patch(path, { prices: { currency, models } });
      await onSaved();
    });
    setMessage(saved ? 'Saved.' : null);
  };
  return (
    <form className="settings" onSubmit={(e) => void submit(e)} aria-label="Model prices">
      <fieldset>
        <legend>Model prices (per million tokens)</legend>
        <div className="field">
          <label htmlFor="price-currency">Currency</label>
          <input
            id="price-currency"
            required
            pattern="[A-Z]{3}"
            maxLength={3}
            value={currency}
            onChange={(e) => setCurrency(e.target.value.toUpperCase())}
          />
        </div>
        {models.map((m, i) => (
          <div className="field price-row" key={i}>
            <label htmlFor={`price-model-${i}`}>Model</label>
            <input
              id={`price-model-${i}`}
              required
              value={m.model}
              onChange={(e) => change(i, { model: e.target.value })}
            />
            <label htmlFor={`price-in-${i}`}>Input</label>
            <input
              id={`price-in-${i}`}
              type="number"
              min={0}
              step="any"
              required
              value={m.input_per_million}
              onChange={(e) => change(i, { input_per_million: Number(e.target.value) })}
            />
            <label htmlFor={`price-out-${i}`}>Output</label>
            <input
              id={`price-out-${i}`}
              type="number"
              min={0}
              step="any"
              required
              value={m.output_per_million}
              onChange={(e) => change(i, { output_per_million: Number(e.target.value) })}
            />
            <button
              type="button"
              className="link danger"
              onClick={() => setModels(models.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() => setModels([...models, { model: '', input_per_million: 0, output_per_million: 0 }])}
        >
          Add a model
        </button>
      </fieldset>
      <button type="submit">Save prices</button>
      {message && <p role="status">{message}</p>}
      <ErrorText error={error} />
    </form>
  );
}
