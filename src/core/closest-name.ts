/** Edit distance (Damerau: a swap of two neighbours counts once), capped: beyond `max` returns max + 1. */
const distance = (a: string, b: string, max: number): number => {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev2: number[] = []
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1)
      row.push(d)
      if (d < best) best = d
    }
    if (best > max) return max + 1
    prev2 = prev
    prev = row
  }
  return prev[b.length]!
}

/**
 * The choice closest to `name`, for "did you mean …": case-insensitive edit distance of at most 1 for
 * short names, 2 from 5 characters, 3 from 9 (`inn` → `in`, `treatmnt` → `treatment`, `enabeld` → `enabled`);
 * undefined when nothing is that close. Ties go to the first choice in order.
 * @example
 * closestName('treatmnt', ['control', 'treatment']) // 'treatment'
 */
export const closestName = (name: string, choices: readonly string[]): string | undefined => {
  const max = name.length >= 9 ? 3 : name.length >= 5 ? 2 : 1
  const lower = name.toLowerCase()
  let best: string | undefined
  let bestD = max + 1
  for (const choice of choices) {
    if (choice === name) continue
    const d = distance(lower, choice.toLowerCase(), max)
    if (d < bestD) {
      best = choice
      bestD = d
    }
  }
  return best
}
