import { isAlias, isScalar, LineCounter, parseAllDocuments, visit, type Document } from "yaml";
import type { DiagnosticCode } from "./diagnostic-codes.js";
import { formatPath } from "../util/field-path.js";
import { YamlLocator } from "./yaml-locate.js";

/** A document that parsed as plain data, with what is needed to point back into it. */
export interface ParsedDocument {
  value: unknown;
  locator: YamlLocator;
}

export interface YamlProblem {
  code: DiagnosticCode;
  /** Field path of the node the problem is in, "" if none. */
  path: string;
  line: number;
  col: number;
  message: string;
}

/** Aliases are plain data (a reused target), but a few hundred already means a bomb, not a plan. */
const MAX_ALIAS_COUNT = 100;

/** The core schema's tags: anything else (!!binary, !!set, !!js/function, !custom) is not plain data. */
const PLAIN_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

const shortTag = (tag: string) => tag.replace(/^tag:yaml\.org,2002:/, "!!");

/**
 * Parses every document of a file. YAML-level problems (syntax, duplicate keys, tags, aliases)
 * are reported per document; a document with any of them yields no value, so the schema never
 * sees half-parsed data.
 */
export function parseYaml(text: string): { documents: (ParsedDocument | undefined)[]; problems: YamlProblem[] } {
  const lines = new LineCounter();
  // YAML 1.2 core schema: `yes`/`no`/`on` stay strings; no merge keys. uniqueKeys: duplicate keys are errors.
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    version: "1.2",
    schema: "core",
    merge: false,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  const problems: YamlProblem[] = [];
  let locator: YamlLocator | undefined;
  const at = (offset: number, code: DiagnosticCode, message: string) =>
    problems.push({ code, path: locator ? formatPath(locator.pathAt(offset)) : "", ...lines.linePos(offset), message });

  if (!Array.isArray(docs) || docs.length === 0) {
    at(0, "empty-document", "the file holds no plan");
    return { documents: [], problems };
  }
  const documents = docs.map((doc): ParsedDocument | undefined => {
    const before = problems.length;
    locator = new YamlLocator(doc, lines);
    const tabs = doc.errors.length > 0 ? tabIndents(text, doc) : [];
    // A tab in the indentation derails the parser into errors about keys and sequences that
    // only confuse: say "tab", once per line, and nothing else about this document.
    for (const offset of tabs) at(offset, "yaml-syntax", TAB_MESSAGE);
    for (const e of tabs.length > 0 ? [] : doc.errors) {
      if (e.code === "DUPLICATE_KEY") {
        const key = locator.pathAt(e.pos[0]).at(-1);
        at(e.pos[0], "yaml-duplicate-key", `duplicate key${key === undefined ? "" : ` "${key}"`}: a key may appear only once in a mapping`);
      } else at(e.pos[0], "yaml-syntax", firstLine(e.message));
    }
    if (tabs.length === 0) for (const w of doc.warnings) if (w.code !== "TAG_RESOLVE_FAILED") at(w.pos[0], "yaml-syntax", firstLine(w.message));
    if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== "1.2") {
      at(doc.range[0], "yaml-syntax", `%YAML ${doc.directives.yaml.version} is not supported: plan files are YAML 1.2`);
    }
    checkPlainData(doc, at);
    if (problems.length > before) return undefined;
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
      at(doc.range[0], "empty-document", "empty document: every document in a plan file must be a plan");
      return undefined;
    }
    try {
      return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), locator };
    } catch (err) {
      // yaml throws ReferenceError for unresolved aliases and for alias counts over the limit.
      const firstAlias = findFirst(doc, (n) => isAlias(n));
      const msg = err instanceof Error ? err.message : String(err);
      at(
        firstAlias ?? doc.range[0],
        "yaml-alias",
        /excessive alias count/i.test(msg) ? `too many aliases (over ${MAX_ALIAS_COUNT} expansions): refused as a possible alias bomb` : firstLine(msg),
      );
      return undefined;
    }
  });
  return { documents, problems };
}

const TAB_MESSAGE = "tab used for indentation: YAML indents with spaces only; replace the tab with spaces";

/**
 * Offsets of the tabs that indent lines of a document that failed to parse: those the parser
 * names (TAB_AS_INDENT, also after "- ") and any line of the document whose leading whitespace
 * holds a tab (the parser calls some of those BAD_INDENT).
 * The first per line, in order.
 */
function tabIndents(text: string, doc: Document.Parsed): number[] {
  const byLine = new Map<number, number>();
  const add = (offset: number) => {
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
    const seen = byLine.get(lineStart);
    if (seen === undefined || offset < seen) byLine.set(lineStart, offset);
  };
  for (const e of doc.errors) if (e.code === "TAB_AS_INDENT") add(e.pos[0]);
  const [start, , end] = doc.range;
  for (let i = text.lastIndexOf("\n", start - 1) + 1; i < end && i >= 0; i = text.indexOf("\n", i) + 1 || end) {
    let j = i;
    while (text[j] === " ") j++;
    if (text[j] === "\t") add(j);
  }
  return [...byLine.values()].sort((a, b) => a - b);
}

function checkPlainData(doc: Document, at: (offset: number, code: DiagnosticCode, message: string) => void): void {
  visit(doc, {
    Node(_key, node) {
      const tag = node.tag;
      if (tag !== undefined && tag !== "!" && !PLAIN_TAGS.has(tag)) {
        at(node.range?.[0] ?? 0, "yaml-unknown-tag", `unknown tag ${shortTag(tag)}: plan files hold plain data only`);
      }
      return undefined;
    },
  });
}

function findFirst(doc: Document, test: (n: unknown) => boolean): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Node(_key, node) {
      if (found === undefined && test(node)) {
        found = node.range?.[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function firstLine(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
