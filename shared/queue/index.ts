/** Queues: the shared filter model and the in-memory index that answers it. */
export * from './filter';
export * from './queue-index';
