import { randomBytes } from 'node:crypto';
import {
  auditCheckpointKey,
  checkpointSignatureHolds,
  parseCheckpoints,
  signCheckpoint,
} from './audit-checkpoint';

describe('audit checkpoints', () => {
  const key = auditCheckpointKey(randomBytes(32));
  const fields = { chain: 'platform', seq: '12', head: 'a'.repeat(64), at: '2026-12-02T01:00:00.000Z' };

  it('holds as signed, and not with any field changed or another key', () => {
    const checkpoint = signCheckpoint(fields, key);
    expect(checkpointSignatureHolds(checkpoint, key)).toBe(true);
    for (const change of [{ seq: '11' }, { head: 'b'.repeat(64) }, { chain: 'other' }, { at: 'now' }]) {
      expect(checkpointSignatureHolds({ ...checkpoint, ...change }, key)).toBe(false);
    }
    expect(checkpointSignatureHolds(checkpoint, auditCheckpointKey(randomBytes(32)))).toBe(false);
    expect(checkpointSignatureHolds({ ...checkpoint, mac: 'zz' }, key)).toBe(false);
  });

  it("reads each chain's latest line from a file and names a line that is not a checkpoint", () => {
    const older = signCheckpoint({ ...fields, seq: '9' }, key);
    const newer = signCheckpoint(fields, key);
    const other = signCheckpoint({ ...fields, chain: 'c2', seq: '3' }, key);
    const text = [newer, older, other].map((c) => JSON.stringify(c)).join('\n') + '\n\n';
    const read = parseCheckpoints(text);
    expect(read.get('platform')).toEqual(newer);
    expect(read.get('c2')).toEqual(other);
    expect(() => parseCheckpoints(`${JSON.stringify(newer)}\n{"chain":"x"}`)).toThrow(
      /line 2 is not an audit checkpoint/,
    );
    expect(() => parseCheckpoints('nope')).toThrow(/line 1 is not JSON/);
  });
});
