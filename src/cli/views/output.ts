import { writeOutputFile } from "../../util/write-output-file.js";
import type { Io } from "../io.js";

/** A rendered result goes to stdout, or into the file `--out` names (said on stderr). */
export async function deliver(io: Io, text: string, out: string | undefined, what: string): Promise<void> {
  if (out === undefined) return io.out(text);
  await writeOutputFile(out, text, { option: "--out" });
  io.err(`Wrote ${what} to ${out}\n`);
}
