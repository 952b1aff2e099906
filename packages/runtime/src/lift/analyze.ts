import { parse, type Node as AcornNode } from 'acorn';
import { childNodes } from '@rvsdg/frontend';
import { createRequire } from 'node:module';
import type { Reference, Scope, Variable } from 'eslint-scope';

/**
 * eslint-scope is loaded at the first lifted function, not with the
 * runtime: importing it costs about 15-50 ms, and most processes never lift.
 */
let eslintScope: typeof import('eslint-scope') | undefined;
function analyze(
  ...args: Parameters<typeof import('eslint-scope').analyze>
): ReturnType<typeof import('eslint-scope').analyze> {
  eslintScope ??= createRequire(import.meta.url)('eslint-scope') as typeof import('eslint-scope');
  return eslintScope.analyze(...args);
}

/**
 * The source-level analysis behind loop lifting: which loop statements of
 * a function could run as compiled code while the rest of the function
 * runs in V8, and what each one reads and writes of the function's
 * variables. Scopes come from eslint-scope, so every identifier is
 * resolved as JavaScript resolves it (shadowing, `var` hoisting, block
 * scopes, catch parameters).
 *
 * Preconditions (checked by `analyzeFunction`): the text is a function's
 * `toString()` (declaration, expression, arrow or method) that parses.
 * Postconditions (checked by `checkPlan` in debug): every candidate's
 * parameters are variables of the function declared outside the loop,
 * its outputs are a subset of its parameters, and candidates never overlap.
 */

type Node = AcornNode & Record<string, unknown> & { start: number; end: number };

/** One loop statement of the function (a labelled loop includes its labels). */
export interface LoopCandidate {
  /** Offsets in `FunctionPlan.wrapped`. */
  readonly start: number;
  readonly end: number;
  /** 1-based, in the function's own source text (as `fn.toString()` gives it). */
  readonly line: number;
  readonly column: number;
  /** `for`, `while`, `do...while`, `for...of` or `for...in`. */
  readonly kind: string;
  /** Why the loop cannot be lifted whatever the compiler says, or undefined. */
  readonly refusal: string | undefined;
  /** The function's variables the loop reads or writes, declared outside it: the outlined function's parameters. */
  readonly params: readonly string[];
  /** The parameters the loop assigns: written back after it. */
  readonly outs: readonly string[];
  /** Names the loop reads that are not the function's own (module, closure or global bindings). */
  readonly freeNames: readonly string[];
  /** The loop's text, `var` declarations of carried variables turned into assignments. */
  readonly kernelText: string;
  /**
   * A `var` declaration that initializes a for loop, when the variables it
   * declares are parameters: it runs in V8 just before the loop (so they
   * hold their first value, not undefined, when the loop starts), and is
   * left out of `kernelText` and `loopText`. Empty otherwise.
   */
  readonly prefix: string;
  /** The loop's text as V8 runs it when the compiled loop refuses a call's values (without `prefix`). */
  readonly loopText: string;
  /** Loops directly inside this one (candidates when this one cannot be lifted). */
  readonly inner: readonly LoopCandidate[];
}

export interface FunctionPlan {
  /** The text that was parsed: the source wrapped in `(`...`)` or `({`...`})`. */
  readonly wrapped: string;
  /** Characters added before the source on its first line. */
  readonly shift: number;
  /** True when the function is strict-mode code, undefined when that cannot be told. */
  readonly strict: boolean | undefined;
  /** Why no part of the function can be lifted, or undefined. */
  readonly refusal: string | undefined;
  readonly loops: readonly LoopCandidate[];
  /** Free names of the whole function (its own name included when it uses it). */
  readonly freeNames: readonly string[];
  /** The function's own name when it is a declaration or a named function expression. */
  readonly selfName: string | undefined;
  /** Every identifier in the text: fresh names avoid them. */
  readonly identifiers: ReadonlySet<string>;
  /** The function as a plain anonymous function expression, each loop of `replacements` replaced by its text. */
  rebuild(replacements: ReadonlyMap<LoopCandidate, string>): string;
}

const loopKinds: Readonly<Record<string, string>> = {
  ForStatement: 'for',
  WhileStatement: 'while',
  DoWhileStatement: 'do...while',
  ForOfStatement: 'for...of',
  ForInStatement: 'for...in',
};

/** The child nodes of an ESTree node (the frontend's walker, typed with this file's Node). */
const children = (node: Node): Node[] => childNodes(node) as Node[];

const isFunction = (n: Node): boolean =>
  n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';

function parseWrapped(source: string): { program: Node; fn: Node; wrapped: string; shift: number } {
  const options = { ecmaVersion: 'latest', sourceType: 'script', locations: true, ranges: true } as const;
  for (const [open, close] of [
    ['(', ')'],
    ['({', '})'],
  ] as const) {
    const wrapped = `${open}${source}\n${close}`;
    let program: Node;
    try {
      program = parse(wrapped, options) as unknown as Node;
    } catch {
      continue;
    }
    const body = program['body'] as Node[];
    const expression = body.length === 1 ? (body[0]?.['expression'] as Node | undefined) : undefined;
    if (!expression) continue;
    if (open === '(' && (expression.type === 'FunctionExpression' || expression.type === 'ArrowFunctionExpression')) {
      return { program, fn: expression, wrapped, shift: 1 };
    }
    if (open === '({' && expression.type === 'ObjectExpression') {
      const properties = expression['properties'] as Node[];
      const property = properties[0];
      if (properties.length === 1 && property && property['method'] === true) {
        return { program, fn: property['value'] as Node, wrapped, shift: 2 };
      }
    }
  }
  throw new Error('loop lifting: the source is not a single function');
}

function hasUseStrict(fn: Node): boolean {
  const body = fn['body'] as Node;
  if (body.type !== 'BlockStatement') return false;
  for (const statement of body['body'] as Node[]) {
    const directive = statement['directive'];
    if (typeof directive !== 'string') return false;
    if (directive === 'use strict') return true;
  }
  return false;
}

/** Whether a scope is `inner` or one of its descendants' scope. */
function within(scope: Scope | null, outer: Scope): boolean {
  for (let s: Scope | null = scope; s; s = s.upper) if (s === outer) return true;
  return false;
}

const inside = (n: { start: number; end: number }, outer: { start: number; end: number }): boolean =>
  n.start >= outer.start && n.end <= outer.end;

/** Constructs whose meaning differs between strict and sloppy code, for functions whose mode cannot be told. */
function modeSensitive(fn: Node, fnScope: Scope): string | undefined {
  let found: string | undefined;
  const visit = (n: Node, top: boolean): void => {
    if (found) return;
    if (!top && n.type === 'FunctionExpression') found = 'a nested function';
    if (!top && n.type === 'FunctionDeclaration') found = 'a nested function';
    if (n.type === 'ThisExpression') found = '`this`';
    if (n.type === 'UnaryExpression' && n['operator'] === 'delete') found = '`delete`';
    if (n.type === 'AssignmentExpression' || n.type === 'UpdateExpression') {
      const target = (n['left'] ?? n['argument']) as Node;
      if (target.type === 'MemberExpression') found = 'an assignment to a property';
    }
    for (const c of children(n)) visit(c, false);
  };
  visit(fn, true);
  if (found) return found;
  for (const ref of fnScope.through) if (ref.isWrite()) return `an assignment to '${ref.identifier.name}'`;
  return undefined;
}

interface Analysis {
  readonly fnNode: Node;
  readonly fnScope: Scope;
  readonly scopes: readonly Scope[];
  readonly tries: readonly Node[];
  readonly loopAncestors: Map<Node, number>;
  readonly varDecls: readonly { node: Node; parent: Node }[];
}

function scopesWithin(root: Scope): Scope[] {
  const out: Scope[] = [];
  const visit = (s: Scope): void => {
    out.push(s);
    s.childScopes.forEach(visit);
  };
  visit(root);
  return out;
}

/** Every reference made from inside `range` (nested functions included). */
function referencesIn(a: Analysis, range: Node): Reference[] {
  const out: Reference[] = [];
  for (const s of a.scopes)
    for (const r of s.references) if (inside(r.identifier as unknown as Node, range)) out.push(r);
  return out;
}

/** Whether the variable is the function's own (declared in its scope or a block inside it). */
function isOwn(a: Analysis, v: Variable): boolean {
  return within(v.scope, a.fnScope);
}

function declaredInside(v: Variable, range: Node): boolean {
  return v.defs.length > 0 && v.defs.every((d) => inside(d.name as unknown as Node, range));
}

function checkLoop(a: Analysis, loop: Node, body: Node): string | undefined {
  const labels = new Set<string>();
  let refusal: string | undefined;
  const visit = (n: Node): void => {
    if (refusal) return;
    switch (n.type) {
      case 'ReturnStatement':
        refusal = '`return` inside the loop';
        return;
      case 'ThisExpression':
        refusal = '`this` inside the loop';
        return;
      case 'Super':
        refusal = '`super` inside the loop';
        return;
      case 'MetaProperty':
        refusal = '`new.target` inside the loop';
        return;
      case 'YieldExpression':
      case 'AwaitExpression':
        refusal = `\`${n.type === 'YieldExpression' ? 'yield' : 'await'}\` inside the loop`;
        return;
      case 'FunctionExpression':
      case 'FunctionDeclaration':
      case 'ArrowFunctionExpression':
      case 'ClassExpression':
      case 'ClassDeclaration':
        refusal = 'a function or class defined inside the loop';
        return;
      case 'LabeledStatement':
        labels.add((n['label'] as Node)['name'] as string);
        break;
      case 'BreakStatement':
      case 'ContinueStatement': {
        const label = n['label'] as Node | null;
        if (label && !labels.has(label['name'] as string)) {
          refusal = `\`${n.type === 'BreakStatement' ? 'break' : 'continue'} ${label['name'] as string}\` leaves the loop`;
          return;
        }
        break;
      }
      case 'VariableDeclaration':
        if (n['kind'] === 'var' && (n['declarations'] as Node[]).some((d) => (d['id'] as Node).type !== 'Identifier')) {
          refusal = 'a destructuring `var` declaration inside the loop';
          return;
        }
        break;
    }
    for (const c of children(n)) visit(c);
  };
  // Labels of the statement itself come first: `outer: for (...) { ... continue outer; }` stays inside.
  for (let n = loop; n.type === 'LabeledStatement'; n = n['body'] as Node)
    labels.add((n['label'] as Node)['name'] as string);
  visit(body);
  return refusal;
}

function kindOf(loop: Node): string {
  let n = loop;
  while (n.type === 'LabeledStatement') n = n['body'] as Node;
  return loopKinds[n.type] ?? n.type;
}

function buildCandidate(
  a: Analysis,
  plan: { wrapped: string; shift: number },
  loop: Node,
  inner: LoopCandidate[],
): LoopCandidate {
  const loc = (loop as unknown as { loc: { start: { line: number; column: number } } }).loc.start;
  const line = loc.line;
  const column = loc.column + 1 - (line === 1 ? plan.shift : 0);
  let refusal = checkLoop(a, loop, loop);
  const params: string[] = [];
  const outs: string[] = [];
  const freeNames: string[] = [];
  const carried = new Set<Variable>();
  const paramVars = new Map<string, Variable>();
  const insideOtherLoop = (a.loopAncestors.get(loop) ?? 0) > 0;
  const visit = (ref: Reference): void => {
    const v = ref.resolved;
    const name = ref.identifier.name;
    if (!v || !isOwn(a, v)) {
      if (ref.isWrite()) refusal ??= `the loop assigns '${name}', which is not a variable of the function`;
      else if (!freeNames.includes(name)) freeNames.push(name);
      return;
    }
    if (v.scope === a.fnScope && name === 'arguments' && v.defs.length === 0) {
      refusal ??= '`arguments` inside the loop';
      return;
    }
    const isVar = v.scope.type === 'function';
    if (declaredInside(v, loop)) {
      // A `var` inside the loop belongs to the function: it is the loop's own only if nothing else sees it and the loop runs at most once per call.
      if (!isVar) return;
      const seenOutside = v.references.some((r) => !inside(r.identifier as unknown as Node, loop));
      if (!seenOutside && !insideOtherLoop) return;
    }
    // Its `var` declarations inside the loop become assignments to the parameter.
    if (isVar && v.defs.some((d) => inside(d.name as unknown as Node, loop))) carried.add(v);
    paramVars.set(name, v);
    const def = v.defs[0];
    if (def && (def.type === 'FunctionName' || def.type === 'ClassName')) {
      refusal ??= `the loop uses '${name}', a function or class defined inside the function`;
      return;
    }
    if (
      v.defs.some(
        (d) =>
          d.type === 'Variable' &&
          (d.parent as unknown as Node)['kind'] !== 'var' &&
          (d.name as unknown as Node).start > loop.start,
      )
    ) {
      // Passed at the loop's start, it would be read before its declaration even where the loop would not read it.
      refusal ??= `the loop uses '${name}' before its declaration`;
    }
    if (v.scope.type === 'switch' && v.defs.some((d) => d.type === 'Variable')) {
      // A jump to a later case skips the declaration: reading it at the loop's start could throw where the loop would not.
      refusal ??= `the loop uses '${name}', declared in a switch case (it may be uninitialized)`;
    }
    if (!params.includes(name)) params.push(name);
    if (ref.isWrite() && !outs.includes(name)) outs.push(name);
  };
  for (const ref of referencesIn(a, loop)) visit(ref);
  for (const name of outs) {
    const v = paramVars.get(name);
    if (!v) continue;
    if (v.defs.some((d) => d.parent && (d.parent as unknown as Node)['kind'] === 'const')) {
      refusal ??= `the loop assigns the constant '${name}'`;
    }
    if (v.references.some((r) => r.from.variableScope !== a.fnScope)) {
      refusal ??= `the loop assigns '${name}', which a closure captures (it could see a value from the middle of the loop)`;
    }
    const tryBlock = a.tries.filter((t) => inside(loop, t)).sort((x, y) => y.start - x.start)[0];
    if (tryBlock && !(v.scope.type === 'block' && inside(v.scope.block as unknown as Node, tryBlock))) {
      refusal ??=
        `the loop assigns '${name}' inside a \`try\` block that can observe it after an exception ` +
        '(declare it with let inside the try block)';
    }
  }
  let forLoop = loop;
  while (forLoop.type === 'LabeledStatement') forLoop = forLoop['body'] as Node;
  const init = forLoop.type === 'ForStatement' ? (forLoop['init'] as Node | null) : null;
  const carriedNames = new Set([...carried].map((v) => v.name));
  const declares = (d: Node): string => (d['id'] as Node)['name'] as string;
  const hoisted =
    init &&
    init.type === 'VariableDeclaration' &&
    init['kind'] === 'var' &&
    (init['declarations'] as Node[]).every((d) => carriedNames.has(declares(d)))
      ? init
      : undefined;
  const stripped = stripVars(a, plan.wrapped, loop, carriedNames, hoisted);
  refusal ??= stripped.refusal;
  const kernelText = stripped.text;
  const loopText = hoisted
    ? plan.wrapped.slice(loop.start, hoisted.start) + plan.wrapped.slice(hoisted.end, loop.end)
    : plan.wrapped.slice(loop.start, loop.end);
  const prefix = hoisted ? `${plan.wrapped.slice(hoisted.start, hoisted.end)};` : '';
  return {
    start: loop.start,
    end: loop.end,
    line,
    column,
    kind: kindOf(loop),
    refusal,
    params,
    outs,
    freeNames,
    kernelText,
    prefix,
    loopText,
    inner,
  };
}

/**
 * The loop's text with the `var` declarations of carried variables
 * (parameters of the outlined function) turned into assignments; the
 * loop's own `var`s stay declarations.
 */
function stripVars(
  a: Analysis,
  wrapped: string,
  loop: Node,
  names: ReadonlySet<string>,
  hoisted: Node | undefined,
): { text: string; refusal?: string } {
  if (names.size === 0) return { text: wrapped.slice(loop.start, loop.end) };
  const edits: { start: number; end: number; text: string }[] = [];
  let refusal: string | undefined;
  if (hoisted) {
    const lines = wrapped.slice(hoisted.start, hoisted.end).split('\n').length - 1;
    edits.push({ start: hoisted.start, end: hoisted.end, text: '\n'.repeat(lines) });
  }
  const slice = (n: Node): string => wrapped.slice(n.start, n.end);
  for (const { node, parent } of a.varDecls) {
    if (!inside(node, loop) || node === hoisted) continue;
    const declarations = node['declarations'] as Node[];
    const isCarried = (d: Node): boolean => names.has((d['id'] as Node)['name'] as string);
    if (!declarations.some(isCarried)) continue;
    const lines = slice(node).split('\n').length - 1;
    const name = (d: Node): string => (d['id'] as Node)['name'] as string;
    const init = (d: Node): string => slice(d['init'] as Node);
    let text: string;
    if ((parent.type === 'ForOfStatement' || parent.type === 'ForInStatement') && parent['left'] === node) {
      text = name(declarations[0] as Node);
    } else if (parent.type === 'ForStatement' && parent['init'] === node) {
      if (!declarations.every(isCarried)) {
        refusal = "a for loop's `var` declares both variables used after the loop and variables of its own";
      }
      text = declarations
        .filter((d) => d['init'])
        .map((d) => `${name(d)} = ${init(d)}`)
        .join(', ');
    } else {
      // One statement per declarator, in order; the loop's own stay declared.
      const parts = declarations.map((d) =>
        isCarried(d) ? (d['init'] ? `${name(d)} = ${init(d)};` : '') : `var ${slice(d)};`,
      );
      text = `{ ${parts.join(' ')} }`;
    }
    const made = text.split('\n').length - 1;
    edits.push({ start: node.start, end: node.end, text: text + '\n'.repeat(Math.max(0, lines - made)) });
  }
  edits.sort((x, y) => y.start - x.start);
  let text = wrapped.slice(loop.start, loop.end);
  for (const e of edits) text = text.slice(0, e.start - loop.start) + e.text + text.slice(e.end - loop.start);
  return refusal ? { text, refusal } : { text };
}

/**
 * Analyses a function's source. `hasOwnCaller`: whether the function
 * object has its own `caller` property, which only sloppy-mode functions have.
 */
export function analyzeFunction(source: string, hasOwnCaller: boolean): FunctionPlan {
  const { program, fn, wrapped, shift } = parseWrapped(source);
  // Sloppy functions have their own `caller`; a `function` without one is strict. Arrows and methods do not tell.
  const strict = hasOwnCaller
    ? false
    : fn.type === 'FunctionExpression' && shift === 1
      ? true
      : hasUseStrict(fn)
        ? true
        : undefined;
  const manager = analyze(program as never, {
    ecmaVersion: 2022,
    sourceType: 'script',
    impliedStrict: strict === true,
  });
  const fnScope = manager.acquire(fn as never, true);
  if (!fnScope) throw new Error('loop lifting: no scope for the function');
  const identifiers = new Set<string>();
  const tries: Node[] = [];
  const varDecls: { node: Node; parent: Node }[] = [];
  const loopAncestors = new Map<Node, number>();
  const topLoops: Node[] = [];
  const innerLoops = new Map<Node, Node[]>();
  let wholeRefusal: string | undefined;
  if (fn['async'] === true || fn['generator'] === true) wholeRefusal = 'async functions and generators are not lifted';
  // Walks the function's own code (not nested functions) and records loops as a tree.
  const walk = (n: Node, parent: Node, loops: Node[], depth: number, inFunction: boolean): void => {
    if (n.type === 'Identifier') identifiers.add(n['name'] as string);
    if (n.type === 'WithStatement') wholeRefusal ??= '`with`';
    if (
      n.type === 'CallExpression' &&
      (n['callee'] as Node).type === 'Identifier' &&
      (n['callee'] as Node)['name'] === 'eval'
    ) {
      wholeRefusal ??= 'a direct `eval`';
    }
    if (n.type === 'TryStatement' && (n['handler'] || n['finalizer'])) tries.push(n['block'] as Node);
    if (n.type === 'VariableDeclaration' && n['kind'] === 'var') varDecls.push({ node: n, parent });
    let nextLoops = loops;
    let nextDepth = depth;
    const isLoopHead =
      !inFunction && loopKinds[n.type] !== undefined && !(parent.type === 'LabeledStatement' && parent['body'] === n);
    if (
      isLoopHead ||
      (!inFunction &&
        n.type === 'LabeledStatement' &&
        parent.type !== 'LabeledStatement' &&
        loopKinds[kindTypeOf(n)] !== undefined)
    ) {
      loops.push(n);
      loopAncestors.set(n, depth);
      nextLoops = [];
      innerLoops.set(n, nextLoops);
      nextDepth = depth + 1;
    }
    const nested = inFunction || (n !== fn && isFunction(n));
    for (const c of children(n)) walk(c, n, nextLoops, nextDepth, nested);
  };
  walk(fn, program, topLoops, 0, false);
  if (fn.type === 'ArrowFunctionExpression' && (fn['body'] as Node).type !== 'BlockStatement') {
    wholeRefusal ??= 'an arrow function with an expression body has no loop';
  }
  const a: Analysis = {
    fnNode: fn,
    fnScope,
    scopes: scopesWithin(fnScope),
    tries,
    loopAncestors,
    varDecls,
  };
  if (fn.type === 'ArrowFunctionExpression') {
    // An arrow's `this` and `arguments` are its surroundings', which a rebuilt function cannot see.
    for (const r of fnScope.through)
      if (r.identifier.name === 'arguments') wholeRefusal ??= '`arguments` in an arrow function';
    const usesThis = (n: Node): boolean =>
      n.type === 'ThisExpression' ||
      (!(n !== fn && (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration')) &&
        children(n).some(usesThis));
    if (usesThis(fn)) wholeRefusal ??= '`this` in an arrow function';
  }
  if (strict === undefined) {
    const sensitive = modeSensitive(fn, fnScope);
    if (sensitive) {
      wholeRefusal ??=
        `it cannot be told whether the function is strict-mode code, and it contains ${sensitive}, ` +
        'whose meaning depends on that (write it as a function declaration or expression, or add "use strict")';
    }
  }
  const build = (loop: Node): LoopCandidate =>
    buildCandidate(a, { wrapped, shift }, loop, (innerLoops.get(loop) ?? []).map(build));
  const loops = topLoops.map(build);
  const selfName = (fn['id'] as Node | null)?.['name'] as string | undefined;
  const freeNames = [...new Set(fnScope.through.map((r) => r.identifier.name))];
  // A named function expression's own name is resolved in its own little scope, outside the function's.
  const nameScope = fnScope.upper?.type === 'function-expression-name' ? fnScope.upper : undefined;
  if (
    selfName &&
    nameScope &&
    nameScope.references.length + (nameScope.set.get(selfName)?.references.length ?? 0) > 0
  ) {
    freeNames.push(selfName);
  }
  const rebuild = (replacements: ReadonlyMap<LoopCandidate, string>): string => {
    const body = fn['body'] as Node;
    const params = fn['params'] as Node[];
    const first = params[0];
    const last = params[params.length - 1];
    const paramText = first && last ? wrapped.slice(first.start, last.end) : '';
    let text = wrapped.slice(body.start, body.end);
    const edits = [...replacements].sort((x, y) => y[0].start - x[0].start);
    for (const [loop, replacement] of edits) {
      text = text.slice(0, loop.start - body.start) + replacement + text.slice(loop.end - body.start);
    }
    return `function (${paramText}) ${text}`;
  };
  return { wrapped, shift, strict, refusal: wholeRefusal, loops, freeNames, selfName, identifiers, rebuild };
}

function kindTypeOf(n: Node): string {
  let m = n;
  while (m.type === 'LabeledStatement') m = m['body'] as Node;
  return m.type;
}

/** The postconditions of `analyzeFunction` (run in debug and in tests). */
export function checkPlan(plan: FunctionPlan): void {
  const all: LoopCandidate[] = [];
  const collect = (c: LoopCandidate): void => {
    all.push(c);
    c.inner.forEach(collect);
  };
  plan.loops.forEach(collect);
  for (const c of all) {
    for (const o of c.outs)
      if (!c.params.includes(o)) throw new Error(`loop at line ${c.line}: output '${o}' is not a parameter`);
    for (const i of c.inner)
      if (!(i.start >= c.start && i.end <= c.end)) throw new Error(`loop at line ${i.line} is not inside its parent`);
  }
  const sorted = [...plan.loops].sort((x, y) => x.start - y.start);
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as LoopCandidate).start < (sorted[i - 1] as LoopCandidate).end)
      throw new Error('loop candidates overlap');
  }
}
