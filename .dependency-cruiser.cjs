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
    {
      name: 'shared-folders-are-acyclic',
      comment:
        'The folders of shared/ form layers: schemas at the bottom, then domain, then store, http and the ' +
        'rest. A folder that imports another folder which imports it back (a vocabulary imported both ways) ' +
        'is a cycle even when no two files are; move the shared part to the lower folder.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^shared/' },
      to: { path: '^shared/', circular: true },
    },
    {
      name: 'use-cases-know-no-http',
      comment:
        'Only a capability’s handler.ts speaks HTTP. Its use cases (service.ts and the rest) take an Actor ' +
        'and plain values; who may change what is a domain rule (shared/domain/access.ts).',
      severity: 'error',
      from: { path: '^functions/[^/]+/', pathNot: '^functions/[^/]+/handler\\.ts$' },
      to: { path: '^shared/http/' },
    },
    {
      name: 'schemas-import-only-zod',
      comment:
        'shared/schemas is the contract at the bottom of every layer: it imports only zod (with its OpenAPI ' +
        'extension) and its own folder. Vocabularies the domain shares live here (schemas/vocabulary.ts).',
      severity: 'error',
      from: { path: '^shared/schemas/' },
      to: { pathNot: ['^shared/schemas/', '^node_modules/(zod|@asteasolutions/zod-to-openapi)/'] },
    },
    {
      name: 'client-stands-alone',
      comment:
        'client/src is the published package @careloop/client: it imports only its own folder and ' +
        'openapi-fetch, never the API\'s code (its types come from the generated src/schema.ts). Its generator ' +
        '(client/scripts) builds the document from shared/, its tests use test/support.',
      severity: 'error',
      from: { path: '^client/src/' },
      to: { pathNot: ['^client/src/', '^node_modules/openapi-fetch/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules is not followed but stays visible, so a rule can name the packages a folder may use.
    exclude: { path: '(^|/)(cdk\\.out|test-artifacts|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
