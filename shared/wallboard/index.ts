/** The supervisors' wallboard: pure metrics over the replica's tickets. */
export * from './metrics';
export * from './sla-memo';
export * from './subset';
