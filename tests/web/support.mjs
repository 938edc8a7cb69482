// What the browser and API tests share: a seeded database, the simulator's
// server, SQL against the database, requests as the page makes them.
import {spawn, execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const simulator = process.env.SIS_HOST_SIM;
if (!simulator) throw new Error('SIS_HOST_SIM must name the built sis-host-sim');

// CPB_PLUGIN: another build of the plugin for the commands that load it (default: the one beside the simulator).
export const pluginArgs = process.env.CPB_PLUGIN ? ['--plugin', process.env.CPB_PLUGIN] : [];

export function sim(...args) {
  return execFileSync(simulator, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}

// A fresh folder for one test program's files.
export function scratch(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cpb-web-${name}-`));
}

// SQL on an SQLite file through Python's sqlite3 (Debian's python3): rows as arrays.
export function sqlite(db, sql, params = []) {
  const script = 'import json,sqlite3,sys\n' +
    'c=sqlite3.connect(sys.argv[1]); cur=c.execute(sys.argv[2], json.loads(sys.argv[3])); rows=cur.fetchall(); c.commit()\n' +
    'print(json.dumps(rows))';
  return JSON.parse(execFileSync('python3', ['-I', '-c', script, db, sql, JSON.stringify(params)], {encoding: 'utf8'}));
}

// Starts `sis-host-sim serve` on a free loopback port; resolves to {url, stop}.
export function serve(db, extra = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(simulator, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--date', '2026-10-01', ...pluginArgs, ...extra],
      {stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/wizard: (http:\/\/\S+\/)/);
      if (m) resolve({url: m[1], log: () => err, stop: () => child.kill('SIGTERM')});
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

// The page's token, read as the page reads it.
export async function pageToken(url) {
  const html = await (await fetch(url)).text();
  return html.match(/name="cpb-token" content="([0-9a-f]+)"/)[1];
}

export async function post(url, token, body) {
  const r = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CPB-Token': token}, body: JSON.stringify(body)});
  return {status: r.status, json: await r.json()};
}

// Runs one plugin call through the API's jobs and waits for its end.
export async function job(base, token, body) {
  const started = await post(`${base}api/jobs`, token, body);
  if (started.status !== 202) throw new Error(`job refused: ${JSON.stringify(started.json)}`);
  for (;;) {
    const s = await (await fetch(`${base}api/jobs/${started.json.job}`)).json();
    if (s.finished) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Whether the loaded plugin plans (CONTRACT 9.1); the steps that need it skip otherwise.
export function planSupported(db) {
  try {
    sim('plan', '--db', db, '--year', '2027', '--user', '1', '--date', '2026-10-01', ...pluginArgs, '--options',
      writeTemp('{"mode": "students", "preferences": {"general": "on"}}'));
    return true;
  } catch (e) {
    return false;
  }
}

function writeTemp(text) {
  const file = path.join(scratch('options'), 'options.json');
  fs.writeFileSync(file, text);
  return file;
}
