import type { DeltaNode } from './delta.js';
import type { GammaNode } from './gamma.js';
import type { LambdaNode } from './lambda.js';
import type { PhiNode } from './phi.js';
import type { SimpleNode } from './simple.js';
import type { ThetaNode } from './theta.js';

export type Node = SimpleNode | GammaNode | ThetaNode | LambdaNode | DeltaNode | PhiNode;
export type StructuralNode = Exclude<Node, SimpleNode>;
export type NodeKind = Node['kind'];
