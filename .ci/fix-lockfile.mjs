#!/usr/bin/env node
// The package registry these machines reach serves only some platforms' builds of packages that ship one
// optional package per platform (rollup's @rollup/rollup-<os>-<cpu>[-<abi>]). npm then leaves the other
// platforms out of package-lock.json, and `npm ci` refuses the lockfile as out of sync. A lockfile written
// against the full registry lists every platform's package with its os/cpu/libc, and npm skips the foreign
// ones at install. This adds those entries (derived from the naming convention) for any optional
// dependency the lockfile lacks. Run it after `npm install` changes the lockfile: node .ci/fix-lockfile.mjs
import fs from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const OS = [
  'android',
  'darwin',
  'freebsd',
  'linux',
  'win32',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'openharmony',
];
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el'];

const OS_ALIASES = { windows: 'win32', win: 'win32', macos: 'darwin' };

/** `@scope/[prefix-]<os>-<cpu>[-<abi>]` → npm's os/cpu/libc fields, or null when the name is no platform build. */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  for (let i = 0; i + 1 < parts.length; i++) {
    const os = OS_ALIASES[parts[i]] ?? parts[i];
    if (!OS.includes(os) || !CPU.includes(parts[i + 1])) continue;
    const entry = { os: [os], cpu: [parts[i + 1]] };
    const abi = parts[i + 2];
    if (os === 'linux' && abi) entry.libc = [abi.startsWith('musl') ? 'musl' : 'glibc'];
    return entry;
  }
  return null;
}

let added = 0;
for (const [where, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `${where ? `${where}/` : ''}node_modules/${name}`;
    if (lock.packages[key] || lock.packages[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform) continue;
    lock.packages[`node_modules/${name}`] = {
      version,
      ...(pkg.dev ? { dev: true } : {}),
      ...(pkg.devOptional ? { devOptional: true } : {}),
      optional: true,
      ...platform,
    };
    added++;
  }
}
if (added > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
  );
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(`fix-lockfile: added ${added} platform entr${added === 1 ? 'y' : 'ies'}`);
