import { effectivePermissions, permissionsOutsideRole } from './roles';

describe('role permission bounds', () => {
  it('gives each role its defaults', () => {
    expect(effectivePermissions('admin')).toEqual({
      create_kb: true,
      delete_documents: true,
      run_queries: true,
    });
    expect(effectivePermissions('editor')).toEqual({
      create_kb: false,
      delete_documents: true,
      run_queries: true,
    });
    expect(effectivePermissions('viewer')).toEqual({
      create_kb: false,
      delete_documents: false,
      run_queries: true,
    });
  });

  it('lets flags narrow a role and widen it only within its bounds', () => {
    expect(effectivePermissions('editor', { create_kb: true, run_queries: false })).toEqual({
      create_kb: true,
      delete_documents: true,
      run_queries: false,
    });
    // A stored flag beyond the role (e.g. after a demotion) never takes effect.
    expect(effectivePermissions('viewer', { delete_documents: true, create_kb: true }).delete_documents).toBe(
      false,
    );
    expect(effectivePermissions('viewer', { delete_documents: true, create_kb: true }).create_kb).toBe(false);
  });

  it('names flags a role cannot hold', () => {
    expect(
      permissionsOutsideRole('viewer', { delete_documents: true, create_kb: true, run_queries: true }),
    ).toEqual(['create_kb', 'delete_documents']);
    expect(permissionsOutsideRole('viewer', { delete_documents: false })).toEqual([]);
    expect(permissionsOutsideRole('editor', { create_kb: true })).toEqual([]);
  });
});
