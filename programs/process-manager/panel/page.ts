/**
 * The panel's pages, from templates/panel/ (read once): login.html and panel.html rendered with
 * mustache (every value escaped), panel.css and panel.js served as they are. No inline script or
 * style (the CSP forbids them): the page carries its CSRF token in a meta tag, panel.js builds the
 * table from /api/status with textContent only (no program output is ever parsed as HTML), and
 * charts.js draws each program's history with uPlot (uplotFile).
 *
 * panel.css lays the table out by its content (table-layout auto), never by equal shares: a column
 * is at least as wide as its longest unbreakable word (an address, a state), so no text can run
 * into the next cell; narrower than 800 px it scrolls inside its own box.
 * test/process-manager/panel-layout measures it in Chromium at several widths.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { templatesDir } from '../../../src/util/install-root';

const files = new Map<string, string>();

function file(name: string): string {
  let text = files.get(name);
  if (text === undefined) files.set(name, (text = readFileSync(path.join(templatesDir(), 'panel', name), 'utf8')));
  return text;
}

function render(name: string, view: Record<string, string>): string {
  return (require('mustache') as typeof import('mustache')).render(file(name), view);
}

export function loginPage(part: string, message = ''): string {
  return render('login.html', { part, message });
}

export function panelPage(part: string, csrf: string): string {
  return render('panel.html', { part, csrf });
}

export const panelCss = (): string => file('panel.css');
export const panelJs = (): string => file('panel.js');
export const chartsJs = (): string => file('charts.js');

const vendored = new Map<string, string>();

/**
 * uPlot, the charting library (about 50 KB, no dependencies), from the node_modules Zetaserver
 * runs from: the panel works offline and loads nothing from another origin (the CSP forbids it).
 */
export function uplotFile(name: 'uPlot.iife.min.js' | 'uPlot.min.css'): string {
  let text = vendored.get(name);
  if (text === undefined) vendored.set(name, (text = readFileSync(require.resolve(`uplot/dist/${name}`), 'utf8')));
  return text;
}
