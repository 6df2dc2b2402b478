/** Terminal decisions live here: colour, progress, prompts. The core never sees a stream. */

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";
}

function fancy(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}

/**
 * Progress on stderr: a rewritten line on a terminal, a few plain lines in CI for long work,
 * nothing for short work.
 */
export function progress(label: string): { update(done: number, total: number): void; end(): void } {
  let lastPlain = -1;
  let drawn = false;
  return {
    update(done, total) {
      if (fancy()) {
        process.stderr.write(`\r${label} ${done}/${total}…`);
        drawn = true;
      } else if (total >= 50) {
        const quarter = Math.floor((done / total) * 4);
        if (quarter !== lastPlain) {
          lastPlain = quarter;
          process.stderr.write(`${label} ${done}/${total}\n`);
        }
      }
    },
    end() {
      if (drawn) process.stderr.write("\r\x1b[2K");
    },
  };
}

/** Asks for "yes" on a terminal; anything else declines. */
export async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question}\n  Only 'yes' will be accepted: `);
    return answer.trim() === "yes";
  } finally {
    rl.close();
  }
}

export function interactive(): boolean {
  return Boolean(process.stdin.isTTY) && Boolean(process.stderr.isTTY) && !process.env.CI;
}
