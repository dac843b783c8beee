import { api } from '../api/client';
import type { DocumentAccess, Group, Page } from '../api/types';
import { useSession } from '../session/session';
import { useLoad } from './use-load';

/**
 * Who may see a document: everyone who may read the KB, or only some of the tenant's groups and
 * the signed-in person (tenant admins always see it). The API refuses an editor's list that leaves
 * them out; the person's own box is there so they can stay on it.
 */
export function AccessPicker({
  tenantId,
  id,
  value,
  onChange,
}: {
  tenantId: string;
  id: string;
  value: DocumentAccess | null;
  onChange: (access: DocumentAccess | null) => void;
}) {
  const session = useSession();
  const me = session.me?.user ?? null;
  const groups = useLoad(() => api.get<Page<Group>>(`/tenants/${tenantId}/groups?limit=200`), [tenantId]);
  const restricted = value !== null;
  const toggle = (list: 'group_ids' | 'user_ids', entry: string, on: boolean) => {
    const current = value ?? { group_ids: [], user_ids: [] };
    const next = on ? [...current[list], entry] : current[list].filter((x) => x !== entry);
    onChange({ ...current, [list]: next });
  };
  return (
    <fieldset className="access-picker" aria-describedby={`${id}-help`}>
      <legend>Who may see it</legend>
      <label>
        <input type="radio" name={id} checked={!restricted} onChange={() => onChange(null)} /> Everyone who
        can read this knowledge base
      </label>
      <label>
        <input
          type="radio"
          name={id}
          checked={restricted}
          onChange={() => onChange({ group_ids: [], user_ids: me ? [me.id] : [] })}
        />{' '}
        Only the groups and people below
      </label>
      {restricted && (
        <div className="access-choices">
          {me && (
            <label>
              <input
                type="checkbox"
                checked={value.user_ids.includes(me.id)}
                onChange={(e) => toggle('user_ids', me.id, e.target.checked)}
              />{' '}
              Me ({me.email})
            </label>
          )}
          {groups.value?.items.map((g) => (
            <label key={g.id}>
              <input
                type="checkbox"
                checked={value.group_ids.includes(g.id)}
                onChange={(e) => toggle('group_ids', g.id, e.target.checked)}
              />{' '}
              {g.name}
            </label>
          ))}
          {groups.value?.items.length === 0 && (
            <span className="muted-text">The tenant has no groups yet.</span>
          )}
        </div>
      )}
      <small id={`${id}-help`} className="muted-text">
        Tenant admins see every document. Others on no list get “not found” and find nothing of it.
      </small>
    </fieldset>
  );
}
