// "Did you mean": the known word closest to a mistyped one, by edit distance (a swap of two neighbours
// counts as one edit), so every unknown key, kind or value can name what was probably meant.

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const cols = b.length + 1;
  const d = new Uint32Array((a.length + 1) * cols);
  const at = (i: number, j: number) => d[i * cols + j] as number;
  for (let i = 0; i <= a.length; i++) d[i * cols] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate closest to `word`, when it is close enough to be a plausible typo: the same word in
 * another case, or at most a third of its letters (and at least 2) away.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

/** ` (did you mean "timeout"?)` or ` (known: a, b, c)`; what to append after naming an unknown word. */
export function suggestion(word: string, candidates: readonly string[], known = "known"): string {
  const near = closest(word, candidates);
  if (near) return ` (did you mean "${near}"?)`;
  return candidates.length > 0 ? ` (${known}: ${candidates.join(", ")})` : "";
}
