import { type Document, isAlias, isCollection, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { FieldPath } from './object.js';

/**
 * Where each field of a document is written, without the yaml `Document` itself: a reader keeps this for
 * every object it returns (for lineOf and writtenAt), and the composed documents of a large corpus are many
 * times the size of their values. Flat typed arrays, nodes in document order (a parent before its children).
 */
export interface WrittenNodes {
  /** The map key or sequence index that leads to each node from its parent (undefined for the root). */
  readonly keys: readonly unknown[];
  /** Each node's parent's index; -1 for the root. */
  readonly parents: Int32Array;
  /** The offset a line is reported at: a map field's key (`readinessProbe:`), else the node itself. */
  readonly starts: Int32Array;
  /** The value's own range in the text; -1 when it has none. */
  readonly rangeStarts: Int32Array;
  readonly rangeEnds: Int32Array;
  readonly shapes: Uint8Array;
}

/** A node's shape, as far as `writtenAt` needs it. */
export const Shape = { other: 0, scalar: 1, map: 2, seq: 3, flowMap: 4, flowSeq: 5 } as const;

/** One written node, by its index into `WrittenNodes`. */
export interface NodeSpot {
  readonly index: number;
  /** Whether the whole path is written (else `index` is its closest written ancestor). */
  readonly exact: boolean;
}

/** The written nodes of a document. */
export function writtenNodes(document: Document): WrittenNodes {
  const builder = new Builder();
  const root = document.contents as Node | null;
  builder.add(undefined, -1, rangeStart(root) ?? document.range?.[0] ?? 0, root);
  return builder.done();
}

/** The node at `path`, or its closest written ancestor (a merge key's fields have no node of their own). */
export function closestNode(nodes: WrittenNodes, path: FieldPath): NodeSpot {
  let index = 0;
  let depth = 0;
  for (const key of path) {
    const child = childIndex(nodes, index, key);
    if (child === -1) break;
    index = child;
    depth++;
  }
  return { index, exact: depth === path.length };
}

function childIndex(nodes: WrittenNodes, parent: number, key: string | number): number {
  for (let index = parent + 1; index < nodes.parents.length; index++) {
    const of = nodes.parents[index] ?? -1;
    if (of < parent) return -1; // past the parent's subtree
    if (of === parent && nodes.keys[index] === key) return index;
  }
  return -1;
}

/** Keys repeat across thousands of objects (`metadata`, `name`, …): one string each. */
const internedKeys = new Map<string, string>();

class Builder {
  private readonly keys: unknown[] = [];
  private readonly parents: number[] = [];
  private readonly starts: number[] = [];
  private readonly rangeStarts: number[] = [];
  private readonly rangeEnds: number[] = [];
  private readonly shapes: number[] = [];

  add(key: unknown, parent: number, start: number, value: unknown): void {
    const index = this.keys.length;
    const range = (value as Node | null | undefined)?.range;
    this.keys.push(typeof key === 'string' ? intern(key) : key);
    this.parents.push(parent);
    this.starts.push(start);
    this.rangeStarts.push(range ? range[0] : -1);
    this.rangeEnds.push(range ? range[1] : -1);
    this.shapes.push(shapeOf(value));
    // Nothing under an alias: a field inside an alias is shown where the alias is used.
    if (isAlias(value)) return;
    if (isMap(value)) {
      const seen = new Set<unknown>();
      for (const pair of value.items) {
        const pairKey = isScalar(pair.key) ? pair.key.value : pair.key;
        // The first of two equal keys is the one a lookup finds.
        if (seen.has(pairKey)) continue;
        seen.add(pairKey);
        const pairStart = rangeStart(pair.key) ?? rangeStart(pair.value);
        if (pairStart !== undefined) this.add(pairKey, index, pairStart, pair.value);
      }
    } else if (isSeq(value)) {
      for (const [itemIndex, item] of value.items.entries()) {
        const itemStart = rangeStart(item);
        if (itemStart !== undefined) this.add(itemIndex, index, itemStart, item);
      }
    }
  }

  done(): WrittenNodes {
    return {
      keys: this.keys,
      parents: Int32Array.from(this.parents),
      starts: Int32Array.from(this.starts),
      rangeStarts: Int32Array.from(this.rangeStarts),
      rangeEnds: Int32Array.from(this.rangeEnds),
      shapes: Uint8Array.from(this.shapes),
    };
  }
}

function intern(key: string): string {
  const known = internedKeys.get(key);
  if (known !== undefined) return known;
  if (internedKeys.size < 100_000) internedKeys.set(key, key);
  return key;
}

function shapeOf(value: unknown): number {
  if (isScalar(value)) return Shape.scalar;
  if (!isCollection(value)) return Shape.other;
  if (value.flow) return isMap(value) ? Shape.flowMap : Shape.flowSeq;
  return isMap(value) ? Shape.map : Shape.seq;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
