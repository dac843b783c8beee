import type { SqlRunner } from '@strata/storage';
import type { KbScope, TenantScope } from '@strata/tenancy';

/** What tokens were spent on: the LLM's answers, keywords and graph extraction, a provider's embeddings. */
export const TOKEN_PURPOSES = ['answer', 'keywords', 'extraction', 'embedding'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

export interface TokenUse {
  purpose: TokenPurpose;
  model: string;
  tokensIn: number;
  tokensOut: number;
}

/** One row of token use: a day, a KB, a purpose and a model. */
export interface TokenUsageRow {
  day: string;
  kb_id: string;
  purpose: TokenPurpose;
  model: string;
  tokens_in: number;
  tokens_out: number;
}

/** Today's totals the daily token quotas are checked against, and when today ends. */
export interface TokensToday {
  llm: number;
  embedding: number;
  /** Seconds until the database's day ends and the daily quotas start again. */
  resetInSeconds: number;
}

export const TokenUsageRepository = {
  /**
   * Counts tokens spent in a KB today: its row of token_usage_daily and the tenant's daily totals
   * (LLM tokens in tokens_in/tokens_out, embedding tokens in embedding_tokens), in one statement.
   */
  async add(db: SqlRunner, scope: KbScope, use: TokenUse): Promise<void> {
    if (use.tokensIn === 0 && use.tokensOut === 0) return;
    const embedding = use.purpose === 'embedding';
    await db.query(
      `WITH counted AS (
         INSERT INTO token_usage_daily (tenant_id, day, kb_id, purpose, model, tokens_in, tokens_out)
         VALUES ($1, current_date, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, day, kb_id, purpose, model) DO UPDATE
           SET tokens_in = token_usage_daily.tokens_in + EXCLUDED.tokens_in,
               tokens_out = token_usage_daily.tokens_out + EXCLUDED.tokens_out
         RETURNING 1)
       INSERT INTO usage_daily (tenant_id, day, tokens_in, tokens_out, embedding_tokens)
       VALUES ($1, current_date, $7, $8, $9)
       ON CONFLICT (tenant_id, day) DO UPDATE
         SET tokens_in = usage_daily.tokens_in + EXCLUDED.tokens_in,
             tokens_out = usage_daily.tokens_out + EXCLUDED.tokens_out,
             embedding_tokens = usage_daily.embedding_tokens + EXCLUDED.embedding_tokens`,
      [
        scope.tenantId,
        scope.kbId,
        use.purpose,
        use.model,
        use.tokensIn,
        use.tokensOut,
        embedding ? 0 : use.tokensIn,
        embedding ? 0 : use.tokensOut,
        embedding ? use.tokensIn + use.tokensOut : 0,
      ],
    );
  },

  async today(db: SqlRunner, scope: TenantScope): Promise<TokensToday> {
    const [row] = (await db.query(
      `SELECT coalesce(u.tokens_in + u.tokens_out, 0) AS llm, coalesce(u.embedding_tokens, 0) AS embedding,
              extract(epoch FROM (current_date + 1)::timestamptz - now()) AS reset
       FROM (SELECT 1) AS one
       LEFT JOIN usage_daily u ON u.tenant_id = $1 AND u.day = current_date`,
      [scope.tenantId],
    )) as Array<{ llm: string; embedding: string; reset: string }>;
    return { llm: Number(row.llm), embedding: Number(row.embedding), resetInSeconds: Number(row.reset) };
  },

  /** The tenant's token use over its last `days` days, newest day first. */
  async recent(db: SqlRunner, scope: TenantScope, days: number): Promise<TokenUsageRow[]> {
    const rows = (await db.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, kb_id, purpose, model, tokens_in, tokens_out
       FROM token_usage_daily WHERE tenant_id = $1 AND day > current_date - $2::int
       ORDER BY day DESC, kb_id, purpose, model`,
      [scope.tenantId, days],
    )) as Array<Omit<TokenUsageRow, 'tokens_in' | 'tokens_out'> & { tokens_in: string; tokens_out: string }>;
    return rows.map((row) => ({
      ...row,
      tokens_in: Number(row.tokens_in),
      tokens_out: Number(row.tokens_out),
    }));
  },
};
