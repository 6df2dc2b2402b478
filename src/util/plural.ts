/** "1 customer", "3 customers"; `many` for words that do not just take an s ("2 auto-renews turned off"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
