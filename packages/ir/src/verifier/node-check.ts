import type { Node } from '../nodes/node.js';
import { unknownOpMessage, type OpDef } from '../ops/op.js';
import { ctrl, typeToString, type FunctionType, type Type } from '../types/type.js';
import { errorText, show, isValidType, typesText, attrSpecsOf, attrMatches } from './shape.js';
import type { RegionContext, Verifier } from './verifier.js';
import type { VerifierRule } from './verify.js';

/** The checks specific to each node kind, for one node. */
export class NodeCheck {
  constructor(
    private readonly verifier: Verifier,
    private readonly context: RegionContext,
    private readonly node: Node,
    private readonly inputTypes: readonly (Type | undefined)[],
    private readonly inner: readonly (RegionContext | undefined)[],
  ) {}

  #report(rule: VerifierRule, message: string): void {
    this.verifier.report(rule, message, this.verifier.nodePath(this.context, this.node), this.node.id);
  }

  #outputType(k: number): Type | undefined {
    const type: unknown = this.node.outputs[k];
    return isValidType(type) ? type : undefined;
  }

  #outputTypes(): (Type | undefined)[] {
    return this.node.outputs.map((_, k) => this.#outputType(k));
  }

  #regionCount(expected: number): boolean {
    const actual = this.node.regions.length;
    if (actual === expected) return true;
    this.#report('port-count', `a ${this.node.kind} node has ${expected} region(s), this one has ${actual}`);
    return false;
  }

  #outputCount(expected: number, why: string): boolean {
    const actual = this.node.outputs.length;
    if (actual === expected) return true;
    this.#report('port-count', `${this.node.kind} has ${actual} output(s), expected ${expected} (${why})`);
    return false;
  }

  /** Region arguments must match `expected` in number and type. */
  #arguments(index: number, expected: readonly (Type | undefined)[], label: (k: number) => string, why: string): void {
    const region = this.inner[index];
    if (!region) return;
    const args = region.args;
    if (args.length !== expected.length) {
      this.#report(
        'port-count',
        `region ${index} has ${args.length} argument(s), expected ${expected.length} (${why})`,
      );
    }
    const n = Math.min(args.length, expected.length);
    for (let k = 0; k < n; k++) {
      const want = expected[k];
      const got = args[k];
      if (want && got && want !== got) {
        this.#report(
          'port-type',
          `region ${index} argument ${k} has type ${typeToString(got)} but ${label(k)} has type ${typeToString(want)}`,
        );
      }
    }
  }

  /** Region results must match `expected` in number and type. */
  #results(
    index: number,
    expected: readonly (Type | undefined)[],
    label: (k: number) => string,
    why: string,
    skip = 0,
  ): void {
    const region = this.inner[index];
    if (!region) return;
    const results: readonly unknown[] = region.region.results;
    if (results.length - skip !== expected.length) {
      this.#report(
        'port-count',
        `region ${index} has ${results.length} result(s), expected ${expected.length + skip} (${why})`,
      );
    }
    const n = Math.min(results.length - skip, expected.length);
    for (let k = 0; k < n; k++) {
      const want = expected[k];
      const got = this.verifier.peek(region, results[k + skip]);
      if (want && got && want !== got) {
        this.#report(
          'port-type',
          `region ${index} result ${k + skip} has type ${typeToString(got)} but ${label(k)} has type ${typeToString(want)}`,
        );
      }
    }
  }

  simple(): void {
    const node = this.node;
    if (node.kind !== 'simple') return;
    if (node.regions.length > 0)
      this.#report('port-count', `a simple node has no regions, this one has ${node.regions.length}`);
    let def: OpDef | undefined;
    try {
      def = this.verifier.registry.get(node.op);
    } catch (error) {
      this.#report('unknown-op', `looking up op '${node.op}' failed: ${errorText(error)}`);
      return;
    }
    if (!def) {
      this.#report(
        'unknown-op',
        unknownOpMessage(
          node.op,
          this.verifier.registry.dialects().map((d) => d.name),
        ),
      );
      return;
    }
    if (!this.#attributes(def)) return;
    if (this.inputTypes.some((t) => t === undefined)) return;
    const operandTypes = this.inputTypes as Type[];
    let result: unknown;
    try {
      result = def.typeOf(operandTypes, node.attrs);
    } catch (error) {
      this.#report('op-typing', `the typing rule of '${node.op}' threw: ${errorText(error)}`);
      return;
    }
    if (typeof result === 'string') {
      this.#report('op-typing', `${node.op} ${typesText(operandTypes)}: ${result}`);
      return;
    }
    if (!Array.isArray(result)) {
      this.#report('op-typing', `the typing rule of '${node.op}' returned ${show(result)}, not a list of types`);
      return;
    }
    const outputs: readonly unknown[] = node.outputs;
    if (result.length !== outputs.length || result.some((t, k) => t !== outputs[k])) {
      this.#report(
        'op-typing',
        `${node.op} ${typesText(operandTypes)} yields ${typesText(result)} but the node declares outputs ${typesText(outputs)}`,
      );
    }
  }

  #attributes(def: OpDef): boolean {
    const node = this.node;
    if (node.kind !== 'simple') return true;
    let ok = true;
    for (const { name, kind, optional } of attrSpecsOf(def)) {
      const value: unknown = Object.prototype.hasOwnProperty.call(node.attrs, name) ? node.attrs[name] : undefined;
      if (value === undefined) {
        if (!optional) {
          this.#report('attribute', `${node.op} requires attribute '${name}' (${kind})`);
          ok = false;
        }
      } else if (!attrMatches(kind, value)) {
        this.#report('attribute', `attribute '${name}' of ${node.op} must be a ${kind}, got ${show(value)}`);
        ok = false;
      }
    }
    return ok;
  }

  gamma(): void {
    const n = this.node.regions.length;
    if (n === 0) this.#report('port-count', 'a gamma node needs at least one region');
    if (this.inputTypes.length === 0) {
      this.#report('port-count', `a gamma node needs a predicate (input 0, ctrl<${n}>)`);
    } else {
      const predicate = this.inputTypes[0];
      if (predicate && !(predicate.kind === 'ctrl' && predicate.alternatives === n)) {
        this.#report(
          'predicate-type',
          `a gamma with ${n} region(s) needs a ctrl<${n}> predicate, got ${typeToString(predicate)}`,
        );
      }
    }
    const entry = this.inputTypes.slice(1);
    const outputs = this.#outputTypes();
    for (let i = 0; i < n; i++) {
      this.#arguments(i, entry, (k) => `entry variable ${k} (input ${k + 1})`, 'one per entry variable');
      this.#results(i, outputs, (k) => `output ${k}`, 'one per output');
    }
  }

  theta(): void {
    const loopVars = this.inputTypes;
    if (this.node.outputs.length !== loopVars.length) {
      this.#report(
        'port-count',
        `theta has ${loopVars.length} loop variable(s) (inputs) but ${this.node.outputs.length} output(s)`,
      );
    }
    const outputs = this.#outputTypes();
    for (let k = 0; k < Math.min(outputs.length, loopVars.length); k++) {
      const want = loopVars[k];
      const got = outputs[k];
      if (want && got && want !== got) {
        this.#report(
          'port-type',
          `output ${k} has type ${typeToString(got)} but loop variable ${k} has type ${typeToString(want)}`,
        );
      }
    }
    if (!this.#regionCount(1)) return;
    this.#arguments(0, loopVars, (k) => `loop variable ${k} (input ${k})`, 'one per loop variable');
    const region = this.inner[0];
    if (!region) return;
    const results: readonly unknown[] = region.region.results;
    if (results.length === 0) {
      this.#report('port-count', 'the theta region has no results; result 0 must be the ctrl<2> predicate');
      return;
    }
    const predicate = this.verifier.peek(region, results[0]);
    if (predicate && predicate !== ctrl(2)) {
      this.#report(
        'predicate-type',
        `the theta predicate (region result 0) must be ctrl<2>, got ${typeToString(predicate)}`,
      );
    }
    this.#results(0, loopVars, (k) => `loop variable ${k}`, 'the predicate, then one per loop variable', 1);
  }

  lambda(): void {
    const node = this.node;
    if (node.kind !== 'lambda') return;
    const type: unknown = node.type;
    let fnType: FunctionType | undefined;
    if (!isValidType(type)) this.#report('invalid-type', `the lambda's type is not a valid type: ${show(type)}`);
    else if (type.kind !== 'fn')
      this.#report('port-type', `a lambda's type must be a function type, got ${typeToString(type)}`);
    else fnType = type;
    if (this.#outputCount(1, 'the function value')) {
      const output = this.#outputType(0);
      if (fnType && output && output !== fnType) {
        this.#report(
          'port-type',
          `output 0 has type ${typeToString(output)} but the lambda's type is ${typeToString(fnType)}`,
        );
      }
    }
    if (!this.#regionCount(1) || !fnType) return;
    const params = fnType.params.length;
    this.#arguments(
      0,
      [...fnType.params, ...this.inputTypes],
      (k) => (k < params ? `parameter ${k}` : `context variable ${k - params} (input ${k - params})`),
      'the parameters, then one per context variable',
    );
    this.#results(
      0,
      fnType.results,
      (k) => `function result ${k}`,
      `the function has ${fnType.results.length} result(s)`,
    );
  }

  delta(): void {
    this.#outputCount(1, 'the global value');
    if (!this.#regionCount(1)) return;
    this.#arguments(0, this.inputTypes, (k) => `context variable ${k} (input ${k})`, 'one per context variable');
    this.#results(0, [this.#outputType(0)], () => 'output 0', 'the value of the global');
  }

  phi(): void {
    const outputs = this.#outputTypes();
    outputs.forEach((type, k) => {
      if (type && type.kind !== 'fn') {
        this.#report(
          'port-type',
          `output ${k} of a phi is a recursion variable and must be a function, got ${typeToString(type)}`,
        );
      }
    });
    if (!this.#regionCount(1)) return;
    const recursion = outputs.length;
    this.#arguments(
      0,
      [...outputs, ...this.inputTypes],
      (k) =>
        k < recursion
          ? `recursion variable ${k} (output ${k})`
          : `context variable ${k - recursion} (input ${k - recursion})`,
      'one per recursion variable, then one per context variable',
    );
    this.#results(0, outputs, (k) => `recursion variable ${k} (output ${k})`, 'one definition per recursion variable');
  }
}
