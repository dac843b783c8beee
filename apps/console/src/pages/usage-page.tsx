import { useParams } from 'react-router';
import { api } from '../api/client';
import { listKnowledgeBases } from '../api/knowledge-bases';
import type { Usage } from '../api/types';
import { DailyChart } from '../components/daily-chart';
import { lastDays } from '../components/daily-series';
import { ErrorText } from '../components/error-text';
import { formatBytes } from '../components/format';
import { useFrame } from '../components/layout';
import { tokenTotals } from '../components/token-totals';
import { UsageBar } from '../components/usage-bar';
import { useLoad } from '../components/use-load';

const DAYS = 30;

/** The tenant's use of its quotas now, and its activity over the last 30 days. */
export function UsagePage() {
  const { tenantId } = useParams() as { tenantId: string };
  const { tenant } = useFrame();
  const usage = useLoad(() => api.get<Usage>(`/tenants/${tenantId}/usage?days=${DAYS}`), [tenantId]);
  const kbs = useLoad(() => listKnowledgeBases(tenantId), [tenantId]);
  const u = usage.value;
  const series = (value: (d: Usage['daily'][number]) => number) =>
    lastDays(u?.daily.map((d) => ({ day: d.day, value: value(d) })) ?? [], DAYS, new Date());
  return (
    <section>
      <h1>Usage{tenant ? ` of ${tenant.name}` : ''}</h1>
      <ErrorText error={usage.error} />
      {u && (
        <>
          <div className="usage-bars">
            <UsageBar
              label="Knowledge bases"
              used={u.current.knowledge_bases}
              limit={u.quotas.max_knowledge_bases}
            />
            <UsageBar label="Documents" used={u.current.documents} limit={u.quotas.max_documents} />
            <UsageBar
              label="Storage"
              used={u.current.storage_bytes}
              limit={u.quotas.max_storage_bytes}
              format={formatBytes}
            />
          </div>
          <p className="muted-text">
            {u.current.members} members · {u.current.api_keys} live API keys · {u.quotas.queries_per_minute}{' '}
            queries and {u.quotas.requests_per_minute} requests per minute allowed
          </p>
          <p className="muted-text">
            Answers rated over {DAYS} days: {u.feedback.up} helpful, {u.feedback.down} not helpful
            {u.feedback.up_rate === null ? '' : ` (${Math.round(u.feedback.up_rate * 100)}% helpful)`}
          </p>
          <div className="charts">
            <DailyChart title="Queries per day" unit="queries" days={series((d) => d.queries)} />
            <DailyChart title="Documents added per day" unit="documents" days={series((d) => d.documents)} />
            <DailyChart
              title="LLM tokens per day"
              unit="tokens"
              days={series((d) => d.tokens_in + d.tokens_out)}
            />
            <DailyChart
              title="Embedding tokens per day"
              unit="tokens"
              days={series((d) => d.embedding_tokens)}
            />
            <DailyChart
              title="Answers rated not helpful per day"
              unit="answers"
              days={series((d) => d.answers_down)}
            />
          </div>
          <TokenTable usage={u} kbNames={new Map((kbs.value?.items ?? []).map((kb) => [kb.id, kb.name]))} />
        </>
      )}
    </section>
  );
}

/** The tokens that cost money over the period, per KB, purpose and model, with their cost. */
function TokenTable({ usage, kbNames }: { usage: Usage; kbNames: Map<string, string> }) {
  const totals = tokenTotals(usage.tokens);
  const money = (n: number) => `${n.toFixed(n < 1 ? 4 : 2)} ${usage.cost.currency}`;
  return (
    <>
      <h2>Tokens and cost over {DAYS} days</h2>
      {totals.length === 0 ? (
        <p className="muted-text">No tokens spent at a model provider.</p>
      ) : (
        <>
          <p>
            Total: <strong>{money(usage.cost.total)}</strong>
            {usage.cost.unpriced_models.length > 0 &&
              ` (not priced: ${usage.cost.unpriced_models.join(', ')}; set their prices on the Providers page)`}
          </p>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th>Knowledge base</th>
                  <th>For</th>
                  <th>Model</th>
                  <th>Tokens</th>
                  <th>Cost</th>
                </tr>
              </thead>
              <tbody>
                {totals.map((t) => (
                  <tr key={`${t.kb_id}|${t.purpose}|${t.model}`}>
                    <td>{kbNames.get(t.kb_id) ?? 'a deleted KB'}</td>
                    <td>{t.purpose}</td>
                    <td>{t.model}</td>
                    <td>{t.tokens.toLocaleString('en')}</td>
                    <td>{t.cost === null ? '—' : money(t.cost)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
