import { type Role, ROLES } from '../api/types';

/** A labelled choice of tenant role (the label hidden where a table column already names it). */
export function RoleSelect({
  id,
  label,
  hideLabel = false,
  value,
  disabled = false,
  onChange,
}: {
  id: string;
  label: string;
  hideLabel?: boolean;
  value: Role;
  disabled?: boolean;
  onChange: (role: Role) => void;
}) {
  return (
    <>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
    </>
  );
}
