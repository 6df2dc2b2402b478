import { InvalidArgumentError, Option, type Command } from "commander";
import { examples, handler, type CliContext } from "../context.js";
import { intOption, isoOption, probabilityOption, rateOption } from "../options.js";
import { ExitCode } from "../outcome.js";
// Only a type (erased at run time): the sandbox itself is loaded when the command runs.
import type { ServeFlags } from "../../sandbox/serve.js";

/** `customers=N,users=M[,nce=P]`. */
function generateArg(value: string): { customers: number; users: number; nce?: number } {
  const parts = new Map(value.split(",").map((kv) => kv.split("=").map((s) => s.trim()) as [string, string | undefined]));
  const customers = Number(parts.get("customers"));
  const users = Number(parts.get("users"));
  const rawNce = parts.get("nce");
  const nce = rawNce === undefined ? undefined : rawNce.trim() === "" ? NaN : Number(rawNce);
  const extra = [...parts.keys()].filter((k) => k !== "customers" && k !== "users" && k !== "nce");
  const badNce = nce !== undefined && !(nce >= 0 && nce <= 1);
  if (extra.length > 0 || badNce || !Number.isInteger(customers) || customers < 1 || !Number.isInteger(users) || users < 0) {
    throw new InvalidArgumentError(`expected customers=N,users=M[,nce=P] (N ≥ 1, M ≥ 0, P from 0 to 1), got "${value}"`);
  }
  return { customers, users, ...(nce !== undefined ? { nce } : {}) };
}

/** Which world, where it listens and keeps its state, the trouble it injects and its clock. */
function addWorldOptions(cmd: Command): Command {
  return cmd
    .option("--fixture <file>", "world to serve (JSON, schemas/sandbox.schema.json); default the demo world")
    .addOption(new Option("--port <n>", "port on 127.0.0.1 (0 = any free port)").argParser(intOption(0, 65535)).default(0))
    .option("--state <file>", "persist state here; an existing file is loaded instead of the fixture")
    .addOption(new Option("--latency <ms>", "added to every request").argParser(intOption(0, 600_000)))
    .addOption(new Option("--rate-limit <n/s>", "requests per second before answering 429 Retry-After").argParser(rateOption))
    .addOption(
      new Option("--rate-limit-customer <n/s>", "requests per second per customer (calls below /customers/{id}/) before answering 429 Retry-After").argParser(
        rateOption,
      ),
    )
    .addOption(new Option("--fault-rate <p>", "probability of a 500/503 before a request is processed").argParser(probabilityOption))
    .addOption(new Option("--lost-response-rate <p>", "probability a committed write gets no response").argParser(probabilityOption))
    .addOption(new Option("--seed <n>", "seed for faults and generated ids").argParser(intOption(0, 2 ** 32 - 1)).default(1))
    .addOption(new Option("--clock <iso>", "start the sandbox clock at this instant").argParser(isoOption))
    .addOption(
      new Option("--generate <spec>", "serve a synthetic world: customers=N,users=M[,nce=P] (P: share of new-commerce customers)")
        .argParser(generateArg)
        .conflicts("fixture"),
    );
}

/** Commerce delays on the sandbox clock, and the Graph listener. */
function addCommerceAndGraphOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--provisioning-delay <ms>", "new orders provision this long after they are placed (sandbox clock)").argParser(intOption(0)))
    .addOption(new Option("--order-appearance-delay <ms>", "new orders appear in the orders list this long after they are placed").argParser(intOption(0)))
    .addOption(new Option("--transition-delay <ms>", "transitions complete this long after they are posted").argParser(intOption(0)))
    .addOption(new Option("--graph-port <n>", "port of the HTTPS listener for Graph and tokens (0 = any free port)").argParser(intOption(0, 65535)).default(0))
    .addOption(
      new Option(
        "--graph-rate-limit <n/s>",
        "Graph requests per second across all tenants (each $batch member counts) before answering 429 Retry-After",
      ).argParser(rateOption),
    )
    .addOption(
      new Option(
        "--graph-rate-limit-tenant <n/s>",
        "Graph requests per second per tenant (each $batch member counts) before answering 429 Retry-After",
      ).argParser(rateOption),
    );
}

export function registerSandboxCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  const cmd = program
    .command("sandbox")
    .summary("run a local Partner Center (no account needed)")
    .description(
      "Serves a Partner Center world over the real REST protocol on 127.0.0.1 until interrupted, and the same world's " +
        "Microsoft Graph subset and token endpoint over HTTPS on a second port. Prints the Partner Center base URL as the " +
        "first line on stdout and the Graph endpoint (also the authority host) as the second. See docs/sandbox.md and docs/graph.md.",
    );
  addCommerceAndGraphOptions(addWorldOptions(cmd))
    .addHelpText(
      "after",
      examples(
        "pcplan sandbox --port 8080",
        "PARTNER_CENTER_TOKEN=sandbox-admin-agent-token pcplan plan --endpoint http://127.0.0.1:8080/v1",
        "pcplan sandbox --generate customers=2000,users=50000,nce=0.5 --rate-limit 400 --latency 20",
        "pcplan sandbox --provisioning-delay 60000 --transition-delay 30000",
        "pcplan sandbox --graph-rate-limit-tenant 20   # then see docs/graph.md for the environment a Graph client needs",
      ),
    )
    .action(
      handler(ctx, async (flags: ServeFlags) => {
        // A dynamic import: the sandbox (a test double and demo) is not on the product's path.
        const { serveSandbox } = await import("../../sandbox/serve.js");
        await serveSandbox(flags, io);
        return ExitCode.Ok;
      }),
    );
}
