import { useCallback, useState } from 'react';
import { describeError } from '../api/api-error';

/**
 * Runs a change (an API call and what follows it) and keeps its outcome in words for the page:
 * `error` when it failed, else `done` (the message given for it, if any). `run` answers whether it
 * worked.
 */
export function useAction() {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = useCallback(async (work: () => Promise<unknown>, doneMessage?: string): Promise<boolean> => {
    try {
      await work();
      setError(null);
      setDone(doneMessage ?? null);
      return true;
    } catch (e) {
      setError(describeError(e));
      setDone(null);
      return false;
    }
  }, []);
  return { error, done, run };
}
