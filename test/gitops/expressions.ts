/**
 * The part of GitHub Actions' expression language the workflows use (docs.github.com,
 * "Evaluate expressions in workflows and actions"): string literals, context paths
 * (`steps.plan.outputs.changes`, `needs.plan.result`, `vars.X`, `github.ref`), `==` and `!=`
 * (strings compared case-insensitively, as GitHub does), `!`, `&&` and `||` (giving one of
 * their operands, as GitHub does), parentheses, and the status functions. Anything else throws: a test must not pass on an expression it misread.
 */

export interface ExprContext {
  /** Looks a dotted path up (`steps.plan.outputs.exitcode`); "" when it is not set, as GitHub does. */
  lookup(path: string): string;
  status: { success: boolean; failure: boolean };
}

type Value = string | boolean;

const TOKEN = /\s*(\(|\)|==|!=|!|&&|\|\||'(?:[^']|'')*'|[A-Za-z_][\w.-]*\(\)|[A-Za-z_][\w.-]*)/y;

function tokens(expr: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    if (/^\s*$/.test(expr.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(expr);
    if (!m) throw new Error(`expression not understood at ${at}: ${expr}`);
    out.push(m[1] ?? "");
  }
  return out;
}

const truthy = (v: Value) => (typeof v === "boolean" ? v : v !== "");

/** Evaluates one expression (without its `${{ }}`). */
export function evaluate(expr: string, ctx: ExprContext): Value {
  const t = tokens(expr);
  let i = 0;
  const peek = () => t[i];
  const next = () => t[i++] ?? "";
  const primary = (): Value => {
    const tok = next();
    if (tok === "(") {
      const v = or();
      if (next() !== ")") throw new Error(`missing ) in ${expr}`);
      return v;
    }
    if (tok.startsWith("'")) return tok.slice(1, -1).replaceAll("''", "'");
    if (tok === "success()") return ctx.status.success;
    if (tok === "failure()") return ctx.status.failure;
    if (tok === "always()") return true;
    if (tok === "cancelled()") return false;
    if (/^(steps|needs|vars|github|secrets)\./.test(tok)) return ctx.lookup(tok);
    throw new Error(`unsupported token ${tok} in ${expr}`);
  };
  const unary = (): Value => (peek() === "!" ? (next(), !truthy(unary())) : compare());
  const compare = (): Value => {
    const left = primary();
    const op = peek();
    if (op !== "==" && op !== "!=") return left;
    next();
    const right = primary();
    const same = String(left).toLowerCase() === String(right).toLowerCase();
    return op === "==" ? same : !same;
  };
  // `a && b` is b when a is truthy, else a; `a || b` is a when truthy, else b (both evaluated: no side effects here).
  const chain = (op: string, operand: () => Value, keepLeft: (v: Value) => boolean) => (): Value => {
    let v = operand();
    while (peek() === op) {
      next();
      const r = operand();
      v = keepLeft(v) ? v : r;
    }
    return v;
  };
  const and = chain("&&", unary, (v) => !truthy(v));
  const or: () => Value = chain("||", and, truthy);
  const v = or();
  if (i !== t.length) throw new Error(`trailing tokens in ${expr}`);
  return v;
}

/** An `if:` as GitHub reads it: `${{ }}` optional, and `success() &&` implied without a status function. */
export function condition(text: string | undefined, ctx: ExprContext): boolean {
  const expr = (text ?? "success()").replace(/^\$\{\{\s*([\s\S]*?)\s*\}\}$/, "$1");
  const guarded = /\b(success|failure|always|cancelled)\(\)/.test(expr) ? expr : `success() && (${expr})`;
  return truthy(evaluate(guarded, ctx));
}

/** A value with `${{ … }}` parts replaced by their results. */
export function interpolate(text: string, ctx: ExprContext): string {
  return text.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_, e: string) => String(evaluate(e, ctx)));
}
