/** Loaded first by the benchmark: quiet logs, before any module builds its logger. */
import '../infra/local/polyfills.js';

process.env.LOG_LEVEL ??= 'SILENT';
