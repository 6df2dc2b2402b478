import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import type { PathSegment } from "../util/field-path.js";

/** Which part of a mapping entry a diagnostic points at. */
export type Anchor = "value" | "key";

/**
 * Maps a field path back to a line and column in the YAML source. Walks the parsed node tree
 * (not the JS value), so positions are exact; stops at the deepest node that exists, so a
 * missing field points at its parent. Through an alias, the alias itself is reported:
 * that is where the reviewer reads the value.
 */
export class YamlLocator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  offset(path: readonly PathSegment[], anchor: Anchor = "value"): number {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node) ?? this.doc.range?.[0] ?? 0;
    let viaAlias: number | undefined;
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) {
        viaAlias ??= rangeStart(node);
        node = node.resolve(this.doc);
      }
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(segment));
        if (!pair) break;
        const keyOffset = rangeStart(pair.key) ?? offset;
        const value = pair.value;
        const emptyValue = value === null || (isScalar(value) && value.value === null && value.source === "");
        if ((last && anchor === "key") || emptyValue) {
          offset = keyOffset;
          break;
        }
        node = value;
        offset = rangeStart(value) ?? keyOffset;
      } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
        node = node.items[segment];
        offset = rangeStart(node) ?? offset;
      } else break;
    }
    return viaAlias ?? offset;
  }

  /** The field path of the deepest node at a source offset: names the field a YAML-level error (duplicate key, tag) is in. */
  pathAt(offset: number): PathSegment[] {
    const path: PathSegment[] = [];
    const contains = (n: unknown) => {
      const r = (n as Node | null)?.range;
      return r !== undefined && r !== null && r[0] <= offset && offset < Math.max(r[2], r[0] + 1);
    };
    let node: unknown = this.doc.contents;
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find((p) => contains(p.key) || contains(p.value));
        const key = pair && keyText(pair.key);
        if (!pair || key === undefined) break;
        path.push(key);
        if (contains(pair.key)) break;
        node = pair.value;
      } else if (isSeq(node)) {
        const index = node.items.findIndex(contains);
        if (index < 0) break;
        path.push(index);
        node = node.items[index];
      } else break;
    }
    return path;
  }

  /** 1-based line and column of a path (see offset). */
  position(path: readonly PathSegment[], anchor: Anchor = "value"): { line: number; col: number } {
    return this.lines.linePos(this.offset(path, anchor));
  }
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}
