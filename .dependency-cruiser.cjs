/**
 * The layering of docs/architecture.md, checked by `npm run lint` (dependency-cruiser). Each
 * layer may import the layers below it, never one above; folders of one layer do not import each
 * other unless a rule below says so. Type-only imports count: they tie the code as much as any.
 * A change that needs a new arrow changes this file and docs/architecture.md together.
 */

/** Bottom to top. */
const LAYERS = [
  { name: "errors", paths: ["src/errors\\.ts$", "src/version\\.ts$"] },
  { name: "util", paths: ["src/util/"] },
  // Data pcplan ships (the SKU and new-commerce tables) and the journal of its own purchases.
  { name: "data", paths: ["src/catalog/", "src/journal/"] },
  { name: "plan-file", paths: ["src/plan-file/"] },
  { name: "http", paths: ["src/http/"] },
  { name: "adapters", paths: ["src/partner-center/", "src/graph/"] },
  { name: "model", paths: ["src/model/"] },
  { name: "actions", paths: ["src/actions/"] },
  { name: "licence and access readers", paths: ["src/licenses/", "src/access/"] },
  { name: "live", paths: ["src/live/"] },
  { name: "reconcile", paths: ["src/reconcile/"] },
  { name: "status, saved-plan", paths: ["src/status/", "src/saved-plan/"] },
  { name: "render, discover, costs", paths: ["src/render/", "src/discover/", "src/costs/"] },
  { name: "apply", paths: ["src/apply/"] },
  { name: "engine", paths: ["src/engine/"] },
  { name: "cli", paths: ["src/cli/"] },
];

/** Arrows between folders of one layer that the design has (each says why). */
const PEER_ARROWS = [
  // Until the http helper of issue 24 moves what both share (redaction, retry, the request
  // budget) into src/http/; then partner-center/ and graph/ never import each other.
  { from: "src/graph/", to: "src/partner-center/" },
  // The HTML report shows what status computed.
  { from: "src/render/", to: "src/status/" },
];

/** Upward arrows that are known debts, each with who pays it; the rule holds for every other arrow of the file. */
const UPWARD_DEBTS = [
  // The Graph client takes the licence backend's change type; the http helper of issue 24 gives
  // the rewritten Graph client a type of its own.
  { from: "src/graph/client\\.ts$", to: "src/licenses/backend\\.ts$" },
];

const any = (paths) => `^(${paths.join("|")})`;
const ruleName = (prefix, layer) => `${prefix}-${layer.name.replace(/[^a-z]+/g, "-")}`;

const upward = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flatMap((l) => l.paths);
  if (above.length === 0) return [];
  const comment = `${layer.name} imports only the layers below it (docs/architecture.md)`;
  const debts = UPWARD_DEBTS.filter((d) => new RegExp(any(layer.paths)).test(d.from.replace(/\\/g, "")));
  return [
    {
      name: ruleName("layer", layer),
      severity: "error",
      comment,
      from: { path: any(layer.paths), pathNot: debts.map((d) => `^${d.from}`) },
      to: { path: any(above) },
    },
    ...debts.map((d) => ({
      name: ruleName("layer", layer),
      severity: "error",
      comment,
      from: { path: `^${d.from}` },
      to: { path: any(above), pathNot: `^${d.to}` },
    })),
  ];
});

const peers = LAYERS.flatMap((layer) =>
  layer.paths.flatMap((from) =>
    layer.paths
      .filter((to) => to !== from && !PEER_ARROWS.some((a) => a.from === from && a.to === to))
      .map((to) => ({
        name: ruleName("peers", layer),
        severity: "error",
        comment: `${from} and ${to} are one layer: neither imports the other (docs/architecture.md)`,
        from: { path: `^${from}` },
        to: { path: `^${to}` },
      })),
  ),
);

/** What the pure core may not import: anything that reads or writes (network, files, the terminal). */
const IO = [
  "src/(http|graph|licenses|live|journal|apply|engine|cli|sandbox|discover)/",
  // util's file primitives.
  "src/util/(lock-file|write-file-atomic|write-output-file)\\.ts$",
  // Partner Center's adapter, but for its facts (lifecycle constants) and wire types.
  "src/partner-center/(?!lifecycle\\.ts$|types\\.ts$|commerce-types\\.ts$)",
  "^(node:)?(fs|fs/promises|net|http|https|http2|child_process|readline|readline/promises|worker_threads|dgram|tls)$",
  "^(undici|p-limit|@azure/|@microsoft/)",
];

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "no import circles: each file stands above what it imports",
      from: {
        pathNot: [
          // The http helper of issue 24 untangles these two circles (request-budget ↔ attribution,
          // types ↔ commerce-types) when it moves the request budget to src/http/.
          "^src/partner-center/(attribution|request-budget|types|commerce-types)\\.ts$",
          // The sandbox helper of issue 24 untangles the sandbox's route table (router ↔ routes).
          "^src/sandbox/(router\\.ts$|partner-center/)",
        ],
      },
      to: { circular: true },
    },
    ...upward,
    ...peers,
    {
      name: "pure-core",
      severity: "error",
      comment: "model/, actions/ and reconcile/ are pure: plain data in, plain data out, no I/O (docs/architecture.md)",
      from: { path: "^src/(model|actions|reconcile)/" },
      to: { path: IO },
    },
    {
      name: "sandbox-only-from-cli",
      severity: "error",
      comment: "the sandbox is a test double and a demo, loaded only by --sandbox and `pcplan sandbox`: the engine never imports it",
      from: { path: "^src/", pathNot: "^src/(sandbox|cli)/" },
      to: { path: "^src/sandbox/" },
    },
    {
      name: "sandbox-dynamic-only",
      severity: "error",
      comment: "the CLI loads the sandbox only when asked (a dynamic import), so the product's path never loads it",
      // The sandbox helper of issue 24 turns these two into dynamic imports; then this exclusion goes.
      from: { path: "^src/cli/", pathNot: "^src/cli/(connection\\.ts|commands/sandbox\\.ts)$" },
      to: { path: "^src/sandbox/", dependencyTypesNot: ["dynamic-import"] },
    },
    {
      name: "sandbox-below-the-engine",
      severity: "error",
      comment: "the sandbox imitates Partner Center and Graph: it may share their wire types and low layers, never the engine",
      from: { path: "^src/sandbox/" },
      to: { path: "^src/(model|actions|licenses|access|live|reconcile|status|saved-plan|render|discover|apply|engine|cli)/" },
    },
    {
      name: "not-to-tests",
      severity: "error",
      comment: "product code never imports tests, benchmarks or scripts",
      from: { path: "^src/" },
      to: { path: "^(test|bench|scripts)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    includeOnly: "^(src/|node_modules/|node:)",
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".js"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
