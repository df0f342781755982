#!/usr/bin/env node
/**
 * Puts a file into the download cache under a URL, exactly where the download service looks for
 * it (slot = `<cache>/<namespace>/<cacheKey(url)>`, the service's own function), after checking
 * its sha256. A config can then keep the real upstream URL and checksum and run offline (-o):
 * the real-build tests seed the upstream tarballs fetched from Debian's mirror this way.
 *
 * Usage: node scripts/seed-download-cache.js [--cache DIR] [--namespace NS] URL FILE [SHA256]
 *   --cache      the deployment's download-cache (default: ./downloads)
 *   --namespace  the recipe's namespace: cmmi (default) or download
 * Without SHA256 the file's sha256 is printed, for pinning, and nothing is checked.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

function cacheKeyFunction() {
  const compiled = path.resolve(__dirname, '..', 'dist', 'src', 'download', 'download-service.js');
  if (!fs.existsSync(compiled)) throw new Error(`${compiled} is missing: build first (node scripts/build.js)`);
  return require(compiled).cacheKey;
}

function sha256Of(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Copies `file` into the slot for `url` (atomically); returns the slot's path. */
function seedDownloadCache({ cache, namespace = 'cmmi', url, file, sha256 }) {
  const actual = sha256Of(file);
  if (sha256 && actual !== sha256.toLowerCase()) {
    throw new Error(`${file} does not match the sha256 given for ${url}\n  expected: ${sha256}\n  received: ${actual}`);
  }
  const slot = path.join(path.resolve(cache), namespace, cacheKeyFunction()(url));
  fs.mkdirSync(path.dirname(slot), { recursive: true });
  const temporary = `${slot}.${process.pid}.seed`;
  fs.copyFileSync(file, temporary);
  fs.renameSync(temporary, slot);
  return { slot, sha256: actual };
}

module.exports = { seedDownloadCache };

if (require.main === module) {
  const args = process.argv.slice(2);
  const take = (flag, fallback) => {
    const at = args.indexOf(flag);
    return at < 0 ? fallback : args.splice(at, 2)[1];
  };
  const cache = take('--cache', 'downloads');
  const namespace = take('--namespace', 'cmmi');
  const [url, file, sha256] = args;
  if (!url || !file) {
    console.error('usage: node scripts/seed-download-cache.js [--cache DIR] [--namespace NS] URL FILE [SHA256]');
    process.exit(2);
  }
  try {
    const seeded = seedDownloadCache({ cache, namespace, url, file, sha256 });
    console.log(`${seeded.slot}\nsha256 ${seeded.sha256}${sha256 ? ' (verified)' : ' (not checked: no sha256 given)'}`);
  } catch (error) {
    console.error(`seed-download-cache: ${error.message}`);
    process.exit(1);
  }
}
