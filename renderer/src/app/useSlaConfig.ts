import { useMemo } from 'react';
import type { SlaConfig } from '../../../shared/domain';
import { observeSlaConfig } from '../data/sla-config';
import { useWorkspace } from './services';
import { useObservable } from './useObservable';

/** The desk's live SLA configuration (null until the replica holds a valid one). */
export function useSlaConfig(): SlaConfig | null {
  const { db } = useWorkspace();
  return useObservable(
    useMemo(() => observeSlaConfig(db), [db]),
    null,
  );
}
