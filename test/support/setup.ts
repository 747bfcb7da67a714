import '../../infra/local/polyfills.js';

// Handlers log failures at ERROR; tests that check logging turn it back on themselves.
process.env.LOG_LEVEL ??= 'SILENT';
