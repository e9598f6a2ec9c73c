// The tobops side of the comparison: the CLI (`tobops demo --out`, `tobops import`,
// `tobops query --json`, which prints exactly what POST /api/query answers).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');
export const tobopsBin = path.resolve(repoRoot, process.env.TOBOPS_BIN || 'build/tobops');

// Runs the CLI; resolves {stdout, stderr}; rejects with both on a non-zero exit.
export function runTobops(args, { timeoutMs = 300000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(tobopsBin, args, { timeout: timeoutMs, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      if (err) {
        err.message = `tobops ${args.join(' ')} failed: ${err.message}\nstderr: ${stderr.slice(-4000)}`;
        err.stderr = stderr;
        reject(err);
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

export async function queryTobops(dataDir, spec) {
  const { stdout } = await runTobops(['query', '--data', dataDir, '--json', JSON.stringify(spec)]);
  return JSON.parse(stdout);
}
