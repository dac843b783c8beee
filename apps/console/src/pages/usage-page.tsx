import { useParams } from 'react-router';
import { api } from '../api/client';
import type { Usage } from '../api/types';
import { DailyChart } from '../components/daily-chart';
import { lastDays } from '../components/daily-series';
import { ErrorText } from '../components/error-text';
import { formatBytes } from '../components/format';
import { useFrame } from '../components/layout';
import { UsageBar } from '../components/usage-bar';
import { useLoad } from '../components/use-load';

const DAYS = 30;

/** The tenant's use of its quotas now, and its activity over the last 30 days. */
export function UsagePage() {
  const { tenantId } = useParams() as { tenantId: string };
  const { tenant } = useFrame();
  const usage = useLoad(() => api.get<Usage>(`/tenants/${tenantId}/usage?days=${DAYS}`), [tenantId]);
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
          <div className="charts">
            <DailyChart title="Queries per day" unit="queries" days={series((d) => d.queries)} />
            <DailyChart title="Documents added per day" unit="documents" days={series((d) => d.documents)} />
            <DailyChart
              title="LLM tokens per day"
              unit="tokens"
              days={series((d) => d.tokens_in + d.tokens_out)}
            />
          </div>
        </>
      )}
    </section>
  );
}
