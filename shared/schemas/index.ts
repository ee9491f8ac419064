export * from './common';
export * from './auth';
export * from './users';
export * from './communes';
export * from './incidents';
export * from './task-types';
export * from './tasks';
export * from './changes';
