/**
 * What may depend on what (the folder READMEs say why). `npm run lint` runs this after biome;
 * a forbidden import fails the lint with the rule's name and the import that broke it.
 * Type-only imports count: a type from another capability couples as much as a value does.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'shared/domain holds the rules of the product as plain code: it imports only shared/domain and ' +
        'shared/schemas (and node:crypto for signing), never a store, HTTP, a port adapter or an SDK.',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { pathNot: ['^shared/(domain|schemas)/', '^(node:)?crypto$'] },
    },
    {
      name: 'store-knows-no-http',
      comment: 'shared/store is reached from HTTP handlers and jobs alike; it never imports shared/http.',
      severity: 'error',
      from: { path: '^shared/store/' },
      to: { path: '^shared/http/' },
    },
    {
      name: 'capabilities-are-independent',
      comment:
        'functions/<a> never imports functions/<b>: what one capability needs from another is passed in as a ' +
        'dependency, wired in functions/composition.ts.',
      severity: 'error',
      from: { path: '^functions/([^/]+)/' },
      to: { path: '^functions/[^/]+/', pathNot: '^functions/$1/' },
    },
    {
      name: 'shared-knows-no-capability',
      comment: 'shared/ is what every capability builds on; it never imports functions/.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^functions/' },
    },
    {
      name: 'runtime-code-knows-no-infra',
      comment:
        'Nothing under functions/ or shared/ imports infra/: the same code runs in Lambda and locally, ' +
        'and infra/ (CDK, the local runtime) builds on it, not the other way round.',
      severity: 'error',
      from: { path: '^(functions|shared)/' },
      to: { path: '^infra/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|cdk\\.out|test-artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
