import { useParams } from 'react-router';
import { api } from '../api/client';
import type { Usage } from '../api/types';
import { DailyChart } from '../components/daily-chart';
import { ErrorText } from '../components/error-text';
import { UsageBar } from '../components/usage-bar';
import { useLoad } from '../components/use-load';

const bytes = (n: number) =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;

/** The tenant's use of its quotas now, and its activity over the last 30 days. */
export function UsagePage() {
  const { tenantId } = useParams() as { tenantId: string };
  const usage = useLoad(() => api.get<Usage>(`/tenants/${tenantId}/usage?days=30`), [tenantId]);
  const u = usage.value;
  return (
    <section>
      <h1>Usage</h1>
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
              format={bytes}
            />
          </div>
          <p className="muted-text">
            {u.current.members} members · {u.current.api_keys} live API keys · {u.quotas.queries_per_minute}{' '}
            queries and {u.quotas.requests_per_minute} requests per minute allowed
          </p>
          <div className="charts">
            <DailyChart
              title="Queries per day"
              days={u.daily.map((d) => ({ day: d.day, value: d.queries }))}
            />
            <DailyChart
              title="Documents added per day"
              days={u.daily.map((d) => ({ day: d.day, value: d.documents }))}
            />
            <DailyChart
              title="LLM tokens per day"
              days={u.daily.map((d) => ({ day: d.day, value: d.tokens_in + d.tokens_out }))}
            />
          </div>
        </>
      )}
    </section>
  );
}
