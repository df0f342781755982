/**
 * The built-in recipes (recipes/*.ts), each loaded on first use. The requires are literal so that
 * esbuild puts the recipes into the CLI bundle, covered by its code cache: a run then neither
 * resolves nor compiles them from dist/recipes, and they share the bundle's single copy of the
 * engine's modules. test/engine/builtin-recipes.test.ts checks this list against recipes/.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const BUILTIN_RECIPES: Record<string, () => unknown> = {
  cmmi: () => require('../../recipes/cmmi'),
  download: () => require('../../recipes/download'),
  haproxy: () => require('../../recipes/haproxy'),
  memcached: () => require('../../recipes/memcached'),
  mysql: () => require('../../recipes/mysql'),
  nginx: () => require('../../recipes/nginx'),
  porter: () => require('../../recipes/porter'),
  supervisor: () => require('../../recipes/supervisor'),
  template: () => require('../../recipes/template'),
  varnish: () => require('../../recipes/varnish'),
  'zope-instance': () => require('../../recipes/zope-instance'),
};
