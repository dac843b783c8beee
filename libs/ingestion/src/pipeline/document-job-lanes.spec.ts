import { DocumentJobLanes } from './document-job-lanes';

describe('DocumentJobLanes', () => {
  it("puts a tenant's first job beside another tenant's work in the newcomer lane, its next ones in the job lane", () => {
    const lanes = new DocumentJobLanes();
    expect(lanes.start('bulk')).toBe('job');
    expect(lanes.start('bulk')).toBe('job');
    expect(lanes.start('small')).toBe('newcomer');
    expect(lanes.start('small')).toBe('job');
  });

  it('makes no job a newcomer on an otherwise idle process', () => {
    const lanes = new DocumentJobLanes();
    expect(lanes.start('only')).toBe('job');
    lanes.end('only');
    expect(lanes.start('only')).toBe('job');
  });

  it('counts a tenant as new again once all its jobs have ended', () => {
    const lanes = new DocumentJobLanes();
    lanes.start('bulk');
    lanes.start('small');
    lanes.start('small');
    lanes.end('small');
    expect(lanes.start('small')).toBe('job');
    lanes.end('small');
    lanes.end('small');
    expect(lanes.start('small')).toBe('newcomer');
    lanes.end('bulk');
    lanes.end('small');
    expect(lanes.start('bulk')).toBe('job');
  });
});
