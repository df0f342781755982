/**
 * Option names several recipes accept (Recipe.accepts): what every service recipe reads
 * (recipes/shared/program.ts, daemon.ts, users.ts, templates.ts), and the zc.recipe.egg options a
 * Python part of a real buildout carries. A recipe's own names are in the recipe file.
 */

/** executable, user, template, environment, start and stop settings, the upstream check. */
export const SERVICE_OPTIONS = [
  'executable',
  'user',
  'template',
  'environment',
  'priority',
  'ready-timeout',
  'stop-timeout',
  'check-upstream',
] as const;

/**
 * zc.recipe.egg's options, which plone.recipe.zope2instance passes on: accepted so that a real
 * instance part is not reported, though only `eggs` and `extra-paths` mean something here.
 */
export const EGG_OPTIONS = [
  'eggs',
  'extra-paths',
  'find-links',
  'index',
  'allow-hosts',
  'include-site-packages',
  'allowed-eggs-from-site-packages',
  'interpreter',
  'dependent-scripts',
  'scripts',
  'entry-points',
  'arguments',
  'initialization',
  'relative-paths',
] as const;
