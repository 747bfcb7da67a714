import '../../infra/local/polyfills.js';

// Handlers log failures at ERROR; tests that check logging turn it back on themselves.
process.env.LOG_LEVEL ??= 'SILENT';

// Lists seal their cursors with a key derived from the deployment's secret keys (the local runtime's default).
process.env.CARELOOP_SURVEY_SIGNING_KEY ??= 'careloop-local-survey-signing-key-not-for-production';
