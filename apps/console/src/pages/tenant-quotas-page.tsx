import { type FormEvent, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import type { Quotas, Tenant } from '../api/types';
import { ErrorText } from '../components/error-text';
import { NumberField, OptionalNumberField } from '../components/number-field';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

type TokenQuota = 'llm_tokens_per_day' | 'embedding_tokens_per_day';
const TOKEN_FIELDS: Array<[TokenQuota, string]> = [
  ['llm_tokens_per_day', 'LLM tokens a day'],
  ['embedding_tokens_per_day', 'Embedding tokens a day'],
];

const FIELDS: Array<[Exclude<keyof Quotas, TokenQuota>, string]> = [
  ['max_knowledge_bases', 'Knowledge bases'],
  ['max_documents', 'Documents'],
  ['max_storage_bytes', 'Storage (bytes)'],
  ['max_upload_bytes', 'Largest upload (bytes)'],
  ['queries_per_minute', 'Queries per minute'],
  ['requests_per_minute', 'Requests per minute'],
  ['max_concurrent_requests', 'Concurrent requests'],
];

/** Platform admins: a tenant's quotas. */
export function TenantQuotasPage() {
  const { tenantId } = useParams() as { tenantId: string };
  const tenant = useLoad(() => api.get<Tenant & { quotas: Quotas }>(`/tenants/${tenantId}`), [tenantId]);
  const [quotas, setQuotas] = useState<Quotas | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { error, run } = useAction();
  useEffect(() => {
    if (tenant.value) setQuotas(tenant.value.quotas);
  }, [tenant.value]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await run(() => api.patch(`/tenants/${tenantId}`, { quotas }));
    setMessage(saved ? 'Saved: new limits apply from the next request.' : null);
  };
  return (
    <section>
      <h1>Quotas of {tenant.value?.name}</h1>
      <p>
        <Link to="/platform/tenants">All tenants</Link> · <Link to={`/t/${tenantId}/usage`}>Usage</Link>
      </p>
      <ErrorText error={tenant.error} />
      {quotas && (
        <form className="settings" onSubmit={(e) => void save(e)} aria-label="Quotas">
          <fieldset>
            <legend>Limits</legend>
            {FIELDS.map(([key, label]) => (
              <div key={key} className="field">
                <NumberField
                  id={`quota-${key}`}
                  label={label}
                  min={0}
                  required
                  value={quotas[key]}
                  onChange={(n) => setQuotas({ ...quotas, [key]: n })}
                />
              </div>
            ))}
          </fieldset>
          <fieldset>
            <legend>Tokens that cost money (empty: no limit)</legend>
            {TOKEN_FIELDS.map(([key, label]) => (
              <div key={key} className="field">
                <OptionalNumberField
                  id={`quota-${key}`}
                  label={label}
                  min={0}
                  placeholder="no limit"
                  value={quotas[key]}
                  onChange={(n) => setQuotas({ ...quotas, [key]: n })}
                />
              </div>
            ))}
          </fieldset>
          <button type="submit">Save quotas</button>
          {message && <p role="status">{message}</p>}
          <ErrorText error={error} />
        </form>
      )}
    </section>
  );
}
