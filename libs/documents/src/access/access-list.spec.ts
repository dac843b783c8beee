import { accessColumns, accessOf, namesCaller } from './access-list';

const list = { groupIds: ['g-hr'], userIds: ['u-ann'] };

describe('namesCaller', () => {
  it('names a member listed by name', () => {
    expect(namesCaller(list, { userId: 'u-ann', groupIds: new Set() })).toBe(true);
  });

  it('names a caller through one of their groups, an API key included', () => {
    expect(namesCaller(list, { userId: 'u-bob', groupIds: new Set(['g-sales', 'g-hr']) })).toBe(true);
    expect(namesCaller(list, { userId: null, groupIds: new Set(['g-hr']) })).toBe(true);
  });

  it('leaves out a caller named neither way', () => {
    expect(namesCaller(list, { userId: 'u-bob', groupIds: new Set(['g-sales']) })).toBe(false);
    expect(namesCaller(list, { userId: null, groupIds: new Set() })).toBe(false);
  });

  it('names nobody with an emptied list', () => {
    expect(namesCaller({ groupIds: [], userIds: [] }, { userId: 'u-ann', groupIds: new Set(['g-hr']) })).toBe(
      false,
    );
  });
});

describe('accessColumns and accessOf', () => {
  it('round-trip a list, an emptied list staying restricted', () => {
    expect(accessOf(accessColumns(list))).toEqual(list);
    const emptied = accessColumns({ groupIds: [], userIds: [] });
    expect(emptied.accessRestricted).toBe(true);
    expect(accessOf(emptied)).toEqual({ groupIds: [], userIds: [] });
  });

  it('map an open document to no list', () => {
    expect(accessColumns(null)).toEqual({ accessRestricted: false, accessGroupIds: [], accessUserIds: [] });
    expect(accessOf(accessColumns(null))).toBeNull();
  });
});
