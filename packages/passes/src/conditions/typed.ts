import { containsUnknown, forEachNode, typeToString, type Type } from '@rvsdg/ir';
import { defineCondition } from '../manager/condition.js';

/** No type anywhere in the module is, or contains, the not-yet-inferred placeholder `?`. */
export const typed = defineCondition('typed', 'no type in the module is or contains `?`', (module) => {
  const problems: string[] = [];
  const look = (type: Type, where: string): void => {
    if (containsUnknown(type)) problems.push(`${where} has type ${typeToString(type)}`);
  };
  module.imports.forEach((imp) => look(imp.type, `import '${imp.name}'`));
  forEachNode(module, (node) => {
    const name = node.kind === 'simple' ? `${node.op} (node ${node.id})` : `${node.kind} (node ${node.id})`;
    node.outputs.forEach((t, i) => look(t, `output ${i} of ${name}`));
    node.regions.forEach((r, k) => r.arguments.forEach((t, i) => look(t, `argument ${i} of region ${k} of ${name}`)));
    if (node.kind === 'simple') {
      for (const [key, value] of Object.entries(node.attrs)) {
        if (typeof value === 'object') look(value, `attribute '${key}' of ${name}`);
      }
    }
  });
  return problems;
});
