import '../../infra/local/polyfills.js';
