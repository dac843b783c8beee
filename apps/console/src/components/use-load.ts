import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../api/api-error';

/** Loads something on mount (and when `deps` change); `reload` fetches it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The caller's deps name what `load` reads; lint checks them at each call (see eslint.config.mjs).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    try {
      setValue(await run());
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  }, [run]);
  useEffect(() => {
    setValue(null);
    void reload();
  }, [reload]);
  return { value, error, reload };
}
