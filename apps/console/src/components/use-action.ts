import { useCallback, useState } from 'react';
import { describeError } from '../api/api-error';

/**
 * Runs a change (an API call and what follows it) and keeps its failure in words for the page:
 * null once a change worked. `run` answers whether it did.
 */
export function useAction() {
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (work: () => Promise<unknown>): Promise<boolean> => {
    try {
      await work();
      setError(null);
      return true;
    } catch (e) {
      setError(describeError(e));
      return false;
    }
  }, []);
  return { error, run };
}
