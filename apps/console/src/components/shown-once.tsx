import { type ReactNode, useState } from 'react';

/** A secret shown this once (a new API key, an invitation link), with Copy and Done. */
export function ShownOnce({
  children,
  value,
  testId,
  onDone,
}: {
  /** What the value is and what to do with it. */
  children: ReactNode;
  value: string;
  testId: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="secret" role="status">
      <p>{children}</p>
      <code data-testid={testId}>{value}</code>
      <button
        type="button"
        onClick={() =>
          void navigator.clipboard.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
      <button type="button" className="link" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
