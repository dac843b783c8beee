/** A labelled whole-number input (an empty box reads as 0). */
export function NumberField(props: {
  id: string;
  label: string;
  value: number;
  onChange: (value: number) => void;
  min?: number;
  max?: number;
  required?: boolean;
}) {
  return <NumberInput {...props} onChange={(n) => props.onChange(n ?? 0)} />;
}

/** A labelled whole-number input that may be left empty (null), e.g. a limit with none. */
export function OptionalNumberField(props: {
  id: string;
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  min?: number;
  placeholder?: string;
}) {
  return <NumberInput {...props} />;
}

function NumberInput({
  id,
  label,
  value,
  onChange,
  min,
  max,
  required = false,
  placeholder,
}: {
  id: string;
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  min?: number;
  max?: number;
  required?: boolean;
  placeholder?: string;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={min}
        max={max}
        required={required}
        placeholder={placeholder}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
      />
    </>
  );
}
