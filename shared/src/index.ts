export * from './vocab.js';
export * from './errors.js';
export * from './api.js';
export * from './events.js';
export * from './rules.js';
export * from './content.js';
export * from './feed.js';
export * from './phi.js';
