import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type Node } from 'acorn';
import { childNodes } from '@rvsdg/frontend';
import { bindingWritten } from './binding-writes.js';

/**
 * A function's free names, read the way Numba reads a function's globals:
 * through the in-process inspector, which exposes the closure, module and
 * script scopes a function was created in (`[[Scopes]]`) and where it was
 * defined (`[[FunctionLocation]]`). `session.post` on a session connected to
 * this same isolate answers synchronously (its callback runs before `post`
 * returns), so this works from plain synchronous code.
 *
 * A binding is a compile-time value only if it cannot change: it is a
 * `const` everywhere its name is declared in its script, or its name is
 * never assigned anywhere in that script (a closure's or module's bindings
 * can only be assigned by code of the same script), or, where the name is
 * assigned somewhere, those assignments are all to other bindings of the
 * same name (binding-writes.ts resolves each one to its declaration). Anything else is
 * refused with a message, never compiled as a snapshot that could go stale.
 */

/** What a free name denotes in a function's own scope. */
export type FreeName =
  { readonly found: true; readonly value: unknown; readonly fixed: boolean } | { readonly found: false };

interface RemoteObject {
  readonly type: string;
  readonly subtype?: string;
  readonly value?: unknown;
  readonly unserializableValue?: string;
  readonly objectId?: string;
  readonly description?: string;
}

interface PropertyDescriptor {
  readonly name: string;
  readonly value?: RemoteObject;
}

interface Properties {
  readonly result: readonly PropertyDescriptor[];
  readonly internalProperties?: readonly PropertyDescriptor[];
}

const handoff = Symbol.for('rvsdg.inspector-handoff');
const group = 'rvsdg-free-names';
let session: Session | undefined;

function post<T>(method: string, params?: object): T {
  if (!session) {
    session = new Session();
    session.connect();
  }
  let result: unknown;
  let failure: unknown;
  let answered = false;
  session.post(method, params, (error, value) => {
    failure = error;
    result = value;
    answered = true;
  });
  if (!answered) throw new Error(`the inspector did not answer '${method}' synchronously`);
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return result as T;
}

/** The value a remote object stands for, in this isolate. */
function localValue(scopeId: string, remote: RemoteObject): unknown {
  const argument =
    remote.objectId !== undefined
      ? { objectId: remote.objectId }
      : remote.unserializableValue !== undefined
        ? { unserializableValue: remote.unserializableValue }
        : remote.type === 'undefined'
          ? {}
          : { value: remote.value };
  const slot = globalThis as unknown as Record<symbol, unknown>;
  post('Runtime.callFunctionOn', {
    objectId: scopeId,
    functionDeclaration: `function (value) { globalThis[Symbol.for('rvsdg.inspector-handoff')] = value; }`,
    arguments: [argument],
    objectGroup: group,
  });
  const value = slot[handoff];
  delete slot[handoff];
  return value;
}

interface ScriptFacts {
  /** Names that are the target of an assignment somewhere in the script. */
  readonly assigned: ReadonlySet<string>;
  /** Names declared somewhere with let, var, a parameter or a catch clause (not only const). */
  readonly rebindable: ReadonlySet<string>;
  /** Names declared with const somewhere in the script. */
  readonly constants: ReadonlySet<string>;
}

const scriptFacts = new Map<string, ScriptFacts>();
const scriptSources = new Map<string, string>();

function collectTargets(pattern: Node | null | undefined, into: Set<string>): void {
  if (!pattern) return;
  const p = pattern as Node & Record<string, unknown>;
  switch (p.type) {
    case 'Identifier':
      into.add(p['name'] as string);
      return;
    case 'ObjectPattern':
      for (const property of p['properties'] as (Node & { value?: Node; argument?: Node })[]) {
        collectTargets(property.type === 'RestElement' ? property.argument : property.value, into);
      }
      return;
    case 'ArrayPattern':
      for (const element of p['elements'] as (Node | null)[]) collectTargets(element, into);
      return;
    case 'RestElement':
      collectTargets(p['argument'] as Node, into);
      return;
    case 'AssignmentPattern':
      collectTargets(p['left'] as Node, into);
      return;
  }
}

function analyseScript(source: string): ScriptFacts {
  const assigned = new Set<string>();
  const rebindable = new Set<string>();
  const constants = new Set<string>();
  let program: Node | undefined;
  for (const sourceType of ['module', 'script'] as const) {
    try {
      program = parse(source, {
        ecmaVersion: 'latest',
        sourceType,
        allowReturnOutsideFunction: true,
        allowAwaitOutsideFunction: true,
        allowHashBang: true,
      });
      break;
    } catch {
      // CommonJS bodies and classic scripts are not modules; try as a script.
    }
  }
  if (!program) return { assigned: new Set(['*']), rebindable: new Set(['*']), constants: new Set() };
  const visit = (node: Node): void => {
    const n = node as Node & Record<string, unknown>;
    switch (n.type) {
      case 'AssignmentExpression':
        collectTargets(n['left'] as Node, assigned);
        break;
      case 'UpdateExpression':
        collectTargets(n['argument'] as Node, assigned);
        break;
      case 'ForInStatement':
      case 'ForOfStatement':
        if ((n['left'] as Node).type !== 'VariableDeclaration') collectTargets(n['left'] as Node, assigned);
        break;
      case 'VariableDeclaration':
        for (const d of n['declarations'] as { id: Node }[]) {
          collectTargets(d.id, n['kind'] === 'const' ? constants : rebindable);
        }
        break;
      case 'FunctionDeclaration':
        collectTargets(n['id'] as Node | null, rebindable);
        for (const param of n['params'] as Node[]) collectTargets(param, rebindable);
        break;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        for (const param of n['params'] as Node[]) collectTargets(param, rebindable);
        break;
      case 'ClassDeclaration':
        collectTargets(n['id'] as Node | null, rebindable);
        break;
      case 'CallExpression':
        // A direct eval can assign any binding in scope.
        if (
          (n['callee'] as Node & { name?: string }).type === 'Identifier' &&
          (n['callee'] as { name?: string }).name === 'eval'
        ) {
          assigned.add('*');
        }
        break;
      case 'WithStatement':
        assigned.add('*');
        break;
      case 'CatchClause':
        collectTargets(n['param'] as Node | null, rebindable);
        break;
    }
    for (const child of childNodes(node)) visit(child);
  };
  visit(program);
  return { assigned, rebindable, constants };
}

const scriptUrls = new Map<string, string>();

/**
 * The URL of a script. The Profiler's best-effort coverage lists the live
 * scripts with their URLs without the cost of enabling the Debugger (which
 * reports and hashes every script: close to a second in a process that
 * has loaded LLVM, against tens of milliseconds for this).
 */
function scriptUrl(scriptId: string): string | undefined {
  if (!scriptUrls.has(scriptId)) {
    post('Profiler.enable');
    try {
      const coverage = post<{ result: { scriptId: string; url: string }[] }>('Profiler.getBestEffortCoverage');
      for (const script of coverage.result) scriptUrls.set(script.scriptId, script.url);
    } finally {
      post('Profiler.disable');
    }
  }
  return scriptUrls.get(scriptId);
}

/** The script's text from its file, if the file still holds the code that was loaded (it contains `fnSource`). */
function sourceFromFile(url: string | undefined, fnSource: string): string | undefined {
  if (!url) return undefined;
  try {
    const path = url.startsWith('file://') ? fileURLToPath(url) : isAbsolute(url) ? url : undefined;
    if (!path) return undefined;
    const text = readFileSync(path, 'utf8');
    // A file transformed when loaded (TypeScript, a test runner's rewrite) is not the code that runs.
    return text.includes(fnSource) ? text : undefined;
  } catch {
    return undefined;
  }
}

function factsOf(scriptId: string, fnSource: string): ScriptFacts {
  let facts = scriptFacts.get(scriptId);
  if (facts) return facts;
  let source = sourceFromFile(scriptUrl(scriptId), fnSource);
  if (source === undefined) {
    // Only the Debugger has the text of code that is not in a file as such: enabling it is the slow path.
    post('Debugger.enable');
    try {
      source = post<{ scriptSource: string }>('Debugger.getScriptSource', { scriptId }).scriptSource;
    } finally {
      post('Debugger.disable');
    }
  }
  facts = analyseScript(source);
  scriptFacts.set(scriptId, facts);
  scriptSources.set(scriptId, source);
  return facts;
}

interface ScopeObject {
  readonly id: string;
  /** The inspector's scope type: Closure, Module, Script (top-level let/const/class shared by all classic scripts)... */
  readonly kind: string;
  readonly names: ReadonlyMap<string, RemoteObject>;
}

/** The inspector's view of one function: its scopes innermost first (the global scope left out), and its script. */
interface FunctionScopes {
  readonly scopes: readonly ScopeObject[];
  readonly scriptId: string | undefined;
  /** Where the function is defined in its script (0-based line and column). */
  readonly line?: number;
  readonly column?: number;
}

/** Answers, kept per function (weakly) for as long as the function lives. */
const answers = new WeakMap<object, Map<string, FreeName>>();
/** Scopes read during the current resolution; their remote objects are released together (releaseInspectorObjects). */
let live = new Map<object, FunctionScopes>();

/**
 * Lets the inspector forget the remote objects read so far, so it keeps no
 * closure alive. Answers already given stay cached; a later question about
 * another name reads the scopes again.
 */
export function releaseInspectorObjects(): void {
  if (live.size === 0) return;
  live = new Map();
  post('Runtime.releaseObjectGroup', { objectGroup: group });
}

function scopesOf(fn: (...args: never[]) => unknown): FunctionScopes {
  const known = live.get(fn);
  if (known) return known;
  const slot = globalThis as unknown as Record<symbol, unknown>;
  slot[handoff] = fn;
  let remote: RemoteObject;
  try {
    remote = post<{ result: RemoteObject }>('Runtime.evaluate', {
      expression: `globalThis[Symbol.for('rvsdg.inspector-handoff')]`,
      objectGroup: group,
    }).result;
  } finally {
    delete slot[handoff];
  }
  const own = post<Properties>('Runtime.getProperties', { objectId: remote.objectId, ownProperties: true });
  const internal = own.internalProperties ?? [];
  const location = internal.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as
    { scriptId: string; lineNumber: number; columnNumber: number } | undefined;
  const scopeList = internal.find((p) => p.name === '[[Scopes]]')?.value;
  const scopes: ScopeObject[] = [];
  if (scopeList?.objectId) {
    const list = post<Properties>('Runtime.getProperties', { objectId: scopeList.objectId, ownProperties: true });
    for (const entry of list.result) {
      const scope = entry.value;
      // Global names are JavaScript's own (Math, Number, ...), which the frontend knows by name.
      if (!/^\d+$/.test(entry.name) || !scope?.objectId || scope.description === 'Global') continue;
      const variables = post<Properties>('Runtime.getProperties', { objectId: scope.objectId, ownProperties: true });
      const names = new Map<string, RemoteObject>();
      for (const v of variables.result) if (v.value) names.set(v.name, v.value);
      scopes.push({ id: scope.objectId, kind: scope.description ?? '', names });
    }
  }
  const result: FunctionScopes = {
    scopes,
    scriptId: location?.scriptId,
    ...(location ? { line: location.lineNumber, column: location.columnNumber } : {}),
  };
  live.set(fn, result);
  return result;
}

/**
 * What `name` denotes where `fn` was defined: the innermost closure, module
 * or script binding of that name, and whether it is fixed (see above).
 * Cached per function and name.
 */
export function freeName(fn: (...args: never[]) => unknown, name: string): FreeName {
  let values = answers.get(fn);
  if (!values) answers.set(fn, (values = new Map()));
  const cached = values.get(name);
  if (cached) return cached;
  const scopes = scopesOf(fn);
  let answer: FreeName = { found: false };
  for (const scope of scopes.scopes) {
    const remote = scope.names.get(name);
    if (!remote) continue;
    const value = localValue(scope.id, remote);
    const facts =
      scopes.scriptId === undefined ? undefined : factsOf(scopes.scriptId, Function.prototype.toString.call(fn));
    let fixed =
      facts !== undefined && !facts.assigned.has('*') && (!facts.assigned.has(name) || !facts.rebindable.has(name));
    // The name is assigned somewhere in the script: perhaps only another binding of the same name (a local `var sum`).
    if (!fixed && facts !== undefined && !facts.assigned.has('*') && scope.kind !== 'Script') {
      const source = scriptSources.get(scopes.scriptId as string);
      if (source !== undefined && scopes.line !== undefined && scopes.column !== undefined) {
        fixed = bindingWritten(scopes.scriptId as string, source, scopes.line, scopes.column, name) === false;
      }
    }
    // Another script (a later REPL line, say) can assign a top-level binding: only a const of this one is fixed.
    if (scope.kind === 'Script') fixed &&= facts?.constants.has(name) === true && !facts.rebindable.has(name);
    answer = { found: true, value, fixed };
    break;
  }
  values.set(name, answer);
  return answer;
}
