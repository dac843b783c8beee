/** An error in words, announced to screen readers. */
export function ErrorText({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}

/** How the last change went: its error, or the confirmation that it worked. */
export function ActionOutcome({ error, done }: { error: string | null; done: string | null }) {
  if (error) return <ErrorText error={error} />;
  if (!done) return null;
  return (
    <p className="ok" role="status">
      {done}
    </p>
  );
}
