/** The Switchboard domain: pure rules of an IT service desk, shared by every process. */
export { assertNever } from './assert-never';
export * from './kinds';
export * from './priority';
export * from './state-machine';
export * from './ticket';
export * from './transition';
export * from './steps';
export * from './numbering';
export * from './merge';
export * from './activity';
export * from './rules';
export * from './calendar';
export * from './sla';
export * from './sla-config';
export * from './sla-records';
export * from './public-holidays';
export * from './templates';
export * from './audit';
