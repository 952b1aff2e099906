// Cost of one call from JS into jitted code, against a hand-written N-API
// addon doing the same and against a plain V8 function, plus the latency of
// compiling the small `add` module from LLVM IR text and of a small typed
// RVSDG module (a guarded sum over a Float64Array) from the module to a
// callable function, lowering included. Run after `npm run build`:
//   node packages/backend-llvm/bench/call-overhead.mjs [--json]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';

import { guardedSumModule } from '@rvsdg/ir/testing';
import { compileModule, NativeEngine } from '../dist/index.js';
import { addModuleIR } from '../dist/engine/testing/add-module.js';

const CALLS = 2_000_000;
const ROUNDS = 15;
const COMPILES = 20;

// The same declarations the AOT initializer uses, so no Node headers are needed.
const handWrittenAddon = `
#include <stddef.h>
typedef struct napi_env__ *napi_env;
typedef struct napi_value__ *napi_value;
typedef struct napi_callback_info__ *napi_callback_info;
typedef napi_value (*napi_callback)(napi_env, napi_callback_info);
typedef int napi_status;
extern napi_status napi_get_cb_info(napi_env, napi_callback_info, size_t *, napi_value *, napi_value *, void **);
extern napi_status napi_get_value_double(napi_env, napi_value, double *);
extern napi_status napi_create_double(napi_env, double, napi_value *);
extern napi_status napi_create_function(napi_env, const char *, size_t, napi_callback, void *, napi_value *);
extern napi_status napi_set_named_property(napi_env, napi_value, const char *, napi_value);
extern napi_status napi_throw_type_error(napi_env, const char *, const char *);

static napi_value add(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  double a, b;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (napi_get_value_double(env, argv[0], &a) | napi_get_value_double(env, argv[1], &b)) {
    napi_throw_type_error(env, NULL, "add: expected numbers");
    return NULL;
  }
  napi_create_double(env, a + b, &result);
  return result;
}

__attribute__((visibility("default"))) napi_value napi_register_module_v1(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "add", (size_t)-1, add, NULL, &fn);
  napi_set_named_property(env, exports, "add", fn);
  return exports;
}
`;

function buildHandWritten(dir) {
  const source = join(dir, 'add.c');
  const out = join(dir, 'add.node');
  writeFileSync(source, handWrittenAddon);
  const cc = spawnSync('cc', ['-O2', '-fPIC', '-shared', '-o', out, source], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cc failed: ${cc.stderr}`);
  return createRequire(import.meta.url)(out).add;
}

// One loop per callee, so each call site only ever sees one target. The
// sources differ: V8 shares compiled code (and type feedback) between
// functions made from identical source text.
function makeLoop(name) {
  return new Function('f', 'n', `/* ${name} */ let acc = 0; for (let i = 0; i < n; i++) acc += f(i, 0.5); return acc;`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const engine = NativeEngine.shared();
const dir = mkdtempSync(join(tmpdir(), 'rvsdg-bench-'));
try {
  const compileStart = performance.now();
  const first = engine.compile(addModuleIR, { wrappers: [{ symbol: 'add_napi', name: 'add' }], optLevel: 3 });
  const firstCompileMs = performance.now() - compileStart;

  const contenders = {
    jitted: first.functions.add,
    'hand-written N-API': buildHandWritten(dir),
    'plain V8': (a, b) => a + b,
  };
  const names = Object.keys(contenders);
  const loops = Object.fromEntries(names.map((name) => [name, makeLoop(name)]));
  const expected = loops['plain V8'](contenders['plain V8'], 1000);
  for (const name of names) {
    if (loops[name](contenders[name], 1000) !== expected) throw new Error(`${name} computes a different sum`);
    loops[name](contenders[name], CALLS / 10); // warm up
  }
  // Wall-clock time, and the process's CPU time, which leaves out the time
  // other processes on a busy machine take from this one.
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  const cpuSamples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so that no contender always runs first.
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      loops[name](contenders[name], CALLS);
      samples[name].push(Number(process.hrtime.bigint() - start) / CALLS);
      const used = process.cpuUsage(cpu);
      cpuSamples[name].push(((used.user + used.system) * 1000) / CALLS);
    }
  }
  const callNs = Object.fromEntries(names.map((name) => [name, median(samples[name])]));
  const callCpuNs = Object.fromEntries(names.map((name) => [name, median(cpuSamples[name])]));

  const compileMs = {};
  for (const optLevel of [0, 2, 3]) {
    const totals = [];
    const stages = { parseMs: [], optimizeMs: [], jitMs: [] };
    for (let i = 0; i < COMPILES; i++) {
      const m = engine.compile(addModuleIR, { wrappers: [{ symbol: 'add_napi', name: 'add' }], optLevel });
      totals.push(m.timings.totalMs);
      for (const key of Object.keys(stages)) stages[key].push(m.timings[key]);
      m.dispose();
    }
    compileMs[`O${optLevel}`] = {
      total: median(totals),
      ...Object.fromEntries(Object.entries(stages).map(([k, v]) => [k.replace('Ms', ''), median(v)])),
    };
  }
  first.dispose();

  // From a typed RVSDG module to a callable JS function: lowering, parsing, optimizing, JIT.
  const typedModule = guardedSumModule();
  const moduleToCallableMs = {};
  for (const optLevel of [2, 3]) {
    const totals = [];
    for (let i = 0; i < COMPILES; i++) {
      const start = performance.now();
      const compiled = compileModule(typedModule, { optLevel });
      const sum = Object.values(compiled.functions)[0];
      totals.push(performance.now() - start);
      if (typeof sum !== 'function') throw new Error('compileModule returned no function');
      compiled.dispose();
    }
    moduleToCallableMs[`O${optLevel}`] = median(totals);
  }

  const report = {
    host: `${engine.host.cpu} (${engine.host.triple})`,
    node: process.version,
    callNs,
    firstCompileMs,
    compileMs,
    moduleToCallableMs,
  };
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`host ${report.host}, node ${report.node}`);
    console.log(`ns per call of add(a, b), median of ${ROUNDS} rounds x ${CALLS} calls:`);
    for (const name of names) {
      console.log(`  ${name.padEnd(20)} ${callNs[name].toFixed(1)} ns (CPU time ${callCpuNs[name].toFixed(1)} ns)`);
    }
    console.log(`first compile (JIT start-up included): ${firstCompileMs.toFixed(1)} ms`);
    console.log(`compile latency of the add module, median of ${COMPILES}:`);
    for (const [level, t] of Object.entries(compileMs)) {
      console.log(
        `  ${level}: ${t.total.toFixed(2)} ms (parse ${t.parse.toFixed(2)}, optimize ${t.optimize.toFixed(2)}, jit ${t.jit.toFixed(2)})`,
      );
    }
    console.log(`typed RVSDG module (guarded Float64Array sum) to callable function, median of ${COMPILES}:`);
    for (const [level, ms] of Object.entries(moduleToCallableMs)) console.log(`  ${level}: ${ms.toFixed(2)} ms`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
