import { describeOnEachDatabase } from '../../../../test/support/migrated-sql';
import { testTenantScope } from '../../../../test/support/scopes';
import { insertKb } from '../../../../test/support/sql-rows';
import { TokenUsageRepository } from './token-usage.repository';

describeOnEachDatabase('token usage', (db) => {
  it('adds to the KB’s row of the day by purpose and model, and to the tenant’s daily totals', async () => {
    const scope = await insertKb(db());
    const second = await insertKb(db(), scope.tenantId);
    const stranger = await insertKb(db());
    await TokenUsageRepository.add(db(), scope, {
      purpose: 'answer',
      model: 'chat',
      tokensIn: 100,
      tokensOut: 20,
    });
    await TokenUsageRepository.add(db(), scope, {
      purpose: 'answer',
      model: 'chat',
      tokensIn: 50,
      tokensOut: 5,
    });
    await TokenUsageRepository.add(db(), second, {
      purpose: 'extraction',
      model: 'chat',
      tokensIn: 7,
      tokensOut: 3,
    });
    await TokenUsageRepository.add(db(), scope, {
      purpose: 'embedding',
      model: 'embed',
      tokensIn: 40,
      tokensOut: 0,
    });
    await TokenUsageRepository.add(db(), scope, {
      purpose: 'keywords',
      model: 'chat',
      tokensIn: 0,
      tokensOut: 0,
    });
    await TokenUsageRepository.add(db(), stranger, {
      purpose: 'answer',
      model: 'chat',
      tokensIn: 999,
      tokensOut: 999,
    });

    const tenant = testTenantScope(scope.tenantId);
    const today = await TokenUsageRepository.today(db(), tenant);
    expect(today).toMatchObject({ llm: 185, embedding: 40 });
    expect(today.resetInSeconds).toBeGreaterThan(0);
    expect(today.resetInSeconds).toBeLessThanOrEqual(86_400);
    const rows = await TokenUsageRepository.recent(db(), tenant, 1);
    expect(
      rows.map(({ kb_id, purpose, model, tokens_in, tokens_out }) => [
        kb_id,
        purpose,
        model,
        tokens_in,
        tokens_out,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [scope.kbId, 'answer', 'chat', 150, 25],
        [scope.kbId, 'embedding', 'embed', 40, 0],
        [second.kbId, 'extraction', 'chat', 7, 3],
      ]),
    );
    expect(rows).toHaveLength(3);
  });

  it('answers zeros for a tenant that spent nothing today', async () => {
    const scope = await insertKb(db());
    expect(await TokenUsageRepository.today(db(), testTenantScope(scope.tenantId))).toMatchObject({
      llm: 0,
      embedding: 0,
    });
    expect(await TokenUsageRepository.recent(db(), testTenantScope(scope.tenantId), 30)).toEqual([]);
  });
});
