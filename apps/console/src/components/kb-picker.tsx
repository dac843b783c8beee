import type { KnowledgeBase } from '../api/types';

/** Which KBs a member or key may reach: all of them (null), or the ones ticked. */
export function KbPicker({
  id,
  kbs,
  value,
  onChange,
}: {
  id: string;
  kbs: KnowledgeBase[];
  value: string[] | null;
  onChange: (value: string[] | null) => void;
}) {
  return (
    <fieldset className="kb-picker">
      <legend>Knowledge bases</legend>
      <label>
        <input
          type="checkbox"
          id={`${id}-all`}
          checked={value === null}
          onChange={(e) => onChange(e.target.checked ? null : [])}
        />{' '}
        All
      </label>
      {value !== null &&
        kbs.map((kb) => (
          <label key={kb.id}>
            <input
              type="checkbox"
              checked={value.includes(kb.id)}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, kb.id] : value.filter((k) => k !== kb.id))
              }
            />{' '}
            {kb.name}
          </label>
        ))}
    </fieldset>
  );
}
