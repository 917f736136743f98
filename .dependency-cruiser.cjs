/**
 * Who may import whom (docs/architecture.md). `npm run lint:deps` checks it; `npm test` runs it too
 * (test/architecture/dependencies.test.ts).
 * @type {import('dependency-cruiser').IConfiguration}
 */
const CORE = '^src/(kap|fhir|instruments|safety|terminology|identity|validation|crypto)/|^src/[^/]+\\.ts$';
/** Tests may import what they test from anywhere. */
const NOT_TESTS = '\\.test\\.ts$';
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'A cycle means two modules are one concept, or one knows the one after it.', from: {}, to: { circular: true } },
    {
      name: 'core-knows-no-transport',
      severity: 'error',
      comment: 'Parsing, mapping, safety rules, validation: plain functions over types, no HTTP, queues or service.',
      from: { path: CORE, pathNot: NOT_TESTS },
      to: { path: '^(src/(api|server|cli|sync|pipeline|sandbox|config)|queues)/' },
    },
    {
      name: 'pipeline-knows-no-http',
      severity: 'error',
      comment: 'The pipeline is called by the routes, the FHIR intake and the CLI; it knows none of them.',
      from: { path: '^src/pipeline/', pathNot: NOT_TESTS },
      to: { path: '^src/(api|server|cli|sandbox)/|^node_modules/(express|@types/express)/' },
    },
    {
      name: 'sync-knows-no-callers',
      severity: 'error',
      comment: 'The sync engine delivers what it is handed; it does not know the API, the pipeline or the service.',
      from: { path: '^src/sync/', pathNot: NOT_TESTS },
      to: { path: '^src/(api|server|cli|pipeline|config)/' },
    },
    {
      name: 'queues-one-direction',
      severity: 'error',
      comment: 'queues/ uses src/sync (the delivery processor, the store, the writer); src/sync does not use queues/.',
      from: { path: '^src/sync/' },
      to: { path: '^queues/' },
    },
    {
      name: 'queues-know-no-callers',
      severity: 'error',
      comment: 'The queues and their engine are handed what to deliver; they do not know the API, the pipeline or the service.',
      from: { path: '^queues/' },
      to: { path: '^src/(api|server|cli|pipeline|config)/' },
    },
    {
      name: 'api-through-the-pipeline',
      severity: 'error',
      comment: 'Routes hand submissions to the pipeline; they do not map, validate or enqueue themselves (types of the engine they are handed excepted).',
      from: { path: '^src/api/', pathNot: NOT_TESTS },
      to: { path: '^(src/(sync|server|cli)|queues)/', dependencyTypesNot: ['type-only'] },
    },
    { name: 'no-tests-in-src', severity: 'error', from: { path: '^(src|queues|bin)/', pathNot: '\\.test\\.ts$' }, to: { path: '^test/|\\.test\\.ts$' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
