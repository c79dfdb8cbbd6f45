// What `npm start` and `npm test` need on a fresh machine, installed when it is missing, so
// that each is the one command the README says it is.
//
//   node scripts/setup.mjs          the demo: node_modules (npm ci)
//   node scripts/setup.mjs --test   the tests: also a Chromium (Debian's `chromium`, or the one
//                                   CHROME_PATH names) and Debian's `redis-server` (or REDIS_SERVER)
//
// Node's own modules only: this runs before node_modules exists. Debian packages are installed
// with apt-get when this user may (root, or sudo without a password); otherwise it says the
// one command that does, and fails.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const forTests = process.argv.includes('--test');

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status === 0;
const quiet = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const onPath = (command) => quiet('sh', ['-c', `command -v ${command}`]);

// node_modules: installed by `npm ci`, again whenever package-lock.json is newer than it.
const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync('package-lock.json').mtimeMs > statSync(installed).mtimeMs) {
  console.log('== npm ci (node_modules is missing or older than package-lock.json)');
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) process.exit(1);
}

if (forTests) {
  /** Debian packages the tests use, with how to tell they are there. */
  const packages = [
    { name: 'chromium', present: () => Boolean(process.env.CHROME_PATH) || onPath('chromium') },
    { name: 'redis-server', present: () => Boolean(process.env.REDIS_SERVER) || onPath('redis-server') },
  ];
  const missing = packages.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length) {
    const root = process.getuid?.() === 0;
    const apt = root ? ['apt-get'] : onPath('sudo') && quiet('sudo', ['-n', 'true']) ? ['sudo', '-n', 'apt-get'] : undefined;
    const command = `apt-get install -y ${missing.join(' ')}`;
    if (!apt || !onPath('apt-get')) {
      console.error(`The tests need ${missing.join(' and ')}. Install with: sudo ${command}`);
      process.exit(1);
    }
    console.log(`== ${command}`);
    const [bin, ...pre] = apt;
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const ok =
      spawnSync(bin, [...pre, 'update', '-qq'], { stdio: 'inherit', env }).status === 0 &&
      spawnSync(bin, [...pre, 'install', '-y', '-qq', ...missing], { stdio: 'inherit', env }).status === 0;
    if (!ok || packages.some((p) => !p.present())) {
      console.error(`Could not install ${missing.join(' and ')}. Install with: sudo ${command}`);
      process.exit(1);
    }
  }
}
