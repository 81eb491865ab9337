import { useEffect, useState } from 'react';

/** The current time in ms, refreshed every `everyMs` (for countdowns and expiries). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
